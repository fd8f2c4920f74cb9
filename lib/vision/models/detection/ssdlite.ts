// torchvision.models.detection.ssdlite: SSDlite (SSD with depthwise-separable prediction blocks and
// extra blocks), its heads, the MobileNetV3 feature extractor (split at C4's expansion) and
// ssdlite320_mobilenet_v3_large.
import { PyTypeError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { constant_, normal_ } from '../../../nn/init';
import { Conv2dNormActivation, NormLayer, batchNorm2d, relu6 } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { InvertedResidualV3, mobilenetV3Conf, mobilenetV3Large } from '../mobilenetv3';
import { retrieveOutChannels } from './det-utils';
import { DefaultBoxGenerator } from './default-box-generator';
import { modelKwargs } from './detection-builder';
import { DETECTION_WEIGHTS } from './detection-weights';
import { SSD, SSDBuilderOptions, SSDScoringHead, resolveSsd } from './ssd';

/** A depthwise kxk Conv2dNormActivation (ReLU6), then a 1x1 Conv2d to outChannels. */
function predictionBlock(inChannels: number, outChannels: number, kernelSize: number, normLayer: NormLayer): nn.Sequential {
  return new nn.Sequential(
    new Conv2dNormActivation(inChannels, inChannels, { kernelSize, groups: inChannels, normLayer, activationLayer: relu6 }),
    new nn.Conv2d(inChannels, outChannels, 1),
  );
}

/** 1x1 to half of outChannels, depthwise 3x3 stride 2, 1x1 to outChannels; each with norm and ReLU6. */
function extraBlock(inChannels: number, outChannels: number, normLayer: NormLayer): nn.Sequential {
  const mid = Math.floor(outChannels / 2);
  return new nn.Sequential(
    new Conv2dNormActivation(inChannels, mid, { kernelSize: 1, normLayer, activationLayer: relu6 }),
    new Conv2dNormActivation(mid, mid, { kernelSize: 3, stride: 2, groups: mid, normLayer, activationLayer: relu6 }),
    new Conv2dNormActivation(mid, outChannels, { kernelSize: 1, normLayer, activationLayer: relu6 }),
  );
}

/** torchvision's _normal_init: every Conv2d normal(0, 0.03), zero bias */
export function normalInit(module: Module): void {
  for (const layer of module.modules()) {
    if (layer instanceof nn.Conv2d) {
      normal_(layer.weight, { mean: 0.0, std: 0.03 });
      if (layer.bias) constant_(layer.bias, 0.0);
    }
  }
}

function blockPerMap(inChannels: readonly number[], numAnchors: readonly number[], perAnchor: number, normLayer: NormLayer): nn.ModuleList {
  const n = Math.min(inChannels.length, numAnchors.length);
  const list = new nn.ModuleList(Array.from({ length: n }, (_, i) => predictionBlock(inChannels[i], perAnchor * numAnchors[i], 3, normLayer)));
  normalInit(list);
  return list;
}

/** SSDLiteClassificationHead(in_channels, num_anchors, num_classes, norm_layer) */
export class SSDLiteClassificationHead extends SSDScoringHead {
  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number, normLayer: NormLayer) {
    super(blockPerMap(inChannels, numAnchors, numClasses, normLayer), numClasses);
  }
}

/** SSDLiteRegressionHead(in_channels, num_anchors, norm_layer) */
export class SSDLiteRegressionHead extends SSDScoringHead {
  constructor(inChannels: readonly number[], numAnchors: readonly number[], normLayer: NormLayer) {
    super(blockPerMap(inChannels, numAnchors, 4, normLayer), 4);
  }
}

/** SSDLiteHead(in_channels, num_anchors, num_classes, norm_layer) */
export class SSDLiteHead extends Module {
  classification_head: SSDLiteClassificationHead;
  regression_head: SSDLiteRegressionHead;

  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number, normLayer: NormLayer) {
    super();
    this.classification_head = new SSDLiteClassificationHead(inChannels, numAnchors, numClasses, normLayer);
    this.regression_head = new SSDLiteRegressionHead(inChannels, numAnchors, normLayer);
  }

  /** { bbox_regression: (N, HWA, 4), cls_logits: (N, HWA, K) } */
  forward(x: readonly Tensor[]): Record<string, Tensor> {
    return { bbox_regression: this.regression_head(x) as Tensor, cls_logits: this.classification_head(x) as Tensor };
  }
}

/**
 * SSDLiteFeatureExtractorMobileNet(backbone, c4_pos, norm_layer, width_mult=1.0, min_depth=16): the
 * MobileNet features split after C4's expansion layer (two maps), then four extra blocks.
 */
export class SSDLiteFeatureExtractorMobileNet extends Module {
  features: nn.Sequential;
  extra: nn.ModuleList;

