// Tensor creation, dtypes, properties and data access, checked against PyTorch.
import * as torch from '../lib';
import { gc } from '../lib/memory/gc';
import { runPython } from './helpers/python';

type Described = { shape: number[]; dtype: string; values: unknown };

function describe_(t: torch.Tensor): Described {
  return { shape: t.shape, dtype: String(t.dtype), values: t.tolist() };
}

// Each case is written twice, once per language, and must build the same tensor.
const CASES: [string, () => torch.Tensor][] = [
  ['torch.tensor([[1, 2], [3, 4]])', () => torch.tensor([[1, 2], [3, 4]])],
  ['torch.tensor([[1.5, 2], [3, 4]])', () => torch.tensor([[1.5, 2], [3, 4]])],
  ['torch.tensor([True, False])', () => torch.tensor([true, false])],
  ['torch.tensor(3.25)', () => torch.tensor(3.25)],
  ['torch.tensor(7)', () => torch.tensor(7)],
  ['torch.tensor([])', () => torch.tensor([])],
  ['torch.tensor([[1, 2]], dtype=torch.float64)', () => torch.tensor([[1, 2]], { dtype: torch.float64 })],
  ['torch.tensor([1.7, -2.7], dtype=torch.int32)', () => torch.tensor([1.7, -2.7], { dtype: 'int32' })],
  ['torch.tensor([0, 1, 2], dtype=torch.bool)', () => torch.tensor([0, 1, 2], { dtype: torch.bool })],
  ['torch.tensor([1, 2, 255], dtype=torch.uint8)', () => torch.tensor([1, 2, 255], { dtype: torch.uint8 })],
  ['torch.tensor([1.1, 2.2], dtype=torch.float16)', () => torch.tensor([1.1, 2.2], { dtype: torch.float16 })],
  ['torch.tensor([1.1, 2.2], dtype=torch.bfloat16)', () => torch.tensor([1.1, 2.2], { dtype: torch.bfloat16 })],
  ['torch.tensor([-5, 5], dtype=torch.int8)', () => torch.tensor([-5, 5], { dtype: torch.int8 })],
  ['torch.tensor([-5, 5], dtype=torch.int16)', () => torch.tensor([-5, 5], { dtype: torch.short })],
  ['torch.tensor([2**40, -3])', () => torch.tensor([2 ** 40, -3])],
  ['torch.zeros(2, 3)', () => torch.zeros(2, 3)],
  ['torch.zeros([2, 3], dtype=torch.int64)', () => torch.zeros([2, 3], { dtype: torch.long })],
  ['torch.ones(4, dtype=torch.float64)', () => torch.ones(4, { dtype: 'float64' })],
  ['torch.full((2, 2), 7)', () => torch.full([2, 2], 7)],
  ['torch.full((2, 2), 0.5)', () => torch.full([2, 2], 0.5)],
  ['torch.full((2,), True)', () => torch.full([2], true)],
  ['torch.empty(0, 3)', () => torch.empty(0, 3)],
  ['torch.arange(5)', () => torch.arange(5)],
  ['torch.arange(1, 4)', () => torch.arange(1, 4)],
  ['torch.arange(0, 1, 0.25)', () => torch.arange(0, 1, 0.25)],
  ['torch.arange(10, 0, -3)', () => torch.arange(10, 0, -3)],
  ['torch.arange(3, dtype=torch.float64)', () => torch.arange(3, { dtype: torch.float64 })],
  ['torch.linspace(0, 1, 5)', () => torch.linspace(0, 1, 5)],
  ['torch.linspace(-1, 1, 4, dtype=torch.float64)', () => torch.linspace(-1, 1, 4, { dtype: torch.float64 })],
  ['torch.eye(3)', () => torch.eye(3)],
  ['torch.eye(2, 3)', () => torch.eye(2, 3)],
  ['torch.eye(2, dtype=torch.int32)', () => torch.eye(2, { dtype: torch.int32 })],
  ['torch.zeros_like(torch.ones(2, 2, dtype=torch.int32))', () => torch.zerosLike(torch.ones(2, 2, { dtype: torch.int32 }))],
  ['torch.ones_like(torch.zeros(3))', () => torch.onesLike(torch.zeros(3))],
  ['torch.full_like(torch.zeros(2), 4.5)', () => torch.fullLike(torch.zeros(2), 4.5)],
  ['torch.ones(2, 3).to(torch.float64)', () => torch.ones(2, 3).to(torch.float64)],
  ['torch.tensor([1.9, -1.9]).long()', () => torch.tensor([1.9, -1.9]).long()],
  ['torch.tensor([0.0, 2.0]).bool()', () => torch.tensor([0.0, 2.0]).bool()],
  ['torch.arange(6).reshape(2, 3).t()', () => torch.arange(6).reshape(2, 3).t()],
  ['torch.arange(6).float().view(3, 2)', () => torch.arange(6).float().view(3, 2)],
];

