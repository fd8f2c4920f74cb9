// torch.ao.nn.quantized.functional (torch.nn.quantized.functional): functions over quantized tensors.
// Most are the float F functions behind a check that the input is quantized; the convolutions and
// linear pack their weight on each call (quantized::conv*_prepack, linear_prepack) as Python does.
import { NotImplementedError, TorchError, ValueError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { quint8, qint8 } from '../../tensor/dtype';
import { aten } from '../../tensor/aten';
import { clamp as torchClamp } from '../../ops/generated/functions';
import { Rest, parse } from '../functional/args';
import * as F from '../functional';
import { InterpolateMode } from '../functional/vision';
import { Size, ntuple } from '../layers/size-args';
import { prepack, qop } from './ops';
import '../../ao/quantization/tensor-methods';

function checkQuantized(input: Tensor, name: string): void {
  if (!input.isQuantized) throw new ValueError(`Input to '${name}' must be quantized!`);
}

export type AvgPoolOptions = F.AvgPoolOptions;
const AVG_POOL = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;

/** avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
export function avgPool2d(input: Tensor, kernelSize: Size, ...rest: Rest<AvgPoolOptions, typeof AVG_POOL>): Tensor {
  checkQuantized(input, 'quantized.avg_pool2d');
  return F.avgPool2d(input, kernelSize, parse<AvgPoolOptions>('avgPool2d', rest, AVG_POOL));
}
/** avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) */
export function avgPool3d(input: Tensor, kernelSize: Size, ...rest: Rest<AvgPoolOptions, typeof AVG_POOL>): Tensor {
  checkQuantized(input, 'quantized.avg_pool3d');
  return F.avgPool3d(input, kernelSize, parse<AvgPoolOptions>('avgPool3d', rest, AVG_POOL));
}
/** adaptive_avg_pool2d(input, output_size) */
export function adaptiveAvgPool2d(input: Tensor, outputSize: Parameters<typeof F.adaptiveAvgPool2d>[1]): Tensor {
  checkQuantized(input, 'quantized.functional.adaptive_avg_pool2d');
  return F.adaptiveAvgPool2d(input, outputSize);
}
/** adaptive_avg_pool3d(input, output_size) */
export function adaptiveAvgPool3d(input: Tensor, outputSize: Parameters<typeof F.adaptiveAvgPool3d>[1]): Tensor {
  checkQuantized(input, 'quantized.functional.adaptive_avg_pool3d');
  return F.adaptiveAvgPool3d(input, outputSize);
}

export type QConvOptions = { stride?: Size; padding?: Size; dilation?: Size; groups?: number; paddingMode?: string; scale?: number; zeroPoint?: number; dtype?: unknown };
const QCONV = ['stride', 'padding', 'dilation', 'groups', 'paddingMode', 'scale', 'zeroPoint', 'dtype'] as const;
const CONV_SHAPES = { 1: '(N, C, L)', 2: '(N, C, H, W)', 3: '(N, C, D, H, W)' };
const CONV_OPS = { 1: 'quantized::conv1d', 2: 'quantized::conv2d.new', 3: 'quantized::conv3d.new' };

function qconv(dims: 1 | 2 | 3, input: Tensor, weight: Tensor, bias: Tensor | null, rest: unknown[]): Tensor {
  const o = parse<QConvOptions>(`conv${dims}d`, rest as never, QCONV);
  if ((o.paddingMode ?? 'zeros') !== 'zeros') throw new NotImplementedError('Only zero-padding is supported!');
  if (input.dtype !== quint8) throw new NotImplementedError('Only torch.quint8 is supported for activation tensor!');
  if (weight.dtype !== qint8) throw new NotImplementedError('Only torch.qint8 is supported for weight tensor!');
  if (input.dim() !== dims + 2) throw new ValueError(`Input shape must be \`${CONV_SHAPES[dims]}\`!`);
  // conv1d packs as a 2-d convolution: two entries, the first repeated (Python's _pair_from_first)
  const tuple = (v: Size): number[] => (dims !== 1 ? ntuple(v, dims) : typeof v !== 'number' && v.length === 2 ? [...v] : ntuple(typeof v === 'number' ? v : v[0], 2));
  const packed = prepack(`quantized::conv${dims}d_prepack`, weight, bias, tuple(o.stride ?? 1), tuple(o.padding ?? 0), tuple(o.dilation ?? 1), o.groups ?? 1);
  return qop(CONV_OPS[dims], input, packed, o.scale ?? 1.0, o.zeroPoint ?? 0);
}
/** conv1d(input, weight, bias, stride=1, padding=0, dilation=1, groups=1, padding_mode='zeros', scale=1.0, zero_point=0, dtype=torch.quint8) */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null, ...rest: Rest<QConvOptions, typeof QCONV>): Tensor {
  return qconv(1, input, weight, bias, rest);
}
/** conv2d(input, weight, bias, stride=1, padding=0, dilation=1, groups=1, padding_mode='zeros', scale=1.0, zero_point=0, dtype=torch.quint8) */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null, ...rest: Rest<QConvOptions, typeof QCONV>): Tensor {
  return qconv(2, input, weight, bias, rest);
}
/** conv3d(input, weight, bias, stride=1, padding=0, dilation=1, groups=1, padding_mode='zeros', scale=1.0, zero_point=0, dtype=torch.quint8) */
export function conv3d(input: Tensor, weight: Tensor, bias: Tensor | null, ...rest: Rest<QConvOptions, typeof QCONV>): Tensor {
  return qconv(3, input, weight, bias, rest);
}

