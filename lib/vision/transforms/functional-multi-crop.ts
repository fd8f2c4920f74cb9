// torchvision's functional.five_crop and ten_crop. Their own file (not multi-crop.ts) because
// functional.ts re-exports them: a module that functional.ts loads must not need transforms.ts
// (which loads functional.ts first) while it loads.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { centerCrop, crop, getDimensions, hflip, vflip } from './functional';

export type CropSize = number | number[];

/** @internal [h, w] from an int, [s] or [h, w] (torchvision's _setup_size); `shown` is how Python prints the size. */
export function cropSize(size: CropSize): { hw: [number, number]; shown: string } {
  if (typeof size === 'number') return { hw: [Math.trunc(size), Math.trunc(size)], shown: `(${Math.trunc(size)}, ${Math.trunc(size)})` };
  if (size.length === 1) return { hw: [size[0], size[0]], shown: `(${size[0]}, ${size[0]})` };
  if (size.length !== 2) throw new ValueError('Please provide only two dimensions (h, w) for size.');
  return { hw: [size[0], size[1]], shown: `[${size.join(', ')}]` };
}

const FIVE_CROP = signature<{ img: Tensor; size: CropSize }>()(['img', 'size'], []);

/** five_crop(img, size): [top-left, top-right, bottom-left, bottom-right, center] crops. */
export function fiveCrop(...args: ArgsOf<typeof FIVE_CROP>): Tensor[] {
  const { img, size } = FIVE_CROP.bind('five_crop', args);
  return fiveCrops(img, cropSize(size));
}

export type ParsedCropSize = ReturnType<typeof cropSize>;

/** @internal five_crop on a parsed size */
export function fiveCrops(img: Tensor, { hw: [ch, cw], shown }: ParsedCropSize): Tensor[] {
  const [, h, w] = getDimensions(img);
  if (cw > w || ch > h) throw new ValueError(`Requested crop size ${shown} is bigger than input size (${h}, ${w})`);
  return [crop(img, 0, 0, ch, cw), crop(img, 0, w - cw, ch, cw), crop(img, h - ch, 0, ch, cw), crop(img, h - ch, w - cw, ch, cw), centerCrop(img, [ch, cw])];
}

const TEN_CROP = signature<{ img: Tensor; size: CropSize; verticalFlip?: boolean }>()(['img', 'size'], ['verticalFlip']);

/** ten_crop(img, size, vertical_flip=False): the five crops, then those of the flipped image. */
export function tenCrop(...args: ArgsOf<typeof TEN_CROP>): Tensor[] {
  const { img, size, verticalFlip = false } = TEN_CROP.bind('ten_crop', args);
  return tenCrops(img, cropSize(size), verticalFlip);
}

/** @internal ten_crop on a parsed size */
export function tenCrops(img: Tensor, size: ParsedCropSize, verticalFlip: boolean): Tensor[] {
  const first = fiveCrops(img, size);
  return [...first, ...fiveCrops(verticalFlip ? vflip(img) : hflip(img), size)];
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
