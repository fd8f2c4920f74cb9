// torch.ao.nn.quantized activations, norms, Quantize/DeQuantize, Dropout and the functional modules
// against PyTorch 1.13 in the same run: from_float of a seeded float module calibrated by a
// MinMaxObserver, outputs on the same quantized input (int_repr, scale, zero_point), reprs,
// state_dicts both ways through torch.save files, and error texts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as nnq from '../lib/nn/quantized';
import { runPython } from './helpers/python';
import { PY_DESCRIBE_QUANTIZED, describeQuantized, describeStateDict, resetQuantizedEngineEachTest, withEngine } from './helpers/quantized';
import { errorTable } from './helpers/error-oracle';
import { quantized as quantizedBackend } from '../lib/ao/quantization/engine';
import { MinMaxObserver } from '../lib/ao/quantization/observer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qmodules-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
// each test (and each computation at collection time) runs on the engine it names, then restores it
resetQuantizedEngineEachTest('onednn');

const PY_HELPERS = `
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import MinMaxObserver, QConfig
import torch.ao.nn.quantized as nnq
torch.backends.quantized.engine = 'onednn'
${PY_DESCRIBE_QUANTIZED}
QCONFIG = QConfig(activation=MinMaxObserver.with_args(dtype=torch.quint8), weight=MinMaxObserver.with_args(dtype=torch.quint8))
def perturb(m):
    with torch.no_grad():
        for t in list(m.parameters()) + [b for b in m.buffers() if b.is_floating_point()]:
            t.copy_(torch.rand(t.shape) + 0.5)
`;
const qconfig = { activation: () => new MinMaxObserver({ dtype: torch.quint8 }), weight: () => new MinMaxObserver({ dtype: torch.quint8 }) };
function perturb(m: nn.Module): void {
  torch.noGrad(() => {
    const floats = [...m.buffers()].filter((b) => b.isFloatingPoint());
    for (const t of [...m.parameters(), ...floats]) t.copy_(torch.rand([...t.shape]).add(0.5));
  });
}

// [quantized class, Python float module, ours, input shape]; the input is quantized (quint8) except for Quantize
const CASES: [string, string, () => nn.Module, number[]][] = [
  ['Quantize', 'torch.nn.Identity()', () => new nn.Identity(), [2, 5]],
  ['DeQuantize', 'torch.nn.Identity()', () => new nn.Identity(), [2, 5]],
  ['ReLU6', 'torch.nn.ReLU6()', () => new nn.ReLU6(), [3, 7]],
  ['Hardswish', 'torch.nn.Hardswish()', () => new nn.Hardswish(), [3, 7]],
  ['ELU', 'torch.nn.ELU(0.5)', () => new nn.ELU(0.5), [3, 7]],
  ['LeakyReLU', 'torch.nn.LeakyReLU(0.2)', () => new nn.LeakyReLU(0.2), [3, 7]],
  ['Sigmoid', 'torch.nn.Sigmoid()', () => new nn.Sigmoid(), [3, 7]],
  ['Softmax', 'torch.nn.Softmax(1)', () => new nn.Softmax(1), [3, 7]],
  ['PReLU', 'torch.nn.PReLU(3)', () => new nn.PReLU(3), [2, 3, 4]],
  ['BatchNorm2d', 'torch.nn.BatchNorm2d(3)', () => new nn.BatchNorm2d(3), [2, 3, 4, 3]],
  ['BatchNorm3d', 'torch.nn.BatchNorm3d(2)', () => new nn.BatchNorm3d(2), [1, 2, 3, 2, 3]],
  ['LayerNorm', 'torch.nn.LayerNorm([3, 4])', () => new nn.LayerNorm([3, 4]), [2, 3, 4]],
  ['GroupNorm', 'torch.nn.GroupNorm(2, 4)', () => new nn.GroupNorm(2, 4), [2, 4, 3]],
  ['InstanceNorm1d', 'torch.nn.InstanceNorm1d(3, affine=True)', () => new nn.InstanceNorm1d(3, { affine: true }), [2, 3, 5]],
  ['InstanceNorm2d', 'torch.nn.InstanceNorm2d(3)', () => new nn.InstanceNorm2d(3), [2, 3, 4, 4]],
  ['InstanceNorm3d', 'torch.nn.InstanceNorm3d(2, affine=True)', () => new nn.InstanceNorm3d(2, { affine: true }), [1, 2, 3, 3, 3]],
  ['Dropout', 'torch.nn.Dropout(0.3)', () => new nn.Dropout(0.3), [3, 4]],
];

