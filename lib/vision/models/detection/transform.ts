// torchvision.models.detection.transform.GeneralizedRCNNTransform: normalises and resizes each image
// (and its target's boxes, masks, keypoints) as torchvision does (the scale factor computed in
// float32, interpolate with recompute_scale_factor), pads the batch to a multiple of size_divisible,
// and maps detections back to the original image sizes.
import { PyTypeError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { Module } from '../../../nn/module';
import { interpolate } from '../../../nn/functional/vision';
import { pyFloat, pyList, pyTuple, pySize } from '../../../py-format';
import { checkKeywords, keysOf } from '../../../keywords';
import { ImageList } from './image-list';
import { pasteMasksInImage } from './paste-masks';

/** A detection target or result: Python's Dict[str, Tensor] (boxes, labels, masks, keypoints, scores...). */
export type TensorDict = Record<string, Tensor>;

/** boxes [N, 4] scaled from an image of originalSize [h, w] to one of newSize. */
export function resizeBoxes(boxes: Tensor, originalSize: readonly number[], newSize: readonly number[]): Tensor {
  const [ratioHeight, ratioWidth] = ratios(originalSize, newSize, boxes);
  const [xmin, ymin, xmax, ymax] = boxes.unbind(1);
  return torch.stack([xmin.mul(ratioWidth), ymin.mul(ratioHeight), xmax.mul(ratioWidth), ymax.mul(ratioHeight)], 1);
}

/** keypoints [N, K, 3] scaled the same way (visibility untouched). */
export function resizeKeypoints(keypoints: Tensor, originalSize: readonly number[], newSize: readonly number[]): Tensor {
  const [ratioH, ratioW] = ratios(originalSize, newSize, keypoints);
  const resized = keypoints.clone();
  resized.indexPut_(['...', 0], resized.index('...', 0).mul(ratioW));
  resized.indexPut_(['...', 1], resized.index('...', 1).mul(ratioH));
  return resized;
}

/** new / original per side, as float32 tensors (torchvision's). */
function ratios(originalSize: readonly number[], newSize: readonly number[], like: Tensor): Tensor[] {
  const f = (v: number) => torch.tensor(v, { dtype: torch.float32, device: like.device });
  return [0, 1].map((i) => f(newSize[i]).div(f(originalSize[i])));
}

/** torchvision's _resize_image_and_masks */
function resizeImageAndMasks(image: Tensor, selfMinSize: number, selfMaxSize: number, target: TensorDict | null, fixedSize: readonly number[] | null): [Tensor, TensorDict | null] {
  let size: number[] | null = null;
  let scaleFactor: number | null = null;
  let recompute: boolean | null = null;
  if (fixedSize !== null) size = [fixedSize[1], fixedSize[0]];
  else {
    const imShape = torch.tensor(image.shape.slice(-2));
    const minSize = torch.min(imShape).to(torch.float32);
    const maxSize = torch.max(imShape).to(torch.float32);
    // Python float / float32 tensor: float32 arithmetic
    // Python's float / tensor is tensor.reciprocal() * float, in float32
    scaleFactor = torch.minimum(minSize.reciprocal().mul(selfMinSize), maxSize.reciprocal().mul(selfMaxSize)).item() as number;
    recompute = true;
  }
  const resized = interpolate(image.index(null), { size, scaleFactor, mode: 'bilinear', recomputeScaleFactor: recompute, alignCorners: false }).index(0);
  if (target === null) return [resized, target];
  if ('masks' in target) {
    const mask = target.masks;
    target.masks = interpolate(mask.index(':', null).float(), { size, scaleFactor, recomputeScaleFactor: recompute }).index(':', 0).byte();
  }
  return [resized, target];
}

export interface GeneralizedRCNNTransformOptions {
  /** padded batch sides are multiples of this; default 32 */
  sizeDivisible?: number;
  /** [width, height]: resize every image to this instead */
  fixedSize?: readonly number[] | null;
  /** torchvision's private _skip_resize: no resizing in training */
  _skipResize?: boolean;
}
const TRANSFORM_KEYS = keysOf<GeneralizedRCNNTransformOptions>()('sizeDivisible', 'fixedSize', '_skipResize');

/** GeneralizedRCNNTransform(min_size, max_size, image_mean, image_std, size_divisible=32, fixed_size=None) */
export class GeneralizedRCNNTransform extends Module {
  readonly minSize: number[];
  readonly maxSize: number;
  readonly imageMean: number[];
  readonly imageStd: number[];
  readonly sizeDivisible: number;
  readonly fixedSize: readonly number[] | null;
  readonly _skipResize: boolean;

  constructor(minSize: number | readonly number[], maxSize: number, imageMean: readonly number[], imageStd: readonly number[], options: GeneralizedRCNNTransformOptions = {}) {
    super();
    checkKeywords('GeneralizedRCNNTransform', options, TRANSFORM_KEYS);
    this.minSize = typeof minSize === 'number' ? [minSize] : [...minSize];
    this.maxSize = maxSize;
    this.imageMean = [...imageMean];
    this.imageStd = [...imageStd];
    this.sizeDivisible = options.sizeDivisible ?? 32;
    this.fixedSize = options.fixedSize ?? null;
    this._skipResize = options._skipResize ?? false;
  }

  forward(images: readonly Tensor[], targets: readonly TensorDict[] | null = null): [ImageList, TensorDict[] | null] {
    const imgs = [...images];
    const copies = targets === null ? null : targets.map((t) => ({ ...t }));
    for (let i = 0; i < imgs.length; i++) {
      if (imgs[i].dim() !== 3) throw new ValueError(`images is expected to be a list of 3d tensors of shape [C, H, W], got ${pySize(imgs[i].shape)}`);
      const [image, target] = this.resize(this.normalize(imgs[i]), copies ? copies[i] : null);
      imgs[i] = image;
      if (copies && target) copies[i] = target;
    }
    const imageSizes = imgs.map((img) => img.shape.slice(-2) as [number, number]);
    return [new ImageList(this.batchImages(imgs, this.sizeDivisible), imageSizes), copies];
  }

  normalize(image: Tensor): Tensor {
    if (!image.isFloatingPoint()) {
      throw new PyTypeError(`Expected input images to be of floating type (in range [0, 1]), but found type ${image.dtype} instead`);
    }
    const { dtype, device } = image;
    const mean = torch.asTensor(this.imageMean, { dtype, device });
    const std = torch.asTensor(this.imageStd, { dtype, device });
    return image.sub(mean.index(':', null, null)).div(std.index(':', null, null));
  }

  /** torchvision's torch_choice: a uniform draw from the global generator picks one of k */
  torchChoice(k: readonly number[]): number {
    return k[Math.trunc(torch.empty(1).uniform_(0, k.length).item() as number)];
  }

  resize(image: Tensor, target: TensorDict | null = null): [Tensor, TensorDict | null] {
    const [h, w] = image.shape.slice(-2);
    let size: number;
    if (this.training) {
      if (this._skipResize) return [image, target];
      size = this.torchChoice(this.minSize);
    } else size = this.minSize[this.minSize.length - 1];
    [image, target] = resizeImageAndMasks(image, size, this.maxSize, target, this.fixedSize);
    if (target === null) return [image, target];
    target.boxes = resizeBoxes(target.boxes, [h, w], image.shape.slice(-2));
    if ('keypoints' in target) target.keypoints = resizeKeypoints(target.keypoints, [h, w], image.shape.slice(-2));
    return [image, target];
  }

  maxByAxis(theList: number[][]): number[] {
    const maxes = [...theList[0]];
    for (const sub of theList.slice(1)) sub.forEach((item, i) => (maxes[i] = Math.max(maxes[i], item)));
    return maxes;
  }

  /** Zero-padded to the largest height and width, rounded up to multiples of sizeDivisible. */
  batchImages(images: readonly Tensor[], sizeDivisible = 32): Tensor {
    const maxSize = this.maxByAxis(images.map((img) => img.shape));
    const stride = sizeDivisible;
    maxSize[1] = Math.ceil(maxSize[1] / stride) * stride;
    maxSize[2] = Math.ceil(maxSize[2] / stride) * stride;
    const batched = images[0].newFull([images.length, ...maxSize], 0);
    images.forEach((img, i) => {
      batched.index(i, torch.slice(null, img.size(0)), torch.slice(null, img.size(1)), torch.slice(null, img.size(2))).copy_(img);
    });
    return batched;
  }

  /** In eval mode: boxes (and masks pasted, keypoints) back to the original image sizes. */
  postprocess(result: TensorDict[], imageShapes: readonly (readonly number[])[], originalImageSizes: readonly (readonly number[])[]): TensorDict[] {
    if (this.training) return result;
    result.forEach((pred, i) => {
      const boxes = resizeBoxes(pred.boxes, imageShapes[i], originalImageSizes[i]);
      pred.boxes = boxes;
      if ('masks' in pred) pred.masks = pasteMasksInImage(pred.masks, boxes, originalImageSizes[i]);
      if ('keypoints' in pred) pred.keypoints = resizeKeypoints(pred.keypoints, imageShapes[i], originalImageSizes[i]);
    });
    return result;
  }

  toString(): string {
    // a tuple, as torchvision makes of a number and as Python code passes several
    return `GeneralizedRCNNTransform(\n    Normalize(mean=${pyList(this.imageMean, pyFloat)}, std=${pyList(this.imageStd, pyFloat)})\n    Resize(min_size=${pyTuple(this.minSize)}, max_size=${this.maxSize}, mode='bilinear')\n)`;
  }
}
