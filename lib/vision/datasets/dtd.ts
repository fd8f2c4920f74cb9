// torchvision.datasets.DTD over root/dtd/dtd: labels/<split><partition>.txt lists "class/file"
// lines of images/; classes are the sorted class names met in that list.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageListDataset } from './image-list-dataset';
import { verifyStrArg, noDownload } from './vision-dataset';
import { byCodePoint } from './readers/file-listing';

export interface DTDOptions<I, T> {
  root?: string;
  split?: 'train' | 'val' | 'test';
  partition?: number;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const DTD_ARGS = ['split', 'partition', 'transform', 'targetTransform', 'download'] as const;
keysOf<DTDOptions<unknown, unknown>>()('root', ...DTD_ARGS);


export class DTD<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly split: string;
  readonly partition: number;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  protected readonly imageFiles: string[] = [];
  protected readonly labels: number[];

  /** Python's DTD(root, split='train', partition=1, transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<DTDOptions<I, T>, typeof DTD_ARGS>);
  constructor(options: DTDOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<DTDOptions<I, T> & { root: string }>('DTD', args, ['root'], DTD_ARGS);
    const split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'val', 'test']);
    const partition = options.partition ?? 1;
    // torchvision's check, `and` included: only a non-integer outside [1, 10] is refused here
    if (!Number.isInteger(partition) && !(partition >= 1 && partition <= 10)) {
      throw new ValueError(`Parameter 'partition' should be an integer with \`1 <= partition <= 10\`, but got ${partition} instead`);
    }
    super(options);
    recordConstruction(this, new.target, [options]);
    [this.split, this.partition] = [split, partition];
    const dataFolder = path.join(this.root, new.target.name.toLowerCase(), 'dtd');
    const exists = fs.existsSync(dataFolder) && fs.statSync(dataFolder).isDirectory();
    if (!exists && options.download) noDownload('DTD', `Fetch https://www.robots.ox.ac.uk/~vgg/data/dtd/download/dtd-r1.0.1.tar.gz and extract it into ${path.dirname(dataFolder)}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    const classes: string[] = [];
    const text = fs.readFileSync(path.join(dataFolder, 'labels', `${split}${partition}.txt`), 'utf8');
    for (const line of text.split(/(?<=\n)/).filter((l) => l.length > 0)) {
      const parts = line.trim().split('/');
      if (parts.length !== 2) throw new ValueError(`${parts.length > 2 ? 'too many' : 'not enough'} values to unpack (expected 2${parts.length < 2 ? `, got ${parts.length}` : ''})`);
      this.imageFiles.push(path.join(dataFolder, 'images', parts[0], parts[1]));
      classes.push(parts[0]);
    }
    this.classes = [...new Set(classes)].sort(byCodePoint);
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    this.labels = classes.map((c) => this.classToIdx[c]);
  }

  extraRepr(): string {
    return `split=${this.split}, partition=${this.partition}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
