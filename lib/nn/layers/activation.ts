// The activation modules (torch/nn/modules/activation.py), generated from one table: each row gives
// PyTorch's constructor arguments in order with their defaults, the F call of forward, and
// extra_repr. Arguments are passed as in Python: any prefix positionally, the rest in a trailing
// options object (new nn.LeakyReLU(0.2, { inplace: true })). Numbers print by PyTorch's declared
// type: floats as 0.01 / 1.0, Softplus's int beta/threshold as 1 / 20.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional/activation';
import { Rest, parse } from '../functional/args';
import { ArgsOf, bind, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyFloat, pyNumber } from '../../py-format';

/** An activation module built from a table row: its settings are readonly properties. */
export type ActivationModule<O> = Module & Readonly<Required<O>> & { forward(input: Tensor): Tensor };
export type ActivationClass<O, N extends readonly (keyof O)[]> = new (...args: Rest<O, N>) => ActivationModule<O>;

interface Row<O> {
  /** PyTorch's argument names in order (camelCase); defaults[k] === undefined marks a required one */
  args: readonly (keyof O & string)[];
  defaults: { [K in keyof Required<O>]: O[K] | undefined };
  forward: (input: Tensor, m: ActivationModule<O>) => Tensor;
  repr?: (m: ActivationModule<O>) => string;
  check?: (m: ActivationModule<O>) => void;
}

