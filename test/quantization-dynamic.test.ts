// Dynamic quantization against PyTorch 1.13 in the same run: torch.backends.quantized's engines,
// MinMaxObserver's qparams, quantize_dynamic's swapped modules (reprs, state_dict keys and tensors,
// outputs of libtorch's quantized::linear_dynamic on onednn and qnnpack) and state_dict interop
// both ways through torch.save files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';
// a state_dict is Python's OrderedDict with _metadata: each module's format version
import { orderedDictAttributes } from '../lib/serialization/py-types';
// torch.backends.quantized (to be exported there: lib/backends.ts is outside this area)
import { quantized as quantizedBackend } from '../lib/ao/quantization/engine';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qdynamic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const engine = quantizedBackend;
const initialEngine = engine.engine;
afterEach(() => (engine.engine = initialEngine));

// The same float model in both languages: seeded construction draws the same numbers.
const PY_MODEL = `
def make_model(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.Tanh()), torch.nn.Linear(16, 4))
def make_input():
    torch.manual_seed(123)
    return torch.randn(5, 8) * 3
def describe_sd(sd):
    out = {}
    for k, v in sd.items():
        if isinstance(v, torch.dtype):
            out[k] = str(v)
        elif isinstance(v, tuple):
            w, b = v
            out[k] = {'ints': w.int_repr().tolist(), 'scale': w.q_scale(), 'zp': w.q_zero_point(), 'dtype': str(w.dtype), 'bias': b.tolist()}
        else:
            out[k] = v.tolist()
    return out
`;
function makeModel(seed: number): nn.Sequential {
  torch.manualSeed(seed);
  return new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Sequential(new nn.Linear(16, 16), new nn.Tanh()), new nn.Linear(16, 4));
}
function makeInput(): torch.Tensor {
  torch.manualSeed(123);
  return torch.randn(5, 8).mul(3);
}
function describeSd(sd: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sd)) {
    if (v instanceof torch.DType) out[k] = String(v);
    else if (Array.isArray(v)) {
      const [w, b] = v as [torch.Tensor, torch.Tensor];
      out[k] = { ints: w.intRepr().tolist(), scale: w.qScale(), zp: w.qZeroPoint(), dtype: String(w.dtype), bias: b.detach().tolist() };
    } else out[k] = (v as torch.Tensor).tolist();
  }
  return out;
}

describe('torch.backends.quantized', () => {
  const py = runPython<{ engine: string; supported: string[] }>(`result = {'engine': torch.backends.quantized.engine, 'supported': torch.backends.quantized.supported_engines}`);
  test('engine and supportedEngines', () => {
    expect(engine.engine).toBe(py.engine);
    expect(engine.supportedEngines).toEqual(py.supported);
    engine.engine = 'qnnpack';
    expect(engine.engine).toBe('qnnpack');
  });
  errorTable(
    [
      ["setattr(torch.backends.quantized, 'engine', 'tpu')", () => (engine.engine = 'tpu')],
      ["setattr(torch.backends.quantized, 'engine', 'fbgemm')", () => (engine.engine = 'fbgemm')],
    ],
    { firstLine: true },
  );
});

