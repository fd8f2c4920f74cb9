// torch.nn.utils: gradient clipping, parameter/vector conversion, rnn (packed sequences), pruning,
// parametrizations, and the hook-based weight and spectral normalisation.
export { clipGradNorm_, clipGradValue_ } from './clip-grad';
export type { ClipGradNormOptions, TensorOrTensors } from './clip-grad';
export { parametersToVector, vectorToParameters } from './convert-parameters';
export * as rnn from './rnn';
export * as prune from './prune';
export * as parametrize from './parametrize';
export * as parametrizations from './parametrizations';
export { weightNorm, removeWeightNorm, WeightNorm } from './weight-norm';
export { spectralNorm, removeSpectralNorm, SpectralNorm } from './spectral-norm';
export { fuseConvBnEval, fuseConvBnWeights } from './fusion';
export * as fusion from './fusion';
export { skipInit } from './init';
export * as stateless from './stateless';
