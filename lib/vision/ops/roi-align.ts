// torchvision.ops.roi_align / RoIAlign, from ATen ops: each output bin averages bilinear samples
// on a grid (sampling_ratio per side, or ceil(roi size / output size) per region when -1), placed
// and weighted exactly as torchvision's CPU kernel computes them (same float ops, same edge rules).
// Each output cell is an embedding_bag 'sum' over the rows (channels-last input) of its samples'
// four neighbours, weighted as bilinear interpolation; so autograd's gradient is the kernel's
// backward (the same weights scattered back). Regions get no gradient.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pyBool, pyFloat } from '../../py-format';
import { embeddingBag } from '../../nn/functional/embedding';
import { ArgsOf, signature } from '../../keywords';
import { RoiBoxes, chunks, pairOf, roisOf, sizeRepr } from './roi-boxes';

export interface RoiAlignArgs {
  /** [N, C, H, W] */
  input: Tensor;
  /** [K, 5] (batch index, x1, y1, x2, y2), or one [L, 4] tensor of boxes per image */
  boxes: RoiBoxes;
  /** the output's [height, width] per region */
  outputSize: number | readonly number[];
  /** box coordinates times this are input coordinates; default 1 */
  spatialScale?: number;
  /** samples per bin side; -1 (default): ceil(region size / output size) */
  samplingRatio?: number;
  /** shift the boxes by -0.5 pixel (pixel centres); default false */
  aligned?: boolean;
}
const ROI_ALIGN = signature<RoiAlignArgs>()(['input', 'boxes', 'outputSize'], ['spatialScale', 'samplingRatio', 'aligned']);

/** One axis of the sampling grid: [K, P, G] low/high neighbours, their weights, and which samples count. */
function axis(start: Tensor, size: Tensor, grid: Tensor, pooled: number, g: number, extent: number) {
  const bin = size.div(pooled); // [K]
  const p = torch.arange(pooled, { dtype: start.dtype, device: start.device }).view(1, pooled, 1);
  const i = torch.arange(g, { dtype: start.dtype, device: start.device }).view(1, 1, g);
  const gridF = grid.to(start.dtype).view(-1, 1, 1);
  const at = start.view(-1, 1, 1).add(p.mul(bin.view(-1, 1, 1))).add(i.add(0.5).mul(bin.view(-1, 1, 1)).div(gridF));
  const inside = at.ge(-1).logicalAnd(at.le(extent)).logicalAnd(i.lt(grid.view(-1, 1, 1)));
  let c = at.clampMin(0);
  let low = c.floor();
  const edge = low.ge(extent - 1);
  low = torch.where(edge, torch.fullLike(low, extent - 1), low);
  c = torch.where(edge, low, c);
  const high = torch.where(edge, low, low.add(1));
  const l = c.sub(low);
  const h = l.neg().add(1);
  return { low: low.long(), high: high.long(), l, h, inside };
}

/**
 * The bilinear samples of each region's bins, as the kernels place them ([K, 5] regions r, shifted
 * by -offset; minSize: regions at least 1x1): per bin a grid of up to GH x GW samples, each with
 * its 4 neighbours' weights ([K, PH, GH, PW, GW, 4], 0 for samples outside) and, from the row
 * where each region's image starts, the neighbours' rows of a [rows, C] table.
 */
export function binSamples(r: Tensor, scale: number, offset: number, minSize: boolean, ratio: number, ph: number, pw: number, height: number, width: number) {
  const [x1, y1, x2, y2] = [1, 2, 3, 4].map((j) => r.index(':', j).mul(scale).sub(offset));
  let [roiW, roiH] = [x2.sub(x1), y2.sub(y1)];
  if (minSize) [roiW, roiH] = [roiW.clampMin(1), roiH.clampMin(1)];
  const gridOf = (size: Tensor, pooled: number) => (ratio > 0 ? torch.fullLike(size, ratio) : size.div(pooled).ceil()).long();
  const [gridH, gridW] = [gridOf(roiH, ph), gridOf(roiW, pw)];
  const gh = Math.max(1, gridH.max().item()), gw = Math.max(1, gridW.max().item());
  const y = axis(y1, roiH, gridH, ph, gh, height); // [K, PH, GH]
  const x = axis(x1, roiW, gridW, pw, gw, width); // [K, PW, GW]
  const [Y, X] = [(t: Tensor) => t.view(-1, ph, gh, 1, 1), (t: Tensor) => t.view(-1, 1, 1, pw, gw)];
  const inside = Y(y.inside).logicalAnd(X(x.inside));
  const weights = torch.stack([Y(y.h).mul(X(x.h)), Y(y.h).mul(X(x.l)), Y(y.l).mul(X(x.h)), Y(y.l).mul(X(x.l))].map((t) => t.mul(inside)), -1);
  /** base: [K, PH, 1, PW, 1] first row of each region's image (per bin where the table is bin-major) */
  const neighbours = (base: Tensor) => {
    const at = (yy: Tensor, xx: Tensor) => base.add(Y(yy)).mul(width).add(X(xx)).mul(inside);
    return torch.stack([at(y.low, x.low), at(y.low, x.high), at(y.high, x.low), at(y.high, x.high)], -1);
  };
  return { gridH, gridW, gh, gw, weights, neighbours };
}

