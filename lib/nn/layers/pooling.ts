// Pooling layers (torch/nn/modules/pooling.py): max, average, adaptive, power-average and
// max-unpooling. One base class per kind, as PyTorch's _MaxPoolNd etc.; the 1d/2d/3d classes only
// pick the functional op. Settings are kept as PyTorch keeps them (raw or as tuples) so reprs match.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Rest, parse } from '../functional/args';
import * as F from '../functional/pooling';
import { OptSize, Size, ntuple, py } from './size-args';

/** What a pooling layer returns: the output, or [output, indices] when built with returnIndices. */
export type PoolOutput<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

export type MaxPoolOptions<R extends boolean = boolean> = {
  stride?: Size | null; padding?: Size; dilation?: Size; returnIndices?: R; ceilMode?: boolean;
};
const MAX_POOL_ARGS = ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'] as const;
type MaxPoolRest<R extends boolean> = Rest<MaxPoolOptions<R>, typeof MAX_POOL_ARGS>;

type MaxPoolFn = (input: Tensor, kernelSize: Size, options: F.MaxPoolOptions) => Tensor | [Tensor, Tensor];

/** PyTorch's _MaxPoolNd. */
export abstract class MaxPoolNd<R extends boolean = false> extends Module {
  readonly stride: Size;
  readonly padding: Size;
  readonly dilation: Size;
  readonly returnIndices: R;
  readonly ceilMode: boolean;

  constructor(
    private readonly fn: MaxPoolFn,
    readonly kernelSize: Size,
    rest: readonly unknown[],
  ) {
    super();
    const o = parse<MaxPoolOptions<R>>(new.target.name, rest, MAX_POOL_ARGS);
    this.stride = o.stride ?? kernelSize;
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
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${py(this.ceilMode)}`;
  }
}

export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R> {
  /** MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False) */
  constructor(kernelSize: Size, ...rest: MaxPoolRest<R>) {
    super(F.maxPool1d, kernelSize, rest);
  }
}
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R> {
  /** MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False) */
  constructor(kernelSize: Size, ...rest: MaxPoolRest<R>) {
    super(F.maxPool2d, kernelSize, rest);
  }
}
export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R> {
  /** MaxPool3d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False) */
  constructor(kernelSize: Size, ...rest: MaxPoolRest<R>) {
    super(F.maxPool3d, kernelSize, rest);
  }
}

export type MaxUnpoolOptions = { stride?: Size | null; padding?: Size };
const MAX_UNPOOL_ARGS = ['stride', 'padding'] as const;
type MaxUnpoolFn = (input: Tensor, indices: Tensor, kernelSize: Size, options: F.MaxUnpoolOptions) => Tensor;

/** PyTorch's _MaxUnpoolNd: kernel, stride and padding kept as tuples. */
export abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];

  constructor(
    private readonly fn: MaxUnpoolFn,
    dims: number,
    kernelSize: Size,
    rest: readonly unknown[],
  ) {
    super();
    const o = parse<MaxUnpoolOptions>(new.target.name, rest, MAX_UNPOOL_ARGS);
    this.kernelSize = ntuple(kernelSize, dims);
    this.stride = ntuple(o.stride ?? kernelSize, dims);
    this.padding = ntuple(o.padding ?? 0, dims);
  }

  forward(input: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    return this.fn(input, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize: outputSize ?? null });
  }

  extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

export class MaxUnpool1d extends MaxUnpoolNd {
  /** MaxUnpool1d(kernel_size, stride=None, padding=0); forward(input, indices, output_size=None) */
  constructor(kernelSize: Size, ...rest: Rest<MaxUnpoolOptions, typeof MAX_UNPOOL_ARGS>) {
    super(F.maxUnpool1d, 1, kernelSize, rest);
  }
}
export class MaxUnpool2d extends MaxUnpoolNd {
  /** MaxUnpool2d(kernel_size, stride=None, padding=0); forward(input, indices, output_size=None) */
  constructor(kernelSize: Size, ...rest: Rest<MaxUnpoolOptions, typeof MAX_UNPOOL_ARGS>) {
    super(F.maxUnpool2d, 2, kernelSize, rest);
  }
}
export class MaxUnpool3d extends MaxUnpoolNd {
  /** MaxUnpool3d(kernel_size, stride=None, padding=0); forward(input, indices, output_size=None) */
  constructor(kernelSize: Size, ...rest: Rest<MaxUnpoolOptions, typeof MAX_UNPOOL_ARGS>) {
    super(F.maxUnpool3d, 3, kernelSize, rest);
  }
}

export type AvgPool1dOptions = { stride?: Size | null; padding?: Size; ceilMode?: boolean; countIncludePad?: boolean };
const AVG_POOL1_ARGS = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;
export type AvgPoolOptions = AvgPool1dOptions & { divisorOverride?: number | null };
const AVG_POOL_ARGS = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;
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
    kernelSize: Size,
    rest: readonly unknown[],
  ) {
    super();
    const o = parse<AvgPoolOptions>(new.target.name, rest, dims === 1 ? AVG_POOL1_ARGS : AVG_POOL_ARGS);
    const keep = (s: Size) => (dims === 1 ? ntuple(s, 1) : s);
    this.kernelSize = keep(kernelSize);
    this.stride = keep(o.stride ?? kernelSize);
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
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

export class AvgPool1d extends AvgPoolNd {
  /** AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True) */
  constructor(kernelSize: Size, ...rest: Rest<AvgPool1dOptions, typeof AVG_POOL1_ARGS>) {
    super(F.avgPool1d, 1, kernelSize, rest);
  }
}
export class AvgPool2d extends AvgPoolNd {
  /** AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
  constructor(kernelSize: Size, ...rest: Rest<AvgPoolOptions, typeof AVG_POOL_ARGS>) {
    super(F.avgPool2d, 2, kernelSize, rest);
  }
}
export class AvgPool3d extends AvgPoolNd {
  /** AvgPool3d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
  constructor(kernelSize: Size, ...rest: Rest<AvgPoolOptions, typeof AVG_POOL_ARGS>) {
    super(F.avgPool3d, 3, kernelSize, rest);
  }
}

export type LPPoolOptions = { stride?: Size | null; ceilMode?: boolean };
const LP_POOL_ARGS = ['stride', 'ceilMode'] as const;

/** PyTorch's _LPPoolNd: (mean of x^p over the window * window size)^(1/p). */
export abstract class LPPoolNd extends Module {
  readonly stride: Size | null;
  readonly ceilMode: boolean;

  constructor(
    readonly normType: number,
    readonly kernelSize: Size,
    rest: readonly unknown[],
  ) {
    super();
    const o = parse<LPPoolOptions>(new.target.name, rest, LP_POOL_ARGS);
    this.stride = o.stride ?? null;
    this.ceilMode = o.ceilMode ?? false;
  }

  extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, ceil_mode=${py(this.ceilMode)}`;
  }
}

