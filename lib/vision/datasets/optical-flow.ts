// torchvision.datasets._optical_flow: FlyingChairs, Sintel, KittiFlow, HD1K and FlyingThings3D over
// their extracted folders, with torchvision's file lists (sorted globs; os.listdir's order for
// Sintel's scenes). An item is [img1, img2, flow] or, where the flow files hold a valid mask (KITTI,
// HD1K) or the transforms make one, [img1, img2, flow, valid]: the images RGB uint8 [3, H, W]
// (torchvision's PIL images), the flow a float32 [2, H, W] tensor and the mask a bool [H, W] one
// (torchvision's numpy arrays); flow and mask are null on splits without flow (torchvision's None).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { ConcatDataset } from '../../data/dataset';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { IndexError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { VisionDataset, verifyStrArg, listIndex, FileNotFoundError } from './vision-dataset';
import { listDir, sortedGlob } from './readers/file-listing';
import { readFlo, readPfm, readFlowPng16 } from './readers/flow-files';
import { loadRgbImage } from './readers/pil-loader';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

/** [img1, img2, flow] or [img1, img2, flow, valid] (flow and valid null without flow files). */
export type FlowItem = [Tensor, Tensor, Tensor | null] | [Tensor, Tensor, Tensor | null, Tensor | null];
/** transforms(img1, img2, flow, valid) => [img1, img2, flow, valid], as torchvision's optical flow presets */
export type FlowTransforms = (img1: any, img2: any, flow: any, valid: any) => any[];

export interface FlowOptions {
  root?: string;
  split?: string;
  transforms?: FlowTransforms | null;
}
export interface PassOptions extends FlowOptions {
  passName?: string;
}
export interface FlyingThings3DOptions extends PassOptions {
  camera?: string;
}
const FLOW_ARGS = ['split', 'transforms'] as const;
const SINTEL_ARGS = ['split', 'passName', 'transforms'] as const;
const THINGS_ARGS = ['split', 'passName', 'camera', 'transforms'] as const;
keysOf<FlyingThings3DOptions>()('root', ...THINGS_ARGS);

/** torchvision's FlowDataset: image pairs, their flow files, and how a flow file reads. */
export abstract class FlowDataset extends VisionDataset<FlowItem> {
  /** the flow files hold a valid mask (KITTI's and HD1K's 16-bit PNGs) */
  protected static readonly hasBuiltinFlowMask: boolean = false;
  /** [first, second] image file of each item */
  protected _imageList: [string, string][] = [];
  /** each item's flow file; empty on splits without flow */
  protected _flowList: string[] = [];

  protected constructor(init: { root: string; transforms?: FlowTransforms | null }) {
    super({ root: init.root, transforms: init.transforms });
  }

  /** the flow and, for datasets with a built-in mask, the valid mask */
  protected abstract readFlow(file: string): Promise<Tensor | [Tensor, Tensor]>;

  len(): number {
    return this._imageList.length;
  }

  getItem(index: number): Promise<FlowItem> {
    const builtin = (this.constructor as typeof FlowDataset).hasBuiltinFlowMask;
    return this.inTurn(
      async () => {
        const i = listIndex(index, this._imageList.length);
        const [a, b] = this._imageList[i];
        const flowFile = this._flowList.length ? this._flowList[i] : undefined;
        if (this._flowList.length && flowFile === undefined) throw new IndexError('list index out of range');
        return Promise.all([loadRgbImage(a), loadRgbImage(b), flowFile === undefined ? null : this.readFlow(flowFile)]);
      },
      ([img1, img2, read]): FlowItem => {
        let flow: unknown = null;
        let valid: unknown = null;
        if (read !== null) [flow, valid] = builtin ? (read as [Tensor, Tensor]) : [read, null];
        let parts: unknown[] = [img1, img2, flow, valid];
        if (this.transforms) parts = this.applyTransforms(...parts);
        // torchvision returns the mask when the dataset has one or the transforms made one
        return (builtin || parts[3] != null ? parts.slice(0, 4) : parts.slice(0, 3)) as FlowItem;
      },
    );
  }

  /** Python's `v * dataset` (__rmul__): the dataset v times over, a ConcatDataset. */
  mul(v: number): ConcatDataset<FlowItem> {
    return new ConcatDataset<FlowItem>(Array.from({ length: v }, () => this));
  }
}

