// torchvision.models.detection.keypoint_rcnn: KeypointRCNN (Faster R-CNN plus a keypoint branch:
// 14 x 14 RoIAlign, eight 3x3 convs, a transposed conv and a 2x bilinear upsampling to heatmaps)
// and the builder keypointrcnn_resnet50_fpn.
import { PyTypeError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { constant_, kaimingNormal_ } from '../../../nn/init';
import { interpolate } from '../../../nn/functional/vision';
import { signature } from '../../../keywords';
import { MultiScaleRoIAlign } from '../../ops/poolers';
import { batchNorm2d } from '../ops';
import { Weights, WEIGHTS, loadWeights } from '../weights';
import { overwrite } from '../builder';
import { resnet50 } from '../resnet';
import { frozenBatchNorm2d, resnetFpnExtractor } from './backbone-utils';
import { DetectionBuilderOptions, modelKwargs, overwriteEps, resolveDetection } from './detection-builder';
import { DETECTION_WEIGHTS, DetectionWeights } from './detection-weights';
import { FASTER_RCNN_POSITIONAL, FasterRCNN, FasterRCNNArgs, TRANSFORM_KWARGS, outChannelsOf } from './faster-rcnn';

/** KeypointRCNNHeads(in_channels, layers): 3x3 conv + ReLU per layer. */
export class KeypointRCNNHeads extends nn.Sequential {
  constructor(inChannels: number, layers: readonly number[]) {
    const d: Module[] = [];
    let next = inChannels;
    for (const out of layers) {
      d.push(new nn.Conv2d(next, out, 3, { stride: 1, padding: 1 }), new nn.ReLU({ inplace: true }));
      next = out;
    }
    super(...d);
    for (const m of this.children()) {
      if (m instanceof nn.Conv2d) {
        kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        constant_(m.bias!, 0);
      }
    }
  }
}

/** KeypointRCNNPredictor(in_channels, num_keypoints): a stride-2 4x4 transposed conv, then 2x bilinear upsampling. */
export class KeypointRCNNPredictor extends Module {
  kps_score_lowres: nn.ConvTranspose2d;
  readonly upScale = 2;
  readonly outChannels: number;

  constructor(inChannels: number, numKeypoints: number) {
    super();
    const deconvKernel = 4;
    this.kps_score_lowres = new nn.ConvTranspose2d(inChannels, numKeypoints, deconvKernel, { stride: 2, padding: deconvKernel / 2 - 1 });
    kaimingNormal_(this.kps_score_lowres.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    constant_(this.kps_score_lowres.bias!, 0);
    this.outChannels = numKeypoints;
  }

  forward(x: Tensor): Tensor {
    x = this.kps_score_lowres(x) as Tensor;
    return interpolate(x, { scaleFactor: this.upScale, mode: 'bilinear', alignCorners: false, recomputeScaleFactor: false });
  }
}

export interface KeypointRCNNArgs extends FasterRCNNArgs {
  keypointRoiPool?: MultiScaleRoIAlign | null;
  keypointHead?: Module | null;
  keypointPredictor?: Module | null;
  /** default 17 (COCO's person keypoints) */
  numKeypoints?: number | null;
}
const KEYPOINT_POSITIONAL = [...FASTER_RCNN_POSITIONAL, 'keypointRoiPool', 'keypointHead', 'keypointPredictor', 'numKeypoints'] as const;
const KEYPOINT_RCNN = signature<KeypointRCNNArgs>()(['backbone'], KEYPOINT_POSITIONAL, TRANSFORM_KWARGS);

/** KeypointRCNN(backbone, num_classes=None, min_size=None (640..800), ..., keypoint_roi_pool=None, keypoint_head=None, keypoint_predictor=None, num_keypoints=None) */
// its 33 optional positional arguments are too many for ArgsOf's types: the usual forms are typed (all bind at run time)
type KeypointRCNNOptions = Omit<KeypointRCNNArgs, 'backbone' | 'numClasses'>;
type KeypointRCNNCall = [options: KeypointRCNNArgs] | [backbone: Module, options?: Omit<KeypointRCNNArgs, 'backbone'>] | [backbone: Module, numClasses: number | null, options?: KeypointRCNNOptions];

export class KeypointRCNN extends FasterRCNN {
  constructor(...args: KeypointRCNNCall) {
    const { keypointRoiPool, keypointHead, keypointPredictor, numKeypoints, ...rest } = KEYPOINT_RCNN.bind('KeypointRCNN', args);
    if (keypointRoiPool && !(keypointRoiPool instanceof MultiScaleRoIAlign)) throw new PyTypeError(`keypoint_roi_pool should be of type MultiScaleRoIAlign or None instead of ${keypointRoiPool}`);
    if ((numKeypoints ?? null) !== null && keypointPredictor) throw new ValueError('num_keypoints should be None when keypoint_predictor is specified');
    const outChannels = outChannelsOf(rest.backbone);
    // torchvision builds the keypoint branch first: the same random draws after a seed
    const pool = keypointRoiPool ?? new MultiScaleRoIAlign(['0', '1', '2', '3'], 14, 2);
    const head = keypointHead ?? new KeypointRCNNHeads(outChannels, new Array(8).fill(512));
    const predictor = keypointPredictor ?? new KeypointRCNNPredictor(512, numKeypoints ?? 17);
    super({ ...rest, minSize: rest.minSize ?? [640, 672, 704, 736, 768, 800] });
    this.roi_heads.keypoint_roi_pool = pool;
    this.roi_heads.keypoint_head = head;
    this.roi_heads.keypoint_predictor = predictor;
  }
}

export type KeypointRCNNBuilderOptions = DetectionBuilderOptions & Omit<KeypointRCNNArgs, 'backbone' | 'numClasses'>;
const MODEL_KEYS = [...KEYPOINT_POSITIONAL, ...TRANSFORM_KWARGS].filter((k) => k !== 'numClasses');

export const KeypointRCNN_ResNet50_FPN_Weights = DETECTION_WEIGHTS.KeypointRCNN_ResNet50_FPN_Weights;

/** keypointrcnn_resnet50_fpn(*, weights=None, progress=True, num_classes=None, num_keypoints=None, weights_backbone=ResNet50_Weights.IMAGENET1K_V1, trainable_backbone_layers=None, **kwargs) */
export function keypointrcnnResnet50Fpn(o: KeypointRCNNBuilderOptions = {}): KeypointRCNN {
  const r = resolveDetection('keypointrcnn_resnet50_fpn', o, MODEL_KEYS, KeypointRCNN_ResNet50_FPN_Weights, WEIGHTS.ResNet50_Weights, WEIGHTS.ResNet50_Weights.IMAGENET1K_V1, 5, { defaultClasses: 2 });
  let numKeypoints = o.numKeypoints ?? 17;
  if (r.weights instanceof Weights) numKeypoints = overwrite({ numKeypoints: o.numKeypoints ?? undefined }, 'numKeypoints', 'num_keypoints', (r.weights as DetectionWeights).keypointNames!.length);
  const backbone = resnet50({ weights: r.weightsBackbone, normLayer: r.isTrained ? frozenBatchNorm2d : batchNorm2d() });
  const model = new KeypointRCNN(resnetFpnExtractor(backbone, r.trainableLayers), r.numClasses, { ...modelKwargs(o), numKeypoints });
  loadWeights(model, r.weights);
  if (r.weights === KeypointRCNN_ResNet50_FPN_Weights.COCO_V1) overwriteEps(model, 0.0);
  return model;
}
