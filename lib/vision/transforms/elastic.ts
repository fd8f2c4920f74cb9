// torchvision.transforms.ElasticTransform: a random, smooth displacement of every pixel. The field
// draws from torch's generator as torchvision does (rand for x, blurred, then rand for y), so after
// the same torch.manualSeed it warps as torchvision warps.
import { PyTypeError, ValueError, pyType } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { rand } from '../../tensor/create';
import { cat } from '../../tensor/functions';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { pyFloat } from '../../py-format';
import { Transform } from './transforms';
import { gaussianBlur, getDimensions } from './functional';
import { elasticTransform } from './functional-elastic';

export interface ElasticTransformOptions {
  /** the displacements' strength, [x, y] or one for both */
  alpha?: number | number[];
  /** the displacements' smoothness (Gaussian sigma), [x, y] or one for both */
  sigma?: number | number[];
  interpolation?: 'nearest' | 'bilinear';
  fill?: number;
}
const ELASTIC_TRANSFORM = signature<ElasticTransformOptions>()([], ['alpha', 'sigma', 'interpolation', 'fill']);

/** a number as [x, x]; a sequence must hold 2 */
function pair(value: number | number[], name: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (!Array.isArray(value)) throw new PyTypeError(`${name} should be float or a sequence of floats. Got ${pyType(value)}`);
  if (value.length !== 2) throw new ValueError(`If ${name} is a sequence its length should be 2. Got ${value.length}`);
  return [value[0], value[1]];
}

export class ElasticTransform extends Transform<Tensor, Tensor> {
  readonly alpha: [number, number];
  readonly sigma: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
  readonly fill: number;
  constructor(...args: ArgsOf<typeof ELASTIC_TRANSFORM>) {
    super();
    const { alpha = 50.0, sigma = 5.0, interpolation = 'bilinear', fill = 0 } = ELASTIC_TRANSFORM.bind('ElasticTransform', args);
    this.alpha = pair(alpha, 'alpha');
    this.sigma = pair(sigma, 'sigma');
    this.interpolation = interpolation;
    if (typeof fill !== 'number') throw new PyTypeError(`fill should be int or float. Got ${pyType(fill)}`);
    this.fill = fill;
  }

  /** the [1, H, W, 2] displacement field for an image of `size` [H, W] */
  static getParams(alpha: [number, number], sigma: [number, number], size: [number, number]): Tensor {
    // torchvision blurs each axis' noise with both sigmas ([x, y]) and scales x by H, y by W
    const axis = (k: 0 | 1) => {
      let d = rand([1, 1, ...size]).mul(2).sub(1);
      if (sigma[k] > 0) {
        let ks = Math.trunc(8 * sigma[k] + 1);
        if (ks % 2 === 0) ks += 1;
        d = gaussianBlur(d, [ks, ks], sigma);
      }
      return d.mul(alpha[k]).div(size[k]);
    };
    const dx = axis(0);
    const dy = axis(1);
    return cat([dx, dy], 1).permute([0, 2, 3, 1]);
  }

  forward(img: Tensor): Tensor {
    const [, height, width] = getDimensions(img);
    const displacement = ElasticTransform.getParams(this.alpha, this.sigma, [height, width]);
    return elasticTransform(img, displacement, this.interpolation, this.fill);
  }

  toString(): string {
    const list = (xs: number[]) => `[${xs.map(pyFloat).join(', ')}]`;
    // torchvision 0.14's repr, unformatted placeholders included, so reprs compare equal
    return `ElasticTransform(alpha=${list(this.alpha)}), (sigma=${list(this.sigma)}), interpolation={self.interpolation}, fill={self.fill})`;
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
