// torch.* functions that were missing, each against PyTorch 1.13 in the same run: torch.fft.fftfreq /
// rfftfreq, svd_lowrank / pca_lowrank / lobpcg (same seed -> same results, and their gradients),
// quasirandom.SobolEngine and testing.makeTensor (same seed -> same values).
import * as torch from '../lib';
import { runPythonShared as runPython } from './helpers/python-session';
import { closeWithin, out } from './helpers/close';
import { ErrorOracleOptions, errorTable as errorTableOf } from './helpers/error-oracle';

/** errorTable with its Python in this file's one Python process. */
const errorTable = (cases: [string, () => unknown][], options: ErrorOracleOptions = {}) => errorTableOf(cases, { runner: runPython, ...options });

const close = closeWithin(1e-10);
const f64 = (v: unknown, requiresGrad = false) => torch.tensor(v as number[], { dtype: torch.float64, requiresGrad });

describe('torch.fft.fftfreq / rfftfreq', () => {
  const want = runPython<{ values: unknown[]; dtypes: string[]; grad: boolean[] }>(`
ts = [torch.fft.fftfreq(5), torch.fft.fftfreq(6, 0.25), torch.fft.rfftfreq(7, d=2.0), torch.fft.rfftfreq(6, dtype=torch.float64),
      torch.fft.fftfreq(0), torch.fft.fftfreq(4, requires_grad=True)]
o = torch.empty(4, dtype=torch.float64); torch.fft.fftfreq(4, out=o); ts.append(o)
result = {'values': [t.tolist() for t in ts], 'dtypes': [str(t.dtype) for t in ts], 'grad': [t.requires_grad for t in ts]}
`);
  test('values, dtypes and requiresGrad as Python', () => {
    const o = torch.empty(4, { dtype: torch.float64 });
    const ts = [
      torch.fft.fftfreq(5),
      torch.fft.fftfreq(6, 0.25),
      torch.fft.rfftfreq(7, { d: 2.0 }),
      torch.fft.rfftfreq(6, { dtype: torch.float64 }),
      torch.fft.fftfreq(0),
      torch.fft.fftfreq(4, { requiresGrad: true }),
      torch.fft.fftfreq(4, { out: o }),
    ];
    expect(ts[6]).toBe(o);
    close(ts.map((t) => out(t)), want.values);
    expect(ts.map((t) => String(t.dtype))).toEqual(want.dtypes);
    expect(ts.map((t) => t.requiresGrad)).toEqual(want.grad);
    expect(typeof torch.fft.rfft).toBe('function'); // the generated members are still there
  });
  describe('errors as Python', () => {
    errorTable([
      ['torch.fft.fftfreq(-1)', () => torch.fft.fftfreq(-1)],
      ['torch.fft.rfftfreq(3, dtype=torch.int64)', () => torch.fft.rfftfreq(3, { dtype: torch.int64 })],
      ['torch.fft.rfftfreq(3, dtype=torch.complex64)', () => torch.fft.rfftfreq(3, { dtype: torch.complex64 })],
    ]);
  });
});

