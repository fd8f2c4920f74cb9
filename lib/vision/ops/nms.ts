// torchvision.ops.nms and batched_nms. nms keeps the boxes torchvision's CPU kernel keeps, in its
// order: boxes sorted by score (descending, stable), each kept box suppressing every later one whose
// IoU with it is > iou_threshold. The greedy pass is sequential, but its IoUs need not be: boxes go
// in blocks; a block's own IoUs decide (in JS) which of its boxes survive, then one tensor op per
// block computes the IoUs of its survivors with every later box, so the work is ~kept x N IoUs,
// computed with the kernel's float operations in its order (the same bits).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { ArgsOf, signature } from '../../keywords';

const BLOCK = 256;

export interface NmsArgs {
  boxes: Tensor;
  scores: Tensor;
  iouThreshold: number;
}
const NMS = signature<NmsArgs>()(['boxes', 'scores', 'iouThreshold'], []);

/**
 * The largest float32 <= t: for a float32 x, x > t (the kernel compares in double) exactly when
 * x > floorFloat32(t) (what a float32 tensor comparison can do).
 */
function floorFloat32(t: number): number {
  const f = new Float32Array([t]);
  if (f[0] <= t) return f[0];
  if (f[0] === 0) return -1.401298464324817e-45; // t in (-denormal/2, 0)
  const bits = new Int32Array(f.buffer);
  bits[0] += f[0] > 0 ? -1 : 1; // one step towards -infinity
  return f[0];
}

/** [rows, cols] mask: IoU(rows[i], cols[j]) > threshold, computed as the CPU kernel does. */
function iouAbove(rows: Tensor[], cols: Tensor[], rowAreas: Tensor, colAreas: Tensor, threshold: number): Tensor {
  const [rx1, ry1, rx2, ry2] = rows.map((c) => c.unsqueeze(1));
  const [cx1, cy1, cx2, cy2] = cols.map((c) => c.unsqueeze(0));
  const w = torch.minimum(rx2, cx2).sub(torch.maximum(rx1, cx1)).clampMin(0);
  const h = torch.minimum(ry2, cy2).sub(torch.maximum(ry1, cy1)).clampMin(0);
  const inter = w.mul(h);
  const ovr = inter.div(rowAreas.unsqueeze(1).add(colAreas.unsqueeze(0)).sub(inter));
  return ovr.gt(threshold);
}

/**
 * nms(boxes, scores, iou_threshold): the int64 indices of the boxes kept, by decreasing score.
 * boxes [N, 4] (x1, y1, x2, y2), scores [N], float32 or float64.
 */
export function nms(...args: ArgsOf<typeof NMS>): Tensor {
  const { boxes, scores, iouThreshold } = NMS.bind('nms', args);
  if (boxes.dim() !== 2) throw new TorchError(`boxes should be a 2d tensor, got ${boxes.dim()}D`);
  if (boxes.size(1) !== 4) throw new TorchError(`boxes should have 4 elements in dimension 1, got ${boxes.size(1)}`);
  if (scores.dim() !== 1) throw new TorchError(`scores should be a 1d tensor, got ${scores.dim()}D`);
  if (boxes.size(0) !== scores.size(0)) {
    throw new TorchError(`boxes and scores should have same number of elements in dimension 0, got ${boxes.size(0)} and ${scores.size(0)}`);
  }
  if (boxes.numel() === 0) return torch.empty([0], { dtype: torch.int64, device: boxes.device });
  return torch.noGrad(() => {
    const order = scores.sort({ stable: true, dim: 0, descending: true }).indices;
    const sorted = boxes.detach().indexSelect(0, order);
    const [x1, y1, x2, y2] = sorted.unbind(1).map((c) => c.contiguous());
    const areas = x2.sub(x1).mul(y2.sub(y1));
    const threshold = sorted.dtype === torch.float32 ? floorFloat32(iouThreshold) : iouThreshold;
    const n = sorted.size(0);
    const suppressed = new Uint8Array(n);
    const keep: number[] = [];
    const cols = (start: number, end: number) => [x1, y1, x2, y2].map((c) => c.narrow(0, start, end - start));
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      const size = end - start;
      const block = cols(start, end);
      const blockAreas = areas.narrow(0, start, size);
      const within = iouAbove(block, block, blockAreas, blockAreas, threshold).toTypedArray() as Uint8Array;
      const kept: number[] = [];
      for (let i = start; i < end; i++) {
        if (suppressed[i]) continue;
        keep.push(i);
        kept.push(i - start);
        const row = (i - start) * size - start;
        for (let j = i + 1; j < end; j++) if (within[row + j]) suppressed[j] = 1;
      }
      if (end === n || kept.length === 0) continue;
      const rowsIdx = torch.tensor(kept, { dtype: torch.int64 }).to(sorted.device);
      const rows = block.map((c) => c.indexSelect(0, rowsIdx));
      const later = iouAbove(rows, cols(end, n), blockAreas.indexSelect(0, rowsIdx), areas.narrow(0, end, n - end), threshold);
      const hit = later.any(0).toTypedArray() as Uint8Array;
      for (let j = 0; j < hit.length; j++) if (hit[j]) suppressed[end + j] = 1;
    }
    return order.indexSelect(0, torch.tensor(keep, { dtype: torch.int64 }).to(order.device));
  });
}

export interface BatchedNmsArgs {
  boxes: Tensor;
  scores: Tensor;
  /** [N]: each box's category; boxes of different categories never suppress each other */
  idxs: Tensor;
  iouThreshold: number;
}
const BATCHED_NMS = signature<BatchedNmsArgs>()(['boxes', 'scores', 'idxs', 'iouThreshold'], []);

/**
 * batched_nms(boxes, scores, idxs, iou_threshold): nms within each category. As torchvision, up to
 * 4000 coordinates (20000 on a GPU) shift each category's boxes apart and run one nms; above, one
 * nms per category.
 */
export function batchedNms(...args: ArgsOf<typeof BATCHED_NMS>): Tensor {
  const { boxes, scores, idxs, iouThreshold } = BATCHED_NMS.bind('batched_nms', args);
  const limit = boxes.device.type === 'cpu' ? 4000 : 20000;
  return torch.noGrad(() => (boxes.numel() > limit ? perCategory(boxes, scores, idxs, iouThreshold) : coordinateTrick(boxes, scores, idxs, iouThreshold)));
}

function coordinateTrick(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Tensor {
  if (boxes.numel() === 0) return torch.empty([0], { dtype: torch.int64, device: boxes.device });
  const maxCoordinate = boxes.max();
  const offsets = idxs.to(boxes).mul(maxCoordinate.add(torch.tensor(1).to(boxes)));
  return nms(boxes.add(offsets.index(':', null)), scores, iouThreshold);
}

function perCategory(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Tensor {
  const keepMask = torch.zeros(scores.shape, { dtype: torch.bool, device: scores.device });
  for (const classId of idxs.unique()) {
    const current = idxs.eq(classId).nonzero().index(':', 0);
    const kept = nms(boxes.index(current), scores.index(current), iouThreshold);
    keepMask.indexPut_([current.index(kept)], true);
  }
  const keepIndices = keepMask.nonzero().index(':', 0);
  return keepIndices.index(scores.index(keepIndices).sort({ descending: true }).indices);
}
