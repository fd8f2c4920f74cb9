// torch.distributions.transforms: invertible maps with their log |det Jacobian|, for
// TransformedDistribution and constraint_registry. One file per family under transforms/.
export { Transform, InverseTransform } from './transforms/transform';
export type { CacheOptions } from './transforms/transform';
export { ComposeTransform, identityTransform } from './transforms/compose';
export { IndependentTransform, ReshapeTransform } from './transforms/independent';
export { ExpTransform, PowerTransform, SigmoidTransform, SoftplusTransform, TanhTransform, AbsTransform, AffineTransform } from './transforms/elementwise';
export { SoftmaxTransform, StickBreakingTransform } from './transforms/simplex';
export { LowerCholeskyTransform, CorrCholeskyTransform } from './transforms/cholesky';
export { CatTransform, StackTransform } from './transforms/cat-stack';
export { CumulativeDistributionTransform } from './transforms/cumulative-distribution';