describe('torch.svd_lowrank / pca_lowrank', () => {
  // [Python call, JS call] on A (5 x 8), B (2 x 7 x 4), a sparse S, each under manual_seed(3)
  const A = [[1, 2, 0, 1, 3, 0.5, -1, 2], [0, 1, 1, 2, 1, -2, 0.3, 1], [2, 0.5, -1, 0, 1, 1, 1, 0], [1, 1, 1, 1, 0, 0, 2, -1], [3, -1, 0.2, 0.7, 1, 2, 0, 1]];
  const B = [0, 1].map((b) => Array.from({ length: 7 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.sin(1 + b + 3 * i + 7 * j))));
  const CALLS: [string, (x: Record<string, torch.Tensor>) => torch.Tensor[]][] = [
    ['torch.svd_lowrank(A, q=3)', (x) => torch.svdLowrank(x.A, { q: 3 })],
    ['torch.svd_lowrank(A.mT, 4, 1)', (x) => torch.svdLowrank(x.A.mT, 4, 1)],
    ['torch.svd_lowrank(B, q=3, M=B.mean(-2, keepdim=True).expand(2, 7, 4))', (x) => torch.svdLowrank(x.B, { q: 3, M: x.B.mean(-2, { keepdim: true }).expand(2, 7, 4) })],
    ['torch.svd_lowrank(B, 4)', (x) => torch.svdLowrank(x.B, 4)],
    ['torch.pca_lowrank(A)', (x) => torch.pcaLowrank(x.A)],
    ['torch.pca_lowrank(B, q=2, niter=3)', (x) => torch.pcaLowrank(x.B, { q: 2, niter: 3 })],
    ['torch.pca_lowrank(A, 4, center=False)', (x) => torch.pcaLowrank(x.A, 4, { center: false })],
  ];
  const want = runPython<{ value: unknown; grads: unknown }[]>(`
A0 = ${JSON.stringify(A)}; B0 = ${JSON.stringify(B)}
result = []
for code in ${JSON.stringify(CALLS.map((c) => c[0]))}:
    A = torch.tensor(A0, dtype=torch.float64, requires_grad=True); B = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    torch.manual_seed(3)
    U, S, V = eval(code)
    loss = U.sum() + S.pow(2).sum() + (V * V.detach().sign()).sum()
    gs = torch.autograd.grad(loss, [A, B], allow_unused=True)
    result.append({'value': [U.tolist(), S.tolist(), V.tolist()], 'grads': [None if g is None else g.tolist() for g in gs]})
`);
  test.each(CALLS.map((c, i) => [c[0], c, i] as const))('%s: values and gradients', (_code, [, js], i) => {
    const x = { A: f64(A, true), B: f64(B, true) };
    torch.manualSeed(3);
    const [U, S, V] = js(x);
    close([out(U), out(S), out(V)], want[i].value, 1e-9);
    const loss = U.sum().add(S.pow(2).sum()).add(V.mul(V.detach().sign()).sum());
    const gs = torch.autograd.grad([loss], [x.A, x.B], { allowUnused: true });
    close(gs.map((g) => out(g)), want[i].grads, 1e-8);
  });

  test('a sparse COO input (pca centres it without densifying)', () => {
    const want2 = runPython<unknown[]>(`
S = torch.tensor([[0, 2., 0, 1], [1, 0, 0, 0], [0, 0, 3, 0], [0, 1, 0, 0], [2, 0, 0, 1], [0, 0, 1, 1], [1, 1, 0, 0]], dtype=torch.float64).to_sparse()
torch.manual_seed(4); U, S1, V = torch.pca_lowrank(S, q=2)
torch.manual_seed(4); U2, S2, V2 = torch.svd_lowrank(S, q=2)
result = [[U.tolist(), S1.tolist(), V.tolist()], [U2.tolist(), S2.tolist(), V2.tolist()]]
`);
    const S = f64([[0, 2, 0, 1], [1, 0, 0, 0], [0, 0, 3, 0], [0, 1, 0, 0], [2, 0, 0, 1], [0, 0, 1, 1], [1, 1, 0, 0]]).toSparse();
    torch.manualSeed(4);
    const pca = torch.pcaLowrank(S, { q: 2 });
    torch.manualSeed(4);
    const svd = torch.svdLowrank(S, { q: 2 });
    close([pca.map(out), svd.map(out)], want2, 1e-9);
  });

  describe('errors as Python', () => {
    errorTable([
      ['torch.pca_lowrank(torch.ones(3, 4), q=5)', () => torch.pcaLowrank(torch.ones(3, 4), { q: 5 })],
      ['torch.pca_lowrank(torch.ones(3, 4), niter=-1)', () => torch.pcaLowrank(torch.ones(3, 4), { niter: -1 })],
      ['torch.svd_lowrank(torch.ones(2, 7, 4))', () => torch.svdLowrank(torch.ones(2, 7, 4))],
      ['torch.pca_lowrank(torch.ones(2, 3, 4).to_sparse())', () => torch.pcaLowrank(torch.ones(2, 3, 4).toSparse())],
    ]);
  });
});

