// ShardingFilter (dp.shardingFilter), Batcher (dp.batch), UnBatcher (dp.unbatch), Grouper (dp.groupby).
import { IterDataPipe, DataChunk, functionalDatapipe, isSized, noValidLength } from '../datapipe';
import { AssertionError, IndexError, TorchError, ValueError } from '../../../errors';
import { withArgs, pyStrRepr, checkCallable } from '../common';
import { pyValueRepr } from '../hook';
import { BatcherOptions, BatchWrapper, batchedLength, batcherSettings } from '../batch-settings';

/** Keeps every numOfInstances-th element from instanceId: each DataLoader worker gets its shard. */
export class ShardingFilterIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['source_datapipe'];
  readonly sourceDatapipe: IterDataPipe<T>;
  numOfInstances = 1;
  instanceId = 0;
  constructor(sourceDatapipe: IterDataPipe<T>) {
    super();
    this.sourceDatapipe = sourceDatapipe;
  }
  isShardable(): boolean {
    return true;
  }
  applySharding(numOfInstances: number, instanceId: number): void {
    this.numOfInstances = numOfInstances;
    this.instanceId = instanceId;
  }
  *[Symbol.iterator](): Iterator<T> {
    let i = 0;
    for (const item of this.sourceDatapipe) {
      if (i++ % this.numOfInstances === this.instanceId) yield item;
    }
  }
  len(): number {
    if (!isSized(this.sourceDatapipe)) throw noValidLength(this);
    const n = this.sourceDatapipe.len();
    return Math.floor(n / this.numOfInstances) + (this.instanceId < n % this.numOfInstances ? 1 : 0);
  }
}
functionalDatapipe('shardingFilter')(ShardingFilterIterDataPipe);

export type { BatcherOptions } from '../batch-settings';

