// torch.distributed.optim: ZeroRedundancyOptimizer (the optimizer state sharded over the ranks).
export { ZeroRedundancyOptimizer } from './zero-redundancy-optimizer';
export type { ZeroRedundancyOptimizerArgs, OptimizerClass } from './zero-redundancy-optimizer';
