// Argument helpers for nn.functional: parse (lib/keywords.ts) binds Python-style arguments;
// ntuple expands a number to a tuple, as Python's _pair does.
export { parse } from '../../keywords';
export type { Rest } from '../../keywords';

/** Python's _single/_pair/_triple: a number repeated n times, a list as is. */
export function ntuple(v: number | readonly number[], n: number): number[] {
  return typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
}
