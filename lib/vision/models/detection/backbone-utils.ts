// torchvision.models.detection.backbone_utils: a classification backbone's stages (ResNet layers,
// MobileNetV3 stages) through an IntermediateLayerGetter into a FeaturePyramidNetwork, with the
// first layers frozen (requires_grad off) as trainable_layers says.
import { ValueError, warn } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { ExtraFPNBlock, FeaturePyramidNetwork, LastLevelMaxPool } from '../../ops/feature-pyramid-network';
import { FrozenBatchNorm2d } from '../../ops/frozen-batchnorm';
import { IntermediateLayerGetter } from '../segmentation/intermediate-layer-getter';
import { NormLayer } from '../ops';
import { ResNet } from '../resnet';
import { MobileNetV3, mobilenetV3Conf } from '../mobilenetv3';
import { WeightsArg } from '../weights';
import * as resnetModule from '../resnet';

/** FrozenBatchNorm2d as a norm layer factory (torchvision's default for pretrained detection backbones). */
export const frozenBatchNorm2d: NormLayer = (c) => new FrozenBatchNorm2d(c);

/** BackboneWithFPN(backbone, return_layers, in_channels_list, out_channels, extra_blocks=None, norm_layer=None) */
export class BackboneWithFPN extends Module {
  body: IntermediateLayerGetter;
  fpn: FeaturePyramidNetwork;
  readonly outChannels: number;

  constructor(backbone: Module, returnLayers: Record<string, string>, inChannelsList: readonly number[], outChannels: number, extraBlocks: ExtraFPNBlock | null = null, normLayer: NormLayer | null = null) {
    super();
    this.body = new IntermediateLayerGetter(backbone, returnLayers);
    this.fpn = new FeaturePyramidNetwork(inChannelsList, outChannels, extraBlocks ?? new LastLevelMaxPool(), normLayer);
    this.outChannels = outChannels;
  }

  forward(x: Tensor): Record<string, Tensor> {
    return this.fpn(this.body(x)) as Record<string, Tensor>;
  }
}

/** torchvision's _resnet_fpn_extractor: layer1..4 (or returnedLayers) into an FPN of 256 channels; layers before the last trainableLayers frozen. */
export function resnetFpnExtractor(backbone: ResNet, trainableLayers: number, returnedLayers: readonly number[] | null = null, extraBlocks: ExtraFPNBlock | null = null, normLayer: NormLayer | null = null): BackboneWithFPN {
  if (trainableLayers < 0 || trainableLayers > 5) throw new ValueError(`Trainable layers should be in the range [0,5], got ${trainableLayers}`);
  const layersToTrain = ['layer4', 'layer3', 'layer2', 'layer1', 'conv1'].slice(0, trainableLayers);
  if (trainableLayers === 5) layersToTrain.push('bn1');
  for (const [name, parameter] of backbone.namedParameters()) {
    if (layersToTrain.every((layer) => !name.startsWith(layer))) parameter.requiresGrad_(false);
  }
  const returned = returnedLayers ?? [1, 2, 3, 4];
  if (Math.min(...returned) <= 0 || Math.max(...returned) >= 5) throw new ValueError(`Each returned layer should be in the range [1,4]. Got [${returned.join(', ')}]`);
  const returnLayers = Object.fromEntries(returned.map((k, v) => [`layer${k}`, String(v)]));
  const inChannelsStage2 = Math.floor(backbone.inplanes / 8);
  const inChannelsList = returned.map((i) => inChannelsStage2 * 2 ** (i - 1));
  return new BackboneWithFPN(backbone, returnLayers, inChannelsList, 256, extraBlocks, normLayer);
}

export interface ResnetFpnBackboneOptions {
  backboneName: string;
  weights?: WeightsArg;
  /** default FrozenBatchNorm2d */
  normLayer?: NormLayer;
  /** default 3 */
  trainableLayers?: number;
  returnedLayers?: readonly number[] | null;
  extraBlocks?: ExtraFPNBlock | null;
}

