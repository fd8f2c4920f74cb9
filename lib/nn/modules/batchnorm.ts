// torch.nn.modules.batchnorm, with its private bases _NormBase and _BatchNorm
export * from '../layers/batchnorm';
export { NormBase as _NormBase, BatchNormBase as _BatchNorm } from '../layers/batchnorm';
