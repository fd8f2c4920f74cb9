// torchvision's functional.elastic_transform on tensor images. Its own file (not elastic.ts)
// because functional.ts re-exports it: a module that functional.ts loads must not need
// transforms.ts (which loads functional.ts first) while it loads.
import { PyTypeError, ValueError, pyType } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { linspace } from '../../tensor/create';
import { stack } from '../../tensor/functions';
import { applyGridTransform } from './functional';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { pySize } from '../../py-format';

export interface ElasticTransformArgs {
  img: Tensor;
  /** [1, H, W, 2]: the offsets added to grid_sample's identity grid (in its [-1, 1] units) */
  displacement: Tensor;
  interpolation?: 'nearest' | 'bilinear';
  /** what the area sampled from outside the image gets; null: zeros, without the mask pass */
  fill?: number | number[] | null;
}
const ELASTIC_TRANSFORM = signature<ElasticTransformArgs>()(['img', 'displacement'], ['interpolation', 'fill']);

/** elastic_transform(img, displacement, interpolation='bilinear', fill=None) */
export function elasticTransform(...args: ArgsOf<typeof ELASTIC_TRANSFORM>): Tensor {
  const { img, displacement, interpolation = 'bilinear', fill = null } = ELASTIC_TRANSFORM.bind('elastic_transform', args);
  if (!(displacement instanceof Tensor)) throw new PyTypeError('Argument displacement should be a Tensor');
  if (!(img instanceof Tensor)) throw new PyTypeError(`img should be PIL Image or Tensor. Got ${pyType(img)}`);
  const [h, w] = img.shape.slice(-2);
  const expected = [1, h, w, 2];
  if (displacement.dim() !== 4 || expected.some((s, i) => displacement.size(i) !== s)) {
    throw new ValueError(`Argument displacement shape should be (${expected.join(', ')}), but given ${pySize(displacement.shape)}`);
  }
  // a 2-D image (PIL 'L' elsewhere in torch-node) keeps its shape
  if (img.dim() === 2) return elasticTransform(img.unsqueeze(0), displacement, interpolation, fill).squeeze(0);
  const grid = identityGrid(h, w).to(img.device).add(displacement.to(img.device));
  return applyGridTransform(img, grid, interpolation, fill);
}

/** torchvision's _create_identity_grid: pixel centres in grid_sample's [-1, 1] units, [1, H, W, 2] (x, y) */
function identityGrid(h: number, w: number): Tensor {
  const xs = linspace((-w + 1) / w, (w - 1) / w, w).view([1, w]).expand([h, w]);
  const ys = linspace((-h + 1) / h, (h - 1) / h, h).view([h, 1]).expand([h, w]);
  return stack([xs, ys], -1).unsqueeze(0);
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
