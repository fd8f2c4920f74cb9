// What the two Batchers (dp.batch of an IterDataPipe and of a MapDataPipe) share: their optional
// arguments and their length. Python keeps them as separate classes over different bases, and so
// does this library; only these pieces are common.
import { AssertionError } from '../../errors';
import { parse } from '../../keywords';
import { DataChunk, isSized, noValidLength } from './datapipe';

/** What each batch is made into (DataChunk by default). */
export type BatchWrapper<T> = new (items: T[]) => unknown;

export interface BatcherOptions<T> {
  dropLast?: boolean;
  /** what each batch is made into (DataChunk) */
  wrapperClass?: BatchWrapper<T>;
}

/** Batcher's settings from (batchSize, dropLast?, wrapperClass?) or (batchSize, { dropLast, wrapperClass }), defaults filled in. */
export function batcherSettings<T>(batchSize: number, rest: unknown[]): { dropLast: boolean; wrapperClass: BatchWrapper<T> } {
  if (!(batchSize > 0)) throw new AssertionError('Batch size is required to be larger than 0!');
  const o = parse<BatcherOptions<T>>('Batcher', rest, ['dropLast', 'wrapperClass']);
  return { dropLast: o.dropLast ?? false, wrapperClass: o.wrapperClass ?? DataChunk };
}

interface Batching {
  readonly datapipe: unknown;
  readonly batchSize: number;
  readonly dropLast: boolean;
  _length: number | null;
}

/** len() of a Batcher: its source's length in batches (a last short one counted unless dropLast), cached as Python does. */
export function batchedLength(batcher: Batching): number {
  if (batcher._length !== null) return batcher._length;
  if (!isSized(batcher.datapipe)) throw noValidLength(batcher);
  const n = (batcher.datapipe as { len(): number }).len();
  const { batchSize, dropLast } = batcher;
  batcher._length = dropLast ? Math.floor(n / batchSize) : Math.floor((n + batchSize - 1) / batchSize);
  return batcher._length;
}