describe('MinMaxObserver', () => {
  const CONFIGS: [string, string, Record<string, unknown>][] = [
    ['dtype=torch.quint8', '{}', { dtype: torch.quint8 }],
    ['dtype=torch.qint8, qscheme=torch.per_tensor_symmetric', 'sym', { dtype: torch.qint8, qscheme: torch.perTensorSymmetric }],
    ['dtype=torch.qint8, reduce_range=True', 'reduce', { dtype: torch.qint8, reduceRange: true }],
    ['dtype=torch.quint8, quant_min=0, quant_max=15', 'custom', { dtype: torch.quint8, quantMin: 0, quantMax: 15 }],
    ['dtype=torch.quint8, qscheme=torch.per_tensor_symmetric', 'sym-u8', { dtype: torch.quint8, qscheme: torch.perTensorSymmetric }],
  ];
  const py = runPython<{ min: number; max: number; scale: number[]; zp: number[]; zpDtype: string; repr: string; qmin: number; qmax: number; keys: string[] }[]>(`
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import MinMaxObserver
torch.manual_seed(7)
a, b = torch.randn(4, 5) * 2 + 0.5, torch.randn(3) * 4
result = []
for args in ${JSON.stringify(CONFIGS.map((c) => c[0]))}:
    obs = eval('MinMaxObserver(' + args + ')')
    obs(a); obs(b)
    scale, zp = obs.calculate_qparams()
    result.append({'min': obs.min_val.item(), 'max': obs.max_val.item(), 'scale': scale.tolist(), 'zp': zp.tolist(), 'zpDtype': str(zp.dtype),
                   'repr': repr(obs), 'qmin': obs.quant_min, 'qmax': obs.quant_max, 'keys': list(obs.state_dict().keys())})
`);
  CONFIGS.forEach(([args, , options], i) => {
    test(args, () => {
      torch.manualSeed(7);
      const a = torch.randn(4, 5).mul(2).add(0.5);
      const b = torch.randn(3).mul(4);
      const obs = new torch.quantization.MinMaxObserver(options);
      obs(a);
      obs(b);
      const [scale, zp] = obs.calculateQparams();
      const want = py[i];
      expect([obs.min_val.item(), obs.max_val.item()]).toEqual([want.min, want.max]);
      expect(scale.tolist()).toEqual(want.scale);
      expect(zp.tolist()).toEqual(want.zp);
      expect(String(zp.dtype)).toBe(want.zpDtype);
      expect([obs.quantMin, obs.quantMax]).toEqual([want.qmin, want.qmax]);
      expect(String(obs)).toBe(want.repr);
      expect(Object.keys(obs.stateDict())).toEqual(want.keys);
    });
  });
});

describe('MinMaxObserver before observing', () => {
  const py = runPython<{ scale: number[]; zp: number[]; dtypes: string[]; repr: string; warned: string[] }>(`
import warnings
from torch.ao.quantization import MinMaxObserver
obs = MinMaxObserver()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    scale, zp = obs.calculate_qparams()
result = {'scale': scale.tolist(), 'zp': zp.tolist(), 'dtypes': [str(scale.dtype), str(zp.dtype)], 'repr': repr(obs), 'warned': [str(x.message) for x in w]}
`);
  test('default qparams, with the warning', () => {
    const obs = new torch.ao.quantization.MinMaxObserver();
    const warned: string[] = [];
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warned.push(String(w)));
    const [scale, zp] = obs.calculateQparams();
    emit.mockRestore();
    expect([scale.tolist(), zp.tolist(), [String(scale.dtype), String(zp.dtype)], String(obs)]).toEqual([py.scale, py.zp, py.dtypes, py.repr]);
    expect(warned).toEqual(py.warned);
    expect(() => new torch.ao.quantization.MinMaxObserver({ qscheme: torch.perChannelAffine })).toThrow(torch.NotImplementedError);
  });
});

interface Quantized { repr: string; sd: Record<string, unknown>; out: number[][]; versions: Record<string, number> }

