// The PyTorch 1.13 names torch-node lacked: torch.normal (all overloads, seeded draws), unique /
// unique_consecutive, logspace, tril/triu_indices, scalar_tensor, empty_strided, the windows,
// broadcast_shapes, asarray, seed, typename, and Tensor members (element_size, get_device, is_cpu,
// is_meta, ndimension, storage_offset, real, imag). Every golden value comes from Python torch.
import * as torch from '../lib';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { runPythonShared as runPython } from './helpers/python-session';
import { messageOf } from './helpers/errors';

type Described = { shape: number[]; dtype: string; values: unknown };
const d = (t: torch.Tensor): Described => ({ shape: t.shape, dtype: String(t.dtype), values: t.tolist() });
const ds = (r: torch.Tensor | torch.Tensor[]): Described | Described[] => (Array.isArray(r) ? r.map(d) : d(r));

/**
 * Message of what f() throws ('no error' when nothing), as the Python side's err(f); errors from
 * libtorch's operators carry the operator's name first here ("aten::logspace: "), which is dropped.
 */
const err = (f: () => unknown): string => messageOf(f).replace(/^aten::[\w.]+: /, '');

const PY_PRELUDE = `
def d(t):
    return dict(shape=list(t.shape), dtype=str(t.dtype), values=t.tolist())
def ds(r):
    return [d(t) for t in r] if isinstance(r, tuple) else d(r)
def seeded(f):
    torch.manual_seed(0)
    return ds(f())
`;

// Each case twice, once per language; seeded ones run right after manual_seed(0) on both sides.
const SEEDED: [string, () => torch.Tensor][] = [
  ['torch.normal(torch.zeros(3), torch.ones(3))', () => torch.normal(torch.zeros(3), torch.ones(3))],
  ['torch.normal(torch.arange(4.), 2.5)', () => torch.normal(torch.arange(4, { dtype: torch.float32 }), 2.5)],
  ['torch.normal(torch.zeros(2, 2))', () => torch.normal(torch.zeros(2, 2))],
  ['torch.normal(torch.zeros(2, 2, dtype=torch.float64), 3.)', () => torch.normal(torch.zeros(2, 2, { dtype: torch.float64 }), 3)],
  ['torch.normal(1.5, torch.tensor([1., 2., 3.]))', () => torch.normal(1.5, torch.tensor([1, 2, 3], { dtype: torch.float32 }))],
  ['torch.normal(2., 3., (2, 3))', () => torch.normal(2, 3, [2, 3])],
  ['torch.normal(0., 1., size=(4,), dtype=torch.float64)', () => torch.normal(0, 1, { size: [4], dtype: torch.float64 })],
  ['torch.normal(mean=torch.zeros(3), std=torch.ones(3))', () => torch.normal({ mean: torch.zeros(3), std: torch.ones(3) })],
  ['torch.normal(torch.zeros(2, 1), torch.ones(3))', () => torch.normal(torch.zeros(2, 1), torch.ones(3))],
  ['torch.normal(torch.zeros(2), torch.ones(2)); torch.randn(2)', () => (torch.normal(torch.zeros(2), torch.ones(2)), torch.randn(2))],
];

