// torch.nn.intrinsic against PyTorch 1.13 in the same run: the fused float modules (type checks,
// reprs, state_dict keys, forward) and their quantized forms (from_float of a calibrated fused
// module, int8 outputs, reprs, state_dict interop through files), plus from_float of QAT modules
// whose BatchNorm is folded into the weight (duck-typed here: a float layer with weight_fake_quant and bn).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as nni from '../lib/nn/intrinsic';
import * as nnq from '../lib/nn/quantized';
import { runPython } from './helpers/python';
import { pythonErrors } from './helpers/error-oracle';
import { PY_DESCRIBE_QUANTIZED, describeQuantized, describeStateDict, resetQuantizedEngineEachTest, withEngine } from './helpers/quantized';
import { MinMaxObserver } from '../lib/ao/quantization/observer';

const nniq = nni.quantized;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qintrinsic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
resetQuantizedEngineEachTest('onednn');

const PY_HELPERS = `
import warnings, copy
warnings.simplefilter('ignore')
from torch.ao.quantization import MinMaxObserver, QConfig
import torch.ao.nn.quantized as nnq
import torch.nn.intrinsic as nni
import torch.nn.intrinsic.quantized as nniq
import torch.nn.intrinsic.qat as nniqat
from torch import nn
torch.backends.quantized.engine = 'onednn'
${PY_DESCRIBE_QUANTIZED}
QCONFIG = QConfig(activation=MinMaxObserver.with_args(dtype=torch.quint8), weight=MinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric))
def perturb_bn(bn):
    with torch.no_grad():
        for t in [bn.weight, bn.bias, bn.running_mean]:
            t.copy_(torch.randn(t.shape))
        bn.running_var.copy_(torch.rand(bn.running_var.shape) + 0.5)
    return bn
`;
const qconfig = {
  activation: () => new MinMaxObserver({ dtype: torch.quint8 }),
  weight: () => new MinMaxObserver({ dtype: torch.qint8, qscheme: torch.perTensorSymmetric }),
};
function perturbBn<T extends nn.Module>(bn: T): T {
  const b = bn as unknown as { weight: torch.Tensor; bias: torch.Tensor; running_mean: torch.Tensor; running_var: torch.Tensor };
  torch.noGrad(() => {
    for (const t of [b.weight, b.bias, b.running_mean]) t.copy_(torch.randn([...t.shape]));
    b.running_var.copy_(torch.rand([...b.running_var.shape]).add(0.5));
  });
  return bn;
}

