// Python's storage[i] / storage[a:b] keys in JS: get(key) / set(key, value) take an integer, a
// torch.slice(...) or a 'a:b' string; a storage object also answers s[0] and s[-1] = 5 directly (a
// Proxy over its integer-like property names), as a ported `s[0] = 5` expects.
import { Slice } from '../indexing';
import { pyTypeName } from '../../errors';

/** What a storage's get/set take: an integer index or a slice (torch.slice or 'start:stop:step'). */
export type StorageKey = number | Slice | string;

const SLICE_TEXT = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

/** The key as an int, a Slice, or undefined when it is neither (the caller raises Python's error). */
export function parseKey(key: unknown): number | Slice | undefined {
  if (typeof key === 'number') return Number.isInteger(key) ? key : undefined;
  if (key instanceof Slice) return key;
  if (typeof key === 'string') {
    const m = SLICE_TEXT.exec(key);
    if (!m) return undefined;
    const num = (s: string | undefined) => (s === undefined ? null : Number(s));
    return new Slice(num(m[1]), num(m[2]), num(m[3]));
  }
  return undefined;
}

/** Python's type(key).__name__ for a key that is no index: 'str', 'float', ... */
export function keyTypeName(key: unknown): string {
  return pyTypeName(key);
}

/** Python's slice.indices(length) for a step of 1 or more: [start, stop, step] clamped to the length. */
export function sliceIndices(s: Slice, length: number): [number, number, number] {
  const step = s.step ?? 1;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + length : v;
    return Math.min(Math.max(x, 0), length);
  };
  return [clamp(s.start, 0), clamp(s.stop, length), step];
}

const INT_KEY = /^-?(0|[1-9][0-9]*)$/;

interface Indexable {
  get(key: StorageKey): unknown;
  set(key: StorageKey, value: unknown): unknown;
}

/** obj, answering integer-like property names through its get and set. */
export function withIndexing<T extends Indexable>(obj: T): T {
  return new Proxy(obj, {
    get(target, key, receiver) {
      if (typeof key === 'string' && INT_KEY.test(key)) return target.get(Number(key));
      return Reflect.get(target, key, receiver);
    },
    set(target, key, value, receiver) {
      if (typeof key === 'string' && INT_KEY.test(key)) {
        target.set(Number(key), value);
        return true;
      }
      return Reflect.set(target, key, value, receiver);
    },
  });
}
