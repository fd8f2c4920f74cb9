// torchvision.datasets.Cityscapes over root/leftImg8bit/<split>/<city>/ and gtFine|gtCoarse/: the
// images (RGB uint8 [3, H, W]) in os.listdir's order, and per target type the instance ids
// (int32 [1, H, W], PIL's mode 'I' of the 16-bit PNG), label ids or colour image (the PNG's own
// bands), or the polygon JSON as a plain object; an array of targets for several types.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { readImage } from '../io';
import { bindDatasetArgs } from './bind';
import { VisionDataset, verifyStrArg, listIndex } from './vision-dataset';
import type { JointTransform } from './vision-dataset';
import { listDir, notFound } from './readers/file-listing';
import { readPilImage } from './readers/pil-image';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface CityscapesOptions {
  root?: string;
  split?: string;
  mode?: string;
  /** 'instance', 'semantic', 'polygon', 'color', or a list of them (a list target) */
  targetType?: string | string[];
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: any) => unknown) | null;
  transforms?: JointTransform | null;
}
const CITYSCAPES_ARGS = ['split', 'mode', 'targetType', 'transform', 'targetTransform', 'transforms'] as const;
keysOf<CityscapesOptions>()('root', ...CITYSCAPES_ARGS);

/** torchvision's CityscapesClass namedtuple (cityscapesScripts' label table). */
export interface CityscapesClass {
  name: string;
  id: number;
  trainId: number;
  category: string;
  categoryId: number;
  hasInstances: boolean;
  ignoreInEval: boolean;
  color: [number, number, number];
}
type Row = [string, number, number, string, number, boolean, boolean, [number, number, number]];
const CLASS_ROWS: Row[] = [
  ['unlabeled', 0, 255, 'void', 0, false, true, [0, 0, 0]],
  ['ego vehicle', 1, 255, 'void', 0, false, true, [0, 0, 0]],
  ['rectification border', 2, 255, 'void', 0, false, true, [0, 0, 0]],
  ['out of roi', 3, 255, 'void', 0, false, true, [0, 0, 0]],
  ['static', 4, 255, 'void', 0, false, true, [0, 0, 0]],
  ['dynamic', 5, 255, 'void', 0, false, true, [111, 74, 0]],
  ['ground', 6, 255, 'void', 0, false, true, [81, 0, 81]],
  ['road', 7, 0, 'flat', 1, false, false, [128, 64, 128]],
  ['sidewalk', 8, 1, 'flat', 1, false, false, [244, 35, 232]],
  ['parking', 9, 255, 'flat', 1, false, true, [250, 170, 160]],
  ['rail track', 10, 255, 'flat', 1, false, true, [230, 150, 140]],
  ['building', 11, 2, 'construction', 2, false, false, [70, 70, 70]],
  ['wall', 12, 3, 'construction', 2, false, false, [102, 102, 156]],
  ['fence', 13, 4, 'construction', 2, false, false, [190, 153, 153]],
  ['guard rail', 14, 255, 'construction', 2, false, true, [180, 165, 180]],
  ['bridge', 15, 255, 'construction', 2, false, true, [150, 100, 100]],
  ['tunnel', 16, 255, 'construction', 2, false, true, [150, 120, 90]],
  ['pole', 17, 5, 'object', 3, false, false, [153, 153, 153]],
  ['polegroup', 18, 255, 'object', 3, false, true, [153, 153, 153]],
  ['traffic light', 19, 6, 'object', 3, false, false, [250, 170, 30]],
  ['traffic sign', 20, 7, 'object', 3, false, false, [220, 220, 0]],
  ['vegetation', 21, 8, 'nature', 4, false, false, [107, 142, 35]],
  ['terrain', 22, 9, 'nature', 4, false, false, [152, 251, 152]],
  ['sky', 23, 10, 'sky', 5, false, false, [70, 130, 180]],
  ['person', 24, 11, 'human', 6, true, false, [220, 20, 60]],
  ['rider', 25, 12, 'human', 6, true, false, [255, 0, 0]],
  ['car', 26, 13, 'vehicle', 7, true, false, [0, 0, 142]],
  ['truck', 27, 14, 'vehicle', 7, true, false, [0, 0, 70]],
  ['bus', 28, 15, 'vehicle', 7, true, false, [0, 60, 100]],
  ['caravan', 29, 255, 'vehicle', 7, true, true, [0, 0, 90]],
  ['trailer', 30, 255, 'vehicle', 7, true, true, [0, 0, 110]],
  ['train', 31, 16, 'vehicle', 7, true, false, [0, 80, 100]],
  ['motorcycle', 32, 17, 'vehicle', 7, true, false, [0, 0, 230]],
  ['bicycle', 33, 18, 'vehicle', 7, true, false, [119, 11, 32]],
  ['license plate', -1, -1, 'vehicle', 7, false, true, [0, 0, 142]],
];

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();

