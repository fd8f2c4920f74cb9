// torchvision.models.detection Faster R-CNN against torchvision 0.14:
// - every builder (and variants: num_classes, trainable layers, a resnet_fpn_backbone model): state_dict
//   keys and shapes, parameter count, repr and which parameters are frozen (Python builds on 'meta');
// - the same seed gives torchvision's initial weights;
// - fasterrcnn_resnet50_fpn and fasterrcnn_mobilenet_v3_large_320_fpn with a perturbed torchvision
//   state_dict, two small images of different sizes, fewer proposals and detections than the defaults
//   (FEWER_ROIS): eval detections (boxes, labels, scores) equal
//   torchvision's; in training (the sampler's randperm draws seeded alike) the loss dict and the
//   gradients of every parameter equal torchvision's.
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, FEWER_ROIS, PY_BOX_INPUTS, PY_FEWER_ROIS, boxInputs } from './helpers/detection-oracle';

const det = models.detection;
const STRUCTURE: DetectionCase[] = [
  ['fasterrcnn_resnet50_fpn', 'D.fasterrcnn_resnet50_fpn(weights_backbone=None)', () => det.fasterrcnnResnet50Fpn({ weightsBackbone: null })],
  ['fasterrcnn_resnet50_fpn(num_classes=5)', 'D.fasterrcnn_resnet50_fpn(weights_backbone=None, num_classes=5, box_detections_per_img=7)', () => det.fasterrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 5, boxDetectionsPerImg: 7 })],
  ['fasterrcnn_resnet50_fpn_v2', 'D.fasterrcnn_resnet50_fpn_v2()', () => det.fasterrcnnResnet50FpnV2()],
  ['fasterrcnn_mobilenet_v3_large_fpn', 'D.fasterrcnn_mobilenet_v3_large_fpn(weights_backbone=None)', () => det.fasterrcnnMobilenetV3LargeFpn({ weightsBackbone: null })],
  ['fasterrcnn_mobilenet_v3_large_320_fpn', 'D.fasterrcnn_mobilenet_v3_large_320_fpn(weights_backbone=None, num_classes=3)', () => det.fasterrcnnMobilenetV3Large320Fpn({ weightsBackbone: null, numClasses: 3 })],
  [
    'FasterRCNN(resnet_fpn_backbone(trainable_layers=2))',
    "D.FasterRCNN(resnet_fpn_backbone(backbone_name='resnet50', weights=None, trainable_layers=2), num_classes=4, min_size=(96, 128), max_size=200)",
    () => new det.FasterRCNN(det.resnetFpnBackbone({ backboneName: 'resnet50', weights: null, trainableLayers: 2 }), { numClasses: 4, minSize: [96, 128], maxSize: 200 }),
  ],
];
/** Compared by value (both with a perturbed state_dict), with fewer RoIs (FEWER_ROIS) */
const BY_VALUE: DetectionCase[] = [
  ['fasterrcnn_resnet50_fpn', `D.fasterrcnn_resnet50_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80, ${PY_FEWER_ROIS})`, () => det.fasterrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, ...FEWER_ROIS })],
  ['fasterrcnn_mobilenet_v3_large_320_fpn', `D.fasterrcnn_mobilenet_v3_large_320_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80, rpn_score_thresh=0.0, ${PY_FEWER_ROIS})`, () => det.fasterrcnnMobilenetV3Large320Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, rpnScoreThresh: 0.0, ...FEWER_ROIS })],
];
const SEEDED: DetectionCase[] = [
  ['fasterrcnn_mobilenet_v3_large_320_fpn', 'D.fasterrcnn_mobilenet_v3_large_320_fpn(weights_backbone=None)', () => det.fasterrcnnMobilenetV3Large320Fpn({ weightsBackbone: null })],
  ['fasterrcnn_resnet50_fpn_v2', 'D.fasterrcnn_resnet50_fpn_v2(num_classes=4)', () => det.fasterrcnnResnet50FpnV2({ numClasses: 4 })],
];

describeDetectionModels({
  structure: STRUCTURE,
  seeded: SEEDED,
  byValue: BY_VALUE,
  pyInputs: PY_BOX_INPUTS,
  inputs: boxInputs,
  pyImports: 'from torchvision.models.detection.backbone_utils import resnet_fpn_backbone',
  // these parameters' gradients are also compared element by element
  full: ['rpn.head.cls_logits.weight', 'roi_heads.box_predictor.bbox_pred.weight', 'backbone.fpn.layer_blocks.0.0.weight'],
});
