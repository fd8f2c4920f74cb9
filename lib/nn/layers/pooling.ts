// Pooling layers (torch/nn/modules/pooling.py): max, average, adaptive, power-average and
// max-unpooling. One base class per kind, as PyTorch's _MaxPoolNd etc.; the 1d/2d/3d classes only
// pick the functional op. Settings are kept as PyTorch keeps them (raw or as tuples) so reprs match.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { ArgsOf, Call, signature } from '../../keywords';
import * as F from '../functional/pooling';
import { pyFloat, pyStr, pyTuple } from '../../py-format';
import { OptSize, Size, ntuple } from './size-args';
import { ValueError } from '../../errors';

/** What a pooling layer returns: the output, or [output, indices] when built with returnIndices. */
export type PoolOutput<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

export type MaxPoolOptions<R extends boolean = boolean> = {
  stride?: Size | null; padding?: Size; dilation?: Size; returnIndices?: R; ceilMode?: boolean;
};
/** MaxPool's parameters by name: MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False). */
export type MaxPoolArgs<R extends boolean = boolean> = { kernelSize: Size } & MaxPoolOptions<R>;
const MAX_POOL = signature<MaxPoolArgs>()(['kernelSize'], ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode']);
type MaxPoolRest<R extends boolean> = Call<MaxPoolArgs<R>, typeof MAX_POOL.required, typeof MAX_POOL.positional>;

type MaxPoolFn = (input: Tensor, kernelSize: Size, options: F.MaxPoolOptions) => Tensor | [Tensor, Tensor];

/** PyTorch's _MaxPoolNd. */
export abstract class MaxPoolNd<R extends boolean = false> extends Module {
  readonly stride: Size;
  readonly padding: Size;
  readonly dilation: Size;
  readonly returnIndices: R;
  readonly ceilMode: boolean;

  readonly kernelSize: Size;

  constructor(
    private readonly fn: MaxPoolFn,
    args: readonly unknown[],
  ) {
    super();
    const o = MAX_POOL.bind(new.target.name, args) as MaxPoolArgs<R>;
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? o.kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.returnIndices = (o.returnIndices ?? false) as R;
    this.ceilMode = o.ceilMode ?? false;
  }

  forward(input: Tensor): PoolOutput<R> {
    const { stride, padding, dilation, ceilMode, returnIndices } = this;
    return this.fn(input, this.kernelSize, { stride, padding, dilation, ceilMode, returnIndices }) as PoolOutput<R>;
  }

  extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}, dilation=${pyStr(this.dilation)}, ceil_mode=${pyStr(this.ceilMode)}`;
  }
}

export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R> {
  /** MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False) */
  constructor(...args: MaxPoolRest<R>) {
    super(F.maxPool1d, args);
  }
}
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R> {
  /** MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False) */
  constructor(...args: MaxPoolRest<R>) {
    super(F.maxPool2d, args);
  }
}
export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R> {
  /** MaxPool3d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False) */
  constructor(...args: MaxPoolRest<R>) {
    super(F.maxPool3d, args);
  }
}

export type MaxUnpoolOptions = { stride?: Size | null; padding?: Size };
/** MaxUnpool's parameters by name: MaxUnpool2d(kernel_size, stride=None, padding=0). */
export type MaxUnpoolArgs = { kernelSize: Size } & MaxUnpoolOptions;
const MAX_UNPOOL = signature<MaxUnpoolArgs>()(['kernelSize'], ['stride', 'padding']);
type MaxUnpoolRest = Call<MaxUnpoolArgs, typeof MAX_UNPOOL.required, typeof MAX_UNPOOL.positional>;
type MaxUnpoolFn = (input: Tensor, indices: Tensor, kernelSize: Size, options: F.MaxUnpoolOptions) => Tensor;

/** PyTorch's _MaxUnpoolNd: kernel, stride and padding kept as tuples. */
export abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];

  constructor(
    private readonly fn: MaxUnpoolFn,
    dims: number,
    args: readonly unknown[],
  ) {
    super();
    const o = MAX_UNPOOL.bind(new.target.name, args);
    this.kernelSize = ntuple(o.kernelSize, dims);
    this.stride = ntuple(o.stride ?? o.kernelSize, dims);
    this.padding = ntuple(o.padding ?? 0, dims);
  }

  forward(input: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    return this.fn(input, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize: outputSize ?? null });
  }

  extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

export class MaxUnpool1d extends MaxUnpoolNd {
  /** MaxUnpool1d(kernel_size, stride=None, padding=0); forward(input, indices, output_size=None) */
  constructor(...args: MaxUnpoolRest) {
    super(F.maxUnpool1d, 1, args);
  }
}
export class MaxUnpool2d extends MaxUnpoolNd {
  /** MaxUnpool2d(kernel_size, stride=None, padding=0); forward(input, indices, output_size=None) */
  constructor(...args: MaxUnpoolRest) {
    super(F.maxUnpool2d, 2, args);
  }
}
export class MaxUnpool3d extends MaxUnpoolNd {
  /** MaxUnpool3d(kernel_size, stride=None, padding=0); forward(input, indices, output_size=None) */
  constructor(...args: MaxUnpoolRest) {
    super(F.maxUnpool3d, 3, args);
  }
}

export type AvgPool1dOptions = { stride?: Size | null; padding?: Size; ceilMode?: boolean; countIncludePad?: boolean };
export type AvgPoolOptions = AvgPool1dOptions & { divisorOverride?: number | null };
/** AvgPool's parameters by name: AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None); AvgPool1d has no divisor_override. */
export type AvgPool1dArgs = { kernelSize: Size } & AvgPool1dOptions;
export type AvgPoolArgs = { kernelSize: Size } & AvgPoolOptions;
const AVG_POOL1 = signature<AvgPool1dArgs>()(['kernelSize'], ['stride', 'padding', 'ceilMode', 'countIncludePad']);
const AVG_POOL = signature<AvgPoolArgs>()(['kernelSize'], ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
type AvgPoolFn = (input: Tensor, kernelSize: Size, options: F.AvgPoolOptions) => Tensor;

/** PyTorch's _AvgPoolNd. AvgPool1d keeps its sizes as 1-tuples, 2d/3d as given. */
export abstract class AvgPoolNd extends Module {
  readonly kernelSize: Size;
  readonly stride: Size;
  readonly padding: Size;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(
    private readonly fn: AvgPoolFn,
    dims: number,
    args: readonly unknown[],
  ) {
    super();
    const o: AvgPoolArgs = (dims === 1 ? AVG_POOL1 : AVG_POOL).bind(new.target.name, args);
    const keep = (s: Size) => (dims === 1 ? ntuple(s, 1) : s);
    this.kernelSize = keep(o.kernelSize);
    this.stride = keep(o.stride ?? o.kernelSize);
    this.padding = keep(o.padding ?? 0);
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
  }

  forward(input: Tensor): Tensor {
    const options: F.AvgPoolOptions = {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
    };
    if (this.divisorOverride !== null) options.divisorOverride = this.divisorOverride;
    return this.fn(input, this.kernelSize, options);
  }

  extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

export class AvgPool1d extends AvgPoolNd {
  /** AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True) */
  constructor(...args: ArgsOf<typeof AVG_POOL1>) {
    super(F.avgPool1d, 1, args);
  }
}
export class AvgPool2d extends AvgPoolNd {
  /** AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
  constructor(...args: ArgsOf<typeof AVG_POOL>) {
    super(F.avgPool2d, 2, args);
  }
}
export class AvgPool3d extends AvgPoolNd {
  /** AvgPool3d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
  constructor(...args: ArgsOf<typeof AVG_POOL>) {
    super(F.avgPool3d, 3, args);
  }
}

export type LPPoolOptions = { stride?: Size | null; ceilMode?: boolean };
/** LPPool's parameters by name: LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False). */
export type LPPoolArgs = { normType: number; kernelSize: Size } & LPPoolOptions;
const LP_POOL = signature<LPPoolArgs>()(['normType', 'kernelSize'], ['stride', 'ceilMode']);

/** PyTorch's _LPPoolNd: (mean of x^p over the window * window size)^(1/p). */
export abstract class LPPoolNd extends Module {
  readonly stride: Size | null;
  readonly ceilMode: boolean;

  readonly normType: number;
  readonly kernelSize: Size;

  constructor(args: readonly unknown[]) {
    super();
    const o = LP_POOL.bind(new.target.name, args);
    this.normType = o.normType;
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? null;
    this.ceilMode = o.ceilMode ?? false;
  }

  extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, ceil_mode=${pyStr(this.ceilMode)}`;
  }
}

