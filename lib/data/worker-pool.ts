// _MultiProcessingDataLoaderIter with worker_threads: numWorkers threads each build their own copy
// of the dataset from its spec (a library dataset or a module reference, see dataset-spec.ts);
// tasks (batches of indices) go out round-robin with prefetchFactor * numWorkers in flight, and
// come back in sampler order whatever order the workers finish in.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { DataLoader, LoaderIterator } from './dataloader';
import type { WorkerSetup, ToWorker, FromWorker } from './worker-protocol';
import { moduleRefOf } from './module-ref';
import { resolveDatasetSpec } from './dataset-spec';
import { defaultCollate, defaultConvert } from './collate';
import { unpack } from './transfer';
import { pinMemory, pinTarget } from './pin-memory';
import { TorchError } from '../errors';
import { PyTypeError } from './errors';

/** The compiled worker entry (workers cannot load TypeScript sources, e.g. under ts-jest). */
function entryFile(): string {
  if (__filename.endsWith('.js')) return path.join(__dirname, 'worker-entry.js');
  return path.join(__dirname, '..', '..', 'dist', 'lib', 'data', 'worker-entry.js');
}

/** How long a worker may take to finish its current item at shutdown before it is terminated
 *  (PyTorch joins for MP_STATUS_CHECK_INTERVAL, then terminates). */
const SHUTDOWN_GRACE_MS = 2000;

/** Worker threads alive across all loaders (tests check that early exits leave none behind). */
let liveWorkers = 0;
export function liveWorkerCount(): number {
  return liveWorkers;
}

interface Task {
  worker: number;
  result?: FromWorker;
}

/** The error a worker's exception becomes in the consumer: PyTorch's "Caught X in DataLoader worker". */
function workerError(msg: Extract<FromWorker, { type: 'error' }>, workerId: number, index: unknown): Error {
  const Cls = ({ TypeError, RangeError, SyntaxError, ReferenceError } as Record<string, ErrorConstructor>)[msg.name] ?? Error;
  const where = Array.isArray(index) ? `indices [${index.join(', ')}]` : `index ${index}`;
  const err = new Cls(`Caught ${msg.name} in DataLoader worker ${workerId} while fetching ${where}.\nOriginal ${msg.stack}`);
  if (err.name !== msg.name) err.name = msg.name;
  Object.assign(err, { workerId, index });
  return err;
}

export class WorkerPoolIterator<B> implements LoaderIterator<B> {
  private readonly workers: Worker[] = [];
  private readonly exited: Promise<void>[] = [];
  private readonly active: boolean[];
  private readonly inFlight: number;
  private readonly collateOnMain: boolean;
  /** null: batches are left as they are; else the device pinned for ('' = CUDA) */
  private readonly pin: string | null;
  private indices!: Iterator<unknown>;
  private epoch = 0;
  private sendIdx = 0;
  private rcvdIdx = 0;
  private outstanding = 0;
  private nextWorker = 0;
  private tasks = new Map<number, Task>();
  private sentIndex = new Map<number, unknown>();
  private wake: (() => void) | null = null;
  private fatal: Error | null = null;
  private closed = false;
  private numYielded = 0;

  constructor(
    private readonly loader: DataLoader<any, B>,
    /** shared seed for a DataPipe's random pipes (null: not an IterDataPipe) */
    sharedSeed: bigint | null,
    readonly baseSeed: bigint,
  ) {
    const n = loader.numWorkers;
    const resolved = resolveDatasetSpec(loader.dataset);
    if ('problem' in resolved) {
      throw new PyTypeError(
        'DataLoader with numWorkers > 0 needs a dataset that worker threads can rebuild (threads share no objects): ' +
          'a library dataset (TensorDataset, datasets.MNIST / FashionMNIST / ImageFolder / DatasetFolder) with library ' +
          'transforms, one created with data.fromModule(modulePath, exportName, ...constructorArgs), or a Subset / ' +
          `ConcatDataset / ChainDataset of such datasets. Here ${resolved.problem}`,
      );
    }
    const datasetRef = resolved.spec;
    let initFn = null;
    if (loader.workerInitFn) {
      initFn = moduleRefOf(loader.workerInitFn) ?? null;
      if (!initFn) throw new PyTypeError('workerInitFn runs in the worker threads: create it with data.moduleFunction(modulePath, exportName)');
    }
    const fn = loader.collateFn;
    const collate = fn === defaultCollate ? 'default' : fn === defaultConvert ? 'convert' : (moduleRefOf(fn) ?? 'main');
    // A plain-function collateFn cannot run in a worker: workers send samples, this thread collates.
    this.collateOnMain = collate === 'main';
    this.pin = pinTarget(loader);
    this.active = new Array(n).fill(true);
    this.inFlight = loader.prefetchFactor * n;
    for (let id = 0; id < n; id++) {
      const setup: WorkerSetup = {
        dataset: datasetRef,
        kind: loader._kind,
        collate,
        initFn,
        autoCollation: loader._autoCollation,
        dropLast: loader.dropLast,
        workerId: id,
        numWorkers: n,
        seed: baseSeed + BigInt(id),
        sharedSeed,
        datapipeShuffle: loader._datapipeShuffle,
      };
      this.spawn(id, setup);
    }
    this.startEpoch();
  }