describe('torch.quasirandom.SobolEngine', () => {
  const SOBOL_PY = `
from torch.quasirandom import SobolEngine
def run(e):
    r = [e.draw(4), e.draw(3, dtype=torch.float64)]
    e.fast_forward(5); r.append(e.draw(2))
    e.reset(); r.append(e.draw_base2(2)); r.append(e.draw_base2(2))
    e.reset(); e.fast_forward(1); r.append(e.draw())
    o = torch.empty(0, dtype=torch.float64); e.draw(3, out=o); r.append(o)
    return [[t.tolist(), str(t.dtype)] for t in r]
torch.manual_seed(2)
engines = [SobolEngine(3), SobolEngine(5, scramble=True, seed=7), SobolEngine(2, True)]
result = {'runs': [run(e) for e in engines], 'reprs': [repr(e) for e in engines], 'after': torch.rand(2).tolist()}
`;
  const run = (e: InstanceType<typeof torch.quasirandom.SobolEngine>) => {
    const r = [e.draw(4), e.draw(3, { dtype: torch.float64 })];
    e.fastForward(5);
    r.push(e.draw(2));
    e.reset();
    r.push(e.drawBase2(2), e.drawBase2(2));
    e.reset();
    e.fastForward(1);
    r.push(e.draw());
    const o = torch.empty(0, { dtype: torch.float64 });
    expect(e.draw(3, o)).toBe(o);
    r.push(o);
    return r.map((t) => [t.tolist(), String(t.dtype)]);
  };
  test('draw, drawBase2, fastForward, reset, out, scrambled with a seed or the default generator', () => {
    const want = runPython<{ runs: unknown[]; reprs: string[]; after: number[] }>(SOBOL_PY);
    torch.manualSeed(2);
    const { SobolEngine } = torch.quasirandom;
    const engines = [new SobolEngine(3), new SobolEngine(5, { scramble: true, seed: 7 }), new SobolEngine(2, true)];
    expect(engines.map(run)).toEqual(want.runs);
    expect(engines.map(String)).toEqual(want.reprs);
    expect(torch.rand(2).tolist()).toEqual(want.after); // the seeded engine left the default generator alone
  });
  describe('errors as Python', () => {
    const { SobolEngine } = torch.quasirandom;
    errorTable(
      [
        ['SobolEngine(0)', () => new SobolEngine(0)],
        ['SobolEngine(21202)', () => new SobolEngine(21202)],
        ['SobolEngine(2).fast_forward(3).draw_base2(1)', () => new SobolEngine(2).fastForward(3).drawBase2(1)],
      ],
      { prelude: 'from torch.quasirandom import SobolEngine' },
    );
  });
});

