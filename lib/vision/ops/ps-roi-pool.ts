// torchvision.ops.ps_roi_pool / PSRoIPool (position-sensitive RoI pooling, R-FCN), from ATen ops:
// output channel c of bin (ph, pw) is the mean of input channel (c * PH + ph) * PW + pw over the
// bin's integer cells, the cells as torchvision's CPU kernel computes them (corners rounded half away
// from zero, a region of x2 - x1 cells (roi_pool's has one more), at least 1); empty bins give 0.
// The kernel's forward clamps bin edges to [0, size - 1] (the last row and column never count), its
// backward to [0, size]: the values here are the forward's, the gradients the backward's (a mean
// over the backward's cells, added as bwd - bwd.detach()). Each mean is an embedding_bag 'mean'
// over the bin's cells in a [PH * PW, N, H, W, C_out] view of the input.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pyFloat } from '../../py-format';
import { isGradEnabled } from '../../autograd/grad-mode';
import { ArgsOf, signature } from '../../keywords';
import { RoiBoxes, pairOf, roisOf, sizeRepr } from './roi-boxes';
import { Bins, binEdges, poolByCells, roundHalfAway } from './roi-pool';
import { positionSensitiveRows } from './ps-roi-align';

export interface PsRoiPoolArgs {
  /** [N, C, H, W], C a multiple of output height * width */
  input: Tensor;
  /** [K, 5] (batch index, x1, y1, x2, y2), or one [L, 4] tensor of boxes per image */
  boxes: RoiBoxes;
  outputSize: number | readonly number[];
  /** box coordinates times this are input coordinates; default 1 */
  spatialScale?: number;
}
const PS_ROI_POOL = signature<PsRoiPoolArgs>()(['input', 'boxes', 'outputSize'], ['spatialScale']);

/** The bins of every region, each in its own (bin, image) block of H * W rows; edges clamped to [0, size + last]. */
function binsOf(rois: Tensor, dims: number[], ph: number, pw: number, scale: number, dtype: torch.DType, last: 0 | -1): Bins {
  const [n, , height, width] = dims;
  const k = rois.size(0);
  const r = rois.detach().to(dtype);
  const [x1, y1, x2, y2] = [1, 2, 3, 4].map((j) => roundHalfAway(r.index(':', j).mul(scale)));
  const [h0, h1] = binEdges(y1, y2, ph, height + last, dtype, 0);
  const [w0, w1] = binEdges(x1, x2, pw, width + last, dtype, 0);
  const perBin = (t: Tensor, shape: number[]) => t.view(shape).expand(k, ph, pw).reshape(-1);
  const bin = torch.arange(ph * pw, { device: rois.device }).view(1, ph, pw);
  return {
    batch: r.index(':', 0).long().view(k, 1, 1).add(bin.mul(n)).reshape(-1),
    h0: perBin(h0, [k, ph, 1]),
    w0: perBin(w0, [k, 1, pw]),
    rows: perBin(h1.sub(h0).clampMin(0), [k, ph, 1]),
    cols: perBin(w1.sub(w0).clampMin(0), [k, 1, pw]),
  };
}

/** ps_roi_pool(input, boxes, output_size, spatial_scale=1.0): [K, C / (PH * PW), PH, PW] */
export function psRoiPool(...args: ArgsOf<typeof PS_ROI_POOL>): Tensor {
  const { input, boxes, outputSize, spatialScale = 1 } = PS_ROI_POOL.bind('ps_roi_pool', args);
  const rois = roisOf(boxes);
  const [ph, pw] = pairOf(outputSize);
  const rows = positionSensitiveRows(input, ph, pw);
  const channels = rows.size(1);
  const k = rois.size(0);
  if (k === 0) return torch.zeros([0, channels, ph, pw], { dtype: input.dtype, device: input.device });
  const [height, width] = input.shape.slice(2);
  const meanOver = (last: 0 | -1) => poolByCells(rows, torch.noGrad(() => binsOf(rois, input.shape, ph, pw, spatialScale, input.dtype, last)), height, width, 'mean');
  let means = torch.noGrad(() => meanOver(-1));
  if (input.requiresGrad && isGradEnabled()) {
    const backward = meanOver(0);
    means = means.add(backward.sub(backward.detach()));
  }
  return means.view(k, ph, pw, channels).permute(0, 3, 1, 2).contiguous();
}

export interface PSRoIPoolArgs {
  outputSize: number | readonly number[];
  spatialScale: number;
}
const PS_ROI_POOL_MODULE = signature<PSRoIPoolArgs>()(['outputSize', 'spatialScale'], []);

/** PSRoIPool(output_size, spatial_scale): ps_roi_pool as a module, forward(input, rois). */
export class PSRoIPool extends Module {
  readonly outputSize: number | readonly number[];
  readonly spatialScale: number;

  constructor(...args: ArgsOf<typeof PS_ROI_POOL_MODULE>) {
    super();
    const { outputSize, spatialScale } = PS_ROI_POOL_MODULE.bind('PSRoIPool', args);
    this.outputSize = outputSize;
    this.spatialScale = spatialScale;
  }

  forward(input: Tensor, rois: RoiBoxes): Tensor {
    return psRoiPool(input, rois, this.outputSize, this.spatialScale);
  }

  toString(): string {
    return `PSRoIPool(output_size=${sizeRepr(this.outputSize)}, spatial_scale=${pyFloat(this.spatialScale)})`;
  }
}