  private spawn(id: number, setup: WorkerSetup): void {
    const w = new Worker(entryFile(), { workerData: setup });
    const threadId = w.threadId; // -1 once the thread has exited
    liveWorkers++;
    w.unref(); // only a pending next() keeps the process alive (see wait())
    w.on('message', (msg: FromWorker) => this.onMessage(id, msg));
    w.on('error', (e) => this.die(new Error(`DataLoader worker ${id} (thread id ${threadId}) exited unexpectedly: ${e.message}`)));
    let exited!: () => void;
    this.exited.push(new Promise<void>((resolve) => (exited = resolve)));
    w.on('exit', (code) => {
      liveWorkers--;
      exited();
      if (!this.closed) this.die(new Error(`DataLoader worker ${id} (thread id ${threadId}) exited unexpectedly with exit code ${code}`));
    });
    this.workers.push(w);
  }

  private die(e: Error): void {
    this.fatal ??= e;
    this.wake?.();
  }

  private onMessage(workerId: number, msg: FromWorker): void {
    if (msg.epoch !== this.epoch) return; // a task of an epoch that was abandoned
    this.outstanding--;
    if (msg.type === 'stop') {
      // This worker's share of an IterableDataset is exhausted.
      this.active[workerId] = false;
      this.tryPutIndex();
    } else {
      this.tasks.get(msg.task)!.result = msg;
    }
    this.wake?.();
  }

  private startEpoch(): void {
    this.indices = (this.loader._indexSampler as Iterable<unknown>)[Symbol.iterator]();
    this.sendIdx = this.rcvdIdx = this.outstanding = this.nextWorker = this.numYielded = 0;
    this.tasks.clear();
    this.sentIndex.clear();
    this.active.fill(true);
    for (let i = 0; i < this.inFlight; i++) this.tryPutIndex();
  }

  /** persistentWorkers: the same threads serve the next epoch. */
  reset(sharedSeed: bigint | null = null): void {
    if (this.closed) throw new TorchError('this DataLoader iterator was shut down');
    this.epoch++;
    for (const w of this.workers) w.postMessage({ type: 'resume', epoch: this.epoch, sharedSeed } satisfies ToWorker);
    this.startEpoch();
  }

  private tryPutIndex(): void {
    if (this.outstanding >= this.inFlight) return;
    const r = this.indices.next();
    if (r.done) return;
    let worker = -1;
    for (let k = 0; k < this.workers.length; k++) {
      const cand = (this.nextWorker + k) % this.workers.length;
      if (this.active[cand]) {
        worker = cand;
        break;
      }
    }
    if (worker < 0) return;
    this.nextWorker = (worker + 1) % this.workers.length;
    const task = this.sendIdx++;
    this.tasks.set(task, { worker });
    this.sentIndex.set(task, r.value);
    this.outstanding++;
    this.workers[worker].postMessage({ type: 'fetch', epoch: this.epoch, task, index: r.value } satisfies ToWorker);
  }

  /** Resolves on the next message from any worker; rejects on timeout or a dead worker. */
  private wait(): Promise<void> {
    const timeout = this.loader.timeout;
    for (const w of this.workers) w.ref();
    return new Promise<void>((resolve, reject) => {
      const timer = timeout > 0 ? setTimeout(() => reject(new Error(`DataLoader timed out after ${timeout} seconds`)), timeout * 1000) : null;
      this.wake = () => {
        this.wake = null;
        if (timer) clearTimeout(timer);
        if (this.fatal) reject(this.fatal);
        else resolve();
      };
      if (this.fatal) this.wake();
    }).finally(() => {
      this.wake = null;
      for (const w of this.workers) w.unref();
    });
  }

  async next(): Promise<IteratorResult<B>> {
    try {
      return await this.nextData();
    } catch (e) {
      // for await does not call return() after a throw: end the threads here.
      await this.endEpoch(true);
      throw e;
    }
  }

  private async nextData(): Promise<IteratorResult<B>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      if (this.fatal) throw this.fatal;
      // Skip tasks given to workers whose stream ended before answering them.
      while (this.rcvdIdx < this.sendIdx) {
        const t = this.tasks.get(this.rcvdIdx)!;
        if (t.result || this.active[t.worker]) break;
        this.tasks.delete(this.rcvdIdx++);
      }
      if (this.rcvdIdx >= this.sendIdx) {
        await this.endEpoch(false);
        return { done: true, value: undefined };
      }
      const task = this.tasks.get(this.rcvdIdx)!;
      if (!task.result) {
        await this.wait();
        continue;
      }
      const index = this.sentIndex.get(this.rcvdIdx);
      this.tasks.delete(this.rcvdIdx);
      this.sentIndex.delete(this.rcvdIdx);
      this.rcvdIdx++;
      this.tryPutIndex();
      const msg = task.result;
      if (msg.type === 'error') throw workerError(msg, task.worker, index);
      if (msg.type !== 'data') continue;
      let data = unpack(msg.data);
      if (this.collateOnMain) data = this.loader.collateFn(data);
      this.loader._checkYielded(++this.numYielded);
      return { done: false, value: (this.pin !== null ? pinMemory(data, this.pin) : data) as B };
    }
  }

  /** End of an epoch: non-persistent workers end; persistent ones wait for reset(). */
  private async endEpoch(error: boolean): Promise<void> {
    if (!this.loader.persistentWorkers || (error && this.fatal)) await this.shutdown();
    else this.epoch++; // answers still on their way belong to a finished epoch
  }

  async return(): Promise<IteratorResult<B>> {
    await this.endEpoch(false);
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends every worker thread and waits until they are gone: each finishes the item it is on,
   *  then exits; one still busy after the grace period is terminated. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.workers.map(async (w, id) => {
        w.ref();
        w.postMessage({ type: 'close' } satisfies ToWorker);
        const timer = setTimeout(() => void w.terminate(), SHUTDOWN_GRACE_MS);
        await this.exited[id];
        clearTimeout(timer);
      }),
    );
  }
}
