// LKJCholesky, Wishart and OneHotCategoricalStraightThrough against PyTorch 1.13 in float64 (seeded
// samples equal, rsample/logProb/entropy and their gradients, moments, reprs, expand), their KLs and
// errors, and registerKl's decorator form with kl.py's most-specific / ambiguous dispatch.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { DistributionCase, ErrorCase, KlCase, P, REL, ReprCase, describeDistributionCases, describeKlErrorsReprs } from './helpers/distribution-oracle';
import { closeWithin, out } from './helpers/close';

const close = closeWithin(REL);

const D = torch.distributions;

const CASES: DistributionCase[] = [
  { name: 'LKJCholesky batched', params: { c: [0.5, 2] }, py: 'D.LKJCholesky(3, c)', js: (p) => new D.LKJCholesky(3, p.c), shape: [2] },
  { name: 'LKJCholesky 0-dim', params: { c: 1.5 }, py: 'D.LKJCholesky(4, c)', js: (p) => new D.LKJCholesky(4, p.c), shape: [3] },
  { name: 'LKJCholesky dim 2 keywords', params: { c: [[0.7], [3]] }, py: 'D.LKJCholesky(2, concentration=c)', js: (p) => new D.LKJCholesky(2, { concentration: p.c }), shape: [] },
  { name: 'OneHotCategoricalStraightThrough probs', params: { probs: [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]] }, py: 'D.OneHotCategoricalStraightThrough(probs)', js: (p) => new D.OneHotCategoricalStraightThrough(p.probs), shape: [4] },
  { name: 'OneHotCategoricalStraightThrough logits', params: { logits: [1, -0.5, 0, 2] }, py: 'D.OneHotCategoricalStraightThrough(logits=logits)', js: (p) => new D.OneHotCategoricalStraightThrough({ logits: p.logits }), shape: [3] },
];

describeDistributionCases(CASES);

// Wishart's rsample runs outside the shared oracle: PyTorch 1.13 cannot differentiate it (see below).
const WISHART: DistributionCase[] = [
  { name: 'Wishart scale_tril, df tensor', params: { df: [3, 4.5], L: [[1, 0], [0.5, 2]] }, py: 'D.Wishart(df, scale_tril=L)', js: (p) => new D.Wishart(p.df, { scaleTril: p.L }), shape: [2] },
  {
    name: 'Wishart covariance, df number',
    params: { cov: [[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 3]] },
    py: 'D.Wishart(4.0, cov)',
    js: (p) => new D.Wishart(4, p.cov),
    shape: [],
  },
  {
    name: 'Wishart precision batched',
    params: { df: 5, P: [[[2, 0.3], [0.3, 1]], [[1, 0], [0, 1.5]]] },
    py: 'D.Wishart(df, precision_matrix=P)',
    js: (p) => new D.Wishart(p.df, { precisionMatrix: p.P }),
    shape: [3],
  },
];

// one Python run for every Wishart case
const wishartWant = runPython<Record<string, unknown>[]>(`
import math
D = torch.distributions
def out(t):
    if t is None: return None
    def clean(x):
        if isinstance(x, list): return [clean(v) for v in x]
        return str(x) if isinstance(x, float) and (math.isnan(x) or math.isinf(x)) else x
    return clean(t.detach().tolist())
def grads(y, ps): return [out(g) for g in torch.autograd.grad(y.sum(), ps, allow_unused=True, retain_graph=True)]
result = []
for i, c in enumerate(json.loads(${JSON.stringify(JSON.stringify(WISHART.map((c) => ({ params: c.params, py: c.py, shape: c.shape }))))})):
    ps = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in c['params'].items()}
    pl = list(ps.values())
    d = eval(c['py'], {'D': D, 'torch': torch}, ps)
    r = {'repr': repr(d), 'batch': list(d.batch_shape), 'event': list(d.event_shape), 'support': repr(d.support)}
    r['argConstraints'] = {k: repr(v) for k, v in d.arg_constraints.items()}
    torch.manual_seed(100 + i); s = d.sample(c['shape']); r['sample'] = out(s)
    torch.manual_seed(300 + i); r['rsample'] = out(d.rsample(c['shape']))
    torch.manual_seed(300 + i); d._bartlett_sampling(c['shape']); rs = d._bartlett_sampling(c['shape']); r['rsampleGrads'] = grads(rs, pl)
    lp = d.log_prob(s); r['logProb'] = out(lp); r['logProbGrads'] = grads(lp, pl)
    e = d.entropy(); r['entropy'] = out(e); r['entropyGrads'] = grads(e, pl)
    for k in ['mean', 'variance', 'stddev', 'mode']: r[k] = out(getattr(d, k))
    r['reprAfter'] = repr(d)
    ex = d.expand([2] + list(d.batch_shape))
    torch.manual_seed(400 + i); es = ex.sample()
    r['expanded'] = {'batch': list(ex.batch_shape), 'sample': out(es), 'logProb': out(ex.log_prob(es)), 'repr': repr(ex)}
    result.append(r)
`);