interface PyCase { repr: string; out: unknown; sd: Record<string, unknown>; keys: string[]; loadedOut: unknown }

describe('from_float, forward, repr, state_dict (onednn)', () => {
  const files = CASES.map((_, i) => path.join(dir, `case-${i}`));
  // PReLU's from_float reads a weight observer that saw nothing: Python's warning, silenced here
  const quiet = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  const ours = withEngine('onednn', () => CASES.map(([name, , makeFloat, shape], i) => {
    torch.manualSeed(i);
    const float = makeFloat() as nn.Module & { qconfig?: unknown; activation_post_process?: MinMaxObserver };
    perturb(float);
    float.eval();
    const x = torch.randn(shape).mul(2);
    float.qconfig = qconfig;
    float.activation_post_process = new MinMaxObserver({ dtype: torch.quint8 });
    float.activation_post_process(float(x) as torch.Tensor);
    const q = (nnq as unknown as Record<string, { fromFloat(m: nn.Module): nn.Module }>)[name].fromFloat(float);
    torch.saveSync(q.stateDict(), `${files[i]}-ts.pt`);
    const input = name === 'Quantize' ? x : torch.quantizePerTensor(x, 0.05, 64, torch.quint8);
    return { q, input, out: (q as unknown as (t: torch.Tensor) => torch.Tensor)(input) };
  }));
  quiet.mockRestore();
  const py = runPython<PyCase[]>(`${PY_HELPERS}
result = []
for i, (name, make, shape, file) in enumerate(${JSON.stringify(CASES.map((c, i) => [c[0], c[1], c[3], files[i]]))}):
    torch.manual_seed(i)
    float = eval(make)
    perturb(float)
    float.eval()
    x = torch.randn(shape) * 2
    float.qconfig = QCONFIG
    float.activation_post_process = MinMaxObserver(dtype=torch.quint8)
    float.activation_post_process(float(x))
    q = getattr(nnq, name).from_float(float)
    torch.save(q.state_dict(), file + '-py.pt')
    inp = x if name == 'Quantize' else torch.quantize_per_tensor(x, 0.05, 64, torch.quint8)
    other = __import__('copy').deepcopy(q)
    other.load_state_dict(torch.load(file + '-ts.pt'))
    result.append({'repr': repr(q), 'out': describe(q(inp)), 'sd': describe_sd(q.state_dict()), 'keys': list(q.state_dict().keys()), 'loadedOut': describe(other(inp))})
`);
  CASES.forEach(([name], i) => {
    test(name, () => {
      const { q, input, out } = ours[i];
      expect(String(q)).toBe(py[i].repr);
      expect(describeQuantized(out)).toEqual(py[i].out);
      expect(Object.keys(q.stateDict())).toEqual(py[i].keys);
      expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py[i].sd);
      expect(py[i].loadedOut).toEqual(py[i].out);
      const other = nn.deepcopy(q);
      other.loadStateDict(torch.loadSync(`${files[i]}-py.pt`) as Map<string, torch.Tensor>);
      expect(describeQuantized((other as unknown as (t: torch.Tensor) => torch.Tensor)(input))).toEqual(py[i].out);
    });
  });
});

