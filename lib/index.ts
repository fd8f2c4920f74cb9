// torch-node: `import * as torch from 'torch-node'`.
export { TorchError } from './errors';
export { Tensor } from './tensor/tensor';
export type { GradFn, BackwardOptions, ToOptions, NestedList, Scalar } from './tensor/tensor';
export * from './tensor/dtype';
export { Device, device } from './tensor/device';
export type { DeviceLike } from './tensor/device';
export * from './tensor/create';
export { Generator, defaultGenerator } from './tensor/random';
export * from './tensor/functions';
// every other public aten op: generated torch.<op> functions, Tensor methods, linalg/fft/special
export * from './ops/generated/functions';
export * from './ops/generated/namespaces';
import './ops/generated/methods';
export { ops } from './ops/aten-namespace';
export type { AtenOp } from './ops/aten-namespace';
export { setPrintoptions, getPrintoptions } from './tensor/format';
export type { PrintOptions, SetPrintOptions, PrintProfile } from './tensor/format';
export { tidy, scope, keep } from './memory/scope';
export { noGrad, enableGrad, inferenceMode, isGradEnabled, isInferenceModeEnabled, setGradEnabled } from './autograd/grad-mode';
export * as autograd from './autograd';
export { slice, Slice } from './tensor/indexing';
export type { IndexItem } from './tensor/indexing';
export { manualSeed, initialSeed, setNumThreads, getNumThreads, libtorchVersion, cuda, memory } from './runtime';
export type { MemoryInfo } from './runtime';
export * as data from './data';
export * as utils from './data/utils';
export * as optim from './optim';
export * as nn from './nn';
