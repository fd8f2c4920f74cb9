// torchvision.models.detection.anchor_utils.DefaultBoxGenerator: SSD's default boxes. Per feature
// map k, boxes of scale s_k and sqrt(s_k * s_k+1) (aspect 1) and s_k at each aspect ratio (both
// orientations), centred on every cell, in fractions of the image; then scaled to the batch's size.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { DType } from '../../../tensor/dtype';
import { Module } from '../../../nn/module';
import { ValueError } from '../../../errors';
import { ArgsOf, signature } from '../../../keywords';
import { pyFloat } from '../../../py-format';
import { ImageList } from './image-list';

export interface DefaultBoxGeneratorArgs {
  /** per feature map, its aspect ratios (integers, as torchvision's) */
  aspectRatios: readonly (readonly number[])[];
  /** the smallest scale, when `scales` is not given (default 0.15) */
  minRatio?: number;
  /** the largest scale, when `scales` is not given (default 0.9) */
  maxRatio?: number;
  /** one scale per feature map and one more; default spread evenly from minRatio to maxRatio, then 1.0 */
  scales?: readonly number[] | null;
  /** per feature map, the image pixels per cell; default the map's own size */
  steps?: readonly number[] | null;
  /** clip the widths and heights to [0, 1] (default true) */
  clip?: boolean;
}
const DEFAULT_BOX_GENERATOR = signature<DefaultBoxGeneratorArgs>()(['aspectRatios'], ['minRatio', 'maxRatio', 'scales', 'steps', 'clip']);

/** DefaultBoxGenerator(aspect_ratios, min_ratio=0.15, max_ratio=0.9, scales=None, steps=None, clip=True) */
export class DefaultBoxGenerator extends Module {
  readonly aspectRatios: number[][];
  readonly steps: number[] | null;
  readonly clip: boolean;
  readonly scales: number[];
  /** per feature map, the [2 + 2 * ratios, 2] (width, height) pairs as fractions of the image */
  readonly _wh_pairs: Tensor[];

  constructor(...args: ArgsOf<typeof DEFAULT_BOX_GENERATOR>) {
    super();
    const { aspectRatios, minRatio = 0.15, maxRatio = 0.9, scales = null, steps = null, clip = true } = DEFAULT_BOX_GENERATOR.bind('DefaultBoxGenerator', args);
    if (steps !== null && aspectRatios.length !== steps.length) throw new ValueError('aspect_ratios and steps should have the same length');
    this.aspectRatios = aspectRatios.map((r) => [...r]);
    this.steps = steps === null ? null : [...steps];
    this.clip = clip;
    const numOutputs = aspectRatios.length;
    if (scales !== null) this.scales = [...scales];
    else if (numOutputs > 1) {
      // in Python's order of operations, so that the doubles (and their reprs) are the same
      const range = maxRatio - minRatio;
      this.scales = Array.from({ length: numOutputs }, (_, k) => minRatio + (range * k) / (numOutputs - 1.0));
      this.scales.push(1.0);
    } else this.scales = [minRatio, maxRatio];
    this._wh_pairs = this.generateWhPairs(numOutputs);
  }

  /** torchvision's _generate_wh_pairs */
  generateWhPairs(numOutputs: number, dtype: DType = torch.float32, device: torch.DeviceLike = 'cpu'): Tensor[] {
    return Array.from({ length: numOutputs }, (_, k) => {
      const sK = this.scales[k];
      const sPrimeK = Math.sqrt(this.scales[k] * this.scales[k + 1]);
      const pairs = [[sK, sK], [sPrimeK, sPrimeK]];
      for (const ar of this.aspectRatios[k]) {
        const sqAr = Math.sqrt(ar);
        const w = this.scales[k] * sqAr;
        const h = this.scales[k] / sqAr;
        pairs.push([w, h], [h, w]);
      }
      return torch.asTensor(pairs, { dtype, device });
    });
  }

  /** 2 boxes of aspect 1 and 2 per aspect ratio */
  numAnchorsPerLocation(): number[] {
    return this.aspectRatios.map((r) => 2 + 2 * r.length);
  }

  /** torchvision's _grid_default_boxes: [sum over maps of H * W * A, 4] boxes (cx, cy, w, h) in fractions of the image */
  gridDefaultBoxes(gridSizes: readonly (readonly number[])[], imageSize: readonly number[], dtype: DType = torch.float32): Tensor {
    const boxes = gridSizes.map((fK, k) => {
      const [yFK, xFK] = this.steps !== null ? [imageSize[0] / this.steps[k], imageSize[1] / this.steps[k]] : [fK[0], fK[1]];
      const shiftsX = torch.arange(0, fK[1]).add(0.5).div(xFK).to(dtype);
      const shiftsY = torch.arange(0, fK[0]).add(0.5).div(yFK).to(dtype);
      const [shiftY, shiftX] = torch.meshgrid([shiftsY, shiftsX], { indexing: 'ij' });
      const xy = [shiftX.reshape(-1), shiftY.reshape(-1)];
      const numPairs = this._wh_pairs[k].size(0);
      const shifts = torch.stack(Array.from({ length: numPairs }, () => xy).flat(), -1).reshape(-1, 2);
      // clipped while the boxes are (cx, cy, w, h)
      const whPair = this.clip ? this._wh_pairs[k].clamp(0, 1) : this._wh_pairs[k];
      return torch.cat([shifts, whPair.repeat(fK[0] * fK[1], 1)], 1);
    });
    return torch.cat(boxes, 0);
  }

  toString(): string {
    const steps = this.steps === null ? 'None' : `[${this.steps.join(', ')}]`;
    const ratios = `[${this.aspectRatios.map((r) => `[${r.join(', ')}]`).join(', ')}]`;
    return `DefaultBoxGenerator(aspect_ratios=${ratios}, clip=${this.clip ? 'True' : 'False'}, scales=[${this.scales.map(pyFloat).join(', ')}], steps=${steps})`;
  }

  /** One [sum over maps of H * W * A, 4] tensor of boxes (x1, y1, x2, y2) in pixels of the batch per image. */
  forward(imageList: ImageList, featureMaps: readonly Tensor[]): Tensor[] {
    const gridSizes = featureMaps.map((f) => f.shape.slice(-2));
    const imageSize = imageList.tensors.shape.slice(-2);
    const { dtype, device } = featureMaps[0];
    const defaultBoxes = this.gridDefaultBoxes(gridSizes, imageSize, dtype).to(device);
    const xySize = torch.tensor([imageSize[1], imageSize[0]], { device: defaultBoxes.device });
    const centres = defaultBoxes.index(':', torch.slice(null, 2));
    const halfSizes = defaultBoxes.index(':', torch.slice(2)).mul(0.5);
    return imageList.imageSizes.map(() => torch.cat([centres.sub(halfSizes).mul(xySize), centres.add(halfSizes).mul(xySize)], -1));
  }
}
