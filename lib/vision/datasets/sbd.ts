// torchvision.datasets.SBDataset (Semantic Boundaries) over an extracted SBD root: <image_set>.txt
// lists the ids, img/<id>.jpg the images (RGB uint8 [3, H, W]) and cls/<id>.mat the GTcls struct.
// The target is GTcls.Segmentation as the mask's class ids, uint8 [1, H, W] (PILToTensor of
// torchvision's 'L' image), or for 'boundaries' the 20 sparse GTcls.Boundaries made dense and
// stacked, [20, H, W] in their stored type (torchvision's numpy array). Nothing is downloaded.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { stack } from '../../tensor/functions';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import type { JointTransform } from './vision-dataset';
import { readLines } from './readers/file-listing';
import { loadRgbImage } from './readers/pil-loader';
import { loadmat, matTensor, MatValue } from './readers/mat';

export interface SBDatasetOptions {
  root?: string;
  imageSet?: 'train' | 'val' | 'train_noval';
  mode?: 'boundaries' | 'segmentation';
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
  /** transforms(img, target) => [img, target] */
  transforms?: JointTransform | null;
}
const SBD_ARGS = ['imageSet', 'mode', 'download', 'transforms'] as const;
keysOf<SBDatasetOptions>()('root', ...SBD_ARGS);

/** scipy's mat["GTcls"][0][name][0]: the field of the file's 1x1 GTcls struct. */
function gtclsField(file: string, name: string): MatValue {
  const gt = loadmat(file).variables.GTcls;
  if (gt === undefined) throw new TorchError(`KeyError: 'GTcls' (in ${file})`);
  if (typeof gt !== 'object' || gt.kind !== 'struct' || gt.data.length === 0) throw new TorchError(`${file}: GTcls is not a struct`);
  if (!gt.fields.includes(name)) throw new TorchError(`ValueError: no field of name ${name}`);
  return gt.data[0][name];
}

export class SBDataset extends VisionDataset<[any, any]> {
  static readonly numClasses = 20;
  readonly imageSet: string;
  readonly mode: string;
  readonly numClasses = SBDataset.numClasses;
  readonly images: string[];
  readonly masks: string[];

  /** Python's SBDataset(root, image_set='train', mode='boundaries', download=False, transforms=None). */
  constructor(root: string, ...rest: Rest<SBDatasetOptions, typeof SBD_ARGS>);
  constructor(options: SBDatasetOptions & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<SBDatasetOptions & { root: string }>('SBDataset', args, ['root'], SBD_ARGS);
    super({ root: options.root, transforms: options.transforms });
    recordConstruction(this, new.target, [options]);
    this.imageSet = verifyStrArg(options.imageSet ?? 'train', 'image_set', ['train', 'val', 'train_noval']);
    this.mode = verifyStrArg(options.mode ?? 'boundaries', 'mode', ['segmentation', 'boundaries']);
    const isDir = fs.existsSync(this.root) && fs.statSync(this.root).isDirectory();
    if (options.download) noDownload('SBDataset', `Fetch benchmark.tgz (see torchvision's SBDataset), move benchmark_RELEASE/dataset's cls, img, inst, train.txt and val.txt into ${this.root}, with train_noval.txt beside them.`);
    if (!isDir) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    const names = readLines(path.join(this.root, `${this.imageSet.replace(/\n+$/, '')}.txt`)).map((line) => line.trim());
    this.images = names.map((x) => path.join(this.root, 'img', `${x}.jpg`));
    this.masks = names.map((x) => path.join(this.root, 'cls', `${x}.mat`));
  }

  len(): number {
    return this.images.length;
  }

  /** the mask's Segmentation as an image's [1, H, W] */
  private segmentationTarget(file: string): Tensor {
    return matTensor(gtclsField(file, 'Segmentation')).unsqueeze(0);
  }

  /** the 20 Boundaries of the cell, each made dense, stacked: [20, H, W] */
  private boundariesTarget(file: string): Tensor {
    const cell = gtclsField(file, 'Boundaries');
    if (typeof cell !== 'object' || cell.kind !== 'cell') throw new TorchError(`${file}: GTcls.Boundaries is not a cell array`);
    return stack(Array.from({ length: this.numClasses }, (_, i) => {
      // Boundaries[i][0]: the cell's i-th row, first column (column-major: element i)
      if (i >= cell.shape[0]) throw new TorchError(`IndexError: index ${i} is out of bounds for axis 0 with size ${cell.shape[0]}`);
      return matTensor(cell.data[i]);
    }));
  }

  /** [image, target] after the transforms: a promise, as the image decodes off the JS thread. */
  getItem(index: number): Promise<[any, any]> {
    return this.inTurn(
      () => {
        const i = listIndex(index, this.images.length);
        // the image first, as torchvision opens it before the mask
        return loadRgbImage(this.images[i]).then((img): [Tensor, Tensor] => {
          const mask = this.masks[i];
          return [img, this.mode === 'segmentation' ? this.segmentationTarget(mask) : this.boundariesTarget(mask)];
        });
      },
      ([img, target]) => this.applyTransforms(img, target) as [any, any],
    );
  }

  extraRepr(): string {
    return `Image set: ${this.imageSet}\nMode: ${this.mode}`;
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
