// Dynamically quantized recurrent layers (torch.ao.nn.quantized.dynamic LSTM, GRU, LSTMCell, GRUCell,
// RNNCell) against PyTorch 1.13 in the same run: from_float on the same seeded float layer, forward
// bit-equal on onednn and qnnpack (batch_first, bidirectional, stacked, PackedSequence), reprs,
// state_dict entries (Python's CellParamsBase / LinearPackedParamsBase states), errors, and
// quantize_dynamic's default mapping over an LSTM word language model.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPythonShared as runPython } from './helpers/python-session';
import { PY_DESCRIBE_QUANTIZED, describeQuantized, describeStateDict, resetQuantizedEngineEachTest } from './helpers/quantized';
import { ErrorOracleOptions, errorTable as errorTableOf } from './helpers/error-oracle';
import { quantized as engine } from '../lib/ao/quantization/engine';
import { ScriptObject } from '../lib/nn/quantized/dynamic/script-object';
import { aten } from '../lib/tensor/aten';
import { orderedDictAttributes } from '../lib/serialization/py-types';
import { getDefaultStaticQuantModuleMappings, getEmbeddingStaticQuantModuleMappings, getEmbeddingQatModuleMappings } from '../lib/ao/quantization/mappings';

/** errorTable with its Python in this file's one Python process. */
const errorTable = (cases: [string, () => unknown][], options: ErrorOracleOptions = {}) => errorTableOf(cases, { runner: runPython, ...options });

const nnqd = nn.quantized.dynamic;
resetQuantizedEngineEachTest();

type Out = { out: number[]; h: number[]; c?: number[]; repr: string };

// Python: the seeded float layer, converted, run on a seeded input (the same draws as here)
const PY_RNN = `
import torch.ao.nn.quantized.dynamic as nnqd
from torch.ao.quantization import default_dynamic_qconfig
def flat(t): return t.reshape(-1).tolist()
def run_rnn(kind, engine, seed, kwargs, shape, packed_lengths=None, with_hx=False):
    torch.backends.quantized.engine = engine
    torch.manual_seed(seed)
    f = getattr(torch.nn, kind)(4, 5, **kwargs)
    f.qconfig = default_dynamic_qconfig
    q = getattr(nnqd, kind).from_float(f)
    x = torch.randn(*shape) * 2
    dirs = 2 if kwargs.get('bidirectional') else 1
    batch = shape[0] if kwargs.get('batch_first') else shape[1]
    hx = None
    if with_hx:
        h0 = torch.randn(kwargs.get('num_layers', 1) * dirs, batch, 5)
        hx = (h0, torch.randn(kwargs.get('num_layers', 1) * dirs, batch, 5)) if kind == 'LSTM' else h0
    if packed_lengths is not None:
        x = torch.nn.utils.rnn.pack_padded_sequence(x, packed_lengths, batch_first=kwargs.get('batch_first', False), enforce_sorted=False)
    out, h = q(x, hx)
    if packed_lengths is not None: out = out.data
    r = {'out': flat(out), 'repr': repr(q)}
    if kind == 'LSTM': r['h'], r['c'] = flat(h[0]), flat(h[1])
    else: r['h'] = flat(h)
    return r
`;

interface RnnCase {
  kind: 'LSTM' | 'GRU';
  engine: string;
  kwargs: Record<string, unknown>;
  shape: number[];
  packedLengths?: number[];
  withHx?: boolean;
}
const CASES: RnnCase[] = [];
for (const engineName of ['onednn', 'qnnpack']) {
  for (const kind of ['LSTM', 'GRU'] as const) {
    CASES.push(
      { kind, engine: engineName, kwargs: {}, shape: [6, 3, 4] },
      { kind, engine: engineName, kwargs: { num_layers: 2, bidirectional: true }, shape: [5, 2, 4], withHx: true },
      { kind, engine: engineName, kwargs: { batch_first: true, num_layers: 2 }, shape: [3, 6, 4] },
      { kind, engine: engineName, kwargs: { bidirectional: true }, shape: [5, 3, 4], packedLengths: [5, 2, 4] },
      { kind, engine: engineName, kwargs: { num_layers: 2, batch_first: true }, shape: [3, 5, 4], packedLengths: [3, 5, 1], withHx: true },
    );
  }
}

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function runHere(c: RnnCase, seed: number): Out {
  engine.engine = c.engine;
  torch.manualSeed(seed);
  const opts = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), v]));
  const f = c.kind === 'LSTM' ? new nn.LSTM(4, 5, opts) : new nn.GRU(4, 5, opts);
  (f as unknown as { qconfig: unknown }).qconfig = torch.ao.quantization.defaultDynamicQconfig;
  const q = c.kind === 'LSTM' ? nnqd.LSTM.fromFloat(f) : nnqd.GRU.fromFloat(f);
  let x: torch.Tensor | nn.utils.rnn.PackedSequence = torch.randn(c.shape).mul(2);
  const dirs = c.kwargs.bidirectional ? 2 : 1;
  const layers = (c.kwargs.num_layers as number | undefined) ?? 1;
  const batch = c.kwargs.batch_first ? c.shape[0] : c.shape[1];
  let hx: torch.Tensor | [torch.Tensor, torch.Tensor] | null = null;
  if (c.withHx) {
    const h0 = torch.randn([layers * dirs, batch, 5]);
    hx = c.kind === 'LSTM' ? [h0, torch.randn([layers * dirs, batch, 5])] : h0;
  }
  if (c.packedLengths) x = nn.utils.rnn.packPaddedSequence(x, c.packedLengths, { batchFirst: Boolean(c.kwargs.batch_first), enforceSorted: false });
  const [out, h] = (q as unknown as (x: unknown, hx: unknown) => [torch.Tensor | nn.utils.rnn.PackedSequence, torch.Tensor | [torch.Tensor, torch.Tensor]])(x, hx);
  const flat = (t: torch.Tensor): number[] => t.reshape(-1).tolist() as number[];
  const r: Out = { out: flat(out instanceof torch.Tensor ? out : out.data), h: [], repr: String(q) };
  if (Array.isArray(h)) [r.h, r.c] = [flat(h[0]), flat(h[1])];
  else r.h = flat(h);
  return r;
}