/** resnet_fpn_backbone(*, backbone_name, weights, norm_layer=FrozenBatchNorm2d, trainable_layers=3, returned_layers=None, extra_blocks=None) */
export function resnetFpnBackbone(o: ResnetFpnBackboneOptions): BackboneWithFPN {
  const builder = (resnetModule as unknown as Record<string, (x: object) => ResNet>)[o.backboneName.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())];
  if (typeof builder !== 'function') throw new ValueError(`Unknown ResNet backbone ${o.backboneName}`);
  const backbone = builder({ weights: o.weights ?? null, normLayer: o.normLayer ?? frozenBatchNorm2d });
  return resnetFpnExtractor(backbone, o.trainableLayers ?? 3, o.returnedLayers ?? null, o.extraBlocks ?? null);
}

/** torchvision's _validate_trainable_layers: every layer when not pretrained (with a warning if a count was given), else the default. */
export function validateTrainableLayers(isTrained: boolean, trainableBackboneLayers: number | null | undefined, maxValue: number, defaultValue: number): number {
  let layers = trainableBackboneLayers ?? null;
  if (!isTrained) {
    if (layers !== null) {
      warn(`Changing trainable_backbone_layers has not effect if neither pretrained nor pretrained_backbone have been set to True, falling back to trainable_backbone_layers=${maxValue} so that all layers are trainable`);
    }
    layers = maxValue;
  }
  if (layers === null) layers = defaultValue;
  if (layers < 0 || layers > maxValue) throw new ValueError(`Trainable backbone layers should be in the range [0,${maxValue}], got ${layers} `);
  return layers;
}

/** torchvision's _mobilenet_extractor for MobileNetV3-Large/Small: the features' stages, into an FPN (or a 1x1 conv to 256 channels). */
export function mobilenetExtractor(backbone: MobileNetV3, arch: 'mobilenet_v3_large' | 'mobilenet_v3_small', fpn: boolean, trainableLayers: number, returnedLayers: readonly number[] | null = null, extraBlocks: ExtraFPNBlock | null = null, normLayer: NormLayer | null = null): Module {
  const features = backbone.features;
  // torchvision marks the blocks configured with stride 2 (_is_cn); features[i] is setting[i - 1]
  const [setting] = mobilenetV3Conf(arch);
  const strided = setting.flatMap((cnf, i) => (cnf.stride > 1 ? [i + 1] : []));
  const stageIndices = [0, ...strided, features.length - 1];
  const numStages = stageIndices.length;
  if (trainableLayers < 0 || trainableLayers > numStages) throw new ValueError(`Trainable layers should be in the range [0,${numStages}], got ${trainableLayers} `);
  const freezeBefore = trainableLayers === 0 ? features.length : stageIndices[numStages - trainableLayers];
  for (let i = 0; i < freezeBefore; i++) for (const p of features.at(i).parameters()) p.requiresGrad_(false);
  const outChannels = 256;
  const channels = (i: number) => (features.at(i) as unknown as { outChannels: number }).outChannels;
  if (fpn) {
    const returned = returnedLayers ?? [numStages - 2, numStages - 1];
    if (Math.min(...returned) < 0 || Math.max(...returned) >= numStages) throw new ValueError(`Each returned layer should be in the range [0,${numStages - 1}], got [${returned.join(', ')}] `);
    const returnLayers = Object.fromEntries(returned.map((k, v) => [String(stageIndices[k]), String(v)]));
    return new BackboneWithFPN(features, returnLayers, returned.map((i) => channels(stageIndices[i])), outChannels, extraBlocks, normLayer);
  }
  const m = new nn.Sequential(features, new nn.Conv2d(channels(features.length - 1), outChannels, 1));
  (m as unknown as { outChannels: number }).outChannels = outChannels;
  return m;
}