export type InterpolateOptions = { size?: Size | null; scaleFactor?: number | number[] | null; mode?: InterpolateMode; alignCorners?: boolean | null };
const INTERPOLATE = ['size', 'scaleFactor', 'mode', 'alignCorners'] as const;
/** interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None) */
export function interpolate(input: Tensor, ...rest: Rest<InterpolateOptions, typeof INTERPOLATE>): Tensor {
  checkQuantized(input, 'quantized.interpolate');
  const o = parse<InterpolateOptions>('interpolate', rest, INTERPOLATE);
  return F.interpolate(input, { size: o.size ?? null, scaleFactor: o.scaleFactor ?? null, mode: o.mode ?? 'nearest', alignCorners: o.alignCorners ?? null });
}
/** upsample(...): deprecated, interpolate with a warning */
export function upsample(input: Tensor, ...rest: Rest<InterpolateOptions, typeof INTERPOLATE>): Tensor {
  warn('nn.quantized.functional.upsample is deprecated. Use nn.quantized.functional.interpolate instead.');
  return interpolate(input, ...rest);
}
type UpsampleOptions = { size?: Size | null; scaleFactor?: number | number[] | null };
const UPSAMPLE = ['size', 'scaleFactor'] as const;
/** upsample_bilinear(input, size=None, scale_factor=None): deprecated, bilinear with align_corners=True */
export function upsampleBilinear(input: Tensor, ...rest: Rest<UpsampleOptions, typeof UPSAMPLE>): Tensor {
  warn('nn.quantized.functional.upsample_bilinear is deprecated. Use nn.quantized.functional.interpolate instead.');
  const o = parse<UpsampleOptions>('upsampleBilinear', rest, UPSAMPLE);
  return interpolate(input, { ...o, mode: 'bilinear', alignCorners: true });
}
/** upsample_nearest(input, size=None, scale_factor=None): deprecated */
export function upsampleNearest(input: Tensor, ...rest: Rest<UpsampleOptions, typeof UPSAMPLE>): Tensor {
  warn('nn.quantized.functional.upsample_nearest is deprecated. Use nn.quantized.functional.interpolate instead.');
  const o = parse<UpsampleOptions>('upsampleNearest', rest, UPSAMPLE);
  return interpolate(input, { ...o, mode: 'nearest' });
}

/** linear(input, weight, bias=None, scale=None, zero_point=None): the output qparams default to the input's */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null, scale: number | null = null, zeroPoint: number | null = null): Tensor {
  const packed = prepack('quantized::linear_prepack', weight, bias);
  return qop('quantized::linear', input, packed, scale ?? input.qScale(), zeroPoint ?? input.qZeroPoint());
}