describe('dynamic quantized LSTM and GRU from_float: outputs bit-equal to PyTorch', () => {
  const py = runPython<Out[]>(`${PY_RNN}
result = [run_rnn(c['kind'], c['engine'], 10 + i, c['kwargs'], c['shape'], c.get('packedLengths'), c.get('withHx', False)) for i, c in enumerate(json.loads(${JSON.stringify(JSON.stringify(CASES))}))]
`);
  CASES.forEach((c, i) => {
    test(`${c.kind} ${c.engine} ${JSON.stringify(c.kwargs)} ${c.packedLengths ? 'packed' : 'tensor'}${c.withHx ? ' with hx' : ''}`, () => {
      const here = runHere(c, 10 + i);
      expect(here.repr).toBe(py[i].repr);
      expect(here.out).toEqual(py[i].out);
      expect(here.h).toEqual(py[i].h);
      if (c.kind === 'LSTM') expect(here.c).toEqual(py[i].c);
    });
  });
});


describe('constructed layers: Python reprs, the same random packed weights and outputs for the same seed', () => {
  const py = runPython<{ reprs: string[]; lstm: { sd: unknown; out: number[]; h: number[] }; cell: { sd: unknown; h: number[] } }>(`${PY_RNN}${PY_DESCRIBE_QUANTIZED}
torch.backends.quantized.engine = 'qnnpack'
reprs = [repr(m) for m in [nnqd.LSTM(3, 4), nnqd.GRU(3, 4, 2, False, True, 0.5, True), nnqd.LSTM(3, 4, num_layers=3, dropout=0.25),
    nnqd.LSTMCell(3, 4), nnqd.LSTMCell(3, 4, bias=False), nnqd.GRUCell(3, 4), nnqd.RNNCell(3, 4, nonlinearity='relu'), nnqd.RNNCell(3, 4)]]
torch.manual_seed(7)
m = nnqd.LSTM(3, 4, 2)
x = torch.randn(5, 2, 3)
out, (h, c) = m(x)
torch.manual_seed(8)
cell = nnqd.GRUCell(3, 4)
hc = cell(torch.randn(2, 3))
result = {'reprs': reprs, 'lstm': {'sd': describe_sd(m.state_dict()), 'out': flat(out), 'h': flat(h)}, 'cell': {'sd': describe_sd(cell.state_dict()), 'h': flat(hc)}}
`);
  test('reprs', () => {
    engine.engine = 'qnnpack';
    const reprs = [
      new nnqd.LSTM(3, 4), new nnqd.GRU(3, 4, 2, false, true, 0.5, true), new nnqd.LSTM(3, 4, { numLayers: 3, dropout: 0.25 }),
      new nnqd.LSTMCell(3, 4), new nnqd.LSTMCell(3, 4, { bias: false }), new nnqd.GRUCell(3, 4), new nnqd.RNNCell(3, 4, { nonlinearity: 'relu' }), new nnqd.RNNCell(3, 4),
    ].map(String);
    expect(reprs).toEqual(py.reprs);
  });
  test('seeded LSTM(3, 4, 2): state_dict (CellParamsBase states) and forward', () => {
    engine.engine = 'qnnpack';
    torch.manualSeed(7);
    const m = new nnqd.LSTM(3, 4, 2);
    const [out, [h]] = m(torch.randn(5, 2, 3));
    expect(describeStateDict(m.stateDict())).toEqual(py.lstm.sd);
    expect(out.reshape(-1).tolist()).toEqual(py.lstm.out);
    expect(h.reshape(-1).tolist()).toEqual(py.lstm.h);
  });
  test('seeded GRUCell(3, 4): state_dict (LinearPackedParamsBase states) and forward', () => {
    engine.engine = 'qnnpack';
    torch.manualSeed(8);
    const cell = new nnqd.GRUCell(3, 4);
    const h = cell(torch.randn(2, 3));
    expect(describeStateDict(cell.stateDict())).toEqual(py.cell.sd);
    expect(h.reshape(-1).tolist()).toEqual(py.cell.h);
  });
});

