// torchvision.models.detection SSD and SSDlite against torchvision 0.14:
// - ssd300_vgg16 and ssdlite320_mobilenet_v3_large (and variants: num_classes and SSD keywords, a
//   custom SSD whose head channels come from a forward pass, the VGG and MobileNet extractors with
//   frozen stages and SSD512's extra block): state_dict keys and shapes, parameter count, repr
//   (DefaultBoxGenerator's too) and frozen parameters (Python builds on 'meta');
// - the same seed gives torchvision's initial weights (VGG/MobileNet, xavier or normal(0.03) heads and extra layers);
// - both builders with a perturbed torchvision state_dict, two small images of different sizes: eval
//   detections (boxes, scores, labels) equal torchvision's; in training the loss dict (smooth L1, cross
//   entropy with hard negative mining) and the gradients of every parameter equal torchvision's;
// - DefaultBoxGenerator's boxes (with and without steps, clipped or not) and SSDMatcher's matches;
// - torchvision's errors; the weights enums; training with an image without boxes.
import * as torch from '../lib';
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, PY_BOX_INPUTS, boxInputs, testEmptyImageTraining, testWeightsEnums } from './helpers/detection-oracle';
import { runPython } from './helpers/python';
import { pythonErrors } from './helpers/error-oracle';
import { out } from './helpers/close';

const det = models.detection;
const bn = (c: number) => new torch.nn.BatchNorm2d(c, { eps: 0.001, momentum: 0.03 });
const tinySsd = (numClasses: number, o: Record<string, unknown> = {}) =>
  new det.SSD(new torch.nn.Sequential(new torch.nn.Conv2d(3, 8, 3, { stride: 4 }), new torch.nn.ReLU()), new det.DefaultBoxGenerator([[2]], { steps: [4] }), [64, 64], numClasses, o);
const TINY_SSD = (numClasses: number, extra = '') => `D.ssd.SSD(nn.Sequential(nn.Conv2d(3, 8, 3, stride=4), nn.ReLU()), DefaultBoxGenerator([[2]], steps=[4]), (64, 64), ${numClasses}${extra})`;

const STRUCTURE: DetectionCase[] = [
  ['ssd300_vgg16', 'D.ssd300_vgg16(weights_backbone=None)', () => det.ssd300Vgg16({ weightsBackbone: null })],
  [
    'ssd300_vgg16(num_classes=5)',
    'D.ssd300_vgg16(weights_backbone=None, num_classes=5, detections_per_img=7, iou_thresh=0.4, positive_fraction=0.5)',
    () => det.ssd300Vgg16({ weightsBackbone: null, numClasses: 5, detectionsPerImg: 7, iouThresh: 0.4, positiveFraction: 0.5 }),
  ],
  ['_vgg_extractor(vgg16(), False, 2)', 'vgg_extractor(vgg16(), False, 2)', () => det.vggExtractor(models.vgg16(), false, 2)],
  ['_vgg_extractor(vgg16(), True, 0) (SSD512)', 'vgg_extractor(vgg16(), True, 0)', () => det.vggExtractor(models.vgg16(), true, 0)],
  ['SSD(a backbone without out_channels)', TINY_SSD(3, ', score_thresh=0.2'), () => tinySsd(3, { scoreThresh: 0.2 })],
  ['ssdlite320_mobilenet_v3_large', 'D.ssdlite320_mobilenet_v3_large(weights_backbone=None)', () => det.ssdlite320MobilenetV3Large({ weightsBackbone: null })],
  [
    'ssdlite320_mobilenet_v3_large(num_classes=5, norm_layer=BatchNorm2d)',
    'D.ssdlite320_mobilenet_v3_large(weights_backbone=None, num_classes=5, norm_layer=nn.BatchNorm2d, nms_thresh=0.3)',
    () => det.ssdlite320MobilenetV3Large({ weightsBackbone: null, numClasses: 5, normLayer: (c) => new torch.nn.BatchNorm2d(c), nmsThresh: 0.3 }),
  ],
  ['ssdlite _mobilenet_extractor(mobilenet_v3_large(), 3)', 'ssdlite_extractor(mobilenet_v3_large(norm_layer=BN), 3, BN)', () => det.mobilenetSsdliteExtractor(models.mobilenetV3Large({ normLayer: bn }), 3, bn)],
];
const SEEDED: DetectionCase[] = [
  ['ssd300_vgg16', 'D.ssd300_vgg16(weights_backbone=None, num_classes=4)', () => det.ssd300Vgg16({ weightsBackbone: null, numClasses: 4 })],
  ['ssdlite320_mobilenet_v3_large', 'D.ssdlite320_mobilenet_v3_large(weights_backbone=None, num_classes=4)', () => det.ssdlite320MobilenetV3Large({ weightsBackbone: null, numClasses: 4 })],
];
const BY_VALUE: DetectionCase[] = [
  ['ssd300_vgg16', 'D.ssd300_vgg16(weights_backbone=None, num_classes=3)', () => det.ssd300Vgg16({ weightsBackbone: null, numClasses: 3 })],
  ['ssdlite320_mobilenet_v3_large', 'D.ssdlite320_mobilenet_v3_large(weights_backbone=None, num_classes=3)', () => det.ssdlite320MobilenetV3Large({ weightsBackbone: null, numClasses: 3 })],
];
const PY_IMPORTS = `
from functools import partial
from torch import nn
from torchvision.models import vgg16, mobilenet_v3_large
from torchvision.models.detection.ssd import _vgg_extractor as vgg_extractor
from torchvision.models.detection.ssdlite import _mobilenet_extractor as ssdlite_extractor
from torchvision.models.detection.anchor_utils import DefaultBoxGenerator
BN = partial(nn.BatchNorm2d, eps=0.001, momentum=0.03)
`;

