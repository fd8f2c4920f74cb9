// torchvision.models.optical_flow._utils: grid_sample at absolute pixel coordinates, the grid of
// pixel coordinates (x, y) a flow is added to, and the upsampling of a 1/8-resolution flow.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { gridSample, interpolate } from '../../../nn/functional/vision';
import { unfold } from '../../../nn/functional/conv';

/** F.grid_sample with absolute pixel coordinates (x, y) in the last dimension instead of [-1, 1] ones. */
export function gridSampleWithCoords(img: Tensor, absoluteGrid: Tensor, mode: 'bilinear' | 'nearest' | 'bicubic' = 'bilinear', alignCorners: boolean | null = null): Tensor {
  const [h, w] = img.shape.slice(-2);
  let [xgrid, ygrid] = absoluteGrid.split([1, 1], -1);
  xgrid = xgrid.mul(2).div(w - 1).sub(1);
  // a single row keeps its coordinates (as torchvision, for RAFT-Stereo)
  if (h > 1) ygrid = ygrid.mul(2).div(h - 1).sub(1);
  return gridSample(img, torch.cat([xgrid, ygrid], -1), { mode, alignCorners });
}

/** [batchSize, 2, h, w] float coordinates: channel 0 is x (the column), channel 1 is y (the row). */
export function makeCoordsGrid(batchSize: number, h: number, w: number, device: string | torch.Device = 'cpu'): Tensor {
  const coords = torch.meshgrid([torch.arange(h, { device }), torch.arange(w, { device })], { indexing: 'ij' }) as Tensor[];
  const xy = torch.stack([coords[1], coords[0]], 0).float();
  return xy.unsqueeze(0).repeat([batchSize, 1, 1, 1]);
}

/**
 * A flow [B, 2, h, w] at `factor` times its resolution (values scaled by the factor): bilinear
 * without a mask, else each fine pixel a convex (softmax) combination of its 3x3 coarse neighbours.
 */
export function upsampleFlow(flow: Tensor, upMask: Tensor | null = null, factor = 8): Tensor {
  const [batchSize, numChannels, h, w] = flow.shape;
  const [newH, newW] = [h * factor, w * factor];
  if (upMask === null) return interpolate(flow, { size: [newH, newW], mode: 'bilinear', alignCorners: true }).mul(factor);
  const weights = upMask.view([batchSize, 1, 9, factor, factor, h, w]).softmax(2);
  const neighbours = unfold(flow.mul(factor), 3, { padding: 1 }).view([batchSize, numChannels, 9, 1, 1, h, w]);
  const upsampled = weights.mul(neighbours).sum(2);
  return upsampled.permute([0, 1, 4, 2, 5, 3]).reshape([batchSize, numChannels, newH, newW]);
}
