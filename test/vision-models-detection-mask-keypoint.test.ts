// torchvision.models.detection Mask R-CNN and Keypoint R-CNN against torchvision 0.14:
// - maskrcnn_resnet50_fpn(_v2), keypointrcnn_resnet50_fpn (and variants): state_dict keys and shapes,
//   parameter count, repr, frozen parameters (Python builds on 'meta'); seeded initial weights;
// - with a torchvision state_dict perturbed (its small tensors and BatchNorm statistics), two small images: eval detections (boxes, labels, scores,
//   masks pasted at the image size / keypoints and their scores) equal torchvision's; in training the
//   loss dict (loss_mask / loss_keypoint included) and every parameter's gradient equal torchvision's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { models } from '../lib/vision';
import { Module } from '../lib/nn';
import { runPython } from './helpers/python';
import { PY_ON_META, initSums, expectSums, Sums } from './helpers/vision-model-oracle';
import { PY_PERTURB } from './helpers/model-perturb';
import { closeWithin, out } from './helpers/close';

jest.setTimeout(600_000);

const det = models.detection;
type Builder = () => Module;
const STRUCTURE: [string, string, Builder][] = [
  ['maskrcnn_resnet50_fpn', 'D.maskrcnn_resnet50_fpn(weights_backbone=None)', () => det.maskrcnnResnet50Fpn({ weightsBackbone: null })],
  ['maskrcnn_resnet50_fpn_v2', 'D.maskrcnn_resnet50_fpn_v2(num_classes=3)', () => det.maskrcnnResnet50FpnV2({ numClasses: 3 })],
  ['keypointrcnn_resnet50_fpn', 'D.keypointrcnn_resnet50_fpn(weights_backbone=None)', () => det.keypointrcnnResnet50Fpn({ weightsBackbone: null })],
  ['keypointrcnn_resnet50_fpn(num_keypoints=5)', 'D.keypointrcnn_resnet50_fpn(weights_backbone=None, num_keypoints=5, num_classes=3)', () => det.keypointrcnnResnet50Fpn({ weightsBackbone: null, numKeypoints: 5, numClasses: 3 })],
];
const SEEDED: [string, string, Builder][] = [['maskrcnn_resnet50_fpn', 'D.maskrcnn_resnet50_fpn(weights_backbone=None, num_classes=3)', () => det.maskrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 3 })]];
/** [label, Python builder call, ours, the extra target entry] */
const BY_VALUE: [string, string, Builder][] = [
  ['maskrcnn_resnet50_fpn', 'D.maskrcnn_resnet50_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80)', () => det.maskrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80 })],
  ['maskrcnn_resnet50_fpn_v2', 'D.maskrcnn_resnet50_fpn_v2(num_classes=3, min_size=64, max_size=80)', () => det.maskrcnnResnet50FpnV2({ numClasses: 3, minSize: 64, maxSize: 80 })],
  ['keypointrcnn_resnet50_fpn', 'D.keypointrcnn_resnet50_fpn(weights_backbone=None, num_keypoints=4, min_size=64, max_size=80)', () => det.keypointrcnnResnet50Fpn({ weightsBackbone: null, numKeypoints: 4, minSize: 64, maxSize: 80 })],
];

