// torchvision.datasets.MNIST / FashionMNIST / KMNIST / EMNIST / QMNIST over the IDX files (gzip or
// plain). torchvision returns a PIL image; with no PIL here, the image is the uint8 [28, 28] tensor
// PIL would have been made from (transforms.ToTensor of it is img.float().div(255).unsqueeze(0)).
// Targets are numbers, as int(...) (QMNIST with compat=false: the int64 [8] row of its labels).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { Dataset } from '../../data/dataset';
import { readIdxFile } from '../../data/idx';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { bindDatasetArgs } from './bind';
import { visionDatasetRepr } from './vision-repr';
import { TorchError, ValueError, PyTypeError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { verifyStrArg } from './vision-dataset';
import { byCodePoint } from './readers/file-listing';

export interface MNISTOptions<I, T> {
  root?: string;
  train?: boolean;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** accepted for torchvision compatibility; nothing is downloaded (files missing: a clear error) */
  download?: boolean;
}
/** Python's parameters after root, in order */
const MNIST_ARGS = ['train', 'transform', 'targetTransform', 'download'] as const;
keysOf<MNISTOptions<unknown, unknown>>()('root', ...MNIST_ARGS);

/** Debian's dataset-fashion-mnist package puts the four .gz files here. */
export const DEFAULT_FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist';

/** The IDX file `name` under root, as torchvision lays it out (root/<Class>/raw) or flat; .gz or not. */
function findFile(root: string, folder: string, name: string, download: boolean): string {
  for (const dir of [path.join(root, folder, 'raw'), root]) {
    for (const file of [name, `${name}.gz`]) {
      const p = path.join(dir, file);
      if (fs.existsSync(p)) return p;
    }
  }
  if (download) {
    throw new TorchError(`${folder}: download=True cannot download here (torch-node downloads nothing). Put ${name}[.gz] in ${path.join(root, folder, 'raw')}.`);
  }
  throw new TorchError('Dataset not found. You can use download=True to download it');
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
  /** int64 [N] (QMNIST: [N, 8]) */
  readonly targets: Tensor;
  private readonly labels: number[];
  /** download=True: files missing is a clear error that nothing is downloaded here */
  private readonly downloadRequested: boolean;

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
    const options = this.bindArgs(cls.name, args);
    // DataLoader worker threads rebuild it as new cls({ root, train, transform, ... }) (data/library-ref.ts).
    recordConstruction(this, cls, [options]);
    const dir = options.root ?? cls.defaultRoot;
    if (dir === undefined) throw new PyTypeError(`${cls.name}() missing 1 required positional argument: 'root'`);
    this.root = dir;
    this.train = options.train ?? true;
    this.transform = options.transform ?? undefined;
    this.targetTransform = options.targetTransform ?? undefined;
    this.downloadRequested = options.download ?? false;
    this.configure(options);
    [this.data, this.targets] = this.loadData();
    // Labels as JS numbers once, so getItem does no per-item native call for them.
    const first = this.targets.dim() === 2 ? this.targets.select(1, 0).contiguous() : this.targets;
    this.labels = Array.from(first.toTypedArray() as BigInt64Array, Number);
  }

  /** This class's Python signature bound to `args` (subclasses add their parameters). */
  protected bindArgs(fn: string, args: readonly unknown[]): MNISTOptions<I, T> {
    return bindDatasetArgs<MNISTOptions<I, T>>(fn, args, [], ['root', ...MNIST_ARGS]);
  }

  /** Reads the subclass's own parameters before the files are loaded (its fields are not set yet). */
  protected configure(_options: object): void {}

  /** root/<Class>/raw/<file>, as torchvision's raw_folder (or .gz, or flat in root). */
  protected rawFile(name: string): string {
    return findFile(this.root, this.constructor.name, name, this.downloadRequested);
  }

  /** [data, targets] as torchvision's _load_data reads them. */
  protected loadData(): [Tensor, Tensor] {
    const split = this.train ? 'train' : 't10k';
    return [readIdxFile(this.rawFile(`${split}-images-idx3-ubyte`)), readIdxFile(this.rawFile(`${split}-labels-idx1-ubyte`))];
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

  /** The target before targetTransform: int(targets[index]). */
  protected target(index: number): unknown {
    return this.labels[index < 0 ? index + this.labels.length : index];
  }

  getItem(index: number): [I, T] {
    const img = this.data.select(0, index);
    const target = this.target(index);
    return [
      (this.transform ? this.transform(img) : img) as I,
      (this.targetTransform ? this.targetTransform(target as number) : target) as T,
    ];
  }

  /** extra_repr() */
  protected extraRepr(): string {
    return `Split: ${this.train ? 'Train' : 'Test'}`;
  }

  /** VisionDataset's repr. */
  toString(): string {
    return visionDatasetRepr(this.constructor.name, {
      length: this.len(),
      root: this.root,
      extra: [this.extraRepr()],
      transform: this.transform,
      targetTransform: this.targetTransform,
    });
  }
}

export class FashionMNIST<I = Tensor, T = number> extends MNIST<I, T> {
  static readonly classes: string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  static readonly defaultRoot: string | undefined = DEFAULT_FASHION_MNIST_ROOT;
}

/** Kuzushiji-MNIST: MNIST's files under root/KMNIST/raw. */
export class KMNIST<I = Tensor, T = number> extends MNIST<I, T> {
  static readonly classes: string[] = ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'];
}

export interface EMNISTOptions<I, T> extends MNISTOptions<I, T> {
  split?: string;
}
const EMNIST_SPLITS = ['byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'] as const;
/** Python's sorted(set(...)) of characters */
const sortedChars = (chars: string) => [...new Set(chars)].sort(byCodePoint);
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALL_CLASSES = sortedChars(DIGITS + LOWER + LOWER.toUpperCase());
/** the lowercase letters EMNIST merges into their uppercase (same shape) */
const MERGED = new Set('cijklmopsuvwxyz');
const UNMERGED = ALL_CLASSES.filter((c) => !MERGED.has(c));

/** EMNIST(root, split, **kwargs): the split's emnist-<split>-<train|test>-*-idx files. */
export class EMNIST<I = Tensor, T = number> extends MNIST<I, T> {
  static readonly splits: readonly string[] = EMNIST_SPLITS;
  static readonly classesSplitDict: Readonly<Record<string, readonly string[]>> = {
    byclass: ALL_CLASSES,
    bymerge: UNMERGED,
    balanced: UNMERGED,
    letters: ['N/A', ...LOWER],
    digits: [...DIGITS],
    mnist: [...DIGITS],
  };
  // set in configure(), during MNIST's constructor: `declare` keeps them from being reset after it
  declare readonly split: string;

  /** Python's EMNIST(root, split, **kwargs): `new EMNIST(root, 'letters', { train: false })`. */
  constructor(root: string, split: string, options?: Omit<MNISTOptions<I, T>, 'root'>);
  constructor(options: EMNISTOptions<I, T> & { root: string; split: string });
  constructor(...args: unknown[]) {
    super(...(args as [MNISTOptions<I, T>]));
  }

  protected bindArgs(fn: string, args: readonly unknown[]): MNISTOptions<I, T> {
    return bind<EMNISTOptions<I, T>>(fn, args, ['root', 'split'], [], MNIST_ARGS);
  }

  protected configure(options: EMNISTOptions<I, T>): void {
    (this as { split: string }).split = verifyStrArg(options.split, 'split', EMNIST_SPLITS);
  }

  protected loadData(): [Tensor, Tensor] {
    const prefix = `emnist-${this.split}-${this.train ? 'train' : 'test'}`;
    return [readIdxFile(this.rawFile(`${prefix}-images-idx3-ubyte`)), readIdxFile(this.rawFile(`${prefix}-labels-idx1-ubyte`))];
  }

  get classes(): string[] {
    return [...EMNIST.classesSplitDict[this.split]];
  }
}

export interface QMNISTOptions<I, T> extends MNISTOptions<I, T> {
  what?: string | null;
  compat?: boolean;
}
const QMNIST_SUBSETS: Record<string, string> = { train: 'train', test: 'test', test10k: 'test', test50k: 'test', nist: 'nist' };
/** the raw files of each subset, as torchvision names them (its archives' names less .gz / .xz) */
const QMNIST_FILES: Record<string, [string, string]> = {
  train: ['qmnist-train-images-idx3-ubyte', 'qmnist-train-labels-idx2-int'],
  test: ['qmnist-test-images-idx3-ubyte', 'qmnist-test-labels-idx2-int'],
  nist: ['xnist-images-idx3-ubyte', 'xnist-labels-idx2-int'],
};
const QMNIST_ARGS = ['what', 'compat', 'train'] as const;

/** t[start:end].clone(), clamped as Python's slices are */
function rows(t: Tensor, start: number, end = Infinity): Tensor {
  const n = t.size(0);
  const [from, to] = [Math.min(start, n), Math.min(end, n)];
  return t.narrow(0, from, Math.max(0, to - from)).clone();
}

/**
 * QMNIST(root, what=None, compat=True, train=True, **kwargs): 'train', 'test', 'test10k', 'test50k'
 * or 'nist'; compat=false gives each item's full int64 [8] label row. The int32 label files are
 * read big-endian as QMNIST writes them (torchvision 0.14's reader swaps their bytes, fixed in 0.15).
 */
export class QMNIST<I = Tensor, T = number> extends MNIST<I, T> {
  declare readonly what: string;
  declare readonly compat: boolean;

  constructor(root: string, ...rest: Rest<Omit<QMNISTOptions<I, T>, 'root'>, typeof QMNIST_ARGS>);
  constructor(options: QMNISTOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    super(...(args as [MNISTOptions<I, T>]));
  }

  protected bindArgs(fn: string, args: readonly unknown[]): MNISTOptions<I, T> {
    return bind<QMNISTOptions<I, T>>(fn, args, ['root'], QMNIST_ARGS, ['transform', 'targetTransform', 'download']);
  }

  protected configure(options: QMNISTOptions<I, T>): void {
    const what = options.what ?? ((options.train ?? true) ? 'train' : 'test');
    (this as { what: string }).what = verifyStrArg(what, 'what', Object.keys(QMNIST_SUBSETS));
    (this as { compat: boolean }).compat = options.compat ?? true;
  }

  protected loadData(): [Tensor, Tensor] {
    const [images, labels] = QMNIST_FILES[QMNIST_SUBSETS[this.what]];
    let data = readIdxFile(this.rawFile(images));
    if (String(data.dtype) !== 'torch.uint8') throw new PyTypeError(`data should be of dtype torch.uint8 instead of ${data.dtype}`);
    // torchvision's message lacks its f-prefix: the braces are printed as they are
    if (data.dim() !== 3) throw new ValueError('data should have 3 dimensions instead of {data.ndimension()}');
    let targets = readIdxFile(this.rawFile(labels)).long();
    if (targets.dim() !== 2) throw new ValueError(`targets should have 2 dimensions instead of ${targets.dim()}`);
    // data[0:10000] / data[10000:], and the same of targets, as Python slices (clamped to the length)
    if (this.what === 'test10k') [data, targets] = [rows(data, 0, 10000), rows(targets, 0, 10000)];
    if (this.what === 'test50k') [data, targets] = [rows(data, 10000), rows(targets, 10000)];
    return [data, targets];
  }

  /** compat: int(target[0]); else the label row. */
  protected target(index: number): unknown {
    return this.compat ? super.target(index) : this.targets.select(0, index);
  }

  protected extraRepr(): string {
    return `Split: ${this.what}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
