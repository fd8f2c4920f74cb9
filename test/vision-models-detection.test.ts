// torchvision.models.detection Faster R-CNN against torchvision 0.14:
// - every builder (and variants: num_classes, trainable layers, a resnet_fpn_backbone model): state_dict
//   keys and shapes, parameter count, repr and which parameters are frozen (Python builds on 'meta');
// - the same seed gives torchvision's initial weights;
// - fasterrcnn_resnet50_fpn and fasterrcnn_mobilenet_v3_large_320_fpn with a perturbed torchvision
//   state_dict, two small images of different sizes: eval detections (boxes, labels, scores) equal
//   torchvision's; in training (the sampler's randperm draws seeded alike) the loss dict and the
//   gradients of every parameter equal torchvision's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { models } from '../lib/vision';
import { Module } from '../lib/nn';
import { runPython } from './helpers/python';
import { PY_ON_META, initSums, expectSums, Sums } from './helpers/vision-model-oracle';
import { PY_PERTURB, relDiff } from './helpers/model-perturb';
import { closeWithin, out } from './helpers/close';

jest.setTimeout(600_000);

const det = models.detection;
type Options = Record<string, unknown>;
type Builder = (o?: Options) => Module;
/** [label, torchvision's Python expression, ours] */
const STRUCTURE: [string, string, () => Module][] = [
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
/** Compared by value: [label, Python builder call, ours] (both with a perturbed state_dict) */
const BY_VALUE: [string, string, Builder][] = [
  ['fasterrcnn_resnet50_fpn', 'D.fasterrcnn_resnet50_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80)', (o) => det.fasterrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, ...o })],
  ['fasterrcnn_mobilenet_v3_large_320_fpn', 'D.fasterrcnn_mobilenet_v3_large_320_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80, rpn_score_thresh=0.0)', (o) => det.fasterrcnnMobilenetV3Large320Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, rpnScoreThresh: 0.0, ...o })],
];
const SEEDED: [string, string, () => Module][] = [
  ['fasterrcnn_mobilenet_v3_large_320_fpn', 'D.fasterrcnn_mobilenet_v3_large_320_fpn(weights_backbone=None)', () => det.fasterrcnnMobilenetV3Large320Fpn({ weightsBackbone: null })],
  ['fasterrcnn_resnet50_fpn_v2', 'D.fasterrcnn_resnet50_fpn_v2(num_classes=4)', () => det.fasterrcnnResnet50FpnV2({ numClasses: 4 })],
];

// the inputs, drawn alike on both sides
const PY_INPUTS = `
torch.manual_seed(3)
images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)]
targets = [{'boxes': torch.tensor([[4., 6., 40., 50.], [30., 10., 70., 60.]]), 'labels': torch.tensor([1, 2])},
           {'boxes': torch.tensor([[10., 12., 50., 40.]]), 'labels': torch.tensor([2])}]
`;
function inputs(): [Tensor[], models.detection.TensorDict[]] {
  torch.manualSeed(3);
  const images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)];
  const targets = [
    { boxes: torch.tensor([[4, 6, 40, 50], [30, 10, 70, 60]], { dtype: torch.float32 }), labels: torch.tensor([1, 2]) },
    { boxes: torch.tensor([[10, 12, 50, 40]], { dtype: torch.float32 }), labels: torch.tensor([2]) },
  ];
  return [images, targets];
}

