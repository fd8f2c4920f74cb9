// torchvision.datasets.RenderedSST2 over root/rendered-sst2/<train|valid|test>/<negative|positive>/
// *.png (the folders' files as make_dataset finds them).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { findClasses, makeDataset } from './folder';
import { ImageListDataset } from './image-list-dataset';
import { verifyStrArg, noDownload } from './vision-dataset';

export interface RenderedSST2Options<I, T> {
  root?: string;
  split?: 'train' | 'val' | 'test';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const SST2_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<RenderedSST2Options<unknown, unknown>>()('root', ...SST2_ARGS);

const SPLIT_FOLDERS: Record<string, string> = { train: 'train', val: 'valid', test: 'test' };

export class RenderedSST2<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly split: string;
  readonly classes: string[] = ['negative', 'positive'];
  readonly classToIdx: Record<string, number> = { negative: 0, positive: 1 };
  protected readonly imageFiles: string[];
  protected readonly labels: number[];

  /** Python's RenderedSST2(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<RenderedSST2Options<I, T>, typeof SST2_ARGS>);
  constructor(options: RenderedSST2Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<RenderedSST2Options<I, T> & { root: string }>('RenderedSST2', args, ['root'], SST2_ARGS);
    super(options);
    recordConstruction(this, new.target, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'val', 'test']);
    const folder = path.join(this.root, 'rendered-sst2', SPLIT_FOLDERS[this.split]);
    const exists = this.classes.every((c) => fs.existsSync(path.join(folder, c)) && fs.statSync(path.join(folder, c)).isDirectory());
    if (!exists && options.download) noDownload('RenderedSST2', `Fetch https://openaipublic.azureedge.net/clip/data/rendered-sst2.tgz and extract it into ${this.root}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    const samples = makeDataset(folder, findClasses(folder)[1], ['png']);
    this.imageFiles = samples.map(([p]) => p);
    this.labels = samples.map(([, t]) => t);
  }

  extraRepr(): string {
    return `split=${this.split}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
