// torchvision.models.detection FCOS against torchvision 0.14:
// - fcos_resnet50_fpn (and variants: num_classes, a custom FCOS with its own head): state_dict keys and
//   shapes, parameter count, repr and frozen parameters (Python builds on 'meta');
// - the same seed gives torchvision's initial weights (GroupNorm towers, normal(0.01), the prior bias);
// - fcos_resnet50_fpn with a perturbed torchvision state_dict, two small images of different sizes: eval
//   detections (boxes, scores, labels) equal torchvision's; in training the loss dict (classification,
//   bbox_regression, bbox_ctrness) and the gradients of every parameter equal torchvision's;
// - torchvision's errors: more than one anchor per location, a wrong anchor generator, bad target boxes;
// - the weights enum and the by-name API (get_model_builder, list_models, get_weight);
// - training with an image without boxes (everything background): torchvision's losses and head gradients.
import * as torch from '../lib';
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, PY_BOX_INPUTS, boxInputs, testEmptyImageTraining, testWeightsEnums } from './helpers/detection-oracle';
import { pythonErrors } from './helpers/error-oracle';

const det = models.detection;
const STRUCTURE: DetectionCase[] = [
  ['fcos_resnet50_fpn', 'D.fcos_resnet50_fpn(weights_backbone=None)', () => det.fcosResnet50Fpn({ weightsBackbone: null })],
  ['fcos_resnet50_fpn(num_classes=5)', 'D.fcos_resnet50_fpn(weights_backbone=None, num_classes=5, detections_per_img=7)', () => det.fcosResnet50Fpn({ weightsBackbone: null, numClasses: 5, detectionsPerImg: 7 })],
  [
    'FCOS(resnet_fpn_backbone, AnchorGenerator, FCOSHead(num_convs=2))',
    "D.FCOS(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[3, 4]), 4, anchor_generator=AnchorGenerator(((16,), (32,), (64,)), ((1.0,),) * 3), head=FCOSHead(256, 1, 4, num_convs=2), min_size=96)",
    () =>
      new det.FCOS(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [3, 4] }), 4, {
        anchorGenerator: new det.AnchorGenerator([[16], [32], [64]], [[1.0], [1.0], [1.0]]),
        head: new det.FCOSHead(256, 1, 4, { numConvs: 2 }),
        minSize: 96,
      }),
  ],
];
// perturbed, sqrt(class probability * centerness) stays near 0.07-0.12: score_thresh lowered so that some are kept
const BY_VALUE: DetectionCase[] = [
  ['fcos_resnet50_fpn', 'D.fcos_resnet50_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80, score_thresh=0.09)', () => det.fcosResnet50Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, scoreThresh: 0.09 })],
];
const SEEDED: DetectionCase[] = [['fcos_resnet50_fpn', 'D.fcos_resnet50_fpn(weights_backbone=None, num_classes=4)', () => det.fcosResnet50Fpn({ weightsBackbone: null, numClasses: 4 })]];

describeDetectionModels({
  structure: STRUCTURE,
  seeded: SEEDED,
  byValue: BY_VALUE,
  pyInputs: PY_BOX_INPUTS,
  inputs: boxInputs,
  pyImports: 'from torchvision.models.detection.backbone_utils import resnet_fpn_backbone\nfrom torchvision.models.detection.anchor_utils import AnchorGenerator\nfrom torchvision.models.detection.fcos import FCOSHead',
  // these parameters' gradients are also compared element by element
  full: ['head.classification_head.cls_logits.weight', 'head.regression_head.bbox_reg.weight', 'head.regression_head.bbox_ctrness.weight', 'head.regression_head.conv.1.weight'],
});

describe("FCOS: torchvision's errors", () => {
  const conv = () => new torch.nn.Conv2d(3, 32, 3);
  const cases: [string, () => unknown][] = [
    ['D.FCOS(nn.Conv2d(3, 32, 3), 3, anchor_generator=AnchorGenerator(((32,),), ((0.5, 1.0),)))', () => new det.FCOS(conv(), 3, { anchorGenerator: new det.AnchorGenerator([[32]], [[0.5, 1.0]]) })],
    ["D.FCOS(nn.Conv2d(3, 32, 3), 3, anchor_generator='x')", () => new det.FCOS(conv(), 3, { anchorGenerator: 'x' as never })],
    ['D.FCOS(nn.ReLU(), 3)', () => new det.FCOS(new torch.nn.ReLU(), 3)],
    [
      "D.FCOS(nn.Conv2d(3, 32, 3), 3, min_size=32, max_size=32).train()([torch.rand(3, 32, 32)], [{'boxes': torch.zeros(2, 5), 'labels': torch.tensor([1, 1])}])",
      () => new det.FCOS(conv(), 3, { minSize: 32, maxSize: 32 }).train()([torch.rand(3, 32, 32)], [{ boxes: torch.zeros(2, 5), labels: torch.tensor([1, 1]) }]),
    ],
  ];
  const expected = pythonErrors(cases.map(([code]) => code), { prelude: 'from torch import nn\nimport torchvision.models.detection as D\nfrom torchvision.models.detection.anchor_utils import AnchorGenerator' });
  test.each(cases.map(([code, run], i) => [code, run, expected[i]] as const))('%s', (_code, run, message) => {
    expect(run).toThrow(torch.TorchError);
    expect(run).toThrow(message);
  });
});

testWeightsEnums("FCOS: torchvision's weights enums (entries, URLs, categories, meta, preset) and the by-name API", [['fcos_resnet50_fpn', det.fcos_resnet50_fpn]]);

testEmptyImageTraining(
  "FCOS: an image without boxes in training gives torchvision's losses and gradients",
  "D.FCOS(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[2, 3, 4]), 4, anchor_generator=AnchorGenerator(((8,), (16,), (32,), (64,)), ((1.0,),) * 4), min_size=64, max_size=80)",
  () => new det.FCOS(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [2, 3, 4] }), 4, { anchorGenerator: new det.AnchorGenerator([[8], [16], [32], [64]], [[1.0], [1.0], [1.0], [1.0]]), minSize: 64, maxSize: 80 }),
);
