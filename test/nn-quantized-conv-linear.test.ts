// torch.ao.nn.quantized Linear and Conv*/ConvTranspose* against PyTorch 1.13 in the same run: from_float
// of a seeded float module calibrated by MinMaxObservers, the int8 outputs (int_repr, scale,
// zero_point), reprs, state_dict interop both ways through torch.save files, and the errors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as nnq from '../lib/nn/quantized';
import { runPython } from './helpers/python';
import { PY_DESCRIBE_QUANTIZED, QuantizedDescription, describeQuantizedTensor, describeStateDict, resetQuantizedEngineEachTest, withEngine } from './helpers/quantized';
import { quantized as quantizedBackend } from '../lib/ao/quantization/engine';
import { MinMaxObserver } from '../lib/ao/quantization/observer';
import { qop } from '../lib/nn/quantized/ops';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qconv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
resetQuantizedEngineEachTest();

const PY_HELPERS = `
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import MinMaxObserver, QConfig
import torch.ao.nn.quantized as nnq
${PY_DESCRIBE_QUANTIZED}
QCONFIG = QConfig(activation=MinMaxObserver.with_args(dtype=torch.quint8), weight=MinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric))
`;
const qconfig = {
  activation: () => new MinMaxObserver({ dtype: torch.quint8 }),
  weight: () => new MinMaxObserver({ dtype: torch.qint8, qscheme: torch.perTensorSymmetric }),
};

// [name, Python float ctor, TS float ctor, input shape, Python quantized ctor for repr-only checks]
const ALL_CASES: [string, string, () => nn.Module, number[], string][] = [
  ['Linear', 'torch.nn.Linear(6, 5)', () => new nn.Linear(6, 5), [4, 6], 'nnq.Linear'],
  ['Linear no bias', 'torch.nn.Linear(6, 3, bias=False)', () => new nn.Linear(6, 3, { bias: false }), [2, 3, 6], 'nnq.Linear'],
  ['Conv1d', 'torch.nn.Conv1d(3, 4, 3, stride=2, padding=1)', () => new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 }), [2, 3, 9], 'nnq.Conv1d'],
  ['Conv2d', 'torch.nn.Conv2d(4, 6, 3, padding=1, groups=2, dilation=2)', () => new nn.Conv2d(4, 6, 3, { padding: 1, groups: 2, dilation: 2 }), [2, 4, 7, 6], 'nnq.Conv2d'],
  ['Conv2d reflect', "torch.nn.Conv2d(3, 4, (3, 2), padding=(1, 2), bias=False, padding_mode='reflect')", () => new nn.Conv2d(3, 4, [3, 2], { padding: [1, 2], bias: false, paddingMode: 'reflect' }), [1, 3, 5, 6], 'nnq.Conv2d'],
  ['Conv3d', 'torch.nn.Conv3d(2, 4, 2, stride=(1, 2, 1))', () => new nn.Conv3d(2, 4, 2, { stride: [1, 2, 1] }), [1, 2, 4, 5, 4], 'nnq.Conv3d'],
  ['ConvTranspose1d', 'torch.nn.ConvTranspose1d(3, 4, 3, stride=2, dilation=2)', () => new nn.ConvTranspose1d(3, 4, 3, { stride: 2, dilation: 2 }), [2, 3, 5], 'nnq.ConvTranspose1d'],
  ['ConvTranspose1d output_padding', 'torch.nn.ConvTranspose1d(3, 4, 3, stride=2, output_padding=1)', () => new nn.ConvTranspose1d(3, 4, 3, { stride: 2, outputPadding: 1 }), [2, 3, 5], 'nnq.ConvTranspose1d'],
  ['ConvTranspose2d', 'torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, groups=2)', () => new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, groups: 2 }), [1, 4, 4, 3], 'nnq.ConvTranspose2d'],
  ['ConvTranspose3d', 'torch.nn.ConvTranspose3d(2, 3, 2)', () => new nn.ConvTranspose3d(2, 3, 2), [1, 2, 3, 3, 2], 'nnq.ConvTranspose3d'],
];

interface PyResult { repr: string; out: QuantizedDescription; sd: Record<string, unknown>; keys: string[]; loadedOut: QuantizedDescription }

