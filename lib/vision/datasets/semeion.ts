// torchvision.datasets.SEMEION over semeion.data (md5-checked): each line 256 pixel values in [0, 1]
// then a one-hot row of 10; the images are uint8 [16, 16] (value * 255, truncated, as astype('uint8')).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { fromTypedArray } from '../../tensor/create';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { checkIntegrity } from './vision-dataset';
import { VisionDataset, listIndex, noDownload } from './vision-dataset';

export interface SEMEIONOptions<I, T> {
  root?: string;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** torchvision's default is true: here it checks the file and errors clearly when it is not there */
  download?: boolean;
}
const SEMEION_ARGS = ['transform', 'targetTransform', 'download'] as const;
keysOf<SEMEIONOptions<unknown, unknown>>()('root', ...SEMEION_ARGS);

export class SEMEION<I = Tensor, T = number> extends VisionDataset<[I, T]> {
  static readonly url: string = 'http://archive.ics.uci.edu/ml/machine-learning-databases/semeion/semeion.data';
  static readonly filename: string = 'semeion.data';
  static readonly md5Checksum: string = 'cb545d371d2ce14ec121470795a77432';

  /** uint8 [N, 16, 16] */
  readonly data: Tensor;
  /** np.nonzero(one-hot rows)[1]: the class of each image */
  readonly labels: number[];

  /** Python's SEMEION(root, transform=None, target_transform=None, download=True). */
  constructor(root: string, ...rest: Rest<SEMEIONOptions<I, T>, typeof SEMEION_ARGS>);
  constructor(options: SEMEIONOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<SEMEIONOptions<I, T> & { root: string }>('SEMEION', args, ['root'], SEMEION_ARGS);
    super(options);
    const cls = new.target as unknown as typeof SEMEION;
    recordConstruction(this, cls, [options]);
    if (options.download ?? true) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    // np.loadtxt: one row of numbers per non-empty line
    const rows = fs.readFileSync(path.join(this.root, cls.filename), 'latin1').split('\n').map((l) => l.trim()).filter((l) => l.length > 0).map((l) => l.split(/\s+/).map(Number));
    const pixels = new Uint8Array(rows.length * 256);
    this.labels = [];
    rows.forEach((row, r) => {
      for (let k = 0; k < 256; k++) pixels[r * 256 + k] = Math.trunc(row[k] * 255) & 255;
      row.slice(256).forEach((v, c) => v !== 0 && this.labels.push(c));
    });
    this.data = fromTypedArray(pixels, [rows.length, 16, 16]);
  }

  _checkIntegrity(): boolean {
    const cls = this.constructor as typeof SEMEION;
    return checkIntegrity(path.join(this.root, cls.filename), cls.md5Checksum);
  }

  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    const cls = this.constructor as typeof SEMEION;
    noDownload('SEMEION', `Fetch ${cls.url} into ${this.root}, or pass download=false to get torchvision's not-found error.`);
  }

  len(): number {
    return this.data.size(0);
  }

  getItem(index: number): [I, T] {
    const i = listIndex(index, this.len());
    return this.applyTransforms(this.data.select(0, i), this.labels[i]) as [I, T];
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
