// The tensor surface the distributions are written against (lib/index would be an import cycle).
// Internal: not re-exported.
export * from '../nn/functional/torch';
export { ops } from '../ops/aten-namespace';
export { enableGrad } from '../autograd/grad-mode';
export { grad } from '../autograd/grad';
export { AutogradFunction, FunctionCtx } from '../autograd/function';
export { softplus, softmax, binaryCrossEntropyWithLogits, oneHot } from '../nn/functional';
export { TorchError, warn } from '../errors';
export { slice } from '../tensor/indexing';
