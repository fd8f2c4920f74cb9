// torchvision.datasets.OxfordIIITPet over root/oxford-iiit-pet: annotations/<split>.txt lines
// "<image id> <class id> ..." (1-based), images/<id>.jpg and annotations/trimaps/<id>.png. The
// target follows target_types: the category index, the trimap (uint8 [1, H, W], PIL's 'L' image
// as a tensor), a list of both, or null for none; `transforms` takes (image, target).
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import type { JointTransform } from './vision-dataset';
import { loadRgbImage } from './readers/pil-loader';
import { readPilImage } from './readers/pil-image';
import { readLines } from './readers/file-listing';
import { byCodePoint } from './readers/file-listing';

export type PetTargetType = 'category' | 'segmentation';
export interface OxfordIIITPetOptions<I, T> {
  root?: string;
  split?: 'trainval' | 'test';
  targetTypes?: PetTargetType | PetTargetType[];
  transforms?: JointTransform | null;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: any) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const PET_ARGS = ['split', 'targetTypes', 'transforms', 'transform', 'targetTransform', 'download'] as const;
keysOf<OxfordIIITPetOptions<unknown, unknown>>()('root', ...PET_ARGS);

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
/** image_id.rsplit('_', 1)[0]: the breed part of an image id */
const breedOf = (id: string) => (id.lastIndexOf('_') < 0 ? id : id.slice(0, id.lastIndexOf('_')));
/** str.title() of a class-name part */
const title = (s: string) => s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_, pre: string, c: string) => pre + c.toUpperCase());

export class OxfordIIITPet<I = Tensor, T = unknown> extends VisionDataset<[I, T]> {
  readonly split: string;
  readonly targetTypes: PetTargetType[];
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  private readonly labels: number[] = [];
  private readonly images: string[];
  private readonly segs: string[];

  /**
   * Python's OxfordIIITPet(root, split='trainval', target_types='category', transforms=None,
   * transform=None, target_transform=None, download=False).
   */
  constructor(root: string, ...rest: Rest<OxfordIIITPetOptions<I, T>, typeof PET_ARGS>);
  constructor(options: OxfordIIITPetOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<OxfordIIITPetOptions<I, T> & { root: string }>('OxfordIIITPet', args, ['root'], PET_ARGS);
    const split = verifyStrArg(options.split ?? 'trainval', 'split', ['trainval', 'test']);
    const given = options.targetTypes ?? 'category';
    const targetTypes = (typeof given === 'string' ? [given] : [...given]).map((t) => verifyStrArg(t, 'target_types', ['category', 'segmentation']) as PetTargetType);
    super(options);
    recordConstruction(this, new.target, [options]);
    [this.split, this.targetTypes] = [split, targetTypes];
    const base = path.join(this.root, 'oxford-iiit-pet');
    const [imagesFolder, annsFolder] = [path.join(base, 'images'), path.join(base, 'annotations')];
    const exists = isDir(imagesFolder) && isDir(annsFolder);
    if (!exists && options.download) noDownload('OxfordIIITPet', `Fetch https://www.robots.ox.ac.uk/~vgg/data/pets/data/images.tar.gz and annotations.tar.gz and extract them into ${base}.`);
    if (!exists) throw new TorchError('Dataset not found. You can use download=True to download it');
    const ids: string[] = [];
    for (const line of readLines(path.join(annsFolder, `${split}.txt`))) {
      const [id, label] = line.trim().split(/\s+/);
      if (label === undefined) throw new TorchError(`ValueError: not enough values to unpack (expected at least 2, got ${id ? 1 : 0})`);
      ids.push(id);
      this.labels.push(parseInt(label, 10) - 1);
    }
    // one name per (breed, label) pair, ordered by label: "american_pit_bull_terrier" -> "American Pit Bull Terrier"
    const pairs = new Map<string, [string, number]>();
    ids.forEach((id, i) => pairs.set(`${breedOf(id)}\u0000${this.labels[i]}`, [breedOf(id), this.labels[i]]));
    const sorted = [...pairs.values()].sort((a, b) => a[1] - b[1] || byCodePoint(a[0], b[0]));
    this.classes = sorted.map(([raw]) => raw.split('_').map(title).join(' '));
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    this.images = ids.map((id) => path.join(imagesFolder, `${id}.jpg`));
    this.segs = ids.map((id) => path.join(annsFolder, 'trimaps', `${id}.png`));
  }

  len(): number {
    return this.images.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this.images.length);
        const image = await loadRgbImage(this.images[i]);
        const target: unknown[] = [];
        for (const type of this.targetTypes) target.push(type === 'category' ? this.labels[i] : await readPilImage(this.segs[i]));
        return [image, target.length === 0 ? null : target.length === 1 ? target[0] : target] as [Tensor, unknown];
      },
      ([image, target]) => this.applyTransforms(image, target) as [I, T],
    );
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
