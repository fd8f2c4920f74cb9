// torchvision.datasets.FGVCAircraft over root/fgvc-aircraft-2013b/data: the annotation level's
// class list (variants / families / manufacturers.txt) and images_<level>_<split>.txt's
// "<image id> <class name>" lines (images/<id>.jpg).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageListDataset } from './image-list-dataset';
import { verifyStrArg, noDownload } from './vision-dataset';
import { readLines } from './readers/file-listing';

export interface FGVCAircraftOptions<I, T> {
  root?: string;
  split?: 'train' | 'val' | 'trainval' | 'test';
  annotationLevel?: 'variant' | 'family' | 'manufacturer';
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const FGVC_ARGS = ['split', 'annotationLevel', 'transform', 'targetTransform', 'download'] as const;
keysOf<FGVCAircraftOptions<unknown, unknown>>()('root', ...FGVC_ARGS);

const CLASS_FILES: Record<string, string> = { variant: 'variants.txt', family: 'families.txt', manufacturer: 'manufacturers.txt' };

export class FGVCAircraft<I = Tensor, T = number> extends ImageListDataset<I, T> {
  readonly split: string;
  readonly annotationLevel: string;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  protected readonly imageFiles: string[] = [];
  protected readonly labels: number[] = [];

  /**
   * Python's FGVCAircraft(root, split='trainval', annotation_level='variant', transform=None,
   * target_transform=None, download=False).
   */
  constructor(root: string, ...rest: Rest<FGVCAircraftOptions<I, T>, typeof FGVC_ARGS>);
  constructor(options: FGVCAircraftOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<FGVCAircraftOptions<I, T> & { root: string }>('FGVCAircraft', args, ['root'], FGVC_ARGS);
    super(options);
    recordConstruction(this, new.target, [options]);
    this.split = verifyStrArg(options.split ?? 'trainval', 'split', ['train', 'val', 'trainval', 'test']);
    this.annotationLevel = verifyStrArg(options.annotationLevel ?? 'variant', 'annotation_level', ['variant', 'family', 'manufacturer']);
    const dataPath = path.join(this.root, 'fgvc-aircraft-2013b');
    const exists = fs.existsSync(dataPath) && fs.statSync(dataPath).isDirectory();
    if (!exists && options.download) noDownload('FGVCAircraft', `Fetch https://www.robots.ox.ac.uk/~vgg/data/fgvc-aircraft/archives/fgvc-aircraft-2013b.tar.gz and extract it into ${this.root}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    this.classes = readLines(path.join(dataPath, 'data', CLASS_FILES[this.annotationLevel])).map((l) => l.trim());
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    for (const line of readLines(path.join(dataPath, 'data', `images_${this.annotationLevel}_${this.split}.txt`))) {
      const text = line.trim();
      const at = text.indexOf(' ');
      if (at < 0) throw new TorchError(`ValueError: not enough values to unpack (expected 2, got 1)`);
      const [image, label] = [text.slice(0, at), text.slice(at + 1)];
      if (!(label in this.classToIdx)) throw new TorchError(`KeyError: '${label}'`);
      this.imageFiles.push(path.join(dataPath, 'data', 'images', `${image}.jpg`));
      this.labels.push(this.classToIdx[label]);
    }
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