export class LPPool1d extends LPPoolNd {
  /** LPPool1d(norm_type, kernel_size, stride=None, ceil_mode=False) */
  constructor(...args: Call<LPPoolArgs & { kernelSize: number }, typeof LP_POOL.required, typeof LP_POOL.positional>) {
    super(args);
  }

  forward(input: Tensor): Tensor {
    return F.lpPool1d(input, this.normType, this.kernelSize as number, { stride: this.stride, ceilMode: this.ceilMode });
  }
}
export class LPPool2d extends LPPoolNd {
  /** LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False) */
  constructor(...args: ArgsOf<typeof LP_POOL>) {
    super(args);
  }

  forward(input: Tensor): Tensor {
    return F.lpPool2d(input, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode });
  }
}

type AdaptiveFn = (input: Tensor, outputSize: OptSize) => Tensor;

/** AdaptiveAvgPool's parameters by name: AdaptiveAvgPool2d(output_size). */
export type AdaptiveAvgPoolArgs<S extends OptSize = OptSize> = { outputSize: S };
const ADAPTIVE_AVG = signature<AdaptiveAvgPoolArgs>()(['outputSize'], []);
type AdaptiveAvgRest<S extends OptSize> = Call<AdaptiveAvgPoolArgs<S>, typeof ADAPTIVE_AVG.required, typeof ADAPTIVE_AVG.positional>;