// inputs drawn alike on both sides: masks inside the boxes, keypoints (some invisible) inside them
const PY_INPUTS = `
torch.manual_seed(3)
images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)]
boxes = [torch.tensor([[4., 6., 40., 50.], [30., 10., 70., 60.]]), torch.tensor([[10., 12., 50., 40.]])]
def masks_of(b, h, w):
    m = torch.rand(len(b), h, w).gt(0.3)
    ys, xs = torch.arange(h)[None, :, None], torch.arange(w)[None, None, :]
    inside = (xs >= b[:, 0, None, None]) & (xs < b[:, 2, None, None]) & (ys >= b[:, 1, None, None]) & (ys < b[:, 3, None, None])
    return (m & inside).to(torch.uint8)
def keypoints_of(b):
    t = torch.rand(len(b), 4, 2)
    xy = b[:, None, :2] + t * (b[:, None, 2:] - b[:, None, :2])
    return torch.cat([xy, torch.rand(len(b), 4, 1).gt(0.2).float()], 2)
targets = [{'boxes': b, 'labels': torch.ones(len(b), dtype=torch.int64), 'masks': masks_of(b, *img.shape[-2:]), 'keypoints': keypoints_of(b)}
           for b, img in zip(boxes, images)]
`;
function inputs(): [Tensor[], models.detection.TensorDict[]] {
  torch.manualSeed(3);
  const images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)];
  const boxes = [torch.tensor([[4, 6, 40, 50], [30, 10, 70, 60]], { dtype: torch.float32 }), torch.tensor([[10, 12, 50, 40]], { dtype: torch.float32 })];
  const col = (b: Tensor, i: number) => b.index(':', i, null, null);
  const masksOf = (b: Tensor, h: number, w: number) => {
    const m = torch.rand(b.size(0), h, w).gt(0.3);
    const ys = torch.arange(h).index(null, ':', null), xs = torch.arange(w).index(null, null, ':');
    const inside = xs.ge(col(b, 0)).logicalAnd(xs.lt(col(b, 2))).logicalAnd(ys.ge(col(b, 1))).logicalAnd(ys.lt(col(b, 3)));
    return m.logicalAnd(inside).to(torch.uint8);
  };
  const keypointsOf = (b: Tensor) => {
    const t = torch.rand(b.size(0), 4, 2);
    const lo = b.index(':', null, torch.slice(null, 2)), hi = b.index(':', null, torch.slice(2));
    const xy = lo.add(t.mul(hi.sub(lo)));
    return torch.cat([xy, torch.rand(b.size(0), 4, 1).gt(0.2).float()], 2);
  };
  const targets = boxes.map((b, i) => ({ boxes: b, labels: torch.ones(b.size(0), { dtype: torch.int64 }), masks: masksOf(b, images[i].size(1), images[i].size(2)), keypoints: keypointsOf(b) }));
  return [images, targets];
}

interface Structure {
  keys: [string, number[]][];
  numParams: number;
  repr: string;
  frozen: string[];
}
interface Values {
  detections: Record<string, number[] | number[][]>[];
  keys: string[][];
  losses: Record<string, number>;
  grads: Sums[];
}
interface Py {
  structure: Record<string, Structure>;
  values: Record<string, Values>;
  init: Record<string, Sums[]>;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-detection-mask-'));
const fileOf = (label: string) => path.join(dir, `${label}.pt`);
const close = closeWithin(1e-4);
let py: Py;

beforeAll(() => {
  py = runPython<Py>(`
import os
import torchvision.models.detection as D
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
    result['values'][label] = {
        'detections': [{k: v.tolist() for k, v in x.items()} for x in d], 'keys': [list(x.keys()) for x in d],
        'losses': {k: v.item() for k, v in losses.items()},
        'grads': [[k, float(p.grad.double().sum()), float(p.grad.double().abs().sum())] for k, p in m.named_parameters() if p.grad is not None]}
    del m
`);
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

describe.each(BY_VALUE)('%s by value', (label, _expr, build) => {
  let model: Module;
  beforeAll(() => {
    model = build();
    model.loadStateDict(models.loadStateDictFile(fileOf(label)));
  });

  test("eval: torchvision's detections at the original image sizes", () => {
    const want = py.values[label];
    const [images] = inputs();
    model.eval();
    const got = torch.noGrad(() => model(images)) as models.detection.TensorDict[];
    expect(got.map((d) => Object.keys(d))).toEqual(want.keys);
    expect(got.map((d) => d.boxes.size(0)).some((n) => n > 0)).toBe(true);
    got.forEach((d, i) => {
      for (const [k, v] of Object.entries(d)) {
        if (k === 'labels') expect(out(v)).toEqual(want.detections[i][k]);
        else close(out(v), want.detections[i][k], 1e-4, `${k} ${i}`);
      }
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
    grads.forEach(([k, p], i) => {
      const [s, a] = [p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number];
      const [, ws, wa] = want.grads[i];
      const tol = Math.max(2e-3 * wa, 1e-4);
      if (Math.abs(a - wa) > tol || Math.abs(s - ws) > tol) throw new Error(`${k}: gradient sums ${s}/${a}, torchvision ${ws}/${wa}`);
    });
  });
});
