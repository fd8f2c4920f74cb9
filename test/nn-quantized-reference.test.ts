// torch.ao.nn.quantized.reference against PyTorch 1.13 in the same run: each reference module built
// from the same seed with the same weight_qparams must print, save (state_dict keys, buffers, qscheme
// and dtype entries) and compute (float outputs, quantized weights) as Python's; convert(...,
// is_reference=True) must produce the same modules; Python's errors where 1.13 raises.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as Q from '../lib/ao/quantization';
import * as nnqr from '../lib/nn/quantized/reference';
import { runPython } from './helpers/python';
import { PY_DESCRIBE_QUANTIZED, describeQuantized, describeStateDict, resetQuantizedEngineEachTest } from './helpers/quantized';
import { errorTable } from './helpers/error-oracle';

resetQuantizedEngineEachTest('qnnpack');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qref-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// [label, Python constructor, ours, Python input(s), our input(s) builder]; all made after seed 0
type Case = [string, string, () => nn.Module, string, () => unknown[]];
const PT = "{'qscheme': torch.per_tensor_affine, 'dtype': torch.qint8, 'scale': 0.02, 'zero_point': 3}";
const pt = () => ({ qscheme: torch.perTensorAffine, dtype: torch.qint8, scale: 0.02, zero_point: 3 });
const PC = (n: number) => `{'qscheme': torch.per_channel_affine, 'dtype': torch.qint8, 'scale': torch.linspace(0.01, 0.03, ${n}), 'zero_point': torch.arange(${n}), 'axis': 0}`;
const pc = (n: number) => ({ qscheme: torch.perChannelAffine, dtype: torch.qint8, scale: torch.linspace(0.01, 0.03, n), zero_point: torch.arange(n), axis: 0 });
const cellDict = (k: string, n: number) => `{'weight_ih': ${k === 'pc' ? PC(n) : PT}, 'weight_hh': ${PT}}`;
const cellDictJs = (k: string, n: number) => ({ weight_ih: k === 'pc' ? pc(n) : pt(), weight_hh: pt() });

