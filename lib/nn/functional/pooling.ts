// Pooling: max (with indices), average, adaptive, power-average (lp) and max-unpooling, each on the
// ATen op Python's F uses.
import { Tensor, TorchError, aten } from './torch';
import { Rest, parse, ntuple } from './args';
import { relu } from './activation';
import { rand } from '../../tensor/create';
import { ValueError } from '../../errors';

type Size = number | readonly number[];

export type MaxPoolOptions = { stride?: Size | null; padding?: Size; dilation?: Size; ceilMode?: boolean; returnIndices?: boolean };
const MAX_POOL = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'] as const;

function maxPool(name: string, plain: string, withIndices: string) {
  const f = aten(plain);
  const fi = aten(withIndices);
  return (input: Tensor, kernelSize: Size, rest: readonly unknown[], fn = name): Tensor | [Tensor, Tensor] => {
    const o = parse<MaxPoolOptions>(fn, rest, MAX_POOL);
    const args = [input, kernelSize, o.stride ?? [], o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false];
    return (o.returnIndices ? fi(args) : f(args)) as Tensor | [Tensor, Tensor];
  };
}
const mp1 = maxPool('maxPool1d', 'max_pool1d', 'max_pool1d_with_indices');
const mp2 = maxPool('maxPool2d', 'max_pool2d', 'max_pool2d_with_indices');
const mp3 = maxPool('maxPool3d', 'max_pool3d', 'max_pool3d_with_indices');

type WithIndices = MaxPoolOptions & { returnIndices: true };

/** F.max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False) */
export function maxPool1d(input: Tensor, kernelSize: Size, options: WithIndices): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Size, ...rest: Rest<MaxPoolOptions, typeof MAX_POOL>): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return mp1(input, kernelSize, rest);
}
/** F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False) */
export function maxPool2d(input: Tensor, kernelSize: Size, options: WithIndices): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Size, ...rest: Rest<MaxPoolOptions, typeof MAX_POOL>): Tensor;
export function maxPool2d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return mp2(input, kernelSize, rest);
}
/** F.max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False) */
export function maxPool3d(input: Tensor, kernelSize: Size, options: WithIndices): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: Size, ...rest: Rest<MaxPoolOptions, typeof MAX_POOL>): Tensor;
export function maxPool3d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return mp3(input, kernelSize, rest);
}
/** F.max_pool{1,2,3}d_with_indices: [output, indices] */
export const maxPool1dWithIndices = (input: Tensor, kernelSize: Size, options: MaxPoolOptions = {}): [Tensor, Tensor] =>
  mp1(input, kernelSize, [{ ...options, returnIndices: true }], 'maxPool1dWithIndices') as [Tensor, Tensor];
export const maxPool2dWithIndices = (input: Tensor, kernelSize: Size, options: MaxPoolOptions = {}): [Tensor, Tensor] =>
  mp2(input, kernelSize, [{ ...options, returnIndices: true }], 'maxPool2dWithIndices') as [Tensor, Tensor];
export const maxPool3dWithIndices = (input: Tensor, kernelSize: Size, options: MaxPoolOptions = {}): [Tensor, Tensor] =>
  mp3(input, kernelSize, [{ ...options, returnIndices: true }], 'maxPool3dWithIndices') as [Tensor, Tensor];

export type AvgPoolOptions = { stride?: Size | null; padding?: Size; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null };
const AVG_POOL1 = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;
const AVG_POOL = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;
const avg = { 1: aten('avg_pool1d'), 2: aten('avg_pool2d'), 3: aten('avg_pool3d') };

function avgPool(n: 1 | 2 | 3, input: Tensor, kernelSize: Size, rest: readonly unknown[]): Tensor {
  const o = parse<AvgPoolOptions>(`avgPool${n}d`, rest, n === 1 ? AVG_POOL1 : AVG_POOL);
  const args: unknown[] = [input, kernelSize, o.stride ?? [], o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true];
  if (n > 1) args.push(o.divisorOverride ?? null);
  return avg[n](args) as Tensor;
}
/** F.avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True) */
export const avgPool1d = (input: Tensor, kernelSize: Size, ...rest: Rest<Omit<AvgPoolOptions, 'divisorOverride'>, typeof AVG_POOL1>): Tensor =>
  avgPool(1, input, kernelSize, rest);
