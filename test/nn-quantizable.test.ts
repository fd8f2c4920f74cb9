// nn.quantizable LSTM / MultiheadAttention and eager mode's custom-module flow against PyTorch 1.13 in
// the same run: the quantizable modules (built directly or from a float module) print, save and
// compute as Python's, with the same gradients; prepare swaps nn.LSTM / nn.MultiheadAttention for the
// observed classes (by default, or through prepareCustomConfigDict) and convert makes the quantized
// nn.quantized.LSTM / MultiheadAttention, whose outputs (int_repr, scale, zero point) and
// state_dicts must be Python's.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as Q from '../lib/ao/quantization';
import * as nnqa from '../lib/nn/quantizable';
import * as nnq from '../lib/nn/quantized';
import { runPythonShared as runPython } from './helpers/python-session';
import { PY_DESCRIBE_QUANTIZED, describeQuantized, describeStateDict, resetQuantizedEngineEachTest } from './helpers/quantized';
import { ErrorOracleOptions, errorTable as errorTableOf } from './helpers/error-oracle';
import { closeWithin } from './helpers/close';

/** errorTable with its Python in this file's one Python process. */
const errorTable = (cases: [string, () => unknown][], options: ErrorOracleOptions = {}) => errorTableOf(cases, { runner: runPython, ...options });

resetQuantizedEngineEachTest('qnnpack');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qcustom-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const close = closeWithin(1e-5);

const PY_PRELUDE = `
import warnings
warnings.simplefilter('ignore')
import torch.nn as nn
import torch.ao.nn.quantizable as nnqa
import torch.ao.nn.quantized as nnq
from torch.ao.quantization import *
torch.backends.quantized.engine = 'qnnpack'
${PY_DESCRIBE_QUANTIZED}
`;

type Described = Record<string, unknown>;

describe('quantizable LSTMCell and LSTM, float: repr, state_dict, outputs, gradients', () => {
  // [label, Python constructor, ours, input shape]
  const CASES: [string, string, () => nn.Module, number[]][] = [
    ['LSTMCell', 'nnqa.LSTMCell(3, 4)', () => new nnqa.LSTMCell(3, 4), [2, 3]],
    ['LSTM', 'nnqa.LSTM(3, 4)', () => new nnqa.LSTM(3, 4), [5, 2, 3]],
    ['LSTM, 2 layers, batch first', 'nnqa.LSTM(3, 4, 2, batch_first=True)', () => new nnqa.LSTM(3, 4, 2, { batchFirst: true }), [2, 5, 3]],
    ['LSTM, bidirectional', 'nnqa.LSTM(3, 4, bidirectional=True)', () => new nnqa.LSTM(3, 4, { bidirectional: true }), [5, 2, 3]],
  ];
  const py = runPython<{ repr: string; sd: Described; out: unknown; xgrad: unknown; wgrad: unknown }[]>(`${PY_PRELUDE}
result = []
for ctor, shape in ${JSON.stringify(CASES.map((c) => [c[1], c[3]]))}:
    torch.manual_seed(0)
    m = eval(ctor)
    torch.manual_seed(1)
    x = torch.randn(*shape).requires_grad_()
    y = m(x)
    outs = [y[0], *y[1]] if isinstance(m, nnqa.LSTM) else list(y)
    sum(o.sum() for o in outs).backward()
    w = m.igates.weight if isinstance(m, nnqa.LSTMCell) else m.layers[0].layer_fw.cell.igates.weight
    result.append({'repr': repr(m), 'sd': describe_sd(m.state_dict()), 'out': [o.tolist() for o in outs], 'xgrad': x.grad.tolist(), 'wgrad': w.grad.tolist()})
`);
  CASES.forEach(([label, , make, shape], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const m = make();
      torch.manualSeed(1);
      const x = torch.randn(shape).requiresGrad_();
      const y = m(x) as [torch.Tensor, torch.Tensor | [torch.Tensor, torch.Tensor]];
      const outs = m instanceof nnqa.LSTM ? [y[0], ...(y[1] as torch.Tensor[])] : (y as torch.Tensor[]);
      outs.map((o) => o.sum()).reduce((a, b) => a.add(b)).backward();
      const w = m instanceof nnqa.LSTMCell ? m.igates.weight : ((m as nnqa.LSTM).layers.at(0) as nnqa._LSTMLayer).layer_fw.cell.igates.weight;
      expect(String(m)).toBe(py[i].repr);
      expect(describeStateDict(m.stateDict())).toEqual(py[i].sd);
      close(outs.map((o) => o.tolist()), py[i].out);
      close(x.grad!.tolist(), py[i].xgrad);
      close(w.grad!.tolist(), py[i].wgrad);
    });
  });
});

