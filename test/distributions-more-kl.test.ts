// kl.klDivergence over Python's registered pairs that involve the distributions added after the first
// set (Cauchy, HalfNormal, Gumbel, Geometric, Pareto, LowRankMultivariateNormal, ContinuousBernoulli;
// Chi2 and Weibull through their bases) and over the pairs of different earlier families, then the
// validateArgs errors and reprs of the added distributions, against PyTorch 1.13.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

/** Equal within a relative 1e-10 (float64 math in another order). */
const REL = 1e-10;
const close = closeWithin(REL);

const D = torch.distributions;
type P = Record<string, torch.Tensor>;
type Dist = InstanceType<typeof D.Distribution>;

const f64 = (v: unknown, requiresGrad = false) => torch.tensor(v as number[], { dtype: torch.float64, requiresGrad });

const U = { dtype: torch.float32 };
// [name, params, Python (p, q), JS (p, q)]
const KL: [string, Record<string, unknown>, string, (x: P) => [Dist, Dist]][] = [
  ['Cauchy', { a: [0, 1, -2], b: [1, 0.5, 2], c: [0.3, 0, 1], d: [2, 1, 0.7] }, 'D.Cauchy(a, b), D.Cauchy(c, d)', (x) => [new D.Cauchy(x.a, x.b), new D.Cauchy(x.c, x.d)]],
  ['HalfNormal', { a: [1, 0.5, 2], b: [2, 1, 0.7] }, 'D.HalfNormal(a), D.HalfNormal(b)', (x) => [new D.HalfNormal(x.a), new D.HalfNormal(x.b)]],
  ['Geometric', { a: [0.2, 0.5, 0.9], b: [0.7, 0.5, 0.3] }, 'D.Geometric(a), D.Geometric(b)', (x) => [new D.Geometric(x.a), new D.Geometric(x.b)]],
  ['Geometric logits', { a: [-1, 2], b: [0.5, 0] }, 'D.Geometric(logits=a), D.Geometric(logits=b)', (x) => [new D.Geometric({ logits: x.a }), new D.Geometric({ logits: x.b })]],
  ['Gumbel', { a: [0, 1, -2], b: [1, 0.5, 2], c: [0.3, 0, 1], d: [2, 1, 0.7] }, 'D.Gumbel(a, b), D.Gumbel(c, d)', (x) => [new D.Gumbel(x.a, x.b), new D.Gumbel(x.c, x.d)]],
  ['Pareto', { a: [1, 2, 0.5], b: [1.5, 3, 2], c: [0.5, 1, 1], d: [2, 0.5, 1] }, 'D.Pareto(a, b), D.Pareto(c, d)', (x) => [new D.Pareto(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Pareto inf', { a: [1, 0.5], b: [1.5, 3], c: [0.5, 1], d: [2, 1] }, 'D.Pareto(a, b), D.Pareto(c, d)', (x) => [new D.Pareto(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Chi2 (as Gamma)', { a: [1, 3], b: [2, 0.5] }, 'D.Chi2(a), D.Chi2(b)', (x) => [new D.Chi2(x.a), new D.Chi2(x.b)]],
  ['Weibull same transforms', { a: [1, 2], b: [1.5, 3] }, 'D.Weibull(a, b), D.Weibull(a, b)', (x) => [new D.Weibull(x.a, x.b), new D.Weibull(x.a, x.b)]],
  ['Exponential Gumbel', { a: [0.5, 2], c: [0.3, -1], d: [2, 0.7] }, 'D.Exponential(a), D.Gumbel(c, d)', (x) => [new D.Exponential(x.a), new D.Gumbel(x.c, x.d)]],
  ['Gamma Gumbel', { a: [0.5, 2], b: [1.5, 3], c: [0.3, -1], d: [2, 0.7] }, 'D.Gamma(a, b), D.Gumbel(c, d)', (x) => [new D.Gamma(x.a, x.b), new D.Gumbel(x.c, x.d)]],
  ['Gumbel Normal', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.Gumbel(a, b), D.Normal(c, d)', (x) => [new D.Gumbel(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Normal Gumbel', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.Normal(a, b), D.Gumbel(c, d)', (x) => [new D.Normal(x.a, x.b), new D.Gumbel(x.c, x.d)]],
  ['Pareto Exponential', { a: [1, 2], b: [1.5, 3], r: [0.5, 2] }, 'D.Pareto(a, b), D.Exponential(r)', (x) => [new D.Pareto(x.a, x.b), new D.Exponential(x.r)]],
  ['Pareto Exponential inf', { a: [1, 2], b: [0.5, 3], r: [0.5, 2] }, 'D.Pareto(a, b), D.Exponential(r)', (x) => [new D.Pareto(x.a, x.b), new D.Exponential(x.r)]],
  ['Pareto Gamma', { a: [1, 2], b: [1.5, 3], c: [0.5, 2], r: [1, 0.3] }, 'D.Pareto(a, b), D.Gamma(c, r)', (x) => [new D.Pareto(x.a, x.b), new D.Gamma(x.c, x.r)]],
  ['Pareto Normal', { a: [1, 2], b: [2.5, 3], c: [0.5, 2], d: [1, 0.3] }, 'D.Pareto(a, b), D.Normal(c, d)', (x) => [new D.Pareto(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Pareto Normal inf', { a: [1, 2], b: [1.5, 3], c: [0.5, 2], d: [1, 0.3] }, 'D.Pareto(a, b), D.Normal(c, d)', (x) => [new D.Pareto(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Uniform Gumbel', { a: [0, -1], b: [1, 2], c: [0.3, -1], d: [2, 0.7] }, 'D.Uniform(a, b), D.Gumbel(c, d)', (x) => [new D.Uniform(x.a, x.b), new D.Gumbel(x.c, x.d)]],
  ['Uniform Pareto', { a: [1, 2], b: [2, 3], c: [0.5, 1], d: [2, 0.7] }, 'D.Uniform(a, b), D.Pareto(c, d)', (x) => [new D.Uniform(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Uniform Pareto inf', { a: [1, 0.2], b: [2, 3], c: [0.5, 1], d: [2, 0.7] }, 'D.Uniform(a, b), D.Pareto(c, d)', (x) => [new D.Uniform(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Gumbel Beta (inf)', { a: [0, 1], b: [1, 0.3], c: [0.5, 2], d: [2, 1] }, 'D.Gumbel(a, b), D.Beta(c, d)', (x) => [new D.Gumbel(x.a, x.b), new D.Beta(x.c, x.d)]],
  ['Gumbel Uniform (inf)', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.Gumbel(a, b), D.Uniform(c, d)', (x) => [new D.Gumbel(x.a, x.b), new D.Uniform(x.c, x.d)]],
  ['Normal Pareto (inf)', { a: [0, 1], b: [1, 0.3], c: [0.5, 1], d: [2, 1] }, 'D.Normal(a, b), D.Pareto(c, d)', (x) => [new D.Normal(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Pareto Uniform (inf)', { a: [1, 2], b: [1.5, 3], c: [0.5, 0], d: [2, 4] }, 'D.Pareto(a, b), D.Uniform(c, d)', (x) => [new D.Pareto(x.a, x.b), new D.Uniform(x.c, x.d)]],
  ['Beta Pareto (inf)', { a: [1, 2], b: [1.5, 3], c: [0.5, 1], d: [2, 4] }, 'D.Beta(a, b), D.Pareto(c, d)', (x) => [new D.Beta(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Gamma Pareto (inf)', { a: [1, 2], b: [1.5, 3], c: [0.5, 1], d: [2, 4] }, 'D.Gamma(a, b), D.Pareto(c, d)', (x) => [new D.Gamma(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Laplace Pareto (inf)', { a: [1, 2], b: [1.5, 3], c: [0.5, 1], d: [2, 4] }, 'D.Laplace(a, b), D.Pareto(c, d)', (x) => [new D.Laplace(x.a, x.b), new D.Pareto(x.c, x.d)]],
  ['Exponential Pareto (inf)', { a: [1, 2], c: [0.5, 1], d: [2, 4] }, 'D.Exponential(a), D.Pareto(c, d)', (x) => [new D.Exponential(x.a), new D.Pareto(x.c, x.d)]],
  ['LowRankMultivariateNormal', { a: [1, 0, 2], w: [[1, 0.2], [0.3, -0.5], [0, 0.7]], d: [0.5, 1, 2], b: [[0, 0, 1], [1, 2, 0]], v: [[0.4], [1], [-0.3]], e: [1, 2, 0.7] }, 'D.LowRankMultivariateNormal(a, w, d), D.LowRankMultivariateNormal(b, v, e)', (x) => [new D.LowRankMultivariateNormal(x.a, x.w, x.d), new D.LowRankMultivariateNormal(x.b, x.v, x.e)]],
  ['MultivariateNormal LowRank', { a: [1, 0], c: [[2, 0.3], [0.3, 1]], b: [[0, 0], [1, 2]], v: [[0.4], [1]], e: [1, 2] }, 'D.MultivariateNormal(a, c), D.LowRankMultivariateNormal(b, v, e)', (x) => [new D.MultivariateNormal(x.a, x.c), new D.LowRankMultivariateNormal(x.b, x.v, x.e)]],
  ['LowRank MultivariateNormal', { a: [[1, 0], [0.5, 0.5]], w: [[1, 0.2], [0.3, -0.5]], d: [0.5, 1], b: [0, 1], c: [[1, -0.2], [-0.2, 0.5]] }, 'D.LowRankMultivariateNormal(a, w, d), D.MultivariateNormal(b, c)', (x) => [new D.LowRankMultivariateNormal(x.a, x.w, x.d), new D.MultivariateNormal(x.b, x.c)]],
  ['ContinuousBernoulli', { a: [0.2, 0.4995, 0.9], b: [0.7, 0.5, 0.3] }, 'D.ContinuousBernoulli(a), D.ContinuousBernoulli(b)', (x) => [new D.ContinuousBernoulli(x.a), new D.ContinuousBernoulli(x.b)]],
  ['Beta ContinuousBernoulli', { a: [0.5, 2], b: [1.5, 3], c: [0.2, 0.7] }, 'D.Beta(a, b), D.ContinuousBernoulli(c)', (x) => [new D.Beta(x.a, x.b), new D.ContinuousBernoulli(x.c)]],
  ['Uniform ContinuousBernoulli', { a: [0.1, 0, 0.2], b: [0.9, 0.5, 1], c: [0.2, 0.7, 0.4] }, 'D.Uniform(a, b), D.ContinuousBernoulli(c)', (x) => [new D.Uniform(x.a, x.b), new D.ContinuousBernoulli(x.c)]],
  ['ContinuousBernoulli Exponential', { a: [0.2, 0.7], r: [0.5, 2] }, 'D.ContinuousBernoulli(a), D.Exponential(r)', (x) => [new D.ContinuousBernoulli(x.a), new D.Exponential(x.r)]],
  ['ContinuousBernoulli Normal', { a: [0.2, 0.7], c: [0.5, -1], d: [1, 0.3] }, 'D.ContinuousBernoulli(a), D.Normal(c, d)', (x) => [new D.ContinuousBernoulli(x.a), new D.Normal(x.c, x.d)]],
  ['ContinuousBernoulli Uniform', { a: [0.2, 0.7, 0.4], c: [-1, 0, -0.5], d: [2, 3, 1] }, 'D.ContinuousBernoulli(a), D.Uniform(c, d)', (x) => [new D.ContinuousBernoulli(x.a), new D.Uniform(x.c, x.d)]],
  ['ContinuousBernoulli Pareto (inf)', { a: [0.2, 0.7], c: [0.5, 1], d: [2, 4] }, 'D.ContinuousBernoulli(a), D.Pareto(c, d)', (x) => [new D.ContinuousBernoulli(x.a), new D.Pareto(x.c, x.d)]],
  ['Normal ContinuousBernoulli (inf)', { a: [0, 1], b: [1, 0.3], c: [0.2, 0.7] }, 'D.Normal(a, b), D.ContinuousBernoulli(c)', (x) => [new D.Normal(x.a, x.b), new D.ContinuousBernoulli(x.c)]],
  ['Bernoulli Poisson', { a: [0.2, 0.7], r: [0.5, 2] }, 'D.Bernoulli(a), D.Poisson(r)', (x) => [new D.Bernoulli(x.a), new D.Poisson(x.r)]],
  ['Beta Exponential', { a: [0.5, 2], b: [1.5, 3], r: [0.5, 2] }, 'D.Beta(a, b), D.Exponential(r)', (x) => [new D.Beta(x.a, x.b), new D.Exponential(x.r)]],
  ['Beta Gamma', { a: [0.5, 2], b: [1.5, 3], c: [0.7, 2], r: [0.5, 2] }, 'D.Beta(a, b), D.Gamma(c, r)', (x) => [new D.Beta(x.a, x.b), new D.Gamma(x.c, x.r)]],
  ['Beta Normal', { a: [0.5, 2], b: [1.5, 3], c: [0.7, -2], d: [0.5, 2] }, 'D.Beta(a, b), D.Normal(c, d)', (x) => [new D.Beta(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Beta Uniform', { a: [0.5, 2, 1], b: [1.5, 3, 1], c: [-0.5, 0, 0.1], d: [1.5, 1, 1] }, 'D.Beta(a, b), D.Uniform(c, d)', (x) => [new D.Beta(x.a, x.b), new D.Uniform(x.c, x.d)]],
  ['Exponential Gamma', { a: [0.5, 2], c: [0.7, 2], r: [0.5, 2] }, 'D.Exponential(a), D.Gamma(c, r)', (x) => [new D.Exponential(x.a), new D.Gamma(x.c, x.r)]],
  ['Exponential Normal', { a: [0.5, 2], c: [0.7, -2], d: [0.5, 2] }, 'D.Exponential(a), D.Normal(c, d)', (x) => [new D.Exponential(x.a), new D.Normal(x.c, x.d)]],
  ['Gamma Exponential', { a: [0.5, 2], b: [1.5, 3], r: [0.5, 2] }, 'D.Gamma(a, b), D.Exponential(r)', (x) => [new D.Gamma(x.a, x.b), new D.Exponential(x.r)]],
  ['Chi2 Normal (as Gamma)', { a: [0.5, 2], c: [0.7, -2], d: [0.5, 2] }, 'D.Chi2(a), D.Normal(c, d)', (x) => [new D.Chi2(x.a), new D.Normal(x.c, x.d)]],
  ['Laplace Normal', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.Laplace(a, b), D.Normal(c, d)', (x) => [new D.Laplace(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Normal Laplace', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.Normal(a, b), D.Laplace(c, d)', (x) => [new D.Normal(x.a, x.b), new D.Laplace(x.c, x.d)]],
  ['Uniform Beta', { a: [0.1, 0, -0.1], b: [0.9, 0.5, 1], c: [0.7, 2, 1], d: [0.5, 2, 1] }, 'D.Uniform(a, b), D.Beta(c, d)', (x) => [new D.Uniform(x.a, x.b), new D.Beta(x.c, x.d)]],
  ['Uniform Exponential', { a: [0.1, -1], b: [0.9, 2], r: [0.5, 2] }, 'D.Uniform(a, b), D.Exponential(r)', (x) => [new D.Uniform(x.a, x.b), new D.Exponential(x.r)]],
  ['Uniform Gamma', { a: [0.1, 1], b: [0.9, 2], c: [0.7, 2], r: [0.5, 2] }, 'D.Uniform(a, b), D.Gamma(c, r)', (x) => [new D.Uniform(x.a, x.b), new D.Gamma(x.c, x.r)]],
  ['Uniform Normal', { a: [0.1, -1], b: [0.9, 2], c: [0.7, -2], d: [0.5, 2] }, 'D.Uniform(a, b), D.Normal(c, d)', (x) => [new D.Uniform(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Normal Gamma (inf)', { a: [0, 1], b: [1, 0.3], c: [0.7, 2], r: [0.5, 2] }, 'D.Normal(a, b), D.Gamma(c, r)', (x) => [new D.Normal(x.a, x.b), new D.Gamma(x.c, x.r)]],
  ['Laplace Exponential (inf)', { a: [0, 1], b: [1, 0.3], r: [0.5, 2] }, 'D.Laplace(a, b), D.Exponential(r)', (x) => [new D.Laplace(x.a, x.b), new D.Exponential(x.r)]],
  ['Exponential Uniform (inf)', { a: [0.5, 2], c: [0, 1], d: [2, 3] }, 'D.Exponential(a), D.Uniform(c, d)', (x) => [new D.Exponential(x.a), new D.Uniform(x.c, x.d)]],
  ['Gamma Beta (inf)', { a: [0.5, 2], b: [1.5, 3], c: [0.7, 2], d: [0.5, 2] }, 'D.Gamma(a, b), D.Beta(c, d)', (x) => [new D.Gamma(x.a, x.b), new D.Beta(x.c, x.d)]],
  ['Poisson Binomial (inf)', { a: [0.5, 2], c: [0.2, 0.7] }, 'D.Poisson(a), D.Binomial(5, c)', (x) => [new D.Poisson(x.a), new D.Binomial(5, x.c)]],
  ['Poisson Bernoulli (inf)', { a: [0.5, 2], c: [0.2, 0.7] }, 'D.Poisson(a), D.Bernoulli(c)', (x) => [new D.Poisson(x.a), new D.Bernoulli(x.c)]],
];

// [label, Python statement, JS statement]: each must raise the same error (or none).
const ERRORS: [string, string, () => unknown][] = [
  ['Cauchy negative scale', 'D.Cauchy(torch.tensor([0., 1.]), torch.tensor([1., -1.]))', () => new D.Cauchy(torch.tensor([0, 1], U), torch.tensor([1, -1], U))],
  ['HalfNormal negative scale', 'D.HalfNormal(torch.tensor([1., -1.]))', () => new D.HalfNormal(torch.tensor([1, -1], U))],
  ['HalfNormal negative value', 'D.HalfNormal(1.).log_prob(torch.tensor([-1.]))', () => new D.HalfNormal(1).logProb(torch.tensor([-1], U))],
  ['HalfCauchy zero scale', 'D.HalfCauchy(0.)', () => new D.HalfCauchy(0)],
  ['StudentT negative df', 'D.StudentT(torch.tensor([1., -1.]))', () => new D.StudentT(torch.tensor([1, -1], U))],
  ['Chi2 negative df', 'D.Chi2(torch.tensor([1., -1.]))', () => new D.Chi2(torch.tensor([1, -1], U))],
  ['Chi2 negative value', 'D.Chi2(2.).log_prob(torch.tensor(-1.))', () => new D.Chi2(2).logProb(torch.tensor(-1, U))],
  ['Gumbel negative scale', 'D.Gumbel(torch.zeros(2), torch.tensor([1., -1.]))', () => new D.Gumbel(torch.zeros(2), torch.tensor([1, -1], U))],
  ['Gumbel NaN value', "D.Gumbel(0., 1.).log_prob(torch.tensor(float('nan')))", () => new D.Gumbel(0, 1).logProb(torch.tensor(NaN, U))],
  ['Geometric zero probs', 'D.Geometric(torch.tensor([0.5, 0.]))', () => new D.Geometric(torch.tensor([0.5, 0], U))],
  ['Geometric probs > 1', 'D.Geometric(torch.tensor([0.5, 1.5]))', () => new D.Geometric(torch.tensor([0.5, 1.5], U))],
  ['Geometric neither', 'D.Geometric()', () => new D.Geometric()],
  ['Geometric non-integer', 'D.Geometric(0.5).log_prob(torch.tensor(1.5))', () => new D.Geometric(0.5).logProb(torch.tensor(1.5, U))],
  ['Multinomial float count', 'D.Multinomial(2.5, torch.ones(3))', () => new D.Multinomial(2.5, torch.ones(3))],
  ['Multinomial negative probs', 'D.Multinomial(3, torch.tensor([0.5, -0.1, 0.6]))', () => new D.Multinomial(3, torch.tensor([0.5, -0.1, 0.6], U))],
  ['Multinomial over count', 'D.Multinomial(5, torch.ones(3)).log_prob(torch.tensor([3., 3., 0.]))', () => new D.Multinomial(5, torch.ones(3)).logProb(torch.tensor([3, 3, 0], U))],
  ['NegativeBinomial probs 1', 'D.NegativeBinomial(3., torch.tensor([0.5, 1.]))', () => new D.NegativeBinomial(3, torch.tensor([0.5, 1], U))],
  ['NegativeBinomial negative count', 'D.NegativeBinomial(torch.tensor([-1., 2.]), logits=torch.zeros(2))', () => new D.NegativeBinomial(torch.tensor([-1, 2], U), { logits: torch.zeros(2) })],
  ['Weibull negative concentration', 'D.Weibull(torch.ones(2), torch.tensor([1., -1.]))', () => new D.Weibull(torch.ones(2), torch.tensor([1, -1], U))],
  ['Weibull negative value', 'D.Weibull(1., 2.).log_prob(torch.tensor(-1.))', () => new D.Weibull(1, 2).logProb(torch.tensor(-1, U))],
  ['Pareto negative alpha', 'D.Pareto(torch.ones(2), torch.tensor([1., -1.]))', () => new D.Pareto(torch.ones(2), torch.tensor([1, -1], U))],
  ['Pareto below scale', 'D.Pareto(torch.tensor([2.]), torch.tensor([1.])).log_prob(torch.tensor([1.]))', () => new D.Pareto(torch.tensor([2], U), torch.tensor([1], U)).logProb(torch.tensor([1], U))],
  ['KL Weibull different transforms', 'D.kl_divergence(D.Weibull(1., 2.), D.Weibull(2., 2.))', () => D.klDivergence(new D.Weibull(1, 2), new D.Weibull(2, 2))],
  ['LowRank 0-dim loc', 'D.LowRankMultivariateNormal(torch.tensor(0.), torch.ones(1, 1), torch.ones(1))', () => new D.LowRankMultivariateNormal(torch.tensor(0, U), torch.ones(1, 1), torch.ones(1))],
  ['LowRank 1-dim factor', 'D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2), torch.ones(2))', () => new D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2), torch.ones(2))],
  ['LowRank factor rows', 'D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(3, 1), torch.ones(2))', () => new D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(3, 1), torch.ones(2))],
  ['LowRank diag size', 'D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(3))', () => new D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(3))],
  ['LowRank batch shapes', 'D.LowRankMultivariateNormal(torch.zeros(3, 2), torch.ones(4, 2, 1), torch.ones(2))', () => new D.LowRankMultivariateNormal(torch.zeros(3, 2), torch.ones(4, 2, 1), torch.ones(2))],
  ['LowRank negative diag', 'D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.tensor([1., -1.]))', () => new D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.tensor([1, -1], U))],
  ['KL LowRank event shapes', 'D.kl_divergence(D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)), D.LowRankMultivariateNormal(torch.zeros(3), torch.ones(3, 1), torch.ones(3)))', () => D.klDivergence(new D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)), new D.LowRankMultivariateNormal(torch.zeros(3), torch.ones(3, 1), torch.ones(3)))],
  ['KL MVN LowRank event shapes', 'D.kl_divergence(D.MultivariateNormal(torch.zeros(2), torch.eye(2)), D.LowRankMultivariateNormal(torch.zeros(3), torch.ones(3, 1), torch.ones(3)))', () => D.klDivergence(new D.MultivariateNormal(torch.zeros(2), torch.eye(2)), new D.LowRankMultivariateNormal(torch.zeros(3), torch.ones(3, 1), torch.ones(3)))],
  ['LogisticNormal negative scale', 'D.LogisticNormal(torch.zeros(2), torch.tensor([1., -1.]))', () => new D.LogisticNormal(torch.zeros(2), torch.tensor([1, -1], U))],
  ['LogisticNormal not simplex', 'D.LogisticNormal(torch.zeros(2), 1.).log_prob(torch.tensor([0.5, 0.5, 0.5]))', () => new D.LogisticNormal(torch.zeros(2), 1).logProb(torch.tensor([0.5, 0.5, 0.5], U))],
  ['RelaxedBernoulli probs > 1', 'D.RelaxedBernoulli(torch.tensor(0.5), torch.tensor([0.5, 1.5]))', () => new D.RelaxedBernoulli(torch.tensor(0.5, U), torch.tensor([0.5, 1.5], U))],
  ['RelaxedBernoulli neither', 'D.RelaxedBernoulli(torch.tensor(0.5))', () => new D.RelaxedBernoulli(torch.tensor(0.5, U))],
  ['RelaxedBernoulli outside', 'D.RelaxedBernoulli(torch.tensor(0.5), 0.3).log_prob(torch.tensor(1.5))', () => new D.RelaxedBernoulli(torch.tensor(0.5, U), 0.3).logProb(torch.tensor(1.5, U))],
  ['RelaxedOneHotCategorical negative', 'D.RelaxedOneHotCategorical(torch.tensor(0.5), torch.tensor([0.5, -0.1, 0.6]))', () => new D.RelaxedOneHotCategorical(torch.tensor(0.5, U), torch.tensor([0.5, -0.1, 0.6], U))],
  ['Mixture not Categorical', 'D.MixtureSameFamily(D.Normal(torch.zeros(2), 1.), D.Normal(torch.zeros(2), 1.))', () => new D.MixtureSameFamily(new D.Normal(torch.zeros(2), 1) as never, new D.Normal(torch.zeros(2), 1))],
  ['Mixture components', 'D.MixtureSameFamily(D.Categorical(torch.ones(3)), D.Normal(torch.zeros(2), 1.))', () => new D.MixtureSameFamily(new D.Categorical(torch.ones(3)), new D.Normal(torch.zeros(2), 1))],
  ['Mixture batch', 'D.MixtureSameFamily(D.Categorical(torch.ones(2, 3)), D.Normal(torch.zeros(4, 3), 1.))', () => new D.MixtureSameFamily(new D.Categorical(torch.ones(2, 3)), new D.Normal(torch.zeros(4, 3), 1))],
  ['VonMises zero concentration', 'D.VonMises(torch.zeros(2), torch.tensor([1., 0.]))', () => new D.VonMises(torch.zeros(2), torch.tensor([1, 0], U))],
  ['FisherSnedecor negative df2', 'D.FisherSnedecor(torch.ones(2), torch.tensor([1., -1.]))', () => new D.FisherSnedecor(torch.ones(2), torch.tensor([1, -1], U))],
  ['FisherSnedecor negative value', 'D.FisherSnedecor(2., 3.).log_prob(torch.tensor(-1.))', () => new D.FisherSnedecor(2, 3).logProb(torch.tensor(-1, U))],
  ['ContinuousBernoulli probs > 1 checked', 'D.ContinuousBernoulli(torch.tensor([0.5, 1.5]), validate_args=True)', () => new D.ContinuousBernoulli(torch.tensor([0.5, 1.5], U), { validateArgs: true })],
  ['ContinuousBernoulli probs > 1 clamped', 'D.ContinuousBernoulli(torch.tensor([0.5, 1.5]))', () => new D.ContinuousBernoulli(torch.tensor([0.5, 1.5], U))],
  ['ContinuousBernoulli outside', 'D.ContinuousBernoulli(0.3).log_prob(torch.tensor(1.5))', () => new D.ContinuousBernoulli(0.3).logProb(torch.tensor(1.5, U))],
  ['Kumaraswamy negative', 'D.Kumaraswamy(torch.tensor([1., -1.]), torch.ones(2))', () => new D.Kumaraswamy(torch.tensor([1, -1], U), torch.ones(2))],
  ['Kumaraswamy outside', 'D.Kumaraswamy(2., 3.).log_prob(torch.tensor(1.5))', () => new D.Kumaraswamy(2, 3).logProb(torch.tensor(1.5, U))],
];

const REPRS: [string, () => Dist][] = [
  ['D.Cauchy(0., 1.)', () => new D.Cauchy(0, 1)],
  ['D.HalfNormal(2.)', () => new D.HalfNormal(2)],
  ['D.HalfCauchy(torch.ones(3))', () => new D.HalfCauchy(torch.ones(3))],
  ['D.StudentT(3.)', () => new D.StudentT(3)],
  ['D.Chi2(4.)', () => new D.Chi2(4)],
  ['D.Gumbel(1., 2.)', () => new D.Gumbel(1, 2)],
  ['D.Geometric(0.3)', () => new D.Geometric(0.3)],
  ['D.Geometric(logits=torch.tensor(0.5))', () => new D.Geometric({ logits: torch.tensor(0.5) })],
  ['D.Multinomial(3, torch.ones(3))', () => new D.Multinomial(3, torch.ones(3))],
  ['D.NegativeBinomial(5., 0.4)', () => new D.NegativeBinomial(5, 0.4)],
  ['D.Weibull(1., 2.)', () => new D.Weibull(1, 2)],
  ['D.Pareto(torch.ones(2), 2.)', () => new D.Pareto(torch.ones(2), 2)],
  ['D.LogisticNormal(torch.zeros(2), 1.)', () => new D.LogisticNormal(torch.zeros(2), 1)],
  ['D.RelaxedBernoulli(torch.tensor(0.5), 0.3)', () => new D.RelaxedBernoulli(torch.tensor(0.5), 0.3)],
  ['D.relaxed_bernoulli.LogitRelaxedBernoulli(torch.tensor(0.5), logits=torch.zeros(2))', () => new D.LogitRelaxedBernoulli(torch.tensor(0.5), { logits: torch.zeros(2) })],
  ['D.RelaxedOneHotCategorical(torch.tensor(0.5), torch.ones(3))', () => new D.RelaxedOneHotCategorical(torch.tensor(0.5), torch.ones(3))],
  ['D.MixtureSameFamily(D.Categorical(torch.ones(3)), D.Normal(torch.zeros(3), 1.))', () => new D.MixtureSameFamily(new D.Categorical(torch.ones(3)), new D.Normal(torch.zeros(3), 1))],
  ['D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2))', () => new D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2))],
  ['D.VonMises(0., 2.)', () => new D.VonMises(0, 2)],
  ['D.FisherSnedecor(2., 3.)', () => new D.FisherSnedecor(2, 3)],
  ['D.ContinuousBernoulli(0.3)', () => new D.ContinuousBernoulli(0.3)],
  ['D.ContinuousBernoulli(logits=torch.zeros(2))', () => new D.ContinuousBernoulli({ logits: torch.zeros(2) })],
  ['D.Kumaraswamy(2., 3.)', () => new D.Kumaraswamy(2, 3)],
];

const expected = runPython<{ kl: { value: unknown; grads: unknown[] }[]; errors: [string, string][]; reprs: string[] }>(`
import math
D = torch.distributions
def clean(x):
    if isinstance(x, list): return [clean(v) for v in x]
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)): return str(x)
    return x
def out(t): return None if t is None else clean(t.detach().tolist())
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
