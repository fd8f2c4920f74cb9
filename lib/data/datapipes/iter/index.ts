// torch.utils.data.datapipes.iter: the iterable-style DataPipes, under Python's short names.
export { IterableWrapperIterDataPipe as IterableWrapper } from './utils';
export { MapperIterDataPipe as Mapper, CollatorIterDataPipe as Collator } from './callable';
export type { Column, MapperOptions, CollatorOptions } from './callable';
export { FilterIterDataPipe as Filter } from './selecting';
export type { FilterOptions } from './selecting';
export { SamplerIterDataPipe as Sampler, ShufflerIterDataPipe as Shuffler } from './combinatorics';
export type { ShufflerOptions } from './combinatorics';
export {
  ConcaterIterDataPipe as Concater,
  ForkerIterDataPipe as Forker,
  DemultiplexerIterDataPipe as Demultiplexer,
  MultiplexerIterDataPipe as Multiplexer,
  ZipperIterDataPipe as Zipper,
} from './combining';
export type { DemuxOptions } from './combining';
export {
  ShardingFilterIterDataPipe as ShardingFilter,
  BatcherIterDataPipe as Batcher,
  UnBatcherIterDataPipe as UnBatcher,
  GrouperIterDataPipe as Grouper,
} from './grouping';
export type { BatcherOptions, GrouperOptions } from './grouping';
export { FileListerIterDataPipe as FileLister, FileOpenerIterDataPipe as FileOpener, StreamReaderIterDataPipe as StreamReader } from './files';
export type { FileListerOptions, FileOpenerOptions } from './files';
export { FileStream } from './file-stream';
export { IterDataPipe } from '../datapipe';
