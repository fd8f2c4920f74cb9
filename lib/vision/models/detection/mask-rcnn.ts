// torchvision.models.detection.mask_rcnn: MaskRCNN (Faster R-CNN plus a mask branch: 14 x 14 RoIAlign,
// four 3x3 convs, a transposed conv and per-class mask logits) and the builders
// maskrcnn_resnet50_fpn(_v2).
import { ValueError } from '../../../errors';
import * as nn from '../../../nn';
import { LocalMetadata, Module } from '../../../nn/module';
import { kaimingNormal_, zeros_ } from '../../../nn/init';
import { ArgsOf, signature } from '../../../keywords';
import { MultiScaleRoIAlign } from '../../ops/poolers';
import { Conv2dNormActivation, NormLayer, batchNorm2d } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { resnet50 } from '../resnet';
import { RPNHead } from './rpn';
import { frozenBatchNorm2d, resnetFpnExtractor } from './backbone-utils';
import { DetectionBuilderOptions, modelKwargs, overwriteEps, resolveDetection } from './detection-builder';
import { DETECTION_WEIGHTS } from './detection-weights';
import { FASTER_RCNN_POSITIONAL, FastRCNNConvFCHead, FasterRCNN, FasterRCNNArgs, TRANSFORM_KWARGS, defaultAnchorgen, outChannelsOf } from './faster-rcnn';

/** MaskRCNNHeads(in_channels, layers, dilation, norm_layer=None): 3x3 Conv2dNormActivation blocks. */
export class MaskRCNNHeads extends nn.Sequential {
  constructor(inChannels: number, layers: readonly number[], dilation: number, normLayer: NormLayer | null = null) {
    const blocks: Module[] = [];
    let next = inChannels;
    for (const features of layers) {
      blocks.push(new Conv2dNormActivation(next, features, { kernelSize: 3, stride: 1, padding: dilation, dilation, normLayer }));
      next = features;
    }
    super(...blocks);
    for (const layer of this.modules()) {
      if (layer instanceof nn.Conv2d) {
        kaimingNormal_(layer.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        if (layer.bias) zeros_(layer.bias);
      }
    }
  }

  // Checkpoints from before version 2 name the convs mask_fcn1..n
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version < 2) {
      for (let i = 0; i < this.length; i++) {
        for (const type of ['weight', 'bias']) {
          const oldKey = `${prefix}mask_fcn${i + 1}.${type}`;
          if (stateDict.has(oldKey)) {
            stateDict.set(`${prefix}${i}.0.${type}`, stateDict.get(oldKey));
            stateDict.delete(oldKey);
          }
        }
      }
    }
    super._loadFromStateDict(stateDict, prefix, missing, unexpected, errors, localMetadata);
  }
}
MaskRCNNHeads.prototype._version = 2;

/** MaskRCNNPredictor(in_channels, dim_reduced, num_classes): conv5_mask (2x transposed conv), ReLU, mask_fcn_logits. */
export class MaskRCNNPredictor extends nn.Sequential {
  declare conv5_mask: nn.ConvTranspose2d;
  declare relu: nn.ReLU;
  declare mask_fcn_logits: nn.Conv2d;

  constructor(inChannels: number, dimReduced: number, numClasses: number) {
    super(
      new Map<string, Module>([
        ['conv5_mask', new nn.ConvTranspose2d(inChannels, dimReduced, 2, 2, 0)],
        ['relu', new nn.ReLU({ inplace: true })],
        ['mask_fcn_logits', new nn.Conv2d(dimReduced, numClasses, 1, 1, 0)],
      ]),
    );
    for (const [name, param] of this.namedParameters()) {
      if (name.includes('weight')) kaimingNormal_(param, { mode: 'fan_out', nonlinearity: 'relu' });
    }
  }
}

export interface MaskRCNNArgs extends FasterRCNNArgs {
  maskRoiPool?: MultiScaleRoIAlign | null;
  maskHead?: Module | null;
  maskPredictor?: Module | null;
}
const MASK_RCNN = signature<MaskRCNNArgs>()(['backbone'], [...FASTER_RCNN_POSITIONAL, 'maskRoiPool', 'maskHead', 'maskPredictor'], TRANSFORM_KWARGS);

