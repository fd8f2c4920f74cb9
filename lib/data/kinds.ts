// Realm-safe tests of a value's kind: values may come from another vm context (jest), a worker's
// structured clone, or the addon, where instanceof Map / Object would say no.
import { Tensor } from '../tensor/tensor';
export const isMap = (x: unknown): x is Map<unknown, unknown> => Object.prototype.toString.call(x) === '[object Map]';
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Object.prototype.toString.call(x) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
export const isTypedArray = (x: unknown): x is ArrayBufferView => ArrayBuffer.isView(x) && !(x instanceof DataView);


/** A Tensor of this library, or of another loaded copy of it (a dataset module may bring its own
 *  require('torch-node')): both hold a native handle that every op accepts. */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor || (typeof x === 'object' && x !== null && '_h' in x && x.constructor?.name === 'Tensor');
}

/** `data` with every tensor in it (in arrays, Maps and plain objects, at any depth) replaced by fn(tensor). */
export function mapTensors(data: unknown, fn: (t: Tensor) => unknown): unknown {
  if (isTensor(data)) return fn(data);
  if (Array.isArray(data)) return data.map((v) => mapTensors(v, fn));
  if (isMap(data)) return new Map([...data].map(([k, v]) => [k, mapTensors(v, fn)]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = Object.getPrototypeOf(data) === null ? Object.create(null) : {};
    for (const key of Object.keys(data)) out[key] = mapTensors(data[key], fn);
    return out;
  }
  return data;
}
