// torchvision.datasets.DatasetFolder / ImageFolder: root/<class>/**/<file>, classes sorted by name,
// files in sorted walk order, as torchvision's find_classes and make_dataset. Images load as uint8
// [3, H, W] tensors (RGB, like the default PIL loader's convert('RGB')). DataLoader worker threads
// rebuild these datasets from their constructor arguments (data/library-ref.ts) when the transforms,
// loader and isValidFile are the library's (or data.moduleFunction's); else build the dataset in a
// module with data.fromModule.
// The decodes of a batch run at once, but transforms run in the order getItem was called, so random
// transforms after torch.manualSeed make torchvision's draws. Constructors take Python's positional
// arguments: new ImageFolder(root, transform) as ImageFolder(root, transform).
import * as fs from 'fs';
import * as path from 'path';
import { TorchError, IndexError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Dataset } from '../../data/dataset';
import * as io from '../io';
import { readImage } from '../io';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { bindDatasetArgs } from './bind';
import { visionDatasetRepr } from './vision-repr';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

/** Python's sorted() on strings: by code point. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function findClasses(directory: string): [string[], Record<string, number>] {
  const classes = fs.readdirSync(directory, { withFileTypes: true })
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && fs.statSync(path.join(directory, e.name)).isDirectory()))
    .map((e) => e.name)
    .sort(byCodePoint);
  if (classes.length === 0) throw new TorchError(`Couldn't find any class folder in ${directory}.`);
  return [classes, Object.fromEntries(classes.map((c, i) => [c, i]))];
}

/** Every directory under dir (itself included), as os.walk(followlinks=True) visits them, sorted. */
function walkDirs(dir: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  const visit = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    const files: string[] = [];
    for (const e of entries) {
      const full = path.join(d, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(full).isDirectory());
      if (isDir) visit(full);
      else files.push(e.name);
    }
    out.push([d, files]);
  };
  visit(dir);
  return out.sort((a, b) => byCodePoint(a[0], b[0]));
}

export function makeDataset(directory: string, classToIdx: Record<string, number>, extensions: string[] | null, isValidFile?: (p: string) => boolean, allowEmpty = false): [string, number][] {
  if (!extensions === !isValidFile) throw new TorchError('Both extensions and is_valid_file cannot be None or not None at the same time');
  const valid = isValidFile ?? ((p: string) => extensions!.some((ext) => p.toLowerCase().endsWith(ext)));
  const instances: [string, number][] = [];
  const found = new Set<string>();
  for (const cls of Object.keys(classToIdx).sort(byCodePoint)) {
    const dir = path.join(directory, cls);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    for (const [root, files] of walkDirs(dir)) {
      for (const f of files.sort(byCodePoint)) {
        const p = path.join(root, f);
        if (valid(p)) {
          instances.push([p, classToIdx[cls]]);
          found.add(cls);
        }
      }
    }
  }
  const empty = Object.keys(classToIdx).filter((c) => !found.has(c));
  if (empty.length && !allowEmpty) {
    let msg = `Found no valid file for the classes ${empty.sort(byCodePoint).join(', ')}. `;
    if (extensions) msg += `Supported extensions are: ${extensions.join(', ')}`;
    throw new TorchError(msg);
  }
  return instances;
}

export interface DatasetFolderOptions<S, I, T> {
  transform?: (sample: S) => I;
  targetTransform?: (target: number) => T;
  isValidFile?: (path: string) => boolean;
}
/** Python's parameters after (root, loader): DatasetFolder(root, loader, extensions=None, transform=None, target_transform=None, is_valid_file=None) */
export type DatasetFolderArgs<S, I, T> = DatasetFolderOptions<S, I, T> & { extensions?: readonly string[] | null };
const DATASET_FOLDER_ARGS = ['extensions', 'transform', 'targetTransform', 'isValidFile'] as const;
keysOf<DatasetFolderArgs<unknown, unknown, unknown>>()(...DATASET_FOLDER_ARGS);


