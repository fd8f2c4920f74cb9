// torch.cuda: device functions (runtime.ts) and torch.cuda.amp.
export * from './runtime';
export type { CudaDeviceLike } from './runtime';
export * as amp from './amp';
// torch.cuda.FloatStorage, ...: the legacy CUDA storage classes (lib/tensor/storage)
export * from '../tensor/storage/cuda-classes';