let golden: Described[];

beforeAll(() => {
  golden = runPython<Described[]>(`
def d(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype), "values": t.tolist()}
result = [d(${CASES.map(([py]) => py).join('), d(')})]
`);
});

describe('creation matches PyTorch', () => {
  test.each(CASES.map(([py], i) => [py, i] as [string, number]))('%s', (_py, i) => {
    const got = describe_(CASES[i][1]());
    const want = golden[i];
    expect(got.shape).toEqual(want.shape);
    expect(got.dtype).toBe(want.dtype);
    expect(got.values).toEqual(want.values);
  });
});

describe('TypedArrays', () => {
  const kinds: [ArrayBufferView, torch.DType][] = [
    [new Float32Array([1.5, -2]), torch.float32],
    [new Float64Array([1.5, -2]), torch.float64],
    [new Int32Array([1, -2]), torch.int32],
    [new Int16Array([1, -2]), torch.int16],
    [new Int8Array([1, -2]), torch.int8],
    [new Uint8Array([1, 200]), torch.uint8],
    [new BigInt64Array([1n, -(2n ** 62n)]), torch.int64],
  ];
  test('each TypedArray kind keeps its dtype and values', () => {
    for (const [a, d] of kinds) {
      const t = torch.tensor(a);
      expect(t.dtype).toBe(d);
      expect(t.shape).toEqual([2]);
      expect(Array.from(t.toTypedArray() as ArrayLike<unknown>)).toEqual(Array.from(a as unknown as ArrayLike<unknown>));
    }
  });

  test('a TypedArray view copies only its window, and later writes do not leak in', () => {
    const buf = new Float32Array([9, 1, 2, 3, 9]);
    const t = torch.tensor(buf.subarray(1, 4));
    buf[2] = 100;
    expect(t.tolist()).toEqual([1, 2, 3]);
  });

  test('a TypedArray with an explicit dtype converts', () => {
    expect(torch.tensor(new Int32Array([1, 2]), { dtype: torch.float64 }).dtype).toBe(torch.float64);
  });

  test('every dtype round-trips through its raw TypedArray form', () => {
    for (const d of [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
      torch.int16, torch.int8, torch.uint8, torch.bool, torch.complex64, torch.complex128]) {
      const t = torch.tensor([0, 1, 2, 3]).to(d);
      const raw = t.toTypedArray();
      expect(raw.length).toBe(d.isComplex ? 8 : 4);
      const back = torch.tensor(raw, { dtype: d });
      expect(back.dtype).toBe(d);
      expect(back.shape).toEqual([4]);
      expect(Array.from(back.toTypedArray() as ArrayLike<unknown>)).toEqual(Array.from(raw as ArrayLike<unknown>));
    }
  });
});

describe('properties and data', () => {
  test('shape, size, dim, numel, dtype, device', () => {
    const t = torch.zeros(2, 3, 4);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.size()).toEqual([2, 3, 4]);
    expect(t.size(-1)).toBe(4);
    expect(t.dim()).toBe(3);
    expect(t.numel()).toBe(24);
    expect(t.dtype).toBe(torch.float32);
    expect(String(t.device)).toBe('cpu');
    expect(() => t.size(3)).toThrow(torch.TorchError);
  });

  test("type() names and type(name) casts as PyTorch's legacy types; view(dtype) reinterprets the bytes", () => {
    const py = runPython<{ names: string[]; cast: string; viewed: number[]; back: number[] }>(`
names = [t.type() for t in (torch.zeros(1), torch.zeros(1, dtype=torch.float64), torch.zeros(1, dtype=torch.int64),
         torch.zeros(1, dtype=torch.uint8), torch.zeros(1, dtype=torch.bool), torch.zeros(1, dtype=torch.bfloat16))]
x = torch.tensor([1.0, -2.5, 3.25])
result = dict(names=names, cast=str(x.type('torch.LongTensor').dtype), viewed=x.view(torch.int32).tolist(),
              back=x.view(torch.int32).view(torch.float32).tolist())
`);
    const names = [torch.zeros(1), torch.zeros(1, { dtype: torch.float64 }), torch.zeros(1, { dtype: torch.int64 }),
      torch.zeros(1, { dtype: torch.uint8 }), torch.zeros(1, { dtype: torch.bool }), torch.zeros(1, { dtype: torch.bfloat16 })].map((t) => t.type());
    expect(names).toEqual(py.names);
    const x = torch.tensor([1.0, -2.5, 3.25]);
    expect(String(x.type('torch.LongTensor').dtype)).toBe(py.cast);
    expect(x.type('float64').dtype).toBe(torch.float64);
    expect(x.view(torch.int32).tolist()).toEqual(py.viewed);
    expect(x.view(torch.int32).view(torch.float32).tolist()).toEqual(py.back);
    expect(() => x.type('torch.NoSuchTensor')).toThrow(torch.TorchError);
  });

  test('item() gives numbers and booleans', () => {
    expect(torch.tensor(2.5).item()).toBe(2.5);
    expect(torch.tensor([7]).item()).toBe(7);
    expect(torch.tensor(true).item()).toBe(true);
    expect(() => torch.ones(2).item()).toThrow(/a Tensor with 2 elements cannot be converted to Scalar/);
  });

  test('dtype names and aliases', () => {
    expect(torch.float).toBe(torch.float32);
    expect(torch.long).toBe(torch.int64);
    expect(String(torch.float64)).toBe('torch.float64');
    expect(torch.toDType('torch.int16')).toBe(torch.int16);
  });

  test('to(device) on cpu returns an equal tensor; cuda() without CUDA raises TorchError', () => {
    const t = torch.arange(3);
    expect(t.to('cpu').tolist()).toEqual([0, 1, 2]);
    expect(t.cpu().tolist()).toEqual([0, 1, 2]);
    if (!torch.cuda.isAvailable()) expect(() => t.cuda()).toThrow(torch.TorchError);
  });

  test('to({ dtype, copy }) and to(other)', () => {
    const t = torch.arange(3);
    expect(t.to({ dtype: torch.float64, copy: true }).dtype).toBe(torch.float64);
    expect(t.to(torch.zeros(1, { dtype: torch.int8 })).dtype).toBe(torch.int8);
  });
});

