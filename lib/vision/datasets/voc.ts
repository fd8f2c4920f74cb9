// torchvision.datasets.VOCSegmentation / VOCDetection over an extracted VOCdevkit: the image ids of
// ImageSets/<Segmentation|Main>/<image_set>.txt, JPEGImages/<id>.jpg read as RGB uint8 [3, H, W]
// tensors (torchvision's PIL image), and the target: SegmentationClass/<id>.png as the mask's
// palette indices, uint8 [1, H, W] (PILToTensor of torchvision's 'P' image), or the
// Annotations/<id>.xml tree as parse_voc_xml's nested dict. Nothing is downloaded.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { readImage } from '../io';
import { bindDatasetArgs } from './bind';
import { VisionDataset, verifyStrArg, listIndex, noDownload } from './vision-dataset';
import type { JointTransform } from './vision-dataset';
import { readLines, strip, notFound } from './readers/file-listing';
import { parseXml, parseVocXml } from './readers/voc-xml';
import type { VocDict } from './readers/voc-xml';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

/** torchvision's DATASET_YEAR_DICT: each year's archive and the folder it extracts to. */
export const DATASET_YEAR_DICT: Record<string, { url: string; filename: string; md5: string; baseDir: string }> = {
  '2012': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar', filename: 'VOCtrainval_11-May-2012.tar', md5: '6cd6e144f989b92b3379bac3b3de84fd', baseDir: 'VOCdevkit/VOC2012' },
  '2011': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2011/VOCtrainval_25-May-2011.tar', filename: 'VOCtrainval_25-May-2011.tar', md5: '6c3384ef61512963050cb5d687e5bf1e', baseDir: 'TrainVal/VOCdevkit/VOC2011' },
  '2010': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2010/VOCtrainval_03-May-2010.tar', filename: 'VOCtrainval_03-May-2010.tar', md5: 'da459979d0c395079b5c75ee67908abb', baseDir: 'VOCdevkit/VOC2010' },
  '2009': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2009/VOCtrainval_11-May-2009.tar', filename: 'VOCtrainval_11-May-2009.tar', md5: 'a3e00b113cfcfebf17e343f59da3caa1', baseDir: 'VOCdevkit/VOC2009' },
  '2008': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2008/VOCtrainval_14-Jul-2008.tar', filename: 'VOCtrainval_11-May-2012.tar', md5: '2629fa636546599198acfcfbfcf1904a', baseDir: 'VOCdevkit/VOC2008' },
  '2007': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2007/VOCtrainval_06-Nov-2007.tar', filename: 'VOCtrainval_06-Nov-2007.tar', md5: 'c52e279531787c972589f7e41ab4ae64', baseDir: 'VOCdevkit/VOC2007' },
  '2007-test': { url: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2007/VOCtest_06-Nov-2007.tar', filename: 'VOCtest_06-Nov-2007.tar', md5: 'b6e924de25625d8de591ea690078ad9f', baseDir: 'VOCdevkit/VOC2007' },
};

export interface VOCOptions {
  root?: string;
  year?: string;
  imageSet?: string;
  /** true: use the extracted files if they are there, else a clear error (no network) */
  download?: boolean;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: any) => unknown) | null;
  transforms?: JointTransform | null;
}
/** Python's parameters after root, in order */
const VOC_ARGS = ['year', 'imageSet', 'download', 'transform', 'targetTransform', 'transforms'] as const;
keysOf<VOCOptions>()('root', ...VOC_ARGS);

/** torchvision's _VOCBase: the split file's ids, their image and target files. */
abstract class VOCBase<Target> extends VisionDataset<[any, any]> {
  protected static readonly splitsDir: string;
  protected static readonly targetDir: string;
  protected static readonly targetFileExt: string;
  readonly year: string;
  readonly imageSet: string;
  readonly url: string;
  readonly filename: string;
  readonly md5: string;
  readonly images: string[];
  readonly targets: string[];