// [fused class, Python construction, ours, input shape]
const FUSED: [string, string, () => nn.Module, number[]][] = [
  ['ConvReLU1d', 'nni.ConvReLU1d(nn.Conv1d(3, 4, 3), nn.ReLU())', () => new nni.ConvReLU1d(new nn.Conv1d(3, 4, 3), new nn.ReLU()), [2, 3, 6]],
  ['ConvReLU2d', 'nni.ConvReLU2d(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU())', () => new nni.ConvReLU2d(new nn.Conv2d(3, 4, 3, { padding: 1 }), new nn.ReLU()), [1, 3, 5, 4]],
  ['ConvReLU3d', 'nni.ConvReLU3d(nn.Conv3d(2, 3, 2), nn.ReLU())', () => new nni.ConvReLU3d(new nn.Conv3d(2, 3, 2), new nn.ReLU()), [1, 2, 3, 3, 3]],
  ['LinearReLU', 'nni.LinearReLU(nn.Linear(5, 4), nn.ReLU())', () => new nni.LinearReLU(new nn.Linear(5, 4), new nn.ReLU()), [3, 5]],
  ['BNReLU2d', 'nni.BNReLU2d(perturb_bn(nn.BatchNorm2d(3)), nn.ReLU())', () => new nni.BNReLU2d(perturbBn(new nn.BatchNorm2d(3)), new nn.ReLU()), [2, 3, 3, 2]],
  ['BNReLU3d', 'nni.BNReLU3d(perturb_bn(nn.BatchNorm3d(2)), nn.ReLU())', () => new nni.BNReLU3d(perturbBn(new nn.BatchNorm3d(2)), new nn.ReLU()), [1, 2, 2, 3, 2]],
  ['ConvBn1d', 'nni.ConvBn1d(nn.Conv1d(3, 4, 3), perturb_bn(nn.BatchNorm1d(4)))', () => new nni.ConvBn1d(new nn.Conv1d(3, 4, 3), perturbBn(new nn.BatchNorm1d(4))), [2, 3, 6]],
  ['ConvBn2d', 'nni.ConvBn2d(nn.Conv2d(3, 4, 3), perturb_bn(nn.BatchNorm2d(4)))', () => new nni.ConvBn2d(new nn.Conv2d(3, 4, 3), perturbBn(new nn.BatchNorm2d(4))), [1, 3, 5, 4]],
  ['ConvBn3d', 'nni.ConvBn3d(nn.Conv3d(2, 3, 2), perturb_bn(nn.BatchNorm3d(3)))', () => new nni.ConvBn3d(new nn.Conv3d(2, 3, 2), perturbBn(new nn.BatchNorm3d(3))), [1, 2, 3, 3, 3]],
  ['ConvBnReLU1d', 'nni.ConvBnReLU1d(nn.Conv1d(3, 4, 3), perturb_bn(nn.BatchNorm1d(4)), nn.ReLU())', () => new nni.ConvBnReLU1d(new nn.Conv1d(3, 4, 3), perturbBn(new nn.BatchNorm1d(4)), new nn.ReLU()), [2, 3, 6]],
  ['ConvBnReLU2d', 'nni.ConvBnReLU2d(nn.Conv2d(3, 4, 3), perturb_bn(nn.BatchNorm2d(4)), nn.ReLU())', () => new nni.ConvBnReLU2d(new nn.Conv2d(3, 4, 3), perturbBn(new nn.BatchNorm2d(4)), new nn.ReLU()), [1, 3, 5, 4]],
  ['ConvBnReLU3d', 'nni.ConvBnReLU3d(nn.Conv3d(2, 3, 2), perturb_bn(nn.BatchNorm3d(3)), nn.ReLU())', () => new nni.ConvBnReLU3d(new nn.Conv3d(2, 3, 2), perturbBn(new nn.BatchNorm3d(3)), new nn.ReLU()), [1, 2, 3, 3, 3]],
  ['LinearBn1d', 'nni.LinearBn1d(nn.Linear(5, 4), perturb_bn(nn.BatchNorm1d(4)))', () => new nni.LinearBn1d(new nn.Linear(5, 4), perturbBn(new nn.BatchNorm1d(4))), [3, 5]],
];

describe('fused float modules', () => {
  const py = runPython<{ repr: string; keys: string[]; out: unknown }[]>(`${PY_HELPERS}
result = []
for i, (make, shape) in enumerate(${JSON.stringify(FUSED.map((c) => [c[1], c[3]]))}):
    torch.manual_seed(i)
    m = eval(make).eval()
    result.append({'repr': repr(m), 'keys': list(m.state_dict().keys()), 'out': describe(m(torch.randn(shape)))})
`);
  FUSED.forEach(([name, , make, shape], i) => {
    test(name, () => {
      torch.manualSeed(i);
      const m = make().eval();
      expect(m).toBeInstanceOf(nni._FusedModule);
      expect(m).toBeInstanceOf(nn.Sequential);
      expect(String(m)).toBe(py[i].repr);
      expect(Object.keys(m.stateDict())).toEqual(py[i].keys);
      expect(describeQuantized(m(torch.randn(shape)))).toEqual(py[i].out);
    });
  });
  test('children of the wrong classes: AssertionError', () => {
    expect(() => new nni.ConvReLU2d(new nn.Conv1d(3, 4, 3), new nn.ReLU())).toThrow(torch.AssertionError);
    expect(() => new nni.ConvReLU2d(new nn.Conv1d(3, 4, 3), new nn.ReLU())).toThrow(pythonErrors(['nni.ConvReLU2d(nn.Conv1d(3, 4, 3), nn.ReLU())'], { prelude: 'from torch import nn\nimport torch.nn.intrinsic as nni' })[0]);
    expect(() => new nni.LinearBn1d(new nn.Linear(3, 4), new nn.BatchNorm2d(4))).toThrow('Incorrect types for input modules');
    expect(() => new nni.ConvBnReLU2d(new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU6())).toThrow('Incorrect types for input modules');
  });
});

