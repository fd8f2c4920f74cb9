// torchvision.datasets.Kitti (2D object detection) over root/Kitti/raw/{training,testing}/image_2
// and training/label_2: the images in os.listdir's order, each label file read as csv.reader
// (delimiter ' ') into torchvision's list of dicts (type, truncated, occluded, alpha, bbox,
// dimensions, location, rotation_y). The image is the file as PIL opens it; the target null when
// not training.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError, IndexError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { VisionDataset, listIndex, noDownload } from './vision-dataset';
import type { JointTransform } from './vision-dataset';
import { listDir, notFound } from './readers/file-listing';
import { readPilImage } from './readers/pil-image';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface KittiOptions {
  root?: string;
  train?: boolean;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: any) => unknown) | null;
  transforms?: JointTransform | null;
  /** true: use the extracted folders if they are there, else a clear error (no network) */
  download?: boolean;
}
const KITTI_ARGS = ['train', 'transform', 'targetTransform', 'transforms', 'download'] as const;
keysOf<KittiOptions>()('root', ...KITTI_ARGS);

/** One object of a KITTI label file. */
export interface KittiObject {
  type: string;
  truncated: number;
  occluded: number;
  alpha: number;
  bbox: number[];
  dimensions: number[];
  location: number[];
  rotation_y: number;
}

/** Python's float() of a field. */
function pyFloat(s: string): number {
  const t = s.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(t)) throw new ValueError(`could not convert string to float: '${s}'`);
  return Number(t.replace(/_/g, ''));
}

/** Python's int() of a field. */
function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new ValueError(`invalid literal for int() with base 10: '${s}'`);
  return parseInt(s, 10);
}

export class Kitti<I = Tensor, T = any> extends VisionDataset<[I, T]> {
  static readonly dataUrl: string = 'https://s3.eu-central-1.amazonaws.com/avg-kitti/';
  static readonly resources: readonly string[] = ['data_object_image_2.zip', 'data_object_label_2.zip'];
  static readonly imageDirName: string = 'image_2';
  static readonly labelsDirName: string = 'label_2';

  /** as torchvision sets it: the root as given, ~ not expanded */
  readonly root: string;
  readonly train: boolean;
  readonly images: string[] = [];
  readonly targets: string[] = [];

  /** Python's Kitti(root, train=True, transform=None, target_transform=None, transforms=None, download=False) */
  constructor(root: string, ...rest: Rest<KittiOptions, typeof KITTI_ARGS>);
  constructor(options: KittiOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<KittiOptions & { root: string }>('Kitti', args, ['root'], KITTI_ARGS);
    super(o);
    recordConstruction(this, Kitti, [o]);
    this.root = o.root;
    this.train = o.train ?? true;
    if (o.download) this.download();
    if (!this._checkExists()) throw new TorchError('Dataset not found. You may use download=True to download it.');
    const location = path.join(this.rawFolder, this.train ? 'training' : 'testing');
    const imageDir = path.join(location, Kitti.imageDirName);
    const labelsDir = path.join(location, Kitti.labelsDirName);
    for (const file of listDir(imageDir)) {
      this.images.push(path.join(imageDir, file));
      if (this.train) this.targets.push(path.join(labelsDir, `${file.split('.')[0]}.txt`));
    }
  }

  private get rawFolder(): string {
    return path.join(this.root, this.constructor.name, 'raw');
  }

  private _checkExists(): boolean {
    const location = path.join(this.rawFolder, this.train ? 'training' : 'testing');
    const folders = this.train ? [Kitti.imageDirName, Kitti.labelsDirName] : [Kitti.imageDirName];
    return folders.every((f) => fs.existsSync(path.join(location, f)) && fs.statSync(path.join(location, f)).isDirectory());
  }

  download(): void {
    if (this._checkExists()) return;
    noDownload('Kitti', `Fetch ${Kitti.resources.map((r) => Kitti.dataUrl + r).join(' and ')}, extract them into ${this.rawFolder}, then construct the dataset without download.`);
  }

  /** _parse_target: one dict per line of the label file. */
  private parseTarget(file: string): KittiObject[] {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw notFound(file);
    }
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((line) => {
      const f = line === '' ? [] : line.split(' ');
      if (f.length < 15) throw new IndexError('list index out of range');
      return {
        type: f[0],
        truncated: pyFloat(f[1]),
        occluded: pyInt(f[2]),
        alpha: pyFloat(f[3]),
        bbox: f.slice(4, 8).map(pyFloat),
        dimensions: f.slice(8, 11).map(pyFloat),
        location: f.slice(11, 14).map(pyFloat),
        rotation_y: pyFloat(f[14]),
      };
    });
  }

  len(): number {
    return this.images.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this.images.length);
        const image = await readPilImage(this.images[i]);
        return [image, this.train ? this.parseTarget(this.targets[i]) : null] as const;
      },
      ([image, target]) => (this.transforms ? this.applyTransforms(image, target) : [image, target]) as [I, T],
    );
  }
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
