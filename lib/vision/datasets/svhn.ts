// torchvision.datasets.SVHN over root/<split>_32x32.mat (md5-checked): X is uint8 [H, W, 3, N],
// y the labels, with the digit 0's label 10 made 0 as torchvision does. An item is image n as
// uint8 [3, H, W] (torchvision's PIL image of X[:, :, :, n]) and its label.
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { fromTypedArray } from '../../tensor/create';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { IndexError, TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { VisionDataset, checkIntegrity, verifyStrArg, noDownload } from './vision-dataset';
import { loadmat, MatValue } from './readers/mat';

export interface SVHNOptions<I, T> {
  root?: string;
  split?: 'train' | 'test' | 'extra';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the file if it is there and passes the md5 check, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const SVHN_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<SVHNOptions<unknown, unknown>>()('root', ...SVHN_ARGS);

/** a numeric MAT variable of the file, or a clear error */
function numericVariable(vars: Record<string, MatValue>, name: string, file: string) {
  const v = vars[name];
  if (v === undefined) throw new TorchError(`KeyError: '${name}' (in ${file})`);
  if (typeof v !== 'object' || v.kind !== 'numeric') throw new TorchError(`${file}: '${name}' is not a numeric array`);
  return v;
}

export class SVHN<I = Tensor, T = number> extends VisionDataset<[I, T]> {
  /** torchvision's split_list: [url, file name, md5] per split (a subclass may list other md5s) */
  static readonly splitList: Readonly<Record<string, readonly [string, string, string]>> = {
    train: ['http://ufldl.stanford.edu/housenumbers/train_32x32.mat', 'train_32x32.mat', 'e26dedcc434d2e4c54c9b2d4a06d8373'],
    test: ['http://ufldl.stanford.edu/housenumbers/test_32x32.mat', 'test_32x32.mat', 'eb5a983be6a315427106f1b164d9cef3'],
    extra: ['http://ufldl.stanford.edu/housenumbers/extra_32x32.mat', 'extra_32x32.mat', 'a93ce644f1a588dc4d68dda5feec44a7'],
  };

  readonly split: string;
  readonly filename: string;
  /** uint8 [N, 3, H, W], torchvision's transposed X */
  readonly data: Tensor;
  /** the labels, 10 made 0 */
  readonly labels: number[];

  /** Python's SVHN(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<SVHNOptions<I, T>, typeof SVHN_ARGS>);
  constructor(options: SVHNOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<SVHNOptions<I, T> & { root: string }>('SVHN', args, ['root'], SVHN_ARGS);
    super(options);
    const cls = new.target as unknown as typeof SVHN;
    recordConstruction(this, cls, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', Object.keys(cls.splitList));
    const [url, filename, md5] = cls.splitList[this.split];
    this.filename = filename;
    const file = path.join(this.root, filename);
    const verified = checkIntegrity(file, md5);
    if (options.download && verified) console.log(`Using downloaded and verified file: ${file}`);
    else if (options.download) noDownload('SVHN', `Fetch ${url} into ${this.root}.`);
    if (!verified) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');

    const vars = loadmat(file, { variableNames: ['X', 'y'] }).variables;
    const X = numericVariable(vars, 'X', file);
    const y = numericVariable(vars, 'y', file);
    if (X.shape.length !== 4) throw new TorchError(`${file}: X has ${X.shape.length} dimensions, expected 4 (H, W, 3, N)`);
    // X's column-major [H, W, C, N] is the row-major [N, C, W, H]; torchvision's transpose(3, 2, 0, 1) swaps the last two
    const [h, w, c, n] = X.shape;
    this.data = fromTypedArray(X.data, [n, c, w, h]).transpose(2, 3).contiguous();
    // astype(np.int64): floats truncate toward 0
    this.labels = Array.from(y.data as ArrayLike<number | bigint>, (v) => Math.trunc(Number(v))).map((v) => (v === 10 ? 0 : v));
  }

  len(): number {
    return this.data.size(0);
  }

  getItem(index: number): [I, T] {
    const n = this.data.size(0);
    // numpy's data[index]
    if (!Number.isInteger(index) || index >= n || index < -n) throw new IndexError(`index ${index} is out of bounds for axis 0 with size ${n}`);
    const i = index < 0 ? index + n : index;
    return this.applyTransforms(this.data.select(0, i), this.labels[i]) as [I, T];
  }

  extraRepr(): string {
    return `Split: ${this.split}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
