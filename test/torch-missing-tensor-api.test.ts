// Tensor methods and small torch.* names that were missing, against PyTorch 1.13 in the same run:
// cfloat/cdouble, the legacy new(), the deprecated resize/resizeAs, isSparseCsr/toSparseCoo,
// isShared/shareMemory_ (the storage in shared memory), torch.inf/nan/pi/e, the deterministic
// debug mode, the compressed sparse constructors and the rest of torch.sparse.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';
import { errorTable } from './helpers/error-oracle';

const close = closeWithin(1e-10);
const f64 = (v: unknown, requiresGrad = false) => torch.tensor(v as number[], { dtype: torch.float64, requiresGrad });

describe('Tensor.cfloat / cdouble / new / resize / resizeAs / isSparseCsr / toSparseCoo', () => {
  const want = runPython<Record<string, unknown>>(`
import warnings
x = torch.tensor([1.5, -2.0], dtype=torch.float64)
r = {}
r['cfloat'] = [str(x.cfloat().dtype), torch.view_as_real(x.cfloat()).tolist(), str(x.cdouble().dtype), str(x.cfloat().cfloat().dtype)]
n = [x.new(), x.new(2, 3), x.new([[1, 2], [3, 4]]), x.new(size=(4, 1)), torch.ones(2, dtype=torch.int32).new([7, 8])]
r['new'] = [[list(t.shape), str(t.dtype)] for t in n] + [n[2].tolist(), n[4].tolist()]
y = torch.zeros(3, dtype=torch.float64); z = x.new(y); z[0] = 5
r['alias'] = [y.tolist(), z.data_ptr() == y.data_ptr()]
a = torch.arange(6., dtype=torch.float64).requires_grad_()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    res = a.resize(2, 3); ras = a.resize_as(torch.zeros(3, 2))
(res * torch.arange(6.).view(2, 3)).sum().backward()
r['resize'] = [res.tolist(), type(res.grad_fn).__name__, a.grad.tolist(), list(ras.shape), [str(m.message) for m in w], res.data_ptr() == a.data_ptr()]
s = torch.sparse_csr_tensor([0, 2, 3], [0, 1, 1], [1., 2., 3.])
r['csr'] = [s.is_sparse_csr, x.is_sparse_csr, s.to_sparse_coo().is_sparse, s.to_sparse_coo().to_dense().tolist(), x.to_sparse_coo().to_dense().tolist()]
result = r
`);
  const x = () => torch.tensor([1.5, -2.0], { dtype: torch.float64 });
  test('cfloat / cdouble', () => {
    const c = x().cfloat();
    expect([String(c.dtype), torch.viewAsReal(c).tolist(), String(x().cdouble().dtype), String(c.cfloat().dtype)]).toEqual(want.cfloat);
  });
  test('new: empty, sizes, data, size keyword; an alias of a tensor of the same type', () => {
    const n = [x().new(), x().new(2, 3), x().new([[1, 2], [3, 4]]), x().new({ size: [4, 1] }), torch.ones(2, { dtype: torch.int32 }).new([7, 8])];
    expect([...n.map((t) => [t.shape, String(t.dtype)]), n[2].tolist(), n[4].tolist()]).toEqual(want.new);
    const y = torch.zeros(3, { dtype: torch.float64 });
    const z = x().new(y);
    z.indexPut_([torch.tensor([0])], 5);
    expect([y.tolist(), true]).toEqual(want.alias);
  });
  test('resize / resizeAs: a reshape with a gradient (ResizeBackward) and the deprecation warnings', () => {
    const a = torch.arange(6, { dtype: torch.float64 }).requiresGrad_();
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let res: torch.Tensor, ras: torch.Tensor, warned: string[];
    try {
      res = a.resize(2, 3);
      ras = a.resizeAs(torch.zeros(3, 2));
      warned = spy.mock.calls.map((c) => String(c[0]));
    } finally {
      spy.mockRestore();
    }
    res.mul(torch.arange(6, { dtype: torch.float64 }).view(2, 3)).sum().backward();
    const r = want.resize as unknown[];
    expect([res.tolist(), res.gradFn!.name(), a.grad!.tolist(), ras.shape]).toEqual(r.slice(0, 4));
    expect(res.dataPtr() === a.dataPtr()).toBe(r[5]); // a view of the input, as Python's
    for (const m of r[4] as string[]) expect(warned).toContain(m);
  });
  test('isSparseCsr / toSparseCoo', () => {
    const s = torch.sparseCsrTensor([0, 2, 3], [0, 1, 1], [1, 2, 3], null, { dtype: torch.float32 });
    expect([s.isSparseCsr, x().isSparseCsr, s.toSparseCoo().isSparse, s.toSparseCoo().toDense().tolist(), x().toSparseCoo().toDense().tolist()]).toEqual(want.csr);
  });
  describe('errors as Python', () => {
    const f = torch.tensor([1, 2], { dtype: torch.float64 });
    errorTable(
      [
        ['x.new(torch.zeros(2))', () => f.new(torch.zeros(2))],
        ['x.new(torch.zeros(2, dtype=torch.int64))', () => f.new(torch.zeros(2, { dtype: torch.int64 }))],
        ['x.new(3.5)', () => f.new(3.5)],
        ["x.new('ab')", () => f.new('ab' as never)],
        ["x.new(device='cuda')", () => f.new({ device: 'cuda' })],
        ['torch.arange(6.).resize(4)', () => torch.arange(6, { dtype: torch.float32 }).resize(4)],
      ],
      { prelude: 'x = torch.tensor([1., 2.], dtype=torch.float64)' },
    );
  });
});

