// torchvision.models.detection.faster_rcnn: FasterRCNN (GeneralizedRCNN with torchvision's default
// anchor generator, RPN head, MultiScaleRoIAlign, TwoMLPHead and FastRCNNPredictor), its heads and
// the builders fasterrcnn_resnet50_fpn(_v2), fasterrcnn_mobilenet_v3_large(_320)_fpn.
import { PyTypeError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { relu } from '../../../nn/functional/activation';
import { kaimingNormal_, zeros_ } from '../../../nn/init';
import { AssertionError } from '../../../errors';
import { ArgsOf, signature } from '../../../keywords';
import { MultiScaleRoIAlign } from '../../ops/poolers';
import { Conv2dNormActivation, NormLayer, batchNorm2d } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { resnet50 } from '../resnet';
import { mobilenetV3Large } from '../mobilenetv3';
import { AnchorGenerator } from './anchor-utils';
import { RPNHead, RegionProposalNetwork } from './rpn';
import { RoIHeads } from './roi-heads';
import { GeneralizedRCNN } from './generalized-rcnn';
import { GeneralizedRCNNTransform } from './transform';
import { frozenBatchNorm2d, mobilenetExtractor, resnetFpnExtractor } from './backbone-utils';
import { DetectionBuilderOptions, modelKwargs, overwriteEps, resolveDetection } from './detection-builder';
import { DETECTION_WEIGHTS } from './detection-weights';

/** torchvision's _default_anchorgen: sizes 32..512, one per FPN level, ratios 0.5, 1, 2. */
export function defaultAnchorgen(): AnchorGenerator {
  const sizes = [[32], [64], [128], [256], [512]];
  return new AnchorGenerator(sizes, sizes.map(() => [0.5, 1.0, 2.0]));
}

/** TwoMLPHead(in_channels, representation_size): flatten, fc6 + ReLU, fc7 + ReLU. */
export class TwoMLPHead extends Module {
  fc6: nn.Linear;
  fc7: nn.Linear;

  constructor(inChannels: number, representationSize: number) {
    super();
    this.fc6 = new nn.Linear(inChannels, representationSize);
    this.fc7 = new nn.Linear(representationSize, representationSize);
  }

  forward(x: Tensor): Tensor {
    x = x.flatten(1);
    x = relu(this.fc6(x) as Tensor);
    return relu(this.fc7(x) as Tensor);
  }
}

/** FastRCNNConvFCHead(input_size, conv_layers, fc_layers, norm_layer=None): 3x3 conv blocks, flatten, Linear + ReLU blocks. */
export class FastRCNNConvFCHead extends nn.Sequential {
  constructor(inputSize: readonly [number, number, number], convLayers: readonly number[], fcLayers: readonly number[], normLayer: NormLayer | null = null) {
    const [inChannels, inHeight, inWidth] = inputSize;
    const blocks: Module[] = [];
    let previous = inChannels;
    for (const current of convLayers) {
      blocks.push(new Conv2dNormActivation(previous, current, { normLayer }));
      previous = current;
    }
    blocks.push(new nn.Flatten());
    previous = previous * inHeight * inWidth;
    for (const current of fcLayers) {
      blocks.push(new nn.Linear(previous, current), new nn.ReLU({ inplace: true }));
      previous = current;
    }
    super(...blocks);
    for (const layer of this.modules()) {
      if (layer instanceof nn.Conv2d) {
        kaimingNormal_(layer.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        if (layer.bias) zeros_(layer.bias);
      }
    }
  }
}

/** FastRCNNPredictor(in_channels, num_classes): class scores and per-class box deltas. */
export class FastRCNNPredictor extends Module {
  cls_score: nn.Linear;
  bbox_pred: nn.Linear;

  constructor(inChannels: number, numClasses: number) {
    super();
    this.cls_score = new nn.Linear(inChannels, numClasses);
    this.bbox_pred = new nn.Linear(inChannels, numClasses * 4);
  }

  forward(x: Tensor): [Tensor, Tensor] {
    if (x.dim() === 4 && !(x.size(2) === 1 && x.size(3) === 1)) {
      throw new AssertionError(`x has the wrong shape, expecting the last two dimensions to be [1,1] instead of [${x.shape.slice(2).join(', ')}]`);
    }
    x = x.flatten(1);
    return [this.cls_score(x) as Tensor, this.bbox_pred(x) as Tensor];
  }
}

/** FasterRCNN's keyword arguments (Python's, camelCase), in Python's positional order after backbone. */
export interface FasterRCNNArgs {
  /** needs `outChannels` (Python's out_channels) */
  backbone: Module;
  numClasses?: number | null;
  minSize?: number | readonly number[];
  maxSize?: number;
  imageMean?: readonly number[] | null;
  imageStd?: readonly number[] | null;
  rpnAnchorGenerator?: AnchorGenerator | null;
  rpnHead?: RPNHead | null;
  rpnPreNmsTopNTrain?: number;
  rpnPreNmsTopNTest?: number;
  rpnPostNmsTopNTrain?: number;
  rpnPostNmsTopNTest?: number;
  rpnNmsThresh?: number;
  rpnFgIouThresh?: number;
  rpnBgIouThresh?: number;
  rpnBatchSizePerImage?: number;
  rpnPositiveFraction?: number;
  rpnScoreThresh?: number;
  boxRoiPool?: MultiScaleRoIAlign | null;
  boxHead?: Module | null;
  boxPredictor?: Module | null;
  boxScoreThresh?: number;
  boxNmsThresh?: number;
  boxDetectionsPerImg?: number;
  boxFgIouThresh?: number;
  boxBgIouThresh?: number;
  boxBatchSizePerImage?: number;
  boxPositiveFraction?: number;
  bboxRegWeights?: readonly [number, number, number, number] | null;
  /** GeneralizedRCNNTransform's keywords */
  sizeDivisible?: number;
  fixedSize?: readonly number[] | null;
  _skipResize?: boolean;
}
export const FASTER_RCNN_POSITIONAL = [
  'numClasses', 'minSize', 'maxSize', 'imageMean', 'imageStd', 'rpnAnchorGenerator', 'rpnHead', 'rpnPreNmsTopNTrain',
  'rpnPreNmsTopNTest', 'rpnPostNmsTopNTrain', 'rpnPostNmsTopNTest', 'rpnNmsThresh', 'rpnFgIouThresh', 'rpnBgIouThresh',
  'rpnBatchSizePerImage', 'rpnPositiveFraction', 'rpnScoreThresh', 'boxRoiPool', 'boxHead', 'boxPredictor', 'boxScoreThresh',
  'boxNmsThresh', 'boxDetectionsPerImg', 'boxFgIouThresh', 'boxBgIouThresh', 'boxBatchSizePerImage', 'boxPositiveFraction', 'bboxRegWeights',
] as const;
export const TRANSFORM_KWARGS = ['sizeDivisible', 'fixedSize', '_skipResize'] as const;
const FASTER_RCNN = signature<FasterRCNNArgs>()(['backbone'], FASTER_RCNN_POSITIONAL, TRANSFORM_KWARGS);

/** The backbone's out_channels (outChannels here; out_channels as a Python port sets it). */
export function outChannelsOf(backbone: Module): number {
  const b = backbone as unknown as { outChannels?: number; out_channels?: number };
  const c = b.outChannels ?? b.out_channels;
  if (c === undefined) throw new ValueError('backbone should contain an attribute out_channels specifying the number of output channels (assumed to be the same for all the levels)');
  return c;
}

/** FasterRCNN(backbone, num_classes=None, min_size=800, max_size=1333, ...): see FasterRCNNArgs. */
export class FasterRCNN extends GeneralizedRCNN {
  constructor(...args: ArgsOf<typeof FASTER_RCNN>) {
    const a = FASTER_RCNN.bind('FasterRCNN', args);
    const { backbone } = a;
    const outChannels = outChannelsOf(backbone);
    if (a.rpnAnchorGenerator && !(a.rpnAnchorGenerator instanceof AnchorGenerator)) throw new PyTypeError(`rpn_anchor_generator should be of type AnchorGenerator or None instead of ${a.rpnAnchorGenerator}`);
    if (a.boxRoiPool && !(a.boxRoiPool instanceof MultiScaleRoIAlign)) throw new PyTypeError(`box_roi_pool should be of type MultiScaleRoIAlign or None instead of ${a.boxRoiPool}`);
    const numClasses = a.numClasses ?? null;
    if (numClasses !== null && a.boxPredictor) throw new ValueError('num_classes should be None when box_predictor is specified');
    if (numClasses === null && !a.boxPredictor) throw new ValueError('num_classes should not be None when box_predictor is not specified');
    const anchorGenerator = a.rpnAnchorGenerator ?? defaultAnchorgen();
    const rpnHead = a.rpnHead ?? new RPNHead(outChannels, anchorGenerator.numAnchorsPerLocation()[0]);
    const rpn = new RegionProposalNetwork(
      anchorGenerator,
      rpnHead,
      a.rpnFgIouThresh ?? 0.7,
      a.rpnBgIouThresh ?? 0.3,
      a.rpnBatchSizePerImage ?? 256,
      a.rpnPositiveFraction ?? 0.5,
      { training: a.rpnPreNmsTopNTrain ?? 2000, testing: a.rpnPreNmsTopNTest ?? 1000 },
      { training: a.rpnPostNmsTopNTrain ?? 2000, testing: a.rpnPostNmsTopNTest ?? 1000 },
      a.rpnNmsThresh ?? 0.7,
      a.rpnScoreThresh ?? 0.0,
    );
    const boxRoiPool = a.boxRoiPool ?? new MultiScaleRoIAlign(['0', '1', '2', '3'], 7, 2);
    const boxHead = a.boxHead ?? new TwoMLPHead(outChannels * boxRoiPool.outputSize[0] ** 2, 1024);
    const boxPredictor = a.boxPredictor ?? new FastRCNNPredictor(1024, numClasses!);
    const roiHeads = new RoIHeads(
      boxRoiPool,
      boxHead,
      boxPredictor,
      a.boxFgIouThresh ?? 0.5,
      a.boxBgIouThresh ?? 0.5,
      a.boxBatchSizePerImage ?? 512,
      a.boxPositiveFraction ?? 0.25,
      a.bboxRegWeights ?? null,
      a.boxScoreThresh ?? 0.05,
      a.boxNmsThresh ?? 0.5,
      a.boxDetectionsPerImg ?? 100,
    );
    const transform = new GeneralizedRCNNTransform(a.minSize ?? 800, a.maxSize ?? 1333, a.imageMean ?? [0.485, 0.456, 0.406], a.imageStd ?? [0.229, 0.224, 0.225], {
      sizeDivisible: a.sizeDivisible,
      fixedSize: a.fixedSize,
      _skipResize: a._skipResize,
    });
    super(backbone, rpn, roiHeads, transform);
  }
}

/** Builder options: the weights and backbone ones, and any FasterRCNN keyword (minSize, boxScoreThresh, ...). */
export type FasterRCNNBuilderOptions = DetectionBuilderOptions & Omit<FasterRCNNArgs, 'backbone' | 'numClasses'>;
const MODEL_KEYS = [...FASTER_RCNN_POSITIONAL, ...TRANSFORM_KWARGS].filter((k) => k !== 'numClasses');

export const FasterRCNN_ResNet50_FPN_Weights = DETECTION_WEIGHTS.FasterRCNN_ResNet50_FPN_Weights;
export const FasterRCNN_ResNet50_FPN_V2_Weights = DETECTION_WEIGHTS.FasterRCNN_ResNet50_FPN_V2_Weights;
export const FasterRCNN_MobileNet_V3_Large_FPN_Weights = DETECTION_WEIGHTS.FasterRCNN_MobileNet_V3_Large_FPN_Weights;
export const FasterRCNN_MobileNet_V3_Large_320_FPN_Weights = DETECTION_WEIGHTS.FasterRCNN_MobileNet_V3_Large_320_FPN_Weights;

/** fasterrcnn_resnet50_fpn(*, weights=None, progress=True, num_classes=None, weights_backbone=ResNet50_Weights.IMAGENET1K_V1, trainable_backbone_layers=None, **kwargs) */
export function fasterrcnnResnet50Fpn(o: FasterRCNNBuilderOptions = {}): FasterRCNN {
  const r = resolveDetection('fasterrcnn_resnet50_fpn', o, MODEL_KEYS, FasterRCNN_ResNet50_FPN_Weights, WEIGHTS.ResNet50_Weights, WEIGHTS.ResNet50_Weights.IMAGENET1K_V1, 5);
  const backbone = resnet50({ weights: r.weightsBackbone, normLayer: r.isTrained ? frozenBatchNorm2d : batchNorm2d() });
  const model = new FasterRCNN(resnetFpnExtractor(backbone, r.trainableLayers), { ...modelKwargs(o), numClasses: r.numClasses });
  loadWeights(model, r.weights);
  if (r.weights === FasterRCNN_ResNet50_FPN_Weights.COCO_V1) overwriteEps(model, 0.0);
  return model;
}

/** fasterrcnn_resnet50_fpn_v2: BatchNorm in the FPN, a two-conv RPN head, a four-conv one-fc box head. */
export function fasterrcnnResnet50FpnV2(o: FasterRCNNBuilderOptions = {}): FasterRCNN {
  const r = resolveDetection('fasterrcnn_resnet50_fpn_v2', o, MODEL_KEYS, FasterRCNN_ResNet50_FPN_V2_Weights, WEIGHTS.ResNet50_Weights, null, 5);
  const backbone = resnetFpnExtractor(resnet50({ weights: r.weightsBackbone }), r.trainableLayers, null, null, batchNorm2d());
  const anchorGenerator = defaultAnchorgen();
  const rpnHead = new RPNHead(backbone.outChannels, anchorGenerator.numAnchorsPerLocation()[0], 2);
  const boxHead = new FastRCNNConvFCHead([backbone.outChannels, 7, 7], [256, 256, 256, 256], [1024], batchNorm2d());
  const model = new FasterRCNN(backbone, { ...modelKwargs(o), numClasses: r.numClasses, rpnAnchorGenerator: anchorGenerator, rpnHead, boxHead });
  return loadWeights(model, r.weights);
}

function mobilenetFasterRCNN(fn: string, enumValue: typeof FasterRCNN_MobileNet_V3_Large_FPN_Weights, defaults: Partial<FasterRCNNArgs>, o: FasterRCNNBuilderOptions): FasterRCNN {
  const r = resolveDetection(fn, o, MODEL_KEYS, enumValue, WEIGHTS.MobileNet_V3_Large_Weights, WEIGHTS.MobileNet_V3_Large_Weights.IMAGENET1K_V1, 6);
  // torchvision passes nn.BatchNorm2d itself (default eps and momentum), not MobileNetV3's own
  const normLayer = r.isTrained ? frozenBatchNorm2d : batchNorm2d();
  const backbone = mobilenetExtractor(mobilenetV3Large({ weights: r.weightsBackbone, normLayer }), 'mobilenet_v3_large', true, r.trainableLayers);
  const anchorSizes = [[32, 64, 128, 256, 512], [32, 64, 128, 256, 512], [32, 64, 128, 256, 512]];
  const anchorGenerator = new AnchorGenerator(anchorSizes, anchorSizes.map(() => [0.5, 1.0, 2.0]));
  const model = new FasterRCNN(backbone, r.numClasses, { ...defaults, ...modelKwargs(o), rpnAnchorGenerator: anchorGenerator });
  return loadWeights(model, r.weights);
}

/** fasterrcnn_mobilenet_v3_large_fpn: rpn_score_thresh 0.05 by default. */
export const fasterrcnnMobilenetV3LargeFpn = (o: FasterRCNNBuilderOptions = {}): FasterRCNN =>
  mobilenetFasterRCNN('fasterrcnn_mobilenet_v3_large_fpn', FasterRCNN_MobileNet_V3_Large_FPN_Weights, { rpnScoreThresh: 0.05 }, o);

/** fasterrcnn_mobilenet_v3_large_320_fpn: low resolution (min_size 320, max_size 640), 150 proposals in eval. */
export const fasterrcnnMobilenetV3Large320Fpn = (o: FasterRCNNBuilderOptions = {}): FasterRCNN =>
  mobilenetFasterRCNN('fasterrcnn_mobilenet_v3_large_320_fpn', FasterRCNN_MobileNet_V3_Large_320_FPN_Weights, { minSize: 320, maxSize: 640, rpnPreNmsTopNTest: 150, rpnPostNmsTopNTest: 150, rpnScoreThresh: 0.05 }, o);
