// torchvision.datasets.StanfordCars (0.14) over root/stanford_cars: devkit/cars_meta.mat's
// class_names, the split's annotations (devkit/cars_train_annos.mat, or cars_test_annos_withlabels.mat
// beside the devkit for test) with each image's fname and class from 1, and cars_train/ or
// cars_test/. The target is the class only (0.14 reads no bounding box); the image is RGB.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageListDataset } from './image-list-dataset';
import { verifyStrArg, noDownload } from './vision-dataset';
import { loadmat, MatValue } from './readers/mat';

export interface StanfordCarsOptions<I, T> {
  root?: string;
  split?: 'train' | 'test';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const STANFORD_CARS_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<StanfordCarsOptions<unknown, unknown>>()('root', ...STANFORD_CARS_ARGS);

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();

/** A squeezed variable's elements: a cell array's values or a char array's strings (one element squeezes to itself). */
function elementsOf(value: MatValue | undefined, name: string, file: string): MatValue[] {
  if (value === undefined) throw new TorchError(`KeyError: '${name}' (in ${file})`);
  if (typeof value === 'object' && (value.kind === 'cell' || value.kind === 'char')) return value.data;
  return [value];
}

/** A squeezed struct array's records (scipy's annotation["fname"] is record.fname). */
function recordsOf(value: MatValue | undefined, name: string, file: string): Record<string, MatValue>[] {
  if (value === undefined) throw new TorchError(`KeyError: '${name}' (in ${file})`);
  if (typeof value !== 'object' || value.kind !== 'struct') throw new TorchError(`${file}: '${name}' is not a struct array`);
  return value.data;
}

export class StanfordCars<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly split: string;
  classes: string[] = [];
  classToIdx: Record<string, number> = {};
  protected readonly imageFiles: string[] = [];
  protected readonly labels: number[] = [];

  /** Python's StanfordCars(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<StanfordCarsOptions<I, T>, typeof STANFORD_CARS_ARGS>);
  constructor(options: StanfordCarsOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<StanfordCarsOptions<I, T> & { root: string }>('StanfordCars', args, ['root'], STANFORD_CARS_ARGS);
    super(options);
    recordConstruction(this, new.target, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'test']);
    // torchvision joins the root as given (no ~ expansion here)
    const base = path.join(options.root, 'stanford_cars');
    const devkit = path.join(base, 'devkit');
    const train = this.split === 'train';
    const annotations = train ? path.join(devkit, 'cars_train_annos.mat') : path.join(base, 'cars_test_annos_withlabels.mat');
    const imagesBase = path.join(base, train ? 'cars_train' : 'cars_test');
    const exists = isDir(devkit) && fs.existsSync(annotations) && isDir(imagesBase);
    if (options.download && !exists) noDownload('StanfordCars', `Fetch car_devkit.tgz, ${train ? 'cars_train.tgz' : 'cars_test.tgz and cars_test_annos_withlabels.mat'} (see torchvision's StanfordCars) into ${base}, the archives extracted there.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');

    for (const { fname, class: cls } of recordsOf(loadmat(annotations, { squeezeMe: true }).variables.annotations, 'annotations', annotations)) {
      if (typeof fname !== 'string' || !(typeof cls === 'number' || typeof cls === 'bigint')) throw new TorchError(`${annotations}: an annotation's fname or class is not a scalar`);
      this.imageFiles.push(path.join(imagesBase, fname));
      this.labels.push(Number(cls) - 1); // the classes are numbered from 1
    }
    const meta = path.join(devkit, 'cars_meta.mat');
    this.classes = elementsOf(loadmat(meta, { squeezeMe: true }).variables.class_names, 'class_names', meta).map(String);
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