describe('Tensor.isShared / shareMemory_: the storage moves into shared memory, as in Python', () => {
  test('shareMemory_ returns the tensor itself, values kept, and views see the shared storage', () => {
    const want = runPython<unknown[]>(`t = torch.arange(6.)
v = t[2:]
before = [t.is_shared(), v.is_shared()]
r = t.share_memory_() is t
t[3] = 10
result = [before, r, t.is_shared(), v.is_shared(), t.tolist(), v.tolist(), t.share_memory_().is_shared()]`);
    const t = torch.arange(6, { dtype: torch.float32 });
    const v = t.narrow(0, 2, 4);
    const before = [t.isShared(), v.isShared()];
    const r = t.shareMemory_() === t;
    t.narrow(0, 3, 1).fill_(10);
    expect([before, r, t.isShared(), v.isShared(), t.tolist(), v.tolist(), t.shareMemory_().isShared()]).toEqual(want);
  });
});

describe('torch.inf / nan / pi / e and the deterministic debug mode', () => {
  const py = runPython<{ consts: [number, number, string, string]; modes: unknown[] }>(`
r = [torch.get_deterministic_debug_mode()]
for m in ['warn', 'error', 'default', 1, 2, 0]:
    torch.set_deterministic_debug_mode(m); r.append([torch.get_deterministic_debug_mode(), torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()])
r += [err(lambda: torch.set_deterministic_debug_mode('loud')), err(lambda: torch.set_deterministic_debug_mode(3)), err(lambda: torch.set_deterministic_debug_mode(1.5))]
result = {'consts': [torch.pi, torch.e, str(torch.inf), str(torch.nan)], 'modes': r}
`);
  test('constants as Python', () => {
    const want = py.consts;
    expect([torch.pi, torch.e, String(torch.inf), String(torch.nan)]).toEqual([want[0], want[1], 'Infinity', 'NaN']);
    expect(want.slice(2)).toEqual(['inf', 'nan']);
  });
  test('setDeterministicDebugMode / getDeterministicDebugMode as Python', () => {
    const want = py.modes;
    const got: unknown[] = [torch.getDeterministicDebugMode()];
    try {
      for (const m of ['warn', 'error', 'default', 1, 2, 0]) {
        torch.setDeterministicDebugMode(m);
        got.push([torch.getDeterministicDebugMode(), torch.areDeterministicAlgorithmsEnabled(), torch.isDeterministicAlgorithmsWarnOnlyEnabled()]);
      }
      for (const bad of ['loud', 3, 1.5]) {
        try {
          torch.setDeterministicDebugMode(bad);
          got.push('no error');
        } catch (e) {
          got.push((e as Error).message);
        }
      }
    } finally {
      torch.useDeterministicAlgorithms(false);
    }
    expect(got).toEqual(want);
  });
});