  constructor(backbone: nn.Sequential, c4Pos: number, normLayer: NormLayer, widthMult = 1.0, minDepth = 16) {
    super();
    const c4 = backbone.at(c4Pos) as InvertedResidualV3;
    if (c4.useResConnect) throw new ValueError('backbone[c4_pos].use_res_connect should be False');
    this.features = new nn.Sequential(
      new nn.Sequential(...backbone.slice(0, c4Pos).children(), c4.block.at(0)), // from the start to C4's expansion
      new nn.Sequential(c4.block.slice(1), ...backbone.slice(c4Pos + 1).children()), // from C4's depthwise conv to the end
    );
    const depth = (d: number) => Math.max(minDepth, Math.trunc(d * widthMult));
    const lastChannels = (backbone.at(-1) as unknown as { outChannels: number }).outChannels;
    this.extra = new nn.ModuleList([
      extraBlock(lastChannels, depth(512), normLayer),
      extraBlock(depth(512), depth(256), normLayer),
      extraBlock(depth(256), depth(256), normLayer),
      extraBlock(depth(256), depth(128), normLayer),
    ]);
    normalInit(this.extra);
  }

  /** { '0', '1': the two feature blocks' outputs, '2'...: each extra block's } */
  forward(x: Tensor): Record<string, Tensor> {
    const output: Tensor[] = [];
    for (const block of [...this.features.children(), ...this.extra.children()]) {
      x = block(x) as Tensor;
      output.push(x);
    }
    return Object.fromEntries(output.map((v, i) => [String(i), v]));
  }
}

/** torchvision's ssdlite _mobilenet_extractor for MobileNetV3-Large: all but trainableLayers stages frozen, split at the last strided block (C4). */
export function mobilenetSsdliteExtractor(backbone: { features: nn.Sequential }, trainableLayers: number, normLayer: NormLayer): SSDLiteFeatureExtractorMobileNet {
  const features = backbone.features;
  // torchvision marks the blocks configured with stride 2 (_is_cn); features[i] is setting[i - 1]
  const [setting] = mobilenetV3Conf('mobilenet_v3_large');
  const strided = setting.flatMap((cnf, i) => (cnf.stride > 1 ? [i + 1] : []));
  const stageIndices = [0, ...strided, features.length - 1];
  const numStages = stageIndices.length;
  // torchvision's message is not an f-string: it shows the braces
  if (!(trainableLayers >= 0 && trainableLayers <= numStages)) throw new ValueError('trainable_layers should be in the range [0, {num_stages}], instead got {trainable_layers}');
  const freezeBefore = trainableLayers === 0 ? features.length : stageIndices[numStages - trainableLayers];
  for (let i = 0; i < freezeBefore; i++) for (const p of features.at(i).parameters()) p.requiresGrad_(false);
  return new SSDLiteFeatureExtractorMobileNet(features, stageIndices[numStages - 2], normLayer);
}

/** Builder options: SSD's, and the norm layer of the backbone and heads (default BatchNorm2d(eps=0.001, momentum=0.03)). */
export type SSDLiteBuilderOptions = SSDBuilderOptions & { normLayer?: NormLayer | null };

export const SSDLite320_MobileNet_V3_Large_Weights = DETECTION_WEIGHTS.SSDLite320_MobileNet_V3_Large_Weights;

/** ssdlite320_mobilenet_v3_large(*, weights=None, progress=True, num_classes=None, weights_backbone=MobileNet_V3_Large_Weights.IMAGENET1K_V1, trainable_backbone_layers=None, norm_layer=None, **kwargs) */
export function ssdlite320MobilenetV3Large(o: SSDLiteBuilderOptions = {}): SSD {
  const { normLayer: givenNorm, ...rest } = o;
  const V3 = WEIGHTS.MobileNet_V3_Large_Weights;
  const r = resolveSsd('ssdlite320_mobilenet_v3_large', rest, SSDLite320_MobileNet_V3_Large_Weights, V3, V3.IMAGENET1K_V1, 6, 6);
  // the builder passes its own head to SSD
  if (rest.head !== undefined) throw new PyTypeError("torchvision.models.detection.ssd.SSD() got multiple values for keyword argument 'head'");
  const normLayer = givenNorm ?? batchNorm2d({ eps: 0.001, momentum: 0.03 });
  // the reduced tail (MobileNetV3's Table 6) when no backbone weights are loaded
  const mobilenet = mobilenetV3Large({ weights: r.weightsBackbone, progress: o.progress, normLayer, reducedTail: r.weightsBackbone === null });
  if (r.weightsBackbone === null) normalInit(mobilenet);
  const backbone = mobilenetSsdliteExtractor(mobilenet, r.trainableLayers, normLayer);
  const size = [320, 320];
  const anchorGenerator = new DefaultBoxGenerator(Array.from({ length: 6 }, () => [2, 3]), { minRatio: 0.2, maxRatio: 0.95 });
  const outChannels = retrieveOutChannels(backbone, size);
  const numAnchors = anchorGenerator.numAnchorsPerLocation();
  if (outChannels.length !== anchorGenerator.aspectRatios.length) {
    throw new ValueError(`The length of the output channels from the backbone ${outChannels.length} do not match the length of the anchor generator aspect ratios ${anchorGenerator.aspectRatios.length}`);
  }
  const defaults = {
    scoreThresh: 0.001,
    nmsThresh: 0.55,
    detectionsPerImg: 300,
    topkCandidates: 300,
    // inputs from [0, 1] to [-1, 1]
    imageMean: [0.5, 0.5, 0.5],
    imageStd: [0.5, 0.5, 0.5],
  };
  const head = new SSDLiteHead(outChannels, numAnchors, r.numClasses, normLayer);
  const model = new SSD(backbone, anchorGenerator, size, r.numClasses, { ...defaults, ...modelKwargs(rest), head });
  return loadWeights(model, r.weights);
}
