// torchvision.datasets.INaturalist over an extracted version folder (root/<version>): for 2021 the
// category folders "00000_Kingdom_Phylum_Class_Order_Family_Genus_species" (sorted, numbered in
// order, with each taxonomy level's names indexed as first seen), for 2017-2019
// super-category/category folders (2018-19: numeric category ids). Items are the image as PIL opens
// it (uint8 [C, H, W], no conversion) and the target (one id, or a list for several target types),
// files in each folder's listing order as os.listdir gives it.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { bindDatasetArgs } from './bind';
import { VisionDataset, listIndex, noDownload, verifyStrArg } from './vision-dataset';
import { byCodePoint, listDir } from './readers/file-listing';
import { readPilImage } from './readers/pil-image';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export const CATEGORIES_2021 = ['kingdom', 'phylum', 'class', 'order', 'family', 'genus'] as const;
const DATASET_URLS: Record<string, string> = {
  '2017': 'https://ml-inat-competition-datasets.s3.amazonaws.com/2017/train_val_images.tar.gz',
  '2018': 'https://ml-inat-competition-datasets.s3.amazonaws.com/2018/train_val2018.tar.gz',
  '2019': 'https://ml-inat-competition-datasets.s3.amazonaws.com/2019/train_val2019.tar.gz',
  '2021_train': 'https://ml-inat-competition-datasets.s3.amazonaws.com/2021/train.tar.gz',
  '2021_train_mini': 'https://ml-inat-competition-datasets.s3.amazonaws.com/2021/train_mini.tar.gz',
  '2021_valid': 'https://ml-inat-competition-datasets.s3.amazonaws.com/2021/val.tar.gz',
};

export type INaturalistTargetType = 'full' | 'super' | (typeof CATEGORIES_2021)[number];

export interface INaturalistOptions<I, T> {
  root?: string;
  version?: string;
  targetType?: INaturalistTargetType | INaturalistTargetType[];
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number | number[]) => T) | null;
  download?: boolean;
}
const INATURALIST_ARGS = ['version', 'targetType', 'transform', 'targetTransform', 'download'] as const;
keysOf<INaturalistOptions<unknown, unknown>>()('root', ...INATURALIST_ARGS);

const pad5 = (i: number) => String(i).padStart(5, '0');

export class INaturalist<I = Tensor, T = number | number[]> extends VisionDataset<[I, T]> {
  readonly version: string;
  readonly targetType: INaturalistTargetType[];
  /** the category folders (relative to root), by category id */
  readonly allCategories: string[] = [];
  /** for each taxonomy level (or 'super'), name -> id */
  readonly categoriesIndex: Record<string, Record<string, number>> = {};
  /** for each category id, its id at each taxonomy level */
  readonly categoriesMap: Record<string, number>[] = [];
  /** [category id, file name] of each image */
  readonly index: [number, string][] = [];

  /** Python's INaturalist(root, version='2021_train', target_type='full', transform=None, target_transform=None, download=False) */
  constructor(root: string, ...rest: Rest<INaturalistOptions<I, T>, typeof INATURALIST_ARGS>);
  constructor(options: INaturalistOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const cls = new.target as unknown as typeof INaturalist;
    const o = bindDatasetArgs<INaturalistOptions<I, T> & { root: string }>(cls.name, args, ['root'], INATURALIST_ARGS);
    const version = verifyStrArg(o.version ?? '2021_train', 'version', Object.keys(DATASET_URLS));
    super({ ...o, root: path.join(o.root, version) });
    recordConstruction(this, cls, [o]);
    this.version = version;
    fs.mkdirSync(path.dirname(this.root), { recursive: true });
    if (o.download) {
      if (this.checkIntegrity()) {
        throw new TorchError(`The directory ${this.root} already exists. If you want to re-download or re-extract the images, delete the directory.`);
      }
      noDownload(cls.name, `Fetch ${DATASET_URLS[version]}, extract it into ${o.root} and rename the folder to ${version}.`);
    }
    if (!this.checkIntegrity()) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    const types = Array.isArray(o.targetType) ? o.targetType : [o.targetType ?? 'full'];
    if (version.startsWith('2021')) {
      this.targetType = types.map((t) => verifyStrArg(t, 'target_type', ['full', ...CATEGORIES_2021]) as INaturalistTargetType);
      this.init2021();
    } else {
      this.targetType = types.map((t) => verifyStrArg(t, 'target_type', ['full', 'super']) as INaturalistTargetType);
      this.initPre2021();
    }
    this.allCategories.forEach((dir, i) => {
      for (const name of listDir(path.join(this.root, dir))) this.index.push([i, name]);
    });
  }

