// torchvision.datasets.Places365 over the extracted devkit and images: categories_places365.txt
// ("/a/airfield 0" lines: class -> index; classes are its names sorted), the split's file list
// ("/a/airfield/00000001.jpg 0" lines, paths below the images folder), each md5-checked as
// torchvision checks them. Items are the loader's image (RGB uint8 [3, H, W] by default) and the
// class index. Nothing is downloaded: download=True only errors as torchvision would, or says so.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { pyBool } from '../../py-format';
import { bindDatasetArgs } from './bind';
import { FileCheck, VisionDataset, checkIntegrity, listIndex, noDownload, verifyStrArg } from './vision-dataset';
import { defaultLoader } from './folder';
import { byCodePoint, readLines } from './readers/file-listing';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export type Places365Split = 'train-standard' | 'train-challenge' | 'val';

export interface Places365Options<I, T> {
  root?: string;
  split?: Places365Split;
  /** the 256 x 256 images instead of the high resolution ones */
  small?: boolean;
  download?: boolean;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  loader?: (path: string) => unknown;
}
const PLACES365_ARGS = ['split', 'small', 'download', 'transform', 'targetTransform', 'loader'] as const;
keysOf<Places365Options<unknown, unknown>>()('root', ...PLACES365_ARGS);

/** Python's str.split() into exactly two fields, then int() of the second, with its errors. */
function nameAndIndex(line: string): [string, number] {
  const fields = line.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 2) throw new ValueError(fields.length < 2 ? `not enough values to unpack (expected 2, got ${fields.length})` : 'too many values to unpack (expected 2)');
  const [name, index] = fields;
  if (!/^[+-]?\d+(_\d+)*$/.test(index)) throw new ValueError(`invalid literal for int() with base 10: '${index}'`);
  return [name, Number(index.replace(/_/g, ''))];
}

export class Places365<I = Tensor, T = number> extends VisionDataset<[I, T]> {
  static readonly splits: readonly Places365Split[] = ['train-standard', 'train-challenge', 'val'];
  static readonly baseUrl: string = 'http://data.csail.mit.edu/places/places365/';
  /** {variant: [archive, md5]} */
  static readonly devkitMeta: Readonly<Record<'standard' | 'challenge', FileCheck>> = {
    standard: ['filelist_places365-standard.tar', '35a0585fee1fa656440f3ab298f8479c'],
    challenge: ['filelist_places365-challenge.tar', '70a8307e459c3de41690a7c76c931734'],
  };
  static readonly categoriesMeta: FileCheck = ['categories_places365.txt', '06c963b85866bd0649f97cb43dd16673'];
  /** {split: [file, md5]} */
  static readonly fileListMeta: Readonly<Record<Places365Split, FileCheck>> = {
    'train-standard': ['places365_train_standard.txt', '30f37515461640559006b8329efbed1a'],
    'train-challenge': ['places365_train_challenge.txt', 'b2931dc997b8c33c27e7329c073a6b57'],
    val: ['places365_val.txt', 'e9f2fd57bfd9d07630173f4e8708e4b1'],
  };

  readonly split: Places365Split;
  readonly small: boolean;
  readonly loader: (path: string) => unknown;
  /** the class names, sorted */
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  /** [image path, class index] pairs, in the file list's order */
  readonly imgs: [string, number][];
  readonly targets: number[];

  /** Python's Places365(root, split='train-standard', small=False, download=False, transform=None, target_transform=None, loader=default_loader) */
  constructor(root: string, ...rest: Rest<Places365Options<I, T>, typeof PLACES365_ARGS>);
  constructor(options: Places365Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const cls = new.target as unknown as typeof Places365;
    const o = bindDatasetArgs<Places365Options<I, T> & { root: string }>(cls.name, args, ['root'], PLACES365_ARGS);
    super(o);
    recordConstruction(this, cls, [o]);
    this.split = verifyStrArg(o.split ?? 'train-standard', 'split', cls.splits) as Places365Split;
    this.small = o.small ?? false;
    this.loader = o.loader ?? defaultLoader;
    const download = o.download ?? false;

    const categories = this.checkedFile(cls.categoriesMeta, download);
    this.classToIdx = Object.fromEntries(readLines(categories).map(nameAndIndex));
    this.classes = Object.keys(this.classToIdx).sort(byCodePoint);
    const fileList = this.checkedFile(cls.fileListMeta[this.split], download);
    this.imgs = readLines(fileList).map((line) => {
      const [image, index] = nameAndIndex(line);
      return [path.join(this.imagesDir, image.replace(/^\/+/, '')), index];
    });
    this.targets = this.imgs.map(([, t]) => t);
    if (download) {
      if (fs.existsSync(this.imagesDir)) {
        throw new TorchError(`The directory ${this.imagesDir} already exists. If you want to re-download or re-extract the images, delete the directory.`);
      }
      noDownload(cls.name, `Fetch the ${this.split} images from ${cls.baseUrl} and extract them into ${this.root}.`);
    }
  }

  /** 'challenge' or 'standard', from the split */
  get variant(): 'standard' | 'challenge' {
    return this.split.includes('challenge') ? 'challenge' : 'standard';
  }

  /** where the split's images are: data_{256|large}_{variant} for training, {split}_{256|large} else */
  get imagesDir(): string {
    const size = this.small ? '256' : 'large';
    return path.join(this.root, this.split.startsWith('train') ? `data_${size}_${this.variant}` : `${this.split}_${size}`);
  }

  /** The devkit file, md5-checked (torchvision's _check_integrity); download=True cannot fetch it. */
  private checkedFile([name, md5]: FileCheck, download: boolean): string {
    const file = path.join(this.root, name);
    if (checkIntegrity(file, md5)) return file;
    if (!download) throw new TorchError(`The file ${file} does not exist or is corrupted. You can set download=True to download it.`);
    const [archive] = (this.constructor as typeof Places365).devkitMeta[this.variant];
    return noDownload((this.constructor as typeof Places365).name, `Fetch ${archive} from ${Places365.baseUrl} and extract it into ${this.root}.`);
  }

  len(): number {
    return this.imgs.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      () => {
        const [file, target] = this.imgs[listIndex(index, this.imgs.length)];
        return Promise.resolve(this.loader(file)).then((img) => [img, target] as const);
      },
      ([img, target]) => this.applyTransforms(img, target) as [I, T],
    );
  }

  extraRepr(): string {
    return `Split: ${this.split}\nSmall: ${pyBool(this.small)}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
