// Messages between the DataLoader (main thread) and its worker threads.
import type { ModuleRef } from './module-ref';
import type { DatasetSpec } from './dataset-spec';

export interface WorkerSetup {
  dataset: DatasetSpec;
  kind: 'map' | 'iterable';
  /** 'default' / 'convert': the built-in collate functions; 'main': workers return samples, the
   *  main thread collates (a collateFn that is a plain function); or a module function */
  collate: 'default' | 'convert' | 'main' | ModuleRef;
  initFn: ModuleRef | null;
  autoCollation: boolean;
  dropLast: boolean;
  workerId: number;
  numWorkers: number;
  seed: bigint;
  /** an IterDataPipe's shared seed for its random pipes (null otherwise) */
  sharedSeed: bigint | null;
  /** DataLoader's shuffle option over an IterDataPipe (null: not given) */
  datapipeShuffle: boolean | null;
}

export type ToWorker =
  | { type: 'fetch'; epoch: number; task: number; index: unknown }
  /** persistent workers: a new epoch starts (iterable datasets restart their iterator) */
  | { type: 'resume'; epoch: number; sharedSeed: bigint | null }
  /** finish the current item, skip the rest, and let the thread end */
  | { type: 'close' };

export type FromWorker =
  | { type: 'data'; epoch: number; task: number; data: unknown }
  | { type: 'error'; epoch: number; task: number; name: string; message: string; stack: string }
  /** an IterableDataset's stream ended in this worker */
  | { type: 'stop'; epoch: number; task: number };
