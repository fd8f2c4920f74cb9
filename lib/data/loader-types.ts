// The types a DataLoader is generic over: what it accepts as a dataset (Python takes any sequence
// too, so a plain array is one), the item a dataset yields, and the batch defaultCollate makes of
// those items, so that `new DataLoader(ds)` types `loader.dataset` and its batches from `ds` alone.
import type { Tensor } from '../tensor/tensor';
import type { Dataset, IterableDataset } from './dataset';

/** A map-style dataset, an iterable-style one, or a plain array (a Python sequence). */
export type DatasetLike = Dataset<any> | IterableDataset<any> | readonly any[];

/** The item type of a dataset (unknown where it cannot be told). */
export type ItemOf<D> = D extends readonly (infer T)[]
  ? T
  : D extends Dataset<infer T>
    ? T
    : D extends IterableDataset<infer T>
      ? T
      : unknown;

/**
 * What defaultCollate makes of a list of items of type T (collate.ts): tensors and numbers stack
 * into a tensor, strings stay a list, arrays and objects collate per position or key. Unknown
 * items give `any`, so loaders over untyped datasets keep untyped batches.
 */
export type Collated<T> = unknown extends T
  ? any
  : T extends Tensor | number | boolean | bigint | ArrayBufferView
    ? Tensor
    : T extends string
      ? string[]
      : T extends Map<infer K, infer V>
        ? Map<K, Collated<V>>
        : T extends readonly unknown[]
          ? { -readonly [I in keyof T]: Collated<T[I]> }
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : any;

/** The batch of a loader over D with defaultCollate (automatic batching on). */
export type BatchOf<D> = Collated<ItemOf<D>>;

/** A tuple type (fixed length), which a dataset array never is unless written `as const`. */
type IsTuple<T extends readonly unknown[]> = number extends T['length'] ? false : true;

/**
 * DataLoader<D>'s first type argument is its dataset's type (inferred from `new DataLoader(ds)`);
 * a type that is no dataset (a tensor, a tuple) is the batch type, the form `DataLoader<Batch>`
 * that code written before the dataset parameter still uses.
 */
export type LoaderDataset<D> = D extends Dataset<any> | IterableDataset<any>
  ? D
  : D extends readonly unknown[]
    ? IsTuple<D> extends true ? DatasetLike : D
    : DatasetLike;

/** The batch type of DataLoader<D> (see LoaderDataset): from the dataset's items, or D itself. */
export type LoaderBatch<D> = D extends Dataset<any> | IterableDataset<any>
  ? BatchOf<D>
  : D extends readonly unknown[]
    ? IsTuple<D> extends true ? D : BatchOf<D>
    : unknown extends D ? any : D;
