// Fusion and quantization-aware training against PyTorch 1.13 in the same run: fuse_modules (eval:
// BN folded into the conv) and fuse_modules_qat (train: ConvBnReLU2d, ...) by nested names; then
// prepare_qat, a few SGD steps (outputs, gradients and fake-quant qparams equal Python's), convert,
// and the quantized model's state_dict and outputs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import * as Q from '../lib/ao/quantization';
import { quantized as backend } from '../lib/ao/quantization/engine';
import * as nniqat from '../lib/nn/intrinsic/qat';
import { runPython } from './helpers/python';
import { PY_DESCRIBE_QUANTIZED, describeStateDict, resetQuantizedEngineEachTest } from './helpers/quantized';
import { errorTable } from './helpers/error-oracle';

resetQuantizedEngineEachTest();

const PY = `
import torch.nn as nn
from torch.ao.quantization import *
import warnings
warnings.simplefilter('ignore')
def make_model(seed):
    torch.manual_seed(seed)
    m = nn.Sequential(QuantStub(), nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU()), nn.Flatten(), nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 5), DeQuantStub())
    for i in range(2):
        torch.manual_seed(50 + i)
        m(torch.randn(4, 3, 6, 6) * 2 + 0.5)
    return m
def batch(i):
    torch.manual_seed(70 + i)
    return torch.randn(4, 3, 6, 6) * 2, torch.randn(4, 5)
def test_input():
    torch.manual_seed(99)
    return torch.randn(3, 3, 6, 6) * 2
${PY_DESCRIBE_QUANTIZED}
def train(m, steps):
    opt = torch.optim.SGD(m.parameters(), lr=0.05)
    trace = []
    for i in range(steps):
        x, t = batch(i)
        opt.zero_grad()
        y = m(x)
        loss = ((y - t) ** 2).mean()
        loss.backward()
        trace.append({'y': y.tolist(), 'grads': {k: p.grad.tolist() for k, p in m.named_parameters()}})
        opt.step()
    return trace
`;
function makeModel(seed: number): nn.Sequential {
  torch.manualSeed(seed);
  const m = new nn.Sequential(
    new Q.QuantStub(),
    new nn.Sequential(new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU()),
    new nn.Flatten(),
    new nn.Linear(64, 8),
    new nn.ReLU(),
    new nn.Linear(8, 5),
    new Q.DeQuantStub(),
  );
  for (let i = 0; i < 2; i++) {
    torch.manualSeed(50 + i);
    m(torch.randn(4, 3, 6, 6).mul(2).add(0.5));
  }
  return m;
}
function batch(i: number): [torch.Tensor, torch.Tensor] {
  torch.manualSeed(70 + i);
  return [torch.randn(4, 3, 6, 6).mul(2), torch.randn(4, 5)];
}
function testInput(): torch.Tensor {
  torch.manualSeed(99);
  return torch.randn(3, 3, 6, 6).mul(2);
}
// the sign of a zero gradient is not part of the contract (JSON and toEqual would tell -0 from 0)
const unsign = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(unsign);
  if (typeof v === 'number') return v + 0;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsign(x)]));
  return v;
};

function train(m: nn.Module, steps: number): unknown[] {
  const opt = new optim.SGD(m.parameters(), { lr: 0.05 });
  const trace: unknown[] = [];
  for (let i = 0; i < steps; i++) {
    const [x, t] = batch(i);
    opt.zeroGrad();
    const y = m(x) as torch.Tensor;
    const loss = y.sub(t).pow(2).mean();
    loss.backward();
    const grads: Record<string, unknown> = {};
    for (const [k, p] of m.namedParameters()) grads[k] = p.grad!.tolist();
    trace.push({ y: y.tolist(), grads });
    opt.step();
  }
  return trace;
}

describe('fuse_modules (eval) by nested names', () => {
  const py = runPython<{ repr: string; sd: Record<string, unknown>; out: number[][]; same: boolean }>(`${PY}
m = make_model(0).eval()
f = fuse_modules(m, [['1.0', '1.1', '1.2'], ['3', '4']])
result = {'repr': repr(f), 'sd': describe_sd(f.state_dict()), 'out': f(test_input()).tolist(), 'same': f is m}
`);
  test('ConvReLU2d over the folded conv, LinearReLU, Identity in the other slots', () => {
    const m = makeModel(0).eval();
    const f = Q.fuseModules(m, [['1.0', '1.1', '1.2'], ['3', '4']]);
    expect(f === m).toBe(py.same);
    expect(String(f)).toBe(py.repr);
    expect(describeStateDict(f.stateDict())).toEqual(py.sd);
    const got = (f(testInput()) as torch.Tensor).tolist() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - py.out[i][j])).toBeLessThan(1e-5)));
  });
});