describe('torch.testing.makeTensor', () => {
  // [Python keyword text, JS options, shape]: each drawn after manual_seed(11 + i)
  const CASES: [string, Record<string, unknown>, number[]][] = [
    ['dtype=torch.float32', { dtype: torch.float32 }, [3, 4]],
    ['dtype=torch.float64, low=-1, high=2, requires_grad=True', { dtype: torch.float64, low: -1, high: 2, requiresGrad: true }, [5]],
    ['dtype=torch.float16, low=0.5', { dtype: torch.float16, low: 0.5 }, [2, 3]],
    ['dtype=torch.bfloat16, high=1e40', { dtype: torch.bfloat16, high: 1e40 }, [4]],
    ['dtype=torch.int64', { dtype: torch.int64 }, [2, 5]],
    ['dtype=torch.uint8, low=-3.5, high=4.2', { dtype: torch.uint8, low: -3.5, high: 4.2 }, [6]],
    ['dtype=torch.int8, low=-1, high=1, exclude_zero=True', { dtype: torch.int8, low: -1, high: 1, excludeZero: true }, [8]],
    ['dtype=torch.bool, exclude_zero=True', { dtype: torch.bool, excludeZero: true }, [5]],
    ['dtype=torch.complex64, low=0, high=1', { dtype: torch.complex64, low: 0, high: 1 }, [3]],
    ['dtype=torch.float32, noncontiguous=True, requires_grad=True', { dtype: torch.float32, noncontiguous: true, requiresGrad: true }, [2, 3]],
    ['dtype=torch.float32, low=0, high=0, exclude_zero=True', { dtype: torch.float32, low: 0, high: 0, excludeZero: true }, [3]],
  ];
  const want = runPython<[unknown, string, boolean, boolean, number[]][]>(`
from torch.testing import make_tensor
result = []
for i, (kw, shape) in enumerate(${JSON.stringify(CASES.map((c) => [c[0], c[2]]))}):
    torch.manual_seed(11 + i)
    t = eval(f"make_tensor(*{shape}, device='cpu', {kw})")
    v = torch.view_as_real(t).tolist() if t.is_complex() else t.tolist()
    result.append([v, str(t.dtype), t.requires_grad, t.is_contiguous(), list(t.stride())])
`);
  test.each(CASES.map((c, i) => [c[0], c, i] as const))('%s', (_kw, [, options, shape], i) => {
    torch.manualSeed(11 + i);
    const t = torch.testing.makeTensor(...shape, { device: 'cpu', ...options } as torch.testing.MakeTensorOptions);
    const v = t.isComplex() ? torch.viewAsReal(t).tolist() : t.tolist();
    expect([v, String(t.dtype), t.requiresGrad, t.isContiguous(), t.stride()]).toEqual(want[i]);
  });
  test('a shape array works as the shape', () => {
    expect(torch.testing.makeTensor([2, 3], { dtype: torch.float32, device: 'cpu' }).shape).toEqual([2, 3]);
  });
  describe('errors as Python', () => {
    const mk = torch.testing.makeTensor;
    errorTable(
      [
        ["make_tensor(3, dtype=torch.int32, device='cpu', requires_grad=True)", () => mk(3, { dtype: torch.int32, device: 'cpu', requiresGrad: true })],
        ["make_tensor(3, dtype=torch.float32, device='cpu', low=2, high=1)", () => mk(3, { dtype: torch.float32, device: 'cpu', low: 2, high: 1 })],
        ["make_tensor(3, dtype=torch.float32, device='cpu', low=float('nan'))", () => mk(3, { dtype: torch.float32, device: 'cpu', low: NaN })],
        ["make_tensor(3, dtype=torch.quint8, device='cpu')", () => mk(3, { dtype: torch.quint8, device: 'cpu' })],
        ['make_tensor(3)', () => mk(3, {} as torch.testing.MakeTensorOptions)],
        ["make_tensor(3, device='cpu')", () => mk(3, { device: 'cpu' } as torch.testing.MakeTensorOptions)],
      ],
      { prelude: 'from torch.testing import make_tensor' },
    );
  });
});

