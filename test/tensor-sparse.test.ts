// Sparse COO tensors (pytorch/examples gcn) against PyTorch 1.13 in the same run: construction as
// Python's torch.sparse_coo_tensor casts, printing, spmm / sparse.mm / sparse.sum with gradients on
// the dense side, and torch.save / torch.load both ways.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
// t.is_sparse, t.layout, t._nnz(), t._indices(), t._values()
import { runPython } from './helpers/python';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-sparse-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const EDGES = [
  [0, 1], [1, 0], [1, 2], [2, 1], [2, 3], [3, 2], [3, 4], [4, 3], [0, 4], [4, 0], [1, 3],
];
const N = 5;

describe('gcn: normalised adjacency D^-1/2 (A + I) D^-1/2, sparse @ dense, gradients', () => {
  interface Gcn { x: number[][]; w1: number[][]; w2: number[][]; adj: string; deg: number[]; out: number[][]; loss: number; gw1: number[][]; gw2: number[][]; gx: number[][] }
  let py: Gcn;
  beforeAll(() => {
    py = runPython<Gcn>(`
edges = torch.tensor(${JSON.stringify(EDGES)}, dtype=torch.int32).t()
n = ${N}
loops = torch.arange(n, dtype=torch.int32).repeat(2, 1)
indices = torch.cat([edges, loops], 1)
adj = torch.sparse_coo_tensor(indices, torch.ones(indices.shape[1]), (n, n))
deg = torch.sparse.sum(adj, dim=1).to_dense()
dinv = deg.pow(-0.5)
row, col = adj._indices()
adj = torch.sparse_coo_tensor(adj._indices(), dinv.index_select(0, row) * adj._values() * dinv.index_select(0, col), (n, n))
torch.manual_seed(0)
x = torch.randn(n, 4, requires_grad=True)
w1 = torch.randn(4, 3, requires_grad=True)
w2 = torch.randn(3, 2, requires_grad=True)
h = torch.spmm(adj, x @ w1).relu()
out = torch.sparse.mm(adj, h @ w2)
loss = out.log_softmax(1).mean()
loss.backward()
result = {'x': x.tolist(), 'w1': w1.tolist(), 'w2': w2.tolist(), 'adj': str(adj), 'deg': deg.tolist(), 'out': out.tolist(),
          'loss': loss.item(), 'gw1': w1.grad.tolist(), 'gw2': w2.grad.tolist(), 'gx': x.grad.tolist()}
`);
  });

  test('the same adjacency, forward and gradients as Python', () => {
    const edges = torch.tensor(EDGES, { dtype: torch.int32 }).t();
    const loops = torch.arange(N, { dtype: torch.int32 }).repeat(2, 1);
    const indices = torch.cat([edges, loops], 1);
    // int32 indices: cast to int64 as Python's constructor does
    let adj = torch.sparseCooTensor(indices, torch.ones(indices.shape[1]), [N, N]);
    const deg = torch.sparse.sum(adj, { dim: 1 }).toDense();
    const dinv = deg.pow(-0.5);
    const [row, col] = adj._indices();
    adj = torch.sparseCooTensor(adj._indices(), dinv.indexSelect(0, row).mul(adj._values()).mul(dinv.indexSelect(0, col)), [N, N]);
    const x = torch.tensor(py.x, { requiresGrad: true });
    const w1 = torch.tensor(py.w1, { requiresGrad: true });
    const w2 = torch.tensor(py.w2, { requiresGrad: true });
    const h = torch.spmm(adj, x.matmul(w1)).relu();
    const out = torch.sparse.mm(adj, h.matmul(w2));
    const loss = out.logSoftmax(1).mean();
    loss.backward();
    expect(deg.tolist()).toEqual(py.deg);
    expect(String(adj)).toBe(py.adj);
    expect(out.tolist()).toEqual(py.out);
    expect(loss.item()).toBe(py.loss);
    expect(w1.grad!.tolist()).toEqual(py.gw1);
    expect(w2.grad!.tolist()).toEqual(py.gw2);
    expect(x.grad!.tolist()).toEqual(py.gx);
  });
});

