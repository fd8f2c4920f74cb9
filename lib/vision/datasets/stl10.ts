// torchvision.datasets.STL10 over stl10_binary: train_X.bin / unlabeled_X.bin / test_X.bin hold
// uint8 images as 3 planes of 96x96 column-major pixels, the *_y.bin files 1-based uint8 labels,
// fold_indices.txt ten lines of indices into train. Every file is md5-checked first, as torchvision.
// The image is the uint8 [3, 96, 96] tensor torchvision's PIL image holds; unlabeled items have
// target -1 (train+unlabeled: the labelled ones, then -1s).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import { fromTypedArray, tensor } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError, pyType } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { checkIntegrity } from './vision-dataset';
import type { FileCheck } from './vision-dataset';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import { readLines } from './readers/file-listing';

export interface STL10Options<I, T> {
  root?: string;
  split?: 'train' | 'train+unlabeled' | 'unlabeled' | 'test';
  folds?: number | null;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they pass the md5 check, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const STL10_ARGS = ['split', 'folds', 'transform', 'targetTransform', 'download'] as const;
keysOf<STL10Options<unknown, unknown>>()('root', ...STL10_ARGS);

/** a line of f.read().splitlines() */
const withoutNewline = (line: string) => line.replace(/\n$/, '');

/** torchvision's _verify_folds: None or an int in [0, 10) (its ValueErrors). */
function verifyFolds(folds: unknown): number | null {
  if (folds == null) return null;
  if (typeof folds === 'number' && Number.isInteger(folds)) {
    if (folds >= 0 && folds < 10) return folds;
    throw new ValueError(`Value for argument folds should be in the range [0, 10), but got ${folds}.`);
  }
  throw new ValueError(`Expected type None or int for argument folds, but got type ${pyType(folds)}.`);
}

export class STL10<I = Tensor, T = number> extends VisionDataset<[I, T]> {
  static readonly baseFolder: string = 'stl10_binary';
  static readonly url: string = 'http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz';
  static readonly classNamesFile: string = 'class_names.txt';
  static readonly foldsListFile: string = 'fold_indices.txt';
  static readonly trainList: readonly FileCheck[] = [
    ['train_X.bin', '918c2871b30a85fa023e0c44e0bee87f'],
    ['train_y.bin', '5a34089d4802c674881badbb80307741'],
    ['unlabeled_X.bin', '5242ba1fed5e4be9e1e742405eb56ca4'],
  ];
  static readonly testList: readonly FileCheck[] = [
    ['test_X.bin', '7f263ba9f9e0b06b93213547f721ac82'],
    ['test_y.bin', '36f9794fa4beb8a2c72628de14fa638e'],
  ];
  static readonly splits: readonly string[] = ['train', 'train+unlabeled', 'unlabeled', 'test'];

  readonly split: string;
  readonly folds: number | null;
  /** uint8 [N, 3, 96, 96] (a view of the files' column-major planes, as torchvision's array) */
  readonly data: Tensor;
  /** the targets (uint8 label - 1, wrapping as numpy's; -1 for unlabeled images) */
  readonly labels: number[];
  /** class_names.txt's lines, when that file is there (else torchvision has no classes) */
  readonly classes?: string[];

  /**
   * Python's STL10(root, split='train', folds=None, transform=None, target_transform=None,
   * download=False): `new STL10(root, 'test')`, `new STL10(root, { split: 'train', folds: 3 })`.
   */
  constructor(root: string, ...rest: Rest<STL10Options<I, T>, typeof STL10_ARGS>);
  constructor(options: STL10Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<STL10Options<I, T> & { root: string }>('STL10', args, ['root'], STL10_ARGS);
    super(options);
    const cls = new.target as unknown as typeof STL10;
    recordConstruction(this, cls, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', cls.splits);
    this.folds = verifyFolds(options.folds);
    if (options.download) this.download();
    else if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');

    const [trainX, trainY, unlabeledX] = cls.trainList.map(([f]) => f);
    const [testX, testY] = cls.testList.map(([f]) => f);
    let data: Tensor;
    let labels: number[];
    if (this.split === 'test') {
      [data, labels] = [this.loadImages(testX), this.loadLabels(testY)];
    } else if (this.split === 'unlabeled') {
      data = this.loadImages(unlabeledX);
      labels = new Array<number>(data.size(0)).fill(-1);
    } else {
      [data, labels] = this.loadFold(this.loadImages(trainX), this.loadLabels(trainY));
      if (this.split === 'train+unlabeled') {
        const unlabeled = this.loadImages(unlabeledX);
        data = cat([data, unlabeled]);
        labels = [...labels, ...new Array<number>(unlabeled.size(0)).fill(-1)];
      }
    }
    this.data = data;
    this.labels = labels;
    const classFile = path.join(this.root, cls.baseFolder, cls.classNamesFile);
    if (fs.existsSync(classFile) && fs.statSync(classFile).isFile()) this.classes = readLines(classFile).map(withoutNewline);
  }

  private file(name: string): string {
    return path.join(this.root, (this.constructor as typeof STL10).baseFolder, name);
  }

  /** np.fromfile(uint8).reshape(-1, 3, 96, 96).transpose(0, 1, 3, 2) */
  private loadImages(name: string): Tensor {
    const bytes = fs.readFileSync(this.file(name));
    const n = Math.floor(bytes.length / (3 * 96 * 96));
    if (n * 3 * 96 * 96 !== bytes.length) throw new ValueError(`cannot reshape array of size ${bytes.length} into shape (3,96,96)`);
    return fromTypedArray(new Uint8Array(bytes), [n, 3, 96, 96]).transpose(2, 3);
  }

  /** np.fromfile(uint8) - 1: 0-based, in uint8 arithmetic */
  private loadLabels(name: string): number[] {
    return Array.from(fs.readFileSync(this.file(name)), (b) => (b + 255) & 255);
  }

  /** the fold's line of indices into the train images, when folds is given */
  private loadFold(data: Tensor, labels: number[]): [Tensor, number[]] {
    if (this.folds === null) return [data, labels];
    const lines = readLines(this.file((this.constructor as typeof STL10).foldsListFile));
    const line = lines[this.folds];
    if (line === undefined) throw new TorchError('IndexError: list index out of range');
    const indices = line.trim().split(/\s+/).filter((s) => s.length > 0).map(Number);
    return [data.index(tensor(indices, { dtype: int64 })), indices.map((i) => labels[i < 0 ? i + labels.length : i])];
  }

  /** Every file of both lists is there with its md5. */
  _checkIntegrity(): boolean {
    const { trainList, testList } = this.constructor as typeof STL10;
    return [...trainList, ...testList].every(([f, md5]) => checkIntegrity(this.file(f), md5));
  }

  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    const { url, baseFolder } = this.constructor as typeof STL10;
    noDownload('STL10', `Fetch ${url} and extract it into ${this.root} (so that ${path.join(this.root, baseFolder)} holds its files).`);
  }

  len(): number {
    return this.labels.length;
  }

  getItem(index: number): [I, T] {
    const i = listIndex(index, this.labels.length);
    return this.applyTransforms(this.data.select(0, i), this.labels[i]) as [I, T];
  }

  extraRepr(): string {
    return `Split: ${this.split}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
