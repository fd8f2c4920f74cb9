// Test worlds for torch.distributed: Python ranks (test/helpers/distributed_oracle.py running a
// program of distributed_programs.py) beside this Node process, or a world of Python ranks alone,
// whose results are the oracle for the same program with Node in it.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { oraclePython } from './python';
import { freePort } from '../../lib/distributed/free-port';
import * as dist from '../../lib/distributed';

export { freePort };

/**
 * Starts Python rank `rank` of `program` (a function of distributed_programs.py called with
 * (rank, world, **args)); resolves with what it returned once the process exits.
 */
export function startPythonRank<T = unknown>(program: string, rank: number, world: number, port: number, args: object = {}): Promise<T> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tn-dist-')), `rank${rank}.json`);
  const script = path.join(__dirname, 'distributed_oracle.py');
  const child = spawn(oraclePython(), [script, program, String(rank), String(world), String(port), JSON.stringify(args), out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<T>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0 || !fs.existsSync(out)) return reject(new Error(`Python rank ${rank} of ${program} failed (${code}):\n${stderr}`));
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as T;
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      resolve(result);
    });
  });
  // Awaited after the Node rank's part; a failure before then must not crash the test process.
  done.catch(() => undefined);
  return done;
}

/** Runs `program` on `world` Python ranks alone; resolves with each rank's result. */
export async function runPythonWorld<T = unknown>(program: string, world: number, args: object = {}): Promise<T[]> {
  const port = await freePort();
  return Promise.all(Array.from({ length: world }, (_, rank) => startPythonRank<T>(program, rank, world, port, args)));
}

/**
 * A world of `world` ranks with this process as rank 0: Python ranks 1.. run `program`
 * (distributed_programs*.py), and `node` runs inside an initialized default group (gloo, 60 s
 * timeouts) that is destroyed after it. Resolves with rank 0's result and the Python ranks'.
 */
export async function withNodeRank0<R, P = R>(program: string, world: number, node: (store: dist.TCPStore) => R, args: object = {}): Promise<[R, P[]]> {
  const port = await freePort();
  const store = new dist.TCPStore('127.0.0.1', port, world, true, 60, false);
  const pythons = Array.from({ length: world - 1 }, (_, i) => startPythonRank<P>(program, i + 1, world, port, args));
  dist.initProcessGroup('gloo', { store, rank: 0, worldSize: world, timeout: 60 });
  const group = dist.GroupMember.WORLD;
  let mine: R;
  try {
    mine = node(store);
  } finally {
    dist.destroyProcessGroup();
  }
  const theirs = await Promise.all(pythons);
  // kept until the Python ranks have exited: collecting them would close sockets those still read
  void [store, group];
  return [mine, theirs];
}

/** Max |a - b| over two nested JSON values of the same shape (Infinity where shapes or other values differ). */
export function maxDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return Math.max(0, ...a.map((x, i) => maxDiff(x, b[i])));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    if (ka.join() !== Object.keys(b).join()) return Infinity;
    return Math.max(0, ...ka.map((k) => maxDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])));
  }
  return a === b ? 0 : Infinity;
}

/** What f throws as distributed_programs._error writes it: Python's class (TorchError is RuntimeError) and the first line. */
export function errorLine(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    const err = e as Error;
    return `${err.name === 'TorchError' ? 'RuntimeError' : err.name}: ${err.message.split('\n')[0]}`;
  }
}