// [quantized class, fused float module (Python), ours, input shape]
const QUANTIZED: [string, string, () => nn.Module, number[]][] = [
  ['LinearReLU', 'nni.LinearReLU(nn.Linear(5, 4), nn.ReLU())', () => new nni.LinearReLU(new nn.Linear(5, 4), new nn.ReLU()), [3, 5]],
  ['ConvReLU1d', 'nni.ConvReLU1d(nn.Conv1d(3, 4, 3, stride=2), nn.ReLU())', () => new nni.ConvReLU1d(new nn.Conv1d(3, 4, 3, { stride: 2 }), new nn.ReLU()), [2, 3, 9]],
  ['ConvReLU2d', "nni.ConvReLU2d(nn.Conv2d(3, 4, 3, padding=1, padding_mode='reflect'), nn.ReLU())", () => new nni.ConvReLU2d(new nn.Conv2d(3, 4, 3, { padding: 1, paddingMode: 'reflect' }), new nn.ReLU()), [1, 3, 5, 4]],
  ['ConvReLU3d', 'nni.ConvReLU3d(nn.Conv3d(2, 3, 2, bias=False), nn.ReLU())', () => new nni.ConvReLU3d(new nn.Conv3d(2, 3, 2, { bias: false }), new nn.ReLU()), [1, 2, 3, 3, 3]],
  ['BNReLU2d', 'nni.BNReLU2d(perturb_bn(nn.BatchNorm2d(3)), nn.ReLU())', () => new nni.BNReLU2d(perturbBn(new nn.BatchNorm2d(3)), new nn.ReLU()), [2, 3, 3, 2]],
  ['BNReLU3d', 'nni.BNReLU3d(perturb_bn(nn.BatchNorm3d(2)), nn.ReLU())', () => new nni.BNReLU3d(perturbBn(new nn.BatchNorm3d(2)), new nn.ReLU()), [1, 2, 2, 3, 2]],
];
interface PyCase { repr: string; out: unknown; sd: Record<string, unknown>; loadedOut: unknown }

describe('torch.nn.intrinsic.quantized from_float', () => {
  const files = QUANTIZED.map((_, i) => path.join(dir, `q-${i}`));
  const ours = withEngine('onednn', () => QUANTIZED.map(([name, , make, shape], i) => {
    torch.manualSeed(i);
    const fused = make().eval() as nn.Module & { qconfig?: unknown; activation_post_process?: MinMaxObserver };
    const x = torch.randn(shape).mul(2);
    // as prepare does: the fused module and its children get the qconfig
    for (const m of fused.modules()) (m as nn.Module & { qconfig?: unknown }).qconfig = qconfig;
    fused.activation_post_process = new MinMaxObserver({ dtype: torch.quint8 });
    fused.activation_post_process(fused(x) as torch.Tensor);
    const q = (nniq as unknown as Record<string, { fromFloat(m: nn.Module): nn.Module }>)[name].fromFloat(fused);
    torch.saveSync(q.stateDict(), `${files[i]}-ts.pt`);
    const qx = torch.quantizePerTensor(x, 0.05, 64, torch.quint8);
    return { q, qx, out: (q as unknown as (t: torch.Tensor) => torch.Tensor)(qx) };
  }));
  const py = runPython<PyCase[]>(`${PY_HELPERS}
result = []
for i, (name, make, shape, file) in enumerate(${JSON.stringify(QUANTIZED.map((c, i) => [c[0], c[1], c[3], files[i]]))}):
    torch.manual_seed(i)
    fused = eval(make).eval()
    x = torch.randn(shape) * 2
    for m in fused.modules():
        m.qconfig = QCONFIG
    fused.activation_post_process = MinMaxObserver(dtype=torch.quint8)
    fused.activation_post_process(fused(x))
    q = getattr(nniq, name).from_float(fused)
    torch.save(q.state_dict(), file + '-py.pt')
    qx = torch.quantize_per_tensor(x, 0.05, 64, torch.quint8)
    other = copy.deepcopy(q)
    other.load_state_dict(torch.load(file + '-ts.pt'))
    result.append({'repr': repr(q), 'out': describe(q(qx)), 'sd': describe_sd(q.state_dict()), 'loadedOut': describe(other(qx))})
`);
  QUANTIZED.forEach(([name], i) => {
    test(name, () => {
      const { q, qx, out } = ours[i];
      expect(String(q)).toBe(py[i].repr);
      expect(describeQuantized(out)).toEqual(py[i].out);
      expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py[i].sd);
      expect(py[i].loadedOut).toEqual(py[i].out);
      const other = nn.deepcopy(q);
      other.loadStateDict(torch.loadSync(`${files[i]}-py.pt`) as Map<string, torch.Tensor>);
      expect(describeQuantized((other as unknown as (t: torch.Tensor) => torch.Tensor)(qx))).toEqual(py[i].out);
    });
  });
  test('a quantized class takes only its own float class', () => {
    const conv = new nn.Conv2d(3, 4, 3) as nn.Module & { qconfig?: unknown };
    conv.qconfig = qconfig;
    expect(() => nniq.ConvReLU2d.fromFloat(conv)).toThrow(' nnq.ConvReLU2d.from_float only works for ConvReLU2d but got:');
    expect(() => nnq.Linear.fromFloat(new nni.LinearReLU(new nn.Linear(2, 2), new nn.ReLU()))).toThrow('nnq.Linear.from_float only works for Linear, NonDynamicallyQuantizableLinear, but got:');
    expect(() => nnq.Conv2d.fromFloat(new nn.Conv2d(3, 4, 3))).toThrow('Input float module must have qconfig defined.');
    expect(() => new nniq.ConvReLU3d(2, 3, 2, { paddingMode: 'reflect' })).toThrow('Conv3d does not support reflection padding');
  });
});

