// torch.utils.data.DataLoader: combines a dataset and a sampler, batches with a collate function,
// and iterates in this thread (numWorkers 0) or in worker threads (see worker-pool.ts).
import * as os from 'os';
import { Generator } from '../tensor/random';
import type { Dataset, IterableDataset } from './dataset';
import { ValueError, pyRepr, PyTypeError, AssertionError } from './errors';
import { defaultCollate, defaultConvert } from './collate';
import { Sampler, SamplerLike, SequentialSampler, RandomSampler, BatchSampler, lenOf } from './sampler';
import { isMapStyle, Collate } from './fetch';
import { SingleThreadIterator } from './single-thread';
import { WorkerPoolIterator } from './worker-pool';
import { randomSeed } from './rng';
import { Call, isOptions, keysOf, signature } from '../keywords';
import type { DatasetLike, BatchOf, LoaderDataset, LoaderBatch } from './loader-types';
import { TorchError, warn } from '../errors';
import { isIterDataPipe } from './datapipes/datapipe';
import { applyLoaderShuffle, datapipeLen, isDataPipe, seedDatapipe, shardDatapipe } from './datapipes/loader-support';

/** DataLoader's keyword arguments; null is Python's None (not given) wherever Python defaults to None. */
export interface DataLoaderOptions<B = any> {
  /** samples per batch; null turns automatic batching off (collate then defaults to defaultConvert) */
  batchSize?: number | null;
  shuffle?: boolean | null;
  sampler?: SamplerLike<number> | null;
  batchSampler?: SamplerLike<number[]> | null;
  numWorkers?: number;
  /** (its return type, when it has one, types the batches) */
  collateFn?: ((batch: any) => B) | Collate | null;
  /** pins batches when CUDA is available; a no-op otherwise, as in PyTorch */
  pinMemory?: boolean;
  dropLast?: boolean;
  /** seconds to wait for a batch from the workers (0: no limit) */
  timeout?: number;
  /** runs in each worker thread with its id: pass one made by data.moduleFunction(path, name) */
  workerInitFn?: ((workerId: number) => void) | null;
  /**
   * PyTorch's worker start method ('fork' | 'spawn' | 'forkserver'), checked as PyTorch checks it;
   * workers here are threads, started the same way whatever it says.
   */
  multiprocessingContext?: string | null;
  generator?: Generator | null;
  prefetchFactor?: number;
  persistentWorkers?: boolean;
  /** the device batches are pinned for ('' = CUDA when available, PyTorch's default) */
  pinMemoryDevice?: string;
}

/** Every parameter of Python's DataLoader by name, the dataset included. */
export interface DataLoaderArgs<D extends DatasetLike = DatasetLike, B = BatchOf<D>> extends DataLoaderOptions<B> {
  dataset: D;
}

const KEYWORD_ONLY = ['prefetchFactor', 'persistentWorkers', 'pinMemoryDevice'] as const;
/**
 * DataLoader(dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
 * collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
 * multiprocessing_context=None, generator=None, *, prefetch_factor=2, persistent_workers=False,
 * pin_memory_device='')
 */
const DATA_LOADER = signature<DataLoaderArgs>()(
  ['dataset'],
  ['batchSize', 'shuffle', 'sampler', 'batchSampler', 'numWorkers', 'collateFn', 'pinMemory', 'dropLast', 'timeout',
    'workerInitFn', 'multiprocessingContext', 'generator'],
  KEYWORD_ONLY,
);
keysOf<DataLoaderArgs>()(...DATA_LOADER.required, ...DATA_LOADER.positional, ...KEYWORD_ONLY);

/** multiprocessing.get_all_start_methods() on Linux */
const START_METHODS = ['fork', 'spawn', 'forkserver'];

/** Python's _InfiniteConstantSampler: an IterableDataset's loader yields null "indices" forever. */
class InfiniteConstantSampler extends Sampler<number> {
  *[Symbol.iterator](): Iterator<number> {
    for (;;) yield null as unknown as number;
  }
}

