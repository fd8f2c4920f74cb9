// Layers' size arguments as PyTorch keeps them (_single/_pair/_triple tuples or the value as given).
// A JS array stands for a Python tuple, null for None; an array marked with asPyList (lib/py-format)
// stands for a list, and a layer that keeps the value as given prints it as one, as Python does
// (MaxPool3d(kernel_size=[1, 3, 3])). ntuple copies, so its result is a tuple like _ntuple's.

/** An int or a tuple of ints (PyTorch's _size_any_t). */
export type Size = number | number[];
/** An output size whose entries may be None (keep the input's size there). */
export type OptSize = number | null | (number | null)[];

/** Python's _ntuple(n): a number repeated n times; a sequence as a new tuple. */
export function ntuple(v: Size, n: number): number[] {
  return typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
}