// the custom-module flow on a model around an LSTM: quant -> lstm -> dequant (output, h, c)
const PY_LSTM_MODEL = `${PY_PRELUDE}
class M(nn.Module):
    def __init__(self, **kw):
        super().__init__()
        self.quant = QuantStub()
        self.lstm = nn.LSTM(3, 4, **kw)
        self.dequant = DeQuantStub()
    def forward(self, x):
        y, (h, c) = self.lstm(self.quant(x))
        return self.dequant(y), self.dequant(h), self.dequant(c)
def calibrate(p, shape):
    for i in range(3):
        torch.manual_seed(20 + i)
        p(torch.randn(*shape) * (i + 1))
`;
class M extends nn.Module {
  quant: Q.QuantStub;
  lstm: nn.LSTM;
  dequant: Q.DeQuantStub;
  constructor(options: { numLayers?: number; batchFirst?: boolean; bidirectional?: boolean } = {}) {
    super();
    this.quant = new Q.QuantStub();
    this.lstm = new nn.LSTM(3, 4, options);
    this.dequant = new Q.DeQuantStub();
  }
  forward(x: torch.Tensor): torch.Tensor[] {
    const [y, [h, c]] = this.lstm(this.quant(x)) as [torch.Tensor, [torch.Tensor, torch.Tensor]];
    return [this.dequant(y), this.dequant(h), this.dequant(c)] as torch.Tensor[];
  }
}
function calibrate(p: nn.Module, shape: number[]): void {
  for (let i = 0; i < 3; i++) {
    torch.manualSeed(20 + i);
    p(torch.randn(shape).mul(i + 1));
  }
}

