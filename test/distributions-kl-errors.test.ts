// kl.klDivergence over Python's registered pairs (values and gradients), and validateArgs: the
// ValueErrors (type and message) for invalid parameters and for values outside the support.
import * as torch from '../lib';
import { ErrorCase, KlCase, ReprCase, describeKlErrorsReprs } from './helpers/distribution-oracle';

const D = torch.distributions;
const KL: KlCase[] = [
  ['Normal', { a: [0, 1, -2], b: [1, 0.5, 2], c: [0.3, 0, 1], d: [2, 1, 0.7] }, 'D.Normal(a, b), D.Normal(c, d)', (x) => [new D.Normal(x.a, x.b), new D.Normal(x.c, x.d)]],
  ['Categorical', { a: [[0.2, 0.3, 0.5], [0.5, 0.5, 0]], b: [[0.1, 0.6, 0.3], [0.3, 0.3, 0.4]] }, 'D.Categorical(a), D.Categorical(b)', (x) => [new D.Categorical(x.a), new D.Categorical(x.b)]],
  ['Categorical logits', { a: [1, 2, 3], b: [0, -1, 2] }, 'D.Categorical(logits=a), D.Categorical(logits=b)', (x) => [new D.Categorical({ logits: x.a }), new D.Categorical({ logits: x.b })]],
  ['OneHotCategorical', { a: [0.2, 0.3, 0.5], b: [0.1, 0.6, 0.3] }, 'D.OneHotCategorical(a), D.OneHotCategorical(b)', (x) => [new D.OneHotCategorical(x.a), new D.OneHotCategorical(x.b)]],
  ['Bernoulli', { a: [0.2, 0.5, 0, 1], b: [0.7, 0.5, 0.3, 0.4] }, 'D.Bernoulli(a), D.Bernoulli(b)', (x) => [new D.Bernoulli(x.a), new D.Bernoulli(x.b)]],
  ['Bernoulli inf', { a: [0.2, 0.5], b: [0, 1] }, 'D.Bernoulli(a), D.Bernoulli(b)', (x) => [new D.Bernoulli(x.a), new D.Bernoulli(x.b)]],
  ['MultivariateNormal', { a: [1, 0], ca: [[2, 0.3], [0.3, 1]], b: [[0, 0], [1, 2]], cb: [[1, -0.2], [-0.2, 0.5]] }, 'D.MultivariateNormal(a, ca), D.MultivariateNormal(b, scale_tril=torch.linalg.cholesky(cb))', (x) => [new D.MultivariateNormal(x.a, x.ca), new D.MultivariateNormal(x.b, { scaleTril: torch.linalg.cholesky(x.cb) })]],
  ['Independent', { a: [[0, 1], [2, 3]], b: [[1, 2], [1, 1]], c: [[0.5, 1], [2, 0]], d: [[1, 1], [3, 1]] }, 'D.Independent(D.Normal(a, b), 1), D.Independent(D.Normal(c, d), 1)', (x) => [new D.Independent(new D.Normal(x.a, x.b), 1), new D.Independent(new D.Normal(x.c, x.d), 1)]],
  ['Uniform', { a: [0, 0, 1], b: [1, 2, 2], c: [-1, 0.5, 0], d: [2, 3, 3] }, 'D.Uniform(a, b), D.Uniform(c, d)', (x) => [new D.Uniform(x.a, x.b), new D.Uniform(x.c, x.d)]],
  ['Beta', { a: [0.5, 2], b: [1.5, 3], c: [1, 1], d: [2, 0.5] }, 'D.Beta(a, b), D.Beta(c, d)', (x) => [new D.Beta(x.a, x.b), new D.Beta(x.c, x.d)]],
  ['Gamma', { a: [0.5, 2], b: [1.5, 3], c: [1, 1], d: [2, 0.5] }, 'D.Gamma(a, b), D.Gamma(c, d)', (x) => [new D.Gamma(x.a, x.b), new D.Gamma(x.c, x.d)]],
  ['Dirichlet', { a: [[0.5, 2, 1], [1, 1, 1]], b: [1, 3, 0.5] }, 'D.Dirichlet(a), D.Dirichlet(b)', (x) => [new D.Dirichlet(x.a), new D.Dirichlet(x.b)]],
  ['Exponential', { a: [0.5, 2], b: [1.5, 3] }, 'D.Exponential(a), D.Exponential(b)', (x) => [new D.Exponential(x.a), new D.Exponential(x.b)]],
  ['Laplace', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.Laplace(a, b), D.Laplace(c, d)', (x) => [new D.Laplace(x.a, x.b), new D.Laplace(x.c, x.d)]],
  ['Poisson', { a: [0.5, 2], b: [1.5, 3] }, 'D.Poisson(a), D.Poisson(b)', (x) => [new D.Poisson(x.a), new D.Poisson(x.b)]],
  ['Binomial', { a: [0.2, 0.6], b: [0.5, 0.1] }, 'D.Binomial(10, a), D.Binomial(10, b)', (x) => [new D.Binomial(10, x.a), new D.Binomial(10, x.b)]],
  ['LogNormal (transformed)', { a: [0, 1], b: [1, 0.3], c: [0.5, 0], d: [2, 1] }, 'D.LogNormal(a, b), D.LogNormal(c, d)', (x) => [new D.LogNormal(x.a, x.b), new D.LogNormal(x.c, x.d)]],
];

// [label, Python statement, JS statement]: each must raise the same error (or none).
const ERRORS: ErrorCase[] = [
  ['Normal negative scale', 'D.Normal(torch.tensor([0., 1.]), torch.tensor([1., -1.]))', () => new D.Normal(torch.tensor([0, 1], { dtype: torch.float32 }), torch.tensor([1, -1], { dtype: torch.float32 }))],
  ['Normal scalar zero scale', 'D.Normal(0., 0.)', () => new D.Normal(0, 0)],
  ['Normal NaN loc', "D.Normal(torch.tensor(float('nan'), dtype=torch.float64), 1.)", () => new D.Normal(torch.tensor(NaN, { dtype: torch.float64 }), 1)],
  ['Normal validate_args=False', 'D.Normal(0., -1., validate_args=False)', () => new D.Normal(0, -1, { validateArgs: false })],
  ['Normal logProb shape', 'D.Normal(torch.zeros(2), 1.).log_prob(torch.zeros(3))', () => new D.Normal(torch.zeros(2), 1).logProb(torch.zeros(3))],
  ['Categorical neither', 'D.Categorical()', () => new D.Categorical()],
  ['Categorical both', 'D.Categorical(torch.ones(2), torch.ones(2))', () => new D.Categorical(torch.ones(2), torch.ones(2))],
  ['Categorical negative probs', 'D.Categorical(torch.tensor([0.5, -0.1, 0.6]))', () => new D.Categorical(torch.tensor([0.5, -0.1, 0.6]))],
  ['Categorical 0-dim', 'D.Categorical(torch.tensor(1.))', () => new D.Categorical(torch.tensor(1, { dtype: torch.float32 }))],
  ['Categorical out of support', 'D.Categorical(torch.ones(3)).log_prob(torch.tensor(3))', () => new D.Categorical(torch.ones(3)).logProb(torch.tensor(3))],
  ['Bernoulli probs > 1', 'D.Bernoulli(torch.tensor([0.5, 1.5]))', () => new D.Bernoulli(torch.tensor([0.5, 1.5]))],
  ['Bernoulli value 0.5', 'D.Bernoulli(0.3).log_prob(torch.tensor(0.5))', () => new D.Bernoulli(0.3).logProb(torch.tensor(0.5))],
  ['Uniform low >= high', 'D.Uniform(1., 0.)', () => new D.Uniform(1, 0)],
  ['Uniform outside', 'D.Uniform(torch.zeros(2), torch.ones(2)).log_prob(torch.tensor([0.5, 2.]))', () => new D.Uniform(torch.zeros(2), torch.ones(2)).logProb(torch.tensor([0.5, 2]))],
  ['Beta outside', 'D.Beta(2., 3.).log_prob(torch.tensor(1.5))', () => new D.Beta(2, 3).logProb(torch.tensor(1.5))],
  ['Gamma zero rate', 'D.Gamma(torch.ones(2), torch.zeros(2))', () => new D.Gamma(torch.ones(2), torch.zeros(2))],
  ['Dirichlet negative', 'D.Dirichlet(torch.tensor([1., -1.]))', () => new D.Dirichlet(torch.tensor([1, -1], { dtype: torch.float32 }))],
  ['Dirichlet not simplex', 'D.Dirichlet(torch.ones(3)).log_prob(torch.tensor([0.5, 0.5, 0.5]))', () => new D.Dirichlet(torch.ones(3)).logProb(torch.tensor([0.5, 0.5, 0.5]))],
  ['Exponential negative value', 'D.Exponential(torch.ones(2)).log_prob(torch.tensor([1., -1.]))', () => new D.Exponential(torch.ones(2)).logProb(torch.tensor([1, -1], { dtype: torch.float32 }))],
  ['Poisson non-integer', 'D.Poisson(torch.tensor([2.])).log_prob(torch.tensor([1.5]))', () => new D.Poisson(torch.tensor([2], { dtype: torch.float32 })).logProb(torch.tensor([1.5]))],
  ['Binomial non-integer count', 'D.Binomial(torch.tensor([2.5]), torch.tensor([0.5]))', () => new D.Binomial(torch.tensor([2.5]), torch.tensor([0.5]))],
  ['Binomial above count', 'D.Binomial(3, torch.tensor([0.5])).log_prob(torch.tensor([4.]))', () => new D.Binomial(3, torch.tensor([0.5])).logProb(torch.tensor([4], { dtype: torch.float32 }))],
  ['MVN not positive definite', 'D.MultivariateNormal(torch.zeros(2), torch.tensor([[1., 2.], [2., 1.]]))', () => new D.MultivariateNormal(torch.zeros(2), torch.tensor([[1, 2], [2, 1]], { dtype: torch.float32 }))],
  ['MVN two matrices', 'D.MultivariateNormal(torch.zeros(2), torch.eye(2), scale_tril=torch.eye(2))', () => new D.MultivariateNormal(torch.zeros(2), torch.eye(2), { scaleTril: torch.eye(2) })],
  ['MVN bad scale_tril', 'D.MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1., 1.], [0., 1.]]))', () => new D.MultivariateNormal(torch.zeros(2), { scaleTril: torch.tensor([[1, 1], [0, 1]], { dtype: torch.float32 }) })],
  ['Independent too many dims', 'D.Independent(D.Normal(torch.zeros(2), 1.), 2)', () => new D.Independent(new D.Normal(torch.zeros(2), 1), 2)],
  ['LogNormal negative value', 'D.LogNormal(0., 1.).log_prob(torch.tensor(-1.))', () => new D.LogNormal(0, 1).logProb(torch.tensor(-1, { dtype: torch.float32 }))],
  ['KL not implemented', 'D.kl_divergence(D.Normal(0., 1.), D.Categorical(torch.ones(2)))', () => D.klDivergence(new D.Normal(0, 1), new D.Categorical(torch.ones(2)))],
];

const REPRS: ReprCase[] = [
  ['D.Normal(0., 1.)', () => new D.Normal(0, 1)],
  ['D.Normal(torch.tensor([0.5]), 2.)', () => new D.Normal(torch.tensor([0.5]), 2)],
  ['D.Categorical(logits=torch.zeros(2, 3))', () => new D.Categorical({ logits: torch.zeros(2, 3) })],
  ['D.Bernoulli(0.25)', () => new D.Bernoulli(0.25)],
  ['D.Uniform(0., 3.)', () => new D.Uniform(0, 3)],
  ['D.MultivariateNormal(torch.zeros(2), torch.eye(2))', () => new D.MultivariateNormal(torch.zeros(2), torch.eye(2))],
  ['D.Independent(D.Normal(torch.zeros(2, 3), 1.), 1)', () => new D.Independent(new D.Normal(torch.zeros(2, 3), 1), 1)],
  ['D.Beta(2., 3.)', () => new D.Beta(2, 3)],
  ['D.Gamma(torch.tensor(2.), torch.tensor(3, dtype=torch.int64))', () => new D.Gamma(torch.tensor(2, { dtype: torch.float32 }), torch.tensor(3))],
  ['D.Dirichlet(torch.ones(4))', () => new D.Dirichlet(torch.ones(4))],
  ['D.Exponential(torch.tensor([1.5, 2.]))', () => new D.Exponential(torch.tensor([1.5, 2]))],
  ['D.Binomial(10, torch.tensor(0.3))', () => new D.Binomial(10, torch.tensor(0.3))],
  ['D.LogNormal(0., 1.)', () => new D.LogNormal(0, 1)],
  ['D.OneHotCategorical(torch.ones(3))', () => new D.OneHotCategorical(torch.ones(3))],
];

describeKlErrorsReprs(KL, ERRORS, REPRS);

test('validateArgs: setDefaultValidateArgs(false) turns the checks off', () => {
  D.Distribution.setDefaultValidateArgs(false);
  try {
    expect(() => new D.Normal(0, -1)).not.toThrow();
    expect(() => new D.Normal(0, -1, { validateArgs: true })).toThrow(/Expected parameter scale/);
  } finally {
    D.Distribution.setDefaultValidateArgs(true);
  }
  expect(() => new D.Normal(0, -1)).toThrow(/GreaterThan\(lower_bound=0\.0\)/);
});
