// torchvision.ops.ps_roi_align / PSRoIAlign (position-sensitive RoI Align, Light-Head R-CNN), from
// ATen ops: output channel c of bin (ph, pw) averages bilinear samples of input channel
// (c * PH + ph) * PW + pw, sampled as roi_align with aligned=True samples (the kernel's half-pixel
// shift, no minimum region size), divided by the sample count as the kernel divides (none for an
// empty region: 0 / 0). Each bin's channels are rows of a [PH * PW, N, H, W, C_out] view of the
// input, and each output cell an embedding_bag 'sum' over its samples' weighted neighbours, so
// autograd scatters the gradient back with the same weights, as the kernel's backward.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pyFloat } from '../../py-format';
import { embeddingBag } from '../../nn/functional/embedding';
import { ArgsOf, signature } from '../../keywords';
import { RoiBoxes, chunks, pairOf, roisOf, sizeRepr } from './roi-boxes';
import { binSamples } from './roi-align';

export interface PsRoiAlignArgs {
  /** [N, C, H, W], C a multiple of output height * width */
  input: Tensor;
  /** [K, 5] (batch index, x1, y1, x2, y2), or one [L, 4] tensor of boxes per image */
  boxes: RoiBoxes;
  outputSize: number | readonly number[];
  /** box coordinates times this are input coordinates; default 1 */
  spatialScale?: number;
  /** samples per bin side; -1 (default): ceil(region size / output size) */
  samplingRatio?: number;
}
const PS_ROI_ALIGN = signature<PsRoiAlignArgs>()(['input', 'boxes', 'outputSize'], ['spatialScale', 'samplingRatio']);

/** [N * H * W rows per bin, C / (PH * PW)]: bin (ph, pw)'s channels of every pixel, bin-major. */
export function positionSensitiveRows(input: Tensor, ph: number, pw: number): Tensor {
  const [n, c, height, width] = input.shape;
  if (c % (ph * pw) !== 0) throw new TorchError('input channels must be a multiple of pooling height * pooling width');
  const out = c / (ph * pw);
  return input.reshape(n, out, ph * pw, height, width).permute(2, 0, 3, 4, 1).reshape(-1, out);
}

function alignChunk(rows: Tensor, rois: Tensor, dims: number[], ph: number, pw: number, scale: number, ratio: number): Tensor {
  const [n, , height, width] = dims;
  const { weights, index, count, nans, gh, gw } = torch.noGrad(() => {
    const r = rois.detach().to(rows.dtype);
    // sampled as roi_align with aligned=True
    const s = binSamples(r, scale, 0.5, false, ratio, ph, pw, height, width);
    // rows of bin (ph, pw) of image b start at ((ph * PW + pw) * N + b) * H * W
    const bin = torch.arange(ph * pw, { device: rows.device }).view(1, ph, 1, pw, 1);
    const base = r.index(':', 0).long().view(-1, 1, 1, 1, 1).add(bin.mul(n)).mul(height);
    // the kernel divides by grid_h * grid_w as is, 0 / 0 = NaN for a region with no samples: that
    // NaN is added as a constant, so that no NaN gradient reaches the input
    const counts = s.gridH.mul(s.gridW).to(rows.dtype).view(-1, 1, 1, 1);
    const none = counts.eq(0);
    const nans = torch.zerosLike(counts).maskedFill(none, Number.NaN);
    return { weights: s.weights, index: s.neighbours(base), count: counts.maskedFill(none, 1), nans, gh: s.gh, gw: s.gw };
  });
  const k = rois.size(0);
  const bags = (t: Tensor) => t.permute(0, 1, 3, 2, 4, 5).reshape(k * ph * pw, gh * gw * 4);
  const sums = embeddingBag(bags(index), rows, { mode: 'sum', perSampleWeights: bags(weights) });
  return sums.view(k, ph, pw, -1).div(count).add(nans).permute(0, 3, 1, 2); // [K, C_out, PH, PW]
}

/** ps_roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1): [K, C / (PH * PW), PH, PW] */
export function psRoiAlign(...args: ArgsOf<typeof PS_ROI_ALIGN>): Tensor {
  const { input, boxes, outputSize, spatialScale = 1, samplingRatio = -1 } = PS_ROI_ALIGN.bind('ps_roi_align', args);
  const rois = roisOf(boxes);
  const [ph, pw] = pairOf(outputSize);
  const rows = positionSensitiveRows(input, ph, pw);
  const channels = rows.size(1);
  if (rois.size(0) === 0) return torch.zeros([0, channels, ph, pw], { dtype: input.dtype, device: input.device });
  const perRoi = ph * pw * 4 * Math.max(2, samplingRatio) ** 2;
  const parts = chunks(rois.size(0), perRoi).map(([s, n]) => alignChunk(rows, rois.narrow(0, s, n), input.shape, ph, pw, spatialScale, samplingRatio));
  return (parts.length === 1 ? parts[0] : torch.cat(parts, 0)).contiguous();
}

export interface PSRoIAlignArgs {
  outputSize: number | readonly number[];
  spatialScale: number;
  samplingRatio: number;
}
const PS_ROI_ALIGN_MODULE = signature<PSRoIAlignArgs>()(['outputSize', 'spatialScale', 'samplingRatio'], []);

/** PSRoIAlign(output_size, spatial_scale, sampling_ratio): ps_roi_align as a module, forward(input, rois). */
export class PSRoIAlign extends Module {
  readonly outputSize: number | readonly number[];
  readonly spatialScale: number;
  readonly samplingRatio: number;

  constructor(...args: ArgsOf<typeof PS_ROI_ALIGN_MODULE>) {
    super();
    const { outputSize, spatialScale, samplingRatio } = PS_ROI_ALIGN_MODULE.bind('PSRoIAlign', args);
    this.outputSize = outputSize;
    this.spatialScale = spatialScale;
    this.samplingRatio = samplingRatio;
  }

  forward(input: Tensor, rois: RoiBoxes): Tensor {
    return psRoiAlign(input, rois, this.outputSize, this.spatialScale, this.samplingRatio);
  }

  toString(): string {
    return `PSRoIAlign(output_size=${sizeRepr(this.outputSize)}, spatial_scale=${pyFloat(this.spatialScale)}, sampling_ratio=${this.samplingRatio})`;
  }
}
