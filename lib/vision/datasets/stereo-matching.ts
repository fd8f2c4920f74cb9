// torchvision.datasets' stereo matching sets (0.14's _stereo_matching): CarlaStereo, Kitti2012Stereo,
// Kitti2015Stereo, Middlebury2014Stereo, CREStereo, FallingThingsStereo, SceneFlowStereo,
// SintelStereo, InStereo2k and ETH3DStereo over their extracted folders, with torchvision's sorted
// globs. An item is [left, right, disparity] or, where the set has a validity mask (or the
// transforms make one), [left, right, disparity, valid]: images RGB uint8 [3, H, W] (torchvision's
// PIL images), the left disparity [1, H, W] (float64 for KITTI's PNG / 256, float32 elsewhere, as
// torchvision's numpy arrays) and the mask bool [H, W]; null on splits without disparities.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bool, float32, float64 } from '../../tensor/dtype';
import { fullLike } from '../../tensor/create';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { IndexError, ValueError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { FileNotFoundError, VisionDataset, listIndex, noDownload, verifyStrArg } from './vision-dataset';
import { listDir, sortedGlob } from './readers/file-listing';
import { readPfm } from './readers/flow-files';
import { readPilImage } from './readers/pil-image';
import { loadRgbImage } from './readers/pil-loader';
import { pythonRandom } from '../../python-random';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

/** [left, right, disparity] or [left, right, disparity, valid mask] */
export type StereoItem = [Tensor, Tensor, Tensor | null] | [Tensor, Tensor, Tensor | null, Tensor | null];
/** transforms(images, disparities, validMasks), each a [left, right] pair, returning the three pairs */
export type StereoTransforms = (images: [any, any], disparities: [any, any], validMasks: [any, any]) => [any, any, any];
/** a disparity map and its validity mask, either null */
type Disparity = [Tensor | null, Tensor | null];

/** np.asarray(Image.open(file)) of a PNG: [H, W] for one band, else [H, W, C] (16-bit gray kept whole, as int32). */
async function pngArray(file: string): Promise<Tensor> {
  const chw = await readPilImage(file);
  return chw.size(0) === 1 ? chw.select(0, 0) : chw.permute([1, 2, 0]);
}

/** x[None] of such an array */
const batched = (x: Tensor) => x.unsqueeze(0);

/** torchvision's StereoMatchingDataset: [left, right] image files and disparity files per item. */
export abstract class StereoMatchingDataset extends VisionDataset<StereoItem> {
  /** the dataset always returns a validity mask (as torchvision's _has_built_in_disparity_mask) */
  protected static readonly hasBuiltInDisparityMask: boolean = false;
  protected _images: [string, string][] = [];
  protected _disparities: [string | null, string | null][] = [];

  protected constructor(root: string, transforms?: StereoTransforms | null) {
    super({ root, transforms: transforms as any });
  }

  /** _scan_pairs: the sorted matches of both patterns, paired (right ones null without a pattern) */
  protected scanPairs(leftPattern: string, rightPattern: string | null): [string, string][] {
    const left = sortedGlob(leftPattern);
    const right = rightPattern ? sortedGlob(rightPattern) : left.map(() => null);
    if (!left.length) throw new FileNotFoundError(`Could not find any files matching the patterns: ${leftPattern}`);
    if (!right.length) throw new FileNotFoundError(`Could not find any files matching the patterns: ${rightPattern}`);
    if (left.length !== right.length) {
      throw new ValueError(`Found ${left.length} left files but ${right.length} right files using:\n left pattern: ${leftPattern}\nright pattern: ${rightPattern}\n`);
    }
    return left.map((l, i) => [l, right[i] as string]);
  }

  protected readImg(file: string): Promise<Tensor> {
    return loadRgbImage(file);
  }

  protected abstract readDisparity(file: string | null): Promise<Disparity>;

  len(): number {
    return this._images.length;
  }

  getItem(index: number): Promise<StereoItem> {
    const builtin = (this.constructor as typeof StereoMatchingDataset).hasBuiltInDisparityMask;
    return this.inTurn(
      () => {
        const i = listIndex(index, this._images.length);
        const [left, right] = this._images[i];
        const disparities = this._disparities[i];
        // the right image's file may be a random draw (Middlebury's ambient views): in Python's order
        const images = [this.readImg(left), this.readImg(right)];
        if (disparities === undefined) return Promise.reject(new IndexError('list index out of range'));
        return Promise.all([...images, this.readDisparity(disparities[0]), this.readDisparity(disparities[1])]);
      },
      ([left, right, d0, d1]) => {
        const [dl, dr] = [d0, d1] as Disparity[];
        let parts: unknown[] = [[left, right], [dl[0], dr[0]], [dl[1], dr[1]]];
        if (this.transforms) parts = this.applyTransforms(...parts);
        const [imgs, disparities, masks] = parts as [Tensor[], (Tensor | null)[], (Tensor | null)[]];
        return (builtin || masks[0] != null ? [imgs[0], imgs[1], disparities[0], masks[0]] : [imgs[0], imgs[1], disparities[0]]) as StereoItem;
      },
    );
  }
}

/** |PFM disparity| (its first channel), float32 [1, H, W]; no mask */
async function absPfm(file: string): Promise<Tensor> {
  return readPfm(file, 1).abs();
}

export interface StereoOptions {
  root?: string;
  transforms?: StereoTransforms | null;
}
export interface SplitStereoOptions extends StereoOptions {
  split?: string;
}
const ROOT_ONLY_ARGS = ['transforms'] as const;
const SPLIT_ARGS = ['split', 'transforms'] as const;
keysOf<SplitStereoOptions>()('root', ...SPLIT_ARGS);

/** CarlaStereo: root/carla-highres/trainingF/<scene>/im{0,1}.png, disp{0,1}GT.pfm. */
export class CarlaStereo extends StereoMatchingDataset {
  /** Python's CarlaStereo(root, transforms=None) */
  constructor(root: string, ...rest: Rest<StereoOptions, typeof ROOT_ONLY_ARGS>);
  constructor(options: StereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<StereoOptions & { root: string }>('CarlaStereo', args, ['root'], ROOT_ONLY_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, CarlaStereo, [o]);
    const dir = path.join(this.root, 'carla-highres', 'trainingF', '*');
    this._images = this.scanPairs(path.join(dir, 'im0.png'), path.join(dir, 'im1.png'));
    this._disparities = this.scanPairs(path.join(dir, 'disp0GT.pfm'), path.join(dir, 'disp1GT.pfm'));
  }

  protected async readDisparity(file: string | null): Promise<Disparity> {
    return [await absPfm(file!), null];
  }
}

/** KITTI's disparity PNGs: the samples / 256, float64 [1, H, W]. */
async function kittiDisparity(file: string | null): Promise<Disparity> {
  if (file === null) return [null, null];
  return [batched((await pngArray(file)).to(float64).div(256)), null];
}

/** Kitti2012Stereo: root/Kitti2012/{training,testing}/colored_{0,1}/*_10.png, disp_noc/*.png. */
export class Kitti2012Stereo extends StereoMatchingDataset {
  protected static readonly hasBuiltInDisparityMask = true;

  /** Python's Kitti2012Stereo(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<SplitStereoOptions, typeof SPLIT_ARGS>);
  constructor(options: SplitStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<SplitStereoOptions & { root: string }>('Kitti2012Stereo', args, ['root'], SPLIT_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, Kitti2012Stereo, [o]);
    const split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'test']);
    const dir = path.join(this.root, 'Kitti2012', `${split}ing`);
    this._images = this.scanPairs(path.join(dir, 'colored_0', '*_10.png'), path.join(dir, 'colored_1', '*_10.png'));
    this._disparities = split === 'train' ? this.scanPairs(path.join(dir, 'disp_noc', '*.png'), null) : this._images.map(() => [null, null]);
  }

  protected readDisparity(file: string | null): Promise<Disparity> {
    return kittiDisparity(file);
  }
}

/** Kitti2015Stereo: root/Kitti2015/{training,testing}/image_{2,3}/*.png, disp_occ_{0,1}/*.png. */
export class Kitti2015Stereo extends StereoMatchingDataset {
  protected static readonly hasBuiltInDisparityMask = true;

  /** Python's Kitti2015Stereo(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<SplitStereoOptions, typeof SPLIT_ARGS>);
  constructor(options: SplitStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<SplitStereoOptions & { root: string }>('Kitti2015Stereo', args, ['root'], SPLIT_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, Kitti2015Stereo, [o]);
    const split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'test']);
    const dir = path.join(this.root, 'Kitti2015', `${split}ing`);
    this._images = this.scanPairs(path.join(dir, 'image_2', '*.png'), path.join(dir, 'image_3', '*.png'));
    this._disparities =
      split === 'train' ? this.scanPairs(path.join(dir, 'disp_occ_0', '*.png'), path.join(dir, 'disp_occ_1', '*.png')) : this._images.map(() => [null, null]);
  }

  protected readDisparity(file: string | null): Promise<Disparity> {
    return kittiDisparity(file);
  }
}

export interface Middlebury2014StereoOptions extends SplitStereoOptions {
  /** 'perfect', 'imperfect', 'both', or null (the test split) */
  calibration?: string | null;
  /** the right image is drawn (Python's random.choice) among im1.png and its ambient views im1E, im1L */
  useAmbientViews?: boolean;
  download?: boolean;
}
const MIDDLEBURY_ARGS = ['split', 'calibration', 'useAmbientViews', 'transforms', 'download'] as const;
keysOf<Middlebury2014StereoOptions>()('root', ...MIDDLEBURY_ARGS);

/** Middlebury2014Stereo: root/Middlebury2014/<split>/<scene>[-perfect|-imperfect]/im{0,1}.png, disp{0,1}.pfm. */
export class Middlebury2014Stereo extends StereoMatchingDataset {
  protected static readonly hasBuiltInDisparityMask = true;
  static readonly splits: Readonly<Record<string, readonly string[]>> = {
    train: ['Adirondack', 'Jadeplant', 'Motorcycle', 'Piano', 'Pipes', 'Playroom', 'Playtable', 'Recycle', 'Shelves', 'Vintage'],
    additional: ['Backpack', 'Bicycle1', 'Cable', 'Classroom1', 'Couch', 'Flowers', 'Mask', 'Shopvac', 'Sticks', 'Storage', 'Sword1', 'Sword2', 'Umbrella'],
    test: ['Plants', 'Classroom2E', 'Classroom2', 'Australia', 'DjembeL', 'CrusadeP', 'Crusade', 'Hoops', 'Bicycle2', 'Staircase', 'Newkuba', 'AustraliaP', 'Djembe', 'Livingroom', 'Computer'],
  };
  readonly split: string;
  readonly useAmbientViews: boolean;

  /** Python's Middlebury2014Stereo(root, split='train', calibration='perfect', use_ambient_views=False, transforms=None, download=False) */
  constructor(root: string, ...rest: Rest<Middlebury2014StereoOptions, typeof MIDDLEBURY_ARGS>);
  constructor(options: Middlebury2014StereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<Middlebury2014StereoOptions & { root: string }>('Middlebury2014Stereo', args, ['root'], MIDDLEBURY_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, Middlebury2014Stereo, [o]);
    const split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'test', 'additional']);
    this.split = split;
    const calibration = o.calibration === undefined ? 'perfect' : o.calibration;
    if (calibration) {
      verifyStrArg(calibration, 'calibration', ['perfect', 'imperfect', 'both', 'None']);
      if (split === 'test') throw new ValueError("Split 'test' has only no calibration settings, please set `calibration=None`.");
    } else if (split !== 'test') {
      throw new ValueError(
        `Split '${split}' has calibration settings, however None was provided as an argument.\nSetting calibration to 'perfect' for split '${split}'. Available calibration settings are: 'perfect', 'imperfect', 'both'.`,
      );
    }
    if (o.download) noDownload('Middlebury2014Stereo', `Fetch the ${split} scenes from https://vision.middlebury.edu/stereo/data/scenes2014/ into ${path.join(this.root, 'Middlebury2014', split)}.`);
    const dir = path.join(this.root, 'Middlebury2014', split);
    if (!fs.existsSync(dir)) throw new FileNotFoundError(`The ${split} directory was not found in the provided root directory`);
    const scenes = Middlebury2014Stereo.splits[split];
    if (!listDir(dir).some((scene) => scenes.some((s) => scene.startsWith(s)))) {
      throw new FileNotFoundError(`Provided root folder does not contain any scenes from the ${split} split.`);
    }
    const suffixes = !calibration ? [''] : calibration === 'both' ? ['-perfect', '-imperfect'] : [`-${calibration}`];
    for (const suffix of suffixes) {
      const scene = path.join(dir, `*${suffix}`);
      this._images.push(...this.scanPairs(path.join(scene, 'im0.png'), path.join(scene, 'im1.png')));
      if (split === 'test') this._disparities = this._images.map(() => [null, null]);
      else this._disparities.push(...this.scanPairs(path.join(scene, 'disp0.pfm'), path.join(scene, 'disp1.pfm')));
    }
    this.useAmbientViews = o.useAmbientViews ?? false;
  }

  protected readImg(file: string): Promise<Tensor> {
    if (path.basename(file) === 'im1.png' && this.useAmbientViews) {
      const views = ['im1E.png', 'im1L.png'].map((v) => path.join(path.dirname(file), v)).filter((p) => fs.existsSync(p));
      file = pythonRandom.choice([...views, file]);
    }
    return loadRgbImage(file);
  }

  protected async readDisparity(file: string | null): Promise<Disparity> {
    if (file === null) return [null, null];
    const disparity = await absPfm(file);
    disparity.indexPut_([disparity.eq(Infinity)], 0);
    return [disparity, disparity.gt(0).squeeze(0)];
  }
}

