// torchvision.datasets.CIFAR10 / CIFAR100 over the python-version archives' files
// (cifar-10-batches-py, cifar-100-python): pickled dicts whose `data` is a uint8 [N, 3072] numpy
// array of CHW planes, read as pickle.load(f, encoding='latin1') reads them (plain-pickle.ts). As
// torchvision, `data` is uint8 [N, 32, 32, 3] (HWC) and every file is md5-checked first. torchvision
// returns a PIL image; with no PIL here, the image is the uint8 [3, 32, 32] tensor the transforms
// take for one (ToTensor() of it is torchvision's ToTensor() of the PIL image). Nothing is downloaded.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import { Dataset } from '../../data/dataset';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, IndexError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { checkIntegrity, expandUser } from './vision-dataset';
import type { FileCheck } from './vision-dataset';
import { visionDatasetRepr } from './vision-repr';
import { loadPlainPickle } from './readers/plain-pickle';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface CIFAROptions<I, T> {
  root?: string;
  train?: boolean;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there and pass the md5 check, else a clear error (no network) */
  download?: boolean;
}
/** Python's parameters after root, in order */
const CIFAR_ARGS = ['train', 'transform', 'targetTransform', 'download'] as const;
keysOf<CIFAROptions<unknown, unknown>>()('root', ...CIFAR_ARGS);

/** A loaded pickle's dict entry, or Python's KeyError text. */
function entryOf(dict: unknown, key: string, file: string): unknown {
  if (!(dict instanceof Map)) throw new TorchError(`${file} does not hold a dict`);
  if (!dict.has(key)) throw new TorchError(`KeyError: '${key}' (in ${file})`);
  return dict.get(key);
}

export class CIFAR10<I = Tensor, T = number> extends Dataset<[I, T]> {
  static readonly baseFolder: string = 'cifar-10-batches-py';
  static readonly url: string = 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz';
  static readonly filename: string = 'cifar-10-python.tar.gz';
  static readonly tgzMd5: string = 'c58f30108f718f92721af3b95e74349a';
  static readonly trainList: readonly FileCheck[] = [
    ['data_batch_1', 'c99cafc152244af753f735de768cd75f'],
    ['data_batch_2', 'd4bba439e000b95fd0a9bffe97cbabec'],
    ['data_batch_3', '54ebc095f3ab1f0389bbae665268c751'],
    ['data_batch_4', '634d18415352ddfa80567beed471001a'],
    ['data_batch_5', '482c414d41f54cd18b22e5b47cb7c3cb'],
  ];
  static readonly testList: readonly FileCheck[] = [['test_batch', '40351d587109b95175f43aff81a1287e']];
  static readonly meta: { readonly filename: string; readonly key: string; readonly md5: string | null } = {
    filename: 'batches.meta',
    key: 'label_names',
    md5: '5ff9c542aee3614f3951f8cda6e48888',
  };

  readonly root: string;
  readonly train: boolean;
  readonly transform?: (img: Tensor) => I;
  readonly targetTransform?: (target: number) => T;
  /** uint8 [N, 32, 32, 3], a view of the files' [N, 3, 32, 32] as torchvision's transposed array */
  readonly data: Tensor;
  /** the labels, a list of ints as in torchvision */
  readonly targets: number[];
  classes: string[] = [];
  classToIdx: Record<string, number> = {};