describe.each(WISHART.map((c, i) => [c.name, c, i] as const))('%s equals PyTorch', (_name, c, i) => {
  // PyTorch 1.13 redraws every valid sample once (its singularity flag is the support check itself)
  // and then cannot differentiate the result; the gradient of what it returns is the gradient of the
  // second Bartlett draw, which is what the oracle differentiates.
  const want = wishartWant[i];
  const make = () => {
    const ps: P = {};
    for (const [k, v] of Object.entries(c.params)) ps[k] = torch.tensor(v as number[], { dtype: torch.float64, requiresGrad: true });
    return { ps, d: c.js(ps) as InstanceType<typeof D.Wishart> };
  };
  const gradsOf = (y: torch.Tensor, ps: P) => torch.autograd.grad([y.sum()], Object.values(ps), { allowUnused: true, retainGraph: true }).map((g) => out(g));

  test('shapes, repr, constraints, seeded samples (equal)', () => {
    const { d } = make();
    expect(String(d)).toBe(want.repr);
    expect([d.batchShape, d.eventShape]).toEqual([want.batch, want.event]);
    expect(String(d.support)).toBe(want.support);
    const camel = (k: string) => k.replace(/_(\w)/g, (_m, ch: string) => ch.toUpperCase());
    expect(Object.fromEntries(Object.entries(d.argConstraints).map(([k, v]) => [k, String(v)]))).toEqual(
      Object.fromEntries(Object.entries(want.argConstraints as Record<string, string>).map(([k, v]) => [camel(k), v])),
    );
    torch.manualSeed(100 + i);
    expect(out(d.sample(c.shape))).toEqual(want.sample);
  });
  test('rsample and its gradient', () => {
    const { ps, d } = make();
    torch.manualSeed(300 + i);
    const rs = d.rsample(c.shape);
    close(out(rs), want.rsample, REL, 'rsample');
    close(gradsOf(rs, ps), want.rsampleGrads, REL, 'rsample grad');
  });
  test('logProb, entropy and their gradients; moments', () => {
    const { ps, d } = make();
    const lp = d.logProb(torch.tensor(want.sample as number[], { dtype: torch.float64 }));
    close(out(lp), want.logProb, REL, 'logProb');
    close(gradsOf(lp, ps), want.logProbGrads, REL, 'logProb grad');
    const e = d.entropy();
    close(out(e), want.entropy, REL, 'entropy');
    close(gradsOf(e, ps), want.entropyGrads, REL, 'entropy grad');
    for (const k of ['mean', 'variance', 'stddev', 'mode'] as const) close(out(d[k]), want[k], REL, k);
    expect(String(d)).toBe(want.reprAfter);
  });
  test('expand', () => {
    const { d } = make();
    for (const k of ['mean', 'variance', 'stddev', 'mode'] as const) void d[k];
    d.entropy();
    const ex = d.expand([2, ...d.batchShape]);
    const w = want.expanded as { batch: number[]; sample: unknown; logProb: unknown; repr: string };
    expect(ex.batchShape).toEqual(w.batch);
    torch.manualSeed(400 + i);
    const es = ex.sample();
    expect(out(es)).toEqual(w.sample);
    close(out(ex.logProb(es)), w.logProb, REL, 'expanded logProb');
    expect(String(ex)).toBe(w.repr);
  });
});

