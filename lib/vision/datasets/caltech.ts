// torchvision.datasets.Caltech101 / Caltech256 over root/caltech101/101_ObjectCategories and
// root/caltech256/256_ObjectCategories: sorted category folders, image_<n>.jpg / <c>_<n>.jpg
// numbered from 1 per category. The image is as PIL opens it, without convert (some are gray):
// uint8 [C, H, W] with the file's bands. Caltech101's "annotation" target is the obj_contour of
// Annotations/<category>/annotation_<n>.mat (a float64 [2, points] tensor, torchvision's array).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import { listDir, byCodePoint } from './readers/file-listing';
import { readPilImage } from './readers/pil-image';
import { loadmat, matTensor } from './readers/mat';

export interface Caltech256Options<I, T> {
  root?: string;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: any) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const CALTECH256_ARGS = ['transform', 'targetTransform', 'download'] as const;
keysOf<Caltech256Options<unknown, unknown>>()('root', ...CALTECH256_ARGS);

export type CaltechTargetType = 'category' | 'annotation';
export interface Caltech101Options<I, T> extends Caltech256Options<I, T> {
  targetType?: CaltechTargetType | CaltechTargetType[];
}
const CALTECH101_ARGS = ['targetType', ...CALTECH256_ARGS] as const;
keysOf<Caltech101Options<unknown, unknown>>()('root', ...CALTECH101_ARGS);

/** zero-padded as Python's f'{n:04d}' */
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The shared part: the sorted categories of `folder`, each image's [number, category]. */
abstract class CaltechBase<I, T> extends VisionDataset<[I, T]> {
  categories: string[] = [];
  /** each image's number within its category, from 1 */
  readonly index: number[] = [];
  /** each image's category */
  readonly y: number[] = [];

  /** torchvision's constructor steps: makedirs(root), the download / existence check, the categories. */
  protected scan(folder: string, download: boolean | undefined, what: string, keep: (name: string) => boolean, skip?: string): void {
    fs.mkdirSync(this.root, { recursive: true });
    const dir = path.join(this.root, folder);
    if (download && fs.existsSync(dir)) console.log('Files already downloaded and verified');
    else if (download) noDownload(this.constructor.name, what);
    if (!fs.existsSync(dir)) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    this.categories = listDir(dir).sort(byCodePoint);
    if (skip !== undefined) {
      // categories.remove(skip): it must be there
      if (!this.categories.includes(skip)) throw new ValueError('list.remove(x): x not in list');
      this.categories.splice(this.categories.indexOf(skip), 1);
    }
    this.categories.forEach((c, i) => {
      const n = listDir(path.join(dir, c)).filter(keep).length;
      for (let k = 1; k <= n; k++) (this.index.push(k), this.y.push(i));
    });
  }

  len(): number {
    return this.index.length;
  }

  protected abstract imageFile(i: number): string;
  protected abstract target(i: number): unknown;

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      () => {
        const i = listIndex(index, this.index.length);
        const target = this.target(i);
        return readPilImage(this.imageFile(i)).then((img): [Tensor, unknown] => [img, target]);
      },
      ([img, target]) => this.applyTransforms(img, target) as [I, T],
    );
  }
}

/** Python's Caltech101(root, target_type='category', transform=None, target_transform=None, download=False). */
export class Caltech101<I = Tensor, T = number> extends CaltechBase<I, T> {
  readonly targetType: CaltechTargetType[];
  /** the Annotations folder's name of each category */
  readonly annotationCategories: string[];

  constructor(root: string, ...rest: Rest<Caltech101Options<I, T>, typeof CALTECH101_ARGS>);
  constructor(options: Caltech101Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<Caltech101Options<I, T> & { root: string }>('Caltech101', args, ['root'], CALTECH101_ARGS);
    super({ ...options, root: path.join(options.root, 'caltech101') });
    recordConstruction(this, new.target, [options]);
    const given = options.targetType ?? 'category';
    this.targetType = (typeof given === 'string' ? [given] : [...given]).map((t) => verifyStrArg(t, 'target_type', ['category', 'annotation']) as CaltechTargetType);
    this.scan('101_ObjectCategories', options.download, `Fetch 101_ObjectCategories.tar.gz and Annotations.tar (see torchvision's Caltech101) and extract them into ${this.root}.`, () => true, 'BACKGROUND_Google');
    const nameMap: Record<string, string> = { Faces: 'Faces_2', Faces_easy: 'Faces_3', Motorbikes: 'Motorbikes_16', airplanes: 'Airplanes_Side_2' };
    this.annotationCategories = this.categories.map((c) => nameMap[c] ?? c);
  }

  protected imageFile(i: number): string {
    return path.join(this.root, '101_ObjectCategories', this.categories[this.y[i]], `image_${pad(this.index[i], 4)}.jpg`);
  }

  protected target(i: number): unknown {
    const target = this.targetType.map((t) => {
      if (t === 'category') return this.y[i];
      const file = path.join(this.root, 'Annotations', this.annotationCategories[this.y[i]], `annotation_${pad(this.index[i], 4)}.mat`);
      const contour = loadmat(file).variables.obj_contour;
      if (contour === undefined) throw new TorchError(`KeyError: 'obj_contour' (in ${file})`);
      return matTensor(contour);
    });
    return target.length > 1 ? target : target[0];
  }

  extraRepr(): string {
    return `Target type: [${this.targetType.map((t) => `'${t}'`).join(', ')}]`;
  }
}

/** Python's Caltech256(root, transform=None, target_transform=None, download=False). */
export class Caltech256<I = Tensor, T = number> extends CaltechBase<I, T> {
  constructor(root: string, ...rest: Rest<Caltech256Options<I, T>, typeof CALTECH256_ARGS>);
  constructor(options: Caltech256Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<Caltech256Options<I, T> & { root: string }>('Caltech256', args, ['root'], CALTECH256_ARGS);
    super({ ...options, root: path.join(options.root, 'caltech256') });
    recordConstruction(this, new.target, [options]);
    this.scan('256_ObjectCategories', options.download, `Fetch 256_ObjectCategories.tar (see torchvision's Caltech256) and extract it into ${this.root}.`, (name) => name.endsWith('.jpg'));
  }

  protected imageFile(i: number): string {
    return path.join(this.root, '256_ObjectCategories', this.categories[this.y[i]], `${pad(this.y[i] + 1, 3)}_${pad(this.index[i], 4)}.jpg`);
  }

  protected target(i: number): unknown {
    return this.y[i];
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
