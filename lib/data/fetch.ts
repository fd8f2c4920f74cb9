// _MapDatasetFetcher / _IterableDatasetFetcher: turn one index (or batch of indices) from the
// sampler into data, on the main thread (numWorkers 0) or inside a worker thread.
import type { Dataset, IterableDataset } from './dataset';
import { iterateDataset, TensorDataset } from './dataset';
import { defaultCollate } from './collate';
import { TorchError } from '../errors';

/** Thrown by an iterable fetcher when its stream is exhausted (Python's StopIteration). */
export class StopFetching extends Error {}

export type Collate = (data: any) => unknown;

/** True for map-style datasets (getItem) and plain arrays (Python's sequences), false for streams;
 *  duck-typed, so datasets built from another copy of the library (a worker's module) are recognised too. */
export function isMapStyle(ds: unknown): ds is Dataset<unknown> | readonly unknown[] {
  return Array.isArray(ds) || typeof (ds as Dataset<unknown>)?.getItem === 'function';
}

/** A plain array read as a map-style dataset (Python indexes a list dataset as dataset[i]). */
function asDataset(ds: Dataset<unknown> | readonly unknown[]): Pick<Dataset<unknown>, 'getItem'> {
  if (!Array.isArray(ds)) return ds as Dataset<unknown>;
  return { getItem: (i: number) => ds[i < 0 ? i + ds.length : i] };
}

export interface Fetcher {
  fetch(index: any): unknown;
}

function isPromise(x: unknown): x is Promise<unknown> {
  return typeof (x as Promise<unknown>)?.then === 'function';
}

export class MapFetcher implements Fetcher {
  private readonly dataset: Pick<Dataset<unknown>, 'getItem'>;
  constructor(
    dataset: Dataset<unknown> | readonly unknown[],
    private readonly autoCollation: boolean,
    private readonly collate: Collate,
  ) {
    this.dataset = asDataset(dataset);
  }
  /** Sync when every getItem is sync; a Promise as soon as one returns a Promise. */
  fetch(index: number | number[]): unknown {
    if (!this.autoCollation) {
      const item = this.dataset.getItem(index as number);
      return isPromise(item) ? item.then(this.collate) : this.collate(item);
    }
    const ds = this.dataset as TensorDataset;
    // A plain TensorDataset batched by defaultCollate: gather each tensor's rows at once.
    if (this.collate === defaultCollate && ds.getItem === TensorDataset.prototype.getItem && ds._collateBatch) {
      return ds._collateBatch(index as number[]);
    }
    const items = (index as number[]).map((i) => this.dataset.getItem(i));
    return items.some(isPromise) ? Promise.all(items).then(this.collate) : this.collate(items);
  }
}

export class IterableFetcher implements Fetcher {
  private readonly it: Iterator<unknown> | AsyncIterator<unknown>;
  private ended = false;
  constructor(
    dataset: IterableDataset<unknown>,
    private readonly autoCollation: boolean,
    private readonly collate: Collate,
    private readonly dropLast: boolean,
    preferSync = false,
  ) {
    const syncIt = dataset[Symbol.iterator];
    this.it = preferSync && typeof syncIt === 'function' ? syncIt.call(dataset) : iterateDataset(dataset);
  }
  /**
   * The batching rule, shared by fetch and fetchSync: asks for items by yielding and receives each
   * iterator result back; returns the collated batch, or throws StopFetching.
   * index: the batch's placeholder indices (its length is the batch size), or null without batching.
   */
  private *assemble(index: unknown): Generator<void, unknown, IteratorResult<unknown>> {
    const batchSize = Array.isArray(index) ? index.length : 1;
    if (this.ended) throw new StopFetching();
    if (!this.autoCollation) {
      const r = yield;
      if (r.done) throw new StopFetching();
      return this.collate(r.value);
    }
    const data: unknown[] = [];
    while (data.length < batchSize) {
      const r = yield;
      if (r.done) {
        this.ended = true;
        break;
      }
      data.push(r.value);
    }
    if (data.length === 0 || (this.dropLast && data.length < batchSize)) throw new StopFetching();
    return this.collate(data);
  }
  async fetch(index: unknown): Promise<unknown> {
    const steps = this.assemble(index);
    for (let s = steps.next(); ; s = steps.next(await this.it.next())) if (s.done) return s.value;
  }
  /** The sync form, for `for (const b of loader)` over a dataset with [Symbol.iterator]. */
  fetchSync(index: unknown): unknown {
    const it = this.it as Iterator<unknown>;
    const steps = this.assemble(index);
    for (let s = steps.next(); ; ) {
      if (s.done) return s.value;
      const r = it.next();
      if (isPromise(r)) throw new TorchError('this IterableDataset is async: iterate the DataLoader with for await');
      s = steps.next(r);
    }
  }
}
