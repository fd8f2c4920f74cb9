// roi_pool's bin maxima with torchvision's kernel's argmax: per channel, the first cell of the bin
// (row-major scan, strict >) holding its max, to which the backward sends the bin's gradient.
// Bins of one shape (rows x cols) go together: their cells, gathered channels-last, make a
// [n, C, rows, cols] batch for max_pool2d_with_indices, whose channels-last CPU kernel scans each
// window row-major with strict > (the first maximum, as the kernel's) over all channels at once:
// two vectorised passes per cell, where embedding_bag 'max' is a scalar, single-threaded scan.
// Few large ops (one gather for many shapes): on a loaded machine each parallel op waits for all
// its threads.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { AutogradFunction, FunctionCtx } from '../../autograd/function';
import type { Bins } from './roi-pool';

const FLT_MAX = 3.4028234663852886e38;
/** the most cell values one gather brings together */
const GATHER_LIMIT = 1 << 24;

/**
 * [bins, C]: each bin's max over its cells, rows of `flat` ([N * H * W, C], a channels-last map
 * without NaN, float32 or float64), from -FLT_MAX up as the kernel's (below it, -inf, no
 * gradient); empty bins give 0 and no gradient.
 */
export function binMax(flat: Tensor, b: Bins, height: number, width: number): Tensor {
  return FirstMax.apply(flat, b, height, width);
}

class FirstMax extends AutogradFunction {
  static forward(ctx: FunctionCtx, flat: Tensor, b: Bins, height: number, width: number): Tensor {
    const rows = flat.size(0);
    const { best, cells } = torch.noGrad(() => {
      const [best, cells] = firstMaxima(flat, b, height, width);
      // bins with no gradient (empty, or below -FLT_MAX) send it to a spare row past the map
      cells.maskedFill_(b.rows.mul(b.cols).eq(0).view(-1, 1), rows);
      if ((flat.min().item() as number) < -FLT_MAX) cells.maskedFill_(best.lt(-FLT_MAX), rows);
      return { best: best.clampMin_(-FLT_MAX), cells };
    });
    ctx.saveForBackward(cells);
    ctx.rows = rows;
    return best;
  }

  /** As the kernel's backward: each bin's gradient added at its argmax cells, in bin order (one scatter-add). */
  static backward(ctx: FunctionCtx, grad: Tensor): (Tensor | null)[] {
    const [cells] = ctx.savedTensors as Tensor[];
    const rows = ctx.rows as number;
    const out = torch.zeros([rows + 1, grad.size(1)], { dtype: grad.dtype, device: grad.device });
    return [out.scatterAdd_(0, cells, grad.contiguous()).narrow(0, 0, rows), null, null, null];
  }
}

/** n bins of one shape, consecutive in shape order; `cell`: where their cells start in cellsOf */
interface Piece {
  n: number;
  rows: number;
  cols: number;
  cell: number;
}

/** [bins, C] maxima and their first-maximum cells (rows of flat); empty bins: 0 at any cell. */
function firstMaxima(flat: Tensor, b: Bins, height: number, width: number): [Tensor, Tensor] {
  const c = flat.size(1);
  const device = flat.device;
  const stride = (b.cols.max().item() as number) + 1;
  const shape = b.rows.mul(stride).add(b.cols);
  const order = shape.sort({ stable: true }).indices;
  const base = b.batch.mul(height).add(b.h0).mul(width).add(b.w0).indexSelect(0, order);
  // every bin's cells, row-major, in shape order (a bin's cells are those of its window in the gather)
  const pieces: Piece[] = [];
  const cellIndex: Tensor[] = [];
  let [start, cell] = [0, 0];
  (shape.bincount().tolist() as number[]).forEach((n, s) => {
    const [rows, cols] = [Math.floor(s / stride), s % stride];
    if (n > 0) pieces.push({ n, rows, cols, cell });
    if (n > 0 && rows * cols > 0) {
      const offsets = torch.arange(rows, { device }).view(-1, 1).mul(width).add(torch.arange(cols, { device })).view(1, -1);
      cellIndex.push(base.narrow(0, start, n).view(-1, 1).add(offsets).view(-1));
    }
    [start, cell] = [start + n, cell + n * rows * cols];
  });
  // and a spare one, where empty bins' windows point when they end the order
  const cellsOf = torch.cat([...cellIndex, torch.zeros([1], { dtype: torch.int64, device })]);
  const values: Tensor[] = [];
  const local: Tensor[] = [];
  for (const batch of batches(pieces, c)) {
    const [first, last] = [batch[0].cell, batch[batch.length - 1]];
    const end = last.cell + last.n * last.rows * last.cols;
    const gathered = end > first ? flat.indexSelect(0, cellsOf.narrow(0, first, end - first)) : flat;
    for (const p of batch) {
      if (p.rows * p.cols === 0) {
        values.push(torch.zeros([p.n, c], { dtype: flat.dtype, device }));
        local.push(torch.zeros([p.n, c], { dtype: torch.int64, device }));
        continue;
      }
      const windows = gathered.narrow(0, p.cell - first, p.n * p.rows * p.cols).view(p.n, p.rows, p.cols, c).permute(0, 3, 1, 2);
      const [value, index] = torch.maxPool2dWithIndices(windows, [p.rows, p.cols]);
      values.push(value.view(p.n, c));
      local.push(index.view(p.n, c)); // i * cols + j within the window
    }
  }
  const cat = (ts: Tensor[]) => (ts.length === 1 ? ts[0] : torch.cat(ts));
  // a window's cell in cellsOf: its bin's first cell there (the cells of the bins before it) plus i * cols + j
  const sizes = b.rows.mul(b.cols).indexSelect(0, order);
  const cells = cellsOf.take(cat(local).add(sizes.cumsum(0).sub(sizes).view(-1, 1)));
  const inBinOrder = torch.empty([order.size(0)], { dtype: torch.int64, device }).indexCopy_(0, order, torch.arange(order.size(0), { device }));
  return [cat(values).indexSelect(0, inBinOrder), cells.indexSelect(0, inBinOrder)];
}

/** Consecutive pieces (large ones split) whose cells stay within GATHER_LIMIT values together. */
function batches(pieces: Piece[], c: number): Piece[][] {
  const out: Piece[][] = [];
  let size = Infinity;
  for (const p of pieces) {
    const per = p.rows * p.cols * c;
    const most = Math.max(1, Math.floor(GATHER_LIMIT / Math.max(per, 1)));
    for (let at = 0; at < p.n; at += most) {
      const n = Math.min(most, p.n - at);
      if (size + n * per > GATHER_LIMIT) {
        out.push([]);
        size = 0;
      }
      out[out.length - 1].push({ ...p, n, cell: p.cell + at * p.rows * p.cols });
      size += n * per;
    }
  }
  return out;
}
