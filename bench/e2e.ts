// One epoch of the main job's model (examples/fashion-mnist.ts: CNN, FashionMNIST + DataLoader,
// Adam, the literal loop) in PyTorch (bench/e2e.py) and in torch-node, in one run, with the same batch
// size and thread count; then both test accuracies. The machines here are shared and their speed
// drifts by 5-10% within a minute, so the two sides alternate for BENCH_ROUNDS rounds, each a fresh
// model, and the ratio is of the median epochs (every round is printed). Goal: <= 1.0.
// BENCH_THREADS (default 1), BENCH_BATCH (default 64), BENCH_LIMIT (training images; default all),
// BENCH_ROUNDS (default 3).
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader } from '../lib/data';
import { FashionCNN } from '../examples/fashion-mnist/model';
import { FashionImages } from '../examples/fashion-mnist/dataset';
import { trainEpoch, evaluate } from '../examples/fashion-mnist/loop';
import { benchPython, pythonEnv } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const LIMIT = process.env.BENCH_LIMIT;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Run {
  seconds: number;
  cpu: number;
  testAccuracy: number;
}

function pytorch(): Run {
  const script = path.resolve(__dirname, '../../bench/e2e.py');
  const args = [script, String(THREADS), String(BATCH), ...(LIMIT ? [LIMIT] : [])];
  const out = execFileSync(benchPython(), args, { maxBuffer: 1 << 24, env: pythonEnv() }).toString().trim().split('\n');
  return JSON.parse(out[out.length - 1]) as Run;
}

async function torchNode(): Promise<Run> {
  torch.setNumThreads(THREADS);
  torch.manualSeed(0);
  const trainLoader = new DataLoader(new FashionImages({ train: true, limit: LIMIT ? Number(LIMIT) : undefined }), { batchSize: BATCH, shuffle: true });
  const testLoader = new DataLoader(new FashionImages({ train: false }), { batchSize: 1000 });
  const model = new FashionCNN();
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await trainEpoch(model, trainLoader, criterion, optimizer);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { seconds, cpu, testAccuracy: (await evaluate(model, testLoader, criterion)).accuracy };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function main(log: (line: string) => void = console.log): Promise<{ pytorch: Run; torchNode: Run; ratio: number }> {
  log(`one epoch of the main job's CNN, batch ${BATCH}, ${THREADS} thread(s)${LIMIT ? `, ${LIMIT} images` : ''}, ${ROUNDS} alternating rounds`);
  const runs: { py: Run; ours: Run }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const py = pytorch();
    const ours = await torchNode();
    runs.push({ py, ours });
    log(`round ${round}: PyTorch ${py.seconds.toFixed(2)} s, torch-node ${ours.seconds.toFixed(2)} s`);
  }
  // The round whose epoch is the median of its side stands for that side (its accuracy too).
  const pick = (side: 'py' | 'ours'): Run => {
    const m = median(runs.map((r) => r[side].seconds));
    return runs.map((r) => r[side]).reduce((a, b) => (Math.abs(b.seconds - m) < Math.abs(a.seconds - m) ? b : a));
  };
  const [py, ours] = [pick('py'), pick('ours')];
  const [pySeconds, oursSeconds] = [median(runs.map((r) => r.py.seconds)), median(runs.map((r) => r.ours.seconds))];
  const [pyCpu, oursCpu] = [median(runs.map((r) => r.py.cpu)), median(runs.map((r) => r.ours.cpu))];
  log(`PyTorch     median ${pySeconds.toFixed(1)} s (CPU ${pyCpu.toFixed(1)} s), test accuracy ${(100 * py.testAccuracy).toFixed(2)}%`);
  log(`torch-node  median ${oursSeconds.toFixed(1)} s (CPU ${oursCpu.toFixed(1)} s), test accuracy ${(100 * ours.testAccuracy).toFixed(2)}%`);
  const ratio = oursSeconds / pySeconds;
  log(`ratio torch-node / PyTorch: ${ratio.toFixed(2)} wall, ${(oursCpu / pyCpu).toFixed(2)} CPU (goal <= 1.0)`);
  return { pytorch: py, torchNode: ours, ratio };
}

if (require.main === module) main().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
