// torch.utils.data.get_worker_info(): null on the main thread; inside a DataLoader worker thread,
// the worker's id, the number of workers, its seed and its own copy of the dataset.
export interface WorkerInfo {
  readonly id: number;
  readonly numWorkers: number;
  /** baseSeed + id, as PyTorch computes it (the seed a worker process would pass to manual_seed) */
  readonly seed: bigint;
  readonly dataset: unknown;
}

let current: WorkerInfo | null = null;

export function getWorkerInfo(): WorkerInfo | null {
  return current;
}

/** @internal set once by the worker thread's entry point */
export function setWorkerInfo(info: WorkerInfo): void {
  current = Object.freeze({ ...info });
}
