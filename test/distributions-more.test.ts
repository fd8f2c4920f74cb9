// The distributions added after the first set (Cauchy, HalfNormal, HalfCauchy, StudentT, Chi2, Gumbel,
// Geometric, Multinomial, NegativeBinomial, Weibull, Pareto) against PyTorch 1.13 in float64: seeded
// samples (equal), rsample and its gradient, logProb and its gradient, entropy, moments, cdf/icdf,
// shapes, reprs and expand; the same parameters and seeds on both sides.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

/** Equal within a relative 1e-10 (float64 math in another order). */
const REL = 1e-10;
const close = closeWithin(REL);

const D = torch.distributions;
type P = Record<string, torch.Tensor>;
type Dist = InstanceType<typeof D.Distribution>;

interface Case {
  name: string;
  params: Record<string, unknown>; // float64 tensors with requiresGrad
  py: string; // Python constructor over the params (D = torch.distributions)
  js: (p: P) => Dist;
  shape: number[]; // sample shape
  icdf?: number[]; // probabilities for icdf (broadcast over the batch)
}

const CASES: Case[] = [
  { name: 'Cauchy', params: { loc: [0.5, -1, 2], scale: [1, 0.5, 3] }, py: 'D.Cauchy(loc, scale)', js: (p) => new D.Cauchy(p.loc, p.scale), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'Cauchy scalar-mixed', params: { loc: [[0.5], [-1]] }, py: 'D.Cauchy(loc, 2.0)', js: (p) => new D.Cauchy(p.loc, 2), shape: [2], icdf: [0.3] },
  { name: 'HalfNormal', params: { scale: [1, 0.5, 3] }, py: 'D.HalfNormal(scale)', js: (p) => new D.HalfNormal(p.scale), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'HalfCauchy', params: { scale: [[1, 0.5], [3, 2]] }, py: 'D.HalfCauchy(scale)', js: (p) => new D.HalfCauchy(p.scale), shape: [3], icdf: [0.2, 0.7] },
  { name: 'StudentT', params: { df: [0.8, 1.5, 3, 10], loc: [0, 1, -1, 2], scale: [1, 2, 0.5, 1] }, py: 'D.StudentT(df, loc, scale)', js: (p) => new D.StudentT(p.df, p.loc, p.scale), shape: [3] },
  { name: 'StudentT df only', params: { df: [2.5, 5] }, py: 'D.StudentT(df)', js: (p) => new D.StudentT(p.df), shape: [2] },
  { name: 'StudentT keywords', params: { df: [4, 7], scale: [2, 3] }, py: 'D.StudentT(df, scale=scale)', js: (p) => new D.StudentT(p.df, { scale: p.scale }), shape: [2] },
  { name: 'Chi2', params: { df: [0.5, 2, 7] }, py: 'D.Chi2(df)', js: (p) => new D.Chi2(p.df), shape: [3] },
  { name: 'Gumbel', params: { loc: [0, 1, -2], scale: [1, 0.3, 2] }, py: 'D.Gumbel(loc, scale)', js: (p) => new D.Gumbel(p.loc, p.scale), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'Geometric probs', params: { probs: [0.2, 0.7, 1] }, py: 'D.Geometric(probs)', js: (p) => new D.Geometric(p.probs), shape: [5] },
  { name: 'Geometric logits', params: { logits: [[-1, 0.3], [2, 0]] }, py: 'D.Geometric(logits=logits)', js: (p) => new D.Geometric({ logits: p.logits }), shape: [3] },
  { name: 'Multinomial probs', params: { probs: [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]] }, py: 'D.Multinomial(5, probs)', js: (p) => new D.Multinomial(5, p.probs), shape: [3] },
  { name: 'Multinomial logits', params: { logits: [1, -0.5, 0, 2] }, py: 'D.Multinomial(7, logits=logits)', js: (p) => new D.Multinomial(7, { logits: p.logits }), shape: [2, 2] },
  { name: 'NegativeBinomial probs', params: { n: [3, 5.5, 10], probs: [0.2, 0.5, 0.9] }, py: 'D.NegativeBinomial(n, probs)', js: (p) => new D.NegativeBinomial(p.n, p.probs), shape: [4] },
  { name: 'NegativeBinomial logits', params: { logits: [-1, 0.5] }, py: 'D.NegativeBinomial(4, logits=logits)', js: (p) => new D.NegativeBinomial(4, { logits: p.logits }), shape: [3] },
  { name: 'Weibull', params: { scale: [1, 2, 0.5], c: [0.7, 1.5, 3] }, py: 'D.Weibull(scale, c)', js: (p) => new D.Weibull(p.scale, p.c), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'LogisticNormal', params: { loc: [[0.5, -1, 2], [0, 0, 1]], scale: [1, 0.5, 3] }, py: 'D.LogisticNormal(loc, scale)', js: (p) => new D.LogisticNormal(p.loc, p.scale), shape: [2] },
  { name: 'LogisticNormal 0-dim', params: { loc: 0.3 }, py: 'D.LogisticNormal(loc, 2.0)', js: (p) => new D.LogisticNormal(p.loc, 2), shape: [3] },
  { name: 'RelaxedBernoulli probs', params: { t: 0.5, probs: [0.2, 0.7, 0.5] }, py: 'D.RelaxedBernoulli(t, probs)', js: (p) => new D.RelaxedBernoulli(p.t, p.probs), shape: [4] },
  { name: 'RelaxedBernoulli logits', params: { t: [2, 0.3], logits: [[-1, 0.3], [2, 0]] }, py: 'D.RelaxedBernoulli(t, logits=logits)', js: (p) => new D.RelaxedBernoulli(p.t, { logits: p.logits }), shape: [3] },
  { name: 'LogitRelaxedBernoulli', params: { t: 0.7, probs: [0.2, 0.7] }, py: 'D.relaxed_bernoulli.LogitRelaxedBernoulli(t, probs)', js: (p) => new D.LogitRelaxedBernoulli(p.t, p.probs), shape: [3] },
  { name: 'RelaxedOneHotCategorical probs', params: { t: 0.5, probs: [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]] }, py: 'D.RelaxedOneHotCategorical(t, probs)', js: (p) => new D.RelaxedOneHotCategorical(p.t, p.probs), shape: [2] },
  { name: 'RelaxedOneHotCategorical logits', params: { t: 0.4, logits: [[1, 2, 0.5, -1], [0, 0, 0, 3]] }, py: 'D.RelaxedOneHotCategorical(t, logits=logits)', js: (p) => new D.RelaxedOneHotCategorical(p.t, { logits: p.logits }), shape: [3] },
  { name: 'MixtureSameFamily', params: { probs: [0.2, 0.3, 0.5], loc: [0, 1, -2], scale: [1, 0.5, 2] }, py: 'D.MixtureSameFamily(D.Categorical(probs), D.Normal(loc, scale))', js: (p) => new D.MixtureSameFamily(new D.Categorical(p.probs), new D.Normal(p.loc, p.scale)), shape: [4], icdf: [0.5] },
  { name: 'MixtureSameFamily batched', params: { logits: [[1, 2], [0, -1]], loc: [[0, 1], [3, -2]], scale: [[1, 0.5], [2, 1]] }, py: 'D.MixtureSameFamily(D.Categorical(logits=logits), D.Laplace(loc, scale))', js: (p) => new D.MixtureSameFamily(new D.Categorical({ logits: p.logits }), new D.Laplace(p.loc, p.scale)), shape: [3], icdf: [0.3] },
  { name: 'MixtureSameFamily of Independent', params: { probs: [0.6, 0.4], loc: [[0, 1], [3, -2]], scale: [[1, 0.5], [2, 1]] }, py: 'D.MixtureSameFamily(D.Categorical(probs), D.Independent(D.Normal(loc, scale), 1))', js: (p) => new D.MixtureSameFamily(new D.Categorical(p.probs), new D.Independent(new D.Normal(p.loc, p.scale), 1)), shape: [2] },
  { name: 'LowRankMultivariateNormal', params: { loc: [1, -1, 0.5], w: [[1, 0.2], [0.3, -0.5], [0, 0.7]], d: [0.5, 1, 2] }, py: 'D.LowRankMultivariateNormal(loc, w, d)', js: (p) => new D.LowRankMultivariateNormal(p.loc, p.w, p.d), shape: [4] },
  { name: 'LowRankMultivariateNormal batched', params: { loc: [[1, -1], [0, 2]], w: [[0.5], [1.5]], d: [[1, 0.5], [2, 1]] }, py: 'D.LowRankMultivariateNormal(loc, w, d)', js: (p) => new D.LowRankMultivariateNormal(p.loc, p.w, p.d), shape: [3] },
  { name: 'VonMises', params: { loc: [0.5, -1, 3], c: [0.5, 2, 10] }, py: 'D.VonMises(loc, c)', js: (p) => new D.VonMises(p.loc, p.c), shape: [4] },
  { name: 'FisherSnedecor', params: { a: [1, 3, 5, 8], b: [1.5, 3, 4.5, 10] }, py: 'D.FisherSnedecor(a, b)', js: (p) => new D.FisherSnedecor(p.a, p.b), shape: [3] },
  { name: 'ContinuousBernoulli probs', params: { probs: [0.2, 0.4995, 0.5, 0.9] }, py: 'D.ContinuousBernoulli(probs)', js: (p) => new D.ContinuousBernoulli(p.probs), shape: [3], icdf: [0.1, 0.5, 0.9, 0.3] },
  { name: 'ContinuousBernoulli logits lims', params: { logits: [[-1, 0.001], [2, 0]] }, py: 'D.ContinuousBernoulli(logits=logits, lims=(0.4, 0.6))', js: (p) => new D.ContinuousBernoulli({ logits: p.logits, lims: [0.4, 0.6] }), shape: [2], icdf: [0.2, 0.7] },
  { name: 'Kumaraswamy', params: { a: [0.5, 2, 3], b: [1.5, 2, 0.7] }, py: 'D.Kumaraswamy(a, b)', js: (p) => new D.Kumaraswamy(p.a, p.b), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'Pareto', params: { scale: [1, 2, 0.5], alpha: [0.7, 1.5, 3] }, py: 'D.Pareto(scale, alpha)', js: (p) => new D.Pareto(p.scale, p.alpha), shape: [4], icdf: [0.1, 0.5, 0.9] },
];

