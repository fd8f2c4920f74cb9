// torch-node/data (also torch.utils.data): datasets, samplers, collation and the DataLoader.
export { Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset } from './dataset';
export type { Sized } from './dataset';
export { randomSplit } from './random-split';
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from './sampler';
export type { SamplerLike, SizedLike, RandomSamplerOptions, WeightedRandomSamplerOptions } from './sampler';
export { DistributedSampler } from './distributed';
// Python's module paths: torch.utils.data.sampler.*, torch.utils.data.distributed.DistributedSampler
export * as sampler from './modules/sampler';
export * as distributed from './modules/distributed';
export type { DistributedSamplerOptions } from './distributed';
export { defaultCollate, defaultConvert } from './collate';
export { DataLoader } from './dataloader';
export type { DataLoaderOptions, DataLoaderArgs, LoaderIterator } from './dataloader';
export type { DatasetLike, ItemOf, Collated, BatchOf } from './loader-types';
export { getWorkerInfo } from './worker-info';
export type { WorkerInfo } from './worker-info';
export { fromModule, moduleFunction } from './module-ref';
export { ValueError, AssertionError } from './errors';
export { readIdxFile, parseIdx } from './idx';
// torch.utils.data.datapipes, and IterDataPipe / MapDataPipe / graph / graph_settings as torch.utils.data has them
export * as datapipes from './datapipes';
export { IterDataPipe, MapDataPipe, DataChunk, functionalDatapipe } from './datapipes';
export * as graph from './datapipes/graph';
export * as graphSettings from './datapipes/graph-settings';
export { StackDataset } from './stack-dataset';
