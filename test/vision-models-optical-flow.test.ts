// torchvision.models.optical_flow RAFT against torchvision 0.14, one Python program per model:
// - raft_large, raft_small (and raft_small with a part given): state_dict keys and shapes, parameter
//   count, repr (Python builds on 'meta');
// - the same seed gives torchvision's initial weights (kaiming-normal encoders, default-initialised rest);
// - with the same perturbed weights (loaded through the builder's `weights` path), on two 128x128 images
//   and 3 flow updates (and the default 12, raft_small in eval): every flow prediction in eval and in train, and the gradient of every parameter
//   for a loss summed over the predictions, equal torchvision's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { Module } from '../lib/nn';
import * as flow from '../lib/vision/models/optical-flow';
import { runPython } from './helpers/python';
import { PY_ON_META, initSums, expectSums, Sums } from './helpers/vision-model-oracle';
import { PY_PERTURB } from './helpers/model-perturb';

jest.setTimeout(600_000);

interface Case {
  label: string;
  /** torchvision's expression (O: torchvision.models.optical_flow, its raft module's names imported) */
  expr: string;
  build: (weights?: string) => Module;
  batch: number;
  /** also run with the default num_flow_updates (12), in eval */
  defaultUpdates?: boolean;
}
const CASES: Case[] = [
  { label: 'raft_large', expr: 'O.raft_large()', build: (weights) => flow.raftLarge({ weights }), batch: 1 },
  { label: 'raft_small', expr: 'O.raft_small()', build: (weights) => flow.raft_small({ weights }), batch: 2, defaultUpdates: true },
  {
    label: 'raft_small(corr_block=CorrBlock(num_levels=3, radius=2), mask_predictor=...)',
    expr: 'O.raft_small(corr_block=CorrBlock(num_levels=3, radius=2), mask_predictor=MaskPredictor(in_channels=96, hidden_size=64, multiplier=0.5))',
    build: (weights) =>
      flow.raftSmall({ weights, corrBlock: new flow.CorrBlock({ numLevels: 3, radius: 2 }), maskPredictor: new flow.MaskPredictor({ inChannels: 96, hiddenSize: 64, multiplier: 0.5 }) }),
    batch: 1,
  },
];
const UPDATES = 3;

interface Py {
  keys: [string, number[]][];
  numParams: number;
  repr: string;
  init: Sums[];
}

/** The images, drawn alike on both sides. */
const PY_IMAGES = (batch: number) => `
torch.manual_seed(3)
image1 = torch.rand(${batch}, 3, 128, 128) * 2 - 1
image2 = torch.rand(${batch}, 3, 128, 128) * 2 - 1
`;
function images(batch: number): [Tensor, Tensor] {
  torch.manualSeed(3);
  return [torch.rand(batch, 3, 128, 128).mul(2).sub(1), torch.rand(batch, 3, 128, 128).mul(2).sub(1)];
}
/** Each prediction's mean square, weighted by its rank: every update contributes to the gradients. */
const loss = (preds: Tensor[]): Tensor => preds.map((p, i) => p.pow(2).mean().mul(i + 1)).reduce((a, b) => a.add(b));

/** torchvision's side: structure on 'meta', seeded sums; the perturbed weights and the values saved under dir. */
function pythonOracle(c: Case, dir: string): Py {
  return runPython<Py>(`
import os
import torchvision.models.optical_flow as O
from torchvision.models.optical_flow.raft import CorrBlock, MaskPredictor
${PY_ON_META}${PY_PERTURB}
with OnMeta():
    m = ${c.expr}
result = {'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()],
          'numParams': sum(p.numel() for p in m.parameters()), 'repr': repr(m)}
torch.manual_seed(0)
m = ${c.expr}
result['init'] = [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items() if v.is_floating_point()]
perturb(m, 1)
torch.save(m.state_dict(), os.path.join(${JSON.stringify(dir)}, 'weights.pt'))
${PY_IMAGES(c.batch)}
values = {}
m.eval()
with torch.no_grad():
    for i, p in enumerate(m(image1, image2, num_flow_updates=${UPDATES})):
        values['eval.%d' % i] = p
    if ${c.defaultUpdates ? 'True' : 'False'}:
        for i, p in enumerate(m(image1, image2)):
            values['default.%d' % i] = p
m.train()
preds = m(image1, image2, num_flow_updates=${UPDATES})
sum(p.pow(2).mean() * (i + 1) for i, p in enumerate(preds)).backward()
for i, p in enumerate(preds):
    values['train.%d' % i] = p.detach()
for k, p in m.named_parameters():
    values['grad.' + k] = p.grad
torch.save(values, os.path.join(${JSON.stringify(dir)}, 'values.pt'))
`);
}

/** max |got - want| / max(max |want|, 1) */
const relMax = (got: Tensor, want: Tensor): number => (got.sub(want).abs().max().item() as number) / Math.max(want.abs().max().item() as number, 1);

describe.each(CASES)('$label', (c) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-raft-'));
  let py: Py;
  let values: Record<string, Tensor>;
  beforeAll(() => {
    py = pythonOracle(c, dir);
    values = torch.loadSync(path.join(dir, 'values.pt')) as Record<string, Tensor>;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("torchvision's state_dict keys and shapes, parameter count and repr", () => {
    torch.tidy(() => {
      const m = c.build();
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(py.keys);
      expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(py.numParams);
      expect(String(m)).toBe(py.repr);
    });
  });

  test("the same seed gives torchvision's initial weights", () => {
    torch.manualSeed(0);
    expectSums(c.label, initSums(c.build()), py.init, 1e-5);
  });

  test("torchvision's flow predictions (eval and train) and the gradient of every parameter", () => {
    const m = c.build(path.join(dir, 'weights.pt'));
    const [image1, image2] = images(c.batch);
    m.eval();
    const evalPreds = torch.noGrad(() => m(image1, image2, UPDATES)) as Tensor[];
    const defaultPreds = c.defaultUpdates ? (torch.noGrad(() => m(image1, image2)) as Tensor[]) : [];
    m.train();
    const preds = m(image1, image2, { numFlowUpdates: UPDATES }) as Tensor[];
    loss(preds).backward();
    expect(evalPreds.length).toBe(UPDATES);
    const diffs: Record<string, number> = {};
    evalPreds.forEach((p, i) => (diffs[`eval.${i}`] = relMax(p, values[`eval.${i}`])));
    defaultPreds.forEach((p, i) => (diffs[`default.${i}`] = relMax(p, values[`default.${i}`])));
    preds.forEach((p, i) => (diffs[`train.${i}`] = relMax(p.detach(), values[`train.${i}`])));
    expect(preds.map((p) => p.shape)).toEqual(preds.map(() => [c.batch, 2, 128, 128]));
    for (const [k, p] of m.namedParameters()) diffs[`grad.${k}`] = relMax(p.grad!, values[`grad.${k}`]);
    expect(Object.keys(diffs).sort()).toEqual(Object.keys(values).sort());
    const worst = Object.entries(diffs).filter(([, d]) => !(d <= 1e-4));
    // measured: 0 (the same float32 operations in the same order)
    expect(worst).toEqual([]);
  });
});
