// Pretrained weights: torchvision's weights enums (ResNet18_Weights.IMAGENET1K_V1, 'DEFAULT') name a
// file in the cache torchvision itself uses (torch.hub's <hub dir>/checkpoints, by default
// ~/.cache/torch/hub/checkpoints), so files a user already has from Python load as they are. Model
// builders are synchronous and do not download: torch.hub.loadStateDictFromUrl(url) fetches a file
// into that cache. A weights argument may also be a file path (.pth/.pt/.safetensors).
import * as fs from 'fs';
import * as path from 'path';
import { PyTypeError, TorchError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { loadSync } from '../../serialization/load';
import { loadFileSync as loadSafetensors } from '../../serialization/safetensors';
import type { Module, StateDict } from '../../nn/module';
import { checkpointsDir } from '../../hub/dir';
import { IMAGENET_CATEGORIES } from './imagenet-categories';
import { VOC_CATEGORIES } from './segmentation/voc-categories';
import { WEIGHTS_DATA } from './weights-data';
import { ImageClassification, InterpolationMode, SemanticSegmentation } from '../transforms/presets';
import type { ObjectDetection } from './detection/object-detection-preset';
import type { VideoClassification } from './video/video-classification-preset';

/**
 * What Weights.transforms() returns: the preset of the entry's task, each a tensor -> tensor
 * transform (the subclasses narrow it; optical flow's, which takes image pairs, is cast).
 */
export type WeightsPreset = ImageClassification | SemanticSegmentation | ObjectDetection | VideoClassification;

export interface WeightsMeta {
  categories: readonly string[] | null;
  numParams?: number;
  minSize?: readonly number[] | null;
  recipe?: string;
  metrics?: Record<string, Record<string, number>>;
}

/** torchvision's preset (ImageClassification or SemanticSegmentation) and its arguments (mean/std only where not ImageNet's). */
interface Preset {
  preset: string;
  crop_size?: number;
  resize_size?: number;
  interpolation?: string;
  mean?: readonly number[];
  std?: readonly number[];
}

/** One entry of a weights enum: where the file comes from and how inputs must be prepared. */
export class Weights {
  constructor(
    readonly enumName: string,
    readonly name: string,
    readonly url: string,
    private readonly preset: Preset,
    readonly meta: WeightsMeta,
  ) {}

  /** The file name in the cache (the URL's last part, as torch.hub names it). */
  get fileName(): string {
    return this.url.slice(this.url.lastIndexOf('/') + 1);
  }

  /** The inference transforms the weights were evaluated with (torchvision's ImageClassification, or SemanticSegmentation). */
  transforms(): WeightsPreset {
    const p = this.preset;
    const common = {
      interpolation: p.interpolation as InterpolationMode | undefined,
      ...(p.mean ? { mean: [...p.mean] } : {}),
      ...(p.std ? { std: [...p.std] } : {}),
    };
    if (p.preset === 'SemanticSegmentation') return new SemanticSegmentation({ resizeSize: p.resize_size ?? null, ...common });
    return new ImageClassification({ cropSize: p.crop_size!, resizeSize: p.resize_size, ...common });
  }

  /** The state_dict, read from the cache; the error says how to fetch the file when it is absent. */
  getStateDict(): StateDict {
    const file = path.join(checkpointsDir(), this.fileName);
    if (!fs.existsSync(file)) {
      throw new TorchError(
        `${this.enumName}.${this.name}: weights file ${this.fileName} not found in ${checkpointsDir()}. ` +
          `Model builders do not download: \`await torch.hub.loadStateDictFromUrl('${this.url}')\` fetches it into that cache ` +
          `(the same file torchvision caches after its first download); or set TORCH_HOME to a directory with hub/checkpoints/${this.fileName}, or pass its path as weights.`,
      );
    }
    return loadStateDictFile(file);
  }

  toString(): string {
    return `${this.enumName}.${this.name}`;
  }
}

/** A weights enum: its entries by name, DEFAULT, and verify() as torchvision's WeightsEnum. */
export type WeightsEnum = Readonly<Record<string, Weights>> & { readonly DEFAULT: Weights };

/** torch.hub's <hub dir>/checkpoints: hub's own function, so downloads land where the weights are read. */
export { checkpointsDir };

/** A state_dict from a .pth/.pt (torch.save, weights only) or .safetensors file. */
export function loadStateDictFile(file: string): StateDict {
  if (!fs.existsSync(file)) throw new TorchError(`weights file not found: ${file}`);
  if (file.endsWith('.safetensors')) return loadSafetensors(file) as StateDict;
  const obj = loadSync(file, { weightsOnly: true }) as unknown;
  if (obj === null || typeof obj !== 'object' || obj instanceof Tensor) throw new TorchError(`${file} does not hold a state_dict`);
  const sd = obj instanceof Map ? Object.fromEntries(obj) : (obj as Record<string, unknown>);
  // checkpoints sometimes wrap the state_dict ({ state_dict: {...} } / { model: {...} })
  for (const k of ['state_dict', 'model']) {
    const inner = sd[k];
    if (inner && typeof inner === 'object' && !(inner instanceof Tensor)) return (inner instanceof Map ? Object.fromEntries(inner) : inner) as StateDict;
  }
  return sd as StateDict;
}

/** One row of a generated weights table (weights-data.ts). */
export interface WeightsRow {
  url: string;
  transforms: unknown;
  meta: Record<string, unknown>;
}
interface WeightsTable {
  default: string;
  entries: Readonly<Record<string, unknown>>;
}

/** The meta fields every generated row has, less its categories (each task names its own list). */
export function rowMeta(m: Record<string, unknown>, categories: readonly string[] | null): WeightsMeta {
  return {
    categories,
    numParams: m.num_params as number | undefined,
    minSize: m.min_size as number[] | null,
    recipe: m.recipe as string | undefined,
    metrics: m._metrics as Record<string, Record<string, number>> | undefined,
  };
}

/**
 * The weights enums of a generated table section, by torchvision's enum names: `entry` makes each
 * row's Weights (of the task's subclass); DEFAULT is the table's default entry.
 */
export function enumsOf<K extends string>(tables: Readonly<Record<K, WeightsTable>>, entry: (enumName: K, name: string, row: WeightsRow) => Weights): Readonly<Record<K, WeightsEnum>> {
  const build = (enumName: K): WeightsEnum => {
    const data = tables[enumName];
    const out: Record<string, Weights> = {};
    for (const [name, row] of Object.entries(data.entries)) out[name] = entry(enumName, name, row as WeightsRow);
    out.DEFAULT = out[data.default];
    return Object.freeze(out) as WeightsEnum;
  };
  return Object.fromEntries((Object.keys(tables) as K[]).map((k) => [k, build(k)])) as Record<K, WeightsEnum>;
}

/** Every supported classification and segmentation model's weights enum, by torchvision's enum name. */
export const WEIGHTS = enumsOf(WEIGHTS_DATA, (enumName, name, row) => {
  const c = row.meta.categories;
  return new Weights(enumName, name, row.url, row.transforms as Preset, rowMeta(row.meta, c === 'imagenet' ? IMAGENET_CATEGORIES : c === 'voc' ? VOC_CATEGORIES : null));
});

/** What a model builder accepts as `weights`. */
export type WeightsArg = Weights | string | null | undefined;

/** torchvision's WeightsEnum.verify plus file paths: an entry, an entry name ('DEFAULT', 'IMAGENET1K_V1') or a path. */
export function resolveWeights(weights: WeightsArg, enumValue: WeightsEnum): Weights | string | null {
  if (weights === null || weights === undefined) return null;
  const enumName = enumValue.DEFAULT.enumName;
  if (weights instanceof Weights) {
    if (!Object.values(enumValue).includes(weights)) throw new PyTypeError(`Invalid Weight class provided; expected ${enumName} but received ${weights.enumName}.`);
    return weights;
  }
  if (typeof weights !== 'string') throw new PyTypeError(`weights must be a weights enum entry, an entry name or a file path, got ${typeof weights}`);
  // WeightsEnum.verify: the enum's own prefix is dropped ('ResNet50_Weights.IMAGENET1K_V2')
  const name = weights.split(`${enumName}.`).join('');
  if (Object.prototype.hasOwnProperty.call(enumValue, name)) return enumValue[name];
  if (/\.(pth|pt|safetensors|bin|ckpt)$/.test(weights) || weights.includes('/') || weights.includes(path.sep)) return weights;
  throw new ValueError(`Unknown value '${name}' for ${enumName}.`);
}

/** torchvision's _ovewrite_named_param: an enum entry fixes numClasses to its category count. */
export function classesFor(weights: Weights | string | null, numClasses: number | undefined, fallback = 1000): number {
  if (weights instanceof Weights && weights.meta.categories) {
    const expected = weights.meta.categories.length;
    if (numClasses !== undefined && numClasses !== expected) {
      throw new TorchError(`The parameter 'num_classes' expected value ${expected} but got ${numClasses} instead.`);
    }
    return expected;
  }
  return numClasses ?? fallback;
}

/** Loads the resolved weights into a model (strict), as the builders do after construction. */
export function loadWeights<M extends Module>(model: M, weights: Weights | string | null, rewrite?: (sd: StateDict) => StateDict): M {
  if (weights === null) return model;
  let sd = weights instanceof Weights ? weights.getStateDict() : loadStateDictFile(weights);
  if (rewrite) sd = rewrite(sd);
  model.loadStateDict(sd, { strict: true });
  return model;
}
