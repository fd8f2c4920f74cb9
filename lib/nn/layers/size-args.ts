// Layers' size arguments as PyTorch keeps them (_single/_pair/_triple tuples or the value as given)
// and as Python prints them in extra_repr: JS arrays stand for Python tuples, null for None.
export { pyFloat } from './py-format';

/** An int or a tuple of ints (PyTorch's _size_any_t). */
export type Size = number | number[];
/** An output size whose entries may be None (keep the input's size there). */
export type OptSize = number | null | (number | null)[];

/** Python's _ntuple(n): a number repeated n times; a sequence kept as it is. */
export function ntuple(v: Size, n: number): number[] {
  return typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
}

/** How Python's str.format prints a layer setting: tuples, None, True/False, ints, strings. */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(', ')})`;
  return String(v);
}

/** A Python list's repr (used where PyTorch formats a list, e.g. in error messages). */
export function pyList(v: readonly unknown[]): string {
  return `[${v.map(py).join(', ')}]`;
}
