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
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, PY_BOX_INPUTS, boxInputs } from './helpers/detection-oracle';
import { pythonErrors } from './helpers/error-oracle';
import { runPython } from './helpers/python';

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

test("FCOS: torchvision's weights enums (entries, URLs, categories, meta, preset) and the by-name API", () => {
  const py = runPython<{ name: string; default: string; entries: [string, string, number, number, number[], string][] }[]>(`
from torchvision import models as M
result = []
for name in ['fcos_resnet50_fpn']:
    e = M.get_model_weights(name)
    assert name in M.list_models()
    result.append({'name': e.__name__, 'default': [n for n, w in e.__members__.items() if w is e.DEFAULT and n != 'DEFAULT'][0],
        'entries': [[w.name, w.url, len(w.meta['categories']), w.meta['num_params'], list(w.meta['min_size']), repr(w.transforms())] for w in e]})
`);
  const builders: [string, unknown][] = [['fcos_resnet50_fpn', det.fcos_resnet50_fpn]];
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

test("FCOS: an image without boxes in training gives torchvision's losses and gradients", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestage-empty-'));
  const file = path.join(dir, 'm.pt');
  try {
    const py = runPython<{ losses: Record<string, number>; grads: [string, number, number][] }>(`
import torchvision.models.detection as D
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.models.detection.anchor_utils import AnchorGenerator
torch.manual_seed(0)
m = D.FCOS(resnet_fpn_backbone(backbone_name='resnet18', weights=None, returned_layers=[2, 3, 4]), 4, anchor_generator=AnchorGenerator(((8,), (16,), (32,), (64,)), ((1.0,),) * 4), min_size=64, max_size=80)
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
    const m = new det.FCOS(det.resnetFpnBackbone({ backboneName: 'resnet18', weights: null, returnedLayers: [2, 3, 4] }), 4, { anchorGenerator: new det.AnchorGenerator([[8], [16], [32], [64]], [[1.0], [1.0], [1.0], [1.0]]), minSize: 64, maxSize: 80 });
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
