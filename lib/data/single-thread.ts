// _SingleProcessDataLoaderIter: fetches each batch in this thread when it is asked for.
import type { DataLoader, LoaderIterator } from './dataloader';
import type { Dataset, IterableDataset } from './dataset';
import { MapFetcher, IterableFetcher, StopFetching } from './fetch';
import { pinMemory, pinTarget } from './pin-memory';
import { AssertionError } from './errors';
import { TorchError } from '../errors';

export class SingleThreadIterator<B> implements LoaderIterator<B> {
  private readonly indices: Iterator<number | number[]>;
  private readonly fetcher: MapFetcher | IterableFetcher;
  /** null: batches are left as they are; else the device pinned for ('' = CUDA) */
  private readonly pin: string | null;
  private done = false;
  private numYielded = 0;

  constructor(
    private readonly loader: DataLoader<any, B>,
    /** drawn per epoch like PyTorch's _base_seed; workers get baseSeed + id */
    readonly baseSeed: bigint,
    sync = false,
  ) {
    // PyTorch's _SingleProcessDataLoaderIter asserts this: a timeout only applies to workers.
    if (loader.timeout !== 0) throw new AssertionError('timeout applies to worker threads only: use timeout 0 with numWorkers 0');
    this.indices = (loader._indexSampler as Iterable<number | number[]>)[Symbol.iterator]();
    this.fetcher =
      loader._kind === 'map'
        ? new MapFetcher(loader.dataset as Dataset<unknown>, loader._autoCollation, loader.collateFn)
        : new IterableFetcher(loader.dataset as IterableDataset<unknown>, loader._autoCollation, loader.collateFn, loader.dropLast, sync);
    this.pin = pinTarget(loader);
  }

  private yielded(data: unknown): IteratorResult<B> {
    this.loader._checkYielded(++this.numYielded);
    return { done: false, value: (this.pin !== null ? pinMemory(data, this.pin) : data) as B };
  }

  private nextIndex(): number | number[] | undefined {
    if (this.done) return undefined;
    const r = this.indices.next();
    if (r.done) this.done = true;
    return r.done ? undefined : r.value;
  }

  async next(): Promise<IteratorResult<B>> {
    const index = this.nextIndex();
    if (index === undefined) return { done: true, value: undefined };
    try {
      const data = await this.fetcher.fetch(index as number[]);
      return this.yielded(data);
    } catch (e) {
      if (e instanceof StopFetching) {
        this.done = true;
        return { done: true, value: undefined };
      }
      throw e;
    }
  }

  async return(): Promise<IteratorResult<B>> {
    this.done = true;
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The same epoch as a sync iterator (for...of); a Promise from the dataset is an error. */
  sync(): Iterator<B> {
    const next = (): IteratorResult<B> => {
      const index = this.nextIndex();
      if (index === undefined) return { done: true, value: undefined };
      let data: unknown;
      try {
        data = this.fetcher instanceof MapFetcher ? this.fetcher.fetch(index) : this.fetcher.fetchSync(index);
      } catch (e) {
        if (e instanceof StopFetching) {
          this.done = true;
          return { done: true, value: undefined };
        }
        throw e;
      }
      if (typeof (data as Promise<unknown>)?.then === 'function') {
        throw new TorchError('the dataset returned a Promise (async getItem): iterate the DataLoader with for await');
      }
      return this.yielded(data);
    };
    return { next, return: () => ((this.done = true), { done: true, value: undefined }) };
  }
}