describe('quantization-aware training', () => {
  // [label, fused?, engine, Python qconfig, ours]
  const CASES: [string, boolean, string, string, () => Q.QConfig][] = [
    ["fused, get_default_qat_qconfig('qnnpack')", true, 'qnnpack', "get_default_qat_qconfig('qnnpack')", () => Q.getDefaultQatQconfig('qnnpack')],
    ["fused, get_default_qat_qconfig('onednn', 0)", true, 'onednn', "get_default_qat_qconfig('onednn', 0)", () => Q.getDefaultQatQconfig('onednn', 0)],
    ['unfused, default_qat_qconfig', false, 'qnnpack', 'default_qat_qconfig', () => Q.defaultQatQconfig],
  ];
  const py = runPython<{ prepared: string; trace: unknown[]; qparams: Record<string, unknown>; converted: string; sd: Record<string, unknown>; out: number[][] }[]>(`${PY}
result = []
for fused, engine, qc in ${JSON.stringify(CASES.map((c) => [c[1] ? 1 : 0, c[2], c[3]]))}:
    torch.backends.quantized.engine = engine
    m = make_model(0).train()
    if fused:
        m = fuse_modules_qat(m, [['1.0', '1.1', '1.2'], ['3', '4']])
    m.qconfig = eval(qc)
    p = prepare_qat(m)
    prepared = repr(p)
    trace = train(p, 3)
    qparams = {k: [t.tolist() for t in v.calculate_qparams()] for k, v in p.named_modules() if isinstance(v, FakeQuantizeBase)}
    r = {'prepared': prepared, 'trace': trace, 'qparams': qparams}
    p.eval()
    q = convert(p)
    r.update(converted=repr(q), sd=describe_sd(q.state_dict()), out=q(test_input()).tolist())
    result.append(r)
`);
  CASES.forEach(([label, fused, engine, , qconfig], i) => {
    test(label, () => {
      backend.engine = engine;
      let m: nn.Module = makeModel(0).train();
      if (fused) m = Q.fuseModulesQat(m, [['1.0', '1.1', '1.2'], ['3', '4']]);
      (m as unknown as { qconfig: Q.QConfig }).qconfig = qconfig();
      const p = Q.prepareQat(m);
      expect(String(p)).toBe(py[i].prepared);
      expect(unsign(train(p, 3))).toEqual(unsign(py[i].trace));
      const qparams: Record<string, unknown> = {};
      for (const [k, v] of p.namedModules()) if (v instanceof Q.FakeQuantizeBase) qparams[k] = v.calculateQparams().map((t) => t.tolist());
      expect(qparams).toEqual(py[i].qparams);
      p.eval();
      const q = Q.convert(p);
      expect(String(q)).toBe(py[i].converted);
      expect(describeStateDict(q.stateDict())).toEqual(py[i].sd);
      expect((q(testInput()) as torch.Tensor).tolist()).toEqual(py[i].out);
    });
  });
});

describe('QAT state_dict interop and the observer/BN switches', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qat-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const FUSE = [['1.0', '1.1', '1.2'], ['3', '4']];

  test("ours loads Python's trained QAT state_dict (per-channel fake-quant buffers resized) and converts alike", async () => {
    backend.engine = 'onednn';
    const file = path.join(dir, 'py-qat.pt');
    const py = runPython<{ out: number[][] }>(`${PY}
torch.backends.quantized.engine = 'onednn'
m = fuse_modules_qat(make_model(0).train(), ${JSON.stringify(FUSE)})
m.qconfig = get_default_qat_qconfig('onednn', 0)
p = prepare_qat(m)
train(p, 2)
torch.save(p.state_dict(), ${JSON.stringify(file)})
result = {'out': convert(p.eval())(test_input()).tolist()}
`);
    const m = Q.fuseModulesQat(makeModel(5).train(), FUSE);
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQatQconfig('onednn', 0);
    const p = Q.prepareQat(m);
    p.loadStateDict(await torch.load(file));
    expect((Q.convert(p.eval())(testInput()) as torch.Tensor).tolist()).toEqual(py.out);
  });

  test('disable_observer and freeze_bn_stats from the second step, as the QAT tutorial does', () => {
    backend.engine = 'qnnpack';
    const py = runPython<unknown[]>(`${PY}
import torch.nn.intrinsic.qat as nniqat
m = fuse_modules_qat(make_model(0).train(), ${JSON.stringify(FUSE)})
m.qconfig = get_default_qat_qconfig('qnnpack')
p = prepare_qat(m)
trace = train(p, 1)
p.apply(disable_observer)
p.apply(nniqat.freeze_bn_stats)
trace += train(p, 2)
result = trace
`);
    const m = Q.fuseModulesQat(makeModel(0).train(), FUSE);
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQatQconfig('qnnpack');
    const p = Q.prepareQat(m);
    const trace = train(p, 1);
    p.apply(Q.disableObserver);
    p.apply(nniqat.freezeBnStats);
    trace.push(...train(p, 2));
    expect(unsign(trace)).toEqual(unsign(py));
  });
});

describe('fuser errors', () => {
  errorTable(
    [
      ['fuse_known_modules([nn.Conv2d(3, 4, 3), nn.BatchNorm2d(5)], True)', () => Q.fuseKnownModules([new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(5)], true)],
      ['fuse_known_modules([nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4, affine=False)], True)', () => Q.fuseKnownModules([new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(4, { affine: false })], true)],
      ['fuse_known_modules([nn.Linear(3, 4), nn.BatchNorm1d(4, track_running_stats=False)], True)', () => Q.fuseKnownModules([new nn.Linear(3, 4), new nn.BatchNorm1d(4, { trackRunningStats: false })], true)],
      ['fuse_known_modules([nn.ConvTranspose2d(3, 4, 3), nn.BatchNorm2d(4)], True)', () => Q.fuseKnownModules([new nn.ConvTranspose2d(3, 4, 3), new nn.BatchNorm2d(4)], true)],
      ['fuse_known_modules([nn.Conv2d(3, 4, 3).eval(), nn.BatchNorm2d(4)], False)', () => Q.fuseKnownModules([new nn.Conv2d(3, 4, 3).eval(), new nn.BatchNorm2d(4)], false)],
      ['fuse_known_modules([nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4)], False)', () => Q.fuseKnownModules([new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(4)], false)],
      ['fuse_known_modules([nn.Linear(3, 4), nn.Conv2d(3, 4, 3)], False)', () => Q.fuseKnownModules([new nn.Linear(3, 4), new nn.Conv2d(3, 4, 3)], false)],
    ],
    { prelude: 'import torch.nn as nn\nfrom torch.ao.quantization.fuse_modules import fuse_known_modules' },
  );
});