describe('construction, layout and printing as Python', () => {
  // name -> [Python expression, the same in torch-node]
  const CASES: Record<string, [string, () => torch.Tensor]> = {
    basic: ['torch.sparse_coo_tensor([[0, 1, 2], [2, 0, 1]], [1., 2., 3.5], (3, 3))', () => torch.sparseCooTensor([[0, 1, 2], [2, 0, 1]], [1.0, 2.0, 3.5], [3, 3], { dtype: torch.float32 })],
    inferred_size: ['torch.sparse_coo_tensor(torch.tensor([[0, 4], [1, 0]]), torch.tensor([1., 2.]))', () => torch.sparseCooTensor(torch.tensor([[0, 4], [1, 0]]), torch.tensor([1, 2], { dtype: torch.float32 }))],
    float64: ['torch.sparse_coo_tensor([[0, 1], [1, 0]], [1, 2], (2, 2), dtype=torch.float64)', () => torch.sparseCooTensor([[0, 1], [1, 0]], [1, 2], [2, 2], { dtype: torch.float64 })],
    int64_values: ['torch.sparse_coo_tensor([[0, 1]], torch.tensor([7, 8]), (3,))', () => torch.sparseCooTensor([[0, 1]], torch.tensor([7, 8]), [3])],
    requires_grad: ['torch.sparse_coo_tensor([[0, 1], [1, 0]], [1., 2.], (2, 2), requires_grad=True)', () => torch.sparseCooTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2], { dtype: torch.float32, requiresGrad: true })],
    keywords: ['torch.sparse_coo_tensor(indices=[[0, 1], [1, 0]], values=[1., 2.], size=(2, 2))', () => torch.sparseCooTensor({ indices: [[0, 1], [1, 0]], values: torch.tensor([1, 2], { dtype: torch.float32 }), size: [2, 2] })],
    hybrid: ['torch.sparse_coo_tensor(torch.tensor([[0, 1, 1], [2, 0, 2]]), torch.arange(6.).reshape(3, 2), (2, 3, 2))', () => torch.sparseCooTensor(torch.tensor([[0, 1, 1], [2, 0, 2]]), torch.arange(6, { dtype: torch.float32 }).reshape(3, 2), [2, 3, 2])],
    empty_size: ['torch.sparse_coo_tensor([2, 3])', () => torch.sparseCooTensor([2, 3])],
    empty_int: ['torch.sparse_coo_tensor([2, 3], dtype=torch.int32)', () => torch.sparseCooTensor([2, 3], { dtype: torch.int32 })],
    uncoalesced: ['torch.sparse_coo_tensor([[1, 0, 1]], [1., 2., 3.], (2,))', () => torch.sparseCooTensor([[1, 0, 1]], [1.0, 2.0, 3.0], [2], { dtype: torch.float32 })],
    coalesced: ['torch.sparse_coo_tensor([[1, 0, 1]], [1., 2., 3.], (2,)).coalesce()', () => torch.sparseCooTensor([[1, 0, 1]], [1.0, 2.0, 3.0], [2], { dtype: torch.float32 }).coalesce()],
    grad_fn: ['torch.sparse_coo_tensor([[0, 1]], [1., 2.], (2,), requires_grad=True).mul(2)', () => torch.sparseCooTensor([[0, 1]], [1.0, 2.0], [2], { dtype: torch.float32, requiresGrad: true }).mul(2)],
    sum_dim: ['torch.sparse.sum(torch.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], [1., 2., 3.], (2, 3)), 0)', () => torch.sparse.sum(torch.sparseCooTensor([[0, 1, 1], [2, 0, 2]], [1.0, 2.0, 3.0], [2, 3], { dtype: torch.float32 }), 0)],
    sum_all_dtype: ['torch.sparse.sum(torch.sparse_coo_tensor([[0, 1]], [1., 2.5], (2,)), dtype=torch.float64)', () => torch.sparse.sum(torch.sparseCooTensor([[0, 1]], [1.0, 2.5], [2], { dtype: torch.float32 }), { dtype: torch.float64 })],
    wide: ['torch.sparse_coo_tensor([list(range(30))], torch.arange(30.) / 7, (30,))', () => torch.sparseCooTensor([Array.from({ length: 30 }, (_, i) => i)], torch.arange(30, { dtype: torch.float32 }).div(7), [30])],
  };
  let py: Record<string, { str: string; layout: string; is_sparse: boolean; nnz: number | null; dense: unknown }>;
  beforeAll(() => {
    py = runPython(`
cases = json.loads(${JSON.stringify(JSON.stringify(Object.fromEntries(Object.entries(CASES).map(([k, [expr]]) => [k, expr]))))})
result = {}
for name, expr in cases.items():
    t = eval(expr)
    result[name] = {'str': str(t), 'layout': str(t.layout), 'is_sparse': t.is_sparse, 'nnz': t._nnz() if t.is_sparse else None,
                    'dense': (t.to_dense() if t.is_sparse else t).tolist()}
`);
  });
  for (const [name, [, make]] of Object.entries(CASES)) {
    test(name, () => {
      const t = make();
      const expected = py[name];
      expect(String(t)).toBe(expected.str);
      expect(String(t.layout)).toBe(expected.layout);
      expect(t.isSparse).toBe(expected.is_sparse);
      if (expected.is_sparse) expect(t._nnz()).toBe(expected.nnz);
      expect((t.isSparse ? t.toDense() : t).tolist()).toEqual(expected.dense);
    });
  }

  test('layouts are torch.strided and torch.sparse_coo', () => {
    expect(String(torch.strided)).toBe('torch.strided');
    expect(String(torch.sparseCoo)).toBe('torch.sparse_coo');
    expect(torch.ones(2).layout).toBe(torch.strided);
    expect(torch.sparseCooTensor([2]).layout).toBe(torch.sparseCoo);
    expect(torch.sparseCooTensor([[0]], [1], [1]).dtype).toBe(torch.int64);
  });

  test('invalid indices raise PyTorch\'s errors', () => {
    const errors = runPython<string[]>(`result = [err(lambda: torch.sparse_coo_tensor([[0, 5]], [1., 2.], (2,))),
    err(lambda: torch.sparse_coo_tensor([[0, 1]], [1., 2., 3.], (2,)))]`);
    expect(() => torch.sparseCooTensor([[0, 5]], [1.0, 2.0], [2])).toThrow(torch.TorchError);
    expect(() => torch.sparseCooTensor([[0, 5]], [1.0, 2.0], [2])).toThrow(errors[0]);
    expect(() => torch.sparseCooTensor([[0, 1]], [1.0, 2.0, 3.0], [2])).toThrow(errors[1]);
    expect(() => torch.sparseCooTensor([[0, 1]], [1.0, 2.0], [2], { layout: 1 } as never)).toThrow(/unexpected keyword argument 'layout'/);
  });
});

