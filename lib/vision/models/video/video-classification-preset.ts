// torchvision.transforms._presets.VideoClassification: what a video weights entry's transforms()
// returns. Frames (..., T, C, H, W) are resized, center-cropped, made float in [0, 1], normalized
// with Kinetics' statistics, and returned as (..., C, T, H, W), the layout the video models take.
import { Tensor } from '../../../tensor/tensor';
import { float32 } from '../../../tensor/dtype';
import * as F from '../../transforms/functional';
import { Transform } from '../../transforms/transforms';
import { pyFloat } from '../../../py-format';
import { checkKeywords, keysOf } from '../../../keywords';
import { registerLibraryExports } from '../../../data/library-ref';

export interface VideoClassificationOptions {
  cropSize: readonly number[];
  resizeSize: readonly number[];
  mean?: readonly number[];
  std?: readonly number[];
  interpolation?: F.InterpolationMode;
}
const VIDEO_CLASSIFICATION_KEYS = keysOf<VideoClassificationOptions>()('cropSize', 'resizeSize', 'mean', 'std', 'interpolation');

export class VideoClassification extends Transform<Tensor, Tensor> {
  readonly cropSize: number[];
  readonly resizeSize: number[];
  readonly mean: number[];
  readonly std: number[];
  readonly interpolation: F.InterpolationMode;

  /** Keyword-only, as torchvision's: { cropSize, resizeSize, mean?, std?, interpolation? }. */
  constructor(options: VideoClassificationOptions) {
    super();
    checkKeywords('VideoClassification', options, VIDEO_CLASSIFICATION_KEYS);
    this.cropSize = [...options.cropSize];
    this.resizeSize = [...options.resizeSize];
    this.mean = [...(options.mean ?? [0.43216, 0.394666, 0.37645])];
    this.std = [...(options.std ?? [0.22803, 0.22145, 0.216989])];
    this.interpolation = options.interpolation ?? 'bilinear';
  }

  /** A (T, C, H, W) or (N, T, C, H, W) uint8 or float video -> float (..., C, T, cropH, cropW). */
  forward(vid: Tensor): Tensor {
    const single = vid.dim() < 5;
    if (single) vid = vid.unsqueeze(0);
    const [n, t, c, h, w] = vid.shape;
    let frames = vid.view(-1, c, h, w);
    // torchvision 0.14 passes no antialias: None, none on tensors
    frames = F.resize(frames, this.resizeSize, this.interpolation, undefined, null);
    frames = F.centerCrop(frames, this.cropSize);
    frames = F.convertImageDtype(frames, float32);
    frames = F.normalize(frames, this.mean, this.std);
    const [ch, cw] = this.cropSize;
    const out = frames.view(n, t, c, ch, cw).permute(0, 2, 1, 3, 4);
    return single ? out.squeeze(0) : out;
  }

  toString(): string {
    const ints = (xs: number[]) => `[${xs.join(', ')}]`;
    const floats = (xs: number[]) => `[${xs.map(pyFloat).join(', ')}]`;
    return `VideoClassification(\n    crop_size=${ints(this.cropSize)}\n    resize_size=${ints(this.resizeSize)}\n    mean=${floats(this.mean)}\n    std=${floats(this.std)}\n    interpolation=InterpolationMode.${this.interpolation.toUpperCase()}\n)`;
  }
}

// DataLoader worker threads rebuild this preset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
