// torchvision's functional.erase. Its own file (not random-erasing.ts) because functional.ts
// re-exports it: a module that functional.ts loads must not need transforms.ts (which loads
// functional.ts first) while it loads.
import { PyTypeError, pyType } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';

export interface EraseArgs {
  img: Tensor;
  /** top row of the region */
  i: number;
  /** left column of the region */
  j: number;
  h: number;
  w: number;
  /** what the region gets, broadcast over it ([C, 1, 1], [C, h, w] or a scalar tensor) */
  v: Tensor | number;
  inplace?: boolean;
}
const ERASE = signature<EraseArgs>()(['img', 'i', 'j', 'h', 'w', 'v'], ['inplace']);

/** erase(img, i, j, h, w, v, inplace=False): img[..., i:i+h, j:j+w] = v, on a copy unless inplace. */
export function erase(...args: ArgsOf<typeof ERASE>): Tensor {
  const { img, i, j, h, w, v, inplace = false } = ERASE.bind('erase', args);
  if (!(img instanceof Tensor)) throw new PyTypeError(`img should be Tensor Image. Got ${pyType(img)}`);
  if (img.dim() < 2) throw new PyTypeError('Tensor is not a torch image.');
  const out = inplace ? img : img.clone();
  // Python's slice i:i+h clips at the image's edge
  const rows = Math.max(0, Math.min(i + h, out.size(-2)) - i);
  const cols = Math.max(0, Math.min(j + w, out.size(-1)) - j);
  const region = out.narrow(-2, i, rows).narrow(-1, j, cols);
  if (v instanceof Tensor) region.copy_(v);
  else region.fill_(v);
  return out;
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
