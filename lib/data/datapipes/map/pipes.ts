// The map-style DataPipes of torch.utils.data.datapipes.map: SequenceWrapper, Mapper (dp.map),
// Batcher (dp.batch), Concater (dp.concat), Zipper (dp.zip) and Shuffler (dp.shuffle, an IterDataPipe).
import { MapDataPipe, IterDataPipe, DataChunk, functionalDatapipe, isSized, pyLen, isMapDataPipe } from '../datapipe';
import { IndexError, PyTypeError, ValueError, warn } from '../../../errors';
import { randomSeed } from '../../rng';
import { PythonRandom } from '../../../python-random';
import { checkCallable, deepCopy, isOneShot } from '../common';
import { BatcherOptions, BatchWrapper, batchedLength, batcherSettings } from '../batch-settings';

/** sequence[index] as Python indexes a list (negative from the end, IndexError past it) or a dict. */
function pyIndex(sequence: unknown, index: number | string): unknown {
  if (Array.isArray(sequence) || typeof sequence === 'string') {
    const i = typeof index === 'number' && index < 0 ? index + sequence.length : (index as number);
    if (!(Number.isInteger(i) && i >= 0 && i < sequence.length)) throw new IndexError(`${Array.isArray(sequence) ? 'list' : 'string'} index out of range`);
    return sequence[i];
  }
  if (sequence instanceof Map) {
    if (!sequence.has(index)) throw new IndexError(String(index));
    return sequence.get(index);
  }
  if (isMapDataPipe(sequence)) return sequence.getItem(index as number);
  return (sequence as Record<string, unknown>)[index];
}

/** A list (or a dict, or a Map) as a MapDataPipe. */
export class SequenceWrapperMapDataPipe<T = unknown> extends MapDataPipe<T> {
  static readonly _params = ['sequence', 'deepcopy'];
  readonly sequence: readonly T[] | Map<unknown, T> | Record<string, T>;
  constructor(sequence: readonly T[] | Map<unknown, T> | Record<string, T>, deepcopy = true) {
    super();
    if (deepcopy && !isOneShot(sequence)) this.sequence = deepCopy(sequence);
    else {
      if (deepcopy) warn('The input sequence can not be deepcopied, please be aware of in-place modification would affect source data');
      this.sequence = sequence;
    }
  }
  getItem(index: number | string): T {
    return pyIndex(this.sequence, index) as T;
  }
  len(): number {
    const s = this.sequence as unknown;
    if (Array.isArray(s)) return s.length;
    if (s instanceof Map) return s.size;
    return Object.keys(s as object).length;
  }
}

export class MapperMapDataPipe<T = unknown, R = unknown> extends MapDataPipe<R> {
  static readonly _params = ['datapipe', 'fn'];
  readonly datapipe: MapDataPipe<T>;
  readonly fn: (x: T) => R;
  constructor(datapipe: MapDataPipe<T>, fn: (x: T) => R = (x: T) => x as unknown as R) {
    super();
    this.datapipe = datapipe;
    checkCallable(fn);
    this.fn = fn;
  }
  len(): number {
    return pyLen(this.datapipe);
  }
  getItem(index: number): R {
    return this.fn(this.datapipe.getItem(index));
  }
}
functionalDatapipe('map')(MapperMapDataPipe);

/** dp.batch's options (the same as the iterable Batcher's). */
export type MapBatcherOptions<T> = BatcherOptions<T>;

/** Item i is the batch of items [i * batchSize, (i + 1) * batchSize) of the source. */
export class BatcherMapDataPipe<T = unknown> extends MapDataPipe<DataChunk<T>> {
  static readonly _params = ['datapipe', 'batch_size', 'drop_last', 'wrapper_class'];
  readonly datapipe: MapDataPipe<T>;
  readonly batchSize: number;
  readonly dropLast: boolean;
  /** @internal */
  _length: number | null = null;
  readonly wrapperClass: BatchWrapper<T>;
  constructor(datapipe: MapDataPipe<T>, batchSize: number, dropLast?: boolean, wrapperClass?: BatchWrapper<T>);
  constructor(datapipe: MapDataPipe<T>, batchSize: number, options: MapBatcherOptions<T>);
  constructor(datapipe: MapDataPipe<T>, batchSize: number, ...rest: unknown[]) {
    const { dropLast, wrapperClass } = batcherSettings<T>(batchSize, rest);
    super();
    this.datapipe = datapipe;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.wrapperClass = wrapperClass;
  }
  getItem(index: number): DataChunk<T> {
    const batch: T[] = [];
    try {
      for (let i = index * this.batchSize; i < (index + 1) * this.batchSize; i++) batch.push(this.datapipe.getItem(i));
      return new this.wrapperClass(batch) as DataChunk<T>;
    } catch (e) {
      if (!(e instanceof IndexError)) throw e;
      if (!this.dropLast && batch.length > 0) return new this.wrapperClass(batch) as DataChunk<T>;
      throw new IndexError(`Index ${index} is out of bound.`);
    }
  }
  len(): number {
    return batchedLength(this);
  }
  /** Python iterates a map-style pipe by index until IndexError. */
  *[Symbol.iterator](): Iterator<DataChunk<T>> {
    for (let i = 0; ; i++) {
      let item: DataChunk<T>;
      try {
        item = this.getItem(i);
      } catch (e) {
        if (e instanceof IndexError) return;
        throw e;
      }
      yield item;
    }
  }
}
functionalDatapipe('batch')(BatcherMapDataPipe);

