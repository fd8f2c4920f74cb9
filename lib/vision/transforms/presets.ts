// torchvision.transforms._presets.ImageClassification and SemanticSegmentation: what a weights entry's
// transforms() returns.
import { Tensor } from '../../tensor/tensor';
import { float32 } from '../../tensor/dtype';
import * as F from './functional';
import { Transform } from './transforms';
import { checkKeywords, keysOf } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';

export type InterpolationMode = F.InterpolationMode;

export interface ImageClassificationOptions {
  cropSize: number;
  resizeSize?: number;
  mean?: number[];
  std?: number[];
  interpolation?: InterpolationMode;
}
const IMAGE_CLASSIFICATION_KEYS = keysOf<ImageClassificationOptions>()('cropSize', 'resizeSize', 'mean', 'std', 'interpolation');

export class ImageClassification extends Transform<Tensor, Tensor> {
  readonly cropSize: number[];
  readonly resizeSize: number[];
  readonly mean: number[];
  readonly std: number[];
  readonly interpolation: InterpolationMode;

  constructor(options: ImageClassificationOptions) {
    super();
    checkKeywords('ImageClassification', options, IMAGE_CLASSIFICATION_KEYS);
    this.cropSize = [options.cropSize];
    this.resizeSize = [options.resizeSize ?? 256];
    this.mean = options.mean ?? [0.485, 0.456, 0.406];
    this.std = options.std ?? [0.229, 0.224, 0.225];
    this.interpolation = options.interpolation ?? 'bilinear';
  }

  /** A uint8 or float image [..., C, H, W] -> resized, center-cropped, float, normalized. */
  forward(img: Tensor): Tensor {
    // torchvision 0.14's preset passes no antialias: None, no antialiasing on tensors
    img = F.resize(img, this.resizeSize, this.interpolation, undefined, null);
    img = F.centerCrop(img, this.cropSize);
    img = F.convertImageDtype(img, float32);
    return F.normalize(img, this.mean, this.std);
  }

  toString(): string {
    const l = (xs: number[]) => `[${xs.join(', ')}]`;
    return `ImageClassification(\n    crop_size=${l(this.cropSize)}\n    resize_size=${l(this.resizeSize)}\n    mean=${l(this.mean)}\n    std=${l(this.std)}\n    interpolation=InterpolationMode.${this.interpolation.toUpperCase()}\n)`;
  }
}

export interface SemanticSegmentationOptions {
  resizeSize: number | null;
  mean?: number[];
  std?: number[];
  interpolation?: InterpolationMode;
}
const SEMANTIC_SEGMENTATION_KEYS = keysOf<SemanticSegmentationOptions>()('resizeSize', 'mean', 'std', 'interpolation');

export class SemanticSegmentation extends Transform<Tensor, Tensor> {
  readonly resizeSize: number[] | null;
  readonly mean: number[];
  readonly std: number[];
  readonly interpolation: InterpolationMode;

  constructor(options: SemanticSegmentationOptions) {
    super();
    checkKeywords('SemanticSegmentation', options, SEMANTIC_SEGMENTATION_KEYS);
    this.resizeSize = options.resizeSize === null || options.resizeSize === undefined ? null : [options.resizeSize];
    this.mean = options.mean ?? [0.485, 0.456, 0.406];
    this.std = options.std ?? [0.229, 0.224, 0.225];
    this.interpolation = options.interpolation ?? 'bilinear';
  }

  /** A uint8 or float image [..., C, H, W] -> resized (shorter side; no crop), float, normalized. */
  forward(img: Tensor): Tensor {
    // as ImageClassification: torchvision 0.14 passes no antialias, none on tensors
    if (this.resizeSize) img = F.resize(img, this.resizeSize, this.interpolation, undefined, null);
    img = F.convertImageDtype(img, float32);
    return F.normalize(img, this.mean, this.std);
  }

  toString(): string {
    const l = (xs: number[] | null) => (xs ? `[${xs.join(', ')}]` : 'None');
    return `SemanticSegmentation(\n    resize_size=${l(this.resizeSize)}\n    mean=${l(this.mean)}\n    std=${l(this.std)}\n    interpolation=InterpolationMode.${this.interpolation.toUpperCase()}\n)`;
  }
}

// DataLoader worker threads rebuild this preset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
