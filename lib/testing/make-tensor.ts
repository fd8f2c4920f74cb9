// torch.testing.make_tensor: a tensor of the given shape filled uniformly from [low, high) (defaults
// by dtype kind), drawn from the default generator as Python draws it, so a seed gives its values.
import { Tensor } from '../tensor/tensor';
import { DType, toDType, DTypeLike, bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128 } from '../tensor/dtype';
import { DeviceLike } from '../tensor/device';
import { rand, randint, tensor } from '../tensor/create';
import { finfo, iinfo } from '../tensor/type-info';
import { complex, repeatInterleave } from '../ops/generated/functions';
import { slice } from '../tensor/indexing';
import { PyTypeError, ValueError } from '../errors';
import { checkKeywords } from '../keywords';

export interface MakeTensorOptions {
  dtype: DTypeLike;
  device: DeviceLike;
  low?: number | null;
  high?: number | null;
  requiresGrad?: boolean;
  noncontiguous?: boolean;
  excludeZero?: boolean;
}
const KEYS = ['dtype', 'device', 'low', 'high', 'requiresGrad', 'noncontiguous', 'excludeZero'];

const INTEGRAL: DType[] = [uint8, int8, int16, int32, int64];
const FLOATING: DType[] = [float16, bfloat16, float32, float64];
const COMPLEX_PARTS = new Map<DType, DType>([
  [complex64, float32],
  [complex128, float64],
]);

/** The user's bounds or the defaults, checked, clamped to the dtype's finite range (widened to integers). */
function bounds(low: number | null | undefined, high: number | null | undefined, range: [number, number], defaults: [number, number], dtype: DType): [number, number] {
  let lo = low ?? defaults[0];
  let hi = high ?? defaults[1];
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new ValueError('make_tensor: one of low or high was NaN!');
  if (lo > hi) throw new ValueError('make_tensor: low must be weakly less than high!');
  const clamp = (v: number) => Math.min(Math.max(v, range[0]), range[1]);
  [lo, hi] = [clamp(lo), clamp(hi)];
  return INTEGRAL.includes(dtype) ? [Math.floor(lo), Math.ceil(hi)] : [lo, hi];
}

/** high * r + low * (1 - r) for r uniform in [0, 1): Python's interpolation, in its order. */
const between = (r: Tensor, low: number, high: number): Tensor => r.mul(high).add(r.neg().add(1).mul(low));

/** makeTensor(2, 3, { dtype, device, low, high, requiresGrad, noncontiguous, excludeZero }) or makeTensor([2, 3], {...}). */
export function makeTensor(...args: (number | number[] | MakeTensorOptions)[]): Tensor {
  const last = args[args.length - 1];
  const options = (typeof last === 'object' && !Array.isArray(last) ? args.pop() : {}) as Partial<MakeTensorOptions>;
  checkKeywords('make_tensor', options as Record<string, unknown>, KEYS);
  const missing = ['dtype', 'device'].filter((k) => options[k as 'dtype'] === undefined);
  if (missing.length) {
    const names = missing.map((k) => `'${k}'`).join(' and ');
    throw new PyTypeError(`make_tensor() missing ${missing.length} required keyword-only argument${missing.length > 1 ? 's' : ''}: ${names}`);
  }
  const shape = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as number[];
  const dtype = toDType(options.dtype!);
  const device = options.device!;
  const { low, high, requiresGrad = false, noncontiguous = false, excludeZero = false } = options;
  const floatParts = COMPLEX_PARTS.get(dtype);
  if (requiresGrad && !FLOATING.includes(dtype) && !floatParts) throw new ValueError('make_tensor: requires_grad must be False for integral dtype');

  let result: Tensor;
  if (dtype === bool) result = randint(0, 2, shape, { device, dtype });
  else if (INTEGRAL.includes(dtype)) {
    const info = iinfo(dtype);
    const [lo, hi] = bounds(low, high, [info.min, info.max], dtype === uint8 ? [0, 10] : [-9, 10], dtype);
    result = randint(lo, hi, shape, { device, dtype });
  } else if (FLOATING.includes(dtype)) {
    const info = finfo(dtype);
    const [lo, hi] = bounds(low, high, [info.min, info.max], [-9, 9], dtype);
    result = between(rand(shape, { device, dtype }), lo, hi);
  } else if (floatParts) {
    const info = finfo(floatParts);
    const [lo, hi] = bounds(low, high, [info.min, info.max], [-9, 9], dtype);
    const re = rand(shape, { device, dtype: floatParts });
    const im = rand(shape, { device, dtype: floatParts });
    result = complex(between(re, lo, hi), between(im, lo, hi));
  } else {
    throw new PyTypeError(
      `The requested dtype '${dtype}' is not supported by torch.testing.make_tensor(). To request support, file an issue at: https://github.com/pytorch/pytorch/issues`,
    );
  }

  if (noncontiguous && result.numel() > 1) {
    // every other element of a doubled last dimension: same values, strided storage
    result = repeatInterleave(result, 2, { dim: -1 }).index('...', slice(null, null, 2));
  }
  if (excludeZero) {
    let replaceWith: Tensor;
    if (INTEGRAL.includes(dtype) || dtype === bool) replaceWith = tensor(1, { device, dtype });
    else if (FLOATING.includes(dtype)) replaceWith = tensor(finfo(dtype).tiny, { device, dtype });
    else {
      const tiny = tensor(finfo(floatParts!).tiny, { device, dtype: floatParts });
      replaceWith = complex(tiny, tiny);
    }
    result.indexPut_([result.eq(0)], replaceWith);
  }
  if (FLOATING.includes(dtype) || floatParts) result.requiresGrad_(requiresGrad);
  return result;
}