describe('sparse compressed constructors', () => {
  const want = runPython<unknown[]>(`
ts = [torch.sparse_csr_tensor([0, 2, 3], [0, 1, 1], [1., 2., 3.]),
      torch.sparse_csr_tensor(torch.tensor([0, 2, 3], dtype=torch.int32), torch.tensor([0, 1, 1], dtype=torch.int32), [1, 2, 3], (2, 4), dtype=torch.float64, requires_grad=True),
      torch.sparse_csc_tensor([0, 1, 3], [1, 0, 1], [4., 5., 6.], (2, 2)),
      torch.sparse_bsr_tensor([0, 1, 2], [0, 1], torch.arange(8.).view(2, 2, 2)),
      torch.sparse_bsc_tensor([0, 1, 1], [0], torch.ones(1, 1, 2), (2, 4)),
      torch.sparse_compressed_tensor([0, 1, 2], [0, 1], [1., 2.], layout=torch.sparse_csc)]
result = [[str(t.layout), list(t.shape), str(t.dtype), t.requires_grad, t.to_dense().tolist(), str((t.crow_indices() if t.layout in (torch.sparse_csr, torch.sparse_bsr) else t.ccol_indices()).dtype)] for t in ts]
`);
  test('layouts, shapes, dtypes and dense values as Python', () => {
    const i32 = (v: number[]) => torch.tensor(v, { dtype: torch.int32 });
    const ts = [
      torch.sparseCsrTensor([0, 2, 3], [0, 1, 1], [1.0, 2.0, 3.0], null, { dtype: torch.float32 }),
      torch.sparseCsrTensor(i32([0, 2, 3]), i32([0, 1, 1]), [1, 2, 3], [2, 4], { dtype: torch.float64, requiresGrad: true }),
      torch.sparseCscTensor([0, 1, 3], [1, 0, 1], torch.tensor([4, 5, 6], { dtype: torch.float32 }), [2, 2]),
      torch.sparseBsrTensor([0, 1, 2], [0, 1], torch.arange(8, { dtype: torch.float32 }).view(2, 2, 2)),
      torch.sparseBscTensor([0, 1, 1], [0], torch.ones(1, 1, 2), [2, 4]),
      torch.sparseCompressedTensor([0, 1, 2], [0, 1], torch.tensor([1, 2], { dtype: torch.float32 }), { layout: torch.sparseCsc }),
    ];
    const indices = (t: torch.Tensor) => (t.layout === torch.sparseCsr || t.layout === torch.sparseBsr ? t.crowIndices() : t.ccolIndices());
    expect(ts.map((t) => [String(t.layout), t.shape, String(t.dtype), t.requiresGrad, t.toDense().tolist(), String(indices(t).dtype)])).toEqual(want);
  });
  describe('errors as Python', () => {
    errorTable([
      ['torch.sparse_csr_tensor([0, 2, 5], [0, 1, 1], [1., 2., 3.])', () => torch.sparseCsrTensor([0, 2, 5], [0, 1, 1], torch.tensor([1, 2, 3], { dtype: torch.float32 }))],
      ['torch.sparse_csr_tensor([0, 2, 3], [0, 1, 3], [1., 2., 3.], (2, 2))', () => torch.sparseCsrTensor([0, 2, 3], [0, 1, 3], torch.tensor([1, 2, 3], { dtype: torch.float32 }), [2, 2])],
      ['torch.sparse_csc_tensor([0, 1], [0, 1], [1., 2.])', () => torch.sparseCscTensor([0, 1], [0, 1], torch.tensor([1, 2], { dtype: torch.float32 }))],
    ]);
  });
});

