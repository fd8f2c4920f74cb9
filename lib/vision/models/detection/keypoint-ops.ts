// Keypoint R-CNN's loss and inference (torchvision's roi_heads.py): each gt keypoint becomes the
// index of its cell in the proposal's heatmap (cross-entropy over the cells); at inference each
// heatmap is resized (bicubic) to its box and its maximum is the keypoint.
import { ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { crossEntropy } from '../../../nn/functional/classification-loss';
import { interpolate } from '../../../nn/functional/vision';

/** [heatmap cell index per keypoint, valid (inside and visible)] for keypoints [N, K, 3] in rois [N, 4] */
export function keypointsToHeatmap(keypoints: Tensor, rois: Tensor, heatmapSize: number): [Tensor, Tensor] {
  const col = (i: number) => rois.index(':', i);
  const offsetX = col(0).index(':', null), offsetY = col(1).index(':', null);
  const scaleX = col(2).sub(col(0)).reciprocal().mul(heatmapSize).index(':', null);
  const scaleY = col(3).sub(col(1)).reciprocal().mul(heatmapSize).index(':', null);
  let x = keypoints.index('...', 0);
  let y = keypoints.index('...', 1);
  const xBoundary = x.eq(col(2).index(':', null));
  const yBoundary = y.eq(col(3).index(':', null));
  x = x.sub(offsetX).mul(scaleX).floor().long();
  y = y.sub(offsetY).mul(scaleY).floor().long();
  x.indexPut_([xBoundary], heatmapSize - 1);
  y.indexPut_([yBoundary], heatmapSize - 1);
  const validLoc = x.ge(0).logicalAnd(y.ge(0)).logicalAnd(x.lt(heatmapSize)).logicalAnd(y.lt(heatmapSize));
  const vis = keypoints.index('...', 2).gt(0);
  const valid = validLoc.logicalAnd(vis).long();
  const linInd = y.mul(heatmapSize).add(x);
  return [linInd.mul(valid), valid];
}

/** Per roi: keypoints [K, 3] (x, y, 1) at each heatmap's maximum, and the maxima [K]. */
export function heatmapsToKeypoints(maps: Tensor, rois: Tensor): [Tensor, Tensor] {
  const offsetX = rois.index(':', 0), offsetY = rois.index(':', 1);
  const widths = rois.index(':', 2).sub(rois.index(':', 0)).clamp({ min: 1 });
  const heights = rois.index(':', 3).sub(rois.index(':', 1)).clamp({ min: 1 });
  const widthsCeil = widths.ceil(), heightsCeil = heights.ceil();
  const k = maps.size(1);
  const n = rois.size(0);
  const xyPreds = torch.zeros([n, 3, k], { dtype: torch.float32, device: maps.device });
  const endScores = torch.zeros([n, k], { dtype: torch.float32, device: maps.device });
  for (let i = 0; i < n; i++) {
    const roiMapWidth = Math.trunc(widthsCeil.index(i).item() as number);
    const roiMapHeight = Math.trunc(heightsCeil.index(i).item() as number);
    const widthCorrection = widths.index(i).div(roiMapWidth);
    const heightCorrection = heights.index(i).div(roiMapHeight);
    const roiMap = interpolate(maps.index(i).index(':', null), { size: [roiMapHeight, roiMapWidth], mode: 'bicubic', alignCorners: false }).index(':', 0);
    const w = roiMap.size(2);
    const pos = roiMap.reshape(k, -1).argmax(1);
    const xInt = pos.remainder(w);
    const yInt = torch.div(pos.sub(xInt), w, { roundingMode: 'floor' });
    const x = xInt.float().add(0.5).mul(widthCorrection);
    const y = yInt.float().add(0.5).mul(heightCorrection);
    xyPreds.indexPut_([i, 0, ':'], x.add(offsetX.index(i)));
    xyPreds.indexPut_([i, 1, ':'], y.add(offsetY.index(i)));
    xyPreds.indexPut_([i, 2, ':'], 1);
    endScores.indexPut_([i, ':'], roiMap.index(torch.arange(k, { device: roiMap.device }), yInt, xInt));
  }
  return [xyPreds.permute(0, 2, 1), endScores];
}

/** keypointrcnn_loss(keypoint_logits, proposals, gt_keypoints, keypoint_matched_idxs) */
export function keypointrcnnLoss(keypointLogits: Tensor, proposals: readonly Tensor[], gtKeypoints: readonly Tensor[], keypointMatchedIdxs: readonly Tensor[]): Tensor {
  const [n, k, h, w] = keypointLogits.shape;
  if (h !== w) throw new ValueError(`keypoint_logits height and width (last two elements of shape) should be equal. Instead got H = ${h} and W = ${w}`);
  const heatmaps: Tensor[] = [];
  const valids: Tensor[] = [];
  proposals.forEach((p, i) => {
    const kp = gtKeypoints[i].index(keypointMatchedIdxs[i]);
    const [hm, v] = keypointsToHeatmap(kp, p, h);
    heatmaps.push(hm.view(-1));
    valids.push(v.view(-1));
  });
  const targets = torch.cat(heatmaps, 0);
  const valid = torch.where(torch.cat(valids, 0).to(torch.uint8))[0];
  if (targets.numel() === 0 || valid.size(0) === 0) return keypointLogits.sum().mul(0);
  return crossEntropy(keypointLogits.view(n * k, h * w).index(valid), targets.index(valid));
}

/** Per image: [keypoints [N, K, 3], scores [N, K]]. */
export function keypointrcnnInference(x: Tensor, boxes: readonly Tensor[]): [Tensor[], Tensor[]] {
  const probs: Tensor[] = [];
  const scores: Tensor[] = [];
  const parts = x.split(boxes.map((b) => b.size(0)), 0);
  parts.forEach((xx, i) => {
    const [p, s] = heatmapsToKeypoints(xx, boxes[i]);
    probs.push(p);
    scores.push(s);
  });
  return [probs, scores];
}