/** Lists (DataChunks) of batchSize consecutive elements; the last one shorter unless dropLast. */
export class BatcherIterDataPipe<T = unknown> extends IterDataPipe<DataChunk<T>> {
  static readonly _params = ['datapipe', 'batch_size', 'drop_last', 'wrapper_class'];
  readonly datapipe: IterDataPipe<T>;
  readonly batchSize: number;
  readonly dropLast: boolean;
  /** @internal cached len() */
  _length: number | null = null;
  readonly wrapperClass: BatchWrapper<T>;
  constructor(datapipe: IterDataPipe<T>, batchSize: number, dropLast?: boolean, wrapperClass?: BatchWrapper<T>);
  constructor(datapipe: IterDataPipe<T>, batchSize: number, options: BatcherOptions<T>);
  constructor(datapipe: IterDataPipe<T>, batchSize: number, ...rest: unknown[]) {
    const { dropLast, wrapperClass } = batcherSettings<T>(batchSize, rest);
    super();
    this.datapipe = datapipe;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.wrapperClass = wrapperClass;
  }
  *[Symbol.iterator](): Iterator<DataChunk<T>> {
    let batch: T[] = [];
    for (const x of this.datapipe) {
      batch.push(x);
      if (batch.length === this.batchSize) {
        yield new this.wrapperClass(batch) as DataChunk<T>;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield new this.wrapperClass(batch) as DataChunk<T>;
  }
  len(): number {
    return batchedLength(this);
  }
}
functionalDatapipe('batch')(BatcherIterDataPipe);

/** The items of batched elements, unbatchLevel levels deep (-1: all the way down). */
export class UnBatcherIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['datapipe', 'unbatch_level'];
  readonly datapipe: IterDataPipe<unknown>;
  readonly unbatchLevel: number;
  constructor(datapipe: IterDataPipe<unknown>, unbatchLevel = 1) {
    super();
    this.datapipe = datapipe;
    this.unbatchLevel = unbatchLevel;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (const element of this.datapipe) yield* this.dive(element, this.unbatchLevel);
  }
  private *dive(element: unknown, level: number): Generator<T> {
    if (level < -1) throw new ValueError('unbatch_level must be -1 or >= 0');
    if (level === -1) {
      if (Array.isArray(element)) for (const item of element) yield* this.dive(item, -1);
      else yield element as T;
    } else if (level === 0) {
      yield element as T;
    } else if (Array.isArray(element)) {
      for (const item of element) yield* this.dive(item, level - 1);
    } else {
      throw new IndexError(`unbatch_level ${this.unbatchLevel} exceeds the depth of the DataPipe`);
    }
  }
}
functionalDatapipe('unbatch')(UnBatcherIterDataPipe);

export interface GrouperOptions {
  bufferSize?: number;
  /** yield a group as soon as it has this many elements */
  groupSize?: number | null;
  /** a group evicted from a full buffer must have at least this many (else error, or dropped) */
  guaranteedGroupSize?: number | null;
  dropRemaining?: boolean;
}

/** Groups of elements with the same key (groupKeyFn), from a buffer of bufferSize elements. */
export class GrouperIterDataPipe<T = unknown, K = unknown> extends IterDataPipe<DataChunk<T>> {
  static readonly _params = ['datapipe', 'group_key_fn', 'buffer_size', 'group_size', 'guaranteed_group_size', 'drop_remaining'];
  readonly datapipe: IterDataPipe<T>;
  readonly groupKeyFn: (x: T) => K;
  readonly maxBufferSize: number;
  private bufferElements = new Map<K, T[]>();
  private currBufferSize = 0;
  readonly groupSize: number | null;
  readonly guaranteedGroupSize: number | null;
  readonly dropRemaining: boolean;
  readonly wrapperClass = DataChunk;
  constructor(datapipe: IterDataPipe<T>, groupKeyFn: (x: T) => K, options: GrouperOptions = {}) {
    super();
    const { bufferSize = 10000, groupSize = null, guaranteedGroupSize = null, dropRemaining = false } = options;
    checkCallable(groupKeyFn);
    this.datapipe = datapipe;
    this.groupKeyFn = groupKeyFn;
    this.maxBufferSize = bufferSize;
    this.groupSize = groupSize;
    let guaranteed: number | null = null;
    if (groupSize !== null && bufferSize !== null) {
      if (!(groupSize > 0 && groupSize <= bufferSize)) throw new AssertionError();
      guaranteed = groupSize;
    }
    if (guaranteedGroupSize !== null) {
      if (!(groupSize !== null && guaranteedGroupSize > 0 && guaranteedGroupSize <= groupSize)) throw new AssertionError();
      guaranteed = guaranteedGroupSize;
    }
    this.guaranteedGroupSize = guaranteed;
    this.dropRemaining = dropRemaining;
  }
  private removeBiggestKey(): T[] | null {
    let biggestKey: K | undefined;
    let biggestSize = 0;
    for (const [key, items] of this.bufferElements) {
      if (items.length > biggestSize) {
        biggestSize = items.length;
        biggestKey = key;
      }
    }
    const g = this.guaranteedGroupSize;
    if (g !== null && biggestSize < g && !this.dropRemaining) {
      throw withArgs(new TorchError(''), 'Failed to group items', pyStrRepr(pyValueRepr(this.bufferElements.get(biggestKey as K))));
    }
    const result = g === null || biggestSize >= g ? this.bufferElements.get(biggestKey as K)! : null;
    this.currBufferSize -= biggestSize;
    this.bufferElements.delete(biggestKey as K);
    return result;
  }
  *[Symbol.iterator](): Iterator<DataChunk<T>> {
    for (const x of this.datapipe) {
      const key = this.groupKeyFn(x);
      let group = this.bufferElements.get(key);
      if (!group) this.bufferElements.set(key, (group = []));
      group.push(x);
      this.currBufferSize++;
      if (this.groupSize !== null && this.groupSize === group.length) {
        yield new this.wrapperClass(group);
        this.currBufferSize -= group.length;
        this.bufferElements.delete(key);
      }
      if (this.currBufferSize === this.maxBufferSize) {
        const result = this.removeBiggestKey();
        if (result !== null) yield new this.wrapperClass(result);
      }
    }
    for (const key of [...this.bufferElements.keys()]) {
      const res = this.bufferElements.get(key)!;
      this.bufferElements.delete(key);
      this.currBufferSize -= res.length;
      yield new this.wrapperClass(res);
    }
  }
  reset(): void {
    this.currBufferSize = 0;
    this.bufferElements = new Map();
  }
}
functionalDatapipe('groupby')(GrouperIterDataPipe);
