// torch.ao.nn.quantized activations: quantized in, quantized out; those that change the range keep
// the output's scale/zero_point (from the float module's output observer in fromFloat).
import { Tensor } from '../../tensor/tensor';
import { tensor, randn } from '../../tensor/create';
import { quint8 } from '../../tensor/dtype';
import { quantizePerTensor } from '../../ops/generated/functions';
import { Module } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { pyFloat } from '../../py-format';
import { warn } from '../../errors';
import { activationObserver, scaleZeroPoint, weightObserver } from './utils';
import { elu, hardswish } from './functional';
import { qop } from './ops';
import { FactoryOptions } from '../layers/linear';

/** Python's _get_softmax_dim: the deprecated implicit dim, with its warning. */
function softmaxDim(name: string, ndim: number): number {
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type FloatAttrs<K extends string> = Module & Record<K, never>;

const RELU6 = signature<{ inplace?: boolean }>()([], ['inplace']);
export class ReLU6 extends Module {
  readonly inplace: boolean;
  /** ReLU6(inplace = false) */
  constructor(...args: ArgsOf<typeof RELU6>) {
    super();
    this.inplace = RELU6.bind('ReLU6', args).inplace ?? false;
  }
  forward(input: Tensor): Tensor {
    return qop('quantized::relu6', input, this.inplace);
  }
  _getName(): string {
    return 'QuantizedReLU6';
  }
  extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
  static fromFloat(mod: Module): ReLU6 {
    return new ReLU6((mod as FloatAttrs<'inplace'>).inplace);
  }
}

const HARDSWISH = signature<{ scale: number; zeroPoint: number }>()(['scale', 'zeroPoint'], []);
export class Hardswish extends Module {
  scale: number;
  zeroPoint: number;
  /** Hardswish(scale, zeroPoint) */
  constructor(...args: ArgsOf<typeof HARDSWISH>) {
    super();
    ({ scale: this.scale, zeroPoint: this.zeroPoint } = HARDSWISH.bind('Hardswish', args));
  }
  forward(input: Tensor): Tensor {
    return hardswish(input, this.scale, this.zeroPoint);
  }
  _getName(): string {
    return 'QuantizedHardswish';
  }
  static fromFloat(mod: Module): Hardswish {
    return new Hardswish(...scaleZeroPoint(activationObserver(mod)));
  }
}

const ELU_ARGS = signature<{ scale: number; zeroPoint: number; alpha?: number }>()(['scale', 'zeroPoint'], ['alpha']);
export class ELU extends Module {
  scale: number;
  zeroPoint: number;
  readonly alpha: number;
  readonly inplace = false;
  /** ELU(scale, zeroPoint, alpha = 1.0) */
  constructor(...args: ArgsOf<typeof ELU_ARGS>) {
    super();
    const { scale, zeroPoint, alpha = 1.0 } = ELU_ARGS.bind('ELU', args);
    this.scale = scale;
    this.zeroPoint = zeroPoint;
    this.alpha = alpha;
  }
  forward(input: Tensor): Tensor {
    return elu(input, this.scale, this.zeroPoint, this.alpha);
  }
  _getName(): string {
    return 'QuantizedELU';
  }
  extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
  static fromFloat(mod: Module): ELU {
    return new ELU(...scaleZeroPoint(activationObserver(mod)), (mod as FloatAttrs<'alpha'>).alpha);
  }
}

const LEAKY = signature<{ scale: number; zeroPoint: number; negativeSlope?: number; inplace?: boolean } & FactoryOptions>()(
  ['scale', 'zeroPoint'], ['negativeSlope', 'inplace', 'device', 'dtype'],
);
export class LeakyReLU extends Module {
  declare scale: Tensor;
  declare zero_point: Tensor;
  readonly negativeSlope: number;
  readonly inplace: boolean;
  /** LeakyReLU(scale, zeroPoint, negativeSlope = 0.01, inplace = false, { device, dtype }): scale/zero_point are buffers */
  constructor(...args: ArgsOf<typeof LEAKY>) {
    super();
    const { scale, zeroPoint, negativeSlope = 1e-2, inplace = false, device, dtype } = LEAKY.bind('LeakyReLU', args);
    this.negativeSlope = negativeSlope;
    this.inplace = inplace;
    this.registerBuffer('scale', tensor(scale, { device, dtype }));
    this.registerBuffer('zero_point', tensor(zeroPoint, { device, dtype }));
  }
  forward(input: Tensor): Tensor {
    return qop('quantized::leaky_relu', input, this.negativeSlope, this.inplace, this.scale.item(), this.zero_point.item());
  }
  _getName(): string {
    return 'QuantizedLeakyReLU';
  }
  extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
  static fromFloat(mod: Module): LeakyReLU {
    const m = mod as FloatAttrs<'negativeSlope' | 'inplace'>;
    return new LeakyReLU(...scaleZeroPoint(activationObserver(mod)), m.negativeSlope, m.inplace);
  }
}

const SIGMOID = signature<{ outputScale: number; outputZeroPoint: number }>()(['outputScale', 'outputZeroPoint'], []);
/** Python keeps the float class's name: its repr is Sigmoid() */
export class Sigmoid extends Module {
  outputScale: number;
  outputZeroPoint: number;
  /** Sigmoid(outputScale, outputZeroPoint) */
  constructor(...args: ArgsOf<typeof SIGMOID>) {
    super();
    ({ outputScale: this.outputScale, outputZeroPoint: this.outputZeroPoint } = SIGMOID.bind('Sigmoid', args));
  }
  forward(input: Tensor): Tensor {
    return qop('quantized::sigmoid', input, this.outputScale, this.outputZeroPoint);
  }
  static fromFloat(mod: Module): Sigmoid {
    return new Sigmoid(...scaleZeroPoint(activationObserver(mod)));
  }
}

const SOFTMAX = signature<{ dim?: number | null; scale?: number; zeroPoint?: number }>()([], ['dim', 'scale', 'zeroPoint']);
export class Softmax extends Module {
  readonly dim: number | null;
  scale: number;
  zeroPoint: number;
  /** Softmax(dim = null, scale = 1.0, zeroPoint = 0) */
  constructor(...args: ArgsOf<typeof SOFTMAX>) {
    super();
    const { dim = null, scale = 1.0, zeroPoint = 0 } = SOFTMAX.bind('Softmax', args);
    this.dim = dim;
    this.scale = scale;
    this.zeroPoint = zeroPoint;
  }
  forward(input: Tensor): Tensor {
    const dim = this.dim ?? softmaxDim('softmax', input.dim());
    return qop('quantized::softmax', input, dim, this.scale, this.zeroPoint);
  }
  _getName(): string {
    return 'QuantizedSoftmax';
  }
  extraRepr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
  static fromFloat(mod: Module): Softmax {
    return new Softmax((mod as FloatAttrs<'dim'>).dim, ...scaleZeroPoint(activationObserver(mod)));
  }
}

const PRELU = signature<{ outputScale: number; outputZeroPoint: number; numParameters?: number }>()(['outputScale', 'outputZeroPoint'], ['numParameters']);
export class PReLU extends Module {
  readonly numParameters: number;
  scale: number;
  zeroPoint: number;
  /** the quint8 slopes: a plain attribute, as in Python (not in the state_dict) */
  weight!: Tensor;
  /** PReLU(outputScale, outputZeroPoint, numParameters = 1): random slopes until setWeight */
  constructor(...args: ArgsOf<typeof PRELU>) {
    super();
    const { outputScale, outputZeroPoint, numParameters = 1 } = PRELU.bind('PReLU', args);
    this.numParameters = numParameters;
    this.scale = outputScale;
    this.zeroPoint = outputZeroPoint;
    this.setWeight(quantizePerTensor(randn([numParameters]), 1.0, 0, quint8));
  }
  setWeight(w: Tensor): void {
    // not a buffer or parameter: kept out of the state_dict as Python's plain attribute is
    Object.defineProperty(this, 'weight', { value: w, writable: true, configurable: true, enumerable: false });
  }
  forward(input: Tensor): Tensor {
    return qop('quantized::prelu', input, this.weight, this.scale, this.zeroPoint);
  }
  _getName(): string {
    return 'QuantizedPReLU';
  }
  /** Python's from_float: the slopes quantized (quint8) with the qparams of a fresh weight observer that saw nothing. */
  static fromFloat(mod: Module): PReLU {
    const [scale, zeroPoint] = scaleZeroPoint(activationObserver(mod));
    const m = mod as Module & { numParameters: number; weight: Tensor };
    const q = new PReLU(scale, zeroPoint, m.numParameters);
    const [wScale, wZp] = scaleZeroPoint(weightObserver(mod));
    q.setWeight(quantizePerTensor(m.weight.float(), wScale, wZp, quint8));
    return q;
  }
}
