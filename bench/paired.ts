// Paired timing: PyTorch and torch-node take turns one iteration at a time, so each pair of samples
// sees the same moment of a shared machine's load. Round-level alternation (seconds apart) let one
// side's lucky or unlucky second decide a ratio; the median of per-pair ratios does not.
import { spawn, ChildProcessWithoutNullStreams } from 'child_process';
import * as readline from 'readline';
import { benchPython, pythonEnv } from './python';

/** [wall ms, CPU ms] of one iteration */
export type Sample = [number, number];

// Appended to the case's Python program, which defines step(): warms up, says so, then runs one
// timed step per line read from stdin.
const SERVE = `
import json as _json, sys as _sys, time as _time
step()
print('ready', flush=True)
for _ in _sys.stdin:
    _t = _time.perf_counter(); _c = _time.process_time(); step()
    print(_json.dumps([(_time.perf_counter() - _t) * 1000, (_time.process_time() - _c) * 1000]), flush=True)
`;

/** A Python process holding one benchmark case, stepped on request. */
export class PythonStepper {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;

  /** `program` must define step(); setup and one warm-up step run before `ready()` resolves. */
  constructor(program: string) {
    this.child = spawn(benchPython(), ['-c', program + SERVE], { env: pythonEnv() });
    this.child.stderr.pipe(process.stderr);
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private async next(): Promise<string> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`the PyTorch side exited (code ${this.child.exitCode})`);
    return value as string;
  }

  async ready(): Promise<void> {
    while ((await this.next()) !== 'ready');
  }

  async step(): Promise<Sample> {
    this.child.stdin.write('\n');
    return JSON.parse(await this.next()) as Sample;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Times `step` once, as the Python side times its own. */
export function timeStep(step: () => void): Sample {
  const t = process.hrtime.bigint();
  const u = process.cpuUsage();
  step();
  const du = process.cpuUsage(u);
  return [Number(process.hrtime.bigint() - t) / 1e6, (du.user + du.system) / 1e3];
}

export interface Pairs {
  py: Sample[];
  ours: Sample[];
}

/** `iters` pairs: a PyTorch step, then a torch-node step. */
export async function pairedSamples(py: PythonStepper, step: () => void, iters: number): Promise<Pairs> {
  const out: Pairs = { py: [], ours: [] };
  for (let k = 0; k < iters; k++) {
    out.py.push(await py.step());
    out.ours.push(timeStep(step));
  }
  return out;
}

/** The median of the per-pair ratios torch-node / PyTorch, of wall (0) or CPU (1) time. */
export function pairedRatio(pairs: Pairs, clock: 0 | 1): number {
  return median(pairs.ours.map((o, i) => o[clock] / pairs.py[i][clock]));
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