/** CREStereo: root/CREStereo/{shapenet,reflective,tree,hole}/*_{left,right}.jpg, *.disp.png (/ 32). */
export class CREStereo extends StereoMatchingDataset {
  protected static readonly hasBuiltInDisparityMask = true;

  /** Python's CREStereo(root, transforms=None) */
  constructor(root: string, ...rest: Rest<StereoOptions, typeof ROOT_ONLY_ARGS>);
  constructor(options: StereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<StereoOptions & { root: string }>('CREStereo', args, ['root'], ROOT_ONLY_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, CREStereo, [o]);
    for (const s of ['shapenet', 'reflective', 'tree', 'hole']) {
      const dir = path.join(this.root, 'CREStereo', s);
      this._images.push(...this.scanPairs(path.join(dir, '*_left.jpg'), path.join(dir, '*_right.jpg')));
      this._disparities.push(...this.scanPairs(path.join(dir, '*_left.disp.png'), path.join(dir, '*_right.disp.png')));
    }
  }

  protected async readDisparity(file: string | null): Promise<Disparity> {
    return [batched((await pngArray(file!)).to(float32)).div(32), null];
  }
}

export interface FallingThingsStereoOptions extends StereoOptions {
  variant?: string;
}
const VARIANT_ARGS = ['variant', 'transforms'] as const;
keysOf<FallingThingsStereoOptions>()('root', ...VARIANT_ARGS);

