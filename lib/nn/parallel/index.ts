// torch.nn.parallel
export { DataParallel } from './data-parallel';
export type { DataParallelArgs } from './data-parallel';
export { dataParallel } from './data-parallel-function';
export type { DataParallelFunctionArgs } from './data-parallel-function';
export { DistributedDataParallel } from './distributed';
export type { DistributedDataParallelArgs } from './distributed';