  constructor(...args: unknown[]) {
    const cls = new.target as unknown as typeof VOCBase & (new (...a: unknown[]) => VOCBase<Target>);
    const o = bindDatasetArgs<VOCOptions & { root: string }>(cls.name, args, ['root'], VOC_ARGS);
    super(o);
    recordConstruction(this, cls, [o]);
    const year = o.year ?? '2012';
    const imageSet = o.imageSet ?? 'train';
    this.year = verifyStrArg(year, 'year', ['2007', '2008', '2009', '2010', '2011', '2012']);
    this.imageSet = verifyStrArg(imageSet, 'image_set', year === '2007' ? ['train', 'trainval', 'val', 'test'] : ['train', 'trainval', 'val']);
    const entry = DATASET_YEAR_DICT[year === '2007' && imageSet === 'test' ? '2007-test' : year];
    ({ url: this.url, filename: this.filename, md5: this.md5 } = entry);
    const vocRoot = path.join(this.root, entry.baseDir);
    const there = fs.existsSync(vocRoot) && fs.statSync(vocRoot).isDirectory();
    if (o.download && !there) noDownload(cls.name, `Fetch ${this.url}, extract it into ${this.root} (so that ${vocRoot} holds its folders), then construct the dataset without download.`);
    if (!there) throw new TorchError('Dataset not found or corrupted. You can use download=True to download it');
    const splitFile = path.join(vocRoot, 'ImageSets', cls.splitsDir, `${imageSet.replace(/\n+$/, '')}.txt`);
    const ids = readLines(splitFile).map(strip);
    this.images = ids.map((id) => path.join(vocRoot, 'JPEGImages', `${id}.jpg`));
    this.targets = ids.map((id) => path.join(vocRoot, cls.targetDir, `${id}${cls.targetFileExt}`));
  }

  len(): number {
    return this.images.length;
  }

  protected abstract readTarget(file: string): Promise<Target>;

  /** [image, target] after the transforms: a promise, as the image decodes off the JS thread. */
  getItem(index: number): Promise<[any, any]> {
    return this.inTurn(
      async () => {
        const i = listIndex(index, this.images.length);
        return Promise.all([readImage(this.images[i], 'RGB'), this.readTarget(this.targets[i])]);
      },
      ([img, target]) => this.applyTransforms(img, target) as [any, any],
    );
  }
}

/** VOCSegmentation: [RGB image, the mask's class ids uint8 [1, H, W]] (255 on the borders). */
export class VOCSegmentation extends VOCBase<Tensor> {
  protected static readonly splitsDir = 'Segmentation';
  protected static readonly targetDir = 'SegmentationClass';
  protected static readonly targetFileExt = '.png';

  /**
   * Python's VOCSegmentation(root, year='2012', image_set='train', download=False, transform=None,
   * target_transform=None, transforms=None): `new VOCSegmentation(root, '2007', 'val')`,
   * `new VOCSegmentation(root, { imageSet: 'val', transforms })` or all in one object.
   */
  constructor(root: string, ...rest: Rest<VOCOptions, typeof VOC_ARGS>);
  constructor(options: VOCOptions & { root: string });
  constructor(...args: unknown[]) {
    super(...args);
  }

  /** the mask files, as torchvision's `masks` */
  get masks(): string[] {
    return this.targets;
  }

  protected readTarget(file: string): Promise<Tensor> {
    // UNCHANGED: a palette PNG gives its indices, as PIL's 'P' image holds them
    return readImage(file, 'UNCHANGED');
  }
}

/** VOCDetection: [RGB image, the annotation XML as parse_voc_xml's dict]. */
export class VOCDetection extends VOCBase<VocDict> {
  protected static readonly splitsDir = 'Main';
  protected static readonly targetDir = 'Annotations';
  protected static readonly targetFileExt = '.xml';

  /** Python's VOCDetection(root, year='2012', image_set='train', download=False, transform=None, target_transform=None, transforms=None). */
  constructor(root: string, ...rest: Rest<VOCOptions, typeof VOC_ARGS>);
  constructor(options: VOCOptions & { root: string });
  constructor(...args: unknown[]) {
    super(...args);
  }

  /** the annotation files, as torchvision's `annotations` */
  get annotations(): string[] {
    return this.targets;
  }

  /** torchvision's parse_voc_xml of an element tree */
  static parseVocXml = parseVocXml;

  protected async readTarget(file: string): Promise<VocDict> {
    const xml = await fs.promises.readFile(file, 'utf8').catch(() => {
      throw notFound(file);
    });
    return parseVocXml(parseXml(xml));
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
