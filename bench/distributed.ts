// DistributedDataParallel training step, 2 processes on this machine (gloo, one thread each): an MLP
// 784-512-10, batch 64 per rank, SGD momentum, in PyTorch and in torch-node, both started by the
// same launcher (lib/distributed/run.ts). The worlds take turns, BENCH_ROUNDS rounds of one PyTorch
// and one torch-node world, so each pair sees the same moment of a shared machine's load. Prints
// ms/step (the median round) and the median of the per-round ratios. Goal: <= 1.0.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launch } from '../lib/distributed/run';
import { freePort } from '../lib/distributed/free-port';
import { benchPython, pythonEnv } from './python';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WORLD = 2;

async function world(python: boolean): Promise<number> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tn-bench-')), 'result.json');
  const exits = await launch({
    script: python ? benchPython() : path.join(__dirname, 'distributed-rank.js'),
    args: python ? [path.resolve(__dirname, '../../bench/distributed_rank.py')] : [],
    noNode: python,
    nprocPerNode: WORLD,
    masterPort: await freePort(),
    env: { ...(python ? pythonEnv() : {}), BENCH_OUT: out, OMP_NUM_THREADS: '1' },
  });
  if (exits.some((e) => e.code !== 0)) throw new Error(`a ${python ? 'PyTorch' : 'torch-node'} rank failed: ${JSON.stringify(exits)}`);
  const { msPerStep } = JSON.parse(fs.readFileSync(out, 'utf8')) as { msPerStep: number };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return msPerStep;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  console.log(`DDP train step, ${WORLD} processes (gloo, 1 thread each), MLP 784-512-10, batch 64 per rank, SGD momentum; ${ROUNDS} rounds`);
  const py: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    py.push(await world(true));
    ours.push(await world(false));
  }
  const ratios = ours.map((o, i) => o / py[i]);
  console.log(`PyTorch ${median(py).toFixed(3)} ms/step | torch-node ${median(ours).toFixed(3)} ms/step | ratio ${median(ratios).toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(' ')})`);
}

void main();