function define<O extends object, N extends readonly (keyof O & string)[]>(name: string, args: N, row: Omit<Row<O>, 'args'>): ActivationClass<O, N> {
  const cls = class extends Module {
    constructor(...rest: unknown[]) {
      super();
      // the arguments without a default (a prefix of args) are required
      const required = args.filter((k) => row.defaults[k] === undefined);
      const given = bind<Record<string, unknown>>(name, rest, required, args.slice(required.length));
      const self = this as unknown as Record<string, unknown>;
      for (const k of args) self[k] = given[k] ?? row.defaults[k];
      row.check?.(this as unknown as ActivationModule<O>);
    }
    forward(input: Tensor): Tensor {
      return row.forward(input, this as unknown as ActivationModule<O>);
    }
    extraRepr(): string {
      return row.repr ? row.repr(this as unknown as ActivationModule<O>) : '';
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls as unknown as ActivationClass<O, N>;
}

type Inplace = { inplace?: boolean };
const inplaceOnly = { defaults: { inplace: false } };
/** ', inplace=True' after other settings, or 'inplace=True' alone, as PyTorch prints it */
const tail = (m: Inplace) => (m.inplace ? ', inplace=True' : '');
const alone = (m: Inplace) => (m.inplace ? 'inplace=True' : '');
const dimRepr = (m: { dim?: number | null }) => `dim=${m.dim === null || m.dim === undefined ? 'None' : m.dim}`;

export const Threshold = define<{ threshold?: number; value?: number } & Inplace, ['threshold', 'value', 'inplace']>('Threshold', ['threshold', 'value', 'inplace'], {
  defaults: { threshold: undefined, value: undefined, inplace: false },
  forward: (x, m) => F.threshold(x, m.threshold, m.value, m.inplace),
  repr: (m) => `threshold=${pyFloat(m.threshold)}, value=${pyFloat(m.value)}${tail(m)}`,
});
export const ReLU = define<Inplace, ['inplace']>('ReLU', ['inplace'], { ...inplaceOnly, forward: (x, m) => F.relu(x, m.inplace), repr: alone });
export const RReLU = define<{ lower?: number; upper?: number } & Inplace, ['lower', 'upper', 'inplace']>('RReLU', ['lower', 'upper', 'inplace'], {
  defaults: { lower: 1 / 8, upper: 1 / 3, inplace: false },
  forward: (x, m) => F.rrelu(x, m.lower, m.upper, m.training, m.inplace),
  repr: (m) => `lower=${pyFloat(m.lower)}, upper=${pyFloat(m.upper)}${tail(m)}`,
});
export const Hardtanh = define<{ minVal?: number; maxVal?: number } & Inplace, ['minVal', 'maxVal', 'inplace']>('Hardtanh', ['minVal', 'maxVal', 'inplace'], {
  defaults: { minVal: -1, maxVal: 1, inplace: false },
  forward: (x, m) => F.hardtanh(x, m.minVal, m.maxVal, m.inplace),
  repr: (m) => `min_val=${pyFloat(m.minVal)}, max_val=${pyFloat(m.maxVal)}${tail(m)}`,
  check: (m) => {
    if (!(m.maxVal > m.minVal)) throw new TorchError('Hardtanh: max_val must be greater than min_val');
  },
});
/** Hardtanh(0, 6), a Hardtanh subclass as in PyTorch */
export class ReLU6 extends Hardtanh {
  constructor(...args: Rest<Inplace, ['inplace']>) {
    super(0, 6, { inplace: parse<Inplace>('ReLU6', args, ['inplace']).inplace ?? false });
  }
  extraRepr(): string {
    return alone(this);
  }
}
export const Sigmoid = define<object, []>('Sigmoid', [], { defaults: {}, forward: (x) => F.sigmoid(x) });
export const Hardsigmoid = define<Inplace, ['inplace']>('Hardsigmoid', ['inplace'], { ...inplaceOnly, forward: (x, m) => F.hardsigmoid(x, m.inplace) });
export const Tanh = define<object, []>('Tanh', [], { defaults: {}, forward: (x) => F.tanh(x) });
export const SiLU = define<Inplace, ['inplace']>('SiLU', ['inplace'], { ...inplaceOnly, forward: (x, m) => F.silu(x, m.inplace), repr: alone });
export const Mish = define<Inplace, ['inplace']>('Mish', ['inplace'], { ...inplaceOnly, forward: (x, m) => F.mish(x, m.inplace), repr: alone });
export const Hardswish = define<Inplace, ['inplace']>('Hardswish', ['inplace'], { ...inplaceOnly, forward: (x, m) => F.hardswish(x, m.inplace) });
export const ELU = define<{ alpha?: number } & Inplace, ['alpha', 'inplace']>('ELU', ['alpha', 'inplace'], {
  defaults: { alpha: 1, inplace: false },
  forward: (x, m) => F.elu(x, m.alpha, m.inplace),
  repr: (m) => `alpha=${pyFloat(m.alpha)}${tail(m)}`,
});
export const CELU = define<{ alpha?: number } & Inplace, ['alpha', 'inplace']>('CELU', ['alpha', 'inplace'], {
  defaults: { alpha: 1, inplace: false },
  forward: (x, m) => F.celu(x, m.alpha, m.inplace),
  repr: (m) => `alpha=${pyFloat(m.alpha)}${tail(m)}`,
});
export const SELU = define<Inplace, ['inplace']>('SELU', ['inplace'], { ...inplaceOnly, forward: (x, m) => F.selu(x, m.inplace), repr: alone });
export const GLU = define<{ dim?: number }, ['dim']>('GLU', ['dim'], { defaults: { dim: -1 }, forward: (x, m) => F.glu(x, m.dim), repr: dimRepr });
export const GELU = define<{ approximate?: 'none' | 'tanh' }, ['approximate']>('GELU', ['approximate'], {
  defaults: { approximate: 'none' },
  forward: (x, m) => F.gelu(x, { approximate: m.approximate }),
  repr: (m) => `approximate='${m.approximate}'`,
});
export const Hardshrink = define<{ lambd?: number }, ['lambd']>('Hardshrink', ['lambd'], { defaults: { lambd: 0.5 }, forward: (x, m) => F.hardshrink(x, m.lambd), repr: (m) => pyFloat(m.lambd) });
export const LeakyReLU = define<{ negativeSlope?: number } & Inplace, ['negativeSlope', 'inplace']>('LeakyReLU', ['negativeSlope', 'inplace'], {
  defaults: { negativeSlope: 0.01, inplace: false },
  forward: (x, m) => F.leakyRelu(x, m.negativeSlope, m.inplace),
  repr: (m) => `negative_slope=${pyFloat(m.negativeSlope)}${tail(m)}`,
});
export const LogSigmoid = define<object, []>('LogSigmoid', [], { defaults: {}, forward: (x) => F.logsigmoid(x) });
export const Softplus = define<{ beta?: number; threshold?: number }, ['beta', 'threshold']>('Softplus', ['beta', 'threshold'], {
  defaults: { beta: 1, threshold: 20 },
  forward: (x, m) => F.softplus(x, m.beta, m.threshold),
  repr: (m) => `beta=${pyNumber(m.beta)}, threshold=${pyNumber(m.threshold)}`,
});
export const Softshrink = define<{ lambd?: number }, ['lambd']>('Softshrink', ['lambd'], { defaults: { lambd: 0.5 }, forward: (x, m) => F.softshrink(x, m.lambd), repr: (m) => pyFloat(m.lambd) });
export const Softsign = define<object, []>('Softsign', [], { defaults: {}, forward: (x) => F.softsign(x) });
export const Tanhshrink = define<object, []>('Tanhshrink', [], { defaults: {}, forward: (x) => F.tanhshrink(x) });
type Dim = { dim?: number | null };
export const Softmin = define<Dim, ['dim']>('Softmin', ['dim'], { defaults: { dim: null }, forward: (x, m) => F.softmin(x, { dim: m.dim }), repr: dimRepr });
export const Softmax = define<Dim, ['dim']>('Softmax', ['dim'], { defaults: { dim: null }, forward: (x, m) => F.softmax(x, { dim: m.dim }), repr: dimRepr });
export const LogSoftmax = define<Dim, ['dim']>('LogSoftmax', ['dim'], { defaults: { dim: null }, forward: (x, m) => F.logSoftmax(x, { dim: m.dim }), repr: dimRepr });
/** Softmax over the channels of (N, C, H, W) or (C, H, W) */
export const Softmax2d = define<object, []>('Softmax2d', [], {
  defaults: {},
  forward: (x) => {
    if (x.dim() !== 3 && x.dim() !== 4) throw new TorchError('Softmax2d requires a 3D or 4D tensor as input');
    return F.softmax(x, -3);
  },
});

// the classes above are values; these make `nn.ReLU` usable as a type too
export type Threshold = InstanceType<typeof Threshold>;
export type ReLU = InstanceType<typeof ReLU>;
export type RReLU = InstanceType<typeof RReLU>;
export type Hardtanh = InstanceType<typeof Hardtanh>;
export type Sigmoid = InstanceType<typeof Sigmoid>;
export type Hardsigmoid = InstanceType<typeof Hardsigmoid>;
export type Tanh = InstanceType<typeof Tanh>;
export type SiLU = InstanceType<typeof SiLU>;
export type Mish = InstanceType<typeof Mish>;
export type Hardswish = InstanceType<typeof Hardswish>;
export type ELU = InstanceType<typeof ELU>;
export type CELU = InstanceType<typeof CELU>;
export type SELU = InstanceType<typeof SELU>;
export type GLU = InstanceType<typeof GLU>;
export type GELU = InstanceType<typeof GELU>;
export type Hardshrink = InstanceType<typeof Hardshrink>;
export type LeakyReLU = InstanceType<typeof LeakyReLU>;
export type LogSigmoid = InstanceType<typeof LogSigmoid>;
export type Softplus = InstanceType<typeof Softplus>;
export type Softshrink = InstanceType<typeof Softshrink>;
export type Softsign = InstanceType<typeof Softsign>;
export type Tanhshrink = InstanceType<typeof Tanhshrink>;
export type Softmin = InstanceType<typeof Softmin>;
export type Softmax = InstanceType<typeof Softmax>;
export type LogSoftmax = InstanceType<typeof LogSoftmax>;
export type Softmax2d = InstanceType<typeof Softmax2d>;

export interface PReLUOptions extends FactoryOptions {
  init?: number;
}
/** PReLU's parameters by name: PReLU(num_parameters=1, init=0.25). */
export interface PReLUArgs extends PReLUOptions {
  numParameters?: number;
}
const PRELU = signature<PReLUArgs>()([], ['numParameters', 'init', ...FACTORY_KEYS]);

/** The one activation with a learnable parameter: a negative slope per channel (or shared). */
export class PReLU extends Module {
  weight: Parameter;

  readonly numParameters: number;

  /** PReLU(numParameters = 1, init = 0.25, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof PRELU>) {
    super();
    const { numParameters = 1, init = 0.25, ...factory } = PRELU.bind('PReLU', args);
    this.numParameters = numParameters;
    this.weight = new Parameter(empty([numParameters], factory).fill_(init));
  }

  forward(input: Tensor): Tensor {
    return F.prelu(input, this.weight);
  }

  extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