  /** The 2021 layout: one folder a species, its taxonomy in its name. */
  private init2021(): void {
    this.allCategories.push(...listDir(this.root).sort(byCodePoint));
    for (const level of CATEGORIES_2021) this.categoriesIndex[level] = {};
    this.allCategories.forEach((dir, i) => {
      const pieces = dir.split('_');
      if (pieces.length !== 8) throw new TorchError(`Unexpected category name ${dir}, wrong number of pieces`);
      if (pieces[0] !== pad5(i)) throw new TorchError(`Unexpected category id ${pieces[0]}, expecting ${pad5(i)}`);
      const ids: Record<string, number> = {};
      CATEGORIES_2021.forEach((level, k) => {
        const names = this.categoriesIndex[level];
        if (!(pieces[k + 1] in names)) names[pieces[k + 1]] = Object.keys(names).length;
        ids[level] = names[pieces[k + 1]];
      });
      this.categoriesMap.push(ids);
    });
  }

  /** The 2017-2019 layout: super-category folders of category folders (numbered by name after 2017). */
  private initPre2021(): void {
    const superIndex: Record<string, number> = (this.categoriesIndex.super = {});
    const filled: boolean[] = [];
    let next = 0;
    listDir(this.root).sort(byCodePoint).forEach((scat, sindex) => {
      superIndex[scat] = sindex;
      for (const subcat of listDir(path.join(this.root, scat)).sort(byCodePoint)) {
        let id: number;
        if (this.version === '2017') id = next++;
        else {
          // Python's int(): digits, optionally signed and padded with whitespace
          if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(subcat)) throw new TorchError(`Unexpected non-numeric dir name: ${subcat}`);
          id = Number(subcat.trim().replace(/_/g, ''));
          if (id < 0) id += this.categoriesMap.length; // a negative list index, as Python's
        }
        while (this.categoriesMap.length <= id) {
          this.categoriesMap.push({});
          this.allCategories.push('');
          filled.push(false);
        }
        if (filled[id]) throw new TorchError(`Duplicate category ${subcat}`);
        this.categoriesMap[id] = { super: sindex };
        filled[id] = true;
        this.allCategories[id] = path.join(scat, subcat);
      }
    });
    const missing = filled.indexOf(false);
    if (missing >= 0) throw new TorchError(`Missing category ${missing}`);
  }

  /** torchvision's _check_integrity: the version folder exists and is not empty. */
  private checkIntegrity(): boolean {
    return fs.existsSync(this.root) && listDir(this.root).length > 0;
  }

  len(): number {
    return this.index.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      () => {
        const [catId, name] = this.index[listIndex(index, this.index.length)];
        const ids = this.targetType.map((t) => (t === 'full' ? catId : this.categoriesMap[catId][t]));
        return readPilImage(path.join(this.root, this.allCategories[catId], name)).then((img) => [img, ids.length > 1 ? ids : ids[0]] as const);
      },
      ([img, target]) => this.applyTransforms(img, target) as [I, T],
    );
  }

  /** category_name(category_type, category_id): the folder ('full') or the name at a taxonomy level. */
  categoryName(categoryType: string, categoryId: number): string {
    if (categoryType === 'full') return this.allCategories[listIndex(categoryId, this.allCategories.length)];
    const names = this.categoriesIndex[categoryType];
    if (names === undefined) throw new ValueError(`Invalid category type '${categoryType}'`);
    const hit = Object.entries(names).find(([, id]) => id === categoryId);
    if (hit === undefined) throw new ValueError(`Invalid category id ${categoryId} for ${categoryType}`);
    return hit[0];
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
