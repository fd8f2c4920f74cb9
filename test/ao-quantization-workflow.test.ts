// The eager-mode static quantization workflow against PyTorch 1.13 in the same run: the same small
// model (stubs, conv-bn-relu, linear) built from the same seed, prepared, calibrated on the same
// batches and converted in both languages; the observers' qparams, the converted model's repr,
// state_dict (int_repr, scales, zero points) and outputs must be equal, and Python must load our
// converted state_dict into its own converted model and compute the same.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as Q from '../lib/ao/quantization';
import { quantized as backend } from '../lib/ao/quantization/engine';
import { runPython } from './helpers/python';
import { PY_DESCRIBE_QUANTIZED, describeStateDict, resetQuantizedEngineEachTest } from './helpers/quantized';
import { errorTable } from './helpers/error-oracle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qworkflow-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
resetQuantizedEngineEachTest();

export const PY_MODEL = `
import torch.nn as nn
from torch.ao.quantization import *
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(64, 8)
        self.relu2 = nn.ReLU()
        self.fc2 = nn.Linear(8, 5)
        self.dequant = DeQuantStub()
    def forward(self, x):
        x = self.quant(x)
        x = self.relu(self.bn(self.conv(x)))
        x = torch.flatten(x, 1)
        x = self.fc2(self.relu2(self.fc(x)))
        return self.dequant(x)
def make_model(seed):
    torch.manual_seed(seed)
    m = M()
    for i in range(2):
        torch.manual_seed(50 + i)
        m(torch.randn(4, 3, 6, 6) * 2 + 0.5)
    return m.eval()
def calib():
    out = []
    for i in range(3):
        torch.manual_seed(60 + i)
        out.append(torch.randn(4, 3, 6, 6) * (i + 1))
    return out
def test_input():
    torch.manual_seed(99)
    return torch.randn(3, 3, 6, 6) * 2
${PY_DESCRIBE_QUANTIZED}
`;

class M extends nn.Module {
  quant = new Q.QuantStub();
  conv = new nn.Conv2d(3, 4, 3);
  bn = new nn.BatchNorm2d(4);
  relu = new nn.ReLU();
  fc = new nn.Linear(64, 8);
  relu2 = new nn.ReLU();
  fc2 = new nn.Linear(8, 5);
  dequant = new Q.DeQuantStub();
  forward(x: torch.Tensor): torch.Tensor {
    x = this.quant(x);
    x = this.relu(this.bn(this.conv(x)));
    x = torch.flatten(x, 1);
    x = this.fc2(this.relu2(this.fc(x)));
    return this.dequant(x);
  }
}
function makeModel(seed: number): M {
  torch.manualSeed(seed);
  const m = new M();
  for (let i = 0; i < 2; i++) {
    torch.manualSeed(50 + i);
    m(torch.randn(4, 3, 6, 6).mul(2).add(0.5));
  }
  return m.eval();
}
function calib(): torch.Tensor[] {
  return [0, 1, 2].map((i) => {
    torch.manualSeed(60 + i);
    return torch.randn(4, 3, 6, 6).mul(i + 1);
  });
}
function testInput(): torch.Tensor {
  torch.manualSeed(99);
  return torch.randn(3, 3, 6, 6).mul(2);
}

interface Run { prepared: string; observers: Record<string, unknown>; converted: string; sd: Record<string, unknown>; out: number[][] }

// [label, engine, Python qconfig expression, ours, fused]
const CONFIGS: [string, string, string, () => Q.QConfig, boolean][] = [
  ["get_default_qconfig('qnnpack') on qnnpack", 'qnnpack', "get_default_qconfig('qnnpack')", () => Q.getDefaultQconfig('qnnpack'), false],
  ["get_default_qconfig('onednn') on onednn", 'onednn', "get_default_qconfig('onednn')", () => Q.getDefaultQconfig('onednn'), false],
  ['default_qconfig on qnnpack', 'qnnpack', 'default_qconfig', () => Q.defaultQconfig, false],
  ["fused conv-bn-relu and linear-relu, get_default_qconfig('qnnpack') on qnnpack", 'qnnpack', "get_default_qconfig('qnnpack')", () => Q.getDefaultQconfig('qnnpack'), true],
  ["fused conv-bn-relu and linear-relu, get_default_qconfig('x86') on onednn", 'onednn', "get_default_qconfig('x86')", () => Q.getDefaultQconfig('x86'), true],
];
const FUSE = [['conv', 'bn', 'relu'], ['fc', 'relu2']];

