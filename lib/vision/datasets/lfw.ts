// torchvision.datasets.LFWPeople / LFWPairs over root/lfw-py: the image set's archive and the
// view's annotation files, md5-checked as torchvision does (the archive must be there too), then the
// extracted <images dir>/<name>/<name>_<0001>.jpg files. People: (image, identity index in
// lfw-names.txt); Pairs: (image1, image2, 1 if the same person else 0).
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { checkIntegrity } from './vision-dataset';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import { loadRgbImage } from './readers/pil-loader';
import { readLines } from './readers/file-listing';

export interface LFWOptions<I, T> {
  root?: string;
  split?: '10fold' | 'train' | 'test';
  imageSet?: 'original' | 'funneled' | 'deepfunneled';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they pass the md5 checks, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const LFW_ARGS = ['split', 'imageSet', 'transform', 'targetTransform', 'download'] as const;
keysOf<LFWOptions<unknown, unknown>>()('root', ...LFW_ARGS);

const ANNOT_FILE: Record<string, string> = { '10fold': '', train: 'DevTrain', test: 'DevTest' };

/** Python's str.lower() of an argument torchvision lowers before checking it. */
const lower = (v: unknown, name: string) => {
  if (typeof v !== 'string') throw new TorchError(`AttributeError: '${v === null ? 'NoneType' : typeof v}' object has no attribute 'lower' (${name})`);
  return v.toLowerCase();
};

/** torchvision's _LFW: the checks and paths both views share. */
export abstract class LFWBase<Item> extends VisionDataset<Item> {
  static readonly baseFolder: string = 'lfw-py';
  static readonly downloadUrlPrefix: string = 'http://vis-www.cs.umass.edu/lfw/';
  /** image set -> [images dir, archive, archive md5] */
  static readonly fileDict: Readonly<Record<string, readonly [string, string, string]>> = {
    original: ['lfw', 'lfw.tgz', 'a17d05bd522c52d84eca14327a23d494'],
    funneled: ['lfw_funneled', 'lfw-funneled.tgz', '1b42dfed7d15c9b2dd63d5e5840c86ad'],
    deepfunneled: ['lfw-deepfunneled', 'lfw-deepfunneled.tgz', '68331da3eb755a505a502b5aacb3c201'],
  };
  static readonly checksums: Readonly<Record<string, string>> = {
    'pairs.txt': '9f1ba174e4e1c508ff7cdf10ac338a7d',
    'pairsDevTest.txt': '5132f7440eb68cf58910c8a45a2ac10b',
    'pairsDevTrain.txt': '4f27cbf15b2da4a85c1907eb4181ad21',
    'people.txt': '450f0863dd89e85e73936a6d71a3474b',
    'peopleDevTest.txt': 'e4bf5be0a43b5dcd9dc5ccfcb8fb19c5',
    'peopleDevTrain.txt': '54eaac34beb6d042ed3a7d883e247a21',
    'lfw-names.txt': 'a6d0a479bd074669f656265a6e693f6d',
  };
  static readonly names: string = 'lfw-names.txt';

  readonly imageSet: string;
  readonly view: string;
  readonly split: string;
  readonly labelsFile: string;
  readonly filename: string;
  readonly md5: string;
  readonly imagesDir: string;

  protected constructor(options: LFWOptions<unknown, unknown> & { root: string }, view: 'people' | 'pairs') {
    const cls = new.target as unknown as typeof LFWBase;
    super({ ...options, root: path.join(options.root, cls.baseFolder) });
    this.imageSet = verifyStrArg(lower(options.imageSet ?? 'funneled', 'image_set'), 'image_set', Object.keys(cls.fileDict));
    const [imagesDir, filename, md5] = cls.fileDict[this.imageSet];
    [this.filename, this.md5] = [filename, md5];
    this.view = view;
    this.split = verifyStrArg(lower(options.split ?? '10fold', 'split'), 'split', ['10fold', 'train', 'test']);
    this.labelsFile = `${this.view}${ANNOT_FILE[this.split]}.txt`;
    if (options.download) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    this.imagesDir = path.join(this.root, imagesDir);
  }

  _checkIntegrity(): boolean {
    const cls = this.constructor as typeof LFWBase;
    const ok = checkIntegrity(path.join(this.root, this.filename), this.md5) && checkIntegrity(path.join(this.root, this.labelsFile), cls.checksums[this.labelsFile]);
    return ok && (this.view !== 'people' || checkIntegrity(path.join(this.root, cls.names), cls.checksums[cls.names]));
  }

  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    const prefix = (this.constructor as typeof LFWBase).downloadUrlPrefix;
    noDownload(this.constructor.name, `Fetch ${prefix}${this.filename} (extracted there too) and ${prefix}${this.labelsFile}${this.view === 'people' ? ' and lfw-names.txt' : ''} into ${this.root}.`);
  }

  /** the annotation file's f.readlines() */
  protected labelLines(name: string): string[] {
    return readLines(path.join(this.root, name));
  }

