// torchvision.datasets.GTSRB over root/gtsrb: train is GTSRB/Training/<class>/*.ppm (class folders
// as ImageFolder finds them), test GTSRB/Final_Test/Images with GT-final_test.csv's Filename;ClassId.
// PPMs decode in pil-loader.ts (sharp has no PPM decoder).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { findClasses, makeDataset } from './folder';
import { csvDicts } from './readers/python-csv';
import { ImageListDataset } from './image-list-dataset';
import { verifyStrArg, noDownload } from './vision-dataset';

export interface GTSRBOptions<I, T> {
  root?: string;
  split?: 'train' | 'test';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const GTSRB_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<GTSRBOptions<unknown, unknown>>()('root', ...GTSRB_ARGS);

export class GTSRB<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly split: string;
  protected readonly imageFiles: string[];
  protected readonly labels: number[];

  /** Python's GTSRB(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<GTSRBOptions<I, T>, typeof GTSRB_ARGS>);
  constructor(options: GTSRBOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<GTSRBOptions<I, T> & { root: string }>('GTSRB', args, ['root'], GTSRB_ARGS);
    super(options);
    recordConstruction(this, new.target, [options]);
    this.split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'test']);
    // torchvision joins the root as given (not ~-expanded) here
    const baseFolder = path.join(options.root, 'gtsrb');
    const targetFolder = path.join(baseFolder, 'GTSRB', this.split === 'train' ? 'Training' : 'Final_Test/Images');
    const exists = fs.existsSync(targetFolder) && fs.statSync(targetFolder).isDirectory();
    if (!exists && options.download) noDownload('GTSRB', `Fetch GTSRB's ${this.split} archives from https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/ and extract them into ${baseFolder}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    let samples: [string, number][];
    if (this.split === 'train') {
      samples = makeDataset(targetFolder, findClasses(targetFolder)[1], ['.ppm']);
    } else {
      const rows = csvDicts(fs.readFileSync(path.join(baseFolder, 'GT-final_test.csv'), 'utf8'), { delimiter: ';', skipInitialSpace: true });
      samples = rows.map((row) => [path.join(targetFolder, row.Filename), parseInt(row.ClassId, 10)]);
    }
    this.imageFiles = samples.map(([p]) => p);
    this.labels = samples.map(([, t]) => t);
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