for (const engine of ['qnnpack', 'onednn']) {
  // qnnpack has no 3-d convolutions, onednn no output_padding
  const CASES = ALL_CASES.filter(([name]) => (engine === 'qnnpack' ? !name.endsWith('3d') : !name.includes('output_padding')));
  describe(`from_float, forward, repr, state_dict (${engine})`, () => {
    const files = CASES.map((_, i) => path.join(dir, `${engine}-${i}`));
    // our state_dicts, saved before Python runs, are loaded there; Python's come back the other way
    const ours = withEngine(engine, () => CASES.map(([, , makeFloat, shape], i) => {
      torch.manualSeed(i);
      const float = makeFloat() as nn.Module & { qconfig?: unknown; activation_post_process?: MinMaxObserver };
      const x = torch.randn(shape).mul(2);
      float.qconfig = qconfig;
      float.activation_post_process = new MinMaxObserver({ dtype: torch.quint8 });
      float.activation_post_process(float(x) as torch.Tensor);
      const cls = (nnq as unknown as Record<string, { fromFloat(m: nn.Module): nn.Module }>)[CASES[i][0].split(' ')[0]];
      const q = cls.fromFloat(float);
      torch.saveSync(q.stateDict(), `${files[i]}-ts.pt`);
      const qx = torch.quantizePerTensor(x, 0.05, 64, torch.quint8);
      return { q, qx, out: (q as unknown as (t: torch.Tensor) => torch.Tensor)(qx) };
    }));
    const py = runPython<PyResult[]>(`${PY_HELPERS}
torch.backends.quantized.engine = '${engine}'
result = []
for i, (make, shape, qcls, file) in enumerate(${JSON.stringify(CASES.map((c, i) => [c[1], c[3], c[4], files[i]]))}):
    torch.manual_seed(i)
    float = eval(make)
    x = torch.randn(shape) * 2
    float.qconfig = QCONFIG
    float.activation_post_process = MinMaxObserver(dtype=torch.quint8)
    float.activation_post_process(float(x))
    q = eval(qcls).from_float(float)
    torch.save(q.state_dict(), file + '-py.pt')
    qx = torch.quantize_per_tensor(x, 0.05, 64, torch.quint8)
    sd = torch.load(file + '-ts.pt')
    other = __import__('copy').deepcopy(q)
    other.load_state_dict(sd)
    result.append({'repr': repr(q), 'out': describe(q(qx)), 'sd': describe_sd(q.state_dict()), 'keys': list(q.state_dict().keys()), 'loadedOut': describe(other(qx))})
`);
    CASES.forEach(([name], i) => {
      test(name, () => {
        quantizedBackend.engine = engine;
        const { q, qx, out } = ours[i];
        expect(String(q)).toBe(py[i].repr);
        expect(describeQuantizedTensor(out)).toEqual(py[i].out);
        expect(Object.keys(q.stateDict())).toEqual(py[i].keys);
        expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py[i].sd);
        // our file loaded in Python gave Python's output; Python's file loaded here gives ours
        expect(py[i].loadedOut).toEqual(py[i].out);
        const sd = torch.loadSync(`${files[i]}-py.pt`) as Map<string, torch.Tensor>;
        const other = torch.nn.deepcopy(q);
        other.loadStateDict(sd);
        expect(describeQuantizedTensor((other as unknown as (t: torch.Tensor) => torch.Tensor)(qx))).toEqual(py[i].out);
      });
    });
  });
}

// Per-channel weights (what the default onednn/fbgemm qconfigs give): Python's PerChannelMinMaxObserver
// makes the qparams; ours is a stand-in that returns them (torch.ao.quantization's observers are another area's).
describe('per-channel weights', () => {
  const CASES: [string, string, () => nn.Module, number[], string][] = [
    ['Conv2d', 'torch.nn.Conv2d(3, 4, 3)', () => new nn.Conv2d(3, 4, 3), [1, 3, 5, 5], 'torch.per_channel_symmetric'],
    ['Linear', 'torch.nn.Linear(6, 5)', () => new nn.Linear(6, 5), [3, 6], 'torch.per_channel_symmetric'],
    ['Conv1d', 'torch.nn.Conv1d(2, 3, 2)', () => new nn.Conv1d(2, 3, 2), [2, 2, 5], 'torch.per_channel_symmetric'],
  ];
  const py = runPython<{ scale: number[]; zp: number[]; scaleDtype: string; zpDtype: string; repr: string; out: QuantizedDescription; sd: Record<string, unknown> }[]>(`${PY_HELPERS}
from torch.ao.quantization import PerChannelMinMaxObserver
torch.backends.quantized.engine = 'onednn'
result = []
for i, (name, make, shape, qscheme) in enumerate(${JSON.stringify(CASES.map((c) => [c[0], c[1], c[3], c[4]]))}):
    torch.manual_seed(i)
    float = eval(make)
    x = torch.randn(shape) * 2
    wobs = PerChannelMinMaxObserver.with_args(dtype=torch.qint8, qscheme=eval(qscheme))
    float.qconfig = QConfig(activation=MinMaxObserver.with_args(dtype=torch.quint8), weight=wobs)
    float.activation_post_process = MinMaxObserver(dtype=torch.quint8)
    float.activation_post_process(float(x))
    probe = wobs()
    probe(float.weight)
    scale, zp = probe.calculate_qparams()
    q = getattr(nnq, name).from_float(float)
    out = q(torch.quantize_per_tensor(x, 0.05, 64, torch.quint8))
    result.append({'scale': scale.tolist(), 'zp': zp.tolist(), 'scaleDtype': str(scale.dtype), 'zpDtype': str(zp.dtype), 'repr': repr(q), 'out': describe(out), 'sd': describe_sd(q.state_dict())})
`);
  CASES.forEach(([name, , make, shape, qscheme], i) => {
    test(`${name} (${qscheme})`, () => {
      quantizedBackend.engine = 'onednn';
      const want = py[i];
      // a stand-in observer with Python's qparams for this weight
      class GivenQparams extends nn.Module {
        readonly dtype = torch.qint8;
        readonly qscheme = qscheme === 'torch.per_channel_symmetric' ? torch.perChannelSymmetric : torch.perChannelAffine;
        readonly chAxis = 0;
        readonly quantMin = -128;
        readonly quantMax = 127;
        forward(w: torch.Tensor): torch.Tensor {
          return w;
        }
        calculateQparams(): [torch.Tensor, torch.Tensor] {
          return [torch.tensor(want.scale, { dtype: want.scaleDtype.replace('torch.', '') as 'float32' }), torch.tensor(want.zp, { dtype: want.zpDtype.replace('torch.', '') as 'int64' })];
        }
      }
      torch.manualSeed(i);
      const float = make() as nn.Module & { qconfig?: unknown; activation_post_process?: MinMaxObserver };
      const x = torch.randn(shape).mul(2);
      float.qconfig = { activation: () => new MinMaxObserver({ dtype: torch.quint8 }), weight: () => new GivenQparams() };
      float.activation_post_process = new MinMaxObserver({ dtype: torch.quint8 });
      float.activation_post_process(float(x) as torch.Tensor);
      const q = (nnq as unknown as Record<string, { fromFloat(m: nn.Module): nn.Module }>)[name].fromFloat(float);
      const out = (q as unknown as (t: torch.Tensor) => torch.Tensor)(torch.quantizePerTensor(x, 0.05, 64, torch.quint8));
      expect(String(q)).toBe(want.repr);
      expect(describeQuantizedTensor(out)).toEqual(want.out);
      expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(want.sd);
    });
  });
});

