// torchvision.datasets.MNIST / FashionMNIST over the IDX files (gzip or plain). torchvision returns a
// PIL image; with no PIL here, the image is the uint8 [28, 28] tensor PIL would have been made from
// (transforms.ToTensor of it is img.float().div(255).unsqueeze(0)). Targets are numbers, as int(...).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { Dataset } from '../../data/dataset';
import { readIdxFile } from '../../data/idx';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { bindDatasetArgs } from './bind';
import { visionDatasetRepr } from './vision-repr';
import { TorchError } from '../../errors';
import { PyTypeError } from '../../data/errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface MNISTOptions<I, T> {
  root?: string;
  train?: boolean;
  transform?: (img: Tensor) => I;
  targetTransform?: (target: number) => T;
  /** accepted for torchvision compatibility; nothing is downloaded */
  download?: boolean;
}
/** Python's parameters after root, in order */
const MNIST_ARGS = ['train', 'transform', 'targetTransform', 'download'] as const;
keysOf<MNISTOptions<unknown, unknown>>()('root', ...MNIST_ARGS);

/** Debian's dataset-fashion-mnist package puts the four .gz files here. */
export const DEFAULT_FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist';

/** The IDX file `name` under root, as torchvision lays it out (root/<Class>/raw) or flat; .gz or not. */
function findFile(root: string, folder: string, name: string): string {
  for (const dir of [path.join(root, folder, 'raw'), root]) {
    for (const file of [name, `${name}.gz`]) {
      const p = path.join(dir, file);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new TorchError(`Dataset not found: no ${name}[.gz] in ${path.join(root, folder, 'raw')} or ${root}. Downloads are not supported here.`);
}

export class MNIST<I = Tensor, T = number> extends Dataset<[I, T]> {
  static readonly classes: string[] = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];
  /** torchvision requires a root for MNIST; FashionMNIST defaults to Debian's copy */
  static readonly defaultRoot: string | undefined = undefined;

  readonly root: string;
  readonly train: boolean;
  readonly transform?: (img: Tensor) => I;
  readonly targetTransform?: (target: number) => T;
  /** uint8 [N, 28, 28] */
  readonly data: Tensor;
  /** int64 [N] */
  readonly targets: Tensor;
  private readonly labels: number[];

  /**
   * Python's MNIST(root, train=True, transform=None, target_transform=None, download=False):
   * `new MNIST(root, false, transform)`, `new MNIST(root, { train: false, transform })` or
   * `new MNIST({ root, train, ... })`. FashionMNIST's root defaults to Debian's copy.
   */
  constructor(root?: string, ...rest: Rest<MNISTOptions<I, T>, typeof MNIST_ARGS>);
  constructor(options?: MNISTOptions<I, T>);
  constructor(...args: unknown[]) {
    super();
    const cls = new.target as unknown as typeof MNIST;
    const options = bindDatasetArgs<MNISTOptions<I, T>>(cls.name, args, [], ['root', ...MNIST_ARGS]);
    // DataLoader worker threads rebuild it as new cls({ root, train, transform, ... }) (data/library-ref.ts).
    recordConstruction(this, cls, [options]);
    const dir = options.root ?? cls.defaultRoot;
    if (dir === undefined) throw new PyTypeError(`${cls.name}() missing 1 required positional argument: 'root'`);
    this.root = dir;
    this.train = options.train ?? true;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    const split = this.train ? 'train' : 't10k';
    this.data = readIdxFile(findFile(this.root, cls.name, `${split}-images-idx3-ubyte`));
    this.targets = readIdxFile(findFile(this.root, cls.name, `${split}-labels-idx1-ubyte`));
    // Labels as JS numbers once, so getItem does no per-item native call for them.
    this.labels = Array.from(this.targets.toTypedArray() as BigInt64Array, Number);
  }

  get classes(): string[] {
    return (this.constructor as typeof MNIST).classes;
  }
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  len(): number {
    return this.labels.length;
  }

  getItem(index: number): [I, T] {
    const img = this.data.select(0, index);
    const target = this.labels[index < 0 ? index + this.labels.length : index];
    return [
      (this.transform ? this.transform(img) : img) as I,
      (this.targetTransform ? this.targetTransform(target) : target) as T,
    ];
  }

  /** VisionDataset's repr. */
  toString(): string {
    return visionDatasetRepr(this.constructor.name, {
      length: this.len(),
      root: this.root,
      extra: [`Split: ${this.train ? 'Train' : 'Test'}`],
      transform: this.transform,
      targetTransform: this.targetTransform,
    });
  }
}

export class FashionMNIST<I = Tensor, T = number> extends MNIST<I, T> {
  static readonly classes: string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  static readonly defaultRoot: string | undefined = DEFAULT_FASHION_MNIST_ROOT;
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