const CASES: Case[] = [
  ['Linear, default qparams', 'nnqr.Linear(4, 3)', () => new nnqr.Linear(4, 3), 'torch.randn(2, 4) * 40', () => [torch.randn(2, 4).mul(40)]],
  ['Linear, per tensor qint8', `nnqr.Linear(4, 3, weight_qparams=${PT})`, () => new nnqr.Linear(4, 3, { weightQparams: pt() }), 'torch.randn(2, 4)', () => [torch.randn(2, 4)]],
  ['Linear, per channel, no bias', `nnqr.Linear(4, 3, False, weight_qparams=${PC(3)})`, () => new nnqr.Linear(4, 3, false, { weightQparams: pc(3) }), 'torch.randn(2, 4)', () => [torch.randn(2, 4)]],
  ['Conv1d', `nnqr.Conv1d(2, 3, 3, padding=1, weight_qparams=${PT})`, () => new nnqr.Conv1d(2, 3, 3, { padding: 1, weightQparams: pt() }), 'torch.randn(2, 2, 5)', () => [torch.randn(2, 2, 5)]],
  ['Conv2d per channel', `nnqr.Conv2d(2, 3, 3, stride=2, weight_qparams=${PC(3)})`, () => new nnqr.Conv2d(2, 3, 3, { stride: 2, weightQparams: pc(3) }), 'torch.randn(1, 2, 6, 6)', () => [torch.randn(1, 2, 6, 6)]],
  ['Conv3d', `nnqr.Conv3d(2, 2, 2, groups=2, weight_qparams=${PT})`, () => new nnqr.Conv3d(2, 2, 2, { groups: 2, weightQparams: pt() }), 'torch.randn(1, 2, 3, 3, 3)', () => [torch.randn(1, 2, 3, 3, 3)]],
  ['ConvTranspose1d', `nnqr.ConvTranspose1d(2, 3, 3, stride=2, weight_qparams=${PT})`, () => new nnqr.ConvTranspose1d(2, 3, 3, { stride: 2, weightQparams: pt() }), 'torch.randn(2, 2, 4)', () => [torch.randn(2, 2, 4)]],
  ['ConvTranspose2d per channel (axis 1)', `nnqr.ConvTranspose2d(2, 3, 2, output_padding=1, stride=2, weight_qparams={**${PC(3)}, 'axis': 1})`,
    () => new nnqr.ConvTranspose2d(2, 3, 2, { outputPadding: 1, stride: 2, weightQparams: { ...pc(3), axis: 1 } }), 'torch.randn(1, 2, 3, 3)', () => [torch.randn(1, 2, 3, 3)]],
  ['ConvTranspose3d', `nnqr.ConvTranspose3d(1, 2, 2, weight_qparams=${PT})`, () => new nnqr.ConvTranspose3d(1, 2, 2, { weightQparams: pt() }), 'torch.randn(1, 1, 2, 2, 2)', () => [torch.randn(1, 1, 2, 2, 2)]],
  ['Embedding, per channel float qparams', "nnqr.Embedding(6, 4, padding_idx=1, weight_qparams={'qscheme': torch.per_channel_affine_float_qparams, 'dtype': torch.quint8, 'scale': torch.full((6,), 0.05), 'zero_point': torch.full((6,), 2.0), 'axis': 0})",
    () => new nnqr.Embedding(6, 4, 1, { weightQparams: { qscheme: torch.perChannelAffineFloatQparams, dtype: torch.quint8, scale: torch.full([6], 0.05), zero_point: torch.full([6], 2, { dtype: torch.float32 }), axis: 0 } }),
    'torch.tensor([[0, 1, 5], [2, 2, 3]])', () => [torch.tensor([[0, 1, 5], [2, 2, 3]])]],
  ['EmbeddingBag sum', `nnqr.EmbeddingBag(6, 3, mode='sum', weight_qparams=${PT})`, () => new nnqr.EmbeddingBag(6, 3, { mode: 'sum', weightQparams: pt() }),
    'torch.tensor([0, 4, 5, 1]), torch.tensor([0, 2])', () => [torch.tensor([0, 4, 5, 1]), torch.tensor([0, 2])]],
  ['RNNCell relu', `nnqr.RNNCell(3, 4, nonlinearity='relu', weight_qparams_dict=${cellDict('pc', 4)})`, () => new nnqr.RNNCell(3, 4, { nonlinearity: 'relu', weightQparamsDict: cellDictJs('pc', 4) }),
    'torch.randn(2, 3)', () => [torch.randn(2, 3)]],
  ['LSTMCell', `nnqr.LSTMCell(3, 2, weight_qparams_dict=${cellDict('pt', 8)})`, () => new nnqr.LSTMCell(3, 2, { weightQparamsDict: cellDictJs('pt', 8) }), 'torch.randn(3)', () => [torch.randn(3)]],
  ['GRUCell, default qparams', 'nnqr.GRUCell(3, 2, bias=False)', () => new nnqr.GRUCell(3, 2, false), 'torch.randn(2, 3) * 50', () => [torch.randn(2, 3).mul(50)]],
  ['LSTM, 2 layers bidirectional', `nnqr.LSTM(3, 4, 2, bidirectional=True, weight_qparams_dict={n: ${PC(16)} for n in ['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'weight_ih_l1', 'weight_hh_l1', 'weight_ih_l1_reverse', 'weight_hh_l1_reverse']})`,
    () => new nnqr.LSTM(3, 4, 2, { bidirectional: true, weightQparamsDict: Object.fromEntries(['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'weight_ih_l1', 'weight_hh_l1', 'weight_ih_l1_reverse', 'weight_hh_l1_reverse'].map((n) => [n, pc(16)])) }),
    'torch.randn(5, 2, 3)', () => [torch.randn(5, 2, 3)]],
  ['LSTM, default qparams, batch first', 'nnqr.LSTM(3, 4, batch_first=True)', () => new nnqr.LSTM(3, 4, { batchFirst: true }), 'torch.randn(2, 5, 3) * 30', () => [torch.randn(2, 5, 3).mul(30)]],
];

interface Run { repr: string; sd: Record<string, unknown>; out: unknown; qweights: unknown }
const PY_PRELUDE = `
import warnings
warnings.simplefilter('ignore')
import torch.ao.nn.quantized.reference as nnqr
from torch.ao.quantization import *
${PY_DESCRIBE_QUANTIZED}
def qweights(m):
    if hasattr(m, 'get_quantized_weight'):
        return describe(m.get_quantized_weight())
    if hasattr(m, 'get_quantized_weight_ih'):
        return describe([m.get_quantized_weight_ih(), m.get_quantized_weight_hh()])
    return {k: describe(v) for k, v in m.get_quantized_weight_bias_dict().items()}
`;

function qweights(m: nn.Module): unknown {
  const r = m as unknown as Record<string, () => unknown>;
  if (typeof r.getQuantizedWeight === 'function') return describeQuantized(r.getQuantizedWeight());
  if (typeof r.getQuantizedWeightIh === 'function') return describeQuantized([r.getQuantizedWeightIh(), r.getQuantizedWeightHh()]);
  return Object.fromEntries(Object.entries((m as nnqr.LSTM).getQuantizedWeightBiasDict()).map(([k, v]) => [k, describeQuantized(v)]));
}

describe('reference modules: repr, state_dict, forward, quantized weights', () => {
  const py = runPython<Run[]>(`${PY_PRELUDE}
result = []
for ctor, inputs in ${JSON.stringify(CASES.map((c) => [c[1], c[3]]))}:
    torch.manual_seed(0)
    m = eval(ctor)
    torch.manual_seed(1)
    xs = eval('(' + inputs + ',)')
    result.append({'repr': repr(m), 'sd': describe_sd(m.state_dict()), 'out': describe(m(*xs)), 'qweights': qweights(m)})
`);
  CASES.forEach(([label, , make, , inputs], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const m = make();
      torch.manualSeed(1);
      const xs = inputs();
      expect(String(m)).toBe(py[i].repr);
      expect(describeStateDict(m.stateDict())).toEqual(py[i].sd);
      expect(qweights(m)).toEqual(py[i].qweights);
      const out = describeQuantized((m as unknown as (...a: unknown[]) => unknown)(...xs));
      expect(out).toEqual(py[i].out);
    });
  });
});

const PY_MODEL = `${PY_PRELUDE}
import torch.nn as nn
torch.backends.quantized.engine = 'qnnpack'
def make(seed, stubs):
    torch.manual_seed(seed)
    body = [nn.Conv2d(2, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 4)]
    m = nn.Sequential(*([QuantStub()] + body + [DeQuantStub()] if stubs else body)).eval()
    m.qconfig = get_default_qconfig('x86')
    p = prepare(m)
    torch.manual_seed(seed + 1)
    p(torch.randn(3, 2, 4, 4) * 2)
    return p
def test_input():
    torch.manual_seed(7)
    return torch.randn(2, 2, 4, 4).requires_grad_()
`;
function make(seed: number, stubs: boolean): nn.Module {
  torch.manualSeed(seed);
  const body: nn.Module[] = [new nn.Conv2d(2, 3, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(12, 4)];
  const m = new nn.Sequential(...(stubs ? [new Q.QuantStub(), ...body, new Q.DeQuantStub()] : body)).eval();
  (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('x86');
  const p = Q.prepare(m);
  torch.manualSeed(seed + 1);
  p(torch.randn(3, 2, 4, 4).mul(2));
  return p;
}
function testInput(): torch.Tensor {
  torch.manualSeed(7);
  return torch.randn(2, 2, 4, 4).requiresGrad_();
}

const pyFile = path.join(dir, 'py-ref.pt');
// one Python run for the workflow tests (and the file of the state_dict test)
const PY_RUN = `${PY_MODEL}
from torch.ao.quantization.utils import get_qparam_dict
def qparam_dicts():
    out = []
    for o in [default_per_channel_weight_observer(), default_weight_observer(), default_placeholder_observer(), default_float_qparams_observer(), default_weight_fake_quant()]:
        torch.manual_seed(5)
        o(torch.randn(3, 4))
        out.append({k: describe(v) for k, v in get_qparam_dict(o).items()})
    return out
from torch.ao.quantization.quantization_mappings import get_default_static_quant_reference_module_mappings
q = convert(make(0, False), is_reference=True)
torch.save(q.state_dict(), ${JSON.stringify(pyFile)})
x = test_input()
y = q(x)
y.sum().backward()
qs = convert(make(0, True), is_reference=True)
torch.manual_seed(3)
e = nn.Sequential(nn.Embedding(4, 2)).eval()
e.qconfig = float_qparams_weight_only_qconfig
pe = prepare(e)
result = {'repr': repr(q), 'sd': describe_sd(q.state_dict()), 'out': describe(y), 'xgrad': describe(x.grad), 'bgrad': describe(q[0].bias.grad),
          'stubsRepr': repr(qs), 'stubsErr': err(lambda: qs(test_input())), 'typeErr': err(lambda: convert(pe, is_reference=True)),
          'mappings': [[k.__name__, v.__name__] for k, v in get_default_static_quant_reference_module_mappings().items()],
          'qparamDicts': qparam_dicts()}
`;
type PyRun = { qparamDicts: unknown[]; repr: string; sd: Record<string, unknown>; out: unknown; xgrad: unknown; bgrad: unknown; stubsRepr: string; stubsErr: string; typeErr: string; mappings: string[][] };

describe('convert(model, { isReference: true })', () => {
  const py = runPython<PyRun>(PY_RUN);
  test('swaps Conv2d and Linear for reference modules with the weight observers qparams; outputs and gradients', () => {
    const q = Q.convert(make(0, false), { isReference: true });
    expect(String(q)).toBe(py.repr);
    expect(describeStateDict(q.stateDict())).toEqual(py.sd);
    const x = testInput();
    const y = q(x) as torch.Tensor;
    y.sum().backward();
    expect(describeQuantized(y)).toEqual(py.out);
    expect(describeQuantized(x.grad)).toEqual(py.xgrad);
    expect(describeQuantized(((q as nn.Sequential).at(0) as nnqr.Conv2d).bias!.grad)).toEqual(py.bgrad);
  });

  test('with stubs: Quantize feeds the reference conv a quantized tensor (the error Python gives)', () => {
    const q = Q.convert(make(0, true), { isReference: true });
    expect(String(q)).toBe(py.stubsRepr);
    expect(() => q(testInput())).toThrow(py.stubsErr);
  });

  test("Embedding's reference class takes no qparams from convert in 1.13: Python's TypeError", () => {
    torch.manualSeed(3);
    const e = new nn.Sequential(new nn.Embedding(4, 2)).eval();
    (e as unknown as { qconfig: Q.QConfig }).qconfig = Q.floatQparamsWeightOnlyQconfig;
    const pe = Q.prepare(e);
    expect(() => Q.convert(pe, { isReference: true })).toThrow(torch.PyTypeError);
    expect(() => Q.convert(pe, { isReference: true })).toThrow(py.typeErr);
  });

  test('getQparamDict of observers and a fake-quant (symmetric schemes as affine)', () => {
    const got = [Q.defaultPerChannelWeightObserver(), Q.defaultWeightObserver(), Q.defaultPlaceholderObserver(), Q.defaultFloatQparamsObserver(), Q.defaultWeightFakeQuant()].map((o) => {
      torch.manualSeed(5);
      o(torch.randn(3, 4));
      return Object.fromEntries(Object.entries(Q.getQparamDict(o)).map(([k, v]) => [k, describeQuantized(v)]));
    });
    expect(got).toEqual(py.qparamDicts);
  });

  test('getDefaultStaticQuantReferenceModuleMappings and getStaticQuantModuleClass(cls, null, true)', () => {
    const names = py.mappings;
    expect([...Q.getDefaultStaticQuantReferenceModuleMappings()].map(([k, v]) => [k.name, (v as unknown as { name: string }).name])).toEqual(names);
    expect(Q.getStaticQuantModuleClass(nn.Linear, null, true)).toBe(nnqr.Linear);
  });
});

describe('state_dicts across languages', () => {
  test("Python's converted reference state_dict (qscheme and dtype entries included) loads into ours", async () => {
    // written by PY_RUN (the convert tests above ran it)
    const q = Q.convert(make(11, false), { isReference: true });
    q.loadStateDict(await torch.load(pyFile));
    const want = Q.convert(make(0, false), { isReference: true });
    expect(describeQuantized(q(testInput()))).toEqual(describeQuantized(want(testInput())));
    expect(describeStateDict(q.stateDict())).toEqual(describeStateDict(want.stateDict()));
  });

  test('a per-channel state_dict replaces per-tensor buffers (their shapes change), as in Python', () => {
    torch.manualSeed(0);
    const perChannel = new nnqr.Linear(4, 3, { weightQparams: pc(3) });
    const perTensor = new nnqr.Linear(4, 3);
    perTensor.loadStateDict(perChannel.stateDict());
    expect(describeStateDict(perTensor.stateDict())).toEqual(describeStateDict(perChannel.stateDict()));
    expect(perTensor.weight_qscheme).toBe(torch.perChannelAffine);
  });
});

errorTable(
  [
    ["nnqr.Linear(2, 2, weight_qparams={'qscheme': torch.per_tensor_symmetric, 'dtype': torch.qint8, 'scale': 1.0, 'zero_point': 0})",
      () => new nnqr.Linear(2, 2, { weightQparams: { qscheme: torch.perTensorSymmetric, dtype: torch.qint8, scale: 1.0, zero_point: 0 } })],
    ["nnqr.LSTMCell(2, 2, weight_qparams_dict={'weight_ih': {'qscheme': None, 'dtype': torch.float}})",
      () => new nnqr.LSTMCell(2, 2, { weightQparamsDict: { weight_ih: { qscheme: null, dtype: torch.float32 } } })],
    ["nnqr.Linear(2, 2, weight_qparams={'qscheme': None, 'dtype': torch.float}).get_quantized_weight()",
      () => new nnqr.Linear(2, 2, { weightQparams: { qscheme: null, dtype: torch.float32 } }).getQuantizedWeight()],
    ['nnqr.Linear.from_float(nn.Linear(2, 2))', () => nnqr.Linear.fromFloat(new nn.Linear(2, 2))],
  ],
  { prelude: `${PY_PRELUDE}\nimport torch.nn as nn` },
);
