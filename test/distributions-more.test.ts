// The distributions added after the first set (Cauchy, HalfNormal, HalfCauchy, StudentT, Chi2, Gumbel,
// Geometric, Multinomial, NegativeBinomial, Weibull, Pareto) against PyTorch 1.13 in float64: seeded
// samples (equal), rsample and its gradient, logProb and its gradient, entropy, moments, cdf/icdf,
// shapes, reprs and expand; the same parameters and seeds on both sides.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';
import { DistributionCase, REL, describeDistributionCases } from './helpers/distribution-oracle';

const close = closeWithin(REL);
const D = torch.distributions;

const CASES: DistributionCase[] = [
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

describeDistributionCases(CASES);

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