describe('torch.save / torch.load of sparse tensors, both ways', () => {
  test('Python saves -> loads here as the same sparse tensor (zip and legacy formats)', async () => {
    const py = runPython<Record<string, string>>(`
import os
d = ${JSON.stringify(dir)}
torch.manual_seed(0)
s = torch.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], torch.randn(3), (2, 3))
h = torch.sparse_coo_tensor([[0, 2]], torch.randn(2, 4, dtype=torch.float64), (3, 4))
obj = {'adj': s, 'hybrid': h, 'dense': torch.ones(2), 'again': s}
torch.save(obj, os.path.join(d, 'py.pt'))
torch.save(obj, os.path.join(d, 'py.legacy.pt'), _use_new_zipfile_serialization=False)
torch.save(torch._sparse_coo_tensor_unsafe(torch.tensor([[5]]), torch.tensor([1.]), (2,)), os.path.join(d, 'bad-index.pt'))
result = {k: str(v) for k, v in obj.items()}
`);
    for (const file of ['py.pt', 'py.legacy.pt']) {
      const got = (await torch.load(path.join(dir, file))) as Record<string, torch.Tensor>;
      for (const k of Object.keys(py)) expect(String(got[k])).toBe(py[k]);
      expect(got.adj.isSparse).toBe(true);
      expect(got.again).toBe(got.adj); // one object, as pickled once
    }
    expect(() => torch.loadSync(path.join(dir, 'bad-index.pt'))).toThrow(/invalid sparse tensor: .*size is inconsistent with indices/);
  });

  test('malformed sparse data is refused with a TorchError', () => {
    runPython(`
import os
d = ${JSON.stringify(dir)}
class Forged:
    def __init__(self, *args): self.args = args
    def __reduce__(self): return (torch._utils._rebuild_sparse_tensor, self.args)
save = lambda obj, name: torch.save(obj, os.path.join(d, name))
save(Forged(torch.sparse_coo, (torch.tensor([0, 1]), torch.tensor([1., 2.]), (2,))), 'indices-1d.pt')
save(Forged(torch.sparse_coo, (torch.tensor([[0., 1.]]), torch.tensor([1., 2.]), (2,))), 'indices-float.pt')
save(Forged(torch.sparse_coo, (torch.tensor([[0, 1]]), torch.tensor([1., 2., 3.]), (2,))), 'nnz-mismatch.pt')
save(Forged(torch.sparse_coo, (torch.tensor([[0, 1]]), torch.tensor([1., 2.]), (-2,))), 'negative-size.pt')
save(Forged(torch.sparse_csr, (torch.tensor([[0, 1]]), torch.tensor([1., 2.]), (2,))), 'csr-layout.pt')
save(Forged(torch.sparse_coo, (torch.tensor([[0, 1]]), torch.tensor([1., 2.]))), 'two-parts.pt')
result = None
`);
    const cases: [string, RegExp][] = [
      ['indices-1d.pt', /indices must be 2-D/],
      ['indices-float.pt', /indices must be int64, got torch.float32/],
      ['nnz-mismatch.pt', /invalid sparse tensor: indices and values must have same nnz/],
      ['negative-size.pt', /size must be a tuple of non-negative ints/],
      ['csr-layout.pt', /can only load sparse tensors of layout torch.sparse_coo, got torch.sparse_csr/],
      ['two-parts.pt', /rebuilt from \(indices, values, size\)/],
    ];
    for (const [file, message] of cases) {
      expect(() => torch.loadSync(path.join(dir, file))).toThrow(torch.TorchError);
      expect(() => torch.loadSync(path.join(dir, file))).toThrow(message);
    }
  });

  test('saved here -> Python torch.load(weights_only=True) gets the same sparse tensor', async () => {
    torch.manualSeed(0);
    const obj = {
      adj: torch.sparseCooTensor([[0, 1, 1], [2, 0, 2]], torch.randn(3), [2, 3]),
      hybrid: torch.sparseCooTensor([[0, 2]], torch.randn(2, 4, { dtype: torch.float64 }), [3, 4]),
      empty: torch.sparseCooTensor([4, 2]),
      dense: torch.ones(2),
    };
    await torch.save(obj, path.join(dir, 'js.pt'));
    fs.writeFileSync(path.join(dir, 'js-bytes.pt'), torch.saveSync(obj));
    const py = runPython<Record<string, string>[]>(`
import os
d = ${JSON.stringify(dir)}
result = []
for f in ['js.pt', 'js-bytes.pt']:
    obj = torch.load(os.path.join(d, f), weights_only=True)
    result.append({k: str(v) + ('' if not v.is_sparse else ' sparse') for k, v in obj.items()})
`);
    const expected = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, String(v) + (v.isSparse ? ' sparse' : '')]));
    expect(py).toEqual([expected, expected]);
    const back = torch.loadSync(path.join(dir, 'js.pt')) as Record<string, torch.Tensor>;
    for (const k of Object.keys(obj)) expect(String(back[k])).toBe(expected[k].replace(' sparse', ''));
  });
});