export class Cityscapes<I = Tensor, T = any> extends VisionDataset<[I, T]> {
  static readonly classes: readonly CityscapesClass[] = CLASS_ROWS.map(([name, id, trainId, category, categoryId, hasInstances, ignoreInEval, color]) => ({
    name, id, trainId, category, categoryId, hasInstances, ignoreInEval, color,
  }));

  readonly mode: string;
  readonly imagesDir: string;
  readonly targetsDir: string;
  readonly targetType: string[];
  readonly split: string;
  readonly images: string[] = [];
  /** per image, one target file per target type */
  readonly targets: string[][] = [];

  /**
   * Python's Cityscapes(root, split='train', mode='fine', target_type='instance', transform=None,
   * target_transform=None, transforms=None): `new Cityscapes(root, 'val', 'fine', ['semantic', 'polygon'])`.
   */
  constructor(root: string, ...rest: Rest<CityscapesOptions, typeof CITYSCAPES_ARGS>);
  constructor(options: CityscapesOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<CityscapesOptions & { root: string }>('Cityscapes', args, ['root'], CITYSCAPES_ARGS);
    super(o);
    recordConstruction(this, Cityscapes, [o]);
    const split = o.split ?? 'train';
    const mode = o.mode ?? 'fine';
    this.mode = mode === 'fine' ? 'gtFine' : 'gtCoarse';
    this.imagesDir = path.join(this.root, 'leftImg8bit', split);
    this.targetsDir = path.join(this.root, this.mode, split);
    this.split = split;
    verifyStrArg(mode, 'mode', ['fine', 'coarse']);
    const validSplits = mode === 'fine' ? ['train', 'test', 'val'] : ['train', 'train_extra', 'val'];
    const quoted = validSplits.map((v) => `'${v}'`).join(', ');
    verifyStrArg(split, 'split', validSplits, `Unknown value '${split}' for argument split if mode is '${mode}'. Valid values are {${quoted}}.`);
    const targetType = o.targetType ?? 'instance';
    this.targetType = Array.isArray(targetType) ? targetType : [targetType];
    for (const t of this.targetType) verifyStrArg(t, 'target_type', ['instance', 'semantic', 'polygon', 'color']);
    if (!isDir(this.imagesDir) || !isDir(this.targetsDir)) {
      // torchvision extracts the zips when they are there; here they must be extracted already
      throw new TorchError('Dataset not found or incomplete. Please make sure all required folders for the specified "split" and "mode" are inside the "root" directory');
    }
    for (const city of listDir(this.imagesDir)) {
      const imgDir = path.join(this.imagesDir, city);
      const targetDir = path.join(this.targetsDir, city);
      for (const file of listDir(imgDir)) {
        const stem = file.split('_leftImg8bit')[0];
        this.targets.push(this.targetType.map((t) => path.join(targetDir, `${stem}_${this.targetSuffix(this.mode, t)}`)));
        this.images.push(path.join(imgDir, file));
      }
    }
  }

  private targetSuffix(mode: string, targetType: string): string {
    if (targetType === 'instance') return `${mode}_instanceIds.png`;
    if (targetType === 'semantic') return `${mode}_labelIds.png`;
    if (targetType === 'color') return `${mode}_color.png`;
    return `${mode}_polygons.json`;
  }

  private async loadJson(file: string): Promise<unknown> {
    const text = await fs.promises.readFile(file, 'utf8').catch(() => {
      throw notFound(file);
    });
    return JSON.parse(text);
  }

  len(): number {
    return this.images.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this.images.length);
        const image = readImage(this.images[i], 'RGB');
        const targets = this.targetType.map((t, k) => (t === 'polygon' ? this.loadJson(this.targets[i][k]) : readPilImage(this.targets[i][k])));
        return [await image, await Promise.all(targets)] as const;
      },
      ([image, targets]) => {
        const target = targets.length > 1 ? targets : targets[0];
        return this.applyTransforms(image, target) as [I, T];
      },
    );
  }

  extraRepr(): string {
    return `Split: ${this.split}\nMode: ${this.mode}\nType: [${this.targetType.map((t) => `'${t}'`).join(', ')}]`;
  }
}

// DataLoader worker threads rebuild this dataset by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
