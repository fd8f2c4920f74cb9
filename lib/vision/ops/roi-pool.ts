// torchvision.ops.roi_pool / RoIPool, from ATen ops: each output bin is the max over its integer
// cell range, computed per region as torchvision's CPU kernel computes it (rounded region corners,
// float bin sizes, floor/ceil bin edges clamped to the image). The ranges are small integers,
// worked out in JS (with float32 rounding for float32 inputs); each bin is then an embedding_bag
// 'max' over its cells' rows of a channels-last view of the input, so autograd sends each bin's
// gradient to its (first) maximum, as the kernel's backward does.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pyFloat } from '../../nn/layers/py-format';
import { embeddingBag } from '../../nn/functional/embedding';
import { ArgsOf, signature } from '../../keywords';
import { RoiBoxes, chunks, pairOf, roisOf, sizeRepr } from './roi-boxes';

const FLT_MAX = 3.4028234663852886e38;

export interface RoiPoolArgs {
  /** [N, C, H, W] */
  input: Tensor;
  /** [K, 5] (batch index, x1, y1, x2, y2), or one [L, 4] tensor of boxes per image */
  boxes: RoiBoxes;
  outputSize: number | readonly number[];
  /** box coordinates times this are input coordinates; default 1 */
  spatialScale?: number;
}
const ROI_POOL = signature<RoiPoolArgs>()(['input', 'boxes', 'outputSize'], ['spatialScale']);

/** C's round(): halves away from zero. */
const roundHalfAway = (v: number): number => (v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5));

/** Each bin's [start, end) cells along one axis of one region, as the kernel computes them. */
function binEdges(lo: number, hi: number, pooled: number, extent: number, f: (v: number) => number): [number, number][] {
  const size = Math.max(hi - lo + 1, 1);
  const bin = f(size / pooled);
  const clamp = (v: number) => Math.min(Math.max(v + lo, 0), extent);
  return Array.from({ length: pooled }, (_, p) => [clamp(Math.floor(f(p * bin))), clamp(Math.ceil(f((p + 1) * bin)))]);
}

function poolChunk(flat: Tensor, rois: Tensor, dims: number[], ph: number, pw: number, scale: number): Tensor {
  const [, c, height, width] = dims;
  const f = flat.dtype === torch.float32 ? Math.fround : (v: number) => v;
  const s = f(scale);
  const r = rois.detach().to(torch.float64).toTypedArray() as Float64Array;
  const k = rois.size(0);
  const ys: [number, number][][] = [], xs: [number, number][][] = [], batch: number[] = [];
  for (let i = 0; i < k; i++) {
    const [x1, y1, x2, y2] = [1, 2, 3, 4].map((j) => roundHalfAway(f(f(r[i * 5 + j]) * s)));
    batch.push(Math.trunc(r[i * 5]));
    ys.push(binEdges(y1, y2, ph, height, f));
    xs.push(binEdges(x1, x2, pw, width, f));
  }
  // one bag per bin: its cells (row-major, the kernel's scan order) as rows of the flat input
  const cells: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let py = 0; py < ph; py++) {
      const [h0, h1] = ys[i][py];
      for (let px = 0; px < pw; px++) {
        const [w0, w1] = xs[i][px];
        offsets.push(cells.length);
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) cells.push((batch[i] * height + h) * width + w);
      }
    }
  }
  const device = flat.device;
  const long = (v: number[]) => torch.tensor(v, { dtype: torch.int64 }).to(device);
  // 'max' bags keep the first maximum (strict >) and give empty bags 0, as the kernel; below
  // -FLT_MAX (its starting value) it keeps -FLT_MAX, with no gradient
  const best = embeddingBag(long(cells), flat, { offsets: long(offsets), mode: 'max' }).clampMin(-FLT_MAX);
  return best.view(k, ph, pw, c).permute(0, 3, 1, 2);
}

/** roi_pool(input, boxes, output_size, spatial_scale=1.0): [K, C, PH, PW] */
export function roiPool(...args: ArgsOf<typeof ROI_POOL>): Tensor {
  const { input, boxes, outputSize, spatialScale = 1 } = ROI_POOL.bind('roi_pool', args);
  const rois = roisOf(boxes);
  const [ph, pw] = pairOf(outputSize);
  const c = input.size(1);
  if (rois.size(0) === 0) return torch.zeros([0, c, ph, pw], { dtype: input.dtype, device: input.device });
  const flat = input.permute(0, 2, 3, 1).reshape(-1, c); // [N * H * W, C]
  const [height, width] = input.shape.slice(2);
  const perRoi = ph * pw * Math.ceil(height / ph + 1) * Math.ceil(width / pw + 1);
  const parts = chunks(rois.size(0), perRoi).map(([s, n]) => poolChunk(flat, rois.narrow(0, s, n), input.shape, ph, pw, spatialScale));
  return (parts.length === 1 ? parts[0] : torch.cat(parts, 0)).contiguous();
}

export interface RoIPoolArgs {
  outputSize: number | readonly number[];
  spatialScale: number;
}
const ROI_POOL_MODULE = signature<RoIPoolArgs>()(['outputSize', 'spatialScale'], []);

/** RoIPool(output_size, spatial_scale): roi_pool as a module, forward(input, rois). */
export class RoIPool extends Module {
  readonly outputSize: number | readonly number[];
  readonly spatialScale: number;

  constructor(...args: ArgsOf<typeof ROI_POOL_MODULE>) {
    super();
    const { outputSize, spatialScale } = ROI_POOL_MODULE.bind('RoIPool', args);
    this.outputSize = outputSize;
    this.spatialScale = spatialScale;
  }

  forward(input: Tensor, rois: RoiBoxes): Tensor {
    return roiPool(input, rois, this.outputSize, this.spatialScale);
  }

  toString(): string {
    return `RoIPool(output_size=${sizeRepr(this.outputSize)}, spatial_scale=${pyFloat(this.spatialScale)})`;
  }
}
