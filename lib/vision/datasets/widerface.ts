// torchvision.datasets.WIDERFace over root/widerface: WIDER_{train,val,test}/images and
// wider_face_split/'s box lists, parsed line by line as torchvision's state machine parses them (a
// file name, a box count, then the boxes; a count of 0 still owns one all-zero line). A target is a
// dict of int64 tensors (bbox [N, 4] as x, y, width, height; blur, expression, illumination,
// occlusion, pose, invalid [N]); null on the test split. The image is the file as PIL opens it.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { slice } from '../../tensor/indexing';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { VisionDataset, verifyStrArg, listIndex, noDownload, expandUser } from './vision-dataset';
import { readLines } from './readers/file-listing';
import { readPilImage } from './readers/pil-image';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface WIDERFaceOptions {
  root?: string;
  split?: string;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: any) => unknown) | null;
  /** true: use the extracted folders if they are there, else a clear error (no network) */
  download?: boolean;
}
const WIDER_ARGS = ['split', 'transform', 'targetTransform', 'download'] as const;
keysOf<WIDERFaceOptions>()('root', ...WIDER_ARGS);

/** A face box list's annotations, as views of one int64 [N, 10] tensor. */
export interface WIDERFaceTarget {
  bbox: Tensor;
  blur: Tensor;
  expression: Tensor;
  illumination: Tensor;
  occlusion: Tensor;
  pose: Tensor;
  invalid: Tensor;
}

/** Python's int() of a string. */
function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new ValueError(`invalid literal for int() with base 10: '${s}'`);
  return parseInt(s, 10);
}

export class WIDERFace<I = Tensor, T = any> extends VisionDataset<[I, T]> {
  static readonly BASE_FOLDER: string = 'widerface';
  /** the extracted folders torchvision checks for (its archives less .zip) */
  static readonly FOLDERS: readonly string[] = ['WIDER_train', 'WIDER_val', 'WIDER_test', 'wider_face_split'];

  readonly split: string;
  readonly imgInfo: { imgPath: string; annotations?: WIDERFaceTarget }[] = [];

  /** Python's WIDERFace(root, split='train', transform=None, target_transform=None, download=False) */
  constructor(root: string, ...rest: Rest<WIDERFaceOptions, typeof WIDER_ARGS>);
  constructor(options: WIDERFaceOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<WIDERFaceOptions & { root: string }>('WIDERFace', args, ['root'], WIDER_ARGS);
    super({ ...o, root: path.join(o.root, WIDERFace.BASE_FOLDER) });
    recordConstruction(this, WIDERFace, [o]);
    this.split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'val', 'test']);
    if (o.download) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download and prepare it');
    if (this.split === 'test') this.parseTestAnnotationsFile();
    else this.parseTrainValAnnotationsFile();
  }

  /** os.path.abspath(os.path.expanduser(p)) */
  private absolute(p: string): string {
    return path.resolve(expandUser(p));
  }

  private parseTrainValAnnotationsFile(): void {
    const file = path.join(this.root, 'wider_face_split', `wider_face_${this.split}_bbx_gt.txt`);
    let state: 'name' | 'count' | 'boxes' = 'name';
    let imgPath = '';
    let count = 0;
    let rows: number[][] = [];
    for (const raw of readLines(file)) {
      const line = raw.replace(/\s+$/, '');
      if (state === 'name') {
        imgPath = this.absolute(path.join(this.root, `WIDER_${this.split}`, 'images', line));
        state = 'count';
      } else if (state === 'count') {
        count = pyInt(line);
        state = 'boxes';
      } else {
        rows.push(line.split(' ').map(pyInt));
        if (rows.length >= count) {
          const labels = tensor(rows, { dtype: int64 });
          const column = (j: number) => labels.select(1, j);
          this.imgInfo.push({
            imgPath,
            annotations: {
              bbox: labels.index(':', slice(0, 4)),
              blur: column(4),
              expression: column(5),
              illumination: column(6),
              occlusion: column(7),
              pose: column(8),
              invalid: column(9),
            },
          });
          rows = [];
          state = 'name';
        }
      }
    }
  }

  private parseTestAnnotationsFile(): void {
    const file = this.absolute(path.join(this.root, 'wider_face_split', 'wider_face_test_filelist.txt'));
    for (const raw of readLines(file)) this.imgInfo.push({ imgPath: this.absolute(path.join(this.root, 'WIDER_test', 'images', raw.replace(/\s+$/, ''))) });
  }

  /** The extracted folders are there (torchvision checks no md5 of them). */
  _checkIntegrity(): boolean {
    return (this.constructor as typeof WIDERFace).FOLDERS.every((f) => fs.existsSync(path.join(this.root, f)));
  }

  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    noDownload('WIDERFace', `Fetch WIDER_train.zip, WIDER_val.zip, WIDER_test.zip and wider_face_split.zip, extract them into ${this.root}, then construct the dataset without download.`);
  }

  len(): number {
    return this.imgInfo.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const info = this.imgInfo[listIndex(index, this.imgInfo.length)];
        return [await readPilImage(info.imgPath), info.annotations] as const;
      },
      ([img, annotations]): [I, T] => {
        const x = this.transform ? this.transform(img) : img;
        let target: unknown = this.split === 'test' ? null : annotations;
        if (this.targetTransform) target = this.targetTransform(target);
        return [x as I, target as T];
      },
    );
  }

  extraRepr(): string {
    return `Split: ${this.split}`;
  }
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