describe('custom modules: nn.LSTM through prepare and convert', () => {
  // [label, Python kwargs, ours, input shape, explicit custom config dicts]
  const CASES: [string, string, ConstructorParameters<typeof M>[0], number[], boolean][] = [
    ['default custom config', '{}', {}, [5, 2, 3], false],
    ['explicit custom config dicts, 2 layers', "{'num_layers': 2}", { numLayers: 2 }, [4, 2, 3], true],
    ['bidirectional, batch first', "{'bidirectional': True, 'batch_first': True}", { bidirectional: true, batchFirst: true }, [2, 4, 3], false],
  ];
  const py = runPython<{ prepared: string; observedOut: unknown; converted: string; sd: Described; out: unknown }[]>(`${PY_LSTM_MODEL}
result = []
for kw, shape, explicit in ${JSON.stringify(CASES.map((c) => [c[1], c[3], c[4] ? 1 : 0]))}:
    torch.manual_seed(0)
    m = M(**eval(kw)).eval()
    m.qconfig = get_default_qconfig('qnnpack')
    config = {'float_to_observed_custom_module_class': {nn.LSTM: nnqa.LSTM}, 'observed_to_quantized_custom_module_class': {nnqa.LSTM: nnq.LSTM}}
    p = prepare(m, prepare_custom_config_dict=config) if explicit else prepare(m)
    calibrate(p, shape)
    prepared = repr(p)
    torch.manual_seed(9)
    x = torch.randn(*shape)
    observed_out = [o.tolist() for o in p(x)]
    q = convert(p, convert_custom_config_dict=config) if explicit else convert(p)
    result.append({'prepared': prepared, 'observedOut': observed_out, 'converted': repr(q), 'sd': describe_sd(q.state_dict()), 'out': describe(list(q(x)))})
`);
  CASES.forEach(([label, , options, shape, explicit], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const m = new M(options).eval();
      (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('qnnpack');
      const p = explicit
        ? Q.prepare(m, { prepareCustomConfigDict: { float_to_observed_custom_module_class: new Map([[nn.LSTM, nnqa.LSTM]]) } })
        : Q.prepare(m);
      expect(p.lstm).toBeInstanceOf(nnqa.LSTM);
      calibrate(p, shape);
      torch.manualSeed(9);
      const x = torch.randn(shape);
      expect(String(p)).toBe(py[i].prepared);
      close((p(x) as torch.Tensor[]).map((o) => o.tolist()), py[i].observedOut);
      const q = explicit
        ? Q.convert(p, { convertCustomConfigDict: { observed_to_quantized_custom_module_class: new Map([[nnqa.LSTM, nnq.LSTM]]) } })
        : Q.convert(p);
      expect(q.lstm).toBeInstanceOf(nnq.LSTM);
      expect(String(q)).toBe(py[i].converted);
      expect(describeStateDict(q.stateDict())).toEqual(py[i].sd);
      expect(describeQuantized(q(x))).toEqual(py[i].out);
    });
  });

  test('getDefaultCustomConfigDict: the same object each call, with the LSTM and MultiheadAttention entries', () => {
    const d = Q.getDefaultCustomConfigDict();
    expect(Q.getDefaultCustomConfigDict()).toBe(d);
    expect([...d.float_to_observed_custom_module_class!]).toEqual([[nn.LSTM, nnqa.LSTM], [nn.MultiheadAttention, nnqa.MultiheadAttention]]);
    expect([...d.observed_to_quantized_custom_module_class!]).toEqual([[nnqa.LSTM, nnq.LSTM], [nnqa.MultiheadAttention, nnq.MultiheadAttention]]);
  });
});

// the custom-module flow around a MultiheadAttention: quant -> self-attention -> dequant (output, weights)
const PY_MHA_MODEL = `${PY_PRELUDE}
class A(nn.Module):
    def __init__(self, **kw):
        super().__init__()
        self.quant = QuantStub()
        self.mha = nn.MultiheadAttention(8, 2, **kw)
        self.dequant = DeQuantStub()
    def forward(self, x, mask=None):
        x = self.quant(x)
        y, w = self.mha(x, x, x, key_padding_mask=mask)
        return self.dequant(y), self.dequant(w)
def calibrate(p):
    for i in range(3):
        torch.manual_seed(30 + i)
        p(torch.randn(5, 3, 8) * (i + 1))
def padding_mask():
    return torch.tensor([[False, False, False, True, True], [False] * 5, [False, True, False, False, False]])
`;
class A extends nn.Module {
  quant: Q.QuantStub;
  mha: nn.MultiheadAttention;
  dequant: Q.DeQuantStub;
  constructor(options: { bias?: boolean; addBiasKv?: boolean; addZeroAttn?: boolean } = {}) {
    super();
    this.quant = new Q.QuantStub();
    this.mha = new nn.MultiheadAttention(8, 2, options);
    this.dequant = new Q.DeQuantStub();
  }
  forward(x: torch.Tensor, mask: torch.Tensor | null = null): torch.Tensor[] {
    x = this.quant(x);
    const [y, w] = this.mha(x, x, x, { keyPaddingMask: mask }) as [torch.Tensor, torch.Tensor];
    return [this.dequant(y), this.dequant(w)] as torch.Tensor[];
  }
}
const paddingMask = () => torch.tensor([[false, false, false, true, true], [false, false, false, false, false], [false, true, false, false, false]]);