function alignChunk(flat: Tensor, rois: Tensor, dims: number[], ph: number, pw: number, scale: number, ratio: number, aligned: boolean): Tensor {
  const [, c, height] = dims;
  const { weights, index, count, gh, gw } = torch.noGrad(() => {
    const r = rois.detach().to(flat.dtype);
    const s = binSamples(r, scale, aligned ? 0.5 : 0, !aligned, ratio, ph, pw, height, dims[3]);
    const base = r.index(':', 0).long().view(-1, 1, 1, 1, 1).mul(height);
    const counts = s.gridH.mul(s.gridW).clampMin(1).to(flat.dtype).view(-1, 1, 1, 1);
    return { weights: s.weights, index: s.neighbours(base), count: counts, gh: s.gh, gw: s.gw };
  });
  // one bag per output cell: its samples' neighbours, summed with their weights (no [.., C] copies)
  const k = rois.size(0);
  const bags = (t: Tensor) => t.permute(0, 1, 3, 2, 4, 5).reshape(k * ph * pw, gh * gw * 4);
  const sums = embeddingBag(bags(index), flat, { mode: 'sum', perSampleWeights: bags(weights) });
  const out = sums.view(k, ph, pw, c).div(count); // [K, PH, PW, C]
  return out.permute(0, 3, 1, 2);
}

/** roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False): [K, C, PH, PW] */
export function roiAlign(...args: ArgsOf<typeof ROI_ALIGN>): Tensor {
  const { input, boxes, outputSize, spatialScale = 1, samplingRatio = -1, aligned = false } = ROI_ALIGN.bind('roi_align', args);
  const rois = roisOf(boxes);
  const [ph, pw] = pairOf(outputSize);
  const c = input.size(1);
  if (rois.size(0) === 0) return torch.zeros([0, c, ph, pw], { dtype: input.dtype, device: input.device });
  const flat = input.permute(0, 2, 3, 1).reshape(-1, c); // [N * H * W, C]
  const perRoi = ph * pw * 4 * Math.max(2, samplingRatio) ** 2;
  const parts = chunks(rois.size(0), perRoi).map(([s, n]) => alignChunk(flat, rois.narrow(0, s, n), input.shape, ph, pw, spatialScale, samplingRatio, aligned));
  return (parts.length === 1 ? parts[0] : torch.cat(parts, 0)).contiguous();
}

export interface RoIAlignArgs {
  outputSize: number | readonly number[];
  spatialScale: number;
  samplingRatio: number;
  aligned?: boolean;
}
const ROI_ALIGN_MODULE = signature<RoIAlignArgs>()(['outputSize', 'spatialScale', 'samplingRatio'], ['aligned']);

/** RoIAlign(output_size, spatial_scale, sampling_ratio, aligned=False): roi_align as a module, forward(input, rois). */
export class RoIAlign extends Module {
  readonly outputSize: number | readonly number[];
  readonly spatialScale: number;
  readonly samplingRatio: number;
  readonly aligned: boolean;

  constructor(...args: ArgsOf<typeof ROI_ALIGN_MODULE>) {
    super();
    const { outputSize, spatialScale, samplingRatio, aligned = false } = ROI_ALIGN_MODULE.bind('RoIAlign', args);
    this.outputSize = outputSize;
    this.spatialScale = spatialScale;
    this.samplingRatio = samplingRatio;
    this.aligned = aligned;
  }

  forward(input: Tensor, rois: RoiBoxes): Tensor {
    return roiAlign(input, rois, this.outputSize, this.spatialScale, this.samplingRatio, this.aligned);
  }

  toString(): string {
    return `RoIAlign(output_size=${sizeRepr(this.outputSize)}, spatial_scale=${pyFloat(this.spatialScale)}, sampling_ratio=${this.samplingRatio}, aligned=${pyBool(this.aligned)})`;
  }
}