/** FallingThingsStereo: root/FallingThings/single/<scene>/<object>/ and mixed/<scene>/: *.left.jpg, *.right.jpg, their *.depth.png and _camera_settings.json. */
export class FallingThingsStereo extends StereoMatchingDataset {
  /** Python's FallingThingsStereo(root, variant='single', transforms=None) */
  constructor(root: string, ...rest: Rest<FallingThingsStereoOptions, typeof VARIANT_ARGS>);
  constructor(options: FallingThingsStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<FallingThingsStereoOptions & { root: string }>('FallingThingsStereo', args, ['root'], VARIANT_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, FallingThingsStereo, [o]);
    const variant = verifyStrArg(o.variant ?? 'single', 'variant', ['single', 'mixed', 'both']);
    const prefix: Record<string, string> = { single: path.join('*', '*'), mixed: '*' };
    for (const s of variant === 'both' ? ['single', 'mixed'] : [variant]) {
      const dir = path.join(this.root, 'FallingThings', s, prefix[s]);
      this._images.push(...this.scanPairs(path.join(dir, '*.left.jpg'), path.join(dir, '*.right.jpg')));
      this._disparities.push(...this.scanPairs(path.join(dir, '*.left.depth.png'), path.join(dir, '*.right.depth.png')));
    }
  }