  protected imagePath(identity: string, no: string): string {
    const n = parseInt(no, 10);
    if (Number.isNaN(n)) throw new TorchError(`ValueError: invalid literal for int() with base 10: '${no}'`);
    return path.join(this.imagesDir, identity, `${identity}_${String(n).padStart(4, '0')}.jpg`);
  }

  extraRepr(): string {
    return `Alignment: ${this.imageSet}\nSplit: ${this.split}`;
  }
}

/** Python's LFWPeople(root, split='10fold', image_set='funneled', transform=None, target_transform=None, download=False). */
export class LFWPeople<I = Tensor, T = number> extends LFWBase<[I, T]> {
  readonly classToIdx: Record<string, number>;
  /** the image files */
  readonly data: string[] = [];
  readonly targets: number[] = [];

  constructor(root: string, ...rest: Rest<LFWOptions<I, T>, typeof LFW_ARGS>);
  constructor(options: LFWOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<LFWOptions<I, T> & { root: string }>('LFWPeople', args, ['root'], LFW_ARGS);
    super(options as LFWOptions<unknown, unknown> & { root: string }, 'people');
    recordConstruction(this, new.target, [options]);
    const names = this.labelLines((this.constructor as typeof LFWBase).names).map((l) => l.trim().split(/\s+/)[0]);
    this.classToIdx = Object.fromEntries(names.map((n, i) => [n, i]));
    const lines = this.labelLines(this.labelsFile);
    const [folds, start] = this.split === '10fold' ? [parseInt(lines[0], 10), 1] : [1, 0];
    let s = start;
    for (let fold = 0; fold < folds; fold++) {
      const n = parseInt(lines[s], 10);
      for (const line of lines.slice(s + 1, s + n + 1)) {
        const [identity, count] = line.trim().split('\t');
        for (let k = 1; k <= parseInt(count, 10); k++) {
          this.data.push(this.imagePath(identity, String(k)));
          if (!(identity in this.classToIdx)) throw new TorchError(`KeyError: '${identity}'`);
          this.targets.push(this.classToIdx[identity]);
        }
      }
      s += n + 1;
    }
  }

  len(): number {
    return this.data.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      () => {
        const i = listIndex(index, this.data.length);
        return loadRgbImage(this.data[i]).then((img): [Tensor, number] => [img, this.targets[i]]);
      },
      ([img, target]) => this.applyTransforms(img, target) as [I, T],
    );
  }

  extraRepr(): string {
    return `${super.extraRepr()}\nClasses (identities): ${Object.keys(this.classToIdx).length}`;
  }
}

/** Python's LFWPairs(root, split='10fold', image_set='funneled', transform=None, target_transform=None, download=False). */
export class LFWPairs<I = Tensor, T = number> extends LFWBase<[I, I, T]> {
  /** the (name, name) of each pair */
  readonly pairNames: [string, string][] = [];
  /** the (image file, image file) of each pair */
  readonly data: [string, string][] = [];
  readonly targets: number[] = [];

  constructor(root: string, ...rest: Rest<LFWOptions<I, T>, typeof LFW_ARGS>);
  constructor(options: LFWOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<LFWOptions<I, T> & { root: string }>('LFWPairs', args, ['root'], LFW_ARGS);
    super(options as LFWOptions<unknown, unknown> & { root: string }, 'pairs');
    recordConstruction(this, new.target, [options]);
    const lines = this.labelLines(this.labelsFile);
    const [folds, pairs] = this.split === '10fold' ? lines[0].split('\t').map((v) => parseInt(v, 10)) : [1, parseInt(lines[0], 10)];
    let s = 1;
    for (let fold = 0; fold < folds; fold++) {
      const rows = (from: number, to: number) => lines.slice(from, to).map((l) => l.trim().split('\t'));
      for (const [name, a, b] of rows(s, s + pairs)) this.addPair(name, name, [this.imagePath(name, a), this.imagePath(name, b)], 1);
      for (const [name1, a, name2, b] of rows(s + pairs, s + 2 * pairs)) this.addPair(name1, name2, [this.imagePath(name1, a), this.imagePath(name2, b)], 0);
      s += 2 * pairs;
    }
  }

  private addPair(name1: string, name2: string, files: [string, string], same: number): void {
    this.pairNames.push([name1, name2]);
    this.data.push(files);
    this.targets.push(same);
  }

  len(): number {
    return this.data.length;
  }

  getItem(index: number): Promise<[I, I, T]> {
    return this.inTurn(
      () => {
        const i = listIndex(index, this.data.length);
        return Promise.all(this.data[i].map(loadRgbImage)).then(([a, b]): [Tensor, Tensor, number] => [a, b, this.targets[i]]);
      },
      ([a, b, target]) => {
        const [x1, x2] = this.transform ? [this.transform(a), this.transform(b)] : [a, b];
        return [x1, x2, this.targetTransform ? this.targetTransform(target) : target] as [I, I, T];
      },
    );
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