describe('custom modules: nn.MultiheadAttention through prepare and convert', () => {
  const CASES: [string, string, ConstructorParameters<typeof A>[0], boolean][] = [
    ['default', '{}', {}, false],
    ['bias_k / bias_v and zero attention, key padding mask', "{'add_bias_kv': True, 'add_zero_attn': True}", { addBiasKv: true, addZeroAttn: true }, true],
    ['no bias', "{'bias': False}", { bias: false }, false],
  ];
  const py = runPython<{ prepared: string; observedOut: unknown; converted: string; sd: Described; out: unknown }[]>(`${PY_MHA_MODEL}
result = []
for kw, masked in ${JSON.stringify(CASES.map((c) => [c[1], c[3] ? 1 : 0]))}:
    torch.manual_seed(0)
    m = A(**eval(kw)).eval()
    m.qconfig = get_default_qconfig('qnnpack')
    p = prepare(m)
    calibrate(p)
    prepared = repr(p)
    torch.manual_seed(9)
    x = torch.randn(5, 3, 8)
    mask = padding_mask() if masked else None
    observed_out = [o.tolist() for o in p(x, mask)]
    q = convert(p)
    result.append({'prepared': prepared, 'observedOut': observed_out, 'converted': repr(q), 'sd': describe_sd(q.state_dict()), 'out': describe(list(q(x, mask)))})
`);
  CASES.forEach(([label, , options, masked], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const m = new A(options).eval();
      (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('qnnpack');
      const p = Q.prepare(m);
      expect(p.mha).toBeInstanceOf(nnqa.MultiheadAttention);
      for (let j = 0; j < 3; j++) {
        torch.manualSeed(30 + j);
        p(torch.randn(5, 3, 8).mul(j + 1));
      }
      expect(String(p)).toBe(py[i].prepared);
      torch.manualSeed(9);
      const x = torch.randn(5, 3, 8);
      const mask = masked ? paddingMask() : null;
      close((p(x, mask) as torch.Tensor[]).map((o) => o.tolist()), py[i].observedOut);
      const q = Q.convert(p);
      expect(q.mha).toBeInstanceOf(nnq.MultiheadAttention);
      expect(String(q)).toBe(py[i].converted);
      expect(describeStateDict(q.stateDict())).toEqual(py[i].sd);
      expect(describeQuantized(q(x, mask))).toEqual(py[i].out);
    });
  });

  test('the observed MultiheadAttention (from nn.MultiheadAttention): outputs and gradients of input and projections', () => {
    const py2 = runPython<{ out: unknown; xgrad: unknown; qgrad: unknown; ograd: unknown }>(`${PY_PRELUDE}
torch.manual_seed(0)
f = nn.MultiheadAttention(8, 2, batch_first=True)
f.qconfig = default_qconfig
o = nnqa.MultiheadAttention.from_float(f)
torch.manual_seed(1)
x = torch.randn(5, 3, 8).requires_grad_()
y, w = o(x, x, x, average_attn_weights=False)
(y.sum() + (w * w).sum()).backward()
result = {'out': [y.tolist(), w.tolist()], 'xgrad': x.grad.tolist(), 'qgrad': o.linear_Q.weight.grad.tolist(), 'ograd': o.out_proj.weight.grad.tolist()}
`);
    torch.manualSeed(0);
    const f = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    (f as unknown as { qconfig: Q.QConfig }).qconfig = Q.defaultQconfig;
    const o = nnqa.MultiheadAttention.fromFloat(f);
    torch.manualSeed(1);
    const x = torch.randn(5, 3, 8).requiresGrad_();
    const [y, w] = o(x, x, x, { averageAttnWeights: false }) as [torch.Tensor, torch.Tensor];
    y.sum().add(w.mul(w).sum()).backward();
    close([y.tolist(), w.tolist()], py2.out);
    close(x.grad!.tolist(), py2.xgrad);
    close(o.linear_Q.weight.grad!.tolist(), py2.qgrad);
    close(o.out_proj.weight.grad!.tolist(), py2.ograd);
  });
});