const PY_HELPERS = `
import math
D = torch.distributions
def clean(x):
    if isinstance(x, list): return [clean(v) for v in x]
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)): return str(x)
    return x
def out(t): return None if t is None else clean(t.detach().tolist())
def attempt(f):
    try: return out(f())
    except NotImplementedError: return 'NotImplemented'
def grads(y, ps):
    gs = torch.autograd.grad(y.sum(), ps, allow_unused=True, retain_graph=True)
    return [out(g) for g in gs]
`;

const attempt = (f: () => torch.Tensor): unknown => {
  try {
    return out(f());
  } catch (e) {
    if ((e as Error).name === 'NotImplementedError') return 'NotImplemented';
    throw e;
  }
};

interface Result {
  repr: string; reprAfter: string; batch: number[]; event: number[]; hasRsample: boolean; sample: unknown; sample2: unknown;
  rsample: unknown; rsampleGrads: unknown[]; logProb: unknown; logProbGrads: unknown[]; entropy: unknown; entropyGrads: unknown[];
  support: string; argConstraints: Record<string, string>; mean: unknown; variance: unknown; stddev: unknown; mode: unknown; cdf: unknown; icdf: unknown; enumerate: unknown;
  expanded: { batch: number[]; sample: unknown; logProb: unknown; repr: string };
}

