// What the detection model tests ask torchvision, written once: each builder's structure (built on
// 'meta': state_dict keys and shapes, parameter count, repr, frozen parameters), seeded initial
// weights, and the by-value models (a perturbed torchvision state_dict, saved for our side to load)
// run on the same two images in eval (detections) and in training (loss dict, every gradient).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../../lib';
import { Tensor } from '../../lib';
import { models } from '../../lib/vision';
import { Module } from '../../lib/nn';
import { runPython } from './python';
import { PY_ON_META, initSums, expectSums, Sums } from './vision-model-oracle';
import { PY_PERTURB, relDiff } from './model-perturb';
import { closeWithin, out } from './close';

/** [label, torchvision's Python expression, ours] */
export type DetectionCase = [string, string, () => Module];

export interface DetectionCases {
  structure: DetectionCase[];
  seeded: DetectionCase[];
  byValue: DetectionCase[];
  /** Python defining `images` and `targets`, drawn as `inputs` draws them here */
  pyInputs: string;
  inputs: () => [Tensor[], models.detection.TensorDict[]];
  /** Python imports the expressions need besides `torchvision.models.detection as D` */
  pyImports?: string;
  /** parameters whose gradients are also compared element by element */
  full?: string[];
}

/**
 * Two-stage models by value: fewer RPN proposals, sampled RoIs and detections than the defaults
 * (1000 proposals, 512 sampled, 100 detections). Every stage still runs (RPN, box head, mask and
 * keypoint heads on the detections, sampling in training) at a fifth of the RoI heads' work (a
 * keypoint head costs ~7 GFLOP per detection, a box head ~28 MFLOP per proposal).
 */
export const FEWER_ROIS = { rpnPostNmsTopNTest: 100, rpnPostNmsTopNTrain: 100, boxBatchSizePerImage: 64, boxDetectionsPerImg: 20 };
export const PY_FEWER_ROIS = 'rpn_post_nms_top_n_test=100, rpn_post_nms_top_n_train=100, box_batch_size_per_image=64, box_detections_per_img=20';

