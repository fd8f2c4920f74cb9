// torchvision.datasets.CelebA over the extracted files in root/celeba: img_align_celeba/ and the
// md5-checked annotation lists (partition, identity, bbox, landmarks, attributes), read as its
// _load_csv reads them (space-delimited, initial spaces skipped). Targets are int64 tensors (attr
// mapped from {-1, 1} to {0, 1}; identity a 0-dim tensor), an array of them for several target
// types, null for none; the image is the file's uint8 [C, H, W] (PILToTensor of torchvision's).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { checkIntegrity } from './vision-dataset';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import { readLines } from './readers/file-listing';
import { readPilImage } from './readers/pil-image';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface CelebAOptions {
  root?: string;
  split?: string;
  /** 'attr', 'identity', 'bbox', 'landmarks', or a list of them (a list target) */
  targetType?: string | string[];
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: any) => unknown) | null;
  /** true: use the files if they are there and verified, else a clear error (no network) */
  download?: boolean;
}
const CELEBA_ARGS = ['split', 'targetType', 'transform', 'targetTransform', 'download'] as const;
keysOf<CelebAOptions>()('root', ...CELEBA_ARGS);

/** csv.reader(delimiter=' ', skipinitialspace=True) of one line: [] for a blank one. */
function spaceFields(line: string): string[] {
  const text = line.replace(/\n$/, '');
  return text === '' ? [] : text.replace(/^ +/, '').split(/ +/);
}

/** Python's int() of a field. */
function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new ValueError(`invalid literal for int() with base 10: '${s}'`);
  return parseInt(s, 10);
}

interface CSV {
  header: string[];
  index: string[];
  data: number[][];
}

export class CelebA<I = Tensor, T = any> extends VisionDataset<[I, T]> {
  static readonly baseFolder: string = 'celeba';
  /** [Google Drive id, md5, file name]: torchvision's file_list (the zip may be gone once extracted) */
  static readonly fileList: readonly (readonly [string, string, string])[] = [
    ['0B7EVK8r0v71pZjFTYXZWM3FlRnM', '00d2c5bc6d35e252742224ab0c1e8fcb', 'img_align_celeba.zip'],
    ['0B7EVK8r0v71pblRyaVFSWGxPY0U', '75e246fa4810816ffd6ee81facbd244c', 'list_attr_celeba.txt'],
    ['1_ee_0u7vcNLOfNLegJRHmolfH5ICW-XS', '32bd1bd63d3c78cd57e08160ec5ed1e2', 'identity_CelebA.txt'],
    ['0B7EVK8r0v71pbThiMVRxWXZ4dU0', '00566efa6fedff7a56946cd1c10f1c16', 'list_bbox_celeba.txt'],
    ['0B7EVK8r0v71pd0FJY3Blby1HUTQ', 'cc24ecafdb5b50baae59b03474781f8c', 'list_landmarks_align_celeba.txt'],
    ['0B7EVK8r0v71pY0NSMzRuSXJEVkk', 'd32c9cbf5e040fd4025c592c306e6668', 'list_eval_partition.txt'],
  ];

  readonly split: string;
  readonly targetType: string[];
  /** the image file names of the split */
  readonly filename: string[];
  readonly identity: Tensor;
  readonly bbox: Tensor;
  readonly landmarksAlign: Tensor;
  readonly attr: Tensor;
  readonly attrNames: string[];

