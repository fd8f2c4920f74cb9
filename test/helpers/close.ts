// Comparing values with PyTorch's: recursively through arrays, numbers equal within a relative
// tolerance (of max(1, |want|)), anything else exactly; a number that differs fails naming its path.
import type { Tensor } from '../../lib';

/** A comparer whose tolerance defaults to `defaultTol`: close(got, want, tol?, path?). */
export function closeWithin(defaultTol: number) {
  const close = (got: unknown, want: unknown, tol = defaultTol, path = ''): void => {
    if (Array.isArray(want)) {
      expect(Array.isArray(got)).toBe(true);
      expect((got as unknown[]).length).toBe(want.length);
      want.forEach((w, i) => close((got as unknown[])[i], w, tol, `${path}[${i}]`));
    } else if (typeof want === 'number') {
      if (typeof got !== 'number') throw new Error(`${path}: ${String(got)} is not a number (want ${want})`);
      if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) throw new Error(`${path}: ${got} vs ${want} (relative tolerance ${tol})`);
    } else {
      expect(got).toEqual(want);
    }
  };
  return close;
}

const clean = (x: unknown): unknown => (Array.isArray(x) ? x.map(clean) : typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf') : x);

/** A tensor as JSON from Python gives it (tolist() with inf/nan as strings); null stays null. */
export const out = (t: Tensor | null | undefined): unknown => (t === null || t === undefined ? null : clean(t.detach().tolist()));
