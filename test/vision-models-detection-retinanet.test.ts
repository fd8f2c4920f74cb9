// torchvision.models.detection RetinaNet against torchvision 0.14:
// - retinanet_resnet50_fpn(_v2) (and variants: num_classes, a custom RetinaNet): state_dict keys and
//   shapes, parameter count, repr and frozen parameters (Python builds on 'meta');
// - the same seed gives torchvision's initial weights (normal(0.01) heads, the prior-probability bias);
// - a version 1 checkpoint (the heads' convs as conv.0, conv.2, ..., no version in _metadata, as
//   RetinaNet_ResNet50_FPN_Weights.COCO_V1 is) loads into the version 2 layout as torchvision loads it;
// - torchvision's errors: a backbone without out_channels, a wrong anchor generator, bad targets;
// - the weights enums and the by-name API (get_model_builder, list_models, get_weight);
// - training with an image without boxes (everything background): torchvision's losses and head gradients;
// - both builders with a perturbed torchvision state_dict, two small images of different sizes: eval
//   detections (boxes, scores, labels) equal torchvision's; in training the loss dict (focal
//   classification, L1 / GIoU box regression) and the gradients of every parameter equal torchvision's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, PY_BOX_INPUTS, boxInputs, testEmptyImageTraining, testWeightsEnums } from './helpers/detection-oracle';
import { runPython } from './helpers/python';
import { pythonErrors } from './helpers/error-oracle';
import { Sums, expectSums, initSums } from './helpers/vision-model-oracle';

const det = models.detection;
const STRUCTURE: DetectionCase[] = [
  ['retinanet_resnet50_fpn', 'D.retinanet_resnet50_fpn(weights_backbone=None)', () => det.retinanetResnet50Fpn({ weightsBackbone: null })],
  ['retinanet_resnet50_fpn(num_classes=5)', 'D.retinanet_resnet50_fpn(weights_backbone=None, num_classes=5, detections_per_img=7)', () => det.retinanetResnet50Fpn({ weightsBackbone: null, numClasses: 5, detectionsPerImg: 7 })],
  ['retinanet_resnet50_fpn_v2', 'D.retinanet_resnet50_fpn_v2()', () => det.retinanetResnet50FpnV2()],
  [
    'RetinaNet(resnet_fpn_backbone, AnchorGenerator)',
    "D.RetinaNet(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[3, 4]), 4, anchor_generator=AnchorGenerator(((32,), (64,), (128,)), ((0.5, 1.0),) * 3), min_size=96)",
    () => new det.RetinaNet(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [3, 4] }), 4, { anchorGenerator: new det.AnchorGenerator([[32], [64], [128]], [[0.5, 1.0], [0.5, 1.0], [0.5, 1.0]]), minSize: 96 }),
  ],
];
// perturbed, the heads' scores stay near the 0.01 prior: score_thresh lowered so that some are kept
const BY_VALUE: DetectionCase[] = [
  ['retinanet_resnet50_fpn', 'D.retinanet_resnet50_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80, score_thresh=0.0105)', () => det.retinanetResnet50Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, scoreThresh: 0.0105 })],
  ['retinanet_resnet50_fpn_v2', 'D.retinanet_resnet50_fpn_v2(num_classes=3, min_size=64, max_size=80, score_thresh=0.02)', () => det.retinanetResnet50FpnV2({ numClasses: 3, minSize: 64, maxSize: 80, scoreThresh: 0.02 })],
];
const SEEDED: DetectionCase[] = [
  ['retinanet_resnet50_fpn', 'D.retinanet_resnet50_fpn(weights_backbone=None, num_classes=4)', () => det.retinanetResnet50Fpn({ weightsBackbone: null, numClasses: 4 })],
  ['retinanet_resnet50_fpn_v2', 'D.retinanet_resnet50_fpn_v2(num_classes=4)', () => det.retinanetResnet50FpnV2({ numClasses: 4 })],
];

describeDetectionModels({
  structure: STRUCTURE,
  seeded: SEEDED,
  byValue: BY_VALUE,
  pyInputs: PY_BOX_INPUTS,
  inputs: boxInputs,
  pyImports: 'from torchvision.models.detection.backbone_utils import resnet_fpn_backbone\nfrom torchvision.models.detection.anchor_utils import AnchorGenerator',
  // these parameters' gradients are also compared element by element
  full: ['head.classification_head.cls_logits.weight', 'head.regression_head.bbox_reg.weight', 'head.regression_head.conv.0.1.weight', 'backbone.fpn.extra_blocks.p6.weight'],
});