  /** disparity = baseline 6 * focal fx * 100 / depth, in float32 as numpy divides */
  protected async readDisparity(file: string | null): Promise<Disparity> {
    const depth = (await pngArray(file!)).to(float32);
    const settings = JSON.parse(fs.readFileSync(path.join(path.dirname(file!), '_camera_settings.json'), 'utf8'));
    const focal = settings.camera_settings[0].intrinsic_settings.fx as number;
    return [batched(fullLike(depth, 6 * focal * 100).div(depth)), null];
  }
}

export interface SceneFlowStereoOptions extends StereoOptions {
  variant?: string;
  passName?: string;
}
const SCENE_FLOW_ARGS = ['variant', 'passName', 'transforms'] as const;
keysOf<SceneFlowStereoOptions>()('root', ...SCENE_FLOW_ARGS);

/** SceneFlowStereo: root/SceneFlow/<variant>/frames_{clean,final}pass/.../{left,right}/*.png, disparity/.../*.pfm. */
export class SceneFlowStereo extends StereoMatchingDataset {
  /** Python's SceneFlowStereo(root, variant='FlyingThings3D', pass_name='clean', transforms=None) */
  constructor(root: string, ...rest: Rest<SceneFlowStereoOptions, typeof SCENE_FLOW_ARGS>);
  constructor(options: SceneFlowStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<SceneFlowStereoOptions & { root: string }>('SceneFlowStereo', args, ['root'], SCENE_FLOW_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, SceneFlowStereo, [o]);
    const variant = verifyStrArg(o.variant ?? 'FlyingThings3D', 'variant', ['FlyingThings3D', 'Driving', 'Monkaa']);
    const passName = verifyStrArg(o.passName ?? 'clean', 'pass_name', ['clean', 'final', 'both']);
    const passes = passName === 'both' ? ['frames_cleanpass', 'frames_finalpass'] : [`frames_${passName}pass`];
    const prefix = variant === 'Monkaa' ? '*' : path.join('*', '*', '*');
    const dir = path.join(this.root, 'SceneFlow', variant);
    for (const p of passes) {
      this._images.push(...this.scanPairs(path.join(dir, p, prefix, 'left', '*.png'), path.join(dir, p, prefix, 'right', '*.png')));
      this._disparities.push(...this.scanPairs(path.join(dir, 'disparity', prefix, 'left', '*.pfm'), path.join(dir, 'disparity', prefix, 'right', '*.pfm')));
    }
  }