describe('prepare, calibrate, convert', () => {
  const py = runPython<Run[]>(`${PY_MODEL}
import warnings
warnings.simplefilter('ignore')
result = []
for engine, qc, fused in ${JSON.stringify(CONFIGS.map((c) => [c[1], c[2], c[4] ? 1 : 0]))}:
    torch.backends.quantized.engine = engine
    m = make_model(0)
    if fused:
        fuse_modules(m, ${JSON.stringify(FUSE)}, inplace=True)
    m.qconfig = eval(qc)
    p = prepare(m)
    for x in calib():
        p(x)
    obs = {k: [v.tolist() for v in o.calculate_qparams()] for k, o in [(n, mod.activation_post_process) for n, mod in p.named_modules() if hasattr(mod, 'activation_post_process')]}
    q = convert(p)
    result.append({'prepared': repr(p), 'observers': obs, 'converted': repr(q), 'sd': describe_sd(q.state_dict()), 'out': q(test_input()).tolist()})
`);
  CONFIGS.forEach(([label, engine, , qconfig, fused], i) => {
    test(label, () => {
      backend.engine = engine;
      const m = makeModel(0);
      if (fused) Q.fuseModules(m, FUSE, { inplace: true });
      (m as unknown as { qconfig: Q.QConfig }).qconfig = qconfig();
      const p = Q.prepare(m);
      for (const x of calib()) p(x);
      const observers: Record<string, unknown> = {};
      for (const [name, mod] of p.namedModules()) {
        const app = (mod as unknown as { activation_post_process?: Q.ObserverBase }).activation_post_process;
        if (app) observers[name] = app.calculateQparams().map((t) => t.tolist());
      }
      expect(String(p)).toBe(py[i].prepared);
      expect(observers).toEqual(py[i].observers);
      const q = Q.convert(p);
      expect(String(q)).toBe(py[i].converted);
      expect(describeStateDict(q.stateDict())).toEqual(py[i].sd);
      expect(q(testInput()).tolist()).toEqual(py[i].out);
    });
  });
});