describe('quantize_dynamic', () => {
  const SPECS: [string, string, (m: nn.Module) => nn.Module][] = [
    ['{nn.Linear}', 'torch.ao.quantization.quantize_dynamic(m, {torch.nn.Linear}, dtype=torch.qint8)', (m) => torch.ao.quantization.quantizeDynamic(m, new Set([nn.Linear]), { dtype: torch.qint8 })],
    ['[nn.Linear], positional dtype', 'torch.quantization.quantize_dynamic(m, {torch.nn.Linear}, torch.qint8)', (m) => torch.quantization.quantizeDynamic(m, [nn.Linear], torch.qint8)],
    ['by qualified names', "torch.ao.quantization.quantize_dynamic(m, {'2.0', '3'})", (m) => torch.ao.quantization.quantizeDynamic(m, new Set(['2.0', '3']))],
    ['a parent class passes its qconfig down', 'torch.ao.quantization.quantize_dynamic(m, {torch.nn.Sequential})', (m) => torch.ao.quantization.quantizeDynamic(m, new Set([nn.Sequential]))],
    ['default spec', 'torch.ao.quantization.quantize_dynamic(m)', (m) => torch.ao.quantization.quantizeDynamic(m)],
  ];
  const ENGINES = ['onednn', 'qnnpack'];
  const py = runPython<Record<string, Quantized[]>>(`${PY_MODEL}
result = {}
for engine in ${JSON.stringify(ENGINES)}:
    torch.backends.quantized.engine = engine
    result[engine] = []
    for code in ${JSON.stringify(SPECS.map((s) => s[1]))}:
        m = make_model(0)
        q = eval(code)
        sd = q.state_dict()
        result[engine].append({'repr': repr(q), 'sd': describe_sd(sd), 'out': q(make_input()).tolist(), 'versions': {k: v['version'] for k, v in sd._metadata.items()}})
`);
  for (const eng of ENGINES) {
    SPECS.forEach(([label, , quantize], i) => {
      test(`${label} (${eng})`, () => {
        engine.engine = eng;
        const m = makeModel(0);
        const q = quantize(m);
        const want = py[eng][i];
        expect(String(q)).toBe(want.repr);
        const sd = q.stateDict();
        expect(Object.keys(sd)).toEqual(Object.keys(want.sd));
        expect(describeSd(sd)).toEqual(want.sd);
        const metadata = orderedDictAttributes(sd)?._metadata as Map<string, { version: number }>;
        const meta = Object.fromEntries([...metadata].map(([k, v]) => [k, v.version]));
        expect(meta).toEqual(want.versions);
        expect(q(makeInput()).tolist()).toEqual(want.out);
        // the float model is left as it was (not inplace)
        expect(String(m)).not.toContain('Dynamic');
      });
    });
  }

  test("a parent's qconfig reaches MultiheadAttention's out_proj, as Python's mapping has it", () => {
    const py = runPython<{ repr: string; keys: string[] }>(`
torch.manual_seed(0)
q = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(torch.nn.MultiheadAttention(4, 2)), {torch.nn.MultiheadAttention})
result = {'repr': repr(q), 'keys': list(q.state_dict().keys())}
`);
    torch.manualSeed(0);
    const q = torch.ao.quantization.quantizeDynamic(new nn.Sequential(new nn.MultiheadAttention(4, 2)), new Set([nn.MultiheadAttention]));
    expect(String(q)).toBe(py.repr);
    expect(Object.keys(q.stateDict())).toEqual(py.keys);
  });

  test('nn.deepcopy of a quantized model computes the same', () => {
    const q = torch.ao.quantization.quantizeDynamic(makeModel(0), [nn.Linear]);
    const copy = nn.deepcopy(q);
    expect(String(copy)).toBe(String(q));
    expect(copy(makeInput()).tolist()).toEqual(q(makeInput()).tolist());
  });

  describe('errors', () => {
    const quantized = () => torch.ao.quantization.quantizeDynamic(makeModel(0), [nn.Linear]);
    errorTable(
      [
        ['q(torch.ones(2, 8, dtype=torch.float64))', () => quantized()(torch.ones(2, 8, { dtype: torch.float64 }))],
        ['q(torch.ones(2, 7))', () => quantized()(torch.ones(2, 7))],
      ],
      { firstLine: true, prelude: `${PY_MODEL}\nq = torch.ao.quantization.quantize_dynamic(make_model(0), {torch.nn.Linear})` },
    );
  });

  test('inplace swaps the model itself; errors for dtypes not supported', () => {
    const m = makeModel(0);
    expect(torch.ao.quantization.quantizeDynamic(m, [nn.Linear], { inplace: true })).toBe(m);
    expect(String(m[0])).toContain('DynamicQuantizedLinear');
    expect(torch.quantization).toBe(torch.ao.quantization);
    expect(torch.ao.nn.quantized.dynamic.Linear).toBe(nn.quantized.dynamic.Linear);
    expect(() => torch.ao.quantization.quantizeDynamic(makeModel(0), null, { dtype: torch.float16 })).toThrow(torch.NotImplementedError);
  });
});

