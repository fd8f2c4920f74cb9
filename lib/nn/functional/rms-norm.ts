// F.rms_norm (PyTorch 2.4): libtorch 2.4+'s own operator when the running registry has it, else
// 2.4's composite, x * rsqrt(mean(x^2 over the normalized dims) + eps) * weight, on 1.13 ops.
import { Tensor, TorchError, aten } from './torch';
import { Rest, parse } from './args';
import { schemaTexts } from '../../ops/registry';
import { finfo } from '../../tensor/type-info';

export type RmsNormOptions = { weight?: Tensor | null; eps?: number | null };
const RMS_NORM = ['weight', 'eps'] as const;

const nativeRmsNorm = aten('rms_norm');
let hasNative: boolean | undefined;

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** 2.4 checks normalized_shape and weight as layer_norm does, with layer_norm's messages. */
function checkInputs(input: Tensor, shape: readonly number[], weight: Tensor | null): void {
  if (shape.length < 1) {
    throw new TorchError(`Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = ${shapeText(shape)}`);
  }
  if (weight !== null && weight.shape.join() !== shape.join()) {
    throw new TorchError(`Expected weight to be of same shape as normalized_shape, but got weight of shape ${shapeText(weight.shape)} and normalized_shape = ${shapeText(shape)}`);
  }
  const size = input.shape;
  const tail = size.slice(size.length - shape.length);
  if (size.length < shape.length || tail.join() !== shape.join()) {
    throw new TorchError(`Given normalized_shape=${shapeText(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size${shapeText(size)}`);
  }
}

/** F.rms_norm(input, normalized_shape, weight=None, eps=None): eps defaults to finfo(input.dtype).eps */
export function rmsNorm(input: Tensor, normalizedShape: number | readonly number[], ...rest: Rest<RmsNormOptions, typeof RMS_NORM>): Tensor {
  const o = parse<RmsNormOptions>('rmsNorm', rest, RMS_NORM);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const weight = o.weight ?? null;
  hasNative ??= schemaTexts().has('rms_norm');
  if (hasNative) return nativeRmsNorm([input, shape, weight, o.eps ?? null]) as Tensor;
  checkInputs(input, shape, weight);
  const eps = o.eps ?? finfo(input.dtype).eps;
  const dims = shape.map((_, i) => i - shape.length);
  const out = input.mul(input.pow(2).mean(dims, { keepdim: true }).add(eps).rsqrt());
  return weight === null ? out : out.mul(weight);
}