/** PyTorch's _AdaptiveAvgPoolNd: output_size kept as given (None entries keep the input's size). */
export abstract class AdaptiveAvgPoolNd extends Module {
  readonly outputSize: OptSize;

  constructor(
    private readonly fn: AdaptiveFn,
    args: readonly unknown[],
  ) {
    super();
    this.outputSize = ADAPTIVE_AVG.bind(new.target.name, args).outputSize;
  }

  forward(input: Tensor): Tensor {
    return this.fn(input, this.outputSize);
  }

  extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}

const asAdaptive = (f: unknown) => f as AdaptiveFn;

export class AdaptiveAvgPool1d extends AdaptiveAvgPoolNd {
  /** AdaptiveAvgPool1d(output_size) */
  constructor(...args: AdaptiveAvgRest<Size>) {
    super(asAdaptive(F.adaptiveAvgPool1d), args);
  }
}
export class AdaptiveAvgPool2d extends AdaptiveAvgPoolNd {
  /** AdaptiveAvgPool2d(output_size); None (null) entries keep the input's size */
  constructor(...args: AdaptiveAvgRest<OptSize>) {
    super(asAdaptive(F.adaptiveAvgPool2d), args);
  }
}
export class AdaptiveAvgPool3d extends AdaptiveAvgPoolNd {
  /** AdaptiveAvgPool3d(output_size); None (null) entries keep the input's size */
  constructor(...args: AdaptiveAvgRest<OptSize>) {
    super(asAdaptive(F.adaptiveAvgPool3d), args);
  }
}

export type AdaptiveMaxPoolOptions<R extends boolean = boolean> = { returnIndices?: R };
/** AdaptiveMaxPool's parameters by name: AdaptiveMaxPool2d(output_size, return_indices=False). */
export type AdaptiveMaxPoolArgs<R extends boolean = boolean, S extends OptSize = OptSize> = { outputSize: S } & AdaptiveMaxPoolOptions<R>;
const ADAPTIVE_MAX = signature<AdaptiveMaxPoolArgs>()(['outputSize'], ['returnIndices']);
type AdaptiveMaxRest<R extends boolean, S extends OptSize> = Call<AdaptiveMaxPoolArgs<R, S>, typeof ADAPTIVE_MAX.required, typeof ADAPTIVE_MAX.positional>;
type AdaptiveMaxFn = (input: Tensor, outputSize: OptSize, options: { returnIndices: boolean }) => Tensor | [Tensor, Tensor];

/** PyTorch's _AdaptiveMaxPoolNd. */
export abstract class AdaptiveMaxPoolNd<R extends boolean = false> extends Module {
  readonly returnIndices: R;

  readonly outputSize: OptSize;

  constructor(
    private readonly fn: AdaptiveMaxFn,
    args: readonly unknown[],
  ) {
    super();
    const o = ADAPTIVE_MAX.bind(new.target.name, args);
    this.outputSize = o.outputSize;
    this.returnIndices = (o.returnIndices ?? false) as R;
  }

  forward(input: Tensor): PoolOutput<R> {
    return this.fn(input, this.outputSize, { returnIndices: this.returnIndices }) as PoolOutput<R>;
  }

  extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}

