// torch.multiprocessing.spawn(fn, args, nprocs): runs fn(i, ...args) in nprocs new processes, as
// PyTorch's DDP tutorial starts its ranks. Node cannot send a function to another process, so,
// like Python's 'spawn' start method re-importing the main module, each worker re-runs this
// program's main script; there spawn() calls fn with the worker's index and ends the process when
// fn settles (code after the spawn() call never runs in a worker). In the parent, spawn() resolves
// once every worker has exited, and rejects naming the first that failed (the others are stopped).
import { TorchError } from '../errors';
import { keysOf, parse, given, Rest } from '../keywords';
import { failedExit, runTogether } from './processes';

const INDEX = 'TORCH_NODE_SPAWN_INDEX';

export interface SpawnOptions<A extends unknown[]> {
  args?: A;
  nprocs?: number;
  /** false: resolve at once with a context whose join() waits */
  join?: boolean;
  daemon?: boolean;
  startMethod?: 'spawn';
}
const SPAWN_ARGS = ['args', 'nprocs', 'join', 'daemon', 'startMethod'] as const;
keysOf<SpawnOptions<unknown[]>>()(...SPAWN_ARGS);

/** spawn(..., join=false)'s result: join() waits for every worker (and rejects as spawn does). */
export interface ProcessContext {
  join(): Promise<void>;
}

type WorkerFn<A extends unknown[]> = (index: number, ...args: A) => unknown;

/** torch.multiprocessing.spawn(fn, args=(), nprocs=1, join=True): see the top of this file. */
export async function spawn<A extends unknown[]>(fn: WorkerFn<A>, ...rest: Rest<SpawnOptions<A>, typeof SPAWN_ARGS>): Promise<ProcessContext | undefined> {
  const o = parse<SpawnOptions<A>>('spawn', given(rest), SPAWN_ARGS);
  const args = (o.args ?? []) as A;
  const index = process.env[INDEX];
  if (index !== undefined) return runWorker(fn, Number(index), args);
  const nprocs = o.nprocs ?? 1;
  if (!Number.isInteger(nprocs) || nprocs < 1) throw new TorchError(`spawn: nprocs must be a positive integer, got ${nprocs}`);
  if (o.startMethod !== undefined && o.startMethod !== 'spawn') throw new TorchError(`spawn: only the 'spawn' start method exists in Node, got '${String(o.startMethod)}'`);
  const script = process.argv[1];
  const exits = runTogether(
    Array.from({ length: nprocs }, (_, i) => ({
      file: process.execPath,
      argv: [...process.execArgv, script, ...process.argv.slice(2)],
      env: { ...process.env, [INDEX]: String(i) },
    })),
  );
  const join = async (): Promise<void> => {
    const failures = (await exits).filter(failedExit);
    const first = failures.find((f) => f.signal === null) ?? failures[0];
    if (first !== undefined) {
      throw new TorchError(`process ${first.index} terminated with ${first.signal !== null ? `signal ${first.signal}` : `exit code ${first.code}`}`);
    }
  };
  if (o.join === false) return { join };
  await join();
  return undefined;
}

/** In a worker: fn(index, ...args), then exit (1 with the error printed if fn threw). Never settles. */
function runWorker<A extends unknown[]>(fn: WorkerFn<A>, index: number, args: A): Promise<never> {
  Promise.resolve()
    .then(() => fn(index, ...args))
    .then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`-- Process ${index} terminated with the following error:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        process.exit(1);
      },
    );
  return new Promise<never>(() => undefined);
}