const expected = runPython<Result[]>(`${PY_HELPERS}
cases = json.loads(${JSON.stringify(JSON.stringify(CASES.map(({ params, py, shape, icdf }) => ({ params, py, shape, icdf: icdf ?? null }))))})
result = []
for i, c in enumerate(cases):
    ps = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in c['params'].items()}
    pl = list(ps.values())
    d = eval(c['py'], {'D': D, 'torch': torch}, ps)
    r = {'batch': list(d.batch_shape), 'event': list(d.event_shape), 'has_rsample': d.has_rsample, 'repr': repr(d)}
    torch.manual_seed(100 + i); s = d.sample(c['shape']); r['sample'] = out(s)
    torch.manual_seed(200 + i); s2 = d.sample(); r['sample2'] = out(s2)
    try:
        torch.manual_seed(300 + i); rs = d.rsample(c['shape']); r['rsample'] = out(rs); r['rsample_grads'] = grads(rs, pl)
    except NotImplementedError:
        r['rsample'] = 'NotImplemented'; r['rsample_grads'] = []
    lp = d.log_prob(s); r['log_prob'] = out(lp); r['log_prob_grads'] = grads(lp, pl)
    try:
        e = d.entropy(); r['entropy'] = out(e); r['entropy_grads'] = grads(e, pl) if e.requires_grad else []
    except NotImplementedError:
        r['entropy'] = 'NotImplemented'; r['entropy_grads'] = []
    r['mean'] = attempt(lambda: d.mean); r['variance'] = attempt(lambda: d.variance)
    r['stddev'] = attempt(lambda: d.stddev); r['mode'] = attempt(lambda: d.mode)
    r['cdf'] = attempt(lambda: d.cdf(s2)) if c['icdf'] else None
    r['icdf'] = attempt(lambda: d.icdf(torch.tensor(c['icdf'], dtype=torch.float64))) if c['icdf'] else None
    r['enumerate'] = out(d.enumerate_support()) if d.has_enumerate_support else None
    r['reprAfter'] = repr(d)
    r['support'] = repr(d.support)
    r['argConstraints'] = {k: repr(v) for k, v in d.arg_constraints.items()}
    ex = d.expand([2] + list(d.batch_shape))
    torch.manual_seed(400 + i); es = ex.sample()
    r['expanded'] = {'batch': list(ex.batch_shape), 'sample': out(es), 'log_prob': out(ex.log_prob(es)), 'repr': repr(ex)}
    result.append(r)
`.replace(/r\['has_rsample'\]|'has_rsample'/g, "'hasRsample'").replace(/'rsample_grads'/g, "'rsampleGrads'").replace(/'log_prob_grads'/g, "'logProbGrads'").replace(/'log_prob'/g, "'logProb'").replace(/'entropy_grads'/g, "'entropyGrads'"));


