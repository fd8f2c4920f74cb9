// Whole-module torch.save / torch.load of converted (quantized) models against PyTorch 1.13, both ways:
// nn.quantized Quantize / Linear (its LinearPackedParams: a torch.ScriptObject in Python's pickle) /
// convs (pickled by Python as a __getstate__ tuple) / nn.intrinsic.quantized ConvReLU2d / DeQuantize,
// nn.quantized.dynamic Linear / LSTM / GRU (PackedParameter: a CellParamsBase ScriptObject).
// Each side builds its model, runs it and saves it with its output; the other side loads it, runs it
// on the same input, and the outputs must be int_repr-equal (quantized) or equal (dequantized).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { Module } from '../lib/nn/module';
import { runPythonShared as runPython } from './helpers/python-session';
import { QUANT_HELPERS } from './serialization-module-harness';
import * as vision from '../lib/vision';
import { QConfig, defaultObserver, defaultWeightObserver, prepare, convert } from '../lib/ao/quantization';

// qnnpack on both sides: the engine of quantized models on ARM and of torchvision's quantized weights.
// Set for this file only: later files in the same jest worker expect the default engine.
const engineBefore = torch.backends.quantized.engine;
torch.backends.quantized.engine = 'qnnpack';
afterAll(() => {
  torch.backends.quantized.engine = engineBefore;
});
const nnq = nn.quantized;

interface Case {
  name: string;
  input: number[];
  /** Python: a function body returning the model (nnq, nniq, torch in scope), the RNG seeded */
  py: string;
  js: () => Module;
  /** Python classes the loaded model must hold */
  classes: string[];
}

const qweight = (shape: number[]): Tensor => torch.quantizePerTensor(torch.randn(shape), 0.02, 0, torch.qint8);

const CASES: Case[] = [
  {
    name: 'Linear, quantized output',
    input: [5, 4],
    py: `lin = nnq.Linear(4, 3)
    lin.set_weight_bias(torch.quantize_per_tensor(torch.randn(3, 4), 0.02, 3, torch.qint8), torch.randn(3))
    lin.scale, lin.zero_point = 0.03, 60
    return nn.Sequential(nnq.Quantize(0.05, 64, torch.quint8), lin, nnq.Linear(3, 2, bias_=False))`,
    js: () => {
      const lin = new nnq.Linear(4, 3);
      lin.setWeightBias(torch.quantizePerTensor(torch.randn([3, 4]), 0.02, 3, torch.qint8), torch.randn([3]));
      lin.scale = 0.03;
      lin.zeroPoint = 60;
      return new nn.Sequential(new nnq.Quantize(0.05, 64, torch.quint8), lin, new nnq.Linear(3, 2, { bias_: false }));
    },
    classes: ['torch.ao.nn.quantized.modules.Quantize', 'torch.ao.nn.quantized.modules.linear.Linear', 'torch.ao.nn.quantized.modules.linear.LinearPackedParams'],
  },
  {
    name: 'convs, dequantized output',
    input: [1, 2, 7, 7],
    py: `c1 = nnq.Conv2d(2, 3, 3, padding=1)
    c1.set_weight_bias(torch.quantize_per_tensor(torch.randn(3, 2, 3, 3), 0.02, 0, torch.qint8), torch.randn(3))
    c1.scale, c1.zero_point = 0.04, 70
    c2 = nniq.ConvReLU2d(3, 4, 2, stride=2, bias=False)
    c2.set_weight_bias(torch.quantize_per_tensor(torch.randn(4, 3, 2, 2), 0.02, 0, torch.qint8), None)
    c2.scale, c2.zero_point = 0.05, 0
    c3 = nnq.ConvTranspose2d(4, 2, 3, stride=2)
    c3.set_weight_bias(torch.quantize_per_tensor(torch.randn(4, 2, 3, 3), 0.02, 0, torch.qint8), torch.randn(2))
    c3.scale, c3.zero_point = 0.06, 50
    return nn.Sequential(nnq.Quantize(0.05, 64, torch.quint8), c1, c2, c3, nnq.DeQuantize())`,
    js: () => {
      const c1 = new nnq.Conv2d(2, 3, 3, { padding: 1 });
      c1.setWeightBias(qweight([3, 2, 3, 3]), torch.randn([3]));
      c1.scale = 0.04;
      c1.zeroPoint = 70;
      const c2 = new nn.intrinsic.quantized.ConvReLU2d(3, 4, 2, { stride: 2, bias: false });
      c2.setWeightBias(qweight([4, 3, 2, 2]), null);
      c2.scale = 0.05;
      const c3 = new nnq.ConvTranspose2d(4, 2, 3, { stride: 2 });
      c3.setWeightBias(qweight([4, 2, 3, 3]), torch.randn([2]));
      c3.scale = 0.06;
      c3.zeroPoint = 50;
      return new nn.Sequential(new nnq.Quantize(0.05, 64, torch.quint8), c1, c2, c3, new nnq.DeQuantize());
    },
    classes: ['torch.ao.nn.quantized.modules.conv.Conv2d', 'torch.nn.intrinsic.quantized.modules.conv_relu.ConvReLU2d', 'torch.ao.nn.quantized.modules.conv.ConvTranspose2d', 'torch.ao.nn.quantized.modules.DeQuantize'],
  },
  {
    name: 'dynamic Linear',
    input: [5, 4],
    py: `lin = nnq.dynamic.Linear(4, 3)
    lin.set_weight_bias(torch.quantize_per_tensor(torch.randn(3, 4), 0.02, 0, torch.qint8), torch.randn(3))
    return nn.Sequential(lin, nn.ReLU())`,
    js: () => {
      const lin = new nnq.dynamic.Linear(4, 3);
      lin.setWeightBias(qweight([3, 4]), torch.randn([3]));
      return new nn.Sequential(lin, new nn.ReLU());
    },
    classes: ['torch.ao.nn.quantized.dynamic.modules.linear.Linear', 'torch.ao.nn.quantized.modules.linear.LinearPackedParams'],
  },
  {
    name: 'dynamic LSTM and GRU',
    input: [3, 2, 3],
    py: `return nn.ModuleList([nnq.dynamic.LSTM(3, 4, num_layers=2), nnq.dynamic.GRU(3, 5, bidirectional=True)])`,
    js: () => new nn.ModuleList([new nnq.dynamic.LSTM(3, 4, { numLayers: 2 }), new nnq.dynamic.GRU(3, 5, { bidirectional: true })]),
    classes: ['torch.ao.nn.quantized.dynamic.modules.rnn.LSTM', 'torch.ao.nn.quantized.dynamic.modules.rnn.GRU', 'torch.ao.nn.quantized.dynamic.modules.rnn.PackedParameter'],
  },
];