describe('dynamic quantized cells from_float: outputs bit-equal to PyTorch', () => {
  const KINDS = ['LSTMCell', 'GRUCell', 'RNNCell', 'RNNCell_relu'] as const;
  const py = runPython<Record<string, { out: number[][]; repr: string; sd: unknown }>>(`${PY_RNN}${PY_DESCRIBE_QUANTIZED}
result = {}
for engine in ['onednn', 'qnnpack']:
    torch.backends.quantized.engine = engine
    for i, kind in enumerate(${JSON.stringify(KINDS)}):
        torch.manual_seed(30 + i)
        f = torch.nn.RNNCell(4, 5, nonlinearity='relu') if kind == 'RNNCell_relu' else getattr(torch.nn, kind)(4, 5)
        f.qconfig = default_dynamic_qconfig
        q = getattr(nnqd, kind.split('_')[0]).from_float(f)
        x = torch.randn(3, 4) * 2
        h = q(x)
        h2 = q(x, h)
        outs = [flat(t) for t in (list(h) + list(h2) if kind == 'LSTMCell' else [h, h2])]
        result[engine + kind] = {'out': outs, 'repr': repr(q), 'sd': describe_sd(q.state_dict())}
`);
  for (const engineName of ['onednn', 'qnnpack']) {
    KINDS.forEach((kind, i) => {
      test(`${kind} (${engineName})`, () => {
        engine.engine = engineName;
        torch.manualSeed(30 + i);
        const f = kind === 'RNNCell_relu' ? new nn.RNNCell(4, 5, { nonlinearity: 'relu' }) : new nn[kind](4, 5);
        (f as unknown as { qconfig: unknown }).qconfig = torch.ao.quantization.defaultDynamicQconfig;
        const Q = nnqd[kind === 'RNNCell_relu' ? 'RNNCell' : kind];
        const q = Q.fromFloat(f) as unknown as (x: torch.Tensor, h?: unknown) => torch.Tensor | [torch.Tensor, torch.Tensor];
        const x = torch.randn(3, 4).mul(2);
        const h = q(x);
        const h2 = q(x, h);
        const flat = (t: torch.Tensor): number[] => t.reshape(-1).tolist() as number[];
        const outs = Array.isArray(h) ? [...h, ...(h2 as torch.Tensor[])].map(flat) : [flat(h), flat(h2 as torch.Tensor)];
        const expected = py[engineName + kind];
        expect(String(q)).toBe(expected.repr);
        expect(outs).toEqual(expected.out);
        expect(describeStateDict((q as unknown as nn.Module).stateDict())).toEqual(expected.sd);
      });
    });
  }
});

