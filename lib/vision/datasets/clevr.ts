// torchvision.datasets.CLEVRClassification over root/clevr/CLEVR_v1.0: images/<split>/* (sorted)
// and scenes/CLEVR_<split>_scenes.json; the label is the scene's number of objects (null on the
// test split). The image is RGB uint8 [3, H, W] (torchvision's PIL image).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { readImage } from '../io';
import { bindDatasetArgs } from './bind';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import { listDir, byCodePoint, notFound } from './readers/file-listing';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface CLEVRClassificationOptions {
  root?: string;
  split?: string;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: number | null) => unknown) | null;
  /** true: use the extracted folder if it is there, else a clear error (no network) */
  download?: boolean;
}
const CLEVR_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<CLEVRClassificationOptions>()('root', ...CLEVR_ARGS);

export class CLEVRClassification<I = Tensor, T = number | null> extends VisionDataset<[I, T]> {
  static readonly URL: string = 'https://dl.fbaipublicfiles.com/clevr/CLEVR_v1.0.zip';
  private readonly _split: string;
  private readonly _baseFolder: string;
  private readonly _dataFolder: string;
  private readonly _imageFiles: string[] = [];
  private readonly _labels: (number | null)[] = [];

  /** Python's CLEVRClassification(root, split='train', transform=None, target_transform=None, download=False) */
  constructor(root: string, ...rest: Rest<CLEVRClassificationOptions, typeof CLEVR_ARGS>);
  constructor(options: CLEVRClassificationOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<CLEVRClassificationOptions & { root: string }>('CLEVRClassification', args, ['root'], CLEVR_ARGS);
    // torchvision checks the split before anything else
    const split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'val', 'test']);
    super(o);
    recordConstruction(this, CLEVRClassification, [o]);
    this._split = split;
    this._baseFolder = path.join(this.root, 'clevr');
    this._dataFolder = path.join(this._baseFolder, 'CLEVR_v1.0');
    if (o.download && !this.checkExists()) noDownload('CLEVRClassification', `Fetch ${CLEVRClassification.URL}, extract it into ${this._baseFolder}, then construct the dataset without download.`);
    if (!this.checkExists()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    // pathlib's glob('*'): every entry, dot files included, sorted
    const imageDir = path.join(this._dataFolder, 'images', split);
    if (fs.existsSync(imageDir)) this._imageFiles = listDir(imageDir).sort(byCodePoint).map((f) => path.join(imageDir, f));
    if (split !== 'test') {
      const file = path.join(this._dataFolder, 'scenes', `CLEVR_${split}_scenes.json`);
      let content: { scenes: { image_filename: string; objects: unknown[] }[] };
      try {
        content = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        if (fs.existsSync(file)) throw e;
        throw notFound(file);
      }
      const numObjects = new Map(content.scenes.map((s) => [s.image_filename, s.objects.length]));
      this._labels = this._imageFiles.map((f) => {
        const name = path.basename(f);
        if (!numObjects.has(name)) throw new TorchError(`'${name}'`);
        return numObjects.get(name)!;
      });
    } else this._labels = this._imageFiles.map(() => null);
  }

  private checkExists(): boolean {
    return fs.existsSync(this._dataFolder) && fs.statSync(this._dataFolder).isDirectory();
  }

  len(): number {
    return this._imageFiles.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this._imageFiles.length);
        return [await readImage(this._imageFiles[i], 'RGB'), this._labels[i]] as const;
      },
      ([image, label]): [I, T] => [
        (this.transform ? this.transform(image) : image) as I,
        (this.targetTransform ? this.targetTransform(label) : label) as T,
      ],
    );
  }

  extraRepr(): string {
    return `split=${this._split}`;
  }
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