// QAT modules with a BatchNorm: Python's real nniqat classes; ours duck-typed (weight_fake_quant, bn)
const QAT: [string, string, string, () => nn.Module, () => nn.Module, number[]][] = [
  ['nnq.Conv2d', 'nniqat.ConvBn2d', 'nni.ConvBn2d(nn.Conv2d(3, 4, 3), perturb_bn(nn.BatchNorm2d(4)))', () => new nn.Conv2d(3, 4, 3), () => perturbBn(new nn.BatchNorm2d(4)), [1, 3, 5, 4]],
  ['nniq.ConvReLU2d', 'nniqat.ConvBnReLU2d', 'nni.ConvBnReLU2d(nn.Conv2d(3, 4, 3, bias=False), perturb_bn(nn.BatchNorm2d(4)), nn.ReLU())', () => new nn.Conv2d(3, 4, 3, { bias: false }), () => perturbBn(new nn.BatchNorm2d(4)), [1, 3, 5, 4]],
  ['nnq.Conv1d', 'nniqat.ConvBn1d', 'nni.ConvBn1d(nn.Conv1d(3, 4, 3), perturb_bn(nn.BatchNorm1d(4)))', () => new nn.Conv1d(3, 4, 3), () => perturbBn(new nn.BatchNorm1d(4)), [2, 3, 6]],
  ['nnq.Linear', 'nniqat.LinearBn1d', 'nni.LinearBn1d(nn.Linear(5, 4), perturb_bn(nn.BatchNorm1d(4)))', () => new nn.Linear(5, 4), () => perturbBn(new nn.BatchNorm1d(4)), [3, 5]],
];
describe('from_float of QAT modules with a BatchNorm folded in', () => {
  const py = runPython<{ repr: string; out: unknown; sd: Record<string, unknown> }[]>(`${PY_HELPERS}
result = []
for i, (qcls, qatcls, make, shape) in enumerate(${JSON.stringify(QAT.map((c) => [c[0], c[1], c[2], c[5]]))}):
    torch.manual_seed(i)
    fused = eval(make)
    x = torch.randn(shape) * 2
    fused.qconfig = QCONFIG
    # (the QAT module's construction draws random numbers: after x)
    qat = eval(qatcls).from_float(fused)
    qat.weight_fake_quant = MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)
    qat.activation_post_process = MinMaxObserver(dtype=torch.quint8)
    qat.activation_post_process(x * 3 - 1)
    q = eval(qcls).from_float(qat)
    result.append({'repr': repr(q), 'out': describe(q(torch.quantize_per_tensor(x, 0.05, 64, torch.quint8))), 'sd': describe_sd(q.state_dict())})
`);
  QAT.forEach(([qcls, , , makeLayer, makeBn, shape], i) => {
    test(`${qcls} from a ${QAT[i][1]}-like module`, () => {
      torch.manualSeed(i);
      const qat = makeLayer() as nn.Module & { bn?: nn.Module; weight_fake_quant?: MinMaxObserver; activation_post_process?: MinMaxObserver };
      qat.bn = makeBn();
      qat.weight_fake_quant = new MinMaxObserver({ dtype: torch.qint8, qscheme: torch.perTensorSymmetric });
      qat.activation_post_process = new MinMaxObserver({ dtype: torch.quint8 });
      const x = torch.randn(shape).mul(2);
      qat.activation_post_process(x.mul(3).sub(1));
      const [ns, name] = qcls.split('.');
      const cls = (ns === 'nnq' ? nnq : nniq) as unknown as Record<string, { fromFloat(m: nn.Module): nn.Module }>;
      const q = cls[name].fromFloat(qat);
      expect(String(q)).toBe(py[i].repr);
      expect(describeQuantized((q as unknown as (t: torch.Tensor) => torch.Tensor)(torch.quantizePerTensor(x, 0.05, 64, torch.quint8)))).toEqual(py[i].out);
      expect(describeStateDict(q.stateDict() as Record<string, unknown>)).toEqual(py[i].sd);
    });
  });
});

