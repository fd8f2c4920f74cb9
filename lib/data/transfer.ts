// Moving a batch from a worker thread to the main thread without copying tensor data: a tensor
// travels as its data buffer (shared memory when collate stacked into one, else a transferred
// ArrayBuffer) plus dtype and shape, and is rebuilt over that same memory with torch.frombuffer.
import { Tensor } from '../tensor/tensor';
import { frombuffer, empty } from '../tensor/create';
import { dtypeFromCode } from '../tensor/dtype';
import { isMap, isPlainObject, isTensor } from './kinds';

interface PackedTensor {
  __torchNodeTensor: true;
  buffer: ArrayBufferLike;
  byteOffset: number;
  dtype: number;
  shape: number[];
}

/** Tensors whose storage is a SharedArrayBuffer (made by collate in a worker). */
const shared = new WeakMap<Tensor, SharedArrayBuffer>();
export function markShared(t: Tensor, buffer: SharedArrayBuffer): Tensor {
  shared.set(t, buffer);
  return t;
}

/** A structured-cloneable copy of `data` with tensors replaced by buffers; `transfer` collects what to move. */
export function pack(data: unknown, transfer: ArrayBuffer[]): unknown {
  if (isTensor(data)) {
    const dtype = data.dtype.code;
    const shape = data.shape;
    const sab = shared.get(data);
    if (sab) return { __torchNodeTensor: true, buffer: sab, byteOffset: 0, dtype, shape } satisfies PackedTensor;
    // One copy out of libtorch into a fresh ArrayBuffer, which is then moved, not copied again.
    const view = data.cpu().toTypedArray();
    transfer.push(view.buffer as ArrayBuffer);
    return { __torchNodeTensor: true, buffer: view.buffer, byteOffset: view.byteOffset, dtype, shape } satisfies PackedTensor;
  }
  if (Array.isArray(data)) return data.map((d) => pack(d, transfer));
  if (isMap(data)) return new Map([...data].map(([k, v]) => [k, pack(v, transfer)]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(data)) out[key] = pack(data[key], transfer);
    return out;
  }
  return data;
}

function isPacked(x: unknown): x is PackedTensor {
  return isPlainObject(x) && x.__torchNodeTensor === true;
}

/** The inverse of pack, on the receiving thread: tensors over the received memory. */
export function unpack(data: unknown): unknown {
  if (isPacked(data)) {
    const dtype = dtypeFromCode(data.dtype);
    const numel = data.shape.reduce((a, b) => a * b, 1);
    if (numel === 0) return empty(data.shape, { dtype });
    return frombuffer(data.buffer, { dtype, offset: data.byteOffset, count: numel }).view(data.shape);
  }
  if (Array.isArray(data)) return data.map(unpack);
  if (isMap(data)) return new Map([...data].map(([k, v]) => [k, unpack(v)]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(data)) out[key] = unpack(data[key]);
    return out;
  }
  return data;
}