describeDetectionModels({
  structure: STRUCTURE,
  seeded: SEEDED,
  byValue: BY_VALUE,
  pyInputs: PY_BOX_INPUTS,
  inputs: boxInputs,
  pyImports: PY_IMPORTS,
  // these parameters' gradients are also compared element by element
  full: [
    'backbone.scale_weight', 'head.classification_head.module_list.0.weight', 'head.regression_head.module_list.5.weight', 'backbone.extra.0.7.1.bias', 'backbone.extra.4.2.weight',
    'head.classification_head.module_list.0.1.weight', 'head.regression_head.module_list.3.0.1.weight', 'backbone.extra.1.1.0.weight',
  ],
});

describe("DefaultBoxGenerator and SSDMatcher: torchvision's boxes and matches", () => {
  type Py = { boxes: number[][][]; reprs: string[]; matches: number[][] };
  let py: Py;
  beforeAll(() => {
    py = runPython<Py>(`
from torchvision.models.detection.anchor_utils import DefaultBoxGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection._utils import SSDMatcher
gens = [DefaultBoxGenerator([[2], [2, 3]], clip=False), DefaultBoxGenerator([[2, 3], [3]], min_ratio=0.1, max_ratio=0.7, steps=[8, 16]), DefaultBoxGenerator([[2]], scales=[0.3, 1.2])]
images = ImageList(torch.zeros(2, 3, 40, 60), [(40, 60), (36, 50)])
features = [torch.zeros(2, 4, 5, 8), torch.zeros(2, 4, 3, 4)]
boxes = [g(images, features[:len(g.aspect_ratios)])[1].tolist() for g in gens]
torch.manual_seed(0)
iou = torch.rand(3, 12) * 0.6
m = SSDMatcher(0.5)
result = {'boxes': boxes, 'reprs': [repr(g) for g in gens], 'matches': [m(iou).tolist(), m(iou[:, :2]).tolist()]}
`);
  });

  test('default boxes in pixels of the batch, and the repr', () => {
    const gens = [
      new det.DefaultBoxGenerator([[2], [2, 3]], { clip: false }),
      new det.DefaultBoxGenerator([[2, 3], [3]], { minRatio: 0.1, maxRatio: 0.7, steps: [8, 16] }),
      new det.DefaultBoxGenerator([[2]], { scales: [0.3, 1.2] }),
    ];
    const images = new det.ImageList(torch.zeros(2, 3, 40, 60), [[40, 60], [36, 50]]);
    const features = [torch.zeros(2, 4, 5, 8), torch.zeros(2, 4, 3, 4)];
    gens.forEach((g, i) => {
      expect(String(g)).toBe(py.reprs[i]);
      expect(g.numAnchorsPerLocation()).toEqual(g.aspectRatios.map((r) => 2 + 2 * r.length));
      const got = g(images, features.slice(0, g.aspectRatios.length)) as torch.Tensor[];
      expect(out(got[1].sub(torch.tensor(py.boxes[i])).abs().max())).toBeLessThan(1e-5);
    });
  });

  test("SSDMatcher: each ground truth's best default box matched whatever its IoU", () => {
    torch.manualSeed(0);
    const iou = torch.rand(3, 12).mul(0.6);
    const m = new det.SSDMatcher(0.5);
    expect(out(m.call(iou))).toEqual(py.matches[0]);
    expect(out(m.call(iou.index(':', torch.slice(null, 2))))).toEqual(py.matches[1]);
  });
});

