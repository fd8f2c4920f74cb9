// torchvision.datasets.Omniglot over root/omniglot-py: the background or evaluation zip (md5-checked,
// as torchvision) and its extracted folder of <alphabet>/<character>/*.png, listed in os.listdir's
// order as torchvision does; the target is the character's index. The image is PIL's convert('L'),
// as uint8 [1, H, W] (io.readImage's GRAY; the real images are 1-bit, so exactly 0 / 255).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { readImage } from '../io';
import { checkIntegrity } from './vision-dataset';
import { VisionDataset, listIndex, noDownload } from './vision-dataset';
import { listDir } from './readers/file-listing';

/** os.path.isdir / isfile of dir/name (symlinks followed) */
const statOf = (dir: string, name: string) => fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
/** torchvision's list_dir(root): its folders, in os.listdir's order */
const listFolders = (dir: string) => listDir(dir).filter((n) => statOf(dir, n)?.isDirectory());
/** torchvision's list_files(root, suffix): its files ending with suffix, in os.listdir's order */
const listFiles = (dir: string, suffix: string) => listDir(dir).filter((n) => n.endsWith(suffix) && statOf(dir, n)?.isFile());

export interface OmniglotOptions<I, T> {
  root?: string;
  background?: boolean;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they pass the md5 check, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const OMNIGLOT_ARGS = ['background', 'transform', 'targetTransform', 'download'] as const;
keysOf<OmniglotOptions<unknown, unknown>>()('root', ...OMNIGLOT_ARGS);

export class Omniglot<I = Tensor, T = number> extends VisionDataset<[I, T]> {
  static readonly folder: string = 'omniglot-py';
  static readonly downloadUrlPrefix: string = 'https://raw.githubusercontent.com/brendenlake/omniglot/master/python';
  static readonly zipsMd5: Readonly<Record<string, string>> = {
    images_background: '68d2efa1b9178cc56df9314c21c6e718',
    images_evaluation: '6b91aef0f799c5bb55b94e3f2daec811',
  };

  readonly background: boolean;
  readonly targetFolder: string;
  /** [image file name, character index] of every image */
  private readonly flatCharacterImages: [string, number][];
  /** "<alphabet>/<character>" of every character */
  private readonly characters: string[];

  /** Python's Omniglot(root, background=True, transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<OmniglotOptions<I, T>, typeof OMNIGLOT_ARGS>);
  constructor(options: OmniglotOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<OmniglotOptions<I, T> & { root: string }>('Omniglot', args, ['root'], OMNIGLOT_ARGS);
    const cls = new.target as unknown as typeof Omniglot;
    super({ ...options, root: path.join(options.root, cls.folder) });
    recordConstruction(this, cls, [options]);
    this.background = options.background ?? true;
    if (options.download) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    this.targetFolder = path.join(this.root, this.zipName());
    this.characters = listFolders(this.targetFolder).flatMap((a) => listFolders(path.join(this.targetFolder, a)).map((c) => path.join(a, c)));
    this.flatCharacterImages = this.characters.flatMap((c, idx) => listFiles(path.join(this.targetFolder, c), '.png').map((f): [string, number] => [f, idx]));
  }

  private zipName(): string {
    return this.background ? 'images_background' : 'images_evaluation';
  }

  _checkIntegrity(): boolean {
    const name = this.zipName();
    return checkIntegrity(path.join(this.root, `${name}.zip`), (this.constructor as typeof Omniglot).zipsMd5[name]);
  }

  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    noDownload('Omniglot', `Fetch ${(this.constructor as typeof Omniglot).downloadUrlPrefix}/${this.zipName()}.zip into ${this.root} and extract it there.`);
  }

  len(): number {
    return this.flatCharacterImages.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      () => {
        const [name, character] = this.flatCharacterImages[listIndex(index, this.flatCharacterImages.length)];
        return readImage(path.join(this.targetFolder, this.characters[character], name), 'GRAY').then((img): [Tensor, number] => [img, character]);
      },
      ([img, character]) => this.applyTransforms(img, character) as [I, T],
    );
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
