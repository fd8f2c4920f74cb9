// torchvision.ops box utilities (torchvision/ops/boxes.py, _box_convert.py): boxes are [N, 4]
// tensors, (x1, y1, x2, y2) unless a format says otherwise. Same ops in the same order as
// torchvision, so the numbers (and autograd's gradients) are PyTorch's.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { ArgsOf, signature } from '../../keywords';

/** torchvision's _upcast: half precision to float32, small integers to int32 (no overflow in products). */
export function upcast(t: Tensor): Tensor {
  if (t.isFloatingPoint()) return t.dtype === torch.float32 || t.dtype === torch.float64 ? t : t.float();
  return t.dtype === torch.int32 || t.dtype === torch.int64 ? t : t.int();
}

/** torchvision's _upcast_non_float: anything but float32/float64 becomes float32. */
export function upcastNonFloat(t: Tensor): Tensor {
  return t.dtype === torch.float32 || t.dtype === torch.float64 ? t : t.float();
}

/** box_area(boxes): (x2 - x1) * (y2 - y1) per box. */
export function boxArea(boxes: Tensor): Tensor {
  const b = upcast(boxes);
  return b.index(':', 2).sub(b.index(':', 0)).mul(b.index(':', 3).sub(b.index(':', 1)));
}

/** Pairwise intersection and union areas, [N, M] each. */
function interUnion(boxes1: Tensor, boxes2: Tensor): [Tensor, Tensor] {
  const area1 = boxArea(boxes1);
  const area2 = boxArea(boxes2);
  const lt = torch.maximum(boxes1.index(':', null, ':2'), boxes2.index(':', ':2'));
  const rb = torch.minimum(boxes1.index(':', null, '2:'), boxes2.index(':', '2:'));
  const wh = upcast(rb.sub(lt)).clamp({ min: 0 });
  const inter = wh.index(':', ':', 0).mul(wh.index(':', ':', 1));
  return [inter, area1.index(':', null).add(area2).sub(inter)];
}

/** The smallest boxes enclosing each pair, as their [N, M, 2] width and height. */
function enclosingWh(boxes1: Tensor, boxes2: Tensor): Tensor {
  const lti = torch.minimum(boxes1.index(':', null, ':2'), boxes2.index(':', ':2'));
  const rbi = torch.maximum(boxes1.index(':', null, '2:'), boxes2.index(':', '2:'));
  return upcast(rbi.sub(lti)).clamp({ min: 0 });
}

/** box_iou(boxes1, boxes2): the [N, M] intersection-over-union matrix. */
export function boxIou(boxes1: Tensor, boxes2: Tensor): Tensor {
  const [inter, union] = interUnion(boxes1, boxes2);
  return inter.div(union);
}

/** generalized_box_iou(boxes1, boxes2): IoU less the enclosing box's share outside the union. */
export function generalizedBoxIou(boxes1: Tensor, boxes2: Tensor): Tensor {
  const [inter, union] = interUnion(boxes1, boxes2);
  const iou = inter.div(union);
  const whi = enclosingWh(boxes1, boxes2);
  const areai = whi.index(':', ':', 0).mul(whi.index(':', ':', 1));
  return iou.sub(areai.sub(union).div(areai));
}

export interface BoxIouEpsArgs {
  boxes1: Tensor;
  boxes2: Tensor;
  /** guards the divisions; default 1e-7 */
  eps?: number;
}
const DISTANCE_BOX_IOU = signature<BoxIouEpsArgs>()(['boxes1', 'boxes2'], ['eps']);
const COMPLETE_BOX_IOU = signature<BoxIouEpsArgs>()(['boxes1', 'boxes2'], ['eps']);

/** torchvision's _box_diou_iou: [DIoU, IoU]. */
function diouIou(boxes1: Tensor, boxes2: Tensor, eps: number): [Tensor, Tensor] {
  const iou = boxIou(boxes1, boxes2);
  const whi = enclosingWh(boxes1, boxes2);
  const diagonal = whi.index(':', ':', 0).pow(2).add(whi.index(':', ':', 1).pow(2)).add(eps);
  const centre = (b: Tensor, lo: number, hi: number) => b.index(':', lo).add(b.index(':', hi)).div(2);
  const [xp, yp, xg, yg] = [centre(boxes1, 0, 2), centre(boxes1, 1, 3), centre(boxes2, 0, 2), centre(boxes2, 1, 3)];
  const dx = upcast(xp.index(':', null).sub(xg.index(null, ':'))).pow(2);
  const dy = upcast(yp.index(':', null).sub(yg.index(null, ':'))).pow(2);
  return [iou.sub(dx.add(dy).div(diagonal)), iou];
}

/** distance_box_iou(boxes1, boxes2, eps=1e-7): IoU less the squared centre distance over the enclosing diagonal squared. */
export function distanceBoxIou(...args: ArgsOf<typeof DISTANCE_BOX_IOU>): Tensor {
  const { boxes1, boxes2, eps = 1e-7 } = DISTANCE_BOX_IOU.bind('distance_box_iou', args);
  return diouIou(upcast(boxes1), upcast(boxes2), eps)[0];
}

