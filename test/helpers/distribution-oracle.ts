// The oracle both torch.distributions test files run: for each case PyTorch 1.13, in float64 and in
// the same run, gives repr, shapes, seeded samples, rsample and logProb/entropy with their gradients,
// support and argConstraints, moments, cdf/icdf, enumerate_support and expand; the tests compare
// ours with it (relative 1e-10; samples equal).
import * as torch from '../../lib';
import { runPython } from './python';
import { closeWithin, out } from './close';

/** Equal within a relative 1e-10 (float64 math in another order). */
export const REL = 1e-10;
const close = closeWithin(REL);

const D = torch.distributions;
export type P = Record<string, torch.Tensor>;
export type Dist = InstanceType<typeof D.Distribution>;

export interface DistributionCase {
  name: string;
  params: Record<string, unknown>; // float64 tensors with requiresGrad
  py: string; // Python constructor over the params (D = torch.distributions)
  js: (p: P) => Dist;
  shape: number[]; // sample shape
  icdf?: number[]; // probabilities for icdf (broadcast over the batch)
}

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

function gradsOf(y: torch.Tensor, ps: torch.Tensor[]): unknown[] {
  const gs = torch.autograd.grad([y.sum()], ps, { allowUnused: true, retainGraph: true });
  return gs.map((g) => out(g));
}

/** The tests of every case, against PyTorch's answers computed now (at collection). */
export function describeDistributionCases(cases: DistributionCase[]): void {
  const expected = runPython<Result[]>(`${PY_HELPERS}
cases = json.loads(${JSON.stringify(JSON.stringify(cases.map(({ params, py, shape, icdf }) => ({ params, py, shape, icdf: icdf ?? null }))))})
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

  describe.each(cases.map((c, i) => [c.name, c, i] as const))('%s equals PyTorch', (_name, c, i) => {
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
}

export type KlCase = [name: string, params: Record<string, unknown>, py: string, js: (x: P) => [Dist, Dist]];
export type ErrorCase = [name: string, py: string, js: () => unknown];
export type ReprCase = [py: string, js: () => Dist];
const f64 = (v: unknown, requiresGrad = false) => torch.tensor(v as number[], { dtype: torch.float64, requiresGrad });

/** kl_divergence values and gradients, validate_args errors (class and message) and reprs, as PyTorch's. */
export function describeKlErrorsReprs(KL: KlCase[], ERRORS: ErrorCase[], REPRS: ReprCase[]): void {
  const expected = runPython<{ kl: { value: unknown; grads: unknown[] }[]; errors: [string, string][]; reprs: string[] }>(`${PY_HELPERS}
def error(stmt):
    try:
        eval(stmt, {'D': D, 'torch': torch})
        return ['none', '']
    except Exception as e:
        return [type(e).__name__, str(e)]
kl = []
for params, code in json.loads(${JSON.stringify(JSON.stringify(KL.map(([, params, py]) => [params, py])))}):
    ps = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    p, q = eval(code, {'D': D, 'torch': torch}, ps)
    v = D.kl_divergence(p, q)
    gs = torch.autograd.grad(v.sum(), list(ps.values()), allow_unused=True) if torch.isfinite(v).all() and v.requires_grad else []
    kl.append({'value': out(v), 'grads': [out(g) for g in gs]})
errors = [error(s) for s in json.loads(${JSON.stringify(JSON.stringify(ERRORS.map(([, py]) => py)))})]
reprs = [repr(eval(s, {'D': D, 'torch': torch})) for s in json.loads(${JSON.stringify(JSON.stringify(REPRS.map(([py]) => py)))})]
result = {'kl': kl, 'errors': errors, 'reprs': reprs}
  `);

  describe('kl.klDivergence equals PyTorch (value and gradient)', () => {
    test.each(KL.map((k, i) => [k[0], k, i] as const))('%s', (_n, [, params, , js], i) => {
      const ps: P = {};
      for (const [k, v] of Object.entries(params)) ps[k] = f64(v, true);
      const [p, q] = js(ps);
      const v = D.kl.klDivergence(p, q);
      close(out(v), expected.kl[i].value, REL, 'kl');
      if (expected.kl[i].grads.length) {
        const gs = torch.autograd.grad([v.sum()], Object.values(ps), { allowUnused: true });
        close(gs.map(out), expected.kl[i].grads, REL, 'grad');
      }
    });
  });

  describe('validateArgs raises Python\'s errors', () => {
    test.each(ERRORS.map((e, i) => [e[0], e, i] as const))('%s', (_n, [, , js], i) => {
      let got: [string, string] = ['none', ''];
      try {
        js();
      } catch (e) {
        got = [(e as Error).name, (e as Error).message];
      }
      expect(got).toEqual(expected.errors[i]);
    });
  });

  test.each(REPRS.map((r, i) => [r[0], r, i] as const))('repr of %s as Python', (_n, [, js], i) => {
    expect(String(js())).toBe(expected.reprs[i]);
  });
}
