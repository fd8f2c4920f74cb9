// torchvision.datasets.ImageNet: an ImageFolder over root/<train|val>/<wnid>/ whose classes are the
// WordNet names meta.bin (torch.save((wnid_to_classes, val_wnids)), which torchvision writes when it
// first parses the devkit) gives each wnid. Parsing the archives needs scipy's .mat reader and tar
// extraction: with meta.bin or the split folder missing, the error says what torchvision would
// have needed (its own message when the archive is not there either).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { loadSync } from '../../serialization/load';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { checkIntegrity } from './vision-dataset';
import { ImageFolder } from './folder';
import type { ImageFolderOptions } from './folder';
import { expandUser, verifyStrArg } from './vision-dataset';
import { visionDatasetRepr } from './vision-repr';

/** torchvision's ARCHIVE_META: [archive, md5] of each part */
export const ARCHIVE_META: Readonly<Record<'train' | 'val' | 'devkit', readonly [string, string]>> = {
  train: ['ILSVRC2012_img_train.tar', '1d675b47d978889d74fa0da5fadfb00e'],
  val: ['ILSVRC2012_img_val.tar', '29b22e2961454d5413ddabcf34fc5622'],
  devkit: ['ILSVRC2012_devkit_t12.tar.gz', 'fa75699e90414af021442c21a62c3abf'],
};
export const META_FILE = 'meta.bin';

export type ImageNetOptions<I, T> = ImageFolderOptions<I, T> & { root?: string; split?: 'train' | 'val' };
const IMAGENET_ARGS = ['split'] as const;
const IMAGENET_KEYWORDS = ['transform', 'targetTransform', 'loader', 'isValidFile'] as const;
keysOf<ImageNetOptions<unknown, unknown>>()('root', ...IMAGENET_ARGS, ...IMAGENET_KEYWORDS);

/** torchvision's _verify_archive: the archive is there with its md5, else its RuntimeError. */
function verifyArchive(root: string, part: keyof typeof ARCHIVE_META, why: string): void {
  const [file, md5] = ARCHIVE_META[part];
  if (!checkIntegrity(path.join(root, file), md5)) {
    throw new TorchError(`The archive ${file} is not present in the root directory or is corrupted. You need to download it externally and place it in ${root}.`);
  }
  throw new TorchError(`${file} is there, but torch-node cannot ${why}; run torchvision.datasets.ImageNet(${JSON.stringify(root)}) once in Python to do it.`);
}

/** torchvision's load_meta_file: (wnid_to_classes, val_wnids) from root/meta.bin. */
export function loadMetaFile(root: string, file: string = META_FILE): [Record<string, string[]>, string[]] {
  const p = path.join(root, file);
  if (!checkIntegrity(p)) {
    throw new TorchError(`The meta file ${p} is not present in the root directory or is corrupted. This file is automatically created by the ImageNet dataset.`);
  }
  const [wnidToClasses, valWnids] = loadSync(p) as [Record<string, string[]>, string[]];
  return [wnidToClasses, valWnids];
}

export class ImageNet<I = Tensor, T = number> extends ImageFolder<I, T> {
  readonly split: string;
  /** the class folders' WordNet ids (ImageFolder's classes) */
  readonly wnids: string[];
  readonly wnidToIdx: Record<string, number>;
  /** each class's names, e.g. ['tench', 'Tinca tinca'] (Python's tuples) */
  declare readonly classes: any[];

  /**
   * Python's ImageNet(root, split='train', **kwargs) (ImageFolder's transform, target_transform,
   * loader, is_valid_file, by keyword): `new ImageNet(root, 'val', { transform })`.
   */
  constructor(root: string, ...rest: Rest<Omit<ImageNetOptions<I, T>, 'root'>, typeof IMAGENET_ARGS>);
  constructor(options: ImageNetOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<ImageNetOptions<I, T> & { root: string }>('ImageNet', args, ['root'], IMAGENET_ARGS, IMAGENET_KEYWORDS);
    const root = expandUser(options.root);
    const split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'val']);
    // parse_archives(): what torchvision would extract first
    if (!checkIntegrity(path.join(root, META_FILE))) verifyArchive(root, 'devkit', "parse the devkit's meta.mat (scipy) into meta.bin");
    const splitFolder = path.join(root, split);
    if (!(fs.existsSync(splitFolder) && fs.statSync(splitFolder).isDirectory())) verifyArchive(root, split as 'train' | 'val', `extract it into ${splitFolder}`);
    const wnidToClasses = loadMetaFile(root)[0];
    const { transform, targetTransform, loader, isValidFile } = options;
    super(splitFolder, { transform, targetTransform, loader, isValidFile });
    recordConstruction(this, new.target, [options]);
    (this as { root: string }).root = root;
    this.split = split;
    this.wnids = this.classes;
    this.wnidToIdx = this.classToIdx;
    const classes = this.wnids.map((w) => {
      if (!(w in wnidToClasses)) throw new TorchError(`KeyError: '${w}'`);
      return [...wnidToClasses[w]];
    });
    const classToIdx: Record<string, number> = {};
    classes.forEach((names, idx) => names.forEach((name) => (classToIdx[name] = idx)));
    (this as { classes: unknown }).classes = classes;
    (this as { classToIdx: unknown }).classToIdx = classToIdx;
  }

  /** VisionDataset's repr, with extra_repr's split. */
  toString(): string {
    return visionDatasetRepr(this.constructor.name, { length: this.len(), root: this.root, extra: [`Split: ${this.split}`], transform: this.transform, targetTransform: this.targetTransform });
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