describe("Python's converted custom modules' state_dicts", () => {
  test('a quantized LSTM and a quantized MultiheadAttention load and compute as Python', async () => {
    const lstmFile = path.join(dir, 'lstm.pt');
    const mhaFile = path.join(dir, 'mha.pt');
    const PY = `${PY_LSTM_MODEL}
torch.manual_seed(0)
m = M(num_layers=2).eval()
m.qconfig = get_default_qconfig('qnnpack')
p = prepare(m)
calibrate(p, [4, 2, 3])
q = convert(p)
torch.save(q.state_dict(), ${JSON.stringify(lstmFile)})
torch.manual_seed(9)
lstm_out = describe(list(q(torch.randn(4, 2, 3))))
${PY_MHA_MODEL.slice(PY_PRELUDE.length)}
torch.manual_seed(0)
a = A().eval()
a.qconfig = get_default_qconfig('qnnpack')
p = prepare(a)
calibrate(p)
q = convert(p)
torch.save(q.state_dict(), ${JSON.stringify(mhaFile)})
torch.manual_seed(9)
mha_out = describe(list(q(torch.randn(5, 3, 8))))
result = {'lstm': lstm_out, 'mha': mha_out}
`;
    const py = runPython<{ lstm: unknown; mha: unknown }>(PY);
    // ours: another seed and other calibration data, then Python's state_dict (bias_k / bias_v are
    // plain attributes of a quantized MHA, outside its state_dict: the default MHA has none)
    const quantized = <T extends nn.Module>(m: T, shape: number[]): T => {
      (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.getDefaultQconfig('qnnpack');
      const p = Q.prepare(m);
      torch.manualSeed(40);
      (p as nn.Module)(torch.randn(shape));
      return Q.convert(p);
    };
    torch.manualSeed(5);
    const lstm = quantized(new M({ numLayers: 2 }).eval(), [4, 2, 3]);
    lstm.loadStateDict(await torch.load(lstmFile));
    torch.manualSeed(9);
    expect(describeQuantized(lstm(torch.randn(4, 2, 3)))).toEqual(py.lstm);
    torch.manualSeed(5);
    const mha = quantized(new A().eval(), [5, 3, 8]);
    mha.loadStateDict(await torch.load(mhaFile));
    torch.manualSeed(9);
    expect(describeQuantized(mha(torch.randn(5, 3, 8)))).toEqual(py.mha);
  });
});

describe('propagateQconfig_ with non-traceable modules', () => {
  test('children named or of a listed class (and all below them) get no qconfig', () => {
    const py = runPython<Record<string, boolean>>(`${PY_PRELUDE}
torch.manual_seed(0)
m = nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.ReLU()), nn.ReLU(), nn.Sequential(nn.Linear(2, 2)), nn.Linear(2, 2))
m.qconfig = default_qconfig
propagate_qconfig_(m, None, {'non_traceable_module_name': ['2'], 'non_traceable_module_class': [nn.ReLU]})
result = {n: getattr(mod, 'qconfig', None) is not None for n, mod in m.named_modules()}
`);
    torch.manualSeed(0);
    const m = new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()), new nn.ReLU(), new nn.Sequential(new nn.Linear(2, 2)), new nn.Linear(2, 2));
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.defaultQconfig;
    Q.propagateQconfig_(m, null, { non_traceable_module_name: ['2'], non_traceable_module_class: [nn.ReLU] });
    const got = Object.fromEntries([...m.namedModules()].map(([n, mod]) => [n, !!(mod as unknown as { qconfig?: Q.QConfig | null }).qconfig]));
    expect(got).toEqual(py);
  });
});