const CASES: [string, () => torch.Tensor | torch.Tensor[]][] = [
  ['torch.normal(0., 1., (3,), generator=torch.Generator().manual_seed(42))', () => torch.normal(0, 1, [3], { generator: new torch.Generator().manualSeed(42) })],
  ['torch.normal(torch.zeros(3), generator=torch.Generator().manual_seed(7))', () => torch.normal(torch.zeros(3), { generator: new torch.Generator().manualSeed(7) })],
  ['torch.unique(torch.tensor([1, 3, 2, 3, 1]))', () => torch.unique(torch.tensor([1, 3, 2, 3, 1]))],
  ['torch.unique(torch.tensor([1, 3, 2, 3, 1]), return_inverse=True)', () => torch.unique(torch.tensor([1, 3, 2, 3, 1]), { returnInverse: true })],
  ['torch.unique(torch.tensor([1, 3, 2, 3, 1]), return_counts=True)', () => torch.unique(torch.tensor([1, 3, 2, 3, 1]), { returnCounts: true })],
  ['torch.unique(torch.tensor([1, 3, 2, 3, 1]), return_inverse=True, return_counts=True)', () => torch.unique(torch.tensor([1, 3, 2, 3, 1]), { returnInverse: true, returnCounts: true })],
  ['torch.unique(torch.tensor([1, 3, 2, 3, 1]), True, True)', () => torch.unique(torch.tensor([1, 3, 2, 3, 1]), true, true)],
  ['torch.unique(torch.tensor([5, 1, 3, 1, 5]), sorted=False)', () => torch.unique(torch.tensor([5, 1, 3, 1, 5]), { sorted: false })],
  ['torch.unique(torch.tensor([[1, 2], [3, 4], [1, 2]]), dim=0, return_inverse=True, return_counts=True)', () => torch.unique(torch.tensor([[1, 2], [3, 4], [1, 2]]), { dim: 0, returnInverse: true, returnCounts: true })],
  ['torch.unique(torch.tensor([[2, 1, 2], [0, 3, 0]]), dim=1)', () => torch.unique(torch.tensor([[2, 1, 2], [0, 3, 0]]), { dim: 1 })],
  ['torch.unique(torch.tensor([[1.5, 2], [2, 0.5]]), return_inverse=True)', () => torch.unique(torch.tensor([[1.5, 2], [2, 0.5]]), { returnInverse: true })],
  ['torch.unique(torch.tensor([], dtype=torch.int64), return_counts=True)', () => torch.unique(torch.tensor([], { dtype: torch.int64 }), { returnCounts: true })],
  ['torch.tensor([3, 1, 3]).unique()', () => torch.tensor([3, 1, 3]).unique()],
  ['torch.tensor([3, 1, 3]).unique(return_counts=True)', () => torch.tensor([3, 1, 3]).unique({ returnCounts: true })],
  ['torch.tensor([3, 1, 3]).unique(True, True, True)', () => torch.tensor([3, 1, 3]).unique(true, true, true)],
  ['torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]))', () => torch.uniqueConsecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]))],
  ['torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]), return_inverse=True)', () => torch.uniqueConsecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]), { returnInverse: true })],
  ['torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]), return_counts=True)', () => torch.uniqueConsecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]), { returnCounts: true })],
  ['torch.unique_consecutive(torch.tensor([1, 1, 2, 3, 3]), return_inverse=True, return_counts=True)', () => torch.uniqueConsecutive(torch.tensor([1, 1, 2, 3, 3]), { returnInverse: true, returnCounts: true })],
  ['torch.unique_consecutive(torch.tensor([[1, 1], [1, 1], [2, 0]]), dim=0, return_counts=True)', () => torch.uniqueConsecutive(torch.tensor([[1, 1], [1, 1], [2, 0]]), { dim: 0, returnCounts: true })],
  ['torch.tensor([1, 1, 2]).unique_consecutive()', () => torch.tensor([1, 1, 2]).uniqueConsecutive()],
  ['torch.tensor([1, 1, 2]).unique_consecutive(return_inverse=True)', () => torch.tensor([1, 1, 2]).uniqueConsecutive({ returnInverse: true })],
  ['torch.logspace(0, 2, 3)', () => torch.logspace(0, 2, 3)],
  ['torch.logspace(0, 1, 4, base=2)', () => torch.logspace(0, 1, 4, { base: 2 })],
  ['torch.logspace(0, 1, 4, 2)', () => torch.logspace(0, 1, 4, 2)],
  ['torch.logspace(-1, 1, 5, dtype=torch.float64)', () => torch.logspace(-1, 1, 5, { dtype: torch.float64 })],
  ['torch.logspace(start=0.5, end=3, steps=4)', () => torch.logspace({ start: 0.5, end: 3, steps: 4 })],
  ['torch.logspace(0, 3, 4, out=torch.empty(0, dtype=torch.float64))', () => torch.logspace(0, 3, 4, { out: torch.empty(0, { dtype: torch.float64 }) })],
  ['torch.tril_indices(3, 3)', () => torch.trilIndices(3, 3)],
  ['torch.tril_indices(4, 3, -1)', () => torch.trilIndices(4, 3, -1)],
  ['torch.triu_indices(3, 4, 1)', () => torch.triuIndices(3, 4, 1)],
  ['torch.triu_indices(3, 3, dtype=torch.int32)', () => torch.triuIndices(3, 3, { dtype: torch.int32 })],
  ['torch.tril_indices(row=2, col=3, offset=1)', () => torch.trilIndices({ row: 2, col: 3, offset: 1 })],
  ['torch.scalar_tensor(3)', () => torch.scalarTensor(3)],
  ['torch.scalar_tensor(2.5, dtype=torch.float64)', () => torch.scalarTensor(2.5, { dtype: torch.float64 })],
  ['torch.scalar_tensor(True)', () => torch.scalarTensor(true)],
  ['torch.scalar_tensor(7, dtype=torch.int32)', () => torch.scalarTensor(7, { dtype: torch.int32 })],
  ['torch.hann_window(5)', () => torch.hannWindow(5)],
  ['torch.hann_window(5, periodic=False)', () => torch.hannWindow(5, { periodic: false })],
  ['torch.hann_window(1)', () => torch.hannWindow(1)],
  ['torch.hamming_window(6)', () => torch.hammingWindow(6)],
  ['torch.hamming_window(6, False, 0.5, 0.5)', () => torch.hammingWindow(6, false, 0.5, 0.5)],
  ['torch.hamming_window(6, True, 0.6)', () => torch.hammingWindow(6, true, 0.6)],
  ['torch.blackman_window(7, dtype=torch.float64)', () => torch.blackmanWindow(7, { dtype: torch.float64 })],
  ['torch.blackman_window(7, False)', () => torch.blackmanWindow(7, false)],
  ['torch.bartlett_window(5)', () => torch.bartlettWindow(5)],
  ['torch.bartlett_window(5, False)', () => torch.bartlettWindow(5, false)],
  ['torch.kaiser_window(6)', () => torch.kaiserWindow(6)],
  ['torch.kaiser_window(6, False, 5.0)', () => torch.kaiserWindow(6, false, 5)],
  ['torch.kaiser_window(6, beta=3.0, periodic=True)', () => torch.kaiserWindow(6, { beta: 3, periodic: true })],
  ['torch.asarray([1, 2])', () => torch.asarray([1, 2])],
  ['torch.asarray([1.5, 2])', () => torch.asarray([1.5, 2])],
  ['torch.asarray([1, 2], dtype=torch.float64)', () => torch.asarray([1, 2], { dtype: torch.float64 })],
  ['torch.asarray(3)', () => torch.asarray(3)],
  ['torch.asarray(torch.ones(2), dtype=torch.int32)', () => torch.asarray(torch.ones(2), { dtype: torch.int32 })],
];