/** A model's outputs: a ModuleList's members each run on the input; an RNN's output without its state. */
function runCase(m: Module, x: Tensor): Tensor {
  const first = (o: unknown): Tensor => (Array.isArray(o) ? (o[0] as Tensor) : (o as Tensor));
  if (m instanceof nn.ModuleList) return torch.cat([...m].map((c) => first(c(x)).flatten()));
  return first(m(x));
}

const sameOutput = (a: Tensor, b: Tensor): boolean => (a.isQuantized ? a.intRepr().equal(b.intRepr()) : a.equal(b));

describe('whole quantized modules, both ways with Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qmodule-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  CASES.forEach((c, i) => {
    torch.manualSeed(i);
    const m = c.js();
    const x = torch.randn(c.input);
    torch.saveSync({ model: m, x, out: runCase(m, x) }, path.join(dir, `js-${i}.pt`));
  });
  const py = runPython<{ classes: string[]; same: boolean; repr: string }[]>(`
import torch.nn as nn
import torch.ao.nn.quantized as nnq
import torch.nn.intrinsic.quantized as nniq
torch.backends.quantized.engine = 'qnnpack'
${CASES.map((c, i) => `def make_${i}():\n    ${c.py}\n`).join('\n')}
DIR = ${JSON.stringify(dir)}
def run_case(m, x):
    first = lambda o: o[0] if isinstance(o, tuple) else o
    if isinstance(m, nn.ModuleList): return torch.cat([first(c(x)).flatten() for c in m])
    return first(m(x))
result = []
for i in range(${CASES.length}):
    b = torch.load(f'{DIR}/js-{i}.pt')
    m = b['model']
    out, ref = run_case(m, b['x']), b['out']
    same = out.int_repr().equal(ref.int_repr()) if out.is_quantized else out.equal(ref)
    torch.manual_seed(i)
    mine = globals()[f'make_{i}']()
    x = torch.randn(b['x'].shape)
    torch.save({'model': mine, 'x': x, 'out': run_case(mine, x)}, f'{DIR}/py-{i}.pt')
    result.append({'classes': [type(c).__module__ + '.' + type(c).__name__ for c in m.modules()], 'same': same, 'repr': repr(mine)})
`);

  CASES.forEach((c, i) => {
    it(`${c.name}: ours loads in Python as its quantized classes, with equal outputs`, () => {
      for (const cls of c.classes) expect(py[i].classes).toContain(cls);
      expect(py[i].same).toBe(true);
    });

    it(`${c.name}: Python's loads here, with equal outputs and repr`, () => {
      const b = torch.loadSync(path.join(dir, `py-${i}.pt`)) as { model: Module; x: Tensor; out: Tensor };
      expect(String(b.model)).toBe(py[i].repr);
      const out = runCase(b.model, b.x);
      expect(sameOutput(out, b.out)).toBe(true);
      // saved again by us and loaded again here: still the same
      const again = torch.loadSync(torch.saveSync(b.model)) as Module;
      expect(sameOutput(runCase(again, b.x), out)).toBe(true);
    });
  });
});

