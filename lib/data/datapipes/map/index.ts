// torch.utils.data.datapipes.map: the map-style DataPipes, under Python's short names.
export {
  SequenceWrapperMapDataPipe as SequenceWrapper,
  MapperMapDataPipe as Mapper,
  BatcherMapDataPipe as Batcher,
  ConcaterMapDataPipe as Concater,
  ZipperMapDataPipe as Zipper,
  ShufflerIterDataPipe as Shuffler,
} from './pipes';
export type { MapBatcherOptions, MapShufflerOptions } from './pipes';
export { MapDataPipe } from '../datapipe';
