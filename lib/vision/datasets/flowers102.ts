// torchvision.datasets.Flowers102 over root/flowers-102: setid.mat lists each split's image ids
// (trnid / valid / tstid), imagelabels.mat every image's label from 1, jpg/image_<id:05d>.jpg the
// images; both .mat files are md5-checked. An item is the RGB image and its label from 0.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageListDataset } from './image-list-dataset';
import { checkIntegrity, verifyStrArg, noDownload } from './vision-dataset';
import { loadmat, MatValue } from './readers/mat';

export interface Flowers102Options<I, T> {
  root?: string;
  split?: 'train' | 'val' | 'test';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const FLOWERS102_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<Flowers102Options<unknown, unknown>>()('root', ...FLOWERS102_ARGS);

/** A squeezed numeric variable's values, as numpy's tolist() (a scalar is one value), and whether they are floats. */
function numbersOf(value: MatValue | undefined, name: string, file: string): { values: number[]; floats: boolean } {
  if (value === undefined) throw new TorchError(`KeyError: '${name}' (in ${file})`);
  if (typeof value === 'number' || typeof value === 'bigint') return { values: [Number(value)], floats: false };
  if (typeof value !== 'object' || value.kind !== 'numeric') throw new TorchError(`${file}: '${name}' is not a numeric array`);
  return { values: Array.from(value.data as ArrayLike<number | bigint>, Number), floats: value.dtype.startsWith('float') };
}

export class Flowers102<I = Tensor, T = number> extends ImageListDataset<I, T> {
  /** torchvision's _file_dict: [file name, md5] (a subclass may list other md5s) */
  static readonly fileDict: Readonly<Record<'image' | 'label' | 'setid', readonly [string, string]>> = {
    image: ['102flowers.tgz', '52808999861908f626f3c1f4e79d11fa'],
    label: ['imagelabels.mat', 'e0620be6f572b9609742df49c70aed4d'],
    setid: ['setid.mat', 'a5357ecc9cb78c4bef273ce3793fc85c'],
  };
  static readonly splitsMap: Readonly<Record<string, string>> = { train: 'trnid', val: 'valid', test: 'tstid' };

  readonly split: string;
  protected readonly imageFiles: string[] = [];
  protected readonly labels: number[] = [];

  /** Python's Flowers102(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<Flowers102Options<I, T>, typeof FLOWERS102_ARGS>);
  constructor(options: Flowers102Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<Flowers102Options<I, T> & { root: string }>('Flowers102', args, ['root'], FLOWERS102_ARGS);
    super(options);
    const cls = new.target as unknown as typeof Flowers102;
    recordConstruction(this, cls, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'val', 'test']);
    const base = path.join(this.root, 'flowers-102');
    const images = path.join(base, 'jpg');
    const intact = fs.existsSync(images) && fs.statSync(images).isDirectory() &&
      (['label', 'setid'] as const).every((id) => checkIntegrity(path.join(base, cls.fileDict[id][0]), cls.fileDict[id][1]));
    if (options.download && !intact) noDownload('Flowers102', `Fetch 102flowers.tgz, imagelabels.mat and setid.mat from https://www.robots.ox.ac.uk/~vgg/data/flowers/102/ into ${base} (the archive extracted there).`);
    if (!intact) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');

    const setFile = path.join(base, cls.fileDict.setid[0]);
    const key = cls.splitsMap[this.split];
    const ids = numbersOf(loadmat(setFile, { squeezeMe: true }).variables[key], key, setFile);
    // ids stored as doubles (MATLAB stores the real ones as integers) fail torchvision's f'{id:05d}'
    if (ids.floats && ids.values.length > 0) throw new ValueError("Unknown format code 'd' for object of type 'float'");
    const labelFile = path.join(base, cls.fileDict.label[0]);
    // dict(enumerate(labels - 1, 1)): image id -> label
    const labels = numbersOf(loadmat(labelFile, { squeezeMe: true }).variables.labels, 'labels', labelFile).values.map((l) => l - 1);
    for (const id of ids.values) {
      if (!(Number.isInteger(id) && id >= 1 && id <= labels.length)) throw new TorchError(`KeyError: ${id}`);
      this.labels.push(labels[id - 1]);
      this.imageFiles.push(path.join(images, `image_${String(id).padStart(5, '0')}.jpg`));
    }
  }

  extraRepr(): string {
    return `split=${this.split}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
