// torchvision.datasets.SBU over an extracted SBUCaptionedPhotoDataset: the photos named by the
// URL list that are in root/dataset, each with its caption line; the md5-checked tarball must be in
// root, as torchvision checks it. download defaults to true there too: here it only checks the
// files (and says they are verified), since nothing is downloaded. Images are RGB uint8 [3, H, W].
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { readImage } from '../io';
import { bindDatasetArgs } from './bind';
import { checkIntegrity } from './vision-dataset';
import { VisionDataset, listIndex, noDownload } from './vision-dataset';
import { readLines } from './readers/file-listing';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface SBUOptions {
  root?: string;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: string) => unknown) | null;
  /** true (the default): use the files if the tarball is there and verified, else a clear error */
  download?: boolean;
}
const SBU_ARGS = ['transform', 'targetTransform', 'download'] as const;
keysOf<SBUOptions>()('root', ...SBU_ARGS);

export class SBU<I = Tensor, T = string> extends VisionDataset<[I, T]> {
  static readonly url: string = 'https://www.cs.rice.edu/~vo9/sbucaptions/SBUCaptionedPhotoDataset.tar.gz';
  static readonly filename: string = 'SBUCaptionedPhotoDataset.tar.gz';
  static readonly md5Checksum: string = '9aec147b3488753cf758b4d493422285';
  readonly photos: string[] = [];
  readonly captions: string[] = [];

  /** Python's SBU(root, transform=None, target_transform=None, download=True) */
  constructor(root: string, ...rest: Rest<SBUOptions, typeof SBU_ARGS>);
  constructor(options: SBUOptions & { root: string });
  constructor(...args: unknown[]) {
    const cls = new.target as unknown as typeof SBU;
    const o = bindDatasetArgs<SBUOptions & { root: string }>(cls.name, args, ['root'], SBU_ARGS);
    super(o);
    recordConstruction(this, cls, [o]);
    if (o.download ?? true) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    const urls = readLines(path.join(this.root, 'dataset', 'SBU_captioned_photo_dataset_urls.txt'));
    const captions = readLines(path.join(this.root, 'dataset', 'SBU_captioned_photo_dataset_captions.txt'));
    for (let i = 0; i < Math.min(urls.length, captions.length); i++) {
      const photo = path.posix.basename(urls[i].replace(/\s+$/, ''));
      if (fs.existsSync(path.join(this.root, 'dataset', photo))) {
        this.photos.push(photo);
        this.captions.push(captions[i].replace(/\s+$/, ''));
      }
    }
  }

  /** The tarball is there with torchvision's md5. */
  _checkIntegrity(): boolean {
    const cls = this.constructor as typeof SBU;
    return checkIntegrity(path.join(this.root, cls.filename), cls.md5Checksum);
  }

  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    const cls = this.constructor as typeof SBU;
    noDownload(cls.name, `Fetch ${cls.url} into ${this.root}, extract it there and fetch its photos into ${path.join(this.root, 'dataset')}, then construct the dataset with download=false.`);
  }

  len(): number {
    return this.photos.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this.photos.length);
        return [await readImage(path.join(this.root, 'dataset', this.photos[i]), 'RGB'), this.captions[i]] as const;
      },
      ([img, caption]): [I, T] => [
        (this.transform ? this.transform(img) : img) as I,
        (this.targetTransform ? this.targetTransform(caption) : caption) as T,
      ],
    );
  }
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