/** Two small images of different sizes with boxes and labels, drawn alike on both sides (seed 3). */
export const PY_BOX_INPUTS = `
torch.manual_seed(3)
images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)]
targets = [{'boxes': torch.tensor([[4., 6., 40., 50.], [30., 10., 70., 60.]]), 'labels': torch.tensor([1, 2])},
           {'boxes': torch.tensor([[10., 12., 50., 40.]]), 'labels': torch.tensor([2])}]
`;
export function boxInputs(): [Tensor[], models.detection.TensorDict[]] {
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
interface Values {
  detections: Record<string, unknown>[];
  keys: string[][];
  losses: Record<string, number>;
  grads: Sums[];
  full: Record<string, number[]>;
}
interface Py {
  structure: Record<string, Structure>;
  values: Record<string, Values>;
  init: Record<string, Sums[]>;
}

function pythonOracle(c: DetectionCases, dir: string): Py {
  const pairs = (rows: DetectionCase[]) => JSON.stringify(rows.map(([l, e]) => [l, e]));
  return runPython<Py>(`
import os
import torchvision.models.detection as D
${c.pyImports ?? ''}
${PY_ON_META}${PY_PERTURB}
result = {'structure': {}, 'values': {}, 'init': {}}
for label, expr in ${pairs(c.structure)}:
    with OnMeta():
        m = eval(expr)
    result['structure'][label] = {'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()],
        'numParams': sum(p.numel() for p in m.parameters()), 'repr': repr(m),
        'frozen': [k for k, p in m.named_parameters() if not p.requires_grad]}
    del m
for label, expr in ${pairs(c.seeded)}:
    torch.manual_seed(0)
    m = eval(expr)
    result['init'][label] = [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items() if v.is_floating_point()]
    del m
${c.pyInputs}
for label, expr in ${pairs(c.byValue)}:
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
        'detections': [{k: v.tolist() for k, v in x.items()} for x in d], 'keys': [list(x.keys()) for x in d],
        'losses': {k: v.item() for k, v in losses.items()},
        'grads': [[k, float(p.grad.double().sum()), float(p.grad.double().abs().sum())] for k, p in m.named_parameters() if p.grad is not None],
        'full': {k: ps[k].grad.flatten().tolist() for k in ${JSON.stringify(c.full ?? [])} if k in ps}}
    del m
`);
}

/** Defines the tests of the cases: structure, seeded init, and eval/train by value. */
export function describeDetectionModels(c: DetectionCases): void {
  jest.setTimeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-detection-'));
  const close = closeWithin(1e-4);
  let py: Py;
  beforeAll(() => {
    py = pythonOracle(c, dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe.each(c.structure)('%s', (label, _expr, build) => {
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

  if (c.seeded.length) {
    test.each(c.seeded)("%s: the same seed gives torchvision's initial weights", (label, _expr, build) => {
      torch.manualSeed(0);
      expectSums(label, initSums(build()), py.init[label], 1e-5);
    });
  }

  describe.each(c.byValue)('%s by value', (label, _expr, build) => {
    let model: Module;
    beforeAll(() => {
      model = build();
      model.loadStateDict(models.loadStateDictFile(path.join(dir, `${label}.pt`)));
    });

    test("eval: torchvision's detections at the original image sizes", () => {
      const want = py.values[label];
      const [images] = c.inputs();
      model.eval();
      const got = torch.noGrad(() => model(images)) as models.detection.TensorDict[];
      expect(got.map((d) => Object.keys(d))).toEqual(want.keys);
      expect(got.map((d) => d.boxes.size(0)).some((n) => n > 0)).toBe(true);
      got.forEach((d, i) => {
        expect(d.labels.dtype).toBe(torch.int64);
        for (const [k, v] of Object.entries(d)) {
          if (k === 'labels') expect(out(v)).toEqual(want.detections[i][k]);
          else close(out(v), want.detections[i][k], 1e-4, `${k} ${i}`);
        }
      });
    });

    test("train: torchvision's loss dict and the gradients of every parameter", () => {
      const want = py.values[label];
      const [images, targets] = c.inputs();
      model.train();
      torch.manualSeed(5);
      const losses = model(images, targets) as Record<string, Tensor>;
      expect(Object.keys(losses)).toEqual(Object.keys(want.losses));
      for (const [k, v] of Object.entries(losses)) close(v.item(), want.losses[k], 1e-4, k);
      Object.values(losses).reduce((a, b) => a.add(b)).backward();
      const grads = [...model.namedParameters()].filter(([, p]) => p.grad !== null);
      expect(grads.map(([k]) => k)).toEqual(want.grads.map(([k]) => k));
      // within 2e-3 of the sum of absolute values, or 1e-4: MobileNet's BatchNorm biases after the depthwise
      // convs get gradients that cancel to ~1e-5 (RoIAlign's float sums, in another order, show there)
      grads.forEach(([k, p], i) => {
        const [s, a] = [p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number];
        const [, ws, wa] = want.grads[i];
        const tol = Math.max(2e-3 * wa, 1e-4);
        if (Math.abs(a - wa) > tol || Math.abs(s - ws) > tol) throw new Error(`${k}: gradient sums ${s}/${a}, torchvision ${ws}/${wa}`);
      });
      const params = Object.fromEntries(model.namedParameters());
      for (const [k, w] of Object.entries(want.full)) expect([k, relDiff(params[k].grad!, w) < 1e-3]).toEqual([k, true]);
    });
  });
}

/**
 * The weights enums of these builders ([torchvision name, our builder]) and the by-name API: entries,
 * URLs, category counts, meta and preset reprs as torchvision's; getWeight, getModelBuilder, listModels.
 */
export function testWeightsEnums(title: string, builders: [string, unknown][]): void {
  test(title, () => {
    const py = runPython<{ name: string; default: string; entries: [string, string, number, number, number[], string][] }[]>(`
from torchvision import models as M
result = []
for name in ${JSON.stringify(builders.map(([name]) => name))}:
    e = M.get_model_weights(name)
    assert name in M.list_models()
    result.append({'name': e.__name__, 'default': [n for n, w in e.__members__.items() if w is e.DEFAULT and n != 'DEFAULT'][0],
        'entries': [[w.name, w.url, len(w.meta['categories']), w.meta['num_params'], list(w.meta['min_size']), repr(w.transforms())] for w in e]})
`);
    const det = models.detection;
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
}

/**
 * Training on two images, the second without boxes (everything background): torchvision's losses
 * and head gradients. `pyModel` builds torchvision's model (D, resnet_fpn_backbone and
 * AnchorGenerator imported) after torch.manual_seed(0); `build` ours, which loads its weights.
 */
export function testEmptyImageTraining(title: string, pyModel: string, build: () => Module): void {
  test(title, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestage-empty-'));
    const file = path.join(dir, 'm.pt');
    try {
      const py = runPython<{ losses: Record<string, number>; grads: [string, number, number][] }>(`
import torchvision.models.detection as D
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.models.detection.anchor_utils import AnchorGenerator
torch.manual_seed(0)
m = ${pyModel}
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
      const m = build();
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
}
