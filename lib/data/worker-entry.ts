// The body of a DataLoader worker thread (PyTorch's _worker_loop): builds its own dataset from its
// spec (a library dataset or a module reference), runs workerInitFn, then fetches and collates
// batches on request and posts them back with their tensor buffers transferred, never copied.
import { parentPort, workerData } from 'worker_threads';
import type { WorkerSetup, ToWorker, FromWorker } from './worker-protocol';

import { defaultCollate, defaultConvert } from './collate';
import { setWorkerInfo } from './worker-info';
import { useThreadGenerator } from '../tensor/random';
import { instantiate } from './module-ref';
import { buildDataset } from './dataset-spec';
import { pack } from './transfer';
import { MapFetcher, IterableFetcher, StopFetching, Fetcher, Collate } from './fetch';
import { applyLoaderShuffle, seedDatapipe, shardDatapipe } from './datapipes/loader-support';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (msg: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

let fetcher: Fetcher | null = null;
let initError: Error | null = null;
let iterationEnded = false;
let closing = false;

function makeFetcher(dataset: unknown): Fetcher {
  const collate: Collate =
    setup.collate === 'default' ? defaultCollate
    : setup.collate === 'convert' ? defaultConvert
    : setup.collate === 'main' ? (x: unknown) => x
    : instantiate(setup.collate);
  return setup.kind === 'map'
    ? new MapFetcher(dataset as never, setup.autoCollation, collate)
    : new IterableFetcher(dataset as never, setup.autoCollation, collate, setup.dropLast);
}

let dataset: unknown;
try {
  useThreadGenerator(setup.seed); // as PyTorch's worker loop calls torch.manual_seed(seed) first
  dataset = buildDataset(setup.dataset);
  // a DataPipe: the loader's shuffle option and the epoch's shared seed, then this worker's shard
  applyLoaderShuffle(dataset, setup.datapipeShuffle);
  seedDatapipe(dataset, setup.sharedSeed);
  setWorkerInfo({ id: setup.workerId, numWorkers: setup.numWorkers, seed: setup.seed, dataset });
  shardDatapipe(dataset, setup.numWorkers, setup.workerId);
  if (setup.initFn) (instantiate(setup.initFn) as (id: number) => void)(setup.workerId);
  fetcher = makeFetcher(dataset);
} catch (e) {
  initError = e as Error; // reported with the first task, as PyTorch does
}

function errorMessage(epoch: number, task: number, e: unknown): FromWorker {
  const err = e instanceof Error || (e && typeof e === 'object' && 'message' in e) ? (e as Error) : new Error(String(e));
  return { type: 'error', epoch, task, name: err.name ?? 'Error', message: String(err.message), stack: String(err.stack ?? err) };
}

// Tasks run one at a time, in arrival order (a worker is one sequential stream like PyTorch's).
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    // Ending the thread between items (not killing it inside a native op): with the port closed
    // and queued tasks skipped, the event loop empties and the thread exits.
    closing = true;
    port.close();
    return;
  }
  queue = queue.then(() => (closing ? undefined : handle(msg)));
});

async function handle(msg: Exclude<ToWorker, { type: 'close' }>): Promise<void> {
  if (msg.type === 'resume') {
    iterationEnded = false;
    if (!initError) {
      seedDatapipe(dataset, msg.sharedSeed);
      fetcher = makeFetcher(dataset);
    }
    return;
  }
  const { epoch, task } = msg;
  if (initError) {
    const e = initError;
    initError = null;
    post(errorMessage(epoch, task, e));
    return;
  }
  if (iterationEnded) {
    post({ type: 'stop', epoch, task });
    return;
  }
  try {
    const result = await fetcher!.fetch(msg.index);
    const transfer: ArrayBuffer[] = [];
    const packed = pack(result, transfer);
    post({ type: 'data', epoch, task, data: packed }, transfer);
  } catch (e) {
    if (e instanceof StopFetching) {
      iterationEnded = true;
      post({ type: 'stop', epoch, task });
    } else {
      post(errorMessage(epoch, task, e));
    }
  }
}