  /**
   * Python's CelebA(root, split='train', target_type='attr', transform=None, target_transform=None,
   * download=False): `new CelebA(root, 'valid', ['attr', 'bbox'])` or `new CelebA(root, { split, targetType })`.
   */
  constructor(root: string, ...rest: Rest<CelebAOptions, typeof CELEBA_ARGS>);
  constructor(options: CelebAOptions & { root: string });
  constructor(...args: unknown[]) {
    const cls = new.target as unknown as typeof CelebA;
    const o = bindDatasetArgs<CelebAOptions & { root: string }>(cls.name, args, ['root'], CELEBA_ARGS);
    super(o);
    recordConstruction(this, cls, [o]);
    this.split = o.split ?? 'train';
    const targetType = o.targetType ?? 'attr';
    this.targetType = Array.isArray(targetType) ? targetType : [targetType];
    if (!this.targetType.length && this.targetTransform) throw new TorchError('target_transform is specified but target_type is empty');
    if (o.download) this.download();
    if (!this._checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');

    const splitId = { train: 0, valid: 1, test: 2, all: null }[verifyStrArg(this.split.toLowerCase(), 'split', ['train', 'valid', 'test', 'all'])]!;
    const splits = this.loadCsv('list_eval_partition.txt');
    const identity = this.loadCsv('identity_CelebA.txt');
    const bbox = this.loadCsv('list_bbox_celeba.txt', 1);
    const landmarks = this.loadCsv('list_landmarks_align_celeba.txt', 1);
    const attr = this.loadCsv('list_attr_celeba.txt', 1);
    // the rows of the split (partition == id), or all of them
    const rows = splitId === null ? splits.data.map((_, i) => i) : splits.data.flatMap((r, i) => (r[0] === splitId ? [i] : []));
    const pick = (csv: CSV, f: (v: number) => number = (v) => v) => {
      const picked = rows.map((i) => {
        if (i >= csv.data.length) throw new TorchError(`index ${i} is out of bounds for dimension 0 with size ${csv.data.length}`);
        return csv.data[i].map(f);
      });
      const width = csv.data[0]?.length ?? 0;
      return picked.length ? tensor(picked, { dtype: int64 }) : tensor([], { dtype: int64 }).reshape([0, width]);
    };
    this.filename = rows.map((i) => splits.index[i]);
    this.identity = pick(identity);
    this.bbox = pick(bbox);
    this.landmarksAlign = pick(landmarks);
    // from {-1, 1} to {0, 1}: torch.div(attr + 1, 2, rounding_mode='floor')
    this.attr = pick(attr, (v) => Math.floor((v + 1) / 2));
    this.attrNames = attr.header;
  }

  /** _load_csv: the header row (when given), the first column, the rest as ints. */
  private loadCsv(filename: string, header?: number): CSV {
    let rows = readLines(path.join(this.root, (this.constructor as typeof CelebA).baseFolder, filename)).map(spaceFields);
    let names: string[] = [];
    if (header !== undefined) {
      if (header >= rows.length) throw new TorchError('list index out of range');
      names = rows[header];
      rows = rows.slice(header + 1);
    }
    for (const r of rows) if (!r.length) throw new TorchError('list index out of range');
    return { header: names, index: rows.map((r) => r[0]), data: rows.map((r) => r.slice(1).map(pyInt)) };
  }

  /** The annotation lists match their md5s and img_align_celeba/ is there. */
  _checkIntegrity(): boolean {
    const { baseFolder, fileList } = this.constructor as typeof CelebA;
    for (const [, md5, filename] of fileList) {
      const ext = path.extname(filename);
      if (ext !== '.zip' && ext !== '.7z' && !checkIntegrity(path.join(this.root, baseFolder, filename), md5)) return false;
    }
    const images = path.join(this.root, baseFolder, 'img_align_celeba');
    return fs.existsSync(images) && fs.statSync(images).isDirectory();
  }

  /** Verified files: as torchvision, says so; anything else would need the network. */
  download(): void {
    if (this._checkIntegrity()) {
      console.log('Files already downloaded and verified');
      return;
    }
    const { baseFolder, fileList } = this.constructor as typeof CelebA;
    noDownload(this.constructor.name, `Fetch ${fileList.map(([, , f]) => f).join(', ')} (Google Drive) into ${path.join(this.root, baseFolder)}, extract img_align_celeba.zip there, then construct the dataset without download.`);
  }

  len(): number {
    return this.attr.size(0);
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this.filename.length);
        const file = path.join(this.root, (this.constructor as typeof CelebA).baseFolder, 'img_align_celeba', this.filename[i]);
        const target = this.targetType.map((t) => {
          if (t === 'attr') return this.attr.select(0, i);
          if (t === 'identity') return this.identity.select(0, i).select(0, 0);
          if (t === 'bbox') return this.bbox.select(0, i);
          if (t === 'landmarks') return this.landmarksAlign.select(0, i);
          throw new ValueError(`Target type "${t}" is not recognized.`);
        });
        return [await readPilImage(file), target] as const;
      },
      ([img, parts]): [I, T] => {
        const x = this.transform ? this.transform(img) : img;
        let target: unknown = null;
        if (parts.length) {
          target = parts.length > 1 ? parts : parts[0];
          if (this.targetTransform) target = this.targetTransform(target);
        }
        return [x as I, target as T];
      },
    );
  }

  extraRepr(): string {
    return `Target type: [${this.targetType.map((t) => `'${t}'`).join(', ')}]\nSplit: ${this.split}`;
  }
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