export class LPPool1d extends LPPoolNd {
  /** LPPool1d(norm_type, kernel_size, stride=None, ceil_mode=False) */
  constructor(normType: number, kernelSize: number, ...rest: Rest<LPPoolOptions, typeof LP_POOL_ARGS>) {
    super(normType, kernelSize, rest);
  }

  forward(input: Tensor): Tensor {
    return F.lpPool1d(input, this.normType, this.kernelSize as number, { stride: this.stride, ceilMode: this.ceilMode });
  }
}
export class LPPool2d extends LPPoolNd {
  /** LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False) */
  constructor(normType: number, kernelSize: Size, ...rest: Rest<LPPoolOptions, typeof LP_POOL_ARGS>) {
    super(normType, kernelSize, rest);
  }

  forward(input: Tensor): Tensor {
    return F.lpPool2d(input, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode });
  }
}

type AdaptiveFn = (input: Tensor, outputSize: OptSize) => Tensor;

/** PyTorch's _AdaptiveAvgPoolNd: output_size kept as given (None entries keep the input's size). */
export abstract class AdaptiveAvgPoolNd extends Module {
  constructor(
    private readonly fn: AdaptiveFn,
    readonly outputSize: OptSize,
  ) {
    super();
  }

  forward(input: Tensor): Tensor {
    return this.fn(input, this.outputSize);
  }

  extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

const asAdaptive = (f: unknown) => f as AdaptiveFn;

export class AdaptiveAvgPool1d extends AdaptiveAvgPoolNd {
  /** AdaptiveAvgPool1d(output_size) */
  constructor(outputSize: Size) {
    super(asAdaptive(F.adaptiveAvgPool1d), outputSize);
  }
}
export class AdaptiveAvgPool2d extends AdaptiveAvgPoolNd {
  /** AdaptiveAvgPool2d(output_size); None (null) entries keep the input's size */
  constructor(outputSize: OptSize) {
    super(asAdaptive(F.adaptiveAvgPool2d), outputSize);
  }
}
export class AdaptiveAvgPool3d extends AdaptiveAvgPoolNd {
  /** AdaptiveAvgPool3d(output_size); None (null) entries keep the input's size */
  constructor(outputSize: OptSize) {
    super(asAdaptive(F.adaptiveAvgPool3d), outputSize);
  }
}

export type AdaptiveMaxPoolOptions<R extends boolean = boolean> = { returnIndices?: R };
const ADAPTIVE_MAX_ARGS = ['returnIndices'] as const;
type AdaptiveMaxRest<R extends boolean> = Rest<AdaptiveMaxPoolOptions<R>, typeof ADAPTIVE_MAX_ARGS>;
type AdaptiveMaxFn = (input: Tensor, outputSize: OptSize, options: { returnIndices: boolean }) => Tensor | [Tensor, Tensor];

/** PyTorch's _AdaptiveMaxPoolNd. */
export abstract class AdaptiveMaxPoolNd<R extends boolean = false> extends Module {
  readonly returnIndices: R;

  constructor(
    private readonly fn: AdaptiveMaxFn,
    readonly outputSize: OptSize,
    rest: readonly unknown[],
  ) {
    super();
    this.returnIndices = (parse<AdaptiveMaxPoolOptions<R>>(new.target.name, rest, ADAPTIVE_MAX_ARGS).returnIndices ?? false) as R;
  }

  forward(input: Tensor): PoolOutput<R> {
    return this.fn(input, this.outputSize, { returnIndices: this.returnIndices }) as PoolOutput<R>;
  }

  extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

const asAdaptiveMax = (f: unknown) => f as AdaptiveMaxFn;

export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  /** AdaptiveMaxPool1d(output_size, return_indices=False) */
  constructor(outputSize: Size, ...rest: AdaptiveMaxRest<R>) {
    super(asAdaptiveMax(F.adaptiveMaxPool1d), outputSize, rest);
  }
}
export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  /** AdaptiveMaxPool2d(output_size, return_indices=False); None (null) entries keep the input's size */
  constructor(outputSize: OptSize, ...rest: AdaptiveMaxRest<R>) {
    super(asAdaptiveMax(F.adaptiveMaxPool2d), outputSize, rest);
  }
}
export class AdaptiveMaxPool3d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  /** AdaptiveMaxPool3d(output_size, return_indices=False); None (null) entries keep the input's size */
  constructor(outputSize: OptSize, ...rest: AdaptiveMaxRest<R>) {
    super(asAdaptiveMax(F.adaptiveMaxPool3d), outputSize, rest);
  }
}
