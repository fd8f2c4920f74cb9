// nn.Conv1d/2d/3d and nn.ConvTranspose1d/2d/3d (torch/nn/modules/conv.py): one base class for every
// dimensionality, as PyTorch's _ConvNd; each public class only fixes the number of spatial dims.
import { TorchError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { Module } from '../module';
import { LazySpec, UninitializedParameter, hasUninitializedParams, lazyLayer } from '../lazy';
import { Parameter } from '../parameter';
import * as init from '../init';
import { ArgsOf, signature } from '../../keywords';
import { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d } from '../functional/conv';
import { pad } from '../functional/vision';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyList, pyStr, pySize } from '../../py-format';
import { Size, ntuple } from './size-args';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
const PADDING_MODES: readonly string[] = ['zeros', 'reflect', 'replicate', 'circular'];

export type ConvOptions = {
  stride?: Size; padding?: Size | 'same' | 'valid'; dilation?: Size; groups?: number; bias?: boolean; paddingMode?: PaddingMode;
} & FactoryOptions;
/** A convolution's parameters by name: Conv2d(in_channels, out_channels, kernel_size, stride=1, ...). */
export type ConvArgs = { inChannels: number; outChannels: number; kernelSize: Size } & ConvOptions;
const CONV = signature<ConvArgs>()(['inChannels', 'outChannels', 'kernelSize'], ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', ...FACTORY_KEYS]);

export type ConvTransposeOptions = {
  stride?: Size; padding?: Size; outputPadding?: Size; groups?: number; bias?: boolean; dilation?: Size; paddingMode?: PaddingMode;
} & FactoryOptions;
/** A transposed convolution's parameters by name: ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, ...). */
export type ConvTransposeArgs = { inChannels: number; outChannels: number; kernelSize: Size } & ConvTransposeOptions;
const CONV_T = signature<ConvTransposeArgs>()(
  ['inChannels', 'outChannels', 'kernelSize'],
  ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', ...FACTORY_KEYS],
);

type Dims = 1 | 2 | 3;
type AllArgs = ConvArgs & { outputPadding?: Size };

/** PyTorch's _ConvNd: parameters, checks, init and repr shared by convolutions and transposed ones. */
export abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** the F.pad argument for non-zero padding modes: (left, right) per dim, last dim first */
  readonly _reversedPaddingRepeatedTwice: number[];

  readonly inChannels: number;
  readonly outChannels: number;

  /** `args`: the parameters as bound by the public class's signature */
  constructor(
    dims: Dims,
    readonly transposed: boolean,
    args: AllArgs,
  ) {
    super();
    const { inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, outputPadding = 0, groups = 1, bias = true, paddingMode = 'zeros', ...factory } = args;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    if (transposed && paddingMode !== 'zeros') throw new TorchError(`Only "zeros" padding mode is supported for ${new.target.name}`);
    if (groups <= 0) throw new TorchError('groups must be a positive integer');
    if (inChannels % groups !== 0) throw new TorchError('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new TorchError('out_channels must be divisible by groups');
    this.kernelSize = ntuple(kernelSize, dims);
    this.stride = ntuple(stride, dims);
    this.dilation = ntuple(dilation, dims);
    this.outputPadding = ntuple(outputPadding, dims);
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') throw new TorchError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new TorchError("padding='same' is not supported for strided convolutions");
    }
    if (!PADDING_MODES.includes(paddingMode)) {
      throw new TorchError(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${paddingMode}'`);
    }
    this.padding = typeof padding === 'string' ? padding : ntuple(padding, dims);
    this.groups = groups;
    this.paddingMode = paddingMode;
    this._reversedPaddingRepeatedTwice = reversedPadding(this.padding, this.kernelSize, this.dilation);
    const shape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = new Parameter(empty(shape, factory));
    this.bias = bias ? new Parameter(empty([outChannels], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    // kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the bias only when fan_in > 0
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}`;
    if (typeof this.padding === 'string' || this.padding.some((p) => p !== 0)) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyStr(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/** F.pad's list for padding_mode != 'zeros': 'same' splits d*(k-1) with the smaller half first. */
function reversedPadding(padding: number[] | 'same' | 'valid', kernel: number[], dilation: number[]): number[] {
  const n = kernel.length;
  const out = new Array<number>(2 * n).fill(0);
  for (let d = 0; d < n; d++) {
    const i = n - 1 - d;
    if (padding === 'valid') continue;
    if (padding === 'same') {
      const total = dilation[d] * (kernel[d] - 1);
      out[2 * i] = Math.floor(total / 2);
      out[2 * i + 1] = total - Math.floor(total / 2);
    } else {
      out[2 * i] = out[2 * i + 1] = padding[d];
    }
  }
  return out;
}

const CONV_FNS = { 1: conv1d, 2: conv2d, 3: conv3d };

/** Convolutions: zero padding inside the op, other padding modes via F.pad first. */
abstract class Conv extends ConvNd {
  constructor(dims: Dims, args: readonly unknown[]) {
    super(dims, false, CONV.bind(new.target.name, args));
  }

  _convForward(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
    const conv = CONV_FNS[this.kernelSize.length as Dims];
    const common = { bias, stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== 'zeros') {
      const padded = pad(input, this._reversedPaddingRepeatedTwice, { mode: this.paddingMode });
      return conv(padded, weight, { ...common, padding: 0 });
    }
    return conv(input, weight, { ...common, padding: this.padding });
  }

  forward(input: Tensor): Tensor {
    return this._convForward(input, this.weight, this.bias);
  }
}

export class Conv1d extends Conv {
  /** Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None) */
  constructor(...args: ArgsOf<typeof CONV>) {
    super(1, args);
  }
}

export class Conv2d extends Conv {
  /** Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None) */
  constructor(...args: ArgsOf<typeof CONV>) {
    super(2, args);
  }
}

export class Conv3d extends Conv {
  /** Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None) */
  constructor(...args: ArgsOf<typeof CONV>) {
    super(3, args);
  }
}

const CONV_T_FNS = { 1: convTranspose1d, 2: convTranspose2d, 3: convTranspose3d };

/** Transposed convolutions; forward(input, outputSize) picks the output_padding that gives that size. */
abstract class ConvTranspose extends ConvNd {
  constructor(dims: Dims, args: readonly unknown[]) {
    super(dims, true, CONV_T.bind(new.target.name, args));
  }

  /** PyTorch's _output_padding: the configured one, or the one reaching `outputSize` (checked). */
  _outputPadding(input: Tensor, outputSize: readonly number[] | null | undefined): number[] {
    if (outputSize === null || outputSize === undefined) return this.outputPadding;
    const n = this.kernelSize.length;
    const nonSpatial = input.dim() === n + 2 ? 2 : 1;
    let size = [...outputSize];
    if (size.length === nonSpatial + n) size = size.slice(nonSpatial);
    if (size.length !== n) {
      throw new TorchError(`ConvTranspose${n}D: for ${input.dim()}D input, output_size must have ${n} or ${nonSpatial + n} elements (got ${size.length})`);
    }
    const padding = this.padding as number[];
    const minSizes = this.kernelSize.map(
      (k, d) => (input.size(d + nonSpatial) - 1) * this.stride[d] - 2 * padding[d] + this.dilation[d] * (k - 1) + 1,
    );
    const maxSizes = minSizes.map((m, d) => m + this.stride[d] - 1);
    if (size.some((s, d) => s < minSizes[d] || s > maxSizes[d])) {
      throw new TorchError(
        `requested an output size of ${pyList(outputSize)}, but valid sizes range from ${pyList(minSizes)} to ${pyList(maxSizes)} (for an input of torch.Size(${pyList(input.shape.slice(2))}))`,
      );
    }
    return size.map((s, d) => s - minSizes[d]);
  }

  forward(input: Tensor, outputSize?: readonly number[] | null): Tensor {
    const convT = CONV_T_FNS[this.kernelSize.length as Dims];
    return convT(input, this.weight, {
      bias: this.bias,
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: this._outputPadding(input, outputSize),
      groups: this.groups,
      dilation: this.dilation,
    });
  }
}

export class ConvTranspose1d extends ConvTranspose {
  /** ConvTranspose1d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None) */
  constructor(...args: ArgsOf<typeof CONV_T>) {
    super(1, args);
  }
}

export class ConvTranspose2d extends ConvTranspose {
  /** ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None) */
  constructor(...args: ArgsOf<typeof CONV_T>) {
    super(2, args);
  }
}

export class ConvTranspose3d extends ConvTranspose {
  /** ConvTranspose3d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None) */
  constructor(...args: ArgsOf<typeof CONV_T>) {
    super(3, args);
  }
}

// ---- lazy convolutions: in_channels from the first input (torch/nn/modules/conv.py, _LazyConvXdMixin)

/** LazyConv's parameters by name: LazyConv2d(out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None). */
export type LazyConvArgs = { outChannels: number; kernelSize: Size } & ConvOptions;
const LAZY_CONV = signature<LazyConvArgs>()(['outChannels', 'kernelSize'], ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', ...FACTORY_KEYS]);
/** LazyConvTranspose's parameters by name: LazyConvTranspose2d(out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None). */
export type LazyConvTransposeArgs = { outChannels: number; kernelSize: Size } & ConvTransposeOptions;
const LAZY_CONV_T = signature<LazyConvTransposeArgs>()(
  ['outChannels', 'kernelSize'],
  ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', ...FACTORY_KEYS],
);

/** The concrete layer's arguments with in/out channels 0 and no bias (the lazy layer's super().__init__). */
function lazyConvArgs(args: LazyConvArgs | LazyConvTransposeArgs): [Record<string, unknown>, { bias: boolean; factory: FactoryOptions; outChannels: number }] {
  const { outChannels, bias = true, ...rest } = args;
  return [{ ...rest, inChannels: 0, outChannels: 0, bias: false }, { bias, factory: { device: rest.device, dtype: rest.dtype }, outChannels }];
}

/** the rest of the lazy constructor: uninitialised weight (and bias), out_channels */
function lazyConvSetup(m: ConvNd, setup: { bias: boolean; factory: FactoryOptions; outChannels: number }): void {
  m.weight = new UninitializedParameter({ ...setup.factory });
  (m as { outChannels: number }).outChannels = setup.outChannels;
  if (setup.bias) m.bias = new UninitializedParameter({ ...setup.factory });
}

/** _LazyConvXdMixin.initialize_parameters */
function lazyConvInitialize(m: ConvNd, input: Tensor): void {
  if (!hasUninitializedParams(m)) return;
  const spatial = m.kernelSize.length;
  const noBatch = spatial + 1;
  if (input.dim() !== noBatch && input.dim() !== noBatch + 1) {
    throw new TorchError(`Expected ${noBatch}D (unbatched) or ${noBatch + 1}D (batched) input to ${m.constructor.name}, but got input of size: ${pySize(input.shape)}`);
  }
  const inChannels = input.dim() === noBatch + 1 ? input.shape[1] : input.shape[0];
  (m as { inChannels: number }).inChannels = inChannels;
  if (inChannels % m.groups !== 0) throw new ValueError('in_channels must be divisible by groups');
  const shape = m.transposed
    ? [inChannels, m.outChannels / m.groups, ...m.kernelSize]
    : [m.outChannels, inChannels / m.groups, ...m.kernelSize];
  (m.weight as UninitializedParameter).materialize(shape);
  if (m.bias) (m.bias as UninitializedParameter).materialize([m.outChannels]);
  m.resetParameters();
}


/** _LazyConvXdMixin as lazyLayer's spec, over the convolution signature `sig` */
function lazyConvSpec(sig: typeof LAZY_CONV | typeof LAZY_CONV_T): LazySpec<ConvNd> {
  return {
    construct(name, args) {
      const [concrete, setup] = lazyConvArgs(sig.bind(name, args));
      return [concrete, (m) => lazyConvSetup(m, setup)];
    },
    shaped: (m) => m.inChannels !== 0,
    initialize: lazyConvInitialize,
  };
}
const LAZY_CONV_SPEC = lazyConvSpec(LAZY_CONV);
const LAZY_CONV_T_SPEC = lazyConvSpec(LAZY_CONV_T);

/** nn.LazyConv1d: becomes a Conv1d on the first forward */
export class LazyConv1d extends lazyLayer<Conv1d>(Conv1d, LAZY_CONV_SPEC as LazySpec<Conv1d>) {
  /** LazyConv1d(out_channels, kernel_size, ...Conv1d's other arguments), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_CONV>) {
    super(...args);
  }
}

/** nn.LazyConv2d: becomes a Conv2d on the first forward */
export class LazyConv2d extends lazyLayer<Conv2d>(Conv2d, LAZY_CONV_SPEC as LazySpec<Conv2d>) {
  /** LazyConv2d(out_channels, kernel_size, ...Conv2d's other arguments), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_CONV>) {
    super(...args);
  }
}

/** nn.LazyConv3d: becomes a Conv3d on the first forward */
export class LazyConv3d extends lazyLayer<Conv3d>(Conv3d, LAZY_CONV_SPEC as LazySpec<Conv3d>) {
  /** LazyConv3d(out_channels, kernel_size, ...Conv3d's other arguments), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_CONV>) {
    super(...args);
  }
}

/** nn.LazyConvTranspose1d: becomes a ConvTranspose1d on the first forward */
export class LazyConvTranspose1d extends lazyLayer<ConvTranspose1d>(ConvTranspose1d, LAZY_CONV_T_SPEC as LazySpec<ConvTranspose1d>) {
  /** LazyConvTranspose1d(out_channels, kernel_size, ...ConvTranspose1d's other arguments), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_CONV_T>) {
    super(...args);
  }
}

/** nn.LazyConvTranspose2d: becomes a ConvTranspose2d on the first forward */
export class LazyConvTranspose2d extends lazyLayer<ConvTranspose2d>(ConvTranspose2d, LAZY_CONV_T_SPEC as LazySpec<ConvTranspose2d>) {
  /** LazyConvTranspose2d(out_channels, kernel_size, ...ConvTranspose2d's other arguments), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_CONV_T>) {
    super(...args);
  }
}

/** nn.LazyConvTranspose3d: becomes a ConvTranspose3d on the first forward */
export class LazyConvTranspose3d extends lazyLayer<ConvTranspose3d>(ConvTranspose3d, LAZY_CONV_T_SPEC as LazySpec<ConvTranspose3d>) {
  /** LazyConvTranspose3d(out_channels, kernel_size, ...ConvTranspose3d's other arguments), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_CONV_T>) {
    super(...args);
  }
}
