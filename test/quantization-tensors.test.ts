// Quantized tensors against PyTorch 1.13 in the same run: the quantized dtypes, quantize_per_tensor /
// quantize_per_channel (integers, scales, zero points, dequantized values), the printed repr, errors,
// and torch.save / torch.load of quantized tensors both ways.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';
// String(q) once lib/tensor/format.ts hands quantized tensors to it (outside this area)

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-quantized-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const DATA = [-1.0, 0.0, 1.0, 2.0, 0.123, -0.37, 5.2, 100.0, -7.5, 0.05, 3.3, -0.001];
const PER_TENSOR: [string, number, number][] = [
  ['quint8', 0.1, 3],
  ['qint8', 0.05, -4],
  ['qint32', 0.001, 7],
  ['quint8', 1.0, 0],
];
const CHANNEL_SCALES = [0.1, 0.02, 0.5];
const CHANNEL_ZPS = [0, 3, -2];

interface Quantized { dtype: string; ints: number[]; scale: number; zp: number; values: number[]; repr: string; qscheme: string }
interface PerChannel { ints: number[][]; scales: number[]; zps: number[]; axis: number; values: number[][]; repr: string; qscheme: string }

describe('quantized dtypes', () => {
  const py = runPython<{ names: string[]; sizes: number[]; float: boolean[]; complex: boolean[] }>(`
ds = [torch.qint8, torch.quint8, torch.qint32, torch.quint4x2, torch.quint2x4]
result = {'names': [str(d) for d in ds], 'sizes': [torch._empty_affine_quantized([1], dtype=d).element_size() if d != torch.quint2x4 else 1 for d in ds],
          'float': [d.is_floating_point for d in ds], 'complex': [d.is_complex for d in ds]}
`);
  const ds = [torch.qint8, torch.quint8, torch.qint32, torch.quint4x2, torch.quint2x4];
  test('names, itemsize, kinds', () => {
    expect(ds.map(String)).toEqual(py.names);
    expect(ds.map((d) => d.itemsize)).toEqual(py.sizes);
    expect(ds.map((d) => d.isFloatingPoint)).toEqual(py.float);
    expect(ds.map((d) => d.isComplex)).toEqual(py.complex);
    expect(torch.toDType('qint8')).toBe(torch.qint8);
  });
});

describe('quantize_per_tensor', () => {
  const py = runPython<Quantized[]>(`
x = torch.tensor(${JSON.stringify(DATA)}).reshape(3, 4)
result = []
for name, scale, zp in ${JSON.stringify(PER_TENSOR)}:
    q = torch.quantize_per_tensor(x, scale, zp, getattr(torch, name))
    result.append({'dtype': str(q.dtype), 'ints': q.int_repr().flatten().tolist(), 'scale': q.q_scale(), 'zp': q.q_zero_point(),
                   'values': q.dequantize().flatten().tolist(), 'repr': str(q), 'qscheme': str(q.qscheme())})
`);
  PER_TENSOR.forEach(([name, scale, zp], i) => {
    test(`${name} scale=${scale} zero_point=${zp}`, () => {
      const x = torch.tensor(DATA).reshape(3, 4);
      const dtype = torch.toDType(name);
      const q = i % 2 === 0 ? torch.quantizePerTensor(x, scale, zp, dtype) : torch.quantizePerTensor(x, { scale, zeroPoint: zp, dtype });
      const want = py[i];
      expect(q.isQuantized).toBe(true);
      expect(x.isQuantized).toBe(false);
      expect(String(q.dtype)).toBe(want.dtype);
      expect(q.intRepr().flatten().tolist()).toEqual(want.ints);
      expect(q.qScale()).toBe(want.scale);
      expect(q.qZeroPoint()).toBe(want.zp);
      expect(q.dequantize().flatten().tolist()).toEqual(want.values);
      expect(String(q.qscheme())).toBe(want.qscheme);
      expect(q.qscheme()).toBe(torch.perTensorAffine);
      expect(String(q)).toBe(want.repr);
    });
  });
});