function gradsOf(y: torch.Tensor, ps: torch.Tensor[]): unknown[] {
  const gs = torch.autograd.grad([y.sum()], ps, { allowUnused: true, retainGraph: true });
  return gs.map((g) => out(g));
}

describe.each(CASES.map((c, i) => [c.name, c, i] as const))('%s equals PyTorch', (_name, c, i) => {
  const want = expected[i];
  const make = () => {
    const ps: P = {};
    for (const [k, v] of Object.entries(c.params)) ps[k] = torch.tensor(v as number[], { dtype: torch.float64, requiresGrad: true });
    return { ps, d: c.js(ps) };
  };

  test('shapes, repr, seeded samples (equal)', () => {
    const { d } = make();
    expect(String(d)).toBe(want.repr);
    expect(d.batchShape).toEqual(want.batch);
    expect(d.eventShape).toEqual(want.event);
    expect(d.hasRsample).toBe(want.hasRsample);
    torch.manualSeed(100 + i);
    const s = d.sample(c.shape);
    expect(s.shape).toEqual([...c.shape, ...want.batch, ...want.event]);
    expect(out(s)).toEqual(want.sample);
    torch.manualSeed(200 + i);
    expect(out(d.sample())).toEqual(want.sample2);
  });

  test('support and argConstraints', () => {
    const { d } = make();
    expect(String(d.support)).toBe(want.support);
    const camel = (k: string) => k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
    expect(Object.fromEntries(Object.entries(d.argConstraints).map(([k, v]) => [k, String(v)]))).toEqual(
      Object.fromEntries(Object.entries(want.argConstraints).map(([k, v]) => [camel(k), v])),
    );
  });

  test('rsample and its gradient', () => {
    const { ps, d } = make();
    if (want.rsample === 'NotImplemented') {
      expect(() => d.rsample()).toThrow(D.NotImplementedError);
      return;
    }
    torch.manualSeed(300 + i);
    const rs = d.rsample(c.shape);
    close(out(rs), want.rsample, REL, 'rsample');
    close(gradsOf(rs, Object.values(ps)), want.rsampleGrads, REL, 'rsample grad');
  });

  test('logProb, entropy and their gradients', () => {
    const { ps, d } = make();
    const s = torch.tensor(want.sample as number[], { dtype: d.sample().dtype });
    const lp = d.logProb(s);
    close(out(lp), want.logProb, REL, 'logProb');
    close(gradsOf(lp, Object.values(ps)), want.logProbGrads, REL, 'logProb grad');
    const e = attempt(() => d.entropy());
    close(e, want.entropy, REL, 'entropy');
    if (e !== 'NotImplemented' && want.entropyGrads.length) close(gradsOf(d.entropy(), Object.values(ps)), want.entropyGrads, REL, 'entropy grad');
    for (const k of ['mean', 'variance', 'stddev', 'mode'] as const) attempt(() => d[k]);
    expect(String(d)).toBe(want.reprAfter); // lazily computed probs/logits now show, as in Python
  });

  test('mean, variance, stddev, mode, cdf, icdf, enumerateSupport', () => {
    const { d } = make();
    close(attempt(() => d.mean), want.mean, REL, 'mean');
    close(attempt(() => d.variance), want.variance, REL, 'variance');
    close(attempt(() => d.stddev), want.stddev, REL, 'stddev');
    close(attempt(() => d.mode), want.mode, REL, 'mode');
    if (c.icdf) {
      const s2 = torch.tensor(want.sample2 as number[], { dtype: torch.float64 });
      close(attempt(() => d.cdf(s2)), want.cdf, REL, 'cdf');
      close(attempt(() => d.icdf(torch.tensor(c.icdf!, { dtype: torch.float64 }))), want.icdf, REL, 'icdf');
    }
    close(d.hasEnumerateSupport ? out(d.enumerateSupport()) : null, want.enumerate, REL, 'enumerate');
  });

  test('expand', () => {
    const { d } = make();
    // as the Python side did before expanding: lazily computed probs/logits carry over
    for (const k of ['entropy', 'mean', 'variance', 'stddev', 'mode'] as const) attempt(() => (k === 'entropy' ? d.entropy() : d[k]));
    const ex = d.expand([2, ...d.batchShape]);
    expect(ex.batchShape).toEqual(want.expanded.batch);
    torch.manualSeed(400 + i);
    const es = ex.sample();
    expect(out(es)).toEqual(want.expanded.sample);
    close(out(ex.logProb(es)), want.expanded.logProb, REL, 'expanded logProb');
    expect(String(ex)).toBe(want.expanded.repr);
  });
});

