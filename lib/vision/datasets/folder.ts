// torchvision.datasets.DatasetFolder / ImageFolder: root/<class>/**/<file>, classes sorted by name,
// files in sorted walk order, as torchvision's find_classes and make_dataset. Images load as uint8
// [3, H, W] tensors (RGB, like the default PIL loader's convert('RGB')). DataLoader workers rebuild
// a dataset from a module (data.fromModule): export a function that builds the ImageFolder.
import * as fs from 'fs';
import * as path from 'path';
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Dataset } from '../../data/dataset';
import { readImage } from '../io';
import { checkKeywords, keysOf } from '../../keywords';

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
const DATASET_FOLDER_KEYS = keysOf<DatasetFolderOptions<unknown, unknown, unknown>>()('transform', 'targetTransform', 'isValidFile');

export class DatasetFolder<S = Tensor, I = S, T = number> extends Dataset<[I, T]> {
  readonly root: string;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  readonly samples: [string, number][];
  readonly targets: number[];
  readonly transform?: (sample: S) => I;
  readonly targetTransform?: (target: number) => T;

  constructor(root: string, readonly loader: (path: string) => S | Promise<S>, extensions: string[] | null, options: DatasetFolderOptions<S, I, T> = {}) {
    super();
    checkKeywords('DatasetFolder', options, DATASET_FOLDER_KEYS);
    this.root = root;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    [this.classes, this.classToIdx] = findClasses(root);
    this.samples = makeDataset(root, this.classToIdx, options.isValidFile ? null : extensions, options.isValidFile);
    this.targets = this.samples.map(([, t]) => t);
  }

  len(): number {
    return this.samples.length;
  }

  async getItem(index: number): Promise<[I, T]> {
    const [p, target] = this.samples[index < 0 ? index + this.samples.length : index];
    const sample = await this.loader(p);
    return [
      (this.transform ? this.transform(sample) : sample) as I,
      (this.targetTransform ? this.targetTransform(target) : target) as T,
    ];
  }

  toString(): string {
    const lines = [`Dataset ${this.constructor.name}`, `    Number of datapoints: ${this.len()}`, `    Root location: ${this.root}`];
    if (this.transform) lines.push(`    StandardTransform`, `Transform: ${String(this.transform).split('\n').join('\n           ')}`);
    return lines.join('\n');
  }
}

/** torchvision's default image loader: the file as an RGB uint8 [3, H, W] tensor. */
export const defaultLoader = (p: string): Promise<Tensor> => readImage(p, 'RGB');

export type ImageFolderOptions<I, T> = DatasetFolderOptions<Tensor, I, T> & { loader?: (path: string) => Tensor | Promise<Tensor> };
const IMAGE_FOLDER_KEYS = keysOf<ImageFolderOptions<unknown, unknown>>()('transform', 'targetTransform', 'isValidFile', 'loader');

export class ImageFolder<I = Tensor, T = number> extends DatasetFolder<Tensor, I, T> {
  /** the (path, class index) pairs, as torchvision's `imgs` */
  get imgs(): [string, number][] {
    return this.samples;
  }

  constructor(root: string, options: ImageFolderOptions<I, T> = {}) {
    checkKeywords('ImageFolder', options, IMAGE_FOLDER_KEYS);
    const { loader = defaultLoader, ...rest } = options;
    super(root, loader, rest.isValidFile ? null : IMG_EXTENSIONS, rest);
  }
}
