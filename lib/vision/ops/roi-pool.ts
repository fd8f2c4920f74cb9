// torchvision.ops.roi_pool / RoIPool, from ATen ops: each output bin is the max over its integer
// cell range, with the ranges computed as torchvision's CPU kernel computes them (corners rounded
// half away from zero, bin sizes and floor/ceil edges in the input's float type, clamped to the
// image); empty bins give 0. Two ways to take the maxima, with equal values:
// - with gradients (or when cheaper): bins of one shape as one max_pool2d_with_indices batch
//   (bin-max.ts), whose argmax is the kernel's first maximum, to which the backward sends the
//   bin's gradient;
// - without: 2-D range-maximum tables (range-max.ts), each bin the max of four overlapping
//   windows: a few vectorised passes over the map instead of a scan of every cell.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pyFloat } from '../../py-format';
import { embeddingBag } from '../../nn/functional/embedding';
import { isGradEnabled } from '../../autograd/grad-mode';
import { AutogradFunction, FunctionCtx } from '../../autograd/function';
import { ArgsOf, signature } from '../../keywords';
import { RoiBoxes, pairOf, roisOf, sizeRepr } from './roi-boxes';
import { binMaxima, levelsOf, tablesSize } from './range-max';
import { binMax } from './bin-max';

const FLT_MAX = 3.4028234663852886e38;
/** the most elements the range-maximum tables may hold together */
const TABLES_LIMIT = 1 << 25;

export interface RoiPoolArgs {
  /** [N, C, H, W] */
  input: Tensor;
  /** [K, 5] (batch index, x1, y1, x2, y2), or one [L, 4] tensor of boxes per image */
  boxes: RoiBoxes;
  outputSize: number | readonly number[];
  /** box coordinates times this are input coordinates; default 1 */
  spatialScale?: number;
}
const ROI_POOL = signature<RoiPoolArgs>()(['input', 'boxes', 'outputSize'], ['spatialScale']);

/** C's round() of scaled coordinates (halves away from zero), as int64. */
export function roundHalfAway(v: Tensor): Tensor {
  const d = v.to(torch.float64); // v + 0.5 in float32 could round up past the half
  return d.abs().add(0.5).floor().mul(d.sign()).long();
}

/**
 * [K, P] first and past-the-end cells of each bin along one axis, as the kernel computes them: the
 * region spans hi - lo + `extra` cells (at least 1), edges are clamped to [0, limit].
 */
export function binEdges(lo: Tensor, hi: Tensor, pooled: number, limit: number, dtype: torch.DType, extra = 1): [Tensor, Tensor] {
  const bin = hi.sub(lo).add(extra).clampMin(1).to(dtype).div(pooled).view(-1, 1);
  const p = torch.arange(pooled, { dtype, device: lo.device }).view(1, -1);
  const at = (t: Tensor) => t.long().add(lo.view(-1, 1)).clamp(0, limit);
  return [at(p.mul(bin).floor()), at(p.add(1).mul(bin).ceil())];
}

/** Every bin (k, py, px), row-major: its image (its block of H * W rows), first row and column, row and column counts (int64 [K * PH * PW]). */
export interface Bins {
  batch: Tensor;
  h0: Tensor;
  w0: Tensor;
  rows: Tensor;
  cols: Tensor;
}

function binsOf(rois: Tensor, dims: number[], ph: number, pw: number, scale: number, dtype: torch.DType): Bins {
  const [, , height, width] = dims;
  const k = rois.size(0);
  const r = rois.detach().to(dtype);
  const [x1, y1, x2, y2] = [1, 2, 3, 4].map((j) => roundHalfAway(r.index(':', j).mul(scale)));
  const [h0, h1] = binEdges(y1, y2, ph, height, dtype);
  const [w0, w1] = binEdges(x1, x2, pw, width, dtype);
  const perBin = (t: Tensor, shape: number[]) => t.view(shape).expand(k, ph, pw).reshape(-1);
  return {
    batch: perBin(r.index(':', 0).long(), [k, 1, 1]),
    h0: perBin(h0, [k, ph, 1]),
    w0: perBin(w0, [k, 1, pw]),
    rows: perBin(h1.sub(h0).clampMin(0), [k, ph, 1]),
    cols: perBin(w1.sub(w0).clampMin(0), [k, 1, pw]),
  };
}

/** [bins, C]: each bin an embedding_bag 'max' (or 'mean') over its cells (rows of flat, [N * H * W, C]). */
export function poolByCells(flat: Tensor, b: Bins, height: number, width: number, mode: 'max' | 'mean' = 'max'): Tensor {
  const { cells, offsets } = torch.noGrad(() => {
    const counts = b.rows.mul(b.cols);
    const first = counts.cumsum(0).sub(counts);
    const total = counts.sum().item() as number;
    const bin = torch.arange(counts.size(0), { device: flat.device }).repeatInterleave(counts, { outputSize: total });
    const j = torch.arange(total, { device: flat.device }).sub(first.index(bin));
    const cols = b.cols.index(bin);
    const row = b.h0.index(bin).add(j.div(cols, { roundingMode: 'floor' }));
    const col = b.w0.index(bin).add(j.remainder(cols));
    return { cells: b.batch.index(bin).mul(height).add(row).mul(width).add(col), offsets: first };
  });
  if (mode === 'mean') return embeddingBag(cells, flat, { offsets, mode });
  return BinMax.apply(flat, cells, offsets);
}