describe('constructed directly: reprs and state_dict keys', () => {
  const EXPRS: [string, () => nn.Module][] = [
    ['nnq.Quantize(0.1, 2, torch.qint8)', () => new nnq.Quantize(0.1, 2, torch.qint8)],
    ['nnq.ReLU6(True)', () => new nnq.ReLU6(true)],
    ['nnq.LeakyReLU(0.1, 3, 0.2, True)', () => new nnq.LeakyReLU(0.1, 3, 0.2, true)],
    ['nnq.Softmax()', () => new nnq.Softmax()],
    ['nnq.ELU(0.25, 3)', () => new nnq.ELU(0.25, 3)],
    ['nnq.BatchNorm2d(3, 1e-3)', () => new nnq.BatchNorm2d(3, 1e-3)],
    ['nnq.LayerNorm([4], None, None, 0.1, 2)', () => new nnq.LayerNorm([4], null, null, 0.1, 2)],
    ['nnq.GroupNorm(2, 4, None, None, 0.1, 2, affine=False)', () => new nnq.GroupNorm(2, 4, null, null, 0.1, 2, { affine: false })],
    ['nnq.InstanceNorm2d(3, None, None, 0.1, 2)', () => new nnq.InstanceNorm2d(3, null, null, 0.1, 2)],
    ['nnq.Dropout(0.2)', () => new nnq.Dropout(0.2)],
    ['nnq.FloatFunctional()', () => new nnq.FloatFunctional()],
    ['nnq.FXFloatFunctional()', () => new nnq.FXFloatFunctional()],
    ['nnq.QFunctional()', () => new nnq.QFunctional()],
    ['nnq.Linear(4, 3, bias_=False)', () => new nnq.Linear(4, 3, { bias_: false })],
    ["nnq.Conv2d(3, 8, 3, stride=2, padding=1, dilation=2, groups=1, bias=False, padding_mode='reflect')", () => new nnq.Conv2d(3, 8, 3, { stride: 2, padding: 1, dilation: 2, groups: 1, bias: false, paddingMode: 'reflect' })],
    ['nnq.Conv1d(4, 4, 2, groups=2)', () => new nnq.Conv1d(4, 4, 2, { groups: 2 })],
    ['nnq.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1)', () => new nnq.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1 })],
    ['nnq.MaxPool2d(2)', () => new nnq.MaxPool2d(2)],
  ];
  const py = runPython<[string, string[]][]>(`${PY_HELPERS}
torch.backends.quantized.engine = 'qnnpack'
result = [[repr(m), list(m.state_dict().keys())] for m in [${EXPRS.map((e) => e[0]).join(', ')}]]
`);
  EXPRS.forEach(([expr, make], i) => {
    test(expr, () => {
      quantizedBackend.engine = 'qnnpack';
      const m = make();
      expect([String(m), Object.keys(m.stateDict())]).toEqual(py[i]);
    });
  });
});

describe('FloatFunctional -> QFunctional', () => {
  const py = runPython<{ repr: string; outs: unknown[]; floatOuts: unknown[]; sd: Record<string, unknown> }>(`${PY_HELPERS}
torch.manual_seed(3)
x, y = torch.randn(3, 4), torch.randn(3, 4) * 2
f = nnq.FloatFunctional()
f.activation_post_process = MinMaxObserver(dtype=torch.quint8)
float_outs = [f.add(x, y), f.mul(x, y), f.cat([x, y], 1), f.add_relu(x, y), f.add_scalar(x, 0.5), f.mul_scalar(x, 0.5)]
q = nnq.QFunctional.from_float(f)
qx, qy = torch.quantize_per_tensor(x, 0.03, 60, torch.quint8), torch.quantize_per_tensor(y, 0.05, 70, torch.quint8)
outs = [q.add(qx, qy), q.mul(qx, qy), q.cat([qx, qy], 1), q.add_relu(qx, qy), q.add_scalar(qx, 0.5), q.mul_scalar(qx, 0.5)]
result = {'repr': repr(q), 'outs': [describe(o) for o in outs], 'floatOuts': [describe(o) for o in float_outs], 'sd': describe_sd(q.state_dict())}
`);
  test('ops, repr, state_dict', () => {
    torch.manualSeed(3);
    const x = torch.randn(3, 4);
    const y = torch.randn(3, 4).mul(2);
    const f = new nnq.FloatFunctional();
    f.activation_post_process = new MinMaxObserver({ dtype: torch.quint8 });
    const floatOuts = [f.add(x, y), f.mul(x, y), f.cat([x, y], 1), f.addRelu(x, y), f.addScalar(x, 0.5), f.mulScalar(x, 0.5)];
    const q = nnq.QFunctional.fromFloat(f);
    const qx = torch.quantizePerTensor(x, 0.03, 60, torch.quint8);
    const qy = torch.quantizePerTensor(y, 0.05, 70, torch.quint8);
    const outs = [q.add(qx, qy), q.mul(qx, qy), q.cat([qx, qy], 1), q.addRelu(qx, qy), q.addScalar(qx, 0.5), q.mulScalar(qx, 0.5)];
    expect(String(q)).toBe(py.repr);
    expect(floatOuts.map(describeQuantized)).toEqual(py.floatOuts);
    expect(outs.map(describeQuantized)).toEqual(py.outs);
    expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py.sd);
  });
});

