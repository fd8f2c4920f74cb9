// What roi_align and roi_pool share (torchvision/ops/_utils.py): regions given as a [K, 5] tensor
// (batch index, x1, y1, x2, y2) or as one [L, 4] tensor of boxes per image, and the output size.
import { AssertionError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';

export type RoiBoxes = Tensor | readonly Tensor[];

/** check_roi_boxes_shape, then convert_boxes_to_roi_format: the [K, 5] regions. */
export function roisOf(boxes: RoiBoxes): Tensor {
  if (boxes instanceof Tensor) {
    if (boxes.size(1) !== 5) throw new AssertionError('The boxes tensor shape is not correct as Tensor[K, 5]');
    return boxes;
  }
  if (!Array.isArray(boxes)) throw new AssertionError('boxes is expected to be a Tensor[L, 5] or a List[Tensor[K, 4]]');
  for (const b of boxes) {
    if (b.size(1) !== 4) throw new AssertionError('The shape of the tensor in the boxes list is not correct as List[Tensor[L, 4]]');
  }
  const ids = boxes.map((b, i) => torch.fullLike(b.index(':', ':1'), i));
  const cat = (ts: Tensor[]) => (ts.length === 1 ? ts[0] : torch.cat(ts, 0));
  return torch.cat([cat(ids), cat([...boxes])], 1);
}

/** _pair(output_size): [height, width] */
export function pairOf(size: number | readonly number[]): [number, number] {
  return typeof size === 'number' ? [size, size] : [size[0], size[1]];
}

/** output_size as torchvision's reprs print it: 7, (7, 7) (an array as the tuple Python code passes) */
export function sizeRepr(size: number | readonly number[]): string {
  return typeof size === 'number' ? String(size) : `(${size.join(', ')})`;
}

/** Region batches that keep gathered samples near `limit` elements: [start, count] pairs. */
export function chunks(k: number, perRoi: number, limit = 1 << 24): [number, number][] {
  const size = Math.max(1, Math.floor(limit / Math.max(perRoi, 1)));
  const out: [number, number][] = [];
  for (let s = 0; s < k; s += size) out.push([s, Math.min(size, k - s)]);
  return out;
}