/**
 * embedding_bag 'max' with the kernel's backward: each bin's first maximum (strict >, as the
 * kernel scans) gets the bin's gradient, in one scatter (embedding_bag's own backward loops over
 * channels); empty bins give 0 and no gradient.
 */
class BinMax extends AutogradFunction {
  static forward(ctx: FunctionCtx, flat: Tensor, cells: Tensor, offsets: Tensor): Tensor {
    const [best, , size, argmax] = torch.embeddingBag(flat, cells, offsets, false, 2);
    const empty = size.eq(0).view(-1, 1);
    ctx.saveForBackward(argmax.maskedFill(empty, 0), empty);
    ctx.rows = flat.size(0);
    return best;
  }

  static backward(ctx: FunctionCtx, grad: Tensor): (Tensor | null)[] {
    const [argmax, empty] = ctx.savedTensors as Tensor[];
    const out = torch.zeros([ctx.rows as number, grad.size(1)], { dtype: grad.dtype, device: grad.device });
    return [out.scatterAdd_(0, argmax, grad.maskedFill(empty, 0)), null, null];
  }
}

/** roi_pool(input, boxes, output_size, spatial_scale=1.0): [K, C, PH, PW] */
export function roiPool(...args: ArgsOf<typeof ROI_POOL>): Tensor {
  const { input, boxes, outputSize, spatialScale = 1 } = ROI_POOL.bind('roi_pool', args);
  const rois = roisOf(boxes);
  const [ph, pw] = pairOf(outputSize);
  const [, c, height, width] = input.shape;
  const k = rois.size(0);
  if (k === 0) return torch.zeros([0, c, ph, pw], { dtype: input.dtype, device: input.device });
  const bins = torch.noGrad(() => binsOf(rois, input.shape, ph, pw, spatialScale, input.dtype));
  // the kernel's strict > never picks a NaN: as -inf, none is picked unless the whole bin is NaN
  const cleaned = input.isnan().any().item() ? torch.where(input.isnan(), -Infinity, input) : input;
  const nhwc = cleaned.permute(0, 2, 3, 1);
  let best: Tensor;
  // with gradients, or when the tables would not be cheaper, each bin's max with the kernel's argmax
  const levels = input.requiresGrad && isGradEnabled() ? null : torch.noGrad(() => levelsOf(bins));
  // the tables cost a pass over the whole map per window size, the cell scan every bin's cells
  const size = levels ? tablesSize(levels, input.numel()) : Infinity;
  const tables = size <= TABLES_LIMIT && size < c * (bins.rows.mul(bins.cols).sum().item() as number);
  // the kernel starts each max at -FLT_MAX: below it (-inf) it keeps -FLT_MAX, with no gradient
  if (levels && tables) {
    const empty = bins.rows.eq(0).logicalOr(bins.cols.eq(0)).view(-1, 1);
    best = torch.noGrad(() => binMaxima(nhwc.contiguous(), bins, levels).maskedFill(empty, 0).clampMin_(-FLT_MAX));
  } else if (input.dtype === torch.float32 || input.dtype === torch.float64) {
    best = binMax(nhwc.reshape(-1, c), bins, height, width); // clamped so
  } else {
    best = poolByCells(nhwc.reshape(-1, c), bins, height, width).clampMin(-FLT_MAX);
  }
  return best.view(k, ph, pw, c).permute(0, 3, 1, 2).contiguous();
}

export interface RoIPoolArgs {
  outputSize: number | readonly number[];
  spatialScale: number;
}
const ROI_POOL_MODULE = signature<RoIPoolArgs>()(['outputSize', 'spatialScale'], []);

/** RoIPool(output_size, spatial_scale): roi_pool as a module, forward(input, rois). */
export class RoIPool extends Module {
  readonly outputSize: number | readonly number[];
  readonly spatialScale: number;

  constructor(...args: ArgsOf<typeof ROI_POOL_MODULE>) {
    super();
    const { outputSize, spatialScale } = ROI_POOL_MODULE.bind('RoIPool', args);
    this.outputSize = outputSize;
    this.spatialScale = spatialScale;
  }

  forward(input: Tensor, rois: RoiBoxes): Tensor {
    return roiPool(input, rois, this.outputSize, this.spatialScale);
  }

  toString(): string {
    return `RoIPool(output_size=${sizeRepr(this.outputSize)}, spatial_scale=${pyFloat(this.spatialScale)})`;
  }
}
