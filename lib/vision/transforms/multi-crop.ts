// torchvision.transforms.FiveCrop and TenCrop: an image to an array of crops (torchvision's tuple),
// which a following Lambda stacks for evaluation:
//   new Compose([new TenCrop(224), new Lambda((crops: Tensor[]) => torch.stack(crops.map((c) => new ToTensor()(c))))])
import { Tensor } from '../../tensor/tensor';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { Transform } from './transforms';
import { CropSize, ParsedCropSize, cropSize, fiveCrops, tenCrops } from './functional-multi-crop';

/** the size as torchvision's _setup_size keeps it: a tuple, in messages too */
const sizeTuple = (size: [number, number]): ParsedCropSize => ({ hw: size, shown: `(${size.join(', ')})` });

const FIVE_CROP = signature<{ size: CropSize }>()(['size'], []);

export class FiveCrop extends Transform<Tensor, Tensor[]> {
  readonly size: [number, number];
  constructor(...args: ArgsOf<typeof FIVE_CROP>) {
    super();
    this.size = cropSize(FIVE_CROP.bind('FiveCrop', args).size).hw;
  }
  forward(img: Tensor): Tensor[] {
    return fiveCrops(img, sizeTuple(this.size));
  }
  toString(): string {
    return `FiveCrop(size=${sizeTuple(this.size).shown})`;
  }
}

const TEN_CROP = signature<{ size: CropSize; verticalFlip?: boolean }>()(['size'], ['verticalFlip']);

export class TenCrop extends Transform<Tensor, Tensor[]> {
  readonly size: [number, number];
  readonly verticalFlip: boolean;
  constructor(...args: ArgsOf<typeof TEN_CROP>) {
    super();
    const { size, verticalFlip = false } = TEN_CROP.bind('TenCrop', args);
    this.size = cropSize(size).hw;
    this.verticalFlip = verticalFlip;
  }
  forward(img: Tensor): Tensor[] {
    return tenCrops(img, sizeTuple(this.size), this.verticalFlip);
  }
  toString(): string {
    return `TenCrop(size=${sizeTuple(this.size).shown}, vertical_flip=${this.verticalFlip ? 'True' : 'False'})`;
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
