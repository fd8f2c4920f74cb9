// torchvision.datasets.FER2013 over root/fer2013/{train,test}.csv (md5-checked): each row's
// "pixels" are 48x48 uint8 values, "emotion" the target (None, here null, when the file has none).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { fromTypedArray } from '../../tensor/create';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { checkIntegrity } from './vision-dataset';
import type { FileCheck } from './vision-dataset';
import { csvDicts } from './readers/python-csv';
import { VisionDataset, verifyStrArg, listIndex } from './vision-dataset';

export interface FER2013Options<I, T> {
  root?: string;
  split?: 'train' | 'test';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number | null) => T) | null;
}
const FER2013_ARGS = ['split', 'transform', 'targetTransform'] as const;
keysOf<FER2013Options<unknown, unknown>>()('root', ...FER2013_ARGS);

export class FER2013<I = Tensor, T = number | null> extends VisionDataset<[I, T]> {
  static readonly resources: Readonly<Record<string, FileCheck>> = {
    train: ['train.csv', '3f0dfb3d3fd99c811a1299cb947e3131'],
    test: ['test.csv', 'b02c2298636a634e8c2faabbf3ea9a23'],
  };
  readonly split: string;
  /** [uint8 [48, 48] image, emotion or null] per row */
  private readonly samples: [Tensor, number | null][];

  /** Python's FER2013(root, split='train', transform=None, target_transform=None). */
  constructor(root: string, ...rest: Rest<FER2013Options<I, T>, typeof FER2013_ARGS>);
  constructor(options: FER2013Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<FER2013Options<I, T> & { root: string }>('FER2013', args, ['root'], FER2013_ARGS);
    const cls = new.target as unknown as typeof FER2013;
    const split = verifyStrArg(options.split ?? 'train', 'split', Object.keys(cls.resources));
    super(options);
    recordConstruction(this, cls, [options]);
    this.split = split;
    const baseFolder = path.join(this.root, 'fer2013');
    const [fileName, md5] = cls.resources[split];
    const dataFile = path.join(baseFolder, fileName);
    if (!checkIntegrity(dataFile, md5)) {
      throw new TorchError(
        `${fileName} not found in ${path.normalize(baseFolder).replace(/\/$/, '')} or corrupted. You can download it from ` +
          'https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge',
      );
    }
    this.samples = csvDicts(fs.readFileSync(dataFile, 'utf8')).map((row) => {
      const pixels = row.pixels.split(/\s+/).filter((s) => s.length > 0).map((s) => parseInt(s, 10));
      return [fromTypedArray(Uint8Array.from(pixels), [48, 48]), 'emotion' in row ? parseInt(row.emotion, 10) : null];
    });
  }

  len(): number {
    return this.samples.length;
  }

  getItem(index: number): [I, T] {
    const [image, target] = this.samples[listIndex(index, this.samples.length)];
    return this.applyTransforms(image, target) as [I, T];
  }

  extraRepr(): string {
    return `split=${this.split}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