const ERRORS: [string, () => unknown][] = [
  ['torch.normal(0.5, 1.5)', () => torch.normal(0.5, 1.5)],
  ['torch.normal(torch.zeros(2), 1.5, dtype=torch.float64)', () => torch.normal(torch.zeros(2), 1.5, { dtype: torch.float64 })],
  ['torch.normal(torch.zeros(2), -1.)', () => torch.normal(torch.zeros(2), -1)],
  ['torch.normal(torch.zeros(2), torch.ones(3))', () => torch.normal(torch.zeros(2), torch.ones(3))],
  ['torch.normal(torch.zeros(2, dtype=torch.int64), 1.)', () => torch.normal(torch.zeros(2, { dtype: torch.int64 }), 1)],
  ['torch.normal(0.5, 1.5, (2,), out=torch.empty(2), dtype=torch.float64)', () => torch.normal(0.5, 1.5, [2], { out: torch.empty(2), dtype: torch.float64 })],
  ['torch.unique(torch.tensor([[1, 2]]), dim=2)', () => torch.unique(torch.tensor([[1, 2]]), { dim: 2 })],
  ['torch.logspace(0, 1, -1)', () => torch.logspace(0, 1, -1)],
  ['torch.tril_indices(3, 3, requires_grad=True)', () => torch.trilIndices(3, 3, { requiresGrad: true })],
  ['torch.kaiser_window(-1)', () => torch.kaiserWindow(-1)],
  ['torch.broadcast_shapes((2,), (3,))', () => torch.broadcastShapes([2], [3])],
  ['torch.broadcast_shapes((2, 3), (3, 3))', () => torch.broadcastShapes([2, 3], [3, 3])],
  ['torch.broadcast_shapes((-1,), (3,))', () => torch.broadcastShapes([-1], [3])],
  ['torch.asarray(torch.ones(2), dtype=torch.float64, copy=False)', () => torch.asarray(torch.ones(2), { dtype: torch.float64, copy: false })],
  ['torch.asarray([1, 2], copy=False)', () => torch.asarray([1, 2], { copy: false })],
  ['torch.asarray([1, 2], requires_grad=True)', () => torch.asarray([1, 2], { requiresGrad: true })],
  ['torch.tensor([1., 2.]).imag', () => torch.tensor([1, 2], { dtype: torch.float32 }).imag],
];