describe('errors', () => {
  const prelude = `${PY_HELPERS}
qx = torch.quantize_per_tensor(torch.ones(2, 3, 4, 4), 0.1, 0, torch.quint8)
x = torch.ones(2, 3, 4, 4)
`;
  const qx = () => torch.quantizePerTensor(torch.ones(2, 3, 4, 4), 0.1, 0, torch.quint8);
  const x = () => torch.ones(2, 3, 4, 4);
  errorTable(
    [
      ['nnq.Conv2d(3, 2, 3)(qx[0])', () => new nnq.Conv2d(3, 2, 3)(qx().select(0, 0))],
      ['nnq.Conv1d(3, 2, 3)(qx)', () => new nnq.Conv1d(3, 2, 3)(qx())],
      ['nnq.BatchNorm2d(3)(qx[0])', () => new nnq.BatchNorm2d(3)(qx().select(0, 0))],
      ["nnq.Conv2d(3, 2, 3, padding_mode='circular')", () => new nnq.Conv2d(3, 2, 3, { paddingMode: 'circular' as 'zeros' })],
      ['nnq.Conv2d(3, 2, 3, groups=2)', () => new nnq.Conv2d(3, 2, 3, { groups: 2 })],
      ["nnq.ConvTranspose2d(3, 2, 3, padding_mode='reflect')", () => new nnq.ConvTranspose2d(3, 2, 3, { paddingMode: 'reflect' })],
      ['nnq.QFunctional().forward(qx)', () => new nnq.QFunctional().forward(qx())],
      ['nnq.FloatFunctional().forward(x)', () => new nnq.FloatFunctional().forward(x())],
      ['nnq.QFunctional.from_float(torch.nn.ReLU())', () => nnq.QFunctional.fromFloat(new nn.ReLU())],
      ['nnq.Linear(4, 3, dtype=torch.quint8)', () => new nnq.Linear(4, 3, { dtype: torch.quint8 })],
      // a float input where the op takes a quantized one, and the wrong quantized dtype: libtorch's texts
      ['nnq.Linear(4, 3)(x)', () => new nnq.Linear(4, 3)(x())],
      ['nnq.Conv2d(3, 2, 3)(x)', () => new nnq.Conv2d(3, 2, 3)(x())],
      ['nnq.Conv2d(3, 2, 3)(torch.quantize_per_tensor(x, 0.1, 0, torch.qint8))', () => new nnq.Conv2d(3, 2, 3)(torch.quantizePerTensor(x(), 0.1, 0, torch.qint8))],
      ['nnq.Hardswish(0.1, 0)(x)', () => new nnq.Hardswish(0.1, 0)(x())],
      ['nnq.ReLU6()(x)', () => new nnq.ReLU6()(x())],
    ],
    { prelude, firstLine: true },
  );
});

// Python's PerChannelMinMaxObserver(qscheme=per_channel_affine_float_qparams, ch_axis=0) for 2-d
// weights, written here (torch.ao.quantization's is another area's): the same float32 arithmetic.
class RowFloatQparamsObserver extends nn.Module {
  readonly qscheme = torch.perChannelAffineFloatQparams;
  readonly chAxis = 0;
  readonly quantMin = 0;
  readonly quantMax: number;
  private minVal: torch.Tensor | null = null;
  private maxVal: torch.Tensor | null = null;
  constructor(readonly dtype: torch.DType) {
    super();
    this.quantMax = dtype === torch.quint4x2 ? 15 : 255;
  }
  forward(x: torch.Tensor): torch.Tensor {
    this.minVal = x.detach().amin(1);
    this.maxVal = x.detach().amax(1);
    return x;
  }
  calculateQparams(): [torch.Tensor, torch.Tensor] {
    let scale = this.maxVal!.sub(this.minVal!).div(this.quantMax - this.quantMin);
    scale = torch.where(scale.gt(1.1920928955078125e-07), scale, torch.onesLike(scale));
    return [scale, this.minVal!.mul(-1).div(scale)];
  }
}

