// Shared by Sequential, ModuleList and ParameterList: items live in own properties '0', '1', ...
// (so `seq[0]` reads and `seq[6] = layer` replaces, and registration order is index order).
import { TorchError } from '../../errors';

type Bag = Record<string, unknown>;

/** The numbered own keys in index order. */
export function numberedKeys(owner: object): string[] {
  return Object.keys(owner).filter((k) => /^(0|[1-9]\d*)$/.test(k));
}

/** Python's index rules: negatives count from the end; out of range is an IndexError. */
export function normalizeIndex(i: number, length: number, kind: string): number {
  if (!Number.isInteger(i)) throw new TorchError(`${kind} indices must be integers, not ${typeof i}`);
  const j = i < 0 ? i + length : i;
  if (j < 0 || j >= length) throw new TorchError(`index ${i} is out of range`);
  return j;
}

/** Re-lays values out as '0'..'n-1' (after insert/delete), keeping non-numbered properties. */
export function renumber(owner: object, values: unknown[]): void {
  const bag = owner as Bag;
  for (const k of numberedKeys(owner)) delete bag[k];
  values.forEach((v, i) => {
    bag[String(i)] = v;
  });
}

/** Python slice semantics for (start, stop) with negatives and clamping. */
export function sliceRange(length: number, start = 0, stop = length): [number, number] {
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + length : v, 0), length);
  return [clamp(start), clamp(stop)];
}