describe('state_dict: loads into a differently seeded layer and computes the same', () => {
  for (const kind of ['LSTM', 'GRU', 'LSTMCell'] as const) {
    test(kind, () => {
      engine.engine = 'qnnpack';
      torch.manualSeed(1);
      const a = kind === 'LSTMCell' ? new nnqd.LSTMCell(3, 4) : new nnqd[kind](3, 4, 2, true, false, 0, true);
      torch.manualSeed(2);
      const b = kind === 'LSTMCell' ? new nnqd.LSTMCell(3, 4) : new nnqd[kind](3, 4, 2, true, false, 0, true);
      const x = kind === 'LSTMCell' ? torch.randn(2, 3) : torch.randn(4, 2, 3);
      const run = (m: nn.Module): unknown => {
        const y = (m as unknown as (x: torch.Tensor) => unknown)(x);
        return JSON.stringify(y, (_k, v) => (v instanceof torch.Tensor ? v.tolist() : v));
      };
      expect(run(b)).not.toEqual(run(a));
      const sd = a.stateDict();
      expect(b.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(run(b)).toEqual(run(a));
      expect(describeStateDict(b.stateDict())).toEqual(describeStateDict(sd));
    });
  }
});

// Python's state_dict values rebuilt here from their description (what its torch.save file holds):
// quantized tensors from their integers and qparams, TorchScript objects from class and state.
const makePerTensor = aten('_make_per_tensor_quantized_tensor', '');
function rebuild(d: unknown): unknown {
  if (Array.isArray(d)) return d.map(rebuild);
  if (d !== null && typeof d === 'object') {
    const o = d as Record<string, unknown>;
    if ('class' in o) return new ScriptObject(o.class as string, rebuild(o.state));
    if ('ints' in o) return makePerTensor([torch.tensor(o.ints as number[], { dtype: torch.int8 }).reshape(o.shape as number[]), o.scale, o.zp]);
    if ('values' in o) return torch.tensor(o.values as number[], { dtype: torch.float32 }).reshape(o.shape as number[]);
  }
  return d;
}

describe("Python's state_dict entries load here", () => {
  const py = runPython<{ sd: Record<string, unknown>; out: number[]; h: number[] }>(`${PY_RNN}${PY_DESCRIBE_QUANTIZED}
torch.backends.quantized.engine = 'onednn'
torch.manual_seed(4)
f = torch.nn.LSTM(3, 4, 2, bidirectional=True)
f.qconfig = default_dynamic_qconfig
q = nnqd.LSTM.from_float(f)
torch.manual_seed(5)
x = torch.randn(6, 2, 3)
out, (h, c) = q(x)
result = {'sd': describe_sd(q.state_dict()), 'out': flat(out), 'h': flat(h)}
`);
  test('a from_float LSTM state_dict into a freshly constructed LSTM', () => {
    engine.engine = 'onednn';
    const q = new nnqd.LSTM(3, 4, 2, { bidirectional: true });
    const sd = Object.fromEntries(Object.entries(py.sd).map(([k, v]) => [k, rebuild(v)]));
    q.loadStateDict(sd as never);
    torch.manualSeed(5);
    const [out, [h]] = q(torch.randn(6, 2, 3));
    expect(out.reshape(-1).tolist()).toEqual(py.out);
    expect(h.reshape(-1).tolist()).toEqual(py.h);
    expect(describeStateDict(q.stateDict())).toEqual(py.sd);
  });
});

describe('quantize_dynamic: the default mapping swaps recurrent layers as Python does', () => {
  // a model with every recurrent kind, and the word language model of PyTorch's dynamic quantization tutorial
  const PY_MODELS = `
class Mixed(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(4, 6, 2, batch_first=True)
        self.gru = torch.nn.GRU(6, 5, bidirectional=True)
        self.cell = torch.nn.LSTMCell(10, 3)
        self.gcell = torch.nn.GRUCell(3, 3)
        self.rcell = torch.nn.RNNCell(3, 3, nonlinearity='relu')
        self.fc = torch.nn.Linear(3, 2)
    def forward(self, x):
        y, _ = self.lstm(x)
        y, _ = self.gru(y.transpose(0, 1))
        h, c = self.cell(y[-1])
        h = self.gcell(h, c)
        return self.fc(self.rcell(h))
class LSTMModel(torch.nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super().__init__()
        self.drop = torch.nn.Dropout(dropout)
        self.encoder = torch.nn.Embedding(ntoken, ninp)
        self.rnn = torch.nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = torch.nn.Linear(nhid, ntoken)
        self.init_weights()
        self.nhid = nhid
        self.nlayers = nlayers
    def init_weights(self):
        initrange = 0.1
        self.encoder.weight.data.uniform_(-initrange, initrange)
        self.decoder.bias.data.zero_()
        self.decoder.weight.data.uniform_(-initrange, initrange)
    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        return decoded, hidden
    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))
`;
  class Mixed extends nn.Module {
    lstm = new nn.LSTM(4, 6, 2, { batchFirst: true });
    gru = new nn.GRU(6, 5, { bidirectional: true });
    cell = new nn.LSTMCell(10, 3);
    gcell = new nn.GRUCell(3, 3);
    rcell = new nn.RNNCell(3, 3, { nonlinearity: 'relu' });
    fc = new nn.Linear(3, 2);
    forward(x: torch.Tensor): torch.Tensor {
      let [y] = this.lstm(x);
      [y] = this.gru(y.transpose(0, 1));
      const [h, c] = this.cell(y.select(0, -1));
      return this.fc(this.rcell(this.gcell(h, c)));
    }
  }
  class LSTMModel extends nn.Module {
    drop: nn.Dropout;
    encoder: nn.Embedding;
    rnn: nn.LSTM;
    decoder: nn.Linear;
    constructor(ntoken: number, ninp: number, readonly nhid: number, readonly nlayers: number, dropout = 0.5) {
      super();
      this.drop = new nn.Dropout(dropout);
      this.encoder = new nn.Embedding(ntoken, ninp);
      this.rnn = new nn.LSTM(ninp, nhid, nlayers, { dropout });
      this.decoder = new nn.Linear(nhid, ntoken);
      torch.noGrad(() => {
        this.encoder.weight.uniform_(-0.1, 0.1);
        this.decoder.bias!.zero_();
        this.decoder.weight.uniform_(-0.1, 0.1);
      });
    }
    forward(input: torch.Tensor, hidden: [torch.Tensor, torch.Tensor]): [torch.Tensor, [torch.Tensor, torch.Tensor]] {
      const emb = this.drop(this.encoder(input));
      const [output, h] = this.rnn(emb, hidden);
      return [this.decoder(this.drop(output)), h];
    }
    initHidden(bsz: number): [torch.Tensor, torch.Tensor] {
      return [torch.zeros(this.nlayers, bsz, this.nhid), torch.zeros(this.nlayers, bsz, this.nhid)];
    }
  }

  const py = runPython<Record<string, { repr: string; out: number[]; h?: number[]; c?: number[]; sd: Record<string, unknown>; metadata?: unknown }>>(`${PY_RNN}${PY_DESCRIBE_QUANTIZED}${PY_MODELS}
result = {}
for engine in ['onednn', 'qnnpack']:
    torch.backends.quantized.engine = engine
    torch.manual_seed(40)
    m = Mixed()
    q = torch.ao.quantization.quantize_dynamic(m)
    torch.manual_seed(41)
    out = q(torch.randn(2, 5, 4))
    result['mixed' + engine] = {'repr': repr(q), 'out': flat(out), 'sd': describe_sd(q.state_dict())}
    torch.manual_seed(42)
    model = LSTMModel(50, 16, 12, 2)
    qm = torch.quantization.quantize_dynamic(model, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8)
    torch.manual_seed(43)
    tokens = torch.randint(50, (7, 3))
    decoded, (h, c) = qm(tokens, model.init_hidden(3))
    sd = qm.state_dict()
    result['lm' + engine] = {'repr': repr(qm), 'out': flat(decoded), 'h': flat(h), 'c': flat(c), 'sd': describe_sd(sd), 'metadata': dict(sd._metadata)}
`);
  for (const engineName of ['onednn', 'qnnpack']) {
    test(`every recurrent kind, default spec (${engineName})`, () => {
      engine.engine = engineName;
      torch.manualSeed(40);
      const q = torch.ao.quantization.quantizeDynamic(new Mixed());
      torch.manualSeed(41);
      const out = q(torch.randn(2, 5, 4));
      const expected = py['mixed' + engineName];
      expect(String(q)).toBe(expected.repr);
      expect(out.reshape(-1).tolist()).toEqual(expected.out);
      expect(describeStateDict(q.stateDict())).toEqual(expected.sd);
    });
    test(`the LSTM word language model tutorial: {nn.LSTM, nn.Linear}, qint8 (${engineName})`, () => {
      engine.engine = engineName;
      torch.manualSeed(42);
      const model = new LSTMModel(50, 16, 12, 2);
      const qm = torch.quantization.quantizeDynamic(model, new Set([nn.LSTM, nn.Linear]), { dtype: torch.qint8 });
      torch.manualSeed(43);
      const tokens = torch.randint(50, [7, 3]);
      const [decoded, [h, c]] = qm(tokens, model.initHidden(3));
      const expected = py['lm' + engineName];
      expect(String(qm)).toBe(expected.repr);
      expect(decoded.reshape(-1).tolist()).toEqual(expected.out);
      expect(h.reshape(-1).tolist()).toEqual(expected.h);
      expect(c.reshape(-1).tolist()).toEqual(expected.c);
      const sd = qm.stateDict();
      expect(describeStateDict(sd)).toEqual(expected.sd);
      // each module's format version (the dynamic LSTM's 2 decides reduce_range when Python loads it)
      expect(Object.fromEntries(orderedDictAttributes(sd)?._metadata as Map<string, unknown>)).toEqual(expected.metadata);
    });
  }
});

describe('the other mapping entries: embeddings, fused LinearReLU, dynamic QAT Linear', () => {
  const py = runPython<Record<string, { repr: string; out: number[] }>>(`${PY_RNN}
import torch.nn.intrinsic as nni
import torch.ao.nn.quantized as nnq
import torch.ao.nn.qat.dynamic as nnqatd
from torch.ao.quantization import QConfig, MovingAverageMinMaxObserver, default_weight_fake_quant, get_default_dynamic_quant_module_mappings
torch.backends.quantized.engine = 'qnnpack'
result = {}
def emb_model():
    return torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.EmbeddingBag(10, 4), torch.nn.Linear(4, 4))
idx = torch.tensor([[1, 2, 3], [4, 5, 9]])
for name, dtype in [('quint8', torch.quint8), ('quint4x2', torch.quint4x2)]:
    torch.manual_seed(60)
    q = torch.ao.quantization.quantize_dynamic(emb_model(), dtype=dtype)
    result[name] = {'repr': repr(q), 'out': flat(q[0](idx)) + flat(q[1](idx))}
torch.manual_seed(61)
e = torch.nn.Embedding(10, 4)
e.qconfig = None
qe = nnq.Embedding.from_float(e)
b = torch.nn.EmbeddingBag(10, 4)
b.qconfig = None
qb = nnq.EmbeddingBag.from_float(b)
result['fallback'] = {'repr': repr(qe) + repr(qb), 'out': flat(qe(idx)) + flat(qb(idx))}
torch.manual_seed(62)
m = torch.nn.Sequential(nni.LinearReLU(torch.nn.Linear(4, 3), torch.nn.ReLU()))
q = torch.ao.quantization.quantize_dynamic(m, {nni.LinearReLU})
x = torch.randn(5, 4) * 3
result['linear_relu'] = {'repr': repr(q), 'out': flat(q(x))}
qc = QConfig(activation=MovingAverageMinMaxObserver.with_args(averaging_constant=1), weight=default_weight_fake_quant)
torch.manual_seed(63)
f = torch.nn.Linear(4, 3)
f.qconfig = qc
m = torch.nn.Sequential(nnqatd.Linear.from_float(f))
m(torch.randn(2, 4))
q = torch.ao.quantization.quantize_dynamic(m, {nnqatd.Linear: qc})
result['qat_dynamic'] = {'repr': repr(q), 'out': flat(q(torch.randn(2, 4)))}
result['mapping'] = {'repr': ' '.join(k.__name__ + '->' + v.__name__ for k, v in get_default_dynamic_quant_module_mappings().items()), 'out': []}
`);
  const idx = () => torch.tensor([[1, 2, 3], [4, 5, 9]]);
  const flat = (t: torch.Tensor): number[] => t.reshape(-1).tolist() as number[];
  const embModel = () => new nn.Sequential(new nn.Embedding(10, 4), new nn.EmbeddingBag(10, 4), new nn.Linear(4, 4));
  beforeEach(() => (engine.engine = 'qnnpack'));

  for (const name of ['quint8', 'quint4x2'] as const) {
    test(`quantize_dynamic(dtype=torch.${name}): the default spec quantizes embeddings`, () => {
      torch.manualSeed(60);
      const q = torch.ao.quantization.quantizeDynamic(embModel(), null, { dtype: torch[name] });
      expect(String(q)).toBe(py[name].repr);
      const [e, b] = [q.at(0), q.at(1)] as unknown as ((x: torch.Tensor) => torch.Tensor)[];
      expect([...flat(e(idx())), ...flat(b(idx()))]).toEqual(py[name].out);
    });
  }
  test('Embedding / EmbeddingBag from_float with qconfig None: float_qparams_weight_only_qconfig', () => {
    torch.manualSeed(61);
    const e = new nn.Embedding(10, 4);
    (e as unknown as { qconfig: null }).qconfig = null;
    const qe = nn.quantized.Embedding.fromFloat(e);
    const b = new nn.EmbeddingBag(10, 4);
    (b as unknown as { qconfig: null }).qconfig = null;
    const qb = nn.quantized.EmbeddingBag.fromFloat(b);
    expect(String(qe) + String(qb)).toBe(py.fallback.repr);
    expect([...flat(qe(idx())), ...flat(qb(idx()))]).toEqual(py.fallback.out);
  });
  test('nni.LinearReLU -> DynamicQuantizedLinearReLU', () => {
    torch.manualSeed(62);
    const m = new nn.Sequential(new nn.intrinsic.LinearReLU(new nn.Linear(4, 3), new nn.ReLU()));
    const q = torch.ao.quantization.quantizeDynamic(m, new Set([nn.intrinsic.LinearReLU]));
    expect(String(q)).toBe(py.linear_relu.repr);
    expect(flat(q(torch.randn(5, 4).mul(3)))).toEqual(py.linear_relu.out);
  });
  test('nn.qat.dynamic.Linear -> DynamicQuantizedLinear', () => {
    const { QConfig, MovingAverageMinMaxObserver, defaultWeightFakeQuant } = torch.ao.quantization;
    const qc = new QConfig(MovingAverageMinMaxObserver.withArgs({ averagingConstant: 1 }), defaultWeightFakeQuant);
    torch.manualSeed(63);
    const f = new nn.Linear(4, 3);
    (f as unknown as { qconfig: unknown }).qconfig = qc;
    const m = new nn.Sequential(nn.qat.dynamic.Linear.fromFloat(f));
    m(torch.randn(2, 4));
    const q = torch.ao.quantization.quantizeDynamic(m, new Map([[nn.qat.dynamic.Linear, qc]]));
    expect(String(q)).toBe(py.qat_dynamic.repr);
    expect(flat(q(torch.randn(2, 4)))).toEqual(py.qat_dynamic.out);
  });
  test("the dynamic mapping's entries, in Python's order", () => {
    const names = [...torch.ao.quantization.getDefaultDynamicQuantModuleMappings()].map(([k, v]) => `${k.name}->${(v as unknown as { name: string }).name}`);
    const pyNames = py.mapping.repr.split(' ');
    expect(names.map((n) => n.replace(/->.*/, ''))).toEqual(pyNames.map((n) => n.replace(/->.*/, '')));
    expect(names.map((n) => n.replace(/.*->/, ''))).toEqual(pyNames.map((n) => n.replace(/.*->/, '')));
  });
});

test('static and QAT mappings carry the embeddings', () => {
  expect(getDefaultStaticQuantModuleMappings().get(nn.Embedding)).toBe(nn.quantized.Embedding);
  expect(getDefaultStaticQuantModuleMappings().get(nn.EmbeddingBag)).toBe(nn.quantized.EmbeddingBag);
  expect(getEmbeddingStaticQuantModuleMappings().get(nn.qat.Embedding)).toBe(nn.quantized.Embedding);
  expect(getEmbeddingStaticQuantModuleMappings().get(nn.qat.EmbeddingBag)).toBe(nn.quantized.EmbeddingBag);
  expect(getEmbeddingQatModuleMappings().get(nn.Embedding)).toBe(nn.qat.Embedding);
});

describe("errors: PyTorch's messages", () => {
  const withQ = <M extends nn.Module>(m: M, qconfig: unknown = torch.ao.quantization.defaultDynamicQconfig): M => {
    (m as unknown as { qconfig: unknown }).qconfig = qconfig;
    return m;
  };
  const quint8Qconfig = () => new torch.ao.quantization.QConfig(torch.ao.quantization.PlaceholderObserver, torch.ao.quantization.MinMaxObserver);
  const call = (m: unknown, ...args: unknown[]) => () => (m as (...a: unknown[]) => unknown)(...args);
  const prelude = `from torch import nn
import torch.ao.nn.quantized.dynamic as nnqd
from torch.ao.quantization import default_dynamic_qconfig, float16_dynamic_qconfig, QConfig, PlaceholderObserver, MinMaxObserver
torch.backends.quantized.engine = 'qnnpack'
def with_q(m, q=default_dynamic_qconfig):
    m.qconfig = q
    return m
`;
  beforeEach(() => (engine.engine = 'qnnpack'));
  errorTable(
    [
      ['nnqd.LSTM.from_float(with_q(nn.Linear(2, 2)))', () => nnqd.LSTM.fromFloat(withQ(new nn.Linear(2, 2)))],
      ['nnqd.GRU.from_float(nn.GRU(2, 2))', () => nnqd.GRU.fromFloat(new nn.GRU(2, 2))],
      ['nnqd.LSTM.from_float(with_q(nn.LSTM(2, 2), QConfig(activation=PlaceholderObserver, weight=MinMaxObserver)))', () => nnqd.LSTM.fromFloat(withQ(new nn.LSTM(2, 2), quint8Qconfig()))],
      ['nnqd.LSTM.from_float(with_q(nn.LSTM(2, 2), float16_dynamic_qconfig))', () => nnqd.LSTM.fromFloat(withQ(new nn.LSTM(2, 2), torch.ao.quantization.float16DynamicQconfig))],
      ['nnqd.LSTMCell.from_float(with_q(nn.LSTM(2, 2)))', () => nnqd.LSTMCell.fromFloat(withQ(new nn.LSTM(2, 2)))],
      ['nnqd.GRUCell.from_float(nn.GRUCell(2, 2))', () => nnqd.GRUCell.fromFloat(new nn.GRUCell(2, 2))],
      ['nnqd.RNNCell.from_float(with_q(nn.RNNCell(2, 2), QConfig(activation=PlaceholderObserver, weight=MinMaxObserver)))', () => nnqd.RNNCell.fromFloat(withQ(new nn.RNNCell(2, 2), quint8Qconfig()))],
      ['nnqd.LSTM(3, 4)(torch.randn(5, 3))', call(new nnqd.LSTM(3, 4), torch.randn(5, 3))],
      ['nnqd.GRU(3, 4)(torch.randn(5, 2, 2))', call(new nnqd.GRU(3, 4), torch.randn(5, 2, 2))],
      ['nnqd.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.zeros(1, 3, 4), torch.zeros(1, 2, 4)))', call(new nnqd.LSTM(3, 4), torch.randn(5, 2, 3), [torch.zeros(1, 3, 4), torch.zeros(1, 2, 4)])],
      ['nnqd.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.zeros(1, 2, 4), torch.zeros(2, 2, 4)))', call(new nnqd.LSTM(3, 4), torch.randn(5, 2, 3), [torch.zeros(1, 2, 4), torch.zeros(2, 2, 4)])],
      ['nnqd.GRU(3, 4, batch_first=True)(torch.randn(5, 2, 3), torch.zeros(1, 2, 4))', call(new nnqd.GRU(3, 4, { batchFirst: true }), torch.randn(5, 2, 3), torch.zeros(1, 2, 4))],
      ['nnqd.LSTM(3, 4, bias=False)(torch.randn(5, 2, 3))', call(new nnqd.LSTM(3, 4, { bias: false }), torch.randn(5, 2, 3))],
      ['nnqd.LSTM(3, 4, dropout=2)', () => new nnqd.LSTM(3, 4, { dropout: 2 })],
      ['nnqd.LSTMCell(3, 4)(torch.randn(2, 5))', call(new nnqd.LSTMCell(3, 4), torch.randn(2, 5))],
      ['nnqd.LSTMCell(3, 4)(torch.randn(2, 3), (torch.zeros(2, 4), torch.zeros(3, 4)))', call(new nnqd.LSTMCell(3, 4), torch.randn(2, 3), [torch.zeros(2, 4), torch.zeros(3, 4)])],
      ['nnqd.GRUCell(3, 4)(torch.randn(2, 3), torch.zeros(2, 5))', call(new nnqd.GRUCell(3, 4), torch.randn(2, 3), torch.zeros(2, 5))],
      ['nnqd.RNNCell(3, 4, dtype=torch.float16)', () => new nnqd.RNNCell(3, 4, { dtype: torch.float16 })],
    ],
    { prelude, firstLine: true },
  );
});

test('nn.deepcopy of a quantized LSTM model computes the same; train() turns inter-layer dropout on as in Python', () => {
  engine.engine = 'qnnpack';
  torch.manualSeed(70);
  const q = torch.ao.quantization.quantizeDynamic(new nn.Sequential(new nn.LSTM(3, 4, 2, { dropout: 0.5 })));
  const copy = nn.deepcopy(q);
  const x = torch.randn(5, 2, 3);
  const run = (m: nn.Module) => ((m as unknown as (x: torch.Tensor) => [torch.Tensor])(x)[0]).tolist();
  expect(run(copy)).toEqual(run(q));
  const py = runPython<number[]>(`
torch.backends.quantized.engine = 'qnnpack'
torch.manual_seed(70)
q = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(torch.nn.LSTM(3, 4, 2, dropout=0.5)))
x = torch.randn(5, 2, 3)
q.train()
torch.manual_seed(71)
result = q(x)[0].tolist()
`);
  q.train();
  torch.manualSeed(71);
  expect(run(q)).toEqual(py);
});

describe('get_weight / get_bias / set_weight_bias', () => {
  const py = runPython<{ lstm: unknown; cell: unknown }>(`${PY_RNN}${PY_DESCRIBE_QUANTIZED}
torch.backends.quantized.engine = 'qnnpack'
torch.manual_seed(80)
m = nnqd.GRU(3, 4, bidirectional=True)
c = nnqd.LSTMCell(3, 4)
result = {'lstm': [{k: describe(v) for k, v in m.get_weight().items()}, {k: describe(v) for k, v in m.get_bias().items()}], 'cell': [{k: describe(v) for k, v in c.get_weight().items()}, {k: describe(v) for k, v in c.get_bias().items()}]}
`);
  const describeDict = (d: Record<string, unknown>) => describeQuantized(Object.values(d));
  test('the unpacked weights and biases equal Python\'s; repacking them computes the same', () => {
    engine.engine = 'qnnpack';
    torch.manualSeed(80);
    const m = new nnqd.GRU(3, 4, { bidirectional: true });
    const c = new nnqd.LSTMCell(3, 4);
    const pyLstm = py.lstm as Record<string, unknown>[];
    const pyCell = py.cell as Record<string, unknown>[];
    // Python's dicts come back as JSON objects: compare values in key order
    expect(describeDict(m.getWeight())).toEqual(Object.values(pyLstm[0]));
    expect(describeDict(m.getBias())).toEqual(Object.values(pyLstm[1]));
    expect(Object.keys(m.getWeight())).toEqual(Object.keys(pyLstm[0]));
    expect(describeDict(c.getWeight())).toEqual(Object.values(pyCell[0]));
    expect(describeDict(c.getBias())).toEqual(Object.values(pyCell[1]));
    const fresh = new nnqd.GRU(3, 4, { bidirectional: true });
    fresh.setWeightBias({ ...m.getWeight(), ...m.getBias() });
    const x = torch.randn(4, 2, 3);
    expect(fresh(x)[0].tolist()).toEqual(m(x)[0].tolist());
  });
});