describe('frombuffer shares memory (no copy)', () => {
  test('writes through the array are seen by the tensor and back', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const t = torch.frombuffer(a, { dtype: torch.float32 });
    a[0] = 10;
    expect(t.tolist()).toEqual([10, 2, 3, 4]);
    t.mul_(2);
    expect(Array.from(a)).toEqual([20, 4, 6, 8]);
  });

  test('offset and count select a window, as in PyTorch', () => {
    const py = runPython<number[]>(`
import array
buf = bytearray(array.array('h', [1, 2, 3, 4, 5, 6]).tobytes())
result = torch.frombuffer(buf, dtype=torch.int16, count=3, offset=4).tolist()
`);
    const t = torch.frombuffer(new Int16Array([1, 2, 3, 4, 5, 6]).buffer, { dtype: torch.int16, count: 3, offset: 4 });
    expect(t.tolist()).toEqual(py);
  });

  test('a SharedArrayBuffer works', () => {
    const sab = new SharedArrayBuffer(8);
    const t = torch.frombuffer(sab, { dtype: torch.int32 });
    new Int32Array(sab)[1] = 7;
    expect(t.tolist()).toEqual([0, 7]);
  });

  test('the tensor keeps the buffer alive after JS drops it', () => {
    const t = torch.frombuffer(new Float64Array([1.5, 2.5]), { dtype: torch.float64 });
    for (let i = 0; i < 3; i++) gc();
    for (let i = 0; i < 100; i++) new Float64Array(1 << 16).fill(9);
    expect(t.tolist()).toEqual([1.5, 2.5]);
  });

  test('bad sizes are TorchErrors with PyTorch-like messages', () => {
    expect(() => torch.frombuffer(new ArrayBuffer(6), { dtype: torch.float32 })).toThrow(/must be a multiple of element size \(4\)/);
    expect(() => torch.frombuffer(new ArrayBuffer(8), { dtype: torch.float32, count: 3 })).toThrow(torch.TorchError);
    expect(() => torch.frombuffer(new ArrayBuffer(8), { dtype: torch.float32, offset: 9 })).toThrow(/offset/);
  });
});

describe('reading lazily represented tensors', () => {
  test("autograd's zero tensors read as zeros (no memory behind them)", () => {
    const x = torch.tensor([1.5, -2, 0], { requiresGrad: true });
    torch.sgn(x).sum().backward(); // sgn's gradient is an efficient zero tensor
    expect(x.grad!.tolist()).toEqual([0, 0, 0]);
    expect(String(x.grad)).toBe('tensor([0., 0., 0.])');
  });

  test('conj and neg views read as their values', () => {
    const c = torch.tensor([1, 2]).to(torch.complex64);
    const conj = torch.conj(c);
    expect(Array.from(conj.toTypedArray() as Float32Array)).toEqual([1, -0, 2, -0]);
  });
});

test("dtype and device null are Python's None: the defaults", () => {
  const z = torch.zeros(2, { dtype: null, device: null });
  expect([String(z.dtype), String(z.device)]).toEqual(['torch.float32', 'cpu']);
  expect(String(torch.tensor([1, 2], { dtype: null }).dtype)).toBe('torch.int64');
  expect(String(torch.ones(2).to({ dtype: null, device: null }).dtype)).toBe('torch.float32');
});
