// torchvision.ops detection losses (focal_loss.py, giou_loss.py, diou_loss.py, ciou_loss.py):
// elementwise over matching boxes (not pairwise like box_iou), the same ops in the same order, so
// values and autograd's gradients are torchvision's. As torchvision, a reduction other than 'mean'
// or 'sum' means 'none'.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { binaryCrossEntropyWithLogits } from '../../nn/functional/loss';
import { ArgsOf, signature } from '../../keywords';
import { upcastNonFloat } from './boxes';

export type LossReduction = 'none' | 'mean' | 'sum';

function reduce(loss: Tensor, reduction: string, emptyMeanIsZero: boolean): Tensor {
  if (reduction === 'mean') return emptyMeanIsZero && loss.numel() === 0 ? loss.sum().mul(0) : loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

export interface SigmoidFocalLossArgs {
  inputs: Tensor;
  /** the binary labels (0 or 1) of each element of inputs */
  targets: Tensor;
  /** weight of the positives (1 - alpha for the negatives); < 0: no weighting. Default 0.25 */
  alpha?: number;
  /** exponent of (1 - p_t), down-weighting easy examples; default 2 */
  gamma?: number;
  reduction?: LossReduction;
}
const SIGMOID_FOCAL_LOSS = signature<SigmoidFocalLossArgs>()(['inputs', 'targets'], ['alpha', 'gamma', 'reduction']);

/** sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2, reduction='none') (RetinaNet). */
export function sigmoidFocalLoss(...args: ArgsOf<typeof SIGMOID_FOCAL_LOSS>): Tensor {
  const { inputs, targets, alpha = 0.25, gamma = 2, reduction = 'none' } = SIGMOID_FOCAL_LOSS.bind('sigmoid_focal_loss', args);
  const p = torch.sigmoid(inputs);
  const ceLoss = binaryCrossEntropyWithLogits(inputs, targets, { reduction: 'none' });
  const pT = p.mul(targets).add(p.neg().add(1).mul(targets.neg().add(1)));
  let loss = ceLoss.mul(pT.neg().add(1).pow(gamma));
  if (alpha >= 0) {
    const alphaT = targets.mul(alpha).add(targets.neg().add(1).mul(1 - alpha));
    loss = alphaT.mul(loss);
  }
  return reduce(loss, reduction, false);
}

export interface BoxLossArgs {
  /** [..., 4] predicted boxes, (x1, y1, x2, y2) */
  boxes1: Tensor;
  /** [..., 4] target boxes, matching boxes1 */
  boxes2: Tensor;
  reduction?: LossReduction;
  /** guards the divisions; default 1e-7 */
  eps?: number;
}
const GIOU_LOSS = signature<BoxLossArgs>()(['boxes1', 'boxes2'], ['reduction', 'eps']);
const DIOU_LOSS = signature<BoxLossArgs>()(['boxes1', 'boxes2'], ['reduction', 'eps']);
const CIOU_LOSS = signature<BoxLossArgs>()(['boxes1', 'boxes2'], ['reduction', 'eps']);

/** torchvision's _loss_inter_union: elementwise intersection (0 where the boxes are apart) and union. */
function interUnion(boxes1: Tensor, boxes2: Tensor): [Tensor, Tensor] {
  const [x1, y1, x2, y2] = boxes1.unbind(-1);
  const [x1g, y1g, x2g, y2g] = boxes2.unbind(-1);
  const xkis1 = torch.maximum(x1, x1g), ykis1 = torch.maximum(y1, y1g);
  const xkis2 = torch.minimum(x2, x2g), ykis2 = torch.minimum(y2, y2g);
  const mask = ykis2.gt(ykis1).logicalAnd(xkis2.gt(xkis1));
  const intsctk = torch.where(mask, xkis2.sub(xkis1).mul(ykis2.sub(ykis1)), torch.zerosLike(x1));
  const unionk = x2.sub(x1).mul(y2.sub(y1)).add(x2g.sub(x1g).mul(y2g.sub(y1g))).sub(intsctk);
  return [intsctk, unionk];
}

/** The corners of the smallest boxes enclosing each pair. */
function enclosing(boxes1: Tensor, boxes2: Tensor): [Tensor, Tensor, Tensor, Tensor] {
  const [x1, y1, x2, y2] = boxes1.unbind(-1);
  const [x1g, y1g, x2g, y2g] = boxes2.unbind(-1);
  return [torch.minimum(x1, x1g), torch.minimum(y1, y1g), torch.maximum(x2, x2g), torch.maximum(y2, y2g)];
}

/** generalized_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7): 1 - GIoU per pair. */
export function generalizedBoxIouLoss(...args: ArgsOf<typeof GIOU_LOSS>): Tensor {
  const { boxes1: a, boxes2: b, reduction = 'none', eps = 1e-7 } = GIOU_LOSS.bind('generalized_box_iou_loss', args);
  const boxes1 = upcastNonFloat(a), boxes2 = upcastNonFloat(b);
  const [intsctk, unionk] = interUnion(boxes1, boxes2);
  const iouk = intsctk.div(unionk.add(eps));
  const [xc1, yc1, xc2, yc2] = enclosing(boxes1, boxes2);
  const areaC = xc2.sub(xc1).mul(yc2.sub(yc1));
  const miouk = iouk.sub(areaC.sub(unionk).div(areaC.add(eps)));
  return reduce(miouk.neg().add(1), reduction, true);
}

/** torchvision's _diou_iou_loss: [1 - IoU + centre distance² / diagonal², IoU]. */
function diouIouLoss(boxes1: Tensor, boxes2: Tensor, eps: number): [Tensor, Tensor] {
  const [intsct, union] = interUnion(boxes1, boxes2);
  const iou = intsct.div(union.add(eps));
  const [x1, y1, x2, y2] = boxes1.unbind(-1);
  const [x1g, y1g, x2g, y2g] = boxes2.unbind(-1);
  const [xc1, yc1, xc2, yc2] = enclosing(boxes1, boxes2);
  const diagonal = xc2.sub(xc1).pow(2).add(yc2.sub(yc1).pow(2)).add(eps);
  const xp = x2.add(x1).div(2), yp = y2.add(y1).div(2);
  const xg = x1g.add(x2g).div(2), yg = y1g.add(y2g).div(2);
  const centres = xp.sub(xg).pow(2).add(yp.sub(yg).pow(2));
  return [iou.neg().add(1).add(centres.div(diagonal)), iou];
}

/** distance_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7): 1 - DIoU per pair. */
export function distanceBoxIouLoss(...args: ArgsOf<typeof DIOU_LOSS>): Tensor {
  const { boxes1, boxes2, reduction = 'none', eps = 1e-7 } = DIOU_LOSS.bind('distance_box_iou_loss', args);
  return reduce(diouIouLoss(upcastNonFloat(boxes1), upcastNonFloat(boxes2), eps)[0], reduction, true);
}

/**
 * complete_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7): 1 - CIoU per pair. As in
 * torchvision, eps only guards alpha's division; the DIoU part keeps its default 1e-7.
 */
export function completeBoxIouLoss(...args: ArgsOf<typeof CIOU_LOSS>): Tensor {
  const { boxes1: a, boxes2: b, reduction = 'none', eps = 1e-7 } = CIOU_LOSS.bind('complete_box_iou_loss', args);
  const boxes1 = upcastNonFloat(a), boxes2 = upcastNonFloat(b);
  const [diouLoss, iou] = diouIouLoss(boxes1, boxes2, 1e-7);
  const [x1, y1, x2, y2] = boxes1.unbind(-1);
  const [x1g, y1g, x2g, y2g] = boxes2.unbind(-1);
  const wPred = x2.sub(x1), hPred = y2.sub(y1);
  const wGt = x2g.sub(x1g), hGt = y2g.sub(y1g);
  const v = torch.pow(wGt.div(hGt).atan().sub(wPred.div(hPred).atan()), 2).mul(4 / Math.PI ** 2);
  const alpha = torch.noGrad(() => v.div(iou.neg().add(1).add(v).add(eps)));
  return reduce(diouLoss.add(alpha.mul(v)), reduction, true);
}