describe('state_dict interop through torch.save files', () => {
  test('Python loads ours into its own quantized model', async () => {
    const q = torch.ao.quantization.quantizeDynamic(makeModel(0), new Set([nn.Linear]));
    const file = path.join(dir, 'js-qsd.pt');
    await torch.save(q.stateDict(), file);
    const py = runPython<{ out: number[][]; sd: Record<string, unknown> }>(`${PY_MODEL}
q = torch.ao.quantization.quantize_dynamic(make_model(5), {torch.nn.Linear})
q.load_state_dict(torch.load(${JSON.stringify(file)}))
result = {'out': q(make_input()).tolist(), 'sd': describe_sd(q.state_dict())}
`);
    expect(describeSd(q.stateDict())).toEqual(py.sd);
    expect(q(makeInput()).tolist()).toEqual(py.out);
  });

  test('ours loads Python\'s', async () => {
    const file = path.join(dir, 'py-qsd.pt');
    const py = runPython<{ out: number[][]; sd: Record<string, unknown> }>(`${PY_MODEL}
q = torch.ao.quantization.quantize_dynamic(make_model(0), {torch.nn.Linear})
torch.save(q.state_dict(), ${JSON.stringify(file)})
result = {'out': q(make_input()).tolist(), 'sd': describe_sd(q.state_dict())}
`);
    const q = torch.ao.quantization.quantizeDynamic(makeModel(5), new Set([nn.Linear]));
    q.loadStateDict(await torch.load(file));
    expect(describeSd(q.stateDict())).toEqual(py.sd);
    expect(q(makeInput()).tolist()).toEqual(py.out);
  });
});

describe('nn.quantized.dynamic.Linear', () => {
  const py = runPython<{ repr: string; keys: string[]; fromFloat: { sd: Record<string, unknown>; out: number[][] } }>(`${PY_MODEL}
m = torch.nn.quantized.dynamic.Linear(4, 3)
mb = torch.nn.quantized.dynamic.Linear(4, 3, bias_=False)
torch.manual_seed(3)
f = torch.nn.Linear(8, 6)
f.qconfig = torch.ao.quantization.default_dynamic_qconfig
q = torch.nn.quantized.dynamic.Linear.from_float(f)
result = {'repr': repr(m) + repr(mb), 'keys': list(m.state_dict().keys()), 'fromFloat': {'sd': describe_sd(q.state_dict()), 'out': q(make_input()).tolist()}}
`);
  test('constructed, and from a float Linear', () => {
    const m = new nn.quantized.dynamic.Linear(4, 3);
    const mb = new nn.quantized.dynamic.Linear(4, 3, { bias_: false });
    expect(String(m) + String(mb)).toBe(py.repr);
    expect(Object.keys(m.stateDict())).toEqual(py.keys);
    expect(mb.bias()).toBeNull();
    torch.manualSeed(3);
    const f = new nn.Linear(8, 6);
    (f as unknown as { qconfig: unknown }).qconfig = torch.ao.quantization.defaultDynamicQconfig;
    const q = nn.quantized.dynamic.Linear.fromFloat(f);
    expect(describeSd(q.stateDict())).toEqual(py.fromFloat.sd);
    expect(q(makeInput()).tolist()).toEqual(py.fromFloat.out);
  });
});