function checkInputs(datapipes: unknown[]): void {
  if (datapipes.length === 0) throw new ValueError('Expected at least one DataPipe, but got nothing');
  if (!datapipes.every(isMapDataPipe)) throw new PyTypeError('Expected all inputs to be `MapDataPipe`');
  if (!datapipes.every(isSized)) throw new PyTypeError('Expected all inputs to be `Sized`');
}

/** The items of each pipe, one pipe after the other. */
export class ConcaterMapDataPipe<T = unknown> extends MapDataPipe<T> {
  static readonly _params = ['datapipes'];
  readonly datapipes: MapDataPipe<T>[];
  /** @internal */
  _length = -1;
  constructor(...datapipes: MapDataPipe<T>[]) {
    super();
    checkInputs(datapipes);
    this.datapipes = datapipes;
  }
  getItem(index: number): T {
    let offset = 0;
    for (const dp of this.datapipes) {
      if (index - offset < dp.len()) return dp.getItem(index - offset);
      offset += dp.len();
    }
    throw new IndexError(`Index ${index} is out of range.`);
  }
  len(): number {
    if (this._length === -1) this._length = this.datapipes.reduce((s, dp) => s + dp.len(), 0);
    return this._length;
  }
}
functionalDatapipe('concat')(ConcaterMapDataPipe);

/** Item i is the array of item i of each pipe; as long as the shortest. */
export class ZipperMapDataPipe<T extends unknown[] = unknown[]> extends MapDataPipe<T> {
  static readonly _params = ['datapipes'];
  readonly datapipes: MapDataPipe<unknown>[];
  /** @internal */
  _length = -1;
  constructor(...datapipes: MapDataPipe<unknown>[]) {
    super();
    checkInputs(datapipes);
    this.datapipes = datapipes;
  }
  getItem(index: number): T {
    const res: unknown[] = [];
    for (const dp of this.datapipes) {
      try {
        res.push(dp.getItem(index));
      } catch (e) {
        if (e instanceof IndexError) throw new IndexError(`Index ${index} is out of range for one of the input MapDataPipes ${dp}.`);
        throw e;
      }
    }
    return res as T;
  }
  len(): number {
    if (this._length === -1) this._length = Math.min(...this.datapipes.map((dp) => dp.len()));
    return this._length;
  }
}
functionalDatapipe('zip')(ZipperMapDataPipe);

export interface MapShufflerOptions {
  /** the keys to shuffle (all of 0 .. len - 1 by default) */
  indices?: unknown[] | null;
}

/** mapDp.shuffle(): the items in a random order (Python's random.Random.sample), as an IterDataPipe. */
export class ShufflerIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['datapipe', 'indices'];
  readonly datapipe: MapDataPipe<T>;
  readonly indices: unknown[];
  /** @internal */
  _enabled = true;
  /** @internal */
  _seed: number | bigint | null = null;
  /** @internal */
  readonly _rng = new PythonRandom();
  private shuffledIndices: unknown[];
  constructor(datapipe: MapDataPipe<T>, options: MapShufflerOptions = {}) {
    super();
    this.datapipe = datapipe;
    this.indices = options.indices ?? Array.from({ length: pyLen(datapipe) }, (_, i) => i);
    this.shuffledIndices = this.indices;
  }
  setShuffle(shuffle = true): this {
    this._enabled = shuffle;
    return this;
  }
  setSeed(seed: number | bigint): this {
    this._seed = seed;
    return this;
  }
  *[Symbol.iterator](): Iterator<T> {
    if (!this._enabled) {
      for (const idx of this.indices) yield this.datapipe.getItem(idx as number);
    } else {
      while (this.shuffledIndices.length > 0) yield this.datapipe.getItem(this.shuffledIndices.pop() as number);
    }
  }
  reset(): void {
    if (this._enabled && this._seed === null) this._seed = randomSeed();
    this._rng.seed(this._seed);
    this._seed = null;
    this.shuffledIndices = this._rng.sample(this.indices, this.indices.length);
  }
  len(): number {
    return pyLen(this.datapipe);
  }
}
MapDataPipe.registerDatapipeAsFunction('shuffle', ShufflerIterDataPipe);