  /**
   * Python's CIFAR10(root, train=True, transform=None, target_transform=None, download=False):
   * `new CIFAR10(root, false, transform)`, `new CIFAR10(root, { train: false, transform })` or
   * `new CIFAR10({ root, train, ... })`.
   */
  constructor(root: string, ...rest: Rest<CIFAROptions<I, T>, typeof CIFAR_ARGS>);
  constructor(options: CIFAROptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    super();
    const cls = new.target as unknown as typeof CIFAR10;
    const options = bindDatasetArgs<CIFAROptions<I, T> & { root: string }>(cls.name, args, ['root'], CIFAR_ARGS);
    // DataLoader worker threads rebuild it as new cls({ root, train, transform, ... }) (data/library-ref.ts).
    recordConstruction(this, cls, [options]);
    this.root = expandUser(options.root);
    this.train = options.train ?? true;
    this.transform = options.transform ?? undefined;
    this.targetTransform = options.targetTransform ?? undefined;
    if (options.download) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');

    const arrays: Tensor[] = [];
    this.targets = [];
    for (const [fileName] of this.train ? cls.trainList : cls.testList) {
      const file = path.join(this.root, cls.baseFolder, fileName);
      const entry = loadPlainPickle(fs.readFileSync(file));
      const data = entryOf(entry, 'data', file);
      if (!(data instanceof Tensor)) throw new TorchError(`${file}: 'data' is not a numpy array`);
      arrays.push(data);
      const labels = entryOf(entry, (entry as Map<unknown, unknown>).has('labels') ? 'labels' : 'fine_labels', file);
      if (!Array.isArray(labels)) throw new TorchError(`${file}: the labels are not a list`);
      for (const label of labels) this.targets.push(Number(label));
    }
    // np.vstack(...).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
    const stacked = arrays.length === 1 ? arrays[0] : cat(arrays.map((a) => (a.dim() === 1 ? a.unsqueeze(0) : a)));
    this.data = stacked.reshape([-1, 3, 32, 32]).permute(0, 2, 3, 1);
    this.loadMeta();
  }

  private loadMeta(): void {
    const { baseFolder, meta } = this.constructor as typeof CIFAR10;
    const file = path.join(this.root, baseFolder, meta.filename);
    if (!checkIntegrity(file, meta.md5)) throw new TorchError('Dataset metadata file not found or corrupted. You can use download=True to download it');
    const names = entryOf(loadPlainPickle(fs.readFileSync(file)), meta.key, file);
    if (!Array.isArray(names)) throw new TorchError(`${file}: '${meta.key}' is not a list`);
    this.classes = names.map(String);
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** Every file of both splits is there with torchvision's md5. */
  _checkIntegrity(): boolean {
    const { baseFolder, trainList, testList } = this.constructor as typeof CIFAR10;
    return [...trainList, ...testList].every(([file, md5]) => checkIntegrity(path.join(this.root, baseFolder, file), md5));
  }

  /** Files already there and verified: as torchvision, says so; anything else would need the network. */
  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    const { url, baseFolder } = this.constructor as typeof CIFAR10;
    throw new TorchError(
      `${this.constructor.name}: download=True cannot download here (torch-node downloads nothing). ` +
        `Fetch ${url}, extract it into ${this.root} (so that ${path.join(this.root, baseFolder)} holds its files), then construct the dataset without download.`,
    );
  }

  len(): number {
    return this.targets.length;
  }

  getItem(index: number): [I, T] {
    const n = this.targets.length;
    if (!Number.isInteger(index) || index >= n || index < -n) throw new IndexError(`index ${index} is out of bounds for axis 0 with size ${n}`);
    // data[index] is HWC; the image is its CHW planes, as the transforms take a PIL image
    const img = this.data.select(0, index).permute(2, 0, 1);
    const target = this.targets[index < 0 ? index + n : index];
    return [
      (this.transform ? this.transform(img) : img) as I,
      (this.targetTransform ? this.targetTransform(target) : target) as T,
    ];
  }

  /** VisionDataset's repr, with extra_repr's split. */
  toString(): string {
    return visionDatasetRepr(this.constructor.name, {
      length: this.len(),
      root: this.root,
      extra: [`Split: ${this.train ? 'Train' : 'Test'}`],
      transform: this.transform,
      targetTransform: this.targetTransform,
    });
  }
}

/** CIFAR100: CIFAR10's reader over cifar-100-python (fine labels, fine label names). */
export class CIFAR100<I = Tensor, T = number> extends CIFAR10<I, T> {
  static readonly baseFolder: string = 'cifar-100-python';
  static readonly url: string = 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz';
  static readonly filename: string = 'cifar-100-python.tar.gz';
  static readonly tgzMd5: string = 'eb9058c3a382ffc7106e4002c42a8d85';
  static readonly trainList: readonly FileCheck[] = [['train', '16019d7e3df5f24257cddd939b257f8d']];
  static readonly testList: readonly FileCheck[] = [['test', 'f0ef6b0ae62326f3e7ffdfab6717acfc']];
  static readonly meta: { readonly filename: string; readonly key: string; readonly md5: string | null } = {
    filename: 'meta',
    key: 'fine_label_names',
    md5: '7973b15100ade9c7d40fb424638fde48',
  };
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
