// torchvision.datasets.FakeData: random images, the same for an index every time (each item is
// drawn from a generator seeded with index + randomOffset, as torchvision reseeds torch's for it).
// torchvision hands the randn image to ToPILImage, which stores img.mul(255).byte(); with no PIL
// here, the item is that uint8 [C, H, W] tensor, so ToTensor() of it equals torchvision's
// ToTensor()(item) (MNIST's images are tensors in the same way).
import { Tensor } from '../../tensor/tensor';
import { Generator } from '../../tensor/random';
import { randn, randint } from '../../tensor/create';
import { Dataset } from '../../data/dataset';
import { ValueError, IndexError } from '../../errors';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { bindDatasetArgs } from './bind';
import { visionDatasetRepr } from './vision-repr';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface FakeDataOptions<I, T> {
  size?: number;
  /** [C, H, W] (or [H, W]) */
  imageSize?: readonly number[];
  numClasses?: number;
  transform?: ((img: Tensor) => I) | null;
  /** gets the class as a 0-dim int64 tensor; item() of what it returns is the target, as in torchvision */
  targetTransform?: ((target: Tensor) => { item(): unknown }) | null;
  randomOffset?: number;
}
/** Python's parameters, in order */
const FAKE_DATA_ARGS = ['size', 'imageSize', 'numClasses', 'transform', 'targetTransform', 'randomOffset'] as const;
keysOf<FakeDataOptions<unknown, unknown>>()(...FAKE_DATA_ARGS);

export class FakeData<I = Tensor, T = number> extends Dataset<[I, T]> {
  readonly root = null;
  readonly size: number;
  readonly imageSize: readonly number[];
  readonly numClasses: number;
  readonly randomOffset: number;
  readonly transform?: (img: Tensor) => I;
  readonly targetTransform?: (target: Tensor) => { item(): unknown };

  /**
   * Python's FakeData(size=1000, image_size=(3, 224, 224), num_classes=10, transform=None,
   * target_transform=None, random_offset=0): positionally, by name, or both.
   */
  constructor(...args: Rest<FakeDataOptions<I, T>, typeof FAKE_DATA_ARGS>) {
    super();
    const options = bindDatasetArgs<FakeDataOptions<I, T>>('FakeData', args, [], FAKE_DATA_ARGS);
    // DataLoader worker threads rebuild it as new FakeData({ ... }) (data/library-ref.ts).
    recordConstruction(this, FakeData, [options]);
    this.size = options.size ?? 1000;
    this.imageSize = [...(options.imageSize ?? [3, 224, 224])];
    this.numClasses = options.numClasses ?? 10;
    this.randomOffset = options.randomOffset ?? 0;
    this.transform = options.transform ?? undefined;
    this.targetTransform = options.targetTransform ?? undefined;
  }

  len(): number {
    return this.size;
  }

  getItem(index: number): [I, T] {
    if (index >= this.size) throw new IndexError(`${this.constructor.name} index out of range`);
    // torch.manual_seed(index + random_offset) around the draws, then the old state back: a fresh
    // generator with that seed draws the same numbers and leaves torch's own untouched.
    const generator = new Generator().manualSeed(index + this.randomOffset);
    const noise = randn(...this.imageSize, { generator });
    let target = randint(0, this.numClasses, [1], { generator }).select(0, 0) as { item(): unknown };
    const img = toPilImageBytes(noise);
    const sample = this.transform ? this.transform(img) : img;
    if (this.targetTransform) target = this.targetTransform(target as Tensor);
    return [sample as I, target.item() as T];
  }

  toString(): string {
    return visionDatasetRepr(this.constructor.name, { length: this.len(), root: null, transform: this.transform, targetTransform: this.targetTransform });
  }
}

/** The pixels ToPILImage() stores for a float [C, H, W] (or [H, W]) tensor, with its checks. */
function toPilImageBytes(pic: Tensor): Tensor {
  if (pic.dim() !== 2 && pic.dim() !== 3) throw new ValueError(`pic should be 2/3 dimensional. Got ${pic.dim()} dimensions.`);
  const channels = pic.dim() === 2 ? 1 : pic.size(0);
  if (channels > 4) throw new ValueError(`pic should not have > 4 channels. Got ${channels} channels.`);
  return pic.mul(255).byte();
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