/** Sintel: root/Sintel/{training,test}/{clean,final}/<scene>/*.png, training/flow/<scene>/*.flo. */
export class Sintel extends FlowDataset {
  /** Python's Sintel(root, split='train', pass_name='clean', transforms=None) */
  constructor(root: string, ...rest: Rest<PassOptions, typeof SINTEL_ARGS>);
  constructor(options: PassOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<PassOptions & { root: string }>('Sintel', args, ['root'], SINTEL_ARGS);
    super(o);
    recordConstruction(this, Sintel, [o]);
    const split = o.split ?? 'train';
    const passName = o.passName ?? 'clean';
    verifyStrArg(split, 'split', ['train', 'test']);
    verifyStrArg(passName, 'pass_name', ['clean', 'final', 'both']);
    const root = path.join(o.root, 'Sintel');
    const flowRoot = path.join(root, 'training', 'flow');
    for (const pass of passName === 'both' ? ['clean', 'final'] : [passName]) {
      const imageRoot = path.join(root, split === 'train' ? 'training' : split, pass);
      for (const scene of listDir(imageRoot)) {
        const images = sortedGlob(path.join(imageRoot, scene, '*.png'));
        for (let i = 0; i + 1 < images.length; i++) this._imageList.push([images[i], images[i + 1]]);
        if (split === 'train') this._flowList.push(...sortedGlob(path.join(flowRoot, scene, '*.flo')));
      }
    }
  }

  protected readFlow(file: string): Promise<Tensor> {
    return Promise.resolve(readFlo(file));
  }
}

/** KittiFlow (2015): root/KittiFlow/{training,testing}/image_2/*_10.png, *_11.png, flow_occ/*_10.png. */
export class KittiFlow extends FlowDataset {
  protected static readonly hasBuiltinFlowMask = true;

  /** Python's KittiFlow(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<FlowOptions, typeof FLOW_ARGS>);
  constructor(options: FlowOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<FlowOptions & { root: string }>('KittiFlow', args, ['root'], FLOW_ARGS);
    super(o);
    recordConstruction(this, KittiFlow, [o]);
    const split = o.split ?? 'train';
    verifyStrArg(split, 'split', ['train', 'test']);
    const root = path.join(o.root, 'KittiFlow', `${split}ing`);
    const images1 = sortedGlob(path.join(root, 'image_2', '*_10.png'));
    const images2 = sortedGlob(path.join(root, 'image_2', '*_11.png'));
    if (!images1.length || !images2.length) {
      throw new FileNotFoundError('Could not find the Kitti flow images. Please make sure the directory structure is correct.');
    }
    for (let i = 0; i < Math.min(images1.length, images2.length); i++) this._imageList.push([images1[i], images2[i]]);
    if (split === 'train') this._flowList = sortedGlob(path.join(root, 'flow_occ', '*_10.png'));
  }

  protected readFlow(file: string): Promise<[Tensor, Tensor]> {
    return readFlowPng16(file);
  }
}

/** FlyingChairs: root/FlyingChairs/data/*.ppm, *.flo and FlyingChairs_train_val.txt (1 train, 2 val). */
export class FlyingChairs extends FlowDataset {
  /** Python's FlyingChairs(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<FlowOptions, typeof FLOW_ARGS>);
  constructor(options: FlowOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<FlowOptions & { root: string }>('FlyingChairs', args, ['root'], FLOW_ARGS);
    super(o);
    recordConstruction(this, FlyingChairs, [o]);
    const split = o.split ?? 'train';
    verifyStrArg(split, 'split', ['train', 'val']);
    const root = path.join(o.root, 'FlyingChairs');
    const images = sortedGlob(path.join(root, 'data', '*.ppm'));
    const flows = sortedGlob(path.join(root, 'data', '*.flo'));
    const splitFile = path.join(root, 'FlyingChairs_train_val.txt');
    if (!fs.existsSync(splitFile)) {
      throw new FileNotFoundError('The FlyingChairs_train_val.txt file was not found - please download it from the dataset page (see docstring).');
    }
    // np.loadtxt(..., dtype=np.int32): the split ids, whitespace-separated
    const splitList = fs.readFileSync(splitFile, 'latin1').split(/\s+/).filter(Boolean).map(Number);
    for (let i = 0; i < flows.length; i++) {
      if (i >= splitList.length) throw new IndexError(`index ${i} is out of bounds for axis 0 with size ${splitList.length}`);
      const id = splitList[i];
      if ((split === 'train' && id === 1) || (split === 'val' && id === 2)) {
        if (2 * i + 1 >= images.length) throw new IndexError('list index out of range');
        this._flowList.push(flows[i]);
        this._imageList.push([images[2 * i], images[2 * i + 1]]);
      }
    }
  }

  protected readFlow(file: string): Promise<Tensor> {
    return Promise.resolve(readFlo(file));
  }
}

/** Python's sorted() of pathlib paths: part by part. */
function byParts(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return pa.length - pb.length;
}

/** FlyingThings3D: frames_{clean,final}pass/{TRAIN,TEST}/<letter>/<seq>/<camera>/*.png, optical_flow/.../into_{future,past}/<camera>/*.pfm. */
export class FlyingThings3D extends FlowDataset {
  /** Python's FlyingThings3D(root, split='train', pass_name='clean', camera='left', transforms=None) */
  constructor(root: string, ...rest: Rest<FlyingThings3DOptions, typeof THINGS_ARGS>);
  constructor(options: FlyingThings3DOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<FlyingThings3DOptions & { root: string }>('FlyingThings3D', args, ['root'], THINGS_ARGS);
    super(o);
    recordConstruction(this, FlyingThings3D, [o]);
    const split = verifyStrArg(o.split ?? 'train', 'split', ['train', 'test']).toUpperCase();
    const passName = verifyStrArg(o.passName ?? 'clean', 'pass_name', ['clean', 'final', 'both']);
    const passes = { clean: ['frames_cleanpass'], final: ['frames_finalpass'], both: ['frames_cleanpass', 'frames_finalpass'] }[passName]!;
    const camera = verifyStrArg(o.camera ?? 'left', 'camera', ['left', 'right', 'both']);
    const cameras = camera === 'both' ? ['left', 'right'] : [camera];
    const root = path.join(o.root, 'FlyingThings3D');
    for (const pass of passes) {
      for (const cam of cameras) {
        for (const direction of ['into_future', 'into_past']) {
          const imageDirs = sortedGlob(path.join(root, pass, split, '*/*')).map((d) => path.join(d, cam)).sort(byParts);
          const flowDirs = sortedGlob(path.join(root, 'optical_flow', split, '*/*')).map((d) => path.join(d, direction, cam)).sort(byParts);
          if (!imageDirs.length || !flowDirs.length) {
            throw new FileNotFoundError('Could not find the FlyingThings3D flow images. Please make sure the directory structure is correct.');
          }
          for (let d = 0; d < Math.min(imageDirs.length, flowDirs.length); d++) {
            const images = sortedGlob(path.join(imageDirs[d], '*.png'));
            const flows = sortedGlob(path.join(flowDirs[d], '*.pfm'));
            for (let i = 0; i + 1 < flows.length; i++) {
              if (i + 1 >= images.length) throw new IndexError('list index out of range');
              if (direction === 'into_future') {
                this._imageList.push([images[i], images[i + 1]]);
                this._flowList.push(flows[i]);
              } else {
                this._imageList.push([images[i + 1], images[i]]);
                this._flowList.push(flows[i + 1]);
              }
            }
          }
        }
      }
    }
  }