/** A dataset written as an object literal: a plain object with getItem or an iterator. */
function isPlainDataset(v: unknown): boolean {
  if (!isOptions(v)) return false;
  const o = v as Record<string | symbol, unknown>;
  return typeof o.getItem === 'function' || typeof o[Symbol.asyncIterator] === 'function' || typeof o[Symbol.iterator] === 'function';
}

export interface LoaderIterator<B> extends AsyncIterableIterator<B> {
  /** ends the epoch early: workers stop (unless persistent) */
  return(): Promise<IteratorResult<B>>;
}

export class DataLoader<D = any, B = LoaderBatch<D>> implements AsyncIterable<B>, Iterable<B> {
  readonly dataset: LoaderDataset<D>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly sampler: SamplerLike<number>;
  readonly batchSampler: SamplerLike<number[]> | null;
  readonly numWorkers: number;
  readonly collateFn: Collate;
  readonly pinMemory: boolean;
  readonly timeout: number;
  readonly workerInitFn?: (workerId: number) => void;
  readonly prefetchFactor: number;
  readonly persistentWorkers: boolean;
  readonly generator?: Generator;
  readonly multiprocessingContext: string | null;
  readonly pinMemoryDevice: string;
  /** @internal 'map' or 'iterable' */
  readonly _kind: 'map' | 'iterable';
  private persistent: WorkerPoolIterator<B> | null = null;
  /** @internal DataLoader's shuffle option over an IterDataPipe, replayed on the workers' copies */
  readonly _datapipeShuffle: boolean | null = null;
  /** @internal len(dataset) when loader.length was read, for an IterableDataset (PyTorch's check) */
  _iterableLenCalled: number | undefined = undefined;

