// Comparing a distribution's outputs with PyTorch's: tensors as nested lists with Python's names for
// non-finite values, numbers equal within a relative 1e-10 (float64 math done in another order).
import type { Tensor } from '../../lib';

const clean = (x: unknown): unknown => (Array.isArray(x) ? x.map(clean) : typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf') : x);

/** A tensor as JSON from Python gives it (json.dumps of tolist() with inf/nan as strings); null stays null. */
export const out = (t: Tensor | null | undefined): unknown => (t === null || t === undefined ? null : clean(t.detach().tolist()));

/** Equal within a relative 1e-10, recursing through lists; throws naming the path of the first difference. */
export function close(got: unknown, want: unknown, path = ''): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got)).toBe(true);
    expect((got as unknown[]).length).toBe(want.length);
    want.forEach((w, i) => close((got as unknown[])[i], w, `${path}[${i}]`));
  } else if (typeof want === 'number' && typeof got === 'number') {
    if (Math.abs(got - want) > 1e-10 * Math.max(1, Math.abs(want))) throw new Error(`${path}: ${got} vs ${want}`);
  } else {
    expect(got).toEqual(want);
  }
}