const KL: KlCase[] = [
  [
    'Wishart (Bregman of the exponential family)',
    { a: [4, 6], La: [[1, 0], [0.3, 2]], b: 3.5, cb: [[2, 0.4], [0.4, 1]] },
    'D.Wishart(a, scale_tril=La), D.Wishart(b, cb)',
    (x) => [new D.Wishart(x.a, { scaleTril: x.La }), new D.Wishart(x.b, x.cb)],
  ],
  ['OneHotCategoricalStraightThrough (its parent\'s)', { a: [0.2, 0.3, 0.5], b: [0.1, 0.6, 0.3] }, 'D.OneHotCategoricalStraightThrough(a), D.OneHotCategorical(b)', (x) => [new D.OneHotCategoricalStraightThrough(x.a), new D.OneHotCategorical(x.b)]],
];

const f64 = (v: unknown) => torch.tensor(v as number[], { dtype: torch.float64 });
const ERRORS: ErrorCase[] = [
  ['LKJCholesky dim 1', 'D.LKJCholesky(1)', () => new D.LKJCholesky(1)],
  ['LKJCholesky negative concentration', 'D.LKJCholesky(3, -1.0)', () => new D.LKJCholesky(3, -1)],
  ['LKJCholesky value not a correlation factor', 'D.LKJCholesky(2).log_prob(torch.ones(2, 2))', () => new D.LKJCholesky(2).logProb(torch.ones(2, 2))],
  ['LKJCholesky value event shape', 'D.LKJCholesky(3).log_prob(torch.eye(2))', () => new D.LKJCholesky(3).logProb(torch.eye(2))],
  ['Wishart no matrix', 'D.Wishart(3.0)', () => new D.Wishart(3)],
  ['Wishart two matrices', 'D.Wishart(3.0, torch.eye(2), scale_tril=torch.eye(2))', () => new D.Wishart(3, torch.eye(2), { scaleTril: torch.eye(2) })],
  ['Wishart 1-dim matrix', 'D.Wishart(3.0, torch.ones(2))', () => new D.Wishart(3, torch.ones(2))],
  ['Wishart df too small', 'D.Wishart(1.5, torch.eye(3))', () => new D.Wishart(1.5, torch.eye(3))],
  ['Wishart df tensor too small', 'D.Wishart(torch.tensor([1.0, 5.0], dtype=torch.float64), torch.eye(3, dtype=torch.float64))', () => new D.Wishart(f64([1, 5]), torch.eye(3, { dtype: torch.float64 }))],
  ['Wishart not positive definite', 'D.Wishart(3.0, torch.tensor([[1., 2.], [2., 1.]]))', () => new D.Wishart(3, torch.tensor([[1, 2], [2, 1]], { dtype: torch.float32 }))],
  ['Wishart value not positive definite', 'D.Wishart(3.0, torch.eye(2)).log_prob(-torch.eye(2))', () => new D.Wishart(3, torch.eye(2)).logProb(torch.eye(2).neg())],
  ['KL LKJCholesky', 'D.kl_divergence(D.LKJCholesky(2), D.LKJCholesky(2))', () => D.klDivergence(new D.LKJCholesky(2), new D.LKJCholesky(2))],
];

const REPRS: ReprCase[] = [
  ['D.LKJCholesky(3)', () => new D.LKJCholesky(3)],
  ['D.LKJCholesky(3, torch.tensor([1., 2.]))', () => new D.LKJCholesky(3, torch.tensor([1, 2], { dtype: torch.float32 }))],
  ['D.Wishart(2.5, torch.eye(2))', () => new D.Wishart(2.5, torch.eye(2))],
  ['D.Wishart(torch.tensor([3., 4.]), precision_matrix=torch.eye(2))', () => new D.Wishart(torch.tensor([3, 4], { dtype: torch.float32 }), { precisionMatrix: torch.eye(2) })],
  ['D.OneHotCategoricalStraightThrough(torch.tensor([0.5, 0.5]))', () => new D.OneHotCategoricalStraightThrough(torch.tensor([0.5, 0.5]))],
];

describeKlErrorsReprs(KL, ERRORS, REPRS);

