// roi_pool's bin maxima from range-maximum tables: the max over every 2^a x 2^b window of a
// [N, H, W, C] map (a few vectorised passes over the map), each bin the max of the four windows at
// its corners (they overlap, which a max does not mind). Values only: which cell holds the maximum
// is lost (bin-argmax.ts finds it).
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import type { Bins } from './roi-pool';

/** The window sizes every bin needs: floor(log2) of its row and column counts, and their maxima. */
export interface Levels {
  la: Tensor;
  lb: Tensor;
  maxA: number;
  maxB: number;
}

export function levelsOf(b: Bins): Levels {
  const log2 = (t: Tensor) => t.clampMin(1).to(torch.float64).log2().floor().long();
  const [la, lb] = [log2(b.rows), log2(b.cols)];
  return { la, lb, maxA: la.max().item() as number, maxB: lb.max().item() as number };
}

/** How many elements the tables of a map of `numel` elements hold together. */
export function tablesSize(levels: Levels, numel: number): number {
  return (levels.maxA + 1) * (levels.maxB + 1) * numel;
}

/** Shifted max along `dim` of a [N, H, W, C] table: windows twice as long (the last ones stay as they were, never read). */
function doubled(t: Tensor, dim: number, step: number): Tensor {
  const n = t.size(dim);
  if (step >= n) return t;
  return torch.cat([t.narrow(dim, 0, n - step).maximum(t.narrow(dim, step, n - step)), t.narrow(dim, n - step, step)], dim);
}

/**
 * [bins, C]: the max of each bin's cells of `nhwc` (contiguous [N, H, W, C], any ordered dtype);
 * empty bins read an arbitrary row, for the caller to mask.
 */
export function binMaxima(nhwc: Tensor, b: Bins, { la, lb, maxA, maxB }: Levels): Tensor {
  const [n, height, width, c] = nhwc.shape;
  // every table, (a, b) at a * (maxB + 1) + b, stacked: one gather per window corner for all bins
  // (few large ops: on a loaded machine each parallel op waits for all its threads)
  const tables: Tensor[] = [];
  let column = nhwc; // windows 2^a x 1
  for (let a = 0; a <= maxA; a++) {
    if (a > 0) column = doubled(column, 1, 1 << (a - 1));
    let table = column; // windows 2^a x 2^b
    for (let bb = 0; bb <= maxB; bb++) {
      if (bb > 0) table = doubled(table, 2, 1 << (bb - 1));
      tables.push(table);
    }
  }
  const flat = (tables.length === 1 ? nhwc : torch.stack(tables)).reshape(-1, c);
  const empty = b.rows.eq(0).logicalOr(b.cols.eq(0));
  const base = la.mul(maxB + 1).add(lb).mul(n).add(b.batch).mul(height);
  const [h1, w1] = [b.h0.add(b.rows).sub(la.exp2().long()), b.w0.add(b.cols).sub(lb.exp2().long())];
  const at = (h: Tensor, w: Tensor) => flat.indexSelect(0, base.add(h).mul(width).add(w).maskedFill(empty, 0));
  return at(b.h0, b.w0).maximum(at(b.h0, w1)).maximum(at(h1, b.w0).maximum(at(h1, w1)));
}
