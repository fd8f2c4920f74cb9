// Python's x[...] and x[...] = v: x.index(...items) and x.indexPut_(items, value).
// Items: integers (negative count from the end), ':' and slices (torch.slice(start, stop, step) or
// a 'start:stop:step' string), null (newaxis), '...' (ellipsis), booleans, and tensors (long
// indices, bool/uint8 masks) or arrays (turned into tensors as Python turns lists).
// The translation itself is ATen's (native/indexing.cc), the same code Python's indexing runs:
// results are views where Python's are views, and gradients flow.
import { TorchError } from '../errors';
import { native, Handle } from '../native';
import { aten, wrapHandle } from './aten';
import { bool as boolDtype, int64 } from './dtype';

/** A Python slice: start/stop/step, null meaning "omitted". */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `slice(${this.start}, ${this.stop}, ${this.step})`;
  }
}

/** torch.slice(start?, stop?, step?): Python's slice(start, stop, step), e.g. x.index(torch.slice(1, null, 2)). */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  return new Slice(start, stop, step);
}

interface HasHandle {
  readonly _h: Handle;
}

type NestedIndex = number | boolean | NestedIndex[];
export type IndexItem = number | boolean | null | string | Slice | HasHandle | NestedIndex[];

const SLICE_TEXT = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : `float ${v}`;
  if (typeof v === 'object') return v?.constructor?.name ?? 'object';
  return typeof v === 'string' ? `string '${v}'` : typeof v;
}

function badIndex(v: unknown): never {
  throw new TorchError(
    "only integers, slices (':', 'a:b:c', torch.slice), ellipsis ('...'), null (newaxis), booleans and " +
      `long, byte or bool tensors (or arrays of them) are valid indices (got ${describe(v)})`,
  );
}

function flat(v: NestedIndex[], out: (number | boolean)[], shape: number[], depth: number): void {
  if (shape.length === depth) shape.push(v.length);
  else if (shape[depth] !== v.length) throw new TorchError(`index array has inconsistent lengths at depth ${depth}`);
  for (const e of v) {
    if (Array.isArray(e)) flat(e, out, shape, depth + 1);
    else if (typeof e === 'number' || typeof e === 'boolean') out.push(e);
    else badIndex(e);
  }
}

/** An array index as Python turns a list into a tensor: all booleans -> bool mask, else int64. */
function arrayToIndexTensor(v: NestedIndex[]): Handle {
  const values: (number | boolean)[] = [];
  const shape: number[] = [];
  flat(v, values, shape, 0);
  if (values.length > 0 && values.every((e) => typeof e === 'boolean')) {
    return native.fromTypedArray(Uint8Array.from(values as boolean[], (b) => (b ? 1 : 0)), shape, boolDtype.code);
  }
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const e = values[i];
    if (typeof e === 'boolean' || !Number.isInteger(e)) badIndex(e);
    data[i] = BigInt(e);
  }
  return native.fromTypedArray(data, shape, int64.code);
}

/** The form native/indexing.cc reads, for one item. */
function toNativeItem(v: IndexItem): unknown {
  switch (typeof v) {
    case 'number':
      if (!Number.isInteger(v)) badIndex(v);
      return v;
    case 'boolean':
      return v;
    case 'string': {
      if (v === ':' || v === '...') return v;
      const m = SLICE_TEXT.exec(v);
      if (!m) badIndex(v);
      const num = (s: string | undefined) => (s === undefined ? null : Number(s));
      return [num(m[1]), num(m[2]), num(m[3])];
    }
    case 'object':
      if (v === null) return null;
      if (v instanceof Slice) {
        for (const p of [v.start, v.stop, v.step]) if (p !== null && !Number.isInteger(p)) badIndex(p);
        return [v.start, v.stop, v.step];
      }
      if (Array.isArray(v)) return arrayToIndexTensor(v);
      if ((v as HasHandle)._h !== undefined) return (v as HasHandle)._h;
      return badIndex(v);
    default:
      return badIndex(v);
  }
}

function toNativeItems(items: IndexItem[]): unknown[] {
  const out = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = toNativeItem(items[i]);
  return out;
}

/** x[items]: see the header. */
export function indexGet(self: HasHandle, items: IndexItem[]): unknown {
  // the common case x.index(0) skips all item conversion
  if (items.length === 1 && Number.isInteger(items[0])) return wrapHandle(native.indexGet(self._h, items));
  return wrapHandle(native.indexGet(self._h, toNativeItems(items)));
}

const atenIndexPut_ = aten('index_put_', '');

/** x[items] = value, value a tensor (broadcast) or a number. A single item may be given bare. */
export function indexSet(
  self: HasHandle,
  items: IndexItem | IndexItem[],
  value: HasHandle | number | boolean,
  accumulate = false,
): void {
  const list = Array.isArray(items) ? (items as IndexItem[]) : [items];
  const v = typeof value === 'object' && value !== null && (value as HasHandle)._h !== undefined ? (value as HasHandle)._h : value;
  if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'object') {
    throw new TorchError(`indexPut_: the value must be a Tensor or a number (got ${describe(value)})`);
  }
  if (accumulate) {
    // PyTorch's index_put_(indices, values, accumulate=True): tensor indices only, one per dim
    const handles = toNativeItems(list).map((h) => (typeof h === 'object' && h !== null && !Array.isArray(h) ? h : badAccumulate()));
    if (typeof v !== 'object') throw new TorchError('indexPut_ with accumulate needs a Tensor value');
    atenIndexPut_([self, handles, v, true]);
    return;
  }
  native.indexSet(self._h, toNativeItems(list), v as Handle | number | boolean);
}

function badAccumulate(): never {
  throw new TorchError('indexPut_ with accumulate takes tensor (or array) indices only, one per dimension');
}
