// torch.distributions (PyTorch 1.13): `new torch.distributions.Normal(loc, scale)`, `.sample()`,
// `.logProb(x)`, `torch.distributions.kl.klDivergence(p, q)`, `constraints`.
export { Distribution } from './distribution';
export type { DistributionOptions } from './distribution';
export { ExponentialFamily } from './exp-family';
export { Normal } from './normal';
export { Categorical } from './categorical';
export { OneHotCategorical } from './one-hot-categorical';
export { Bernoulli } from './bernoulli';
export { Uniform } from './uniform';
export { MultivariateNormal } from './multivariate-normal';
export { Independent } from './independent';
export { Beta } from './beta';
export { Gamma } from './gamma';
export { Dirichlet } from './dirichlet';
export { Exponential } from './exponential';
export { Laplace } from './laplace';
export { Poisson } from './poisson';
export { Binomial } from './binomial';
export { LogNormal } from './log-normal';
export { TransformedDistribution } from './transformed-distribution';
export * as transforms from './transforms';
export { Transform, ExpTransform, AffineTransform } from './transforms';
export * as constraints from './constraints';
export * as kl from './kl';
export { klDivergence, registerKL } from './kl';
export { ValueError, NotImplementedError } from '../errors';
