// torchvision.datasets.CocoDetection / CocoCaptions over a COCO annotation JSON, indexed as
// pycocotools' COCO does it (torchvision needs pycocotools; torch-node reads the JSON itself):
// images by id (a later entry with the same id replacing an earlier one), items in sorted id order,
// an image's annotations in file order, each looked up by its annotation id. Items are [RGB uint8
// [3, H, W], the list of annotation objects] (CocoCaptions: the list of their captions).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { AssertionError, PyTypeError, TorchError, pyType } from '../../errors';
import { readImage } from '../io';
import { bindDatasetArgs } from './bind';
import { JointTransform, VisionDataset, expandUser, listIndex } from './vision-dataset';
import { byCodePoint, notFound } from './readers/file-listing';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

/** A COCO image, annotation or category entry: a JSON object (`id` and the fields of the file). */
export type CocoEntry = Record<string, any>;
type CocoId = number | string;

/** The part of pycocotools' COCO index torchvision uses: the file's entries by id. */
export class CocoIndex {
  /** the annotation file's JSON */
  readonly dataset: Record<string, any>;
  readonly anns = new Map<CocoId, CocoEntry>();
  readonly imgs = new Map<CocoId, CocoEntry>();
  readonly cats = new Map<CocoId, CocoEntry>();
  /** image id -> its annotations, in file order */
  readonly imgToAnns = new Map<CocoId, CocoEntry[]>();

  constructor(annFile: string) {
    let text: string;
    try {
      text = fs.readFileSync(annFile, 'utf8');
    } catch {
      throw notFound(annFile);
    }
    const dataset = JSON.parse(text) as unknown;
    if (dataset === null || typeof dataset !== 'object' || Array.isArray(dataset)) {
      throw new AssertionError(`annotation file format ${pyType(dataset)} not supported`);
    }
    this.dataset = dataset as Record<string, any>;
    for (const ann of (this.dataset.annotations ?? []) as CocoEntry[]) {
      if (!this.imgToAnns.has(ann.image_id)) this.imgToAnns.set(ann.image_id, []);
      this.imgToAnns.get(ann.image_id)!.push(ann);
      this.anns.set(ann.id, ann);
    }
    for (const img of (this.dataset.images ?? []) as CocoEntry[]) this.imgs.set(img.id, img);
    for (const cat of (this.dataset.categories ?? []) as CocoEntry[]) this.cats.set(cat.id, cat);
  }

  /** getAnnIds(imgIds=id): the ids of the image's annotations, in file order */
  getAnnIds(imgId: CocoId): CocoId[] {
    return (this.imgToAnns.get(imgId) ?? []).map((ann) => ann.id);
  }

  /** loadAnns(ids): the annotations by id (the last one the file gives an id) */
  loadAnns(ids: CocoId[]): CocoEntry[] {
    return ids.map((id) => this.anns.get(id)!);
  }

  /** loadImgs(ids): the image entries by id */
  loadImgs(ids: CocoId[]): CocoEntry[] {
    return ids.map((id) => {
      const img = this.imgs.get(id);
      if (img === undefined) throw new TorchError(`KeyError: ${typeof id === 'string' ? `'${id}'` : id}`);
      return img;
    });
  }
}

/** sorted(ids): numbers by value or strings by code point, as Python sorts them (not both). */
function sortedIds(ids: CocoId[]): CocoId[] {
  const numbers = ids.every((id) => typeof id === 'number');
  if (!numbers && !ids.every((id) => typeof id === 'string')) throw new PyTypeError("'<' not supported between instances of 'str' and 'int'");
  return numbers ? [...ids].sort((a, b) => (a as number) - (b as number)) : [...ids].sort((a, b) => byCodePoint(a as string, b as string));
}

export interface CocoOptions<T> {
  root?: string;
  annFile?: string;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: T) => unknown) | null;
  transforms?: JointTransform | null;
}
const COCO_ARGS = ['transform', 'targetTransform', 'transforms'] as const;
keysOf<CocoOptions<unknown>>()('root', 'annFile', ...COCO_ARGS);

export class CocoDetection<I = Tensor, T = CocoEntry[]> extends VisionDataset<[I, T]> {
  readonly annFile: string;
  /** pycocotools' COCO index of the annotation file, as torchvision's `coco` */
  readonly coco: CocoIndex;
  /** the image ids, sorted */
  readonly ids: CocoId[];

  /** Python's CocoDetection(root, annFile, transform=None, target_transform=None, transforms=None) */
  constructor(root: string, annFile: string, ...rest: Rest<CocoOptions<T>, typeof COCO_ARGS>);
  constructor(root: string, options: CocoOptions<T> & { annFile: string });
  constructor(options: CocoOptions<T> & { root: string; annFile: string });
  constructor(...args: unknown[]) {
    const cls = new.target as unknown as typeof CocoDetection;
    const o = bindDatasetArgs<CocoOptions<T> & { root: string; annFile: string }>(cls.name, args, ['root', 'annFile'], COCO_ARGS);
    super(o);
    recordConstruction(this, cls, [o]);
    this.annFile = expandUser(o.annFile);
    this.coco = new CocoIndex(this.annFile);
    this.ids = sortedIds([...this.coco.imgs.keys()]);
  }

  protected loadImagePath(id: CocoId): string {
    return path.join(this.root, this.coco.loadImgs([id])[0].file_name);
  }

  protected loadTarget(id: CocoId): unknown {
    return this.coco.loadAnns(this.coco.getAnnIds(id));
  }

  len(): number {
    return this.ids.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const id = this.ids[listIndex(index, this.ids.length)];
        const file = this.loadImagePath(id);
        return [await readImage(file, 'RGB'), this.loadTarget(id)] as const;
      },
      ([img, target]) => this.applyTransforms(img, target) as [I, T],
    );
  }
}

/** CocoDetection whose targets are the annotations' captions. */
export class CocoCaptions<I = Tensor, T = string[]> extends CocoDetection<I, T> {
  protected loadTarget(id: CocoId): unknown {
    return (super.loadTarget(id) as CocoEntry[]).map((ann) => {
      if (!('caption' in ann)) throw new TorchError("KeyError: 'caption'");
      return ann.caption as string;
    });
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
