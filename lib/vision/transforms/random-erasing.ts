// torchvision.transforms.RandomErasing: with probability p, a random rectangle of a tensor image
// erased, drawing from torch's generator in torchvision's order (rand(1) < p, then per try
// uniform_ for the area and the log aspect ratio, normal_ for 'random' values, randint for i, j),
// so after the same torch.manualSeed it erases what torchvision erases.
import { PyTypeError, ValueError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { float32 } from '../../tensor/dtype';
import { empty, rand, randint, tensor } from '../../tensor/create';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { pyFloat } from '../../py-format';
import { Transform } from './transforms';
import { pyRound } from './functional';
import { erase } from './functional-erase';

export type ErasingValue = number | number[] | 'random';

export interface RandomErasingOptions {
  p?: number;
  /** the range of the erased area, as a fraction of the image's */
  scale?: [number, number];
  /** the range of the erased rectangle's aspect ratio */
  ratio?: [number, number];
  /** one value, one per channel, or 'random' (standard normal noise per pixel) */
  value?: ErasingValue;
  inplace?: boolean;
}
const RANDOM_ERASING = signature<RandomErasingOptions>()([], ['p', 'scale', 'ratio', 'value', 'inplace']);

export class RandomErasing extends Transform<Tensor, Tensor> {
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: ErasingValue;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<typeof RANDOM_ERASING>) {
    super();
    const { p = 0.5, scale = [0.02, 0.33], ratio = [0.3, 3.3], value = 0, inplace = false } = RANDOM_ERASING.bind('RandomErasing', args);
    if (typeof value !== 'number' && typeof value !== 'string' && !Array.isArray(value)) throw new PyTypeError('Argument value should be either a number or str or a sequence');
    if (typeof value === 'string' && value !== 'random') throw new ValueError("If value is str, it should be 'random'");
    if (!Array.isArray(scale)) throw new PyTypeError('Scale should be a sequence');
    if (!Array.isArray(ratio)) throw new PyTypeError('Ratio should be a sequence');
    if (scale[0] > scale[1] || ratio[0] > ratio[1]) warn('Scale and ratio should be of kind (min, max)');
    if (scale[0] < 0 || scale[1] > 1) throw new ValueError('Scale should be between 0 and 1');
    if (p < 0 || p > 1) throw new ValueError('Random erasing probability should be between 0 and 1');
    this.p = p;
    this.scale = scale;
    this.ratio = ratio;
    this.value = value;
    this.inplace = inplace;
  }

  /**
   * (i, j, h, w, v) for erase: up to 10 tries at a rectangle inside the image; `value` null means
   * normal noise. When none fits, the whole image and the image itself (erasing changes nothing).
   */
  static getParams(img: Tensor, scale: [number, number], ratio: [number, number], value: number[] | null = null): [number, number, number, number, Tensor] {
    const [imgC, imgH, imgW] = img.shape.slice(-3);
    const area = imgH * imgW;
    // float32 bounds, as torch.log(torch.tensor(ratio)) has
    const [logLow, logHigh] = tensor(ratio, { dtype: float32 }).log().tolist() as number[];
    for (let k = 0; k < 10; k++) {
      const eraseArea = area * (empty([1]).uniform_(scale[0], scale[1]).item() as number);
      const aspectRatio = empty([1]).uniform_(logLow, logHigh).exp().item() as number;
      const h = pyRound(Math.sqrt(eraseArea * aspectRatio));
      const w = pyRound(Math.sqrt(eraseArea / aspectRatio));
      if (!(h < imgH && w < imgW)) continue;
      const v = value === null ? empty([imgC, h, w], { dtype: float32 }).normal_() : valueTensor(value);
      const i = randint(0, imgH - h + 1, [1]).item() as number;
      const j = randint(0, imgW - w + 1, [1]).item() as number;
      return [i, j, h, w, v];
    }
    return [0, 0, imgH, imgW, img];
  }

  forward(img: Tensor): Tensor {
    if (!((rand([1]).item() as number) < this.p)) return img;
    // a 2-D image (PIL 'L' elsewhere in torch-node) is one channel; the view keeps inplace working
    if (img.dim() === 2) return this.erase(img.unsqueeze(0)).squeeze(0);
    return this.erase(img);
  }

  private erase(img: Tensor): Tensor {
    const value = this.value === 'random' ? null : typeof this.value === 'number' ? [this.value] : this.value;
    const channels = img.shape[img.dim() - 3];
    if (value !== null && value.length !== 1 && value.length !== channels) {
      throw new ValueError(`If value is a sequence, it should have either a single value or ${channels} (number of input channels)`);
    }
    const [i, j, h, w, v] = RandomErasing.getParams(img, this.scale, this.ratio, value);
    return erase(img, i, j, h, w, v, this.inplace);
  }

  toString(): string {
    const tuple = (xs: readonly number[], fmt: (x: number) => string) => `(${xs.map(fmt).join(', ')})`;
    const value = typeof this.value === 'object' ? tuple(this.value, String) : String(this.value);
    return `RandomErasing(p=${pyFloat(this.p)}, scale=${tuple(this.scale, pyFloat)}, ratio=${tuple(this.ratio, pyFloat)}, value=${value}, inplace=${this.inplace ? 'True' : 'False'})`;
  }
}

/** torch.tensor(value)[:, None, None]: int64 when every value is whole, as Python's ints give */
function valueTensor(value: number[]): Tensor {
  return tensor(value).view([-1, 1, 1]);
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
