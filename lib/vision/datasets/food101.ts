// torchvision.datasets.Food101 over root/food-101: meta/<split>.json maps each class to its
// "class/id" images (images/class/id.jpg); classes are the sorted keys, items in the JSON's order.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageListDataset } from './image-list-dataset';
import { verifyStrArg, noDownload } from './vision-dataset';
import { byCodePoint } from './readers/file-listing';

export interface Food101Options<I, T> {
  root?: string;
  split?: 'train' | 'test';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const FOOD101_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<Food101Options<unknown, unknown>>()('root', ...FOOD101_ARGS);

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();

export class Food101<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly split: string;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  protected readonly imageFiles: string[] = [];
  protected readonly labels: number[] = [];

  /** Python's Food101(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<Food101Options<I, T>, typeof FOOD101_ARGS>);
  constructor(options: Food101Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<Food101Options<I, T> & { root: string }>('Food101', args, ['root'], FOOD101_ARGS);
    super(options);
    recordConstruction(this, new.target, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'test']);
    const base = path.join(this.root, 'food-101');
    const exists = isDir(path.join(base, 'meta')) && isDir(path.join(base, 'images'));
    if (!exists && options.download) noDownload('Food101', `Fetch http://data.vision.ee.ethz.ch/cvl/food-101.tar.gz and extract it into ${this.root}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    const metadata = JSON.parse(fs.readFileSync(path.join(base, 'meta', `${this.split}.json`), 'utf8')) as Record<string, string[]>;
    this.classes = Object.keys(metadata).sort(byCodePoint);
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    for (const [label, files] of Object.entries(metadata)) {
      for (const rel of files) {
        this.labels.push(this.classToIdx[label]);
        this.imageFiles.push(path.join(base, 'images', ...`${rel}.jpg`.split('/')));
      }
    }
  }

  extraRepr(): string {
    return `split=${this.split}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