/** complete_box_iou(boxes1, boxes2, eps=1e-7): DIoU less alpha * v, the aspect-ratio term (alpha without gradient). */
export function completeBoxIou(...args: ArgsOf<typeof COMPLETE_BOX_IOU>): Tensor {
  const { boxes1: a, boxes2: b, eps = 1e-7 } = COMPLETE_BOX_IOU.bind('complete_box_iou', args);
  const boxes1 = upcast(a), boxes2 = upcast(b);
  const [diou, iou] = diouIou(boxes1, boxes2, eps);
  const wPred = boxes1.index(':', null, 2).sub(boxes1.index(':', null, 0));
  const hPred = boxes1.index(':', null, 3).sub(boxes1.index(':', null, 1));
  const wGt = boxes2.index(':', 2).sub(boxes2.index(':', 0));
  const hGt = boxes2.index(':', 3).sub(boxes2.index(':', 1));
  const v = torch.pow(wPred.div(hPred).atan().sub(wGt.div(hGt).atan()), 2).mul(4 / Math.PI ** 2);
  const alpha = torch.noGrad(() => v.div(iou.neg().add(1).add(v).add(eps)));
  return diou.sub(alpha.mul(v));
}

export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';
export interface BoxConvertArgs {
  boxes: Tensor;
  inFmt: BoxFormat;
  outFmt: BoxFormat;
}
const BOX_CONVERT = signature<BoxConvertArgs>()(['boxes', 'inFmt', 'outFmt'], []);
const FORMATS: readonly string[] = ['xyxy', 'xywh', 'cxcywh'];

function toXyxy(boxes: Tensor, fmt: BoxFormat): Tensor {
  const [a, b, c, d] = boxes.unbind(-1);
  if (fmt === 'xywh') return torch.stack([a, b, a.add(c), b.add(d)], -1);
  if (fmt === 'cxcywh') return torch.stack([a.sub(c.mul(0.5)), b.sub(d.mul(0.5)), a.add(c.mul(0.5)), b.add(d.mul(0.5))], -1);
  return boxes;
}

function fromXyxy(boxes: Tensor, fmt: BoxFormat): Tensor {
  const [x1, y1, x2, y2] = boxes.unbind(-1);
  if (fmt === 'xywh') return torch.stack([x1, y1, x2.sub(x1), y2.sub(y1)], -1);
  if (fmt === 'cxcywh') return torch.stack([x1.add(x2).div(2), y1.add(y2).div(2), x2.sub(x1), y2.sub(y1)], -1);
  return boxes;
}

/** box_convert(boxes, in_fmt, out_fmt) between 'xyxy', 'xywh' and 'cxcywh'. */
export function boxConvert(...args: ArgsOf<typeof BOX_CONVERT>): Tensor {
  const { boxes, inFmt, outFmt } = BOX_CONVERT.bind('box_convert', args);
  if (!FORMATS.includes(inFmt) || !FORMATS.includes(outFmt)) throw new ValueError('Unsupported Bounding Box Conversions for given in_fmt and out_fmt');
  if (inFmt === outFmt) return boxes.clone();
  return fromXyxy(toXyxy(boxes, inFmt), outFmt);
}

export interface ClipBoxesArgs {
  boxes: Tensor;
  /** [height, width] */
  size: readonly [number, number] | number[];
}
const CLIP_BOXES = signature<ClipBoxesArgs>()(['boxes', 'size'], []);

/** clip_boxes_to_image(boxes, size): coordinates clamped into [0, width] and [0, height]. */
export function clipBoxesToImage(...args: ArgsOf<typeof CLIP_BOXES>): Tensor {
  const { boxes, size } = CLIP_BOXES.bind('clip_boxes_to_image', args);
  const [height, width] = size;
  const xs = boxes.index('...', '0::2').clamp({ min: 0, max: width });
  const ys = boxes.index('...', '1::2').clamp({ min: 0, max: height });
  return torch.stack([xs, ys], boxes.dim()).reshape(boxes.shape);
}

export interface RemoveSmallBoxesArgs {
  boxes: Tensor;
  minSize: number;
}
const REMOVE_SMALL_BOXES = signature<RemoveSmallBoxesArgs>()(['boxes', 'minSize'], []);

/** remove_small_boxes(boxes, min_size): the indices of the boxes with both sides >= min_size. */
export function removeSmallBoxes(...args: ArgsOf<typeof REMOVE_SMALL_BOXES>): Tensor {
  const { boxes, minSize } = REMOVE_SMALL_BOXES.bind('remove_small_boxes', args);
  const ws = boxes.index(':', 2).sub(boxes.index(':', 0));
  const hs = boxes.index(':', 3).sub(boxes.index(':', 1));
  return ws.ge(minSize).logicalAnd(hs.ge(minSize)).nonzero().index(':', 0);
}

/** masks_to_boxes(masks): the float32 (x1, y1, x2, y2) box around each [H, W] mask's nonzero pixels. */
export function masksToBoxes(masks: Tensor): Tensor {
  if (masks.numel() === 0) return torch.zeros([0, 4], { device: masks.device, dtype: torch.float32 });
  const n = masks.shape[0];
  const boxes = torch.zeros([n, 4], { device: masks.device, dtype: torch.float32 });
  for (let i = 0; i < n; i++) {
    const where = masks.index(i).ne(0).nonzero();
    const [y, x] = [where.index(':', 0), where.index(':', 1)];
    // torch.min of an empty selection raises, as in torchvision
    boxes.indexPut_([i], torch.stack([x.min(), y.min(), x.max(), y.max()]).to(torch.float32));
  }
  return boxes;
}
