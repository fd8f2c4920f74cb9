// What the segmentation builders share: torchvision's option handling (weights fix num_classes and
// aux_loss and drop weights_backbone; the legacy pretrained / pretrained_backbone) and their dilated
// backbones wrapped in an IntermediateLayerGetter.
import { NotImplementedError } from '../../../errors';
import { checkKeywords, keysOf } from '../../../keywords';
import * as nn from '../../../nn';
import { Weights, WeightsArg, WeightsEnum, resolveWeights } from '../weights';
import { legacyWeights, overwrite } from '../builder';
import { ResNet, ResNetBuilderOptions } from '../resnet';
import { mobilenetV3Large, mobilenetV3Conf } from '../mobilenetv3';
import { IntermediateLayerGetter } from './intermediate-layer-getter';
import { VOC_CATEGORIES } from './voc-categories';

export interface SegmentationOptions {
  /** an enum entry (e.g. FCN_ResNet50_Weights.COCO_WITH_VOC_LABELS_V1), an entry name ('DEFAULT') or a file path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  /** default 21 (VOC's, background included) */
  numClasses?: number | null;
  /** also return the `aux` head's output (torchvision's aux_loss) */
  auxLoss?: boolean | null;
  /** the ImageNet weights of the backbone: torchvision's default is IMAGENET1K_V1; null for none */
  weightsBackbone?: WeightsArg;
  /** @deprecated since torchvision 0.13, use `weights` */
  pretrained?: boolean;
  /** @deprecated since torchvision 0.13, use `weightsBackbone` */
  pretrainedBackbone?: boolean;
}
const SEGMENTATION_KEYS = keysOf<SegmentationOptions>()('weights', 'progress', 'numClasses', 'auxLoss', 'weightsBackbone', 'pretrained', 'pretrainedBackbone');

export interface ResolvedSegmentation {
  weights: Weights | string | null;
  weightsBackbone: Weights | string | null;
  numClasses: number;
  auxLoss: boolean;
}

/**
 * The builder's arguments as torchvision resolves them: given weights, the backbone's are not loaded,
 * num_classes is their category count (every segmentation entry is VOC-labelled: the weights generator
 * asserts it) and aux_loss is true; a weights file path fixes neither. `hasAux` false: LR-ASPP, which
 * raises on aux_loss.
 */
export function resolveSegmentation(fn: string, o: SegmentationOptions, enumValue: WeightsEnum, backboneEnum: WeightsEnum, hasAux = true): ResolvedSegmentation {
  checkKeywords(fn, o, SEGMENTATION_KEYS);
  if (!hasAux && o.auxLoss) throw new NotImplementedError('This model does not use auxiliary loss');
  // legacyWeights finds the legacy pretrained=True entry under IMAGENET1K_V1; these models' is COCO_WITH_VOC_LABELS_V1
  const legacyEnum = { IMAGENET1K_V1: enumValue.COCO_WITH_VOC_LABELS_V1 } as unknown as WeightsEnum;
  const weights = resolveWeights(legacyWeights(fn, o as Record<string, unknown>, legacyEnum), enumValue);
  const backboneArg = legacyWeights(fn, o as Record<string, unknown>, backboneEnum, 'weightsBackbone', 'pretrainedBackbone');
  let weightsBackbone = resolveWeights(backboneArg === undefined ? backboneEnum.IMAGENET1K_V1 : backboneArg, backboneEnum);
  // None given is as not given (torchvision's _ovewrite_value_param)
  const given = { numClasses: o.numClasses ?? undefined, auxLoss: o.auxLoss ?? undefined };
  let numClasses = given.numClasses ?? 21;
  let auxLoss = given.auxLoss ?? false;
  if (weights !== null) weightsBackbone = null;
  if (weights instanceof Weights) {
    numClasses = overwrite(given, 'numClasses', 'num_classes', VOC_CATEGORIES.length);
    if (hasAux) auxLoss = overwrite(given, 'auxLoss', 'aux_loss', true);
  }
  return { weights, weightsBackbone, numClasses, auxLoss };
}

/**
 * torchvision's ResNet backbone for FCN and DeepLabV3: layer3 and layer4 dilated (output stride 8),
 * layer4's output as 'out' (2048 channels), layer3's as 'aux' (1024) when asked; avgpool and fc dropped.
 */
export function resnetBackbone(builder: (o?: ResNetBuilderOptions) => ResNet, weights: Weights | string | null, aux: boolean): IntermediateLayerGetter {
  const resnet = builder({ weights, replaceStrideWithDilation: [false, true, true] });
  const returnLayers: Record<string, string> = { layer4: 'out' };
  if (aux) returnLayers.layer3 = 'aux';
  return new IntermediateLayerGetter(resnet, returnLayers);
}

export const RESNET_AUX_CHANNELS = 1024;
export const RESNET_OUT_CHANNELS = 2048;

/** A dilated MobileNetV3-Large's features and where its stages end. */
export interface MobileNetStages {
  features: nn.Sequential;
  /** torchvision's stage_indices: 0, each block with stride 2 (C1..C4), the last layer (C5) */
  stageIndices: number[];
  /** the output channels of features[i] */
  channels(i: number): number;
}

/** torchvision's mobilenet_v3_large(weights=weights_backbone, dilated=True).features and its stages. */
export function mobilenetStages(weights: Weights | string | null): MobileNetStages {
  const features = mobilenetV3Large({ weights, dilated: true }).features;
  // torchvision marks blocks configured with stride 2 (_is_cn), dilated ones too; features[i] is setting[i - 1]
  const [setting] = mobilenetV3Conf('mobilenet_v3_large', { dilated: true });
  const strided = setting.flatMap((cnf, i) => (cnf.stride > 1 ? [i + 1] : []));
  return {
    features,
    stageIndices: [0, ...strided, features.length - 1],
    channels: (i) => (features.at(i) as unknown as { outChannels: number }).outChannels,
  };
}
