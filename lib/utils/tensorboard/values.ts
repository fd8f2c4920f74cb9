// torch.utils.tensorboard's make_np for what a writer is given: tensors (detached, on the CPU),
// numbers and arrays of numbers, as float64 values with their shape and whether they were uint8.
import { PyTypeError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { float32, uint8 } from '../../tensor/dtype';

export type ValuesLike = Tensor | number | boolean | bigint | readonly number[] | ArrayLike<number>;

export interface Values {
  data: Float64Array;
  shape: number[];
  isUint8: boolean;
  /** float32 values: numpy computes on them in float32 */
  isFloat32: boolean;
}

export function toValues(x: ValuesLike): Values {
  if (x instanceof Tensor) {
    const t = x.detach().cpu();
    const data = Float64Array.from(t.double().contiguous().toTypedArray() as Float64Array);
    return { data, shape: [...t.shape], isUint8: t.dtype === uint8, isFloat32: t.dtype === float32 };
  }
  // numpy.isscalar: one number becomes a one-element array
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return { data: Float64Array.of(Number(x)), shape: [1], isUint8: false, isFloat32: false };
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const data = Float64Array.from(x as ArrayLike<number>, Number);
    return { data, shape: [data.length], isUint8: x instanceof Uint8Array, isFloat32: x instanceof Float32Array };
  }
  throw new PyTypeError(`Got ${Object.prototype.toString.call(x)}, but numpy array, torch tensor, or caffe2 blob name are expected.`);
}