describe('dynamic Linear shares LinearPackedParams', () => {
  const py = runPython<{ repr: string; out: number[][]; sd: Record<string, unknown> }>(`${PY_HELPERS}
import torch.ao.nn.quantized.dynamic as nnqd
torch.backends.quantized.engine = 'onednn'
torch.manual_seed(5)
float = torch.nn.Linear(6, 4)
x = torch.randn(3, 6)
float.qconfig = torch.ao.quantization.default_dynamic_qconfig
q = nnqd.Linear.from_float(float)
result = {'repr': repr(q), 'out': q(x).tolist(), 'sd': describe_sd(q.state_dict())}
`);
  test('from_float, forward, state_dict', () => {
    quantizedBackend.engine = 'onednn';
    torch.manualSeed(5);
    const float = new nn.Linear(6, 4);
    const x = torch.randn(3, 6);
    (float as nn.Linear & { qconfig?: unknown }).qconfig = torch.ao.quantization.defaultDynamicQconfig;
    const q = nnq.dynamic.Linear.fromFloat(float);
    expect(String(q)).toBe(py.repr);
    expect(q(x).tolist()).toEqual(py.out);
    expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py.sd);
  });
});

describe('the generic quantized:: caller', () => {
  test('packed params of another kind, or where a tensor goes: TorchError naming both types', () => {
    const linear = new nnq.Linear(3, 2);
    const packed = linear._packed_params._packed_params;
    expect(() => qop('quantized::conv2d_unpack', packed)).toThrow(torch.TorchError);
    expect(() => qop('quantized::conv2d_unpack', packed)).toThrow(
      "expected __torch__.torch.classes.quantized.Conv2dPackedParamsBase for argument 'packed_weights' of quantized::conv2d_unpack, got __torch__.torch.classes.quantized.LinearPackedParamsBase",
    );
    expect(() => qop('quantized::relu6', packed)).toThrow("expected Tensor for argument 'qx' of quantized::relu6");
    expect(() => qop('quantized::linear_unpack', torch.ones(2))).toThrow(torch.TorchError);
    expect(() => qop('quantized::no_such_op', torch.ones(2))).toThrow('libtorch has no operator quantized::no_such_op');
    expect(() => qop('quantized::relu6', torch.ones(2), false, 3)).toThrow('quantized::relu6: takes 2 arguments but 3 were given');
  });
  test('conv packed params: the getters through the same caller', () => {
    const conv = new nnq.Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 });
    const p = conv._packed_params;
    expect([qop('quantized::conv2d_stride', p), qop('quantized::conv2d_padding', p), qop('quantized::conv2d_dilation', p), qop('quantized::conv2d_groups', p)]).toEqual([[2, 1], [1, 1], [1, 2], 2]);
    expect(qop('quantized::conv2d_transpose', p)).toBe(0);
  });
});
