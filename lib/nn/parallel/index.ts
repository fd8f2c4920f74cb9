// torch.nn.parallel
export { DataParallel } from './data-parallel';
export type { DataParallelArgs } from './data-parallel';