describe('torch.lobpcg', () => {
  // a symmetric positive definite 12 x 12 matrix with distinct eigenvalues, and a B of the same kind
  const m = 12;
  const Adata = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 2 + i : 0) + 0.3 * Math.cos(i * j + 1) + 0.3 * Math.cos(j * i + 1)));
  const Bdata = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0) + 0.05 * Math.sin(i + j)));
  const CALLS: [string, (A: torch.Tensor, B: torch.Tensor) => torch.Tensor[]][] = [
    ['torch.lobpcg(A, k=2)', (A) => torch.lobpcg(A, { k: 2 })],
    ['torch.lobpcg(A, 3, largest=False)', (A) => torch.lobpcg(A, 3, { largest: false })],
    ['torch.lobpcg(A.to_sparse(), k=2)', (A) => torch.lobpcg(A.toSparse(), { k: 2 })],
    ['torch.lobpcg(A, k=2, B=B)', (A, B) => torch.lobpcg(A, { k: 2, B })],
    ["torch.lobpcg(A, k=2, n=3, method='basic', niter=30)", (A) => torch.lobpcg(A, { k: 2, n: 3, method: 'basic', niter: 30 })],
    ['torch.lobpcg(A, X=torch.eye(12, 2, dtype=torch.float64) + 0.1)', (A) => torch.lobpcg(A, { X: torch.eye(12, 2, { dtype: torch.float64 }).add(0.1) })],
    ['torch.lobpcg(torch.stack([A, A * 2 + torch.eye(12)]), k=1)', (A) => torch.lobpcg(torch.stack([A, A.mul(2).add(torch.eye(12))]), { k: 1 })],
    ["torch.lobpcg(A, k=2, ortho_bparams={'ortho_use_drop': True}, ortho_iparams={'ortho_i_max': 2})", (A) => torch.lobpcg(A, { k: 2, orthoBparams: { ortho_use_drop: true }, orthoIparams: { ortho_i_max: 2 } })],
  ];
  const want = runPython<{ calls: { E: unknown; X2: unknown }[]; grads: unknown[]; trace: unknown }>(`
A0 = torch.tensor(${JSON.stringify(Adata)}, dtype=torch.float64); B = torch.tensor(${JSON.stringify(Bdata)}, dtype=torch.float64)
calls = []
for code in ${JSON.stringify(CALLS.map((c) => c[0]))}:
    A = A0.clone()
    torch.manual_seed(9)
    E, X = eval(code)
    calls.append({'E': E.tolist(), 'X2': X.pow(2).tolist()})
grads = []
for k, largest in [(2, True), (3, False), (12 // 3, True)]:
    A = A0.clone().requires_grad_()
    torch.manual_seed(10)
    E, X = torch.lobpcg(A, k=k, largest=largest)
    W = torch.arange(1., 1. + 12 * k, dtype=torch.float64).view(12, k)
    loss = E.pow(2).sum() + (X.pow(2) * W).sum()
    grads.append(torch.autograd.grad(loss, A)[0].tolist())
trace = []
def tracker(w): trace.append([w.ivars['istep'], w.ivars['converged_count'], sorted(k for k in w.fvars if k.startswith('ortho_'))])
torch.manual_seed(9); torch.lobpcg(A0, k=2, tracker=tracker)
result = {'calls': calls, 'grads': grads, 'trace': trace}
`);
  test.each(CALLS.map((c, i) => [c[0], c, i] as const))('%s', (_code, [, js], i) => {
    torch.manualSeed(9);
    const [E, X] = js(f64(Adata), f64(Bdata));
    close([out(E), out(X.pow(2))], [want.calls[i].E, want.calls[i].X2], 1e-8);
  });
  test('gradients with respect to A (partial eigenspace) as Python', () => {
    ([[2, true], [3, false], [4, true]] as const).forEach(([k, largest], i) => {
      const A = f64(Adata, true);
      torch.manualSeed(10);
      const [E, X] = torch.lobpcg(A, { k, largest });
      const W = torch.arange(1, 1 + 12 * k, { dtype: torch.float64 }).view(12, k);
      const loss = E.pow(2).sum().add(X.pow(2).mul(W).sum());
      close(out(torch.autograd.grad([loss], [A])[0]), want.grads[i], 1e-7);
    });
  });
  test('the tracker sees the worker after every step', () => {
    const trace: unknown[] = [];
    torch.manualSeed(9);
    torch.lobpcg(f64(Adata), { k: 2, tracker: (w) => trace.push([w.ivars.istep, w.ivars.converged_count, Object.keys(w.fvars).filter((k) => k.startsWith('ortho_')).sort()]) });
    expect(trace).toEqual(want.trace);
  });
  describe('errors as Python', () => {
    errorTable(
      [
        ['torch.lobpcg(torch.eye(5, dtype=torch.float64), k=2)', () => torch.lobpcg(torch.eye(5, { dtype: torch.float64 }), { k: 2 })],
        [
          'torch.autograd.grad(torch.lobpcg(A.requires_grad_(), k=1, B=torch.eye(12, dtype=torch.float64))[0].sum(), A)',
          () => {
            const A = f64(Adata, true);
            return torch.autograd.grad([torch.lobpcg(A, { k: 1, B: torch.eye(12, { dtype: torch.float64 }) })[0].sum()], [A]);
          },
        ],
      ],
      { prelude: `A = torch.tensor(${JSON.stringify(Adata)}, dtype=torch.float64)` },
    );
  });
});