describe('LowRankMultivariateNormal matrices equal PyTorch (values and gradients)', () => {
  const params = { loc: [[1, -1, 0.5], [0, 2, 1]], w: [[1, 0.2], [0.3, -0.5], [0, 0.7]], d: [0.5, 1, 2] };
  const want = runPython<Record<string, { value: unknown; grads: unknown[] }>>(`
ps = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in json.loads(${JSON.stringify(JSON.stringify(params))}).items()}
d = torch.distributions.LowRankMultivariateNormal(ps['loc'], ps['w'], ps['d'])
result = {}
for name in ['scale_tril', 'covariance_matrix', 'precision_matrix', 'variance']:
    v = getattr(d, name)
    gs = torch.autograd.grad(v.pow(2).sum(), list(ps.values()), allow_unused=True, retain_graph=True)
    result[name] = {'value': v.tolist(), 'grads': [None if g is None else g.tolist() for g in gs]}
`);
  test.each(['scaleTril', 'covarianceMatrix', 'precisionMatrix', 'variance'] as const)('%s', (name) => {
    const ps = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, torch.tensor(v, { dtype: torch.float64, requiresGrad: true })]));
    const d = new D.LowRankMultivariateNormal(ps.loc, ps.w, ps.d);
    const v = d[name];
    const py = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    close(out(v), want[py].value, REL, name);
    const gs = torch.autograd.grad([v.pow(2).sum()], Object.values(ps), { allowUnused: true, retainGraph: true });
    close(gs.map((g) => out(g)), want[py].grads, REL, `${name} grad`);
  });
});

