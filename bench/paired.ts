// Paired timing: PyTorch and torch-node take turns one iteration at a time, so each pair of samples
// sees the same moment of a shared machine's load. Round-level alternation (seconds apart) let one
// side's lucky or unlucky second decide a ratio; the median of per-pair ratios does not.
import { spawn, ChildProcessWithoutNullStreams } from 'child_process';
import * as readline from 'readline';
import { benchPython, pythonEnv } from './python';
import { gc } from '../lib/memory/gc';

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

/**
 * Pairs of a PyTorch step then a torch-node step: at least `iters` of them, and more until both
 * sides together have run for `minSeconds`, so that cheap cases get enough pairs to bound a ratio.
 */
export async function pairedSamples(py: PythonStepper, step: () => void, iters: number, minSeconds = 0): Promise<Pairs> {
  const out: Pairs = { py: [], ours: [] };
  let spentMs = 0;
  while (out.ours.length < iters || spentMs < minSeconds * 1000) {
    const p = await py.step();
    const o = timeStep(step);
    out.py.push(p);
    out.ours.push(o);
    spentMs += p[0] + o[0];
  }
  return out;
}

/**
 * One case of a paired bench: the Python side starts `program` (which defines step()) while ours
 * warms up once; a full GC, so that earlier cases' garbage is not collected inside this case's
 * timings; then pairedSamples. The Python process ends with it.
 */
export async function pairedCase(program: string, step: () => void, iters: number, minSeconds: number): Promise<Pairs> {
  const py = new PythonStepper(program);
  try {
    step();
    await py.ready();
    gc();
    return await pairedSamples(py, step, iters, minSeconds);
  } finally {
    py.close();
  }
}

/** The median of the per-pair ratios torch-node / PyTorch, of wall (0) or CPU (1) time. */
export function pairedRatio(pairs: Pairs, clock: 0 | 1): number {
  return median(pairs.ours.map((o, i) => o[clock] / pairs.py[i][clock]));
}

/**
 * A distribution-free confidence interval for the median of the per-pair ratios: the order
 * statistics whose ranks a Binomial(n, 1/2) count falls between with probability `level` (no
 * assumption on how the VM's noise is distributed). [lo, hi] of wall (0) or CPU (1) time.
 */
export function pairedRatioInterval(pairs: Pairs, clock: 0 | 1, level = 0.95): [number, number] {
  const ratios = pairs.ours.map((o, i) => o[clock] / pairs.py[i][clock]).sort((a, b) => a - b);
  const n = ratios.length;
  // k: the largest count with P(Binomial(n, 1/2) < k) <= (1 - level) / 2
  let k = 0;
  let below = 0; // P(X < k)
  let pmf = Math.pow(0.5, n); // P(X = k)
  while (k < n >> 1 && below + pmf <= (1 - level) / 2) {
    below += pmf;
    pmf *= (n - k) / (k + 1);
    k++;
  }
  return k === 0 ? [ratios[0], ratios[n - 1]] : [ratios[k - 1], ratios[n - k]];
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const LABEL = 22;

/** The column titles of pairedRow's lines; `other` names the reference side (PyTorch, torchvision). */
export function pairedHeader(other: string): string {
  const side = `${other} torch-node  ratio`;
  return `${''.padEnd(LABEL)} fastest wall: ${side.padStart(26)}   median wall: ${side.padStart(26)}   paired ratio: wall   (95% CI)       cpu  pairs`;
}

/**
 * One case's line: the fastest and the median wall time of each side and their ratios, then the
 * median of the per-pair ratios (wall, with its 95% interval, and CPU) and the number of pairs.
 */
export function pairedRow(label: string, s: Pairs): string {
  const wall = (xs: Sample[]) => xs.map(([w]) => w);
  const f = (v: number, n: number) => v.toFixed(1).padStart(n);
  const r = (v: number, n = 7) => v.toFixed(3).padStart(n);
  const [lo, hi] = pairedRatioInterval(s, 0);
  const [pb, ob] = [Math.min(...wall(s.py)), Math.min(...wall(s.ours))];
  const [pm, om] = [median(wall(s.py)), median(wall(s.ours))];
  const sides = (p: number, o: number) => `${f(p, 14)} ${f(o, 10)} ${r(o / p)}`;
  return `${label.padEnd(LABEL)} ${sides(pb, ob)} ${sides(pm, om).padStart(41)} ${r(pairedRatio(s, 0), 20)} (${lo.toFixed(3)}-${hi.toFixed(3)}) ${r(pairedRatio(s, 1))} ${String(s.ours.length).padStart(6)}`;
}
