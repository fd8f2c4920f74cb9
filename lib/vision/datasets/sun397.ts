// torchvision.datasets.SUN397 over root/SUN397: ClassName.txt's "/a/abbey" lines name the classes
// ("abbey", "apartment_building/outdoor"); the images are every sun_*.jpg below, found in the order
// Python's Path.rglob finds them (directories depth first, entries in the file system's order), and
// labelled by the folders between SUN397 and the file.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageListDataset } from './image-list-dataset';
import { noDownload } from './vision-dataset';
import { listDir, readLines } from './readers/file-listing';

export interface SUN397Options<I, T> {
  root?: string;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const SUN397_ARGS = ['transform', 'targetTransform', 'download'] as const;
keysOf<SUN397Options<unknown, unknown>>()('root', ...SUN397_ARGS);

/** Path(dir).rglob(pattern) for a 'prefix*suffix' pattern, in Python 3.11's order. */
function rglob(dir: string, prefix: string, suffix: string): string[] {
  const found: string[] = [];
  const visit = (d: string) => {
    const names = listDir(d);
    // the directory's own matches first, then its subfolders' (not following symlinks)
    for (const name of names) {
      if (name.startsWith(prefix) && name.endsWith(suffix) && name.length >= prefix.length + suffix.length) found.push(path.join(d, name));
    }
    for (const name of names) if (fs.lstatSync(path.join(d, name)).isDirectory()) visit(path.join(d, name));
  };
  visit(dir);
  return found;
}

export class SUN397<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  protected readonly imageFiles: string[];
  protected readonly labels: number[];

  /** Python's SUN397(root, transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<SUN397Options<I, T>, typeof SUN397_ARGS>);
  constructor(options: SUN397Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<SUN397Options<I, T> & { root: string }>('SUN397', args, ['root'], SUN397_ARGS);
    super(options);
    recordConstruction(this, new.target, [options]);
    const dataDir = path.join(this.root, 'SUN397');
    const exists = fs.existsSync(dataDir) && fs.statSync(dataDir).isDirectory();
    if (!exists && options.download) noDownload('SUN397', `Fetch http://vision.princeton.edu/projects/2010/SUN/SUN397.tar.gz and extract it into ${this.root}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    this.classes = readLines(path.join(dataDir, 'ClassName.txt')).map((c) => c.slice(3).trim());
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    this.imageFiles = rglob(dataDir, 'sun_', '.jpg');
    this.labels = this.imageFiles.map((file) => {
      const name = path.relative(dataDir, file).split(path.sep).slice(1, -1).join('/');
      if (!(name in this.classToIdx)) throw new TorchError(`KeyError: '${name}'`);
      return this.classToIdx[name];
    });
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