// The post-training static quantization tutorial's model, converted by Python (fuse -> prepare ->
// calibrate -> convert), rebuilt here from quantized modules: Python's state_dict file loads into it
// and gives Python's outputs; its own state_dict, saved here, loads back into Python's model.
describe('a model converted by Python', () => {
  const pyFile = path.join(dir, 'converted-py.pt');
  const tsFile = path.join(dir, 'converted-ts.pt');
  const PY_MODEL = `${PY_HELPERS}
from torch.ao.quantization import QuantStub, DeQuantStub, get_default_qconfig, prepare, convert, fuse_modules
def make():
    torch.manual_seed(0)
    m = nn.Sequential(QuantStub(), nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 3, 5), nn.ReLU(), nn.Linear(5, 2), DeQuantStub()).eval()
    m = fuse_modules(m, [['1', '2', '3'], ['5', '6']])
    m.qconfig = get_default_qconfig('onednn')
    prepare(m, inplace=True)
    for _ in range(3):
        m(torch.randn(2, 3, 6, 5))
    return convert(m)
torch.manual_seed(7)
x = torch.randn(2, 3, 6, 5)
`;
  const py = runPython<{ repr: string; out: number[][]; keys: string[] }>(`${PY_MODEL}
m = make()
torch.save(m.state_dict(), '${pyFile}')
result = {'repr': repr(m), 'out': m(x).tolist(), 'keys': list(m.state_dict().keys())}
`);
  function rebuild(): nn.Sequential {
    return new nn.Sequential(
      new nnq.Quantize(1.0, 0, torch.quint8), new nniq.ConvReLU2d(3, 4, 3), new nn.Identity(), new nn.Identity(), new nn.Flatten(),
      new nniq.LinearReLU(48, 5), new nn.Identity(), new nnq.Linear(5, 2), new nnq.DeQuantize(),
    );
  }
  test('state_dict from Python, outputs, and back', () => {
    const m = rebuild();
    m.loadStateDict(torch.loadSync(pyFile) as Map<string, torch.Tensor>);
    expect(Object.keys(m.stateDict())).toEqual(py.keys);
    const pyAgain = runPython<{ x: number[][][][] }>(`${PY_MODEL}\nresult = {'x': x.tolist()}`);
    const x = torch.tensor(pyAgain.x);
    expect((m(x) as torch.Tensor).tolist()).toEqual(py.out);
    torch.saveSync(m.stateDict(), tsFile);
    const back = runPython<number[][]>(`${PY_MODEL}
m = make()
m.load_state_dict(torch.load('${tsFile}'))
result = m(x).tolist()
`);
    expect(back).toEqual(py.out);
    // the repr differs only where Python's convert leaves its own classes (Identity for the fused BatchNorm and ReLU)
    expect(String(m).split('\n').filter((l) => /Quantized|Quantize\(|DeQuantize/.test(l))).toEqual(py.repr.split('\n').filter((l) => /Quantized|Quantize\(|DeQuantize/.test(l)));
  });
});