  /**
   * Python's positional and keyword forms: `new DataLoader(ds, { batchSize: 64, shuffle: true })`,
   * `new DataLoader(ds, 64, true)`, `new DataLoader({ dataset: ds, batchSize: 64 })`.
   */
  constructor(...args: Call<DataLoaderArgs<D & DatasetLike, B>, ['dataset'], typeof DATA_LOADER.positional>);
  /** `DataLoader<Batch>`: the first type argument names the batch, not the dataset. */
  constructor(...args: Call<DataLoaderArgs<DatasetLike, B>, ['dataset'], typeof DATA_LOADER.positional>);
  constructor(...args: unknown[]) {
    // A lone plain-object dataset ({ getItem, len }) is the dataset, not the options object.
    if (args.length === 1 && isPlainDataset(args[0])) args = [args[0], {}];
    const options = DATA_LOADER.bind('DataLoader', args) as DataLoaderArgs<LoaderDataset<D> & DatasetLike, B>;
    const dataset = options.dataset;
    const numWorkers = options.numWorkers ?? 0;
    const timeout = options.timeout ?? 0;
    const prefetchFactor = options.prefetchFactor ?? 2;
    const persistentWorkers = options.persistentWorkers ?? false;
    let batchSize = options.batchSize === undefined ? 1 : options.batchSize;
    let dropLast = options.dropLast ?? false;
    // null is Python's None: not given
    let sampler = options.sampler ?? undefined;
    let batchSampler = options.batchSampler ?? undefined;
    let shuffle = options.shuffle ?? undefined;
    const generator = options.generator ?? undefined;
    if (numWorkers < 0) throw new ValueError('num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.');
    if (timeout < 0) throw new ValueError('timeout option should be non-negative');
    if (numWorkers === 0 && prefetchFactor !== 2) {
      throw new ValueError('prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing.');
    }
    if (!(prefetchFactor > 0)) throw new AssertionError('prefetch_factor > 0');
    if (persistentWorkers && numWorkers === 0) throw new ValueError('persistent_workers option needs num_workers > 0');
    const context = options.multiprocessingContext ?? null;
    if (context !== null) {
      if (numWorkers === 0) {
        throw new ValueError(`multiprocessing_context can only be used with multi-process loading (num_workers > 0), but got num_workers=${numWorkers}`);
      }
      if (typeof context !== 'string') {
        throw new PyTypeError(`multiprocessing_context option should be a valid context object or a string specifying the start method, but got multiprocessing_context=${pyRepr(context)}`);
      }
      if (!START_METHODS.includes(context)) {
        throw new ValueError(`multiprocessing_context option should specify a valid start method in ['fork', 'spawn', 'forkserver'], but got multiprocessing_context=${pyRepr(context)}`);
      }
    }

    this._kind = isMapStyle(dataset) ? 'map' : 'iterable';
    if (this._kind === 'iterable') {
      if (isIterDataPipe(dataset)) {
        // a DataPipe takes shuffle: its shufflers are switched on or off
        applyLoaderShuffle(dataset, shuffle);
        this._datapipeShuffle = shuffle ?? null;
        shuffle = undefined;
      } else if (shuffle !== undefined && shuffle !== false) {
        throw new ValueError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${pyRepr(shuffle)}`);
      }
      if (sampler !== undefined) {
        throw new ValueError(`DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=${pyRepr(sampler)}`);
      } else if (batchSampler !== undefined) {
        throw new ValueError(`DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=${pyRepr(batchSampler)}`);
      }
    } else {
      shuffle = Boolean(shuffle);
    }
    if (sampler !== undefined && shuffle) throw new ValueError('sampler option is mutually exclusive with shuffle');
    if (batchSampler !== undefined) {
      if (batchSize !== 1 || shuffle || sampler !== undefined || dropLast) {
        throw new ValueError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
      }
      batchSize = null;
      dropLast = false;
    } else if (batchSize === null && dropLast) {
      throw new ValueError('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    if (sampler === undefined) {
      if (this._kind === 'iterable') sampler = new InfiniteConstantSampler();
      else if (shuffle) sampler = new RandomSampler(dataset as Dataset<unknown>, { generator });
      else sampler = new SequentialSampler(dataset as Dataset<unknown>);
    }
    if (batchSize !== null && batchSampler === undefined) batchSampler = new BatchSampler(sampler, batchSize, dropLast);

    this.dataset = dataset;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.sampler = sampler;
    this.batchSampler = batchSampler ?? null;
    this.numWorkers = numWorkers;
    this.collateFn = (options.collateFn as Collate | null | undefined) ?? (this.batchSampler !== null ? defaultCollate : defaultConvert);
    this.pinMemory = options.pinMemory ?? false;
    this.timeout = timeout;
    this.workerInitFn = options.workerInitFn ?? undefined;
    this.prefetchFactor = prefetchFactor;
    this.persistentWorkers = persistentWorkers;
    this.generator = generator;
    this.multiprocessingContext = context;
    this.pinMemoryDevice = options.pinMemoryDevice ?? '';
    this.checkWorkerNumberRationality();
    // As PyTorch's __setattr__: these define the iteration and cannot change afterwards.
    for (const key of ['batchSize', 'batchSampler', 'sampler', 'dropLast', 'dataset', 'persistentWorkers'] as const) {
      const value = this[key];
      Object.defineProperty(this, key, {
        enumerable: true,
        get: () => value,
        set: () => {
          throw new ValueError(`${key} attribute should not be set after DataLoader is initialized`);
        },
      });
    }
  }

  /** @internal batching happens in the loader (batchSampler present) */
  get _autoCollation(): boolean {
    return this.batchSampler !== null;
  }
  /** @internal what the iterator draws indices from */
  get _indexSampler(): SamplerLike<number> | SamplerLike<number[]> {
    return this.batchSampler ?? this.sampler;
  }

  /** len(loader): batches per epoch (for an IterableDataset, from its len()). */
  get length(): number {
    if (this._kind === 'iterable') {
      const n = (this._iterableLenCalled = isDataPipe(this.dataset) ? datapipeLen(this.dataset, () => lenOf(this.dataset)) : lenOf(this.dataset));
      if (this.batchSize === null) return n;
      return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    }
    if (isDataPipe(this.dataset)) return datapipeLen(this.dataset, () => lenOf(this._indexSampler));
    return lenOf(this._indexSampler);
  }
  len(): number {
    return this.length;
  }

  /** @internal PyTorch's warning when an IterableDataset yields more than the length it reported
   *  (it compares batches yielded with samples reported, as PyTorch does). */
  _checkYielded(numYielded: number): void {
    const reported = this._iterableLenCalled;
    if (this._kind !== 'iterable' || reported === undefined || numYielded <= reported) return;
    let msg = `Length of IterableDataset ${this.dataset.constructor.name} was reported to be ${reported} (when accessing len(dataloader)), but ${numYielded} samples have been fetched. `;
    if (this.numWorkers > 0) {
      msg += 'For multiprocessing data-loading, this could be caused by not properly configuring the IterableDataset replica at each worker. Please see https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.';
    }
    warn(msg);
  }

  /** One epoch, in this thread, synchronously: numWorkers 0 and a dataset whose getItem is sync. */
  [Symbol.iterator](): Iterator<B> {
    if (this.numWorkers > 0) throw new TorchError('a DataLoader with numWorkers > 0 is asynchronous: iterate it with for await');
    return new SingleThreadIterator<B>(this as DataLoader<any, B>, this.startSingleThreadEpoch(), true).sync();
  }

  /** @internal An IterDataPipe's epoch seed (drawn before the base seed, as PyTorch draws them). */
  _sharedSeed(): bigint | null {
    return isIterDataPipe(this.dataset) ? randomSeed(this.generator) : null;
  }

  /** Seeds and shards a DataPipe for this thread; returns the epoch's base seed. */
  private startSingleThreadEpoch(): bigint {
    seedDatapipe(this.dataset, this._sharedSeed());
    const baseSeed = randomSeed(this.generator);
    shardDatapipe(this.dataset, 1, 0);
    return baseSeed;
  }

  /** The seeds of an epoch on workers: [shared seed (DataPipes), base seed]. */
  private workerEpochSeeds(): [bigint | null, bigint] {
    const shared = this._sharedSeed();
    seedDatapipe(this.dataset, shared);
    const baseSeed = randomSeed(this.generator);
    // PyTorch's worker iterator then runs its _reset(first_iter=True), which draws another shared
    // seed for the main thread's copy only (the workers already have theirs): drawn here too.
    seedDatapipe(this.dataset, this._sharedSeed());
    return [shared, baseSeed];
  }

  /** One epoch: `for await (const batch of loader)`. */
  [Symbol.asyncIterator](): LoaderIterator<B> {
    // Like PyTorch's _BaseDataLoaderIter, each epoch draws a base seed first (keeps RNG streams aligned).
    if (this.numWorkers === 0) return new SingleThreadIterator<B>(this as DataLoader<any, B>, this.startSingleThreadEpoch());
    if (!this.persistentWorkers) return new WorkerPoolIterator<B>(this as DataLoader<any, B>, ...this.workerEpochSeeds());
    if (this.persistent === null) this.persistent = new WorkerPoolIterator<B>(this as DataLoader<any, B>, ...this.workerEpochSeeds());
    else {
      // persistent workers keep their base seed; a DataPipe gets a new shared seed each epoch
      const shared = this._sharedSeed();
      seedDatapipe(this.dataset, shared);
      this.persistent.reset(shared);
    }
    return this.persistent;
  }

  /** Ends persistent workers now (they also end when the process exits). */
  async shutdown(): Promise<void> {
    await this.persistent?.shutdown();
    this.persistent = null;
  }

  private checkWorkerNumberRationality(): void {
    const suggested = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    if (this.numWorkers > suggested) {
      warn(
        `This DataLoader will create ${this.numWorkers} worker threads in total. Our suggested max number of worker in current system is ${suggested}, which is smaller than what this DataLoader is going to create. Please be aware that excessive worker creation might get DataLoader running slow or even freeze, lower the worker number to avoid potential slowness/freeze if necessary.`,
      );
    }
  }
}
