// Python API idioms the pytorch/examples scripts use, checked against PyTorch: torch.tensor over
// one-element tensors, item() typing, finfo/iinfo, new_tensor, keyword dims of generated ops,
// __version__, from_numpy. This file type-checks the ported lines too (ts-jest fails on a type error).
import * as torch from '../lib';
import { runPythonShared as runPython } from './helpers/python-session';
import { messageOf } from './helpers/errors';
import { inspect } from 'util';
import { Tensor as LegacyTensor } from '../lib/tensor/legacy';

type Described = { shape: number[]; dtype: string; values: unknown } | { error: string };

function describe_(f: () => torch.Tensor): Described {
  try {
    const t = f();
    return { shape: t.shape, dtype: String(t.dtype), values: t.tolist() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const PY_DESCRIBE = `
def d(f):
    try:
        t = f()
        return dict(shape=list(t.shape), dtype=str(t.dtype), values=t.tolist())
    except Exception as e:
        return dict(error=str(e))
`;

describe('torch.tensor over one-element tensors', () => {
  const T = (v: number | boolean, dtype?: torch.DTypeLike) => torch.tensor(v, dtype ? { dtype } : {});
  // each case twice, once per language
  // each case twice, once per language; the same data (JavaScript's 2.5 is Python's 2.5, its 2 Python's 2)
  const CASES: [string, () => torch.Tensor][] = [
    ['T([T(1.5)])', () => torch.tensor([T(1.5)])],
    ['T([[T(3)]])', () => torch.tensor([[T(3)]])],
    ['T([T(1), 2.5])', () => torch.tensor([T(1), 2.5])],
    ['T([T(1, dtype=torch.int32), 2])', () => torch.tensor([T(1, 'int32'), 2])],
    ['T([T(1, dtype=torch.int32), T(2, dtype=torch.int8)])', () => torch.tensor([T(1, 'int32'), T(2, 'int8')])],
    ['T([T(1.5, dtype=torch.float64), 2])', () => torch.tensor([T(1.5, 'float64'), 2])],
    ['T([T(True), 2])', () => torch.tensor([T(true), 2])],
    ['T([T(True), False])', () => torch.tensor([T(true), false])],
    ['T([T(3, dtype=torch.float16), 1])', () => torch.tensor([T(3, 'float16'), 1])],
    ['T([T(3, dtype=torch.float16), 2.5])', () => torch.tensor([T(3, 'float16'), 2.5])],
    ['T([T(3, dtype=torch.int32), True])', () => torch.tensor([T(3, 'int32'), true])],
    ['T([T(3, dtype=torch.uint8), T(-1, dtype=torch.int8)])', () => torch.tensor([T(3, 'uint8'), T(-1, 'int8')])],
    ['T([T(1.5, dtype=torch.bfloat16), T(2.5, dtype=torch.float16)])', () => torch.tensor([T(1.5, 'bfloat16'), T(2.5, 'float16')])],
    ['T([[T(1), 2.5], [3, 4]])', () => torch.tensor([[T(1), 2.5], [3, 4]])],
    ['T([T([1.5])])', () => torch.tensor([torch.tensor([1.5])])],
    ['T([[T([[1.5]])]])', () => torch.tensor([[torch.tensor([[1.5]])]])],
    ['T([T([1], dtype=torch.int32)])', () => torch.tensor([torch.tensor([1], { dtype: 'int32' })])],
    ['T([[1.5], T([2.5])])', () => torch.tensor([[1.5], torch.tensor([2.5])])],
    ['T([[1, 2], T([2.5, 3])])', () => torch.tensor([[1, 2], torch.tensor([2.5, 3])])],
    ['T([T(1.5, requires_grad=True)])', () => torch.tensor([torch.tensor(1.5, { requiresGrad: true })])],
    ['T([T(True)], dtype=torch.int64)', () => torch.tensor([T(true)], { dtype: 'int64' })],
    ['T([T(0)], dtype=torch.bool)', () => torch.tensor([T(0)], { dtype: 'bool' })],
    ['T([T(2)], dtype=torch.float64)', () => torch.tensor([T(2)], { dtype: 'float64' })],
    ['torch.LongTensor([[T(3)]])', () => torch.LongTensor([[T(3)]])],
    ['torch.LongTensor([T(3, dtype=torch.int32), 2])', () => torch.LongTensor([T(3, 'int32'), 2])],
    ['torch.FloatTensor([T(3.75)])', () => torch.FloatTensor([T(3.75)])],
    // Python's refusals, with its messages
    ['T([T([1.5, 2]), T([3.5, 4])])', () => torch.tensor([torch.tensor([1.5, 2]), torch.tensor([3.5, 4])])],
    ['T([T([1, 2])])', () => torch.tensor([torch.tensor([1, 2])])],
    ['T([T([1.5, 2])], dtype=torch.float64)', () => torch.tensor([torch.tensor([1.5, 2])], { dtype: 'float64' })],
    ['T([T([]), 1.5])', () => torch.tensor([torch.tensor([]), 1.5])],
    ['T([T(1.5)], dtype=torch.int64)', () => torch.tensor([T(1.5)], { dtype: 'int64' })],
    ['T([T(2.5)], dtype=torch.bool)', () => torch.tensor([T(2.5)], { dtype: 'bool' })],
    ['torch.LongTensor([[T(3.75)]])', () => torch.LongTensor([[T(3.75)]])],
    ['T([[1.5], T(2.5)])', () => torch.tensor([[1.5], T(2.5)])],
    ['T([[1.5, 2], T([2.5, 3, 4])])', () => torch.tensor([[1.5, 2], torch.tensor([2.5, 3, 4])])],
  ];

  it('infers the dtype, shape and values as PyTorch, and refuses what it refuses', () => {
    const expected = runPython<Described[]>(`${PY_DESCRIBE}
T = torch.tensor
result = [${CASES.map(([code]) => `d(lambda: ${code})`).join(', ')}]
`);
    const got = CASES.map(([, f]) => describe_(f));
    got.forEach((g, i) => expect([CASES[i][0], g]).toEqual([CASES[i][0], expected[i]]));
  });

  it('keeps the refusals Python TypeErrors where Python raises TypeError', () => {
    expect(() => torch.tensor([torch.tensor(1.5)], { dtype: torch.int64 })).toThrow(torch.TorchError);
    try {
      torch.LongTensor([[torch.tensor(3.5)]]);
    } catch (e) {
      expect((e as Error).name).toBe('TypeError');
    }
    expect.assertions(2);
  });

  it('ports nn.Parameter-style lines: torch.tensor([R]) of a loss value keeps no graph', () => {
    const w = torch.tensor(2.5, { requiresGrad: true });
    const r = w.mul(2);
    const t = torch.tensor([r]);
    expect(t.requiresGrad).toBe(false);
    expect(t.tolist()).toEqual([5]);
  });
});

describe('item() typing', () => {
  it('is a number without a type argument, whatever the context expects', () => {
    const a = torch.tensor([1, 2]);
    const t = torch.tensor(3);
    // these lines are what failed to compile (TS2345) before
    const sum = a.add(t.item());
    const scaled = torch.full([2], t.item());
    const n: number = t.item();
    const flag: boolean = torch.tensor(true).item<boolean>();
    const z: [number, number] = torch.tensor([1, 2], { dtype: 'float32' }).view(torch.complex64).item<[number, number]>();
    const expected = runPython<{ sum: number[]; scaled: number[]; z: number[] }>(`
a = torch.tensor([1, 2]); t = torch.tensor(3)
z = torch.tensor([1., 2.]).view(torch.complex64).item()
result = dict(sum=a.add(t.item()).tolist(), scaled=torch.full([2], t.item()).tolist(), z=[z.real, z.imag])
`);
    expect([sum.tolist(), scaled.tolist(), n, flag, z]).toEqual([expected.sum, expected.scaled, 3, true, expected.z]);
  });
});

describe('torch.finfo / torch.iinfo', () => {
  it('has Python values and reprs', () => {
    const floats = ['float32', 'float64', 'float16', 'bfloat16', 'complex64', 'complex128'] as const;
    const ints = ['int64', 'int32', 'int16', 'int8', 'uint8'] as const;
    const expected = runPython<{ f: unknown[]; i: unknown[]; default: string; default64: string }>(`
def fi(f): return dict(bits=f.bits, eps=f.eps, max=f.max, min=f.min, tiny=f.tiny, smallest_normal=f.smallest_normal, resolution=f.resolution, dtype=f.dtype, repr=repr(f))
def ii(f): return dict(bits=f.bits, max=f.max, min=f.min, dtype=f.dtype, repr=repr(f))
result = dict(f=[fi(torch.finfo(getattr(torch, n))) for n in ${JSON.stringify(floats)}],
              i=[ii(torch.iinfo(getattr(torch, n))) for n in ${JSON.stringify(ints)}],
              default=repr(torch.finfo()))
torch.set_default_dtype(torch.float64)
result['default64'] = repr(torch.finfo())
`);
    const fi = (f: torch.FInfo) => ({
      bits: f.bits, eps: f.eps, max: f.max, min: f.min, tiny: f.tiny, smallest_normal: f.smallestNormal, resolution: f.resolution, dtype: f.dtype, repr: String(f),
    });
    const ii = (f: torch.IInfo) => ({ bits: f.bits, max: f.max, min: f.min, dtype: f.dtype, repr: String(f) });
    expect(floats.map((n) => fi(torch.finfo(n)))).toEqual(expected.f);
    expect(ints.map((n) => ii(torch.iinfo(n)))).toEqual(expected.i);
    expect(String(torch.finfo())).toBe(expected.default);
    torch.setDefaultDtype(torch.float64);
    try {
      expect(String(torch.finfo())).toBe(expected.default64);
    } finally {
      torch.setDefaultDtype(torch.float32);
    }
  });

  it('refuses the other kind of dtype with Python messages', () => {
    const expected = runPython<string[]>(`
result = [err(lambda: torch.finfo(torch.int32)), err(lambda: torch.iinfo(torch.float32)), err(lambda: torch.iinfo(torch.bool)), err(lambda: torch.iinfo(torch.complex64))]
`);
    expect([messageOf(() => torch.finfo(torch.int32)), messageOf(() => torch.iinfo(torch.float32)), messageOf(() => torch.iinfo(torch.bool)), messageOf(() => torch.iinfo(torch.complex64))]).toEqual(expected);
  });
});

describe('Tensor.newTensor', () => {
  it("copies data with the tensor's dtype and device unless given", () => {
    const x = torch.zeros(2, { dtype: torch.float64 });
    const long = torch.zeros(1, { dtype: torch.int64 });
    const got = [
      describe_(() => x.newTensor([1, 2])),
      describe_(() => long.newTensor([1.75, -2.5])),
      describe_(() => x.newTensor([[1, 2]], { dtype: torch.int32 })),
      describe_(() => x.newTensor(3, { requiresGrad: true })),
      describe_(() => long.newTensor([1], { requiresGrad: true })),
      describe_(() => x.newTensor([torch.tensor(2), 3])),
    ];
    const expected = runPython<Described[]>(`${PY_DESCRIBE}
x = torch.zeros(2, dtype=torch.float64); long = torch.zeros(1, dtype=torch.int64)
result = [d(lambda: x.new_tensor([1, 2])), d(lambda: long.new_tensor([1.75, -2.5])), d(lambda: x.new_tensor([[1, 2]], dtype=torch.int32)),
          d(lambda: x.new_tensor(3, requires_grad=True)), d(lambda: long.new_tensor([1], requires_grad=True)),
          d(lambda: x.new_tensor([torch.tensor(2), 3]))]
`);
    expect(got).toEqual(expected);
    expect(x.newTensor(3, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => x.newTensor([1], { requires_grad: true } as never)).toThrow("newTensor() got an unexpected keyword argument 'requires_grad' (did you mean 'requiresGrad'?)");
  });

  it('copies a tensor (detached, in its dtype) with the warning Python gives', () => {
    const expected = runPython<{ t: Described; warning: string }>(`${PY_DESCRIBE}
import warnings
src = torch.tensor([1, 2], dtype=torch.int32)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    t = torch.zeros(2, dtype=torch.float64).new_tensor(src)
result = dict(t=d(lambda: t), warning=str(w[0].message))
`);
    const warnings: string[] = [];
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
    try {
      const src = torch.tensor([1, 2], { dtype: torch.int32, requiresGrad: false });
      const t = torch.zeros(2, { dtype: torch.float64 }).newTensor(src);
      expect(describe_(() => t)).toEqual(expected.t);
      src.fill_(7); // a copy, not a view
      expect(t.tolist()).toEqual([1, 2]);
    } finally {
      emit.mockRestore();
    }
    // Python's text in this library's names
    const ported = expected.warning.replace('requires_grad_(True)', 'requiresGrad_(true)').replace('new_tensor', 'newTensor');
    expect(warnings).toEqual([ported]);
  });
});

describe('fill_ with a 0-d tensor', () => {
  it('fills with its value, and carries its gradient as Python does', () => {
    const expected = runPython<{ v: number[]; g: number }>(`
v = torch.tensor(2.5, requires_grad=True)
x = torch.zeros(3).fill_(v)
x.sum().backward()
result = dict(v=x.tolist(), g=v.grad.item())
`);
    const v = torch.tensor(2.5, { requiresGrad: true });
    const x = torch.zeros(3).fill_(v);
    x.sum().backward();
    expect([x.tolist(), v.grad!.item()]).toEqual([expected.v, expected.g]);
  });
});

describe('torch.__version__ and torch.fromNumpy', () => {
  it("__version__ is libtorch's version, Python's release without its suffix", () => {
    const base = runPython<string>(`
import re
result = re.match(r'\\d+\\.\\d+\\.\\d+', torch.__version__).group(0)
`);
    expect(torch.__version__.startsWith(base)).toBe(true);
    expect(torch.version.__version__).toBe(torch.__version__);
  });

  it("torch.version.cuda, hip and debug as Python's (the CUDA version of a CUDA build, else None)", () => {
    const want = runPython<{ cuda: string | null; hip: null; debug: boolean }>(`
import torch.version as v
result = {'cuda': v.cuda, 'hip': v.hip, 'debug': v.debug}`);
    // the oracle is the same build only where both are CPU builds (this machine) or both CUDA
    if (torch.cuda.isBuilt() === (want.cuda !== null)) expect({ cuda: torch.version.cuda, hip: torch.version.hip, debug: torch.version.debug }).toEqual(want);
    if (!torch.cuda.isBuilt()) expect(torch.version.cuda).toBeNull();
    else expect(torch.version.cuda).toMatch(/^\d+\.\d+$/);
  });

  it('fromNumpy shares the TypedArray memory, with its dtype', () => {
    const a = new Float64Array([1, 2, 3]);
    const t = torch.fromNumpy(a);
    a[0] = 10;
    t.index(1).fill_(20);
    const expected = runPython<{ dtype: string; values: number[]; array: number[] }>(`
import numpy as np
a = np.array([1., 2., 3.])
t = torch.from_numpy(a)
a[0] = 10
t[1].fill_(20)
result = dict(dtype=str(t.dtype), values=t.tolist(), array=a.tolist())
`);
    expect({ dtype: String(t.dtype), values: t.tolist(), array: Array.from(a) }).toEqual(expected);
    expect(torch.fromNumpy(new BigInt64Array([5n])).dtype).toBe(torch.int64);
    expect(torch.fromNumpy(new Int32Array(0)).shape).toEqual([0]);
    expect(() => torch.fromNumpy([1, 2] as never)).toThrow('expected a TypedArray (got Array)');
  });
});

describe('required arguments of generated ops by keyword', () => {
  it('types and runs torch.max(x, { dim }), x.max({ dim }), cumsum, std, median, multinomial, topk as Python', () => {
    const x = torch.tensor([[1, 5, 3], [4, 2, 6]], { dtype: torch.float32 });
    const p = torch.tensor([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]);
    const pair = (r: { values: torch.Tensor; indices: torch.Tensor }) => [r.values.tolist(), r.indices.tolist()];
    torch.manualSeed(0);
    const got = {
      max: pair(torch.max(x, { dim: 1 })),
      maxMethod: pair(x.max({ dim: 1, keepdim: true })),
      min: pair(torch.min(x, { dim: 0 })),
      cumsum: torch.cumsum(x, { dim: 1 }).tolist(),
      cumsumDtype: torch.cumsum(x, { dim: 0, dtype: torch.float64 }).dtype.toString(),
      std: torch.std(x, { dim: 1 }).tolist(),
      median: pair(torch.median(x, { dim: 1 })),
      topk: pair(torch.topk(p, { k: 1, dim: -1 })),
      topkMethod: pair(p.topk({ k: 2 })),
      multinomial: torch.multinomial(p, { numSamples: 1 }).tolist(),
      multinomialMethod: p.multinomial({ numSamples: 2, replacement: true }).tolist(),
    };
    const expected = runPython<typeof got>(`
x = torch.tensor([[1, 5, 3], [4, 2, 6]], dtype=torch.float32)
p = torch.tensor([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
pair = lambda r: [r.values.tolist(), r.indices.tolist()]
torch.manual_seed(0)
result = dict(max=pair(torch.max(x, dim=1)), maxMethod=pair(x.max(dim=1, keepdim=True)), min=pair(torch.min(x, dim=0)),
              cumsum=torch.cumsum(x, dim=1).tolist(), cumsumDtype=str(torch.cumsum(x, dim=0, dtype=torch.float64).dtype),
              std=torch.std(x, dim=1).tolist(), median=pair(torch.median(x, dim=1)),
              topk=pair(torch.topk(p, k=1, dim=-1)), topkMethod=pair(p.topk(k=2)),
              multinomial=torch.multinomial(p, num_samples=1).tolist(),
              multinomialMethod=p.multinomial(num_samples=2, replacement=True).tolist())
`);
    expect(got).toEqual(expected);
  });
});

describe('the legacy constructor torch.Tensor(...)', () => {
  // lib/tensor/legacy.ts's Tensor: the class, callable; what lib/index.ts exports as torch.Tensor once
  // its plain class export gives way to it
  const T = LegacyTensor;

  it('makes an uninitialised tensor of a size, or a copy of data, in the default dtype, as Python', () => {
    const got = [
      describe_(() => T(2, 3).fill_(0)),
      describe_(() => new T(2, 3).fill_(0)),
      describe_(() => T([1, 2])),
      describe_(() => T([[1.5, 2]])),
      describe_(() => T()),
      describe_(() => T([])),
      describe_(() => T([torch.tensor(1), 2])),
      describe_(() => T(torch.tensor([1, 2]))),
      describe_(() => T(2.5 as never)),
      describe_(() => T(-1)),
    ];
    const expected = runPython<Described[]>(`${PY_DESCRIBE}
T = torch.Tensor
result = [d(lambda: T(2, 3).fill_(0)), d(lambda: T(2, 3).fill_(0)), d(lambda: T([1, 2])), d(lambda: T([[1.5, 2]])), d(lambda: T()),
          d(lambda: T([])), d(lambda: T([torch.tensor(1), 2])), d(lambda: T(torch.tensor([1, 2]))), d(lambda: T(2.5)), d(lambda: T(-1))]
`);
    expect(got).toEqual(expected);
    torch.setDefaultDtype(torch.float64);
    try {
      expect([T(2).dtype, T([1, 2]).dtype]).toEqual([torch.float64, torch.float64]);
    } finally {
      torch.setDefaultDtype(torch.float32);
    }
  });

  it('aliases a tensor, and stays the class for instanceof, types and subclasses', () => {
    const src = torch.tensor([1.5, 2]);
    const view = T(src);
    view.fill_(7);
    expect(src.tolist()).toEqual([7, 7]);
    const x: torch.Tensor = T(2, 2);
    expect(x instanceof T && x instanceof torch.Tensor && torch.zeros(1) instanceof T).toBe(true);
    expect(T.prototype).toBe(torch.Tensor.prototype);
    expect(T.name).toBe('Tensor');
    // a subclass built over the proxy still gets a native handle through the class's constructor
    class Tagged extends T {
      tag = 'w';
    }
    const h = (torch.ones(2) as unknown as { _h: unknown })._h;
    const tagged = new Tagged(h as never);
    expect([tagged instanceof Tagged, tagged instanceof torch.Tensor, tagged.tag, tagged.sum().item()]).toEqual([true, true, 'w', 2]);
  });
});

test("console.log(device) prints as Python's print(device); repr() is Python's repr", () => {
  const py = runPython<string[]>(`d = torch.device('cuda', 1)
result = [str(d), repr(d), repr(torch.device('cpu'))]`);
  const d = torch.device('cuda', 1);
  expect([inspect(d), d.repr(), torch.device('cpu').repr()]).toEqual(py);
});

test('torch.Generator() without new, as Python: same draws; instanceof holds', () => {
  const py = runPython<number[]>(`result = torch.rand(3, generator=torch.Generator().manual_seed(7)).tolist()`);
  const g = torch.Generator().manualSeed(7);
  expect(g).toBeInstanceOf(torch.Generator);
  expect(torch.rand(3, { generator: g }).tolist()).toEqual(py);
  expect(new torch.Generator()).toBeInstanceOf(torch.Generator);
});