describe('quantize_per_channel', () => {
  const py = runPython<PerChannel>(`
x = torch.tensor(${JSON.stringify(DATA)}).reshape(3, 4)
q = torch.quantize_per_channel(x, torch.tensor(${JSON.stringify(CHANNEL_SCALES)}, dtype=torch.float64), torch.tensor(${JSON.stringify(CHANNEL_ZPS)}), 0, torch.qint8)
result = {'ints': q.int_repr().tolist(), 'scales': q.q_per_channel_scales().tolist(), 'zps': q.q_per_channel_zero_points().tolist(),
          'axis': q.q_per_channel_axis(), 'values': q.dequantize().tolist(), 'repr': str(q), 'qscheme': str(q.qscheme())}
`);
  test('integers, parameters, values, repr', () => {
    const x = torch.tensor(DATA).reshape(3, 4);
    const q = torch.quantizePerChannel(x, torch.tensor(CHANNEL_SCALES, { dtype: torch.float64 }), torch.tensor(CHANNEL_ZPS), 0, torch.qint8);
    expect(q.intRepr().tolist()).toEqual(py.ints);
    expect(q.qPerChannelScales().tolist()).toEqual(py.scales);
    expect(q.qPerChannelZeroPoints().tolist()).toEqual(py.zps);
    expect(q.qPerChannelAxis()).toBe(py.axis);
    expect(q.dequantize().tolist()).toEqual(py.values);
    expect(String(q.qscheme())).toBe(py.qscheme);
    expect(String(q)).toBe(py.repr);
  });
});

describe('reprs: scalars, views, summarised, per-channel along dim 1', () => {
  const py = runPython<string[]>(`
x = torch.tensor(${JSON.stringify(DATA)}).reshape(3, 4)
q = torch.quantize_per_tensor(x, 0.05, 2, torch.qint8)
big = torch.quantize_per_tensor(torch.linspace(-3, 3, 2400).reshape(40, 60), 0.02, 0, torch.quint8)
qc = torch.quantize_per_channel(x, torch.tensor([0.1, 0.2, 0.3, 0.4], dtype=torch.float64), torch.tensor([0, 1, 2, 3]), 1, torch.quint8)
result = [str(q[1, 2]), str(q.t()), str(q[:, 1:3]), str(big), str(qc), str(torch.quantize_per_tensor(torch.ones(0, 3), 0.1, 0, torch.qint8))]
`);
  test('as Python prints them', () => {
    const x = torch.tensor(DATA).reshape(3, 4);
    const q = torch.quantizePerTensor(x, 0.05, 2, torch.qint8);
    const big = torch.quantizePerTensor(torch.linspace(-3, 3, 2400).reshape(40, 60), 0.02, 0, torch.quint8);
    const qc = torch.quantizePerChannel(x, torch.tensor([0.1, 0.2, 0.3, 0.4], { dtype: torch.float64 }), torch.tensor([0, 1, 2, 3]), 1, torch.quint8);
    const empty = torch.quantizePerTensor(torch.ones(0, 3), 0.1, 0, torch.qint8);
    expect([q.index(1, 2), q.t(), q.index(':', torch.slice(1, 3)), big, qc, empty].map((x) => String(x))).toEqual(py);
  });
});

describe('errors', () => {
  errorTable([
    ['torch.quantize_per_tensor(torch.tensor([1, 2]), 0.1, 0, torch.qint8)', () => torch.quantizePerTensor(torch.tensor([1, 2]), 0.1, 0, torch.qint8)],
    ['torch.quantize_per_tensor(torch.tensor([1.5]), 0.1, 0, torch.float32)', () => torch.quantizePerTensor(torch.tensor([1.5]), 0.1, 0, torch.float32)],
    ['torch.tensor([1.5]).q_scale()', () => torch.tensor([1.5]).qScale()],
    ['torch.quantize_per_tensor(torch.tensor([1.5]), 0.1, 0, torch.qint8).q_per_channel_axis()', () => torch.quantizePerTensor(torch.tensor([1.5]), 0.1, 0, torch.qint8).qPerChannelAxis()],
  ], { firstLine: true });
});