describe('Wishart extras as PyTorch', () => {
  const want = runPython<{ argc: string; mode: unknown; precision: unknown; rsampleMax: unknown }>(`
d = torch.distributions.Wishart(torch.tensor([2.5, 6.], dtype=torch.float64), torch.tensor([[2., 0.3], [0.3, 1.]], dtype=torch.float64))
torch.manual_seed(5)
rs = d.rsample((2,), max_try_correction=0)
result = {'argc': repr(d.arg_constraints['df']), 'mode': d.mode.tolist(), 'precision': d.precision_matrix.tolist(), 'rsampleMax': rs.tolist()}
result['mode'] = [[[None if v != v else v for v in r] for r in m] for m in result['mode']]
`);
  const make = () => new D.Wishart(f64([2.5, 6]), f64([[2, 0.3], [0.3, 1]]));
  test('df constraint, mode (NaN where df <= dim + 1), precisionMatrix', () => {
    const d = make();
    expect(String(d.argConstraints.df)).toBe(want.argc);
    const mode = (d.mode.tolist() as number[][][]).map((m) => m.map((r) => r.map((v) => (Number.isNaN(v) ? null : v))));
    expect(mode).toEqual(want.mode);
    const prec = d.precisionMatrix.tolist() as number[][][];
    (want.precision as number[][][]).forEach((m, i) => m.forEach((r, j) => r.forEach((v, k) => expect(prec[i][j][k]).toBeCloseTo(v, 12))));
  });
  test('rsample with maxTryCorrection 0 draws once', () => {
    torch.manualSeed(5);
    expect(make().rsample([2], 0).tolist()).toEqual(want.rsampleMax);
  });
});

describe('registerKl(P, Q)(fn): the decorator form, dispatching as kl.py', () => {
  // P2 < P1 < Normal and Q1 < Normal; (P1, Normal) and (Normal, Q1) are both registered, so
  // kl(P2, Q1) is ambiguous and takes the pair most specific on p, with Python's warning.
  const want = runPython<{ ambiguous: number; warning: string; after: number; decorated: boolean; notAClass: string }>(`
import warnings
D = torch.distributions
class P1(D.Normal): pass
class P2(P1): pass
class Q1(D.Normal): pass
@D.kl.register_kl(P1, D.Normal)
def g1(p, q): return torch.tensor(1.)
@D.kl.register_kl(D.Normal, Q1)
def g2(p, q): return torch.tensor(2.)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    v = D.kl_divergence(P2(0., 1.), Q1(0., 1.)).item()
@D.kl.register_kl(P2, Q1)
def g3(p, q): return torch.tensor(3.)
result = {'ambiguous': v, 'warning': str(w[0].message), 'after': D.kl_divergence(P2(0., 1.), Q1(0., 1.)).item(), 'decorated': g3.__name__ == 'g3'}
result['notAClass'] = err(lambda: D.kl.register_kl(3, D.Normal))
`);

  class P1 extends D.Normal {}
  class P2 extends P1 {}
  class Q1 extends D.Normal {}

  test('most specific on p wins an ambiguity, with Python\'s warning; a later, more specific pair takes over', () => {
    const g1 = (): torch.Tensor => torch.tensor(1.0);
    expect(D.kl.registerKl(P1, D.Normal)(g1)).toBe(g1); // the decorator returns the function, as Python's
    expect(want.decorated).toBe(true);
    D.registerKl(D.Normal, Q1)(() => torch.tensor(2.0));
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(D.klDivergence(new P2(0, 1), new Q1(0, 1)).item()).toBe(want.ambiguous);
      expect(spy.mock.calls.map((c) => String(c[0]))).toContain(want.warning);
    } finally {
      spy.mockRestore();
    }
    D.registerKl(P2, Q1)(() => torch.tensor(3.0));
    expect(D.klDivergence(new P2(0, 1), new Q1(0, 1)).item()).toBe(want.after);
  });

  test('a non-class is a TypeError, as issubclass raises it', () => {
    expect(() => D.registerKl(3 as never, D.Normal)).toThrow(torch.PyTypeError);
    expect(() => D.registerKl(3 as never, D.Normal)).toThrow(want.notAClass);
  });
});
