// pin_memory: page-locks batch tensors so host-to-GPU copies can be asynchronous. PyTorch does it
// only when CUDA is available (silently a no-op otherwise); so does this.
import { aten } from '../tensor/aten';
import { cuda } from '../runtime';
import { isMap, isPlainObject, isTensor } from './kinds';

const pinOp = aten('pin_memory', '');

export function pinMemoryAvailable(): boolean {
  return cuda.isAvailable();
}

export function pinMemory(data: unknown): unknown {
  if (isTensor(data)) return pinOp([data]);
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return data.map(pinMemory);
  if (isMap(data)) return new Map([...data].map(([k, v]) => [k, pinMemory(v)]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = Object.getPrototypeOf(data) === null ? Object.create(null) : {};
    for (const key of Object.keys(data)) out[key] = pinMemory(data[key]);
    return out;
  }
  return data;
}