describe("SSD: torchvision's errors", () => {
  const conv = () => new torch.nn.Conv2d(3, 8, 3);
  const convSeq = () => new torch.nn.Sequential(conv());
  const training = () => new det.SSD(convSeq(), new det.DefaultBoxGenerator([[2]]), [32, 32], 3).train();
  const image = () => [torch.rand(3, 32, 32)];
  const cases: [string, () => unknown][] = [
    ['D.ssd.SSD(nn.Conv2d(3, 8, 3), DefaultBoxGenerator([[2]]), (32, 32), 3)', () => new det.SSD(conv(), new det.DefaultBoxGenerator([[2]]), [32, 32], 3)],
    ['D.ssd.SSD(nn.Sequential(nn.Conv2d(3, 8, 3)), DefaultBoxGenerator([[2], [2]]), (32, 32), 3)', () => new det.SSD(convSeq(), new det.DefaultBoxGenerator([[2], [2]]), [32, 32], 3)],
    ['DefaultBoxGenerator([[2]], steps=[8, 16])', () => new det.DefaultBoxGenerator([[2]], { steps: [8, 16] })],
    ['D.ssd300_vgg16(trainable_backbone_layers=6)', () => det.ssd300Vgg16({ trainableBackboneLayers: 6 })],
    ['D.ssdlite320_mobilenet_v3_large(trainable_backbone_layers=7)', () => det.ssdlite320MobilenetV3Large({ trainableBackboneLayers: 7 })],
    ["D.ssd300_vgg16(weights='DEFAULT', num_classes=5)", () => det.ssd300Vgg16({ weights: 'DEFAULT', numClasses: 5 })],
    ['D.ssdlite320_mobilenet_v3_large(weights_backbone=None, head=None)', () => det.ssdlite320MobilenetV3Large({ weightsBackbone: null, head: null })],
    ['D.ssd300_vgg16(weights_backbone=None, size=(512, 512))', () => det.ssd300Vgg16({ weightsBackbone: null, size: [512, 512] })],
    ["D.ssd.SSD(nn.Sequential(nn.Conv2d(3, 8, 3)), DefaultBoxGenerator([[2]]), (32, 32), 3).train()([torch.rand(3, 32, 32)])", () => training()(image())],
    [
      "D.ssd.SSD(nn.Sequential(nn.Conv2d(3, 8, 3)), DefaultBoxGenerator([[2]]), (32, 32), 3).train()([torch.rand(3, 32, 32)], [{'boxes': torch.zeros(2, 5), 'labels': torch.tensor([1, 1])}])",
      () => training()(image(), [{ boxes: torch.zeros(2, 5), labels: torch.tensor([1, 1]) }]),
    ],
    [
      "D.ssd.SSD(nn.Sequential(nn.Conv2d(3, 8, 3)), DefaultBoxGenerator([[2]]), (32, 32), 3).train()([torch.rand(3, 32, 32)], [{'boxes': [[1., 2., 3., 4.]], 'labels': torch.tensor([1])}])",
      () => training()(image(), [{ boxes: [[1, 2, 3, 4]] as never, labels: torch.tensor([1]) }]),
    ],
    [
      "D.ssd.SSD(nn.Sequential(nn.Conv2d(3, 8, 3)), DefaultBoxGenerator([[2]]), (32, 32), 3).train()([torch.rand(3, 32, 32)], [{'boxes': torch.tensor([[4., 6., 4., 20.]]), 'labels': torch.tensor([1])}])",
      () => training()(image(), [{ boxes: torch.tensor([[4, 6, 4, 20]], { dtype: torch.float32 }), labels: torch.tensor([1]) }]),
    ],
  ];
  const expected = pythonErrors(cases.map(([code]) => code), { prelude: 'from torch import nn\nimport torchvision.models.detection as D\nfrom torchvision.models.detection.anchor_utils import DefaultBoxGenerator' });
  test.each(cases.map(([code, run], i) => [code, run, expected[i]] as const))('%s', (_code, run, message) => {
    expect(run).toThrow(torch.TorchError);
    expect(run).toThrow(message);
  });
});

testWeightsEnums("SSD: torchvision's weights enums (entries, URLs, categories, meta, preset) and the by-name API", [
  ['ssd300_vgg16', det.ssd300Vgg16],
  ['ssdlite320_mobilenet_v3_large', det.ssdlite320MobilenetV3Large],
]);
test("SSD: torchvision's snake_case names", () => {
  expect(det.ssd300_vgg16).toBe(det.ssd300Vgg16);
  expect(det.ssdlite320_mobilenet_v3_large).toBe(det.ssdlite320MobilenetV3Large);
});

testEmptyImageTraining(
  "SSD: an image without boxes in training gives torchvision's losses and gradients",
  TINY_SSD(4).replace(/nn\./g, 'torch.nn.').replace('DefaultBoxGenerator', 'D.anchor_utils.DefaultBoxGenerator'),
  () => tinySsd(4),
);

testEmptyImageTraining(
  "SSDlite: an image without boxes in training gives torchvision's losses and gradients",
  'D.ssdlite320_mobilenet_v3_large(weights_backbone=None, num_classes=4)',
  () => det.ssdlite320MobilenetV3Large({ weightsBackbone: null, numClasses: 4 }),
);