  protected readFlow(file: string): Promise<Tensor> {
    return Promise.resolve(readPfm(file));
  }
}

/** HD1K: root/hd1k/hd1k_input/image_2/<seq>_*.png, hd1k_flow_gt/flow_occ/<seq>_*.png (sequences 0-35), hd1k_challenge/image_2 for test. */
export class HD1K extends FlowDataset {
  protected static readonly hasBuiltinFlowMask = true;

  /** Python's HD1K(root, split='train', transforms=None) */
  constructor(root: string, ...rest: Rest<FlowOptions, typeof FLOW_ARGS>);
  constructor(options: FlowOptions & { root: string });
  constructor(...args: unknown[]) {
    const o = bindDatasetArgs<FlowOptions & { root: string }>('HD1K', args, ['root'], FLOW_ARGS);
    super(o);
    recordConstruction(this, HD1K, [o]);
    const split = o.split ?? 'train';
    verifyStrArg(split, 'split', ['train', 'test']);
    const root = path.join(o.root, 'hd1k');
    if (split === 'train') {
      for (let seq = 0; seq < 36; seq++) {
        const prefix = `${String(seq).padStart(6, '0')}_*.png`;
        const flows = sortedGlob(path.join(root, 'hd1k_flow_gt', 'flow_occ', prefix));
        const images = sortedGlob(path.join(root, 'hd1k_input', 'image_2', prefix));
        for (let i = 0; i + 1 < flows.length; i++) {
          if (i + 1 >= images.length) throw new IndexError('list index out of range');
          this._flowList.push(flows[i]);
          this._imageList.push([images[i], images[i + 1]]);
        }
      }
    } else {
      const images1 = sortedGlob(path.join(root, 'hd1k_challenge', 'image_2', '*10.png'));
      const images2 = sortedGlob(path.join(root, 'hd1k_challenge', 'image_2', '*11.png'));
      for (let i = 0; i < Math.min(images1.length, images2.length); i++) this._imageList.push([images1[i], images2[i]]);
    }
    if (!this._imageList.length) throw new FileNotFoundError('Could not find the HD1K images. Please make sure the directory structure is correct.');
  }

  protected readFlow(file: string): Promise<[Tensor, Tensor]> {
    return readFlowPng16(file);
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