describe('state_dict interop through torch.save files', () => {
  test("Python loads our converted state_dict into its converted model and computes the same", async () => {
    backend.engine = 'qnnpack';
    const calibrated = (seed: number) => {
      const m = makeModel(seed);
      (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('qnnpack');
      const p = Q.prepare(m);
      for (const x of calib()) p(x);
      return Q.convert(p);
    };
    const q = calibrated(0);
    const file = path.join(dir, 'js-static.pt');
    await torch.save(q.stateDict(), file);
    const py = runPython<{ sd: Record<string, unknown>; out: number[][] }>(`${PY_MODEL}
torch.backends.quantized.engine = 'qnnpack'
m = make_model(5)
m.qconfig = get_default_qconfig('qnnpack')
p = prepare(m)
p(calib()[0] * 0.1)
q = convert(p)
q.load_state_dict(torch.load(${JSON.stringify(file)}))
result = {'sd': describe_sd(q.state_dict()), 'out': q(test_input()).tolist()}
`);
    expect(describeStateDict(q.stateDict())).toEqual(py.sd);
    expect(q(testInput()).tolist()).toEqual(py.out);
  });

  test("ours loads Python's converted state_dict", async () => {
    backend.engine = 'qnnpack';
    const file = path.join(dir, 'py-static.pt');
    const py = runPython<{ out: number[][] }>(`${PY_MODEL}
torch.backends.quantized.engine = 'qnnpack'
m = make_model(0)
m.qconfig = get_default_qconfig('qnnpack')
q = quantize(m, lambda model, xs: [model(x) for x in xs], [calib()])
torch.save(q.state_dict(), ${JSON.stringify(file)})
result = {'out': q(test_input()).tolist()}
`);
    const m = makeModel(5);
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('qnnpack');
    const q = Q.quantize(m, (model, xs) => (xs as torch.Tensor[]).forEach((x) => model(x)), [[torch.randn(2, 3, 6, 6)]]);
    q.loadStateDict(await torch.load(file));
    expect(q(testInput()).tolist()).toEqual(py.out);
  });
});

describe('observer state_dicts', () => {
  test("load_observer_state_dict of Python's calibrated observers, then convert: Python's outputs", async () => {
    backend.engine = 'onednn';
    const file = path.join(dir, 'py-observers.pt');
    const py = runPython<{ keys: string[]; out: number[][] }>(`${PY_MODEL}
from torch.ao.quantization.observer import get_observer_state_dict
torch.backends.quantized.engine = 'onednn'
m = make_model(0)
m.qconfig = get_default_qconfig('onednn')
p = prepare(m)
for x in calib():
    p(x)
torch.save(get_observer_state_dict(p), ${JSON.stringify(file)})
result = {'keys': list(get_observer_state_dict(p).keys()), 'out': convert(p)(test_input()).tolist()}
`);
    const m = makeModel(0);
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('onednn');
    const p = Q.prepare(m);
    p(testInput());
    expect(Object.keys(Q.getObserverStateDict(p))).toEqual(py.keys);
    Q.loadObserverStateDict(p, await torch.load(file));
    expect(Q.convert(p)(testInput()).tolist()).toEqual(py.out);
  });
});

describe('quantize() and errors', () => {
  test('quantize(model, runFn, runArgs) equals prepare + calibrate + convert, leaving the model alone', () => {
    backend.engine = 'qnnpack';
    const m = makeModel(0);
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.defaultQconfig;
    const before = String(m);
    const q = Q.quantize(m, (model, ...xs) => xs.forEach((x) => model(x as torch.Tensor)), calib());
    expect(String(m)).toBe(before);
    const p = Q.prepare(m);
    for (const x of calib()) p(x);
    expect(q(testInput()).tolist()).toEqual(Q.convert(p)(testInput()).tolist());
  });

  errorTable(
    [
      ['prepare_qat(make_model(0).eval())', () => Q.prepareQat(makeModel(0).eval())],
      ["get_default_qconfig('fbgemm', 1)", () => Q.getDefaultQconfig('fbgemm', 1)],
      ["get_default_qat_qconfig('fbgemm', 2)", () => Q.getDefaultQatQconfig('fbgemm', 2)],
      ['QConfig(MinMaxObserver(), default_weight_observer)', () => new Q.QConfig(new Q.MinMaxObserver() as never, Q.defaultWeightObserver)],
      ["fuse_modules(make_model(0), ['conv', 'conv'])", () => Q.fuseModules(makeModel(0), ['conv', 'conv'])],
      ["fuse_modules(make_model(0).train(), ['conv', 'bn'])", () => Q.fuseModules(makeModel(0).train(), ['conv', 'bn'])],
      ["fuse_modules(make_model(0), ['conv', 'nothere'])", () => Q.fuseModules(makeModel(0), ['conv', 'nothere'])],
      ['MinMaxObserver(qscheme=torch.per_channel_affine)', () => new Q.MinMaxObserver({ qscheme: torch.perChannelAffine })],
      ['PerChannelMinMaxObserver(qscheme=torch.per_tensor_affine)', () => new Q.PerChannelMinMaxObserver({ qscheme: torch.perTensorAffine })],
      ['HistogramObserver(qscheme=torch.per_channel_symmetric)', () => new Q.HistogramObserver({ qscheme: torch.perChannelSymmetric })],
      ['MinMaxObserver(quant_min=1, quant_max=10)', () => new Q.MinMaxObserver({ quantMin: 1, quantMax: 10 })],
      ['MinMaxObserver(dtype=torch.qint8, quant_min=-200, quant_max=100)', () => new Q.MinMaxObserver({ dtype: torch.qint8, quantMin: -200, quantMax: 100 })],
      ['MinMaxObserver(dtype=torch.float32)', () => new Q.MinMaxObserver({ dtype: torch.float32 })],
      ['MinMaxObserver(qscheme=torch.per_tensor_symmetric, reduce_range=True)', () => new Q.MinMaxObserver({ qscheme: torch.perTensorSymmetric, reduceRange: true })],
      ['PlaceholderObserver().calculate_qparams()', () => new Q.PlaceholderObserver().calculateQparams()],
    ],
    { prelude: `${PY_MODEL}\nimport warnings\nwarnings.simplefilter('ignore')` },
  );
});

describe('FloatFunctional (a residual add) through prepare and convert', () => {
  const PY_SKIP = `
import torch.nn as nn
from torch.ao.quantization import *
class R(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.skip = nn.quantized.FloatFunctional()
        self.dequant = DeQuantStub()
    def forward(self, x):
        x = self.quant(x)
        return self.dequant(self.skip.add(self.conv(x), x))
torch.backends.quantized.engine = 'qnnpack'
torch.manual_seed(3)
m = R().eval()
m.qconfig = get_default_qconfig('qnnpack')
p = prepare(m)
torch.manual_seed(4)
p(torch.randn(2, 3, 5, 5))
prepared = repr(p)
q = convert(p)
torch.manual_seed(5)
result = {'prepared': prepared, 'converted': repr(q), 'out': q(torch.randn(2, 3, 5, 5)).tolist()}
`;
  class R extends nn.Module {
    quant = new Q.QuantStub();
    conv = new nn.Conv2d(3, 3, 3, { padding: 1 });
    skip = new nn.quantized.FloatFunctional();
    dequant = new Q.DeQuantStub();
    forward(x: torch.Tensor): torch.Tensor {
      x = this.quant(x);
      return this.dequant(this.skip.add(this.conv(x), x));
    }
  }
  test('observed, then QFunctional with the observed qparams', () => {
    const py = runPython<{ prepared: string; converted: string; out: unknown }>(PY_SKIP);
    backend.engine = 'qnnpack';
    torch.manualSeed(3);
    const m = new R().eval();
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('qnnpack');
    const p = Q.prepare(m);
    torch.manualSeed(4);
    p(torch.randn(2, 3, 5, 5));
    expect(String(p)).toBe(py.prepared);
    const q = Q.convert(p);
    expect(String(q)).toBe(py.converted);
    torch.manualSeed(5);
    expect(q(torch.randn(2, 3, 5, 5)).tolist()).toEqual(py.out);
  });
});