/** F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
export const avgPool2d = (input: Tensor, kernelSize: Size, ...rest: Rest<AvgPoolOptions, typeof AVG_POOL>): Tensor => avgPool(2, input, kernelSize, rest);
/** F.avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
export const avgPool3d = (input: Tensor, kernelSize: Size, ...rest: Rest<AvgPoolOptions, typeof AVG_POOL>): Tensor => avgPool(3, input, kernelSize, rest);

type OutSize = number | readonly (number | null)[];

/** Python's _list_with_default: None entries of an output size take the input's size there. */
function withDefault(size: OutSize, input: Tensor): number | number[] {
  if (typeof size === 'number') return size;
  const shape = input.shape;
  if (shape.length <= size.length) throw new TorchError(`Input dimension should be at least ${size.length + 1}`);
  const tail = shape.slice(shape.length - size.length);
  return size.map((v, i) => v ?? tail[i]);
}

const adaptiveAvg = { 1: aten('adaptive_avg_pool1d'), 2: aten('adaptive_avg_pool2d'), 3: aten('adaptive_avg_pool3d') };
const adaptiveMax = { 1: aten('adaptive_max_pool1d'), 2: aten('adaptive_max_pool2d'), 3: aten('adaptive_max_pool3d') };

/** F.adaptive_avg_pool1d(input, output_size) */
export const adaptiveAvgPool1d = (input: Tensor, outputSize: Size): Tensor => adaptiveAvg[1]([input, outputSize]) as Tensor;
/** F.adaptive_avg_pool2d(input, output_size); None entries keep the input size */
export const adaptiveAvgPool2d = (input: Tensor, outputSize: OutSize): Tensor => adaptiveAvg[2]([input, withDefault(outputSize, input)]) as Tensor;
/** F.adaptive_avg_pool3d(input, output_size); None entries keep the input size */
export const adaptiveAvgPool3d = (input: Tensor, outputSize: OutSize): Tensor => adaptiveAvg[3]([input, withDefault(outputSize, input)]) as Tensor;

type ReturnIndices = { returnIndices?: boolean };
const RETURN_INDICES = ['returnIndices'] as const;

function adaptiveMaxPool(n: 1 | 2 | 3, input: Tensor, outputSize: OutSize, rest: readonly unknown[]): Tensor | [Tensor, Tensor] {
  const o = parse<ReturnIndices>(`adaptiveMaxPool${n}d`, rest, RETURN_INDICES);
  const size = n === 1 ? outputSize : withDefault(outputSize, input);
  const [out, indices] = adaptiveMax[n]([input, size]) as [Tensor, Tensor];
  return o.returnIndices ? [out, indices] : out;
}
/** F.adaptive_max_pool1d(input, output_size, return_indices=False) */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, ...rest: Rest<ReturnIndices, typeof RETURN_INDICES>): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool(1, input, outputSize, rest);
}
/** F.adaptive_max_pool2d(input, output_size, return_indices=False) */
export function adaptiveMaxPool2d(input: Tensor, outputSize: OutSize, returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: OutSize, options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: OutSize, ...rest: Rest<ReturnIndices, typeof RETURN_INDICES>): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: OutSize, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool(2, input, outputSize, rest);
}
/** F.adaptive_max_pool3d(input, output_size, return_indices=False) */
export function adaptiveMaxPool3d(input: Tensor, outputSize: OutSize, returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: OutSize, options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: OutSize, ...rest: Rest<ReturnIndices, typeof RETURN_INDICES>): Tensor;
export function adaptiveMaxPool3d(input: Tensor, outputSize: OutSize, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool(3, input, outputSize, rest);
}

/** F.adaptive_max_pool{1,2,3}d_with_indices(input, output_size, return_indices=False): always [output, indices] */
export const adaptiveMaxPool1dWithIndices = (input: Tensor, outputSize: Size, ..._returnIndices: [returnIndices?: boolean] | [{ returnIndices?: boolean }]): [Tensor, Tensor] =>
  adaptiveMaxPool(1, input, outputSize, [{ returnIndices: true }]) as [Tensor, Tensor];
export const adaptiveMaxPool2dWithIndices = (input: Tensor, outputSize: OutSize, ..._returnIndices: [returnIndices?: boolean] | [{ returnIndices?: boolean }]): [Tensor, Tensor] =>
  adaptiveMaxPool(2, input, outputSize, [{ returnIndices: true }]) as [Tensor, Tensor];
