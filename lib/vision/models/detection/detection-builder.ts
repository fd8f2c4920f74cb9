// What the detection builders share: torchvision's option handling (weights fix num_classes and
// drop weights_backbone; the legacy pretrained / pretrained_backbone; trainable_backbone_layers
// validated; FrozenBatchNorm2d when anything is pretrained) and the model keywords passed through.
import { checkKeywords, keysOf } from '../../../keywords';
import { Module } from '../../../nn/module';
import { FrozenBatchNorm2d } from '../../ops/frozen-batchnorm';
import { Weights, WeightsArg, WeightsEnum, resolveWeights } from '../weights';
import { legacyWeights, overwrite } from '../builder';
import { validateTrainableLayers } from './backbone-utils';

export interface DetectionBuilderOptions {
  /** an enum entry (e.g. FasterRCNN_ResNet50_FPN_Weights.COCO_V1), an entry name ('DEFAULT') or a file path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  /** default 91 (COCO's, background included) */
  numClasses?: number | null;
  /** the backbone's ImageNet weights; null for none */
  weightsBackbone?: WeightsArg;
  /** how many backbone stages train, counted from the last (default 3; all of them when nothing is pretrained) */
  trainableBackboneLayers?: number | null;
  /** @deprecated since torchvision 0.13, use `weights` */
  pretrained?: boolean;
  /** @deprecated since torchvision 0.13, use `weightsBackbone` */
  pretrainedBackbone?: boolean;
}
export const DETECTION_BUILDER_KEYS = keysOf<DetectionBuilderOptions>()('weights', 'progress', 'numClasses', 'weightsBackbone', 'trainableBackboneLayers', 'pretrained', 'pretrainedBackbone');

export interface ResolvedDetection {
  weights: Weights | string | null;
  weightsBackbone: Weights | string | null;
  numClasses: number;
  isTrained: boolean;
  trainableLayers: number;
}

/**
 * The builder's arguments as torchvision resolves them. `defaultBackbone`: the backbone weights when
 * not given (IMAGENET1K_V1, or null for the v2 builders); `maxLayers`: the backbone's stage count.
 */
export interface DetectionDefaults {
  /** default 91 */
  defaultClasses?: number;
  /** trainable backbone stages when pretrained and not given (default 3; SSD's 4, SSDlite's 6) */
  defaultTrainableLayers?: number;
  /** what the legacy pretrainedBackbone=true means (default the backbone enum's IMAGENET1K_V1) */
  legacyBackbone?: Weights;
}

export function resolveDetection(fn: string, o: DetectionBuilderOptions, modelKeys: readonly string[], enumValue: WeightsEnum, backboneEnum: WeightsEnum, defaultBackbone: Weights | null, maxLayers: number, defaults: DetectionDefaults = {}): ResolvedDetection {
  checkKeywords(fn, o, DETECTION_BUILDER_KEYS, modelKeys);
  // the legacy pretrained=True entry is COCO_V1 (legacyWeights looks under IMAGENET1K_V1)
  const legacyEnum = { IMAGENET1K_V1: enumValue.COCO_V1 } as unknown as WeightsEnum;
  const rec = o as Record<string, unknown>;
  const weights = resolveWeights(legacyWeights(fn, rec, legacyEnum), enumValue);
  const legacyBackboneEnum = defaults.legacyBackbone ? ({ IMAGENET1K_V1: defaults.legacyBackbone } as unknown as WeightsEnum) : backboneEnum;
  const backboneArg = legacyWeights(fn, rec, legacyBackboneEnum, 'weightsBackbone', 'pretrainedBackbone');
  let weightsBackbone = resolveWeights(backboneArg === undefined ? defaultBackbone : backboneArg, backboneEnum);
  let numClasses = o.numClasses ?? defaults.defaultClasses ?? 91;
  if (weights !== null) weightsBackbone = null;
  if (weights instanceof Weights) numClasses = overwrite({ numClasses: o.numClasses ?? undefined }, 'numClasses', 'num_classes', weights.meta.categories!.length);
  const isTrained = weights !== null || weightsBackbone !== null;
  const trainableLayers = validateTrainableLayers(isTrained, o.trainableBackboneLayers, maxLayers, defaults.defaultTrainableLayers ?? 3);
  return { weights, weightsBackbone, numClasses, isTrained, trainableLayers };
}

/** The options that are not the builder's own: FasterRCNN's (MaskRCNN's, KeypointRCNN's) keywords. */
export function modelKwargs<O extends object>(o: O): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // undefined is not given (a builder's own defaults stay)
  for (const [k, v] of Object.entries(o)) if (!DETECTION_BUILDER_KEYS.includes(k) && v !== undefined) out[k] = v;
  return out;
}

/** torchvision's overwrite_eps: the COCO_V1 checkpoints of the first detection models were trained with eps 0. */
export function overwriteEps(model: Module, eps: number): void {
  for (const m of model.modules()) if (m instanceof FrozenBatchNorm2d) (m as { eps: number }).eps = eps;
}