type Golden = {
  seeded: (Described | Described[])[];
  cases: (Described | Described[])[];
  errors: string[];
};
let golden: Golden;

beforeAll(() => {
  golden = runPython<Golden>(`${PY_PRELUDE}
seeded_ = [${SEEDED.map(([py]) => `seeded(lambda: (${py.includes(';') ? py.split(';').map((s) => s.trim()).join(', ') + ')[-1]' : py + ')'})`).join(',\n  ')}]
cases = [${CASES.map(([py]) => `ds(${py})`).join(',\n  ')}]
errors = [${ERRORS.map(([py]) => `err(lambda: ${py})`).join(',\n  ')}]
result = dict(seeded=seeded_, cases=cases, errors=errors)
`);
});

describe('seeded torch.normal draws equal PyTorch after manualSeed(0)', () => {
  test.each(SEEDED.map(([py, f], i) => [py, f, i] as const))('%s', (_py, f, i) => {
    torch.manualSeed(0);
    expect(ds(f())).toEqual(golden.seeded[i]);
  });
});

describe('values, dtypes and shapes equal PyTorch', () => {
  test.each(CASES.map(([py, f], i) => [py, f, i] as const))('%s', (_py, f, i) => {
    expect(ds(f())).toEqual(golden.cases[i]);
  });
});

describe('errors are PyTorch\'s', () => {
  test.each(ERRORS.map(([py, f], i) => [py, f, i] as const))('%s', (_py, f, i) => {
    expect(err(f)).toBe(golden.errors[i]);
  });
});

test('normal: the error classes are Python\'s (TypeError for a bad combination)', () => {
  expect(() => torch.normal(0.5, 1.5)).toThrow(torch.PyTypeError);
  expect(() => torch.normal(torch.zeros(2), { sd: 1 } as never)).toThrow("normal() got an unexpected keyword argument 'sd'");
  expect(() => torch.asarray([1, 2], { copy: false })).toThrow(torch.ValueError);
});

test('normal: out= writes into the tensor given (all overloads) with the same draws as Python', () => {
  const want = runPython<number[][]>(`
torch.manual_seed(0)
a = torch.empty(3); torch.normal(torch.zeros(3), torch.ones(3), out=a)
b = torch.empty(3); torch.normal(torch.zeros(3), 2., out=b)
c = torch.empty(3); torch.normal(1., torch.ones(3), out=c)
e = torch.empty(0, dtype=torch.float64); torch.normal(1., 2., (3,), out=e)
result = [a.tolist(), b.tolist(), c.tolist(), e.tolist()]
`);
  torch.manualSeed(0);
  const a = torch.empty(3), b = torch.empty(3), c = torch.empty(3), e = torch.empty(0, { dtype: torch.float64 });
  expect(torch.normal(torch.zeros(3), torch.ones(3), { out: a })).toBe(a);
  expect(torch.normal(torch.zeros(3), 2, { out: b })).toBe(b);
  expect(torch.normal(1, torch.ones(3), { out: c })).toBe(c);
  expect(torch.normal(1, 2, [3], { out: e })).toBe(e);
  expect([a, b, c, e].map((t) => t.tolist())).toEqual(want);
});

test('normal: requires_grad and gradients as in Python (zero for mean and std; a leaf for the factory form)', () => {
  const want = runPython<{ rg: boolean[]; names: string[]; grads: number[][]; leaf: [boolean, boolean, boolean] }>(`
m = torch.zeros(3, requires_grad=True); s = torch.ones(3, requires_grad=True)
y1 = torch.normal(m, s); y2 = torch.normal(m, 2.); y3 = torch.normal(1., s); y4 = torch.normal(torch.zeros(3), torch.ones(3))
(y1.sum() + y2.sum() + y3.sum()).backward()
f = torch.normal(0., 1., (2,), requires_grad=True)
result = dict(rg=[y.requires_grad for y in (y1, y2, y3, y4)], names=[type(y.grad_fn).__name__ for y in (y1, y2, y3)],
  grads=[m.grad.tolist(), s.grad.tolist()], leaf=[f.requires_grad, f.is_leaf, f.grad_fn is None])
`);
  const m = torch.zeros(3, { requiresGrad: true }), s = torch.ones(3, { requiresGrad: true });
  const y1 = torch.normal(m, s), y2 = torch.normal(m, 2), y3 = torch.normal(1, s), y4 = torch.normal(torch.zeros(3), torch.ones(3));
  y1.sum().add(y2.sum()).add(y3.sum()).backward();
  const f = torch.normal(0, 1, [2], { requiresGrad: true });
  expect([y1, y2, y3, y4].map((y) => y.requiresGrad)).toEqual(want.rg);
  expect([y1, y2, y3].map((y) => y.gradFn!.name())).toEqual(want.names);
  expect([m.grad!.tolist(), s.grad!.tolist()]).toEqual(want.grads);
  expect([f.requiresGrad, f.isLeaf, f.gradFn === null]).toEqual(want.leaf);
});

test('unique / uniqueConsecutive return a tensor, or a tuple as Python\'s (positional and keyword forms)', () => {
  const x = torch.tensor([2, 1, 2]);
  expect(x.unique()).toBeInstanceOf(torch.Tensor);
  expect(x.unique({ returnInverse: true })).toHaveLength(2);
  expect(torch.unique(x, true, false, true)).toHaveLength(2);
  expect(torch.unique(x, { returnInverse: true, returnCounts: true })).toHaveLength(3);
  expect(torch.uniqueConsecutive(x, true, true)).toHaveLength(3);
  // the tuple forms are typed as tuples: destructuring needs no cast
  const [values, counts] = torch.unique(x, { returnCounts: true });
  const [, inverse, counts2] = x.uniqueConsecutive({ returnInverse: true, returnCounts: true });
  const want = runPython<number[][]>(`
x = torch.tensor([2, 1, 2])
values, counts = torch.unique(x, return_counts=True)
_, inverse, counts2 = x.unique_consecutive(return_inverse=True, return_counts=True)
result = [values.tolist(), counts.tolist(), inverse.tolist(), counts2.tolist()]
`);
  expect([values.tolist(), counts.tolist(), inverse.tolist(), counts2.tolist()]).toEqual(want);
  expect(() => x.unique({ return_counts: true } as never)).toThrow("unique() got an unexpected keyword argument 'return_counts' (did you mean 'returnCounts'?)");
});

test('empty_strided: shape, strides and dtype as Python\'s', () => {
  const want = runPython<[number[], number[], string][]>(`
ts = [torch.empty_strided((2, 3), (1, 2)), torch.empty_strided((2, 2), (4, 1), dtype=torch.float64), torch.empty_strided((0,), (1,))]
result = [[list(t.shape), list(t.stride()), str(t.dtype)] for t in ts]
`);
  const ts = [torch.emptyStrided([2, 3], [1, 2]), torch.emptyStrided([2, 2], [4, 1], { dtype: torch.float64 }), torch.emptyStrided([0], [1])];
  expect(ts.map((t) => [t.shape, t.stride(), String(t.dtype)])).toEqual(want);
});

test('broadcast_shapes: Python\'s results', () => {
  const want = runPython<number[][]>(`
result = [list(torch.broadcast_shapes((2, 1), (3,))), list(torch.broadcast_shapes()), list(torch.broadcast_shapes(5)),
  list(torch.broadcast_shapes((2,), (3, 1), (1, 1, 1))), list(torch.broadcast_shapes(1, (4, 1), [2, 1, 3])), list(torch.broadcast_shapes((0,), (1,)))]
`);
  expect([
    torch.broadcastShapes([2, 1], [3]),
    torch.broadcastShapes(),
    torch.broadcastShapes(5),
    torch.broadcastShapes([2], [3, 1], [1, 1, 1]),
    torch.broadcastShapes(1, [4, 1], [2, 1, 3]),
    torch.broadcastShapes([0], [1]),
  ]).toEqual(want);
});

test('asarray shares a tensor unless asked to copy; requiresGrad as Python\'s', () => {
  const want = runPython<boolean[]>(`
t = torch.ones(2)
a = torch.asarray(t); b = torch.asarray(t, copy=True); c = torch.asarray(t, dtype=torch.float32, copy=False)
r = torch.asarray([1.5, 2.], requires_grad=True)
result = [a is t, b is t, b.data_ptr() == t.data_ptr(), c is t, r.requires_grad, r.is_leaf]
`);
  const t = torch.ones(2);
  const a = torch.asarray(t), b = torch.asarray(t, { copy: true }), c = torch.asarray(t, { dtype: torch.float32, copy: false });
  const r = torch.asarray([1.5, 2], { dtype: torch.float32, requiresGrad: true });
  b.fill_(5);
  expect([a === t, b === t, (t.tolist() as number[])[0] === 5, c === t, r.requiresGrad, r.isLeaf]).toEqual(want);
  const grads = runPython<(boolean | null)[][]>(`
def info(a, src):
    return [a is src, a.requires_grad, a.is_leaf, src.requires_grad]
t = torch.ones(2, requires_grad=True); A = info(torch.asarray(t), t)
u = torch.ones(2); B = info(torch.asarray(u, copy=True, requires_grad=True), u)
t2 = torch.ones(2, requires_grad=True); C = info(torch.asarray(t2, dtype=torch.float64), t2)
u2 = torch.ones(2, requires_grad=True); D = info(torch.asarray(u2, dtype=torch.float64, requires_grad=True), u2)
n = torch.ones(2, requires_grad=True) * 2; N = info(torch.asarray(n), n)
n2 = torch.ones(2, requires_grad=True) * 2; NC = info(torch.asarray(n2, copy=True, requires_grad=True), n2)
result = [A, B, C, D, N, NC]
`);
  const info = (x: torch.Tensor, src: torch.Tensor) => [x === src, x.requiresGrad, x.isLeaf, src.requiresGrad];
  const leaf = () => torch.ones(2, { requiresGrad: true });
  const t1 = leaf(), u1 = torch.ones(2), t2 = leaf(), u2 = leaf(), n1 = leaf().mul(2), n2 = leaf().mul(2);
  expect([
    info(torch.asarray(t1), t1),
    info(torch.asarray(u1, { copy: true, requiresGrad: true }), u1),
    info(torch.asarray(t2, { dtype: torch.float64 }), t2),
    info(torch.asarray(u2, { dtype: torch.float64, requiresGrad: true }), u2),
    info(torch.asarray(n1), n1),
    info(torch.asarray(n2, { copy: true, requiresGrad: true }), n2),
  ]).toEqual(grads);
  const shared = new Float32Array([1, 2]);
  torch.asarray(shared, { copy: false }).fill_(3);
  expect(Array.from(shared)).toEqual([3, 3]);
  torch.asarray(shared, { copy: true }).fill_(4);
  expect(Array.from(shared)).toEqual([3, 3]);
});

test('typename: a tensor\'s legacy type name, Python\'s names for plain values', () => {
  const want = runPython<string[]>(`
result = [torch.typename(torch.zeros(2)), torch.typename(torch.zeros(2, dtype=torch.int64)), torch.typename(torch.zeros(2, dtype=torch.float64)),
  torch.typename(3), torch.typename(1.5), torch.typename(True), torch.typename('s'), torch.typename(None), torch.typename([1])]
`);
  expect([
    torch.typename(torch.zeros(2)),
    torch.typename(torch.zeros(2, { dtype: torch.int64 })),
    torch.typename(torch.zeros(2, { dtype: torch.float64 })),
    torch.typename(3),
    torch.typename(1.5),
    torch.typename(true),
    torch.typename('s'),
    torch.typename(null),
    torch.typename([1]),
  ]).toEqual(want);
});

test('seed(): reseeds non-deterministically and returns the new initial seed, as Python\'s', () => {
  const s = torch.seed();
  expect(typeof s).toBe('bigint');
  expect(torch.initialSeed()).toBe(s);
  const first = torch.rand(2).tolist();
  torch.manualSeed(s);
  expect(torch.rand(2).tolist()).toEqual(first);
  expect(torch.seed()).not.toBe(s);
});

test('Tensor members: elementSize, getDevice, isCpu, isMeta, ndimension, storageOffset as Python\'s', () => {
  const want = runPython<unknown[]>(`
x = torch.arange(12.).reshape(3, 4)
m = torch.empty(2, device='meta')
result = [[torch.empty(1, dtype=t).element_size() for t in (torch.float32, torch.float64, torch.float16, torch.int8, torch.int64, torch.bool, torch.complex64, torch.complex128)],
  x.get_device(), m.get_device(), x.is_cpu, x.is_meta, m.is_meta, m.is_cpu, x.ndimension(), torch.tensor(1).ndimension(),
  [x.storage_offset(), x[1:].storage_offset(), x[:, 2].storage_offset(), x[2, 1:].storage_offset(), x.t()[3].storage_offset(),
   m[1:].storage_offset(), x.to_sparse().storage_offset()]]
`);
  const x = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
  const m = torch.empty(2, { device: 'meta' });
  const dtypes = [torch.float32, torch.float64, torch.float16, torch.int8, torch.int64, torch.bool, torch.complex64, torch.complex128];
  expect([
    dtypes.map((dt) => torch.empty(1, { dtype: dt }).elementSize()),
    x.getDevice(),
    m.getDevice(),
    x.isCpu,
    x.isMeta,
    m.isMeta,
    m.isCpu,
    x.ndimension(),
    torch.tensor(1).ndimension(),
    [x.storageOffset(), x.index(torch.slice(1, null)).storageOffset(), x.index(':', 2).storageOffset(), x.index(2, torch.slice(1, null)).storageOffset(), x.t().index(3).storageOffset(),
      m.index(torch.slice(1, null)).storageOffset(), x.toSparse().storageOffset()],
  ]).toEqual(want);
});

test('real / imag: views of a complex tensor (assignable), the tensor itself for real dtypes, as Python\'s properties', () => {
  const want = runPython<unknown>(`
z = torch.view_as_complex(torch.tensor([[1.5, 2.], [3., -4.]]))
re, im = z.real, z.imag
before = [re.tolist(), im.tolist()]
shape = [list(re.shape), re.stride(), re.storage_offset(), im.storage_offset(), str(re.dtype)]
re.mul_(2)
after_view = torch.view_as_real(z).tolist()
z.imag = torch.tensor([7., 8.])
z.real = 0.5
r = torch.tensor([1., 2.])
result = dict(before=before, shape=shape, after_view=after_view, after=torch.view_as_real(z).tolist(), real_of_real=r.real.tolist(), same=r.real.data_ptr() == r.data_ptr())
`);
  const z = torch.viewAsComplex(torch.tensor([[1.5, 2], [3, -4]], { dtype: torch.float32 }));
  const re = z.real, im = z.imag;
  const shape = [re.shape, re.stride(), re.storageOffset(), im.storageOffset(), String(re.dtype)];
  const before = [re.tolist(), im.tolist()];
  re.mul_(2);
  const afterView = torch.viewAsReal(z).tolist();
  z.imag = torch.tensor([7, 8], { dtype: torch.float32 });
  z.real = 0.5;
  const r = torch.tensor([1, 2], { dtype: torch.float32 });
  r.real.fill_(9);
  const w = want as { before: unknown; shape: unknown; after_view: unknown; after: unknown; real_of_real: number[]; same: boolean };
  expect(before).toEqual(w.before);
  expect(shape).toEqual(w.shape);
  expect(afterView).toEqual(w.after_view);
  expect(torch.viewAsReal(z).tolist()).toEqual(w.after);
  expect(w.same).toBe(true); // Python's r.real is r itself: a write through it is a write to r
  expect(r.tolist()).toEqual([9, 9]);
  expect(torch.tensor([1, 2], { dtype: torch.float32 }).real.tolist()).toEqual(w.real_of_real);
});

// In a child process: a thread switched to its own generator (as a DataLoader worker thread is)
// stays switched, which would change every later test file's draws in this jest worker.
test('in a worker thread, normal draws from the worker\'s generator (as rand/randn do)', () => {
  const want = runPython<number[][]>(`
g = torch.Generator().manual_seed(1234)
a = torch.normal(torch.zeros(3), torch.ones(3), generator=g)
b = torch.normal(0., 1., (2,), generator=g)
c = torch.normal(2., torch.ones(2), generator=g)
result = [a.tolist(), b.tolist(), c.tolist()]
`);
  const lib = path.join(__dirname, '..', 'dist', 'lib');
  const script = `
    const torch = require(${JSON.stringify(lib)});
    require(${JSON.stringify(path.join(lib, 'tensor', 'random'))}).useThreadGenerator(1234);
    const got = [torch.normal(torch.zeros(3), torch.ones(3)), torch.normal(0, 1, [2]), torch.normal(2, torch.ones(2))];
    console.log(JSON.stringify(got.map((t) => t.tolist())));`;
  const got = JSON.parse(execFileSync(process.execPath, ['-e', script]).toString().trim().split('\n').pop()!);
  expect(got).toEqual(want);
});