/** MaskRCNN(backbone, num_classes=None, ..., mask_roi_pool=None, mask_head=None, mask_predictor=None) */
export class MaskRCNN extends FasterRCNN {
  constructor(...args: ArgsOf<typeof MASK_RCNN>) {
    const { maskRoiPool, maskHead, maskPredictor, ...rest } = MASK_RCNN.bind('MaskRCNN', args);
    if (maskRoiPool && !(maskRoiPool instanceof MultiScaleRoIAlign)) throw new ValueError(`mask_roi_pool should be of type MultiScaleRoIAlign or None instead of ${maskRoiPool}`);
    if ((rest.numClasses ?? null) !== null && maskPredictor) throw new ValueError('num_classes should be None when mask_predictor is specified');
    const outChannels = outChannelsOf(rest.backbone);
    // torchvision builds the mask branch first: the same random draws after a seed
    const pool = maskRoiPool ?? new MultiScaleRoIAlign(['0', '1', '2', '3'], 14, 2);
    const head = maskHead ?? new MaskRCNNHeads(outChannels, [256, 256, 256, 256], 1);
    const predictor = maskPredictor ?? new MaskRCNNPredictor(256, 256, rest.numClasses!);
    super(rest);
    this.roi_heads.mask_roi_pool = pool;
    this.roi_heads.mask_head = head;
    this.roi_heads.mask_predictor = predictor as MaskRCNNPredictor;
  }
}

export type MaskRCNNBuilderOptions = DetectionBuilderOptions & Omit<MaskRCNNArgs, 'backbone' | 'numClasses'>;
const MODEL_KEYS = [...FASTER_RCNN_POSITIONAL, 'maskRoiPool', 'maskHead', 'maskPredictor', ...TRANSFORM_KWARGS].filter((k) => k !== 'numClasses');

export const MaskRCNN_ResNet50_FPN_Weights = DETECTION_WEIGHTS.MaskRCNN_ResNet50_FPN_Weights;
export const MaskRCNN_ResNet50_FPN_V2_Weights = DETECTION_WEIGHTS.MaskRCNN_ResNet50_FPN_V2_Weights;

/** maskrcnn_resnet50_fpn(*, weights=None, progress=True, num_classes=None, weights_backbone=ResNet50_Weights.IMAGENET1K_V1, trainable_backbone_layers=None, **kwargs) */
export function maskrcnnResnet50Fpn(o: MaskRCNNBuilderOptions = {}): MaskRCNN {
  const r = resolveDetection('maskrcnn_resnet50_fpn', o, MODEL_KEYS, MaskRCNN_ResNet50_FPN_Weights, WEIGHTS.ResNet50_Weights, WEIGHTS.ResNet50_Weights.IMAGENET1K_V1, 5);
  const backbone = resnet50({ weights: r.weightsBackbone, normLayer: r.isTrained ? frozenBatchNorm2d : batchNorm2d() });
  const model = new MaskRCNN(resnetFpnExtractor(backbone, r.trainableLayers), { ...modelKwargs(o), numClasses: r.numClasses });
  loadWeights(model, r.weights);
  if (r.weights === MaskRCNN_ResNet50_FPN_Weights.COCO_V1) overwriteEps(model, 0.0);
  return model;
}

/** maskrcnn_resnet50_fpn_v2: BatchNorm in the FPN and the heads, a two-conv RPN head, a conv box head. */
export function maskrcnnResnet50FpnV2(o: MaskRCNNBuilderOptions = {}): MaskRCNN {
  const r = resolveDetection('maskrcnn_resnet50_fpn_v2', o, MODEL_KEYS, MaskRCNN_ResNet50_FPN_V2_Weights, WEIGHTS.ResNet50_Weights, null, 5);
  const backbone = resnetFpnExtractor(resnet50({ weights: r.weightsBackbone }), r.trainableLayers, null, null, batchNorm2d());
  const anchorGenerator = defaultAnchorgen();
  const rpnHead = new RPNHead(backbone.outChannels, anchorGenerator.numAnchorsPerLocation()[0], 2);
  const boxHead = new FastRCNNConvFCHead([backbone.outChannels, 7, 7], [256, 256, 256, 256], [1024], batchNorm2d());
  const maskHead = new MaskRCNNHeads(backbone.outChannels, [256, 256, 256, 256], 1, batchNorm2d());
  const model = new MaskRCNN(backbone, { ...modelKwargs(o), numClasses: r.numClasses, rpnAnchorGenerator: anchorGenerator, rpnHead, boxHead, maskHead });
  return loadWeights(model, r.weights);
}
