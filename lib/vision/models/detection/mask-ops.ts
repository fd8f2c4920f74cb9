// Mask R-CNN's loss and inference (torchvision's roi_heads.py): gt masks cropped to each positive
// proposal with roi_align at the head's resolution, binary cross-entropy on the logits of the
// matched class; at inference the sigmoid of the predicted class's logits.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { binaryCrossEntropyWithLogits } from '../../../nn/functional/loss';
import { roiAlign } from '../../ops/roi-align';

/** Per image: [N, 1, M, M] probabilities of each detection's own label. */
export function maskrcnnInference(x: Tensor, labels: readonly Tensor[]): Tensor[] {
  const maskProb = x.sigmoid();
  const boxesPerImage = labels.map((l) => l.size(0));
  const all = torch.cat([...labels], 0);
  const index = torch.arange(x.size(0), { device: all.device });
  return maskProb.index(index, all).index(':', null).split(boxesPerImage, 0);
}

/** The gt masks matched to each box, cropped and resized to M x M by roi_align. */
export function projectMasksOnBoxes(gtMasks: Tensor, boxes: Tensor, matchedIdxs: Tensor, m: number): Tensor {
  const idx = matchedIdxs.to(boxes);
  const rois = torch.cat([idx.index(':', null), boxes], 1);
  const masks = gtMasks.index(':', null).to(rois);
  return roiAlign(masks, rois, [m, m], 1.0).index(':', 0);
}

/** maskrcnn_loss(mask_logits, proposals, gt_masks, gt_labels, mask_matched_idxs) */
export function maskrcnnLoss(maskLogits: Tensor, proposals: readonly Tensor[], gtMasks: readonly Tensor[], gtLabels: readonly Tensor[], maskMatchedIdxs: readonly Tensor[]): Tensor {
  const size = maskLogits.size(-1);
  const labels = torch.cat(gtLabels.map((l, i) => l.index(maskMatchedIdxs[i])), 0);
  const targets = torch.cat(gtMasks.map((g, i) => projectMasksOnBoxes(g, proposals[i], maskMatchedIdxs[i], size)), 0);
  if (targets.numel() === 0) return maskLogits.sum().mul(0);
  return binaryCrossEntropyWithLogits(maskLogits.index(torch.arange(labels.size(0), { device: labels.device }), labels), targets);
}