// torchvision's quantizable models as a user converts them (fuse, prepare, calibrate, convert), on
// qnnpack; with the quantized output of an inner block too (`probe`: a randomly initialised model's
// final output can be constant, its features are not)
type Fusable = Module & { fuseModel(isQat?: boolean | null): void };
const VISION: { name: string; make: () => Module; probe: string }[] = [
  { name: 'resnet18', make: () => vision.models.quantization.resnet18(), probe: 'layer4' },
  { name: 'mobilenet_v2', make: () => vision.models.quantization.mobilenetV2(), probe: 'features.10' },
];

function convertedJs(make: () => Module, calibration: Tensor): Module {
  const m = make() as Fusable;
  m.eval();
  m.fuseModel();
  (m as unknown as { qconfig: QConfig }).qconfig = new QConfig(defaultObserver, defaultWeightObserver);
  prepare(m, { inplace: true });
  m(calibration);
  return convert(m, { inplace: true });
}

/** The model's output and the int_repr of its `probe` submodule's (a hook removed before saving). */
function runProbed(m: Module, probe: string, x: Tensor): { out: Tensor; inner: Tensor } {
  let inner: Tensor | undefined;
  const handle = m.getSubmodule(probe).registerForwardHook((_m, _in, o) => {
    inner = (o as Tensor).intRepr();
  });
  const out = m(x) as Tensor;
  handle.remove();
  return { out, inner: inner! };
}

describe('whole converted torchvision models (qnnpack), both ways with Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qvision-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  VISION.forEach(({ name, make, probe }, i) => {
    torch.manualSeed(i);
    const x = torch.randn([1, 3, 32, 32]);
    const m = convertedJs(make, torch.randn([2, 3, 32, 32]));
    torch.saveSync({ model: m, x, ...runProbed(m, probe, x) }, path.join(dir, `js-${name}.pt`));
  });
  const py = runPython<{ same: boolean; sameInner: boolean; repr: string }[]>(`
import sys
import torchvision
from torchvision.models import quantization as tq
sys.path.insert(0, ${JSON.stringify(QUANT_HELPERS)})
from quant_checkpoint import run_probed
torch.backends.quantized.engine = 'qnnpack'
DIR = ${JSON.stringify(dir)}
result = []
for i, (name, probe) in enumerate(${JSON.stringify(VISION.map((v) => [v.name, v.probe]))}):
    b = torch.load(f'{DIR}/js-{name}.pt')
    out, inner = run_probed(b['model'], probe, b['x'])
    torch.manual_seed(i)
    m = getattr(tq, name)(weights=None, quantize=False).eval()
    m.fuse_model()
    m.qconfig = torch.ao.quantization.QConfig(activation=torch.ao.quantization.default_observer, weight=torch.ao.quantization.default_weight_observer)
    torch.ao.quantization.prepare(m, inplace=True)
    m(torch.randn(2, 3, 32, 32))
    torch.ao.quantization.convert(m, inplace=True)
    x = torch.randn(1, 3, 32, 32)
    mine_out, mine_inner = run_probed(m, probe, x)
    torch.save({'model': m, 'x': x, 'out': mine_out, 'inner': mine_inner}, f'{DIR}/py-{name}.pt')
    result.append({'same': out.equal(b['out']), 'sameInner': inner.equal(b['inner']), 'repr': repr(m)})
`);

  VISION.forEach(({ name, probe }, i) => {
    it(`${name}: ours loads in Python and gives the same output (int_repr-equal inside)`, () => {
      expect(py[i].same).toBe(true);
      expect(py[i].sameInner).toBe(true);
    });
    it(`${name}: Python's loads here with the same output (int_repr-equal inside) and repr`, () => {
      const b = torch.loadSync(path.join(dir, `py-${name}.pt`)) as { model: Module; x: Tensor; out: Tensor; inner: Tensor };
      expect(String(b.model)).toBe(py[i].repr);
      expect(b.inner.float().std().item()).toBeGreaterThan(0); // not a degenerate (constant) block output
      const { out, inner } = runProbed(b.model, probe, b.x);
      expect(out.equal(b.out)).toBe(true);
      expect(inner.equal(b.inner)).toBe(true);
    });
  });
});
