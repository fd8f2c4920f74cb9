// Reads the elements the printer shows: all of them, or only the edge items of each summarised
// dimension (narrow + cat on the native side, so a huge tensor is never copied whole).
import { aten } from '../aten';
import { bfloat16, bool, float16, float32, int64 } from '../dtype';
import type { Tensor } from '../tensor';

const catOp = aten('cat', '');

/** Which part of a tensor is printed: per dimension, its kept extent and whether `...` splits it. */
export interface Grid {
  readonly kept: number[];
  readonly cut: boolean[];
  readonly edgeitems: number;
}

export function planGrid(shape: number[], summarize: boolean, edgeitems: number): Grid {
  const cut = shape.map((n) => summarize && n > 2 * edgeitems);
  return { kept: shape.map((n, d) => (cut[d] ? 2 * edgeitems : n)), cut, edgeitems };
}

/** The printed elements, row-major over grid.kept, as the printer's formatters consume them. */
export type Elements =
  | { readonly kind: 'text'; readonly texts: string[] }
  | { readonly kind: 'float'; readonly values: ArrayLike<number> }
  | { readonly kind: 'complex'; readonly re: number[]; readonly im: number[] };

function keptPart(t: Tensor, grid: Grid, made: Tensor[]): Tensor {
  const keep = (x: Tensor): Tensor => (made.push(x), x);
  // Outside autograd, like PyTorch's printer (which runs under no_grad).
  let cur = keep(t.detach());
  // Halves are printed through float32, as PyTorch does.
  if (cur.dtype === float16 || cur.dtype === bfloat16) cur = keep(cur.to(float32));
  const shape = cur.shape;
  const e = grid.edgeitems;
  grid.cut.forEach((isCut, d) => {
    if (!isCut) return;
    const parts = [keep(cur.narrow(d, 0, e)), keep(cur.narrow(d, shape[d] - e, e))];
    cur = keep(catOp([parts, d]) as Tensor);
  });
  return cur;
}

export function readElements(t: Tensor, grid: Grid): Elements {
  const made: Tensor[] = [];
  try {
    const part = keptPart(t, grid, made);
    const dtype = part.dtype;
    const raw = part.toTypedArray();
    if (dtype === bool) return { kind: 'text', texts: Array.from(raw as Uint8Array, (v) => (v ? 'True' : 'False')) };
    if (dtype === int64) return { kind: 'text', texts: Array.from(raw as BigInt64Array, String) };
    if (dtype.isComplex) {
      const pairs = raw as Float32Array | Float64Array;
      const re: number[] = [];
      const im: number[] = [];
      for (let i = 0; i < pairs.length; i += 2) {
        re.push(pairs[i]);
        im.push(pairs[i + 1]);
      }
      return { kind: 'complex', re, im };
    }
    if (dtype.isFloatingPoint) return { kind: 'float', values: raw as Float32Array | Float64Array };
    return { kind: 'text', texts: Array.from(raw as Int32Array, String) };
  } finally {
    // Only the temporaries made here; t itself stays alive.
    for (const x of made) x.dispose();
  }
}