  protected async readDisparity(file: string | null): Promise<Disparity> {
    return [await absPfm(file!), null];
  }
}

export interface SintelStereoOptions extends StereoOptions {
  passName?: string;
}
const SINTEL_ARGS = ['passName', 'transforms'] as const;
keysOf<SintelStereoOptions>()('root', ...SINTEL_ARGS);

/** SintelStereo: root/Sintel/training/{final,clean}_{left,right}/<scene>/*.png, disparities/, occlusions/, outofframe/. */
export class SintelStereo extends StereoMatchingDataset {
  protected static readonly hasBuiltInDisparityMask = true;

  /** Python's SintelStereo(root, pass_name='final', transforms=None) */
  constructor(root: string, ...rest: Rest<SintelStereoOptions, typeof SINTEL_ARGS>);
  constructor(options: SintelStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<SintelStereoOptions & { root: string }>('SintelStereo', args, ['root'], SINTEL_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, SintelStereo, [o]);
    const passName = verifyStrArg(o.passName ?? 'final', 'pass_name', ['final', 'clean', 'both']);
    const dir = path.join(this.root, 'Sintel', 'training');
    for (const p of passName === 'both' ? ['final', 'clean'] : [passName]) {
      this._images.push(...this.scanPairs(path.join(dir, `${p}_left`, '*', '*.png'), path.join(dir, `${p}_right`, '*', '*.png')));
      this._disparities.push(...this.scanPairs(path.join(dir, 'disparities', '*', '*.png'), null));
    }
  }

