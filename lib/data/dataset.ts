// torch.utils.data.dataset: map-style and iterable datasets and their combinators.
import { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { int64 } from '../tensor/dtype';
import { Slice } from '../tensor/indexing';
import { aten } from '../tensor/aten';
import { TorchError } from '../errors';
import { PyTypeError } from './errors';
import { recordConstruction, registerLibraryExports } from './library-ref';

const indexSelect = aten('index_select', '');

/** A map-style dataset: len() items, getItem(i) for 0 <= i < len(), sync or async. */
export abstract class Dataset<T = unknown> {
  abstract getItem(index: number): T | Promise<T>;
  abstract len(): number;
  /** len(dataset), as tensors and loaders read it (`.length`). */
  get length(): number {
    return this.len();
  }
  /** `[...dataset]`, `for (const item of dataset)`: Python iterates a map-style dataset by index. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0, n = this.len(); i < n; i++) {
      const item = this.getItem(i);
      if (item instanceof Promise) throw new TorchError(`${this.constructor.name}.getItem is async: iterate it with for await`);
      yield item;
    }
  }
  /** `for await (const item of dataset)`, async getItem included. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let i = 0, n = this.len(); i < n; i++) yield await this.getItem(i);
  }
  /** Python's `a + b`. */
  add(other: Dataset<T>): ConcatDataset<T> {
    return new ConcatDataset<T>([this, other]);
  }
}

/** A stream of items: implement [Symbol.iterator] or [Symbol.asyncIterator]; len() is optional. */
export abstract class IterableDataset<T = unknown> {
  len?(): number;
  /** Python's `a + b`. */
  add(other: IterableDataset<T>): ChainDataset<T> {
    return new ChainDataset<T>([this, other]);
  }
}
export interface IterableDataset<T> {
  [Symbol.iterator]?(): Iterator<T>;
  [Symbol.asyncIterator]?(): AsyncIterator<T>;
}

/** Iterates an IterableDataset whichever protocol it implements. */
export function iterateDataset<T>(ds: IterableDataset<T>): Iterator<T> | AsyncIterator<T> {
  if (typeof ds[Symbol.asyncIterator] === 'function') return ds[Symbol.asyncIterator]!();
  if (typeof ds[Symbol.iterator] === 'function') return ds[Symbol.iterator]!();
  throw new TorchError(`${ds.constructor.name} implements neither [Symbol.iterator] nor [Symbol.asyncIterator]`);
}

/** An iterable-style dataset, this library's or another loaded copy's (duck-typed, like isTensor). */
function isIterableStyle(d: unknown): d is IterableDataset<unknown> {
  if (d instanceof IterableDataset) return true;
  const o = d as Record<symbol | string, unknown>;
  return typeof o?.getItem !== 'function' && (typeof o?.[Symbol.iterator] === 'function' || typeof o?.[Symbol.asyncIterator] === 'function');
}

/** Anything with a length, as Python's Sized. */
export interface Sized {
  len(): number;
}

/** Rows of tensors with the same first dimension: item i is [t1[i], t2[i], ...]. */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    if (!tensors.every((t) => t.size(0) === tensors[0].size(0))) throw new TorchError('Size mismatch between tensors');
    this.tensors = tensors;
    // DataLoader workers rebuild it over shared memory: the tensors are copied there once, not per worker.
    recordConstruction(this, new.target, tensors);
  }
  /** The index-th sample; a slice, index tensor or list gives those samples stacked (Python's ds[i:j]). */
  getItem(index: number | Slice | Tensor | number[]): Tensor[] {
    if (typeof index === 'number') return this.tensors.map((t) => t.select(0, index));
    const key = Array.isArray(index) ? tensor(index, { dtype: int64 }) : index;
    return this.tensors.map((t) => t.index(key));
  }
  len(): number {
    return this.tensors[0].size(0);
  }
  /** @internal defaultCollate(indices.map(getItem)) in one index_select per tensor: the same
   *  tensors, without a view and a stack input per sample (the loader's fast path). */
  _collateBatch(indices: number[]): Tensor[] {
    const idx = tensor(indices);
    return this.tensors.map((t) => indexSelect([t, 0, idx]) as Tensor);
  }
}

/** The items of `dataset` (or of an array, Python's list) at `indices`, in that order. */
export class Subset<T = unknown> extends Dataset<T> {
  constructor(
    readonly dataset: Dataset<T> | readonly T[],
    readonly indices: number[],
  ) {
    super();
  }
  getItem(index: number): T | Promise<T> {
    const at = this.indices[index < 0 ? index + this.indices.length : index];
    return Array.isArray(this.dataset) ? (this.dataset as readonly T[])[at] : (this.dataset as Dataset<T>).getItem(at);
  }
  len(): number {
    return this.indices.length;
  }
}

/** Several map-style datasets one after the other. */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  readonly datasets: Dataset<T>[];
  readonly cumulativeSizes: number[];
  constructor(datasets: Iterable<Dataset<T>>) {
    super();
    this.datasets = [...datasets];
    if (this.datasets.length === 0) throw new TorchError('datasets should not be an empty iterable');
    for (const d of this.datasets) {
      if (isIterableStyle(d)) throw new TorchError('ConcatDataset does not support IterableDataset');
    }
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += d.len()));
  }
  len(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }
  getItem(index: number): T | Promise<T> {
    if (index < 0) {
      if (-index > this.len()) throw new TorchError('absolute value of index should not exceed dataset length');
      index += this.len();
    }
    // bisect_right: the first dataset whose cumulative size exceeds the index
    let lo = 0;
    let hi = this.cumulativeSizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index < this.cumulativeSizes[mid]) hi = mid;
      else lo = mid + 1;
    }
    const sample = lo === 0 ? index : index - this.cumulativeSizes[lo - 1];
    return this.datasets[lo].getItem(sample);
  }
}

/** Several iterable datasets chained; the chaining happens lazily while iterating. */
export class ChainDataset<T = unknown> extends IterableDataset<T> {
  constructor(readonly datasets: Iterable<IterableDataset<T>>) {
    super();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const d of this.datasets) {
      if (!isIterableStyle(d)) throw new TorchError('ChainDataset only supports IterableDataset');
      const it = iterateDataset(d);
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    }
  }
  /** The sync form, when every chained dataset has [Symbol.iterator]. */
  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) {
      if (!isIterableStyle(d)) throw new TorchError('ChainDataset only supports IterableDataset');
      if (typeof d[Symbol.iterator] !== 'function') throw new TorchError(`${d.constructor.name} is async: iterate the chain with for await`);
      yield* { [Symbol.iterator]: () => d[Symbol.iterator]!() };
    }
  }
  len(): number {
    let total = 0;
    for (const d of this.datasets) {
      if (!isIterableStyle(d)) throw new TorchError('ChainDataset only supports IterableDataset');
      if (typeof d.len !== 'function') throw new PyTypeError(`object of type '${d.constructor.name}' has no len()`);
      total += d.len();
    }
    return total;
  }
}

// DataLoader worker threads rebuild these datasets by name (library-ref.ts).
registerLibraryExports(__filename, module.exports);