describe('RetinaNet heads: a version 1 checkpoint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retinanet-v1-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const build = () => new det.RetinaNet(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [3, 4] }), 4, { anchorGenerator: new det.AnchorGenerator([[32], [64], [128]], [[0.5, 1.0], [0.5, 1.0], [0.5, 1.0]]) });

  test("loads into conv.i.0 as torchvision's _load_from_state_dict renames it", () => {
    const file = path.join(dir, 'v1.pt');
    const py = runPython<{ renamed: number; sums: Sums[] }>(`
import re
from collections import OrderedDict
import torchvision.models.detection as D
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.models.detection.anchor_utils import AnchorGenerator
def build():
    return D.RetinaNet(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[3, 4]), 4, anchor_generator=AnchorGenerator(((32,), (64,), (128,)), ((0.5, 1.0),) * 3))
torch.manual_seed(0)
sd = build().state_dict()
old = OrderedDict((re.sub(r'^(head\\.\\w+_head\\.conv\\.)(\\d)\\.0\\.', lambda m: m.group(1) + str(2 * int(m.group(2))) + '.', k), v) for k, v in sd.items())
old._metadata = OrderedDict((k, v) for k, v in sd._metadata.items() if not k.endswith('_head'))
torch.save(old, ${JSON.stringify(file)})
torch.manual_seed(1)
m = build()
m.load_state_dict(torch.load(${JSON.stringify(file)}))
result = {'renamed': len(set(old) - set(sd)), 'sums': [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items() if v.is_floating_point()]}
`);
    expect(py.renamed).toBe(16);
    torch.manualSeed(1);
    const m = build();
    m.loadStateDict(models.loadStateDictFile(file));
    expectSums('RetinaNet v1 checkpoint', initSums(m), py.sums, 1e-6);
  });
});

describe("RetinaNet: torchvision's errors", () => {
  const conv = () => new torch.nn.Conv2d(3, 32, 3);
  const image = () => [torch.rand(3, 32, 32)];
  const training = () => new det.RetinaNet(conv(), 3, { minSize: 32, maxSize: 32 }).train();
  const cases: [string, () => unknown][] = [
    ['D.RetinaNet(nn.ReLU(), 3)', () => new det.RetinaNet(new torch.nn.ReLU(), 3)],
    ['D.RetinaNet(nn.Conv2d(3, 32, 3), 3, anchor_generator=5)', () => new det.RetinaNet(conv(), 3, { anchorGenerator: 5 as never })],
    ['D.RetinaNet(nn.Conv2d(3, 32, 3), 3, min_size=32, max_size=32).train()([torch.rand(3, 32, 32)])', () => training()(image())],
    [
      "D.RetinaNet(nn.Conv2d(3, 32, 3), 3, min_size=32, max_size=32).train()([torch.rand(3, 32, 32)], [{'boxes': torch.zeros(4), 'labels': torch.tensor([1])}])",
      () => training()(image(), [{ boxes: torch.zeros(4), labels: torch.tensor([1]) }]),
    ],
    [
      "D.RetinaNet(nn.Conv2d(3, 32, 3), 3, min_size=32, max_size=32).train()([torch.rand(3, 32, 32)], [{'boxes': torch.tensor([[4., 6., 4., 20.]]), 'labels': torch.tensor([1])}])",
      () => training()(image(), [{ boxes: torch.tensor([[4, 6, 4, 20]], { dtype: torch.float32 }), labels: torch.tensor([1]) }]),
    ],
  ];
  const expected = pythonErrors(cases.map(([code]) => code), { prelude: 'from torch import nn\nimport torchvision.models.detection as D' });
  test.each(cases.map(([code, run], i) => [code, run, expected[i]] as const))('%s', (_code, run, message) => {
    expect(run).toThrow(torch.TorchError);
    expect(run).toThrow(message);
  });
});

testWeightsEnums("RetinaNet: torchvision's weights enums (entries, URLs, categories, meta, preset) and the by-name API", [['retinanet_resnet50_fpn', det.retinanetResnet50Fpn], ['retinanet_resnet50_fpn_v2', det.retinanet_resnet50_fpn_v2]]);

testEmptyImageTraining(
  "RetinaNet: an image without boxes in training gives torchvision's losses and gradients",
  "D.RetinaNet(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[3, 4]), 4, anchor_generator=AnchorGenerator(((32,), (64,), (128,)), ((0.5, 1.0),) * 3), min_size=64, max_size=80)",
  () => new det.RetinaNet(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [3, 4] }), 4, { anchorGenerator: new det.AnchorGenerator([[32], [64], [128]], [[0.5, 1.0], [0.5, 1.0], [0.5, 1.0]]), minSize: 64, maxSize: 80 }),
);