  /** disparity = r * 4 + g / 2^6 + b / 2^14 (float32); valid where neither occluded nor out of frame */
  protected async readDisparity(file: string | null): Promise<Disparity> {
    if (file === null) return [null, null];
    const rgb = (await pngArray(file)).to(float32);
    const [r, g, b] = [0, 1, 2].map((c) => rgb.select(-1, c));
    const disparity = r.mul(4).add(g.div(2 ** 6)).add(b.div(2 ** 14)).unsqueeze(0);
    const [scene, name] = [path.basename(path.dirname(file)), path.basename(file)];
    const sampleDir = path.dirname(path.dirname(path.dirname(file)));
    const occlusion = path.join(sampleDir, 'occlusions', scene, name);
    const outOfFrame = path.join(sampleDir, 'outofframe', scene, name);
    if (!fs.existsSync(occlusion)) throw new FileNotFoundError(`Occlusion mask ${occlusion} does not exist`);
    if (!fs.existsSync(outOfFrame)) throw new FileNotFoundError(`Out of frame mask ${outOfFrame} does not exist`);
    const [occluded, off] = await Promise.all([pngArray(occlusion), pngArray(outOfFrame)]);
    return [disparity, off.eq(0).logicalAnd(occluded.eq(0))];
  }
}

/** InStereo2k: root/InStereo2k/<split>/<scene>/{left,right}.png, {left,right}_disp.png (/ 1024). */
export class InStereo2k extends StereoMatchingDataset {
  /** Python's InStereo2k(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<SplitStereoOptions, typeof SPLIT_ARGS>);
  constructor(options: SplitStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<SplitStereoOptions & { root: string }>('InStereo2k', args, ['root'], SPLIT_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, InStereo2k, [o]);
    const split = o.split ?? 'train';
    const dir = path.join(this.root, 'InStereo2k', String(split));
    verifyStrArg(split, 'split', ['train', 'test']);
    this._images = this.scanPairs(path.join(dir, '*', 'left.png'), path.join(dir, '*', 'right.png'));
    this._disparities = this.scanPairs(path.join(dir, '*', 'left_disp.png'), path.join(dir, '*', 'right_disp.png'));
  }

  protected async readDisparity(file: string | null): Promise<Disparity> {
    return [batched((await pngArray(file!)).to(float32)).div(1024), null];
  }
}

/** ETH3DStereo: root/ETH3D/two_view_{training,test}/<scene>/im{0,1}.png, two_view_training_gt/<scene>/disp0GT.pfm, mask0nocc.png. */
export class ETH3DStereo extends StereoMatchingDataset {
  protected static readonly hasBuiltInDisparityMask = true;

  /** Python's ETH3DStereo(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<SplitStereoOptions, typeof SPLIT_ARGS>);
  constructor(options: SplitStereoOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<SplitStereoOptions & { root: string }>('ETH3DStereo', args, ['root'], SPLIT_ARGS);
    super(o.root, o.transforms);
    recordConstruction(this, ETH3DStereo, [o]);
    const split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'test']);
    const dir = path.join(this.root, 'ETH3D');
    const images = path.join(dir, split === 'train' ? 'two_view_training' : 'two_view_test', '*');
    this._images = this.scanPairs(path.join(images, 'im0.png'), path.join(images, 'im1.png'));
    this._disparities = split === 'test' ? this._images.map(() => [null, null]) : this.scanPairs(path.join(dir, 'two_view_training_gt', '*', 'disp0GT.pfm'), null);
  }

  protected async readDisparity(file: string | null): Promise<Disparity> {
    if (file === null) return [null, null];
    const mask = await pngArray(path.join(path.dirname(file), 'mask0nocc.png'));
    return [await absPfm(file), mask.to(bool)];
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
