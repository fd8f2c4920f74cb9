// torch.distributions against PyTorch 1.13 in float64: seeded samples (equal), rsample and its
// gradient, logProb and its gradient, entropy, moments, cdf/icdf, shapes and the repr, for each
// distribution; the same parameters and seeds on both sides.
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
  { name: 'Normal', params: { loc: [0.5, -1, 2], scale: [1, 0.5, 3] }, py: 'D.Normal(loc, scale)', js: (p) => new D.Normal(p.loc, p.scale), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'Normal scalar-mixed', params: { loc: [[0.5], [-1]] }, py: 'D.Normal(loc, 2.0)', js: (p) => new D.Normal(p.loc, 2), shape: [2, 3], icdf: [0.3] },
  { name: 'Categorical probs', params: { probs: [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]] }, py: 'D.Categorical(probs)', js: (p) => new D.Categorical(p.probs), shape: [5] },
  { name: 'Categorical logits', params: { logits: [[1, 2, 0.5, -1], [0, 0, 0, 3], [2, -2, 1, 1]] }, py: 'D.Categorical(logits=logits)', js: (p) => new D.Categorical({ logits: p.logits }), shape: [3, 2] },
  { name: 'Bernoulli probs', params: { probs: [0.2, 0.7, 0.5] }, py: 'D.Bernoulli(probs)', js: (p) => new D.Bernoulli(p.probs), shape: [6] },
  { name: 'Bernoulli logits', params: { logits: [[-1, 0.3], [2, 0]] }, py: 'D.Bernoulli(logits=logits)', js: (p) => new D.Bernoulli({ logits: p.logits }), shape: [3] },
  { name: 'Uniform', params: { low: [0, -2], high: [1, 3] }, py: 'D.Uniform(low, high)', js: (p) => new D.Uniform(p.low, p.high), shape: [5], icdf: [0.25, 0.75] },
  { name: 'MultivariateNormal cov', params: { loc: [1, -1, 0.5], cov: [[2, 0.3, 0.1], [0.3, 1, -0.2], [0.1, -0.2, 1.5]] }, py: 'D.MultivariateNormal(loc, cov)', js: (p) => new D.MultivariateNormal(p.loc, p.cov), shape: [4] },
  { name: 'MultivariateNormal precision batched', params: { loc: [[1, -1], [0, 2]], prec: [[2, 0.3], [0.3, 1]] }, py: 'D.MultivariateNormal(loc, precision_matrix=prec)', js: (p) => new D.MultivariateNormal(p.loc, { precisionMatrix: p.prec }), shape: [3] },
  { name: 'MultivariateNormal scale_tril', params: { loc: [0.5, 0.1], tril: [[[1.5, 0], [0.4, 0.7]], [[1, 0], [-0.3, 2]]] }, py: 'D.MultivariateNormal(loc, scale_tril=tril)', js: (p) => new D.MultivariateNormal(p.loc, { scaleTril: p.tril }), shape: [2] },
  { name: 'Independent Normal', params: { loc: [[0, 1, 2], [3, 4, 5]], scale: [[1, 2, 3], [0.5, 0.5, 0.5]] }, py: 'D.Independent(D.Normal(loc, scale), 1)', js: (p) => new D.Independent(new D.Normal(p.loc, p.scale), 1), shape: [2] },
  { name: 'OneHotCategorical', params: { probs: [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]] }, py: 'D.OneHotCategorical(probs)', js: (p) => new D.OneHotCategorical(p.probs), shape: [4] },
  { name: 'Beta', params: { a: [0.5, 2, 3], b: [1.5, 2, 0.7] }, py: 'D.Beta(a, b)', js: (p) => new D.Beta(p.a, p.b), shape: [3] },
  { name: 'Gamma', params: { c: [0.5, 2, 3], r: [1.5, 2, 0.7] }, py: 'D.Gamma(c, r)', js: (p) => new D.Gamma(p.c, p.r), shape: [3] },
  { name: 'Dirichlet', params: { c: [[0.5, 2, 3], [1, 1, 1]] }, py: 'D.Dirichlet(c)', js: (p) => new D.Dirichlet(p.c), shape: [2] },
  { name: 'Exponential', params: { r: [0.5, 2, 3] }, py: 'D.Exponential(r)', js: (p) => new D.Exponential(p.r), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'Laplace', params: { loc: [0, 1], scale: [1, 0.3] }, py: 'D.Laplace(loc, scale)', js: (p) => new D.Laplace(p.loc, p.scale), shape: [5], icdf: [0.2, 0.7] },
  { name: 'Poisson', params: { r: [0.5, 4, 30] }, py: 'D.Poisson(r)', js: (p) => new D.Poisson(p.r), shape: [4] },
  { name: 'Binomial probs', params: { n: [10, 10, 10], probs: [0.2, 0.5, 0.9] }, py: 'D.Binomial(n, probs)', js: (p) => new D.Binomial(p.n, p.probs), shape: [3] },
  { name: 'Binomial logits', params: { logits: [-1, 0.5] }, py: 'D.Binomial(5, logits=logits)', js: (p) => new D.Binomial(5, { logits: p.logits }), shape: [3] },
  { name: 'LogNormal', params: { loc: [0, 1], scale: [1, 0.3] }, py: 'D.LogNormal(loc, scale)', js: (p) => new D.LogNormal(p.loc, p.scale), shape: [3], icdf: [0.2, 0.7] },
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
  mean: unknown; variance: unknown; stddev: unknown; mode: unknown; cdf: unknown; icdf: unknown; enumerate: unknown;
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
    if d.has_rsample:
        torch.manual_seed(300 + i); rs = d.rsample(c['shape']); r['rsample'] = out(rs); r['rsample_grads'] = grads(rs, pl)
    else:
        r['rsample'] = None; r['rsample_grads'] = []
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

  test('rsample and its gradient', () => {
    const { ps, d } = make();
    if (!want.hasRsample) {
      expect(() => d.rsample()).toThrow();
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
    const ex = d.expand([2, ...d.batchShape]);
    expect(ex.batchShape).toEqual(want.expanded.batch);
    torch.manualSeed(400 + i);
    const es = ex.sample();
    expect(out(es)).toEqual(want.expanded.sample);
    close(out(ex.logProb(es)), want.expanded.logProb, REL, 'expanded logProb');
    expect(String(ex)).toBe(want.expanded.repr);
  });
});