export class DatasetFolder<S = Tensor, I = S, T = number> extends Dataset<[I, T]> {
  readonly root: string;
  readonly loader: (path: string) => S | Promise<S>;
  readonly extensions: readonly string[] | null;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  readonly samples: [string, number][];
  readonly targets: number[];
  readonly transform?: (sample: S) => I;
  readonly targetTransform?: (target: number) => T;
  /**
   * Settles when the transforms of the last getItem call have run. Loaders (image decodes) of
   * concurrent getItem calls run at once, but each item's transform and targetTransform wait
   * for the previous call's: random transforms draw from torch's generator in the order the items
   * were asked for (the sampler's), as in Python, not in the order their decodes finish. (So a
   * transform must not await another getItem of its own dataset: that item's turn comes after.)
   */
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * Python's DatasetFolder(root, loader, extensions=None, transform=None, target_transform=None,
   * is_valid_file=None): `new DatasetFolder(root, loader, ['.png'], transform)`,
   * `new DatasetFolder(root, loader, null, { transform, isValidFile })` or all by name in one object.
   */
  constructor(root: string, loader: (path: string) => S | Promise<S>, ...rest: Rest<DatasetFolderArgs<S, I, T>, typeof DATASET_FOLDER_ARGS>);
  constructor(root: string, options: DatasetFolderArgs<S, I, T> & { loader: (path: string) => S | Promise<S> });
  constructor(options: DatasetFolderArgs<S, I, T> & { root: string; loader: (path: string) => S | Promise<S> });
  constructor(...args: unknown[]) {
    super();
    type Bound = DatasetFolderArgs<S, I, T> & { root: string; loader: (path: string) => S | Promise<S> };
    const a = bindDatasetArgs<Bound>('DatasetFolder', args, ['root', 'loader'], DATASET_FOLDER_ARGS);
    // DataLoader worker threads rebuild it as new DatasetFolder({ root, loader, ... }) (a subclass records its own).
    recordConstruction(this, DatasetFolder, [a]);
    this.root = a.root;
    this.loader = a.loader;
    this.extensions = a.extensions ?? null;
    this.transform = a.transform ?? undefined;
    this.targetTransform = a.targetTransform ?? undefined;
    [this.classes, this.classToIdx] = findClasses(this.root);
    const isValidFile = a.isValidFile ?? undefined;
    this.samples = makeDataset(this.root, this.classToIdx, isValidFile ? null : this.extensions ? [...this.extensions] : null, isValidFile);
    this.targets = this.samples.map(([, t]) => t);
  }

  len(): number {
    return this.samples.length;
  }

  getItem(index: number): Promise<[I, T]> {
    let loaded: Promise<S>;
    let target = 0;
    try {
      const n = this.samples.length;
      const i = index < 0 ? index + n : index;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new IndexError('list index out of range');
      const [p, t] = this.samples[i];
      target = t;
      loaded = Promise.resolve(this.loader(p));
    } catch (e) {
      loaded = Promise.reject(e);
    }
    // A failed load is reported at its turn; until then it must not count as unhandled.
    loaded.catch(() => undefined);
    const item = this.turn
      .then(() => loaded)
      .then((sample): [I, T] => [
        (this.transform ? this.transform(sample) : sample) as I,
        (this.targetTransform ? this.targetTransform(target) : target) as T,
      ]);
    this.turn = item.catch(() => undefined);
    return item;
  }

  /** VisionDataset's repr. */
  toString(): string {
    return visionDatasetRepr(this.constructor.name, { length: this.len(), root: this.root, transform: this.transform, targetTransform: this.targetTransform });
  }
}

/** torchvision's default image loader: the file as an RGB uint8 [3, H, W] tensor. */
export const defaultLoader = (p: string): Promise<Tensor> => readImage(p, 'RGB');

export type ImageFolderOptions<I, T> = DatasetFolderOptions<Tensor, I, T> & { loader?: (path: string) => Tensor | Promise<Tensor> };
/** Python's parameters after root: ImageFolder(root, transform=None, target_transform=None, loader=default_loader, is_valid_file=None) */
const IMAGE_FOLDER_ARGS = ['transform', 'targetTransform', 'loader', 'isValidFile'] as const;
keysOf<ImageFolderOptions<unknown, unknown>>()(...IMAGE_FOLDER_ARGS);

export class ImageFolder<I = Tensor, T = number> extends DatasetFolder<Tensor, I, T> {
  /** the (path, class index) pairs, as torchvision's `imgs` */
  get imgs(): [string, number][] {
    return this.samples;
  }

  /**
   * Python's ImageFolder(root, transform=None, target_transform=None, loader=default_loader,
   * is_valid_file=None): `new ImageFolder(root, transform)`, `new ImageFolder(root, { transform })`,
   * `new ImageFolder(root, transform, { loader })` or `new ImageFolder({ root, transform })`.
   */
  constructor(root: string, ...rest: Rest<ImageFolderOptions<I, T>, typeof IMAGE_FOLDER_ARGS>);
  constructor(options: ImageFolderOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    type Bound = ImageFolderOptions<I, T> & { root: string };
    const bound = bindDatasetArgs<Bound>('ImageFolder', args, ['root'], IMAGE_FOLDER_ARGS);
    const { root, loader, transform, targetTransform, isValidFile } = bound;
    super(root, loader ?? defaultLoader, isValidFile ? null : IMG_EXTENSIONS, { transform, targetTransform, isValidFile });
    recordConstruction(this, ImageFolder, [bound]);
  }
}

// DataLoader worker threads rebuild these datasets, and take the default loader and io's readers, by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
registerLibraryExports(require.resolve('../io'), io);