describe('Embedding and EmbeddingBag', () => {
  // [quantized class, Python float module, ours, weight dtype, Python forward args, ours]
  const CASES: [string, string, () => nn.Module, string, string, (q: nn.Module) => torch.Tensor][] = [
    ['Embedding', 'torch.nn.Embedding(7, 5)', () => new nn.Embedding(7, 5), 'quint8', 'torch.tensor([[0, 3, 6], [2, 2, 1]])', (q) => q(torch.tensor([[0, 3, 6], [2, 2, 1]])) as torch.Tensor],
    ['EmbeddingBag', "torch.nn.EmbeddingBag(7, 6, mode='sum')", () => new nn.EmbeddingBag(7, 6, { mode: 'sum' }), 'quint8', 'torch.tensor([0, 3, 6, 2, 2, 1]), torch.tensor([0, 2, 5])', (q) => q(torch.tensor([0, 3, 6, 2, 2, 1]), torch.tensor([0, 2, 5])) as torch.Tensor],
    ['EmbeddingBag', "torch.nn.EmbeddingBag(7, 8, mode='sum')", () => new nn.EmbeddingBag(7, 8, { mode: 'sum' }), 'quint4x2', 'torch.tensor([0, 3, 6, 2]), torch.tensor([0, 1]), torch.tensor([0.5, 1.0, 2.0, -1.0])', (q) => q(torch.tensor([0, 3, 6, 2]), torch.tensor([0, 1]), torch.tensor([0.5, 1.0, 2.0, -1.0])) as torch.Tensor],
  ];
  const files = CASES.map((_, i) => path.join(dir, `embedding-${i}`));
  const ours = CASES.map(([name, , make, dtype], i) => {
    torch.manualSeed(i);
    const float = make() as nn.Module & { qconfig?: unknown };
    float.qconfig = { weight: () => new RowFloatQparamsObserver(dtype === 'quint8' ? torch.quint8 : torch.quint4x2), activation: () => null };
    const q = (nnq as unknown as Record<string, { fromFloat(m: nn.Module): nn.Module }>)[name].fromFloat(float);
    torch.saveSync(q.stateDict(), `${files[i]}-ts.pt`);
    return q;
  });
  const py = runPython<PyCase[]>(`${PY_HELPERS}
from torch.ao.quantization import PerChannelMinMaxObserver
result = []
for i, (name, make, dtype, args, file) in enumerate(${JSON.stringify(CASES.map((c, i) => [c[0], c[1], c[3], c[4], files[i]]))}):
    torch.manual_seed(i)
    float = eval(make)
    float.qconfig = QConfig(activation=None, weight=PerChannelMinMaxObserver.with_args(dtype=getattr(torch, dtype), qscheme=torch.per_channel_affine_float_qparams, ch_axis=0))
    q = getattr(nnq, name).from_float(float)
    torch.save(q.state_dict(), file + '-py.pt')
    other = __import__('copy').deepcopy(q)
    other.load_state_dict(torch.load(file + '-ts.pt'))
    result.append({'repr': repr(q), 'out': describe(q(*eval('(' + args + ',)'))), 'sd': describe_sd(q.state_dict()), 'keys': list(q.state_dict().keys()), 'loadedOut': describe(other(*eval('(' + args + ',)')))})
`);
  CASES.forEach(([name, , , dtype, , run], i) => {
    test(`${name} (${dtype})`, () => {
      const q = ours[i];
      expect(String(q)).toBe(py[i].repr);
      expect(describeQuantized(run(q))).toEqual(py[i].out);
      expect(Object.keys(q.stateDict())).toEqual(py[i].keys);
      expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py[i].sd);
      expect(py[i].loadedOut).toEqual(py[i].out);
      const other = nn.deepcopy(q);
      other.loadStateDict(torch.loadSync(`${files[i]}-py.pt`) as Map<string, torch.Tensor>);
      expect(describeQuantized(run(other))).toEqual(py[i].out);
    });
  });
});