describe('torch.sparse addmm / softmax / logSoftmax / sampledAddmm / spdiags', () => {
  const want = runPython<unknown[]>(`
S = torch.tensor([[0., 2., 0.], [1., 0., 3.]], dtype=torch.float64).to_sparse().requires_grad_()
M = torch.ones(2, 2, dtype=torch.float64, requires_grad=True); W = torch.arange(6., dtype=torch.float64).view(3, 2).requires_grad_()
y = torch.sparse.addmm(M, S, W, beta=0.5, alpha=2.0)
g = torch.autograd.grad(y.pow(2).sum(), [M, W, S])
r = [y.tolist(), g[0].tolist(), g[1].tolist(), g[2].to_dense().tolist()]
r.append(torch.sparse.softmax(S.detach(), 1).to_dense().tolist())
r.append(torch.sparse.log_softmax(S.detach(), 0, dtype=torch.float32).to_dense().tolist())
C = torch.tensor([[1., 0.], [0., 2.]]).to_sparse_csr()
r.append(torch.sparse.sampled_addmm(C, torch.ones(2, 3), torch.arange(6.).view(3, 2), beta=2.0, alpha=0.5).to_dense().tolist())
d = torch.sparse.spdiags(torch.arange(1., 7.).view(2, 3), torch.tensor([0, -1]), (3, 3))
r.append([str(d.layout), d.to_dense().tolist()])
d2 = torch.sparse.spdiags(torch.arange(1., 7.).view(2, 3), torch.tensor([0, 1]), (3, 4), layout=torch.sparse_csr)
r.append([str(d2.layout), d2.to_dense().tolist()])
result = r
`);
  test('values and gradients as Python', async () => {
    const { sparse } = await import('../lib/tensor/sparse-extras');
    const S = f64([[0, 2, 0], [1, 0, 3]]).toSparse().requiresGrad_();
    const M = f64([[1, 1], [1, 1]], true);
    const W = torch.arange(6, { dtype: torch.float64 }).view(3, 2).requiresGrad_();
    const y = sparse.addmm(M, S, W, { beta: 0.5, alpha: 2.0 });
    const g = torch.autograd.grad([y.pow(2).sum()], [M, W, S]);
    const got: unknown[] = [y.tolist(), g[0].tolist(), g[1].tolist(), g[2].toDense().tolist()];
    got.push(sparse.softmax(S.detach(), 1).toDense().tolist());
    got.push(sparse.logSoftmax(S.detach(), 0, { dtype: torch.float32 }).toDense().tolist());
    const C = torch.tensor([[1, 0], [0, 2]], { dtype: torch.float32 }).toSparseCsr();
    got.push(sparse.sampledAddmm(C, torch.ones(2, 3), torch.arange(6, { dtype: torch.float32 }).view(3, 2), { beta: 2.0, alpha: 0.5 }).toDense().tolist());
    const d = sparse.spdiags(torch.arange(1, 7, { dtype: torch.float32 }).view(2, 3), torch.tensor([0, -1]), [3, 3]);
    got.push([String(d.layout), d.toDense().tolist()]);
    const d2 = sparse.spdiags(torch.arange(1, 7, { dtype: torch.float32 }).view(2, 3), torch.tensor([0, 1]), [3, 4], torch.sparseCsr);
    got.push([String(d2.layout), d2.toDense().tolist()]);
    close(got, want);
    expect(typeof sparse.mm).toBe('function');
  });
});