export const adaptiveMaxPool3dWithIndices = (input: Tensor, outputSize: OutSize, ..._returnIndices: [returnIndices?: boolean] | [{ returnIndices?: boolean }]): [Tensor, Tensor] =>
  adaptiveMaxPool(3, input, outputSize, [{ returnIndices: true }]) as [Tensor, Tensor];

export type FractionalMaxPoolOptions = {
  outputSize?: Size | null; outputRatio?: number | readonly number[] | null; returnIndices?: boolean; _randomSamples?: Tensor | null;
};
const FRACTIONAL = ['outputSize', 'outputRatio', 'returnIndices', '_randomSamples'] as const;
const fractional = { 2: aten('fractional_max_pool2d'), 3: aten('fractional_max_pool3d') };

function fractionalMaxPool(n: 2 | 3, input: Tensor, kernelSize: Size, rest: readonly unknown[], fn: string): Tensor | [Tensor, Tensor] {
  const o = parse<FractionalMaxPoolOptions>(fn, rest, FRACTIONAL);
  let outputSize = o.outputSize ?? null;
  if (outputSize === null && (o.outputRatio === undefined || o.outputRatio === null)) {
    throw new ValueError(`fractional_max_pool${n}d requires specifying either an output_size or an output_ratio`);
  }
  if (outputSize === null) {
    const ratio = ntuple(o.outputRatio!, n);
    outputSize = ratio.map((r, i) => Math.trunc(input.size(i - n) * r));
  }
  // Python draws torch.rand(n_batch, C, n) from the global generator, in the input's dtype and device
  let samples = o._randomSamples ?? null;
  if (samples === null) {
    const nBatch = input.dim() === n + 1 ? 1 : input.size(0);
    samples = rand([nBatch, input.size(-n - 1), n], { dtype: input.dtype, device: input.device });
  }
  const [out, indices] = fractional[n]([input, kernelSize, outputSize, samples]) as [Tensor, Tensor];
  return o.returnIndices ? [out, indices] : out;
}
type FractionalWithIndices = FractionalMaxPoolOptions & { returnIndices: true };
/** F.fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None) */
export function fractionalMaxPool2d(input: Tensor, kernelSize: Size, options: FractionalWithIndices): [Tensor, Tensor];
export function fractionalMaxPool2d(input: Tensor, kernelSize: Size, ...rest: Rest<FractionalMaxPoolOptions, typeof FRACTIONAL>): Tensor;
export function fractionalMaxPool2d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return fractionalMaxPool(2, input, kernelSize, rest, 'fractionalMaxPool2d');
}
/** F.fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None) */
export function fractionalMaxPool3d(input: Tensor, kernelSize: Size, options: FractionalWithIndices): [Tensor, Tensor];
export function fractionalMaxPool3d(input: Tensor, kernelSize: Size, ...rest: Rest<FractionalMaxPoolOptions, typeof FRACTIONAL>): Tensor;
export function fractionalMaxPool3d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return fractionalMaxPool(3, input, kernelSize, rest, 'fractionalMaxPool3d');
}
/** F.fractional_max_pool{2,3}d_with_indices: [output, indices] whatever return_indices says */
export const fractionalMaxPool2dWithIndices = (input: Tensor, kernelSize: Size, ...rest: Rest<FractionalMaxPoolOptions, typeof FRACTIONAL>): [Tensor, Tensor] =>
  fractionalWithIndices(2, input, kernelSize, rest);
export const fractionalMaxPool3dWithIndices = (input: Tensor, kernelSize: Size, ...rest: Rest<FractionalMaxPoolOptions, typeof FRACTIONAL>): [Tensor, Tensor] =>
  fractionalWithIndices(3, input, kernelSize, rest);
function fractionalWithIndices(n: 2 | 3, input: Tensor, kernelSize: Size, rest: readonly unknown[]): [Tensor, Tensor] {
  const o = parse<FractionalMaxPoolOptions>(`fractionalMaxPool${n}dWithIndices`, rest, FRACTIONAL);
  return fractionalMaxPool(n, input, kernelSize, [{ ...o, returnIndices: true }], `fractionalMaxPool${n}dWithIndices`) as [Tensor, Tensor];
}

