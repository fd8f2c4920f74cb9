// torchvision's paste_masks_in_image (roi_heads.py): each M x M mask probability map, padded by one
// pixel and its box expanded to match, resized (bilinear) to its box and pasted into an image-sized
// canvas.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { interpolate, pad } from '../../../nn/functional/vision';

/** boxes [N, 4] scaled about their centres. */
export function expandBoxes(boxes: Tensor, scale: number): Tensor {
  const col = (i: number) => boxes.index(':', i);
  const wHalf = col(2).sub(col(0)).mul(0.5).mul(scale);
  const hHalf = col(3).sub(col(1)).mul(0.5).mul(scale);
  const xC = col(2).add(col(0)).mul(0.5);
  const yC = col(3).add(col(1)).mul(0.5);
  const out = torch.zerosLike(boxes);
  out.indexPut_([':', 0], xC.sub(wHalf));
  out.indexPut_([':', 2], xC.add(wHalf));
  out.indexPut_([':', 1], yC.sub(hHalf));
  out.indexPut_([':', 3], yC.add(hHalf));
  return out;
}

/** masks [N, 1, M, M] zero-padded on every side, and the scale that keeps their boxes aligned. */
export function expandMasks(mask: Tensor, padding: number): [Tensor, number] {
  const m = mask.size(-1);
  return [pad(mask, [padding, padding, padding, padding]), (m + 2 * padding) / m];
}

/** One mask [M, M] resized into its integer box [4] on an [imH, imW] canvas. */
export function pasteMaskInImage(mask: Tensor, box: readonly number[], imH: number, imW: number): Tensor {
  const w = Math.max(Math.trunc(box[2] - box[0] + 1), 1);
  const h = Math.max(Math.trunc(box[3] - box[1] + 1), 1);
  const resized = interpolate(mask.expand(1, 1, -1, -1), { size: [h, w], mode: 'bilinear', alignCorners: false }).index(0, 0);
  const imMask = torch.zeros([imH, imW], { dtype: resized.dtype, device: resized.device });
  const x0 = Math.max(box[0], 0), x1 = Math.min(box[2] + 1, imW);
  const y0 = Math.max(box[1], 0), y1 = Math.min(box[3] + 1, imH);
  const part = resized.index(torch.slice(y0 - box[1], y1 - box[1]), torch.slice(x0 - box[0], x1 - box[0]));
  imMask.indexPut_([torch.slice(y0, y1), torch.slice(x0, x1)], part);
  return imMask;
}

/** paste_masks_in_image(masks [N, 1, M, M], boxes [N, 4], img_shape, padding=1): [N, 1, H, W] */
export function pasteMasksInImage(masks: Tensor, boxes: Tensor, imgShape: readonly number[], padding = 1): Tensor {
  const [padded, scale] = expandMasks(masks, padding);
  const intBoxes = expandBoxes(boxes, scale).to(torch.int64);
  const [imH, imW] = imgShape;
  const boxList = intBoxes.tolist() as number[][];
  const res = boxList.map((b, i) => pasteMaskInImage(padded.index(i, 0), b, imH, imW));
  return res.length ? torch.stack(res, 0).index(':', null) : padded.newEmpty([0, 1, imH, imW]);
}
