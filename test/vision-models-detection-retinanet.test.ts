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
import { Tensor } from '../lib';
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, PY_BOX_INPUTS, boxInputs } from './helpers/detection-oracle';
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

test("RetinaNet: torchvision's weights enums (entries, URLs, categories, meta, preset) and the by-name API", () => {
  const py = runPython<{ name: string; default: string; entries: [string, string, number, number, number[], string][] }[]>(`
from torchvision import models as M
result = []
for name in ['retinanet_resnet50_fpn', 'retinanet_resnet50_fpn_v2']:
    e = M.get_model_weights(name)
    assert name in M.list_models()
    result.append({'name': e.__name__, 'default': [n for n, w in e.__members__.items() if w is e.DEFAULT and n != 'DEFAULT'][0],
        'entries': [[w.name, w.url, len(w.meta['categories']), w.meta['num_params'], list(w.meta['min_size']), repr(w.transforms())] for w in e]})
`);
  const builders: [string, unknown][] = [['retinanet_resnet50_fpn', det.retinanetResnet50Fpn], ['retinanet_resnet50_fpn_v2', det.retinanet_resnet50_fpn_v2]];
  py.forEach((e, i) => {
    const ours = (det as unknown as Record<string, models.WeightsEnum>)[e.name];
    expect(Object.keys(ours).filter((k) => k !== 'DEFAULT')).toEqual(e.entries.map(([n]) => n));
    expect(ours.DEFAULT).toBe(ours[e.default]);
    expect(models.getWeight(`${e.name}.DEFAULT`)).toBe(ours.DEFAULT);
    for (const [name, url, categories, numParams, minSize, transforms] of e.entries) {
      const w = ours[name];
      expect([name, w.url, w.meta.categories!.length, w.meta.numParams, w.meta.minSize, String(w.transforms())]).toEqual([name, url, categories, numParams, minSize, transforms]);
    }
    const [name, builder] = builders[i];
    expect(models.getModelBuilder(name)).toBe(builder);
    expect(models.listModels(det)).toContain(name);
  });
});

test("RetinaNet: an image without boxes in training gives torchvision's losses and gradients", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestage-empty-'));
  const file = path.join(dir, 'm.pt');
  try {
    const py = runPython<{ losses: Record<string, number>; grads: [string, number, number][] }>(`
import torchvision.models.detection as D
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.models.detection.anchor_utils import AnchorGenerator
torch.manual_seed(0)
m = D.RetinaNet(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[3, 4]), 4, anchor_generator=AnchorGenerator(((32,), (64,), (128,)), ((0.5, 1.0),) * 3), min_size=64, max_size=80)
torch.save(m.state_dict(), ${JSON.stringify(file)})
m.train()
torch.manual_seed(3)
images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)]
targets = [{'boxes': torch.tensor([[4., 6., 40., 50.]]), 'labels': torch.tensor([1])}, {'boxes': torch.zeros(0, 4), 'labels': torch.zeros(0, dtype=torch.int64)}]
losses = m(images, targets)
sum(losses.values()).backward()
result = {'losses': {k: v.item() for k, v in losses.items()},
          'grads': [[k, float(p.grad.double().sum()), float(p.grad.double().abs().sum())] for k, p in m.named_parameters() if k.startswith('head.') and p.grad is not None]}
`);
    const m = new det.RetinaNet(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [3, 4] }), 4, { anchorGenerator: new det.AnchorGenerator([[32], [64], [128]], [[0.5, 1.0], [0.5, 1.0], [0.5, 1.0]]), minSize: 64, maxSize: 80 });
    m.loadStateDict(models.loadStateDictFile(file));
    m.train();
    torch.manualSeed(3);
    const images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)];
    const targets = [
      { boxes: torch.tensor([[4, 6, 40, 50]], { dtype: torch.float32 }), labels: torch.tensor([1]) },
      { boxes: torch.zeros(0, 4), labels: torch.zeros(0, { dtype: torch.int64 }) },
    ];
    const losses = m(images, targets) as Record<string, Tensor>;
    expect(Object.keys(losses)).toEqual(Object.keys(py.losses));
    for (const [k, v] of Object.entries(losses)) expect([k, Math.abs((v.item() as number) - py.losses[k]) <= 1e-5 * Math.max(1, Math.abs(py.losses[k]))]).toEqual([k, true]);
    Object.values(losses).reduce((a, b) => a.add(b)).backward();
    const params = Object.fromEntries(m.namedParameters());
    for (const [k, s, a] of py.grads) {
      const g = params[k].grad!.double();
      const tol = Math.max(1e-4 * a, 1e-7);
      expect([k, Math.abs((g.sum().item() as number) - s) <= tol, Math.abs((g.abs().sum().item() as number) - a) <= tol]).toEqual([k, true, true]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