describe('the added transforms equal PyTorch (call, inv, logAbsDetJacobian, shapes)', () => {
  const x = [[0.3, -1.2, 2], [0.5, 0.1, -0.4]];
  const T = D.transforms;
  // [Python constructor, JS constructor, input fit for the domain]
  const CASES: [string, () => InstanceType<typeof T.Transform>, number[][]][] = [
    ['T.SigmoidTransform()', () => new T.SigmoidTransform(), x],
    ['T.StickBreakingTransform()', () => new T.StickBreakingTransform(), x],
    ['T.PowerTransform(torch.tensor([0.5, 2., 3.], dtype=torch.float64))', () => new T.PowerTransform(torch.tensor([0.5, 2, 3], { dtype: torch.float64 })), [[0.3, 1.2, 2], [0.5, 0.1, 4]]],
    ['T.ExpTransform().inv', () => new T.InverseTransform(new T.ExpTransform()), [[0.3, 1.2, 2], [0.5, 0.1, 4]]],
    ['T.AbsTransform()', () => new T.AbsTransform(), x],
  ];
  const want = runPython<{ y: unknown; inv: unknown; ladj: unknown; fwd: number[]; invShape: number[] }[]>(`
T = torch.distributions.transforms
result = []
for code, v in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([py, , v]) => [py, v])))}):
    t = eval(code, {'T': T, 'torch': torch})
    x = torch.tensor(v, dtype=torch.float64)
    y = t(x)
    try: ladj = t.log_abs_det_jacobian(x, y).tolist()
    except NotImplementedError: ladj = 'NotImplemented'
    result.append({'y': y.tolist(), 'inv': t.inv(y).tolist(), 'ladj': ladj, 'fwd': list(t.forward_shape((2, 3))), 'invShape': list(t.inverse_shape((2, 3)))})
`);
  test.each(CASES.map((c, i) => [c[0], c, i] as const))('%s', (_n, [, js, v], i) => {
    const t = js();
    const xs = torch.tensor(v, { dtype: torch.float64 });
    const y = t.call(xs);
    close(out(y), want[i].y, REL, 'call');
    close(out(t.inv(y)), want[i].inv, REL, 'inv');
    let ladj: unknown;
    try {
      ladj = out(t.logAbsDetJacobian(xs, y));
    } catch (e) {
      ladj = (e as Error).name === 'NotImplementedError' ? 'NotImplemented' : e;
    }
    close(ladj, want[i].ladj, REL, 'logAbsDetJacobian');
    expect(t.forwardShape([2, 3])).toEqual(want[i].fwd);
    expect(t.inverseShape([2, 3])).toEqual(want[i].invShape);
  });
});
