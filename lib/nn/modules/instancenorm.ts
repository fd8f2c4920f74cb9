// torch.nn.modules.instancenorm, with its private base _InstanceNorm
export * from '../layers/instancenorm';
export { InstanceNormBase as _InstanceNorm } from '../layers/instancenorm';