describe('observed MultiheadAttention: separate key/value sizes and masks', () => {
  test('kdim / vdim, no bias, a float attention mask and a bool one: outputs and gradients', () => {
    const py = runPython<{ out: unknown; grads: unknown }>(`${PY_PRELUDE}
torch.manual_seed(0)
f = nn.MultiheadAttention(8, 2, bias=False, kdim=4, vdim=6)
f.qconfig = default_qconfig
o = nnqa.MultiheadAttention.from_float(f)
torch.manual_seed(1)
q, k, v = torch.randn(3, 2, 8).requires_grad_(), torch.randn(5, 2, 4).requires_grad_(), torch.randn(5, 2, 6).requires_grad_()
fmask = torch.randn(3, 5)
bmask = torch.rand(4, 3, 5) > 0.8
y1, w1 = o(q, k, v, attn_mask=fmask)
y2, w2 = o(q, k, v, attn_mask=bmask, need_weights=False)
(y1.sum() + w1.sum() + y2.sum()).backward()
result = {'out': [y1.tolist(), w1.tolist(), y2.tolist(), w2], 'grads': [t.grad.tolist() for t in (q, k, v, o.linear_K.weight)]}
`);
    torch.manualSeed(0);
    const f = new nn.MultiheadAttention(8, 2, { bias: false, kdim: 4, vdim: 6 });
    (f as unknown as { qconfig: Q.QConfig }).qconfig = Q.defaultQconfig;
    const o = nnqa.MultiheadAttention.fromFloat(f);
    torch.manualSeed(1);
    const [q, k, v] = [torch.randn(3, 2, 8).requiresGrad_(), torch.randn(5, 2, 4).requiresGrad_(), torch.randn(5, 2, 6).requiresGrad_()];
    const fmask = torch.randn(3, 5);
    const bmask = torch.rand(4, 3, 5).gt(0.8);
    const [y1, w1] = o(q, k, v, { attnMask: fmask }) as [torch.Tensor, torch.Tensor];
    const [y2, w2] = o(q, k, v, { attnMask: bmask, needWeights: false });
    y1.sum().add(w1.sum()).add(y2.sum()).backward();
    close([y1.tolist(), w1.tolist(), y2.tolist(), w2], py.out);
    close([q, k, v, o.linear_K.weight].map((t) => t.grad!.tolist()), py.grads);
  });
});

describe('QConfigDynamic (deprecated)', () => {
  test("repr and Python's warning", () => {
    const py = runPython<string>(`${PY_PRELUDE}
result = repr(QConfigDynamic(weight=default_weight_observer))
`);
    const warnings: string[] = [];
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
    try {
      const qc = new Q.QConfigDynamic({ weight: Q.defaultWeightObserver });
      expect(String(qc)).toBe(py);
      expect(warnings).toContain('QConfigDynamic is going to be deprecated in PyTorch 1.12, please use QConfig instead');
      expect(qc.weight()).toBeInstanceOf(Q.MinMaxObserver);
    } finally {
      emit.mockRestore();
    }
  });
});

errorTable(
  [
    ['nnq.LSTM.from_float(nn.LSTM(2, 2))', () => nnq.LSTM.fromFloat(new nn.LSTM(2, 2))],
    ['nnqa.LSTM.from_observed(nnqa.LSTM(2, 2))', () => nnqa.LSTM.fromObserved(new nnqa.LSTM(2, 2))],
    ['nnqa.LSTM(2, 2, dropout=2)', () => new nnqa.LSTM(2, 2, { dropout: 2 })],
    ['nnqa.MultiheadAttention.from_float(nn.MultiheadAttention(4, 2))', () => nnqa.MultiheadAttention.fromFloat(new nn.MultiheadAttention(4, 2))],
    ['nnqa.MultiheadAttention.from_observed(None)', () => nnqa.MultiheadAttention.fromObserved(null as never)],
    ['nnq.MultiheadAttention.from_float(None)', () => nnq.MultiheadAttention.fromFloat(null as never)],
    ['QConfigDynamic(weight=MinMaxObserver())', () => new Q.QConfigDynamic({ weight: new Q.MinMaxObserver() as never })],
  ],
  { prelude: PY_PRELUDE },
);