type LpPoolOptions = { stride?: Size | null; ceilMode?: boolean };
const LP_POOL = ['stride', 'ceilMode'] as const;

/** F.lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False) */
export function lpPool1d(input: Tensor, normType: number, kernelSize: number, ...rest: Rest<LpPoolOptions, typeof LP_POOL>): Tensor {
  const o = parse<LpPoolOptions>('lpPool1d', rest, LP_POOL);
  const out = avgPool1d(input.pow(normType), kernelSize, { stride: o.stride ?? null, padding: 0, ceilMode: o.ceilMode ?? false });
  return out.sign().mul(relu(out.abs())).mul(kernelSize).pow(1.0 / normType);
}
/** F.lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False) */
export function lpPool2d(input: Tensor, normType: number, kernelSize: Size, ...rest: Rest<LpPoolOptions, typeof LP_POOL>): Tensor {
  const o = parse<LpPoolOptions>('lpPool2d', rest, LP_POOL);
  const [kw, kh] = ntuple(kernelSize, 2);
  const out = avgPool2d(input.pow(normType), kernelSize, { stride: o.stride ?? null, padding: 0, ceilMode: o.ceilMode ?? false });
  return out.sign().mul(relu(out.abs())).mul(kw * kh).pow(1.0 / normType);
}

/** Python's _unpool_output_size: the default size, or a checked explicit one. */
function unpoolOutputSize(input: Tensor, kernel: number[], stride: number[], padding: number[], outputSize: readonly number[] | null | undefined): readonly number[] {
  const shape = input.shape;
  const n = kernel.length;
  const defaults = kernel.map((k, d) => (shape[shape.length - n + d] - 1) * stride[d] + k - 2 * padding[d]);
  if (outputSize === null || outputSize === undefined) return defaults;
  let size = outputSize;
  if (size.length === n + 2) size = size.slice(2);
  if (size.length !== n) {
    throw new TorchError(`output_size should be a sequence containing ${n} or ${n + 2} elements, but it has a length of '${size.length}'`);
  }
  for (let d = 0; d < n; d++) {
    const min = defaults[d] - stride[d];
    const max = defaults[d] + stride[d];
    if (!(min < size[d] && size[d] < max)) {
      throw new TorchError(`invalid output_size "${JSON.stringify(outputSize)}" (dim ${d} must be between ${min} and ${max})`);
    }
  }
  return size;
}

export type MaxUnpoolOptions = { stride?: Size | null; padding?: Size; outputSize?: readonly number[] | null };
const UNPOOL = ['stride', 'padding', 'outputSize'] as const;
const unpool2d = aten('max_unpool2d');
const unpool3d = aten('max_unpool3d');

function unpoolArgs(n: number, input: Tensor, kernelSize: Size, rest: readonly unknown[]): [readonly number[], number[], number[]] {
  const o = parse<MaxUnpoolOptions>(`maxUnpool${n}d`, rest, UNPOOL);
  const kernel = ntuple(kernelSize, n);
  const stride = o.stride === null || o.stride === undefined ? kernel : ntuple(o.stride, n);
  const padding = ntuple(o.padding ?? 0, n);
  return [unpoolOutputSize(input, kernel, stride, padding, o.outputSize), stride, padding];
}
/** F.max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None) */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: Size, ...rest: Rest<MaxUnpoolOptions, typeof UNPOOL>): Tensor {
  const [size] = unpoolArgs(1, input, kernelSize, rest);
  return (unpool2d([input.unsqueeze(-1), indices.unsqueeze(-1), [...size, 1]]) as Tensor).squeeze(-1);
}
/** F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None) */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: Size, ...rest: Rest<MaxUnpoolOptions, typeof UNPOOL>): Tensor {
  const [size] = unpoolArgs(2, input, kernelSize, rest);
  return unpool2d([input, indices, size]) as Tensor;
}
/** F.max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None) */
export function maxUnpool3d(input: Tensor, indices: Tensor, kernelSize: Size, ...rest: Rest<MaxUnpoolOptions, typeof UNPOOL>): Tensor {
  const [size, stride, padding] = unpoolArgs(3, input, kernelSize, rest);
  return unpool3d([input, indices, size, stride, padding]) as Tensor;
}