type MaxPoolOptions = { stride?: Size | null; padding?: Size; dilation?: Size; ceilMode?: boolean; returnIndices?: boolean };
const MAX_POOL = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'] as const;
function maxPool(n: 1 | 2, input: Tensor, kernelSize: Size, rest: unknown[]): Tensor {
  const o = parse<MaxPoolOptions>(`maxPool${n}d`, rest as never, MAX_POOL);
  if (o.returnIndices) throw new NotImplementedError('return_indices is not yet implemented!');
  const options = { stride: o.stride ?? [], padding: o.padding ?? 0, dilation: o.dilation ?? 1, ceilMode: o.ceilMode ?? false };
  return n === 1 ? F.maxPool1d(input, kernelSize, options) : F.maxPool2d(input, kernelSize, options);
}
/** max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False) */
export function maxPool1d(input: Tensor, kernelSize: Size, ...rest: Rest<MaxPoolOptions, typeof MAX_POOL>): Tensor {
  return maxPool(1, input, kernelSize, rest);
}
/** max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False) */
export function maxPool2d(input: Tensor, kernelSize: Size, ...rest: Rest<MaxPoolOptions, typeof MAX_POOL>): Tensor {
  return maxPool(2, input, kernelSize, rest);
}

/** celu(input, scale, zero_point, alpha=1.0) */
export function celu(input: Tensor, scale: number, zeroPoint: number, alpha = 1.0): Tensor {
  checkQuantized(input, 'quantized.celu');
  return qop('quantized::celu', input, scale, zeroPoint, alpha);
}

type LeakyOptions = { negativeSlope?: number; inplace?: boolean; scale?: number | null; zeroPoint?: number | null };
const LEAKY = ['negativeSlope', 'inplace', 'scale', 'zeroPoint'] as const;
const emptyAffineQuantized = aten('_empty_affine_quantized', '');
const leakyReluOut = aten('leaky_relu', 'out');
/** leaky_relu(input, negative_slope=0.01, inplace=False, scale=None, zero_point=None): requantized to (scale, zero_point) when both are given */
export function leakyRelu(input: Tensor, ...rest: Rest<LeakyOptions, typeof LEAKY>): Tensor {
  const { negativeSlope = 0.01, inplace = false, scale = null, zeroPoint = null } = parse<LeakyOptions>('leakyRelu', rest, LEAKY);
  if (scale !== null && zeroPoint !== null) {
    if (inplace) throw new TorchError('Cannot rescale with `inplace`');
    const output = emptyAffineQuantized([[...input.shape]], { scale, zeroPoint: Math.trunc(zeroPoint), dtype: input.dtype.code }) as Tensor;
    leakyReluOut([input, negativeSlope], { out: output });
    return output;
  }
  return F.leakyRelu(input, negativeSlope, { inplace });
}

/** hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False) */
export function hardtanh(input: Tensor, minVal = -1.0, maxVal = 1.0, inplace = false): Tensor {
  checkQuantized(input, 'quantized.hardtanh');
  return F.hardtanh(input, minVal, maxVal, { inplace });
}
/** hardswish(input, scale, zero_point) */
export function hardswish(input: Tensor, scale: number, zeroPoint: number): Tensor {
  checkQuantized(input, 'quantized.hardswish');
  return qop('quantized::hardswish', input, scale, zeroPoint);
}
/** threshold(input, threshold, value) */
export function threshold(input: Tensor, threshold: number, value: number): Tensor {
  checkQuantized(input, 'quantized.threshold');
  if (threshold === null || threshold === undefined) throw new ValueError("Input to 'threshold' must be specified!");
  if (value === null || value === undefined) throw new ValueError("Input to 'value' must be specified!");
  return qop('quantized::threshold', input, threshold, value);
}
/** elu(input, scale, zero_point, alpha=1.0) */
export function elu(input: Tensor, scale: number, zeroPoint: number, alpha = 1.0): Tensor {
  checkQuantized(input, 'quantized.elu');
  return qop('quantized::elu', input, scale, zeroPoint, alpha);
}
/** hardsigmoid(input, inplace=False) */
export function hardsigmoid(input: Tensor, inplace = false): Tensor {
  checkQuantized(input, 'quantized.hardsigmoid');
  return F.hardsigmoid(input, { inplace });
}
/** clamp(input, min_, max_) */
export function clamp(input: Tensor, min: number, max: number): Tensor {
  checkQuantized(input, 'quantized.clamp');
  return torchClamp(input, min, max);
}
