// torch.distributions against PyTorch 1.13 in float64: seeded samples (equal), rsample and its
// gradient, logProb and its gradient, entropy, moments, cdf/icdf, shapes and the repr, for each
// distribution; the same parameters and seeds on both sides (the oracle: helpers/distribution-oracle.ts).
import * as torch from '../lib';
import { DistributionCase, describeDistributionCases } from './helpers/distribution-oracle';

const D = torch.distributions;

const CASES: DistributionCase[] = [
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

describeDistributionCases(CASES);