const asAdaptiveMax = (f: unknown) => f as AdaptiveMaxFn;

export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  /** AdaptiveMaxPool1d(output_size, return_indices=False) */
  constructor(...args: AdaptiveMaxRest<R, Size>) {
    super(asAdaptiveMax(F.adaptiveMaxPool1d), args);
  }
}
export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  /** AdaptiveMaxPool2d(output_size, return_indices=False); None (null) entries keep the input's size */
  constructor(...args: AdaptiveMaxRest<R, OptSize>) {
    super(asAdaptiveMax(F.adaptiveMaxPool2d), args);
  }
}
export class AdaptiveMaxPool3d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  /** AdaptiveMaxPool3d(output_size, return_indices=False); None (null) entries keep the input's size */
  constructor(...args: AdaptiveMaxRest<R, OptSize>) {
    super(asAdaptiveMax(F.adaptiveMaxPool3d), args);
  }
}

/** FractionalMaxPool's parameters by name: FractionalMaxPool2d(kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None). */
export type FractionalMaxPoolArgs<R extends boolean = boolean> = {
  kernelSize: Size; outputSize?: Size | null; outputRatio?: number | number[] | null; returnIndices?: R; _randomSamples?: Tensor | null;
};
const FRACTIONAL = signature<FractionalMaxPoolArgs>()(['kernelSize'], ['outputSize', 'outputRatio', 'returnIndices', '_randomSamples']);
type FractionalRest<R extends boolean> = Call<FractionalMaxPoolArgs<R>, typeof FRACTIONAL.required, typeof FRACTIONAL.positional>;
type FractionalFn = (input: Tensor, kernelSize: Size, options: F.FractionalMaxPoolOptions) => Tensor | [Tensor, Tensor];

/**
 * PyTorch's FractionalMaxPool2d/3d: sizes kept as _pair/_triple tuples, `_random_samples` a
 * buffer (None unless given: each forward then draws its samples from the global generator, as
 * Python does). Prints no settings, as in PyTorch.
 */
export abstract class FractionalMaxPoolNd<R extends boolean = false> extends Module {
  readonly kernelSize: number[];
  readonly returnIndices: R;
  readonly outputSize: number[] | null;
  readonly outputRatio: number[] | null;
  declare _random_samples: Tensor | null;

  constructor(
    n: 2 | 3,
    private readonly fn: FractionalFn,
    args: readonly unknown[],
  ) {
    super();
    const name = new.target.name;
    const o = FRACTIONAL.bind(name, args) as FractionalMaxPoolArgs<R>;
    this.kernelSize = ntuple(o.kernelSize, n);
    this.returnIndices = (o.returnIndices ?? false) as R;
    this.registerBuffer('_random_samples', o._randomSamples ?? null);
    this.outputSize = o.outputSize === null || o.outputSize === undefined ? null : ntuple(o.outputSize, n);
    this.outputRatio = o.outputRatio === null || o.outputRatio === undefined ? null : ntuple(o.outputRatio, n);
    if (this.outputSize === null && this.outputRatio === null) {
      throw new ValueError(`${name} requires specifying either an output size, or a pooling ratio`);
    }
    if (this.outputSize !== null && this.outputRatio !== null) throw new ValueError('only one of output_size and output_ratio may be specified');
    if (this.outputRatio !== null && !this.outputRatio.every((r) => 0 < r && r < 1)) {
      throw new ValueError(`output_ratio must be between 0 and 1 (got ${typeof o.outputRatio === 'number' ? pyFloat(o.outputRatio) : pyTuple(o.outputRatio!, pyFloat)})`);
    }
  }

  forward(input: Tensor): PoolOutput<R> {
    return this.fn(input, this.kernelSize, {
      outputSize: this.outputSize, outputRatio: this.outputRatio, returnIndices: this.returnIndices, _randomSamples: this._random_samples,
    }) as PoolOutput<R>;
  }
}

export class FractionalMaxPool2d<R extends boolean = false> extends FractionalMaxPoolNd<R> {
  /** FractionalMaxPool2d(kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None) */
  constructor(...args: FractionalRest<R>) {
    super(2, F.fractionalMaxPool2d as FractionalFn, args);
  }
}
export class FractionalMaxPool3d<R extends boolean = false> extends FractionalMaxPoolNd<R> {
  /** FractionalMaxPool3d(kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None) */
  constructor(...args: FractionalRest<R>) {
    super(3, F.fractionalMaxPool3d as FractionalFn, args);
  }
}