describe('torch.save / torch.load of quantized tensors', () => {
  const scales = [0.1, 0.02, 0.5];
  const make = () => {
    const x = torch.tensor(DATA).reshape(3, 4);
    return {
      a: torch.quantizePerTensor(x, 0.1, 3, torch.quint8),
      b: torch.quantizePerTensor(x, 1.0, -2, torch.qint8),
      c: torch.quantizePerChannel(x, torch.tensor(scales, { dtype: torch.float64 }), torch.tensor(CHANNEL_ZPS), 0, torch.qint8),
      d: torch.quantizePerTensor(x.t(), 0.01, 0, torch.qint32),
      e: torch.quantizePerTensor(x, 0.2, 5, torch.quint8).select(0, 1),
    };
  };
  const describeQ = `
def describe(q):
    d = {'dtype': str(q.dtype), 'ints': q.int_repr().tolist(), 'repr': str(q), 'shape': list(q.shape)}
    if q.qscheme() == torch.per_tensor_affine:
        d['qparams'] = [q.q_scale(), q.q_zero_point()]
    else:
        d['qparams'] = [q.q_per_channel_scales().tolist(), q.q_per_channel_zero_points().tolist(), q.q_per_channel_axis()]
    return d
`;
  const describeJs = (q: torch.Tensor) => ({
    dtype: String(q.dtype),
    ints: q.intRepr().tolist(),
    repr: String(q),
    shape: q.shape,
    qparams: q.qscheme() === torch.perTensorAffine ? [q.qScale(), q.qZeroPoint()] : [q.qPerChannelScales().tolist(), q.qPerChannelZeroPoints().tolist(), q.qPerChannelAxis()],
  });

  test('saved here, loaded by Python', async () => {
    const file = path.join(dir, 'js.pt');
    const saved = make();
    await torch.save(saved, file);
    const py = runPython<Record<string, unknown>>(`${describeQ}
result = {k: describe(v) for k, v in torch.load(${JSON.stringify(file)}).items()}
`);
    for (const [k, q] of Object.entries(saved)) expect(py[k]).toEqual(describeJs(q));
  });

  test('saved by Python, loaded here (and saved back), sub-byte dtypes too', async () => {
    const file = path.join(dir, 'py.pt');
    const py = runPython<Record<string, unknown>>(`${describeQ}
x = torch.tensor(${JSON.stringify(DATA)}).reshape(3, 4)
d = {'a': torch.quantize_per_tensor(x, 0.1, 3, torch.quint8), 'b': torch.quantize_per_tensor(x, 1.0, -2, torch.qint8),
     'c': torch.quantize_per_channel(x, torch.tensor(${JSON.stringify(scales)}, dtype=torch.float64), torch.tensor(${JSON.stringify(CHANNEL_ZPS)}), 0, torch.qint8),
     'd': torch.quantize_per_tensor(x.t(), 0.01, 0, torch.qint32), 'e': torch.quantize_per_tensor(x, 0.2, 5, torch.quint8)[1],
     # sub-byte dtypes: two (four) values in each byte of the storage; per-row padding for the per-channel one
     'f': torch.quantize_per_tensor(x, 0.5, 3, torch.quint4x2), 'g': torch.quantize_per_tensor(x, 0.25, 1, torch.quint2x4),
     'h': torch.quantize_per_channel(x.reshape(4, 3), torch.tensor([0.5, 0.25, 1.0, 0.1]), torch.tensor([0.5, -1.0, 0.0, 2.0]), 0, torch.quint4x2)}
torch.save(d, ${JSON.stringify(file)})
result = {k: describe(v) for k, v in d.items()}
`);
    const loaded = (await torch.load(file)) as Record<string, torch.Tensor>;
    for (const [k, q] of Object.entries(loaded)) expect(describeJs(q)).toEqual(py[k]);
    const back = (await torch.load(await torch.save(loaded))) as Record<string, torch.Tensor>;
    for (const [k, q] of Object.entries(back)) expect(describeJs(q)).toEqual(py[k]);
  });
});
