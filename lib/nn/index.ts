// torch.nn: Module and Parameter, containers, layers, functional (F), init and utils.
export { Module } from './module';
export type { StateDict, StateDictOptions, IncompatibleKeys, ForwardHook, ForwardPreHook } from './module';
export { Parameter } from './parameter';
export { RemovableHandle } from './hooks';
export * from './containers';
export * as init from './init';
export { Identity, Linear, Bilinear } from './layers/linear';
export type { FactoryOptions } from './layers/linear';
export * from './layers/conv';
export * from './layers/rnn';
export * from './layers/rnn-cell';
export * from './layers/batchnorm';
export * from './layers/instancenorm';
export * from './layers/normalization';
export * from './layers/conv';
export * from './layers/pooling';
export * from './layers/dropout';
export * from './layers/embedding';
