// default_collate / default_convert (torch/utils/data/_utils/collate.py), mapped onto JS values:
//   Tensor -> stacked Tensor; numbers -> int64 (all integers) or float64 tensor; bigint -> int64;
//   boolean -> bool tensor; string -> unchanged array; TypedArray (NumPy's role) -> tensors, stacked;
//   Map / plain object -> same kind with each key collated; array -> array of collated columns.
import { Tensor } from '../tensor/tensor';
import { tensor, frombuffer } from '../tensor/create';
import { stack } from '../tensor/functions';
import { aten } from '../tensor/aten';
import { float64, int64 } from '../tensor/dtype';
import { getWorkerInfo } from './worker-info';
import { markShared } from './transfer';
import { isMap, isPlainObject, isTypedArray, isTensor } from './kinds';
import { TorchError } from '../errors';
import { PyTypeError } from './errors';

const stackOut = aten('stack', 'out');

const ERR = 'default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ';

/** How Python would name the type in default_collate's error. */
function typeName(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x !== 'object') return typeof x;
  return (x as object).constructor?.name ?? 'Object';
}

/** A new object of the same kind (null-prototype objects stay null-prototype). */
function sameKindObject(like: object): Record<string, unknown> {
  return Object.getPrototypeOf(like) === null ? Object.create(null) : {};
}

// Inside a worker thread, stack straight into shared memory, as PyTorch's worker stacks into a shared
// memory storage: the batch then reaches the main thread without a copy.
function collateTensors(batch: Tensor[]): Tensor {
  const elem = batch[0];
  if (getWorkerInfo() === null || elem.device.type !== 'cpu') return stack(batch, 0);
  const numel = batch.reduce((n, t) => n + t.numel(), 0);
  if (numel === 0) return stack(batch, 0);
  const buffer = new SharedArrayBuffer(numel * elem.dtype.itemsize);
  const out = frombuffer(buffer, { dtype: elem.dtype }).view([batch.length, ...elem.shape]);
  stackOut([batch, 0], { out });
  return markShared(out, buffer);
}

export function defaultCollate(batch: unknown[]): unknown {
  const elem = batch[0];
  if (isTensor(elem)) return collateTensors(batch as Tensor[]);
  if (typeof elem === 'number') {
    // Python decides by type(int/float); JS numbers carry no such type, so the values decide.
    const allIntegers = (batch as number[]).every(Number.isInteger);
    return allIntegers ? tensor(batch as number[]) : tensor(batch as number[], { dtype: float64 });
  }
  if (typeof elem === 'bigint') return tensor(BigInt64Array.from(batch as bigint[]), { dtype: int64 });
  if (typeof elem === 'boolean') return tensor(batch as boolean[]);
  if (typeof elem === 'string') return batch;
  if (isTypedArray(elem)) return defaultCollate(batch.map((b) => tensor(b as ArrayBufferView)));
  if (isMap(elem)) {
    const out = new Map<unknown, unknown>();
    for (const key of elem.keys()) out.set(key, defaultCollate(batch.map((d) => (d as Map<unknown, unknown>).get(key))));
    return out;
  }
  if (isPlainObject(elem)) {
    const out = sameKindObject(elem);
    for (const key of Object.keys(elem)) out[key] = defaultCollate(batch.map((d) => (d as Record<string, unknown>)[key]));
    return out;
  }
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === size)) {
      throw new TorchError('each element in list of batch should be of equal size');
    }
    return elem.map((_, i) => defaultCollate(batch.map((b) => (b as unknown[])[i])));
  }
  throw new PyTypeError(ERR + typeName(elem));
}

/** default_convert: what the loader applies when auto-batching is off (batchSize: null). */
export function defaultConvert(data: unknown): unknown {
  if (isTensor(data)) return data;
  if (isTypedArray(data)) return tensor(data);
  if (isMap(data)) return new Map([...data].map(([k, v]) => [k, defaultConvert(v)]));
  if (isPlainObject(data)) {
    const out = sameKindObject(data);
    for (const key of Object.keys(data)) out[key] = defaultConvert(data[key]);
    return out;
  }
  if (Array.isArray(data)) return data.map(defaultConvert);
  return data;
}
