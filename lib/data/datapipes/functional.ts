// The types of the functional forms that the built-in pipes register on IterDataPipe and MapDataPipe
// (registration happens when each pipe's module loads: index.ts loads them all).
import type { DataChunk, IterDataPipe as IterPipe, MapDataPipe as MapPipe } from './datapipe';
import type { Column, MapperOptions, CollatorOptions } from './iter/callable';
import type { FilterOptions } from './iter/selecting';
import type { ShufflerOptions, ShufflerIterDataPipe } from './iter/combinatorics';
import type { DemuxOptions } from './iter/combining';
import type { BatcherOptions, GrouperOptions, ShardingFilterIterDataPipe } from './iter/grouping';
import type { FileListerOptions, FileOpenerOptions } from './iter/files';
import type { FileStream } from './iter/file-stream';
import type { MapBatcherOptions, MapShufflerOptions, ShufflerIterDataPipe as MapShuffler } from './map/pipes';

type Elem<P> = P extends IterPipe<infer E> ? E : never;

declare module './datapipe' {
  interface IterDataPipe<T> {
    map<R>(fn: (x: T) => R, inputCol?: Column | Column[] | null, outputCol?: Column | Column[] | null): IterPipe<R>;
    map<R>(fn: (...args: any[]) => R, inputCol: Column | Column[], outputCol?: Column | Column[] | null): IterPipe<any>;
    map<R>(fn: (...args: any[]) => R, options: MapperOptions): IterPipe<any>;
    filter(filterFn: (x: T) => boolean, dropEmptyBatches?: boolean | null, inputCol?: Column | Column[] | null): IterPipe<T>;
    filter(filterFn: (...args: any[]) => boolean, dropEmptyBatches: boolean | null | undefined, inputCol: Column | Column[]): IterPipe<T>;
    filter(filterFn: (...args: any[]) => boolean, options: FilterOptions): IterPipe<T>;
    batch(batchSize: number, dropLast?: boolean, wrapperClass?: new (items: T[]) => unknown): IterPipe<DataChunk<T>>;
    batch(batchSize: number, options: BatcherOptions<T>): IterPipe<DataChunk<T>>;
    unbatch<R = unknown>(unbatchLevel?: number): IterPipe<R>;
    collate<R = unknown>(conversion?: ((batch: T) => R) | null, collateFn?: ((batch: T) => R) | null): IterPipe<R>;
    collate<R = unknown>(options: CollatorOptions): IterPipe<R>;
    shuffle(options?: ShufflerOptions): ShufflerIterDataPipe<T>;
    shardingFilter(): ShardingFilterIterDataPipe<T>;
    groupby<K>(groupKeyFn: (x: T) => K, options?: GrouperOptions): IterPipe<DataChunk<T>>;
    concat(...datapipes: IterPipe<T>[]): IterPipe<T>;
    mux(...datapipes: IterPipe<T>[]): IterPipe<T>;
    zip<P extends IterPipe<any>[]>(...datapipes: P): IterPipe<[T, ...{ [K in keyof P]: Elem<P[K]> }]>;
    fork(numInstances: 1, bufferSize?: number): IterPipe<T>;
    fork(numInstances: number, bufferSize?: number): IterPipe<T>[];
    demux(numInstances: number, classifierFn: (x: T) => number | null, dropNone?: boolean | DemuxOptions, bufferSize?: number): IterPipe<T>[];
    listFiles(masks?: string | string[], options?: FileListerOptions): IterPipe<string>;
    openFiles(mode?: string, encoding?: BufferEncoding | null, length?: number): IterPipe<[string, FileStream]>;
    openFiles(options: FileOpenerOptions): IterPipe<[string, FileStream]>;
    readFromStream(chunk?: number | null): IterPipe<[string, Buffer | string]>;
  }
  interface MapDataPipe<T> {
    map<R>(fn?: (x: T) => R): MapPipe<R>;
    batch(batchSize: number, dropLast?: boolean, wrapperClass?: new (items: T[]) => unknown): MapPipe<DataChunk<T>>;
    batch(batchSize: number, options: MapBatcherOptions<T>): MapPipe<DataChunk<T>>;
    concat(...datapipes: MapPipe<T>[]): MapPipe<T>;
    zip<P extends MapPipe<any>[]>(...datapipes: P): MapPipe<[T, ...{ [K in keyof P]: P[K] extends MapPipe<infer E> ? E : never }]>;
    shuffle(options?: MapShufflerOptions): MapShuffler<T>;
  }
}
