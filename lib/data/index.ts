// torch-node/data (also torch.utils.data): datasets, samplers, collation and the DataLoader.
export { Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset } from './dataset';
export type { Sized } from './dataset';
export { randomSplit } from './random-split';
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from './sampler';
export type { SamplerLike, RandomSamplerOptions } from './sampler';
export { DistributedSampler } from './distributed';
export type { DistributedSamplerOptions } from './distributed';
export { defaultCollate, defaultConvert } from './collate';
export { DataLoader } from './dataloader';
export type { DataLoaderOptions, LoaderIterator } from './dataloader';
export { getWorkerInfo } from './worker-info';
export type { WorkerInfo } from './worker-info';
export { fromModule, moduleFunction } from './module-ref';
export { ValueError, AssertionError } from './errors';
export { readIdxFile, parseIdx } from './idx';