interface Structure {
  keys: [string, number[]][];
  numParams: number;
  repr: string;
  frozen: string[];
}
interface Detections {
  boxes: number[][];
  labels: number[];
  scores: number[];
}
interface Values {
  detections: Detections[];
  losses: Record<string, number>;
  grads: [string, number, number][];
  full: Record<string, number[]>;
}
interface Py {
  structure: Record<string, Structure>;
  values: Record<string, Values>;
  init: Record<string, Sums[]>;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-detection-'));
const fileOf = (label: string) => path.join(dir, `${label}.pt`);
const close = closeWithin(1e-4);
let py: Py;

beforeAll(() => {
  py = runPython<Py>(`
import torchvision.models.detection as D
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
${PY_ON_META}${PY_PERTURB}
result = {'structure': {}, 'values': {}, 'init': {}}
for label, expr in ${JSON.stringify(STRUCTURE.map(([l, e]) => [l, e]))}:
    with OnMeta():
        m = eval(expr)
    result['structure'][label] = {'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()],
        'numParams': sum(p.numel() for p in m.parameters()), 'repr': repr(m),
        'frozen': [k for k, p in m.named_parameters() if not p.requires_grad]}
    del m
for label, expr in ${JSON.stringify(SEEDED.map(([l, e]) => [l, e]))}:
    torch.manual_seed(0)
    m = eval(expr)
    result['init'][label] = [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items() if v.is_floating_point()]
    del m
${PY_INPUTS}
for label, expr in ${JSON.stringify(BY_VALUE.map(([l, e]) => [l, e]))}:
    m = eval(expr)
    perturb(m, 1, 5000)  # the large weights as initialised: perturbed, they blow the activations up (no detections)
    torch.save(m.state_dict(), os.path.join(${JSON.stringify(dir)}, label + '.pt'))
    m.eval()
    with torch.no_grad():
        d = m(images)
    m.train()
    torch.manual_seed(5)
    losses = m(images, targets)
    sum(losses.values()).backward()
    ps = dict(m.named_parameters())
    result['values'][label] = {
        'detections': [{k: v.tolist() for k, v in x.items()} for x in d],
        'losses': {k: v.item() for k, v in losses.items()},
        'grads': [[k, float(p.grad.double().sum()), float(p.grad.double().abs().sum())] for k, p in m.named_parameters() if p.grad is not None],
        'full': {k: ps[k].grad.flatten().tolist() for k in ['rpn.head.cls_logits.weight', 'roi_heads.box_predictor.bbox_pred.weight', 'backbone.fpn.layer_blocks.0.0.weight']}}
    del m
`.replace('import torchvision', 'import os\nimport torchvision'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(STRUCTURE)('%s', (label, _expr, build) => {
  test("torchvision's state_dict keys and shapes, parameter count, repr and frozen parameters", () => {
    const want = py.structure[label];
    torch.tidy(() => {
      const m = build();
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(want.keys);
      expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(want.numParams);
      expect(String(m)).toBe(want.repr);
      expect([...m.namedParameters()].filter(([, p]) => !p.requiresGrad).map(([k]) => k)).toEqual(want.frozen);
    });
  });
});

test.each(SEEDED)("%s: the same seed gives torchvision's initial weights", (label, _expr, build) => {
  torch.manualSeed(0);
  expectSums(label, initSums(build()), py.init[label], 1e-5);
});

/** Parameters whose gradients are compared in full. */
const FULL = ['rpn.head.cls_logits.weight', 'roi_heads.box_predictor.bbox_pred.weight', 'backbone.fpn.layer_blocks.0.0.weight'];

describe.each(BY_VALUE)('%s by value', (label, _expr, build) => {
  let model: Module;
  beforeAll(() => {
    model = build();
    model.loadStateDict(models.loadStateDictFile(fileOf(label)));
  });

  test("eval: torchvision's detections (boxes, labels, scores) at the original image sizes", () => {
    const want = py.values[label].detections;
    const [images] = inputs();
    model.eval();
    const got = torch.noGrad(() => model(images)) as models.detection.TensorDict[];
    expect(got.length).toBe(want.length);
    expect(got.map((d) => d.boxes.size(0)).some((n) => n > 0)).toBe(true);
    got.forEach((d, i) => {
      expect(Object.keys(d)).toEqual(['boxes', 'labels', 'scores']);
      expect(d.labels.dtype).toBe(torch.int64);
      expect(d.boxes.shape).toEqual([want[i].labels.length, 4]);
      expect(out(d.labels)).toEqual(want[i].labels);
      close(out(d.boxes), want[i].boxes, 1e-4, `boxes ${i}`);
      close(out(d.scores), want[i].scores, 1e-4, `scores ${i}`);
    });
  });

  test("train: torchvision's loss dict and the gradients of every parameter", () => {
    const want = py.values[label];
    const [images, targets] = inputs();
    model.train();
    torch.manualSeed(5);
    const losses = model(images, targets) as Record<string, Tensor>;
    expect(Object.keys(losses)).toEqual(Object.keys(want.losses));
    for (const [k, v] of Object.entries(losses)) close(v.item(), want.losses[k], 1e-4, k);
    Object.values(losses).reduce((a, b) => a.add(b)).backward();
    const grads = [...model.namedParameters()].filter(([, p]) => p.grad !== null);
    expect(grads.map(([k]) => k)).toEqual(want.grads.map(([k]) => k));
    const got: Sums[] = grads.map(([k, p]) => [k, p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number]);
    // within 2e-3 of the sum of absolute values, or 1e-4: MobileNet's BatchNorm biases after the depthwise
    // convs get gradients that cancel to ~1e-5 (RoIAlign's float sums, in another order, show there)
    got.forEach(([k, s, a], i) => {
      const [, ws, wa] = want.grads[i];
      const tol = Math.max(2e-3 * wa, 1e-4);
      if (Math.abs(a - wa) > tol || Math.abs(s - ws) > tol) throw new Error(`${k}: gradient sums ${s}/${a}, torchvision ${ws}/${wa}`);
    });
    const params = Object.fromEntries(model.namedParameters());
    for (const k of FULL) expect([k, relDiff(params[k].grad!, want.full[k]) < 1e-3]).toEqual([k, true]);
  });
});
