// One epoch of the main job's model (examples/fashion-mnist.ts: CNN, FashionMNIST + DataLoader,
// Adam, the literal loop) in PyTorch (bench/e2e.py) and in torch-node, in one run, with the same batch
// size and thread count; then both test accuracies. Prints both times and the ratio (goal <= 1.0).
// BENCH_THREADS (default 1), BENCH_BATCH (default 64), BENCH_LIMIT (training images; default all).
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader } from '../lib/data';
import { FashionCNN } from '../examples/fashion-mnist/model';
import { FashionImages } from '../examples/fashion-mnist/dataset';
import { trainEpoch, evaluate } from '../examples/fashion-mnist/loop';
import { benchPython } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const LIMIT = process.env.BENCH_LIMIT;

interface Run {
  seconds: number;
  cpu: number;
  testAccuracy: number;
}

function pytorch(): Run {
  const script = path.resolve(__dirname, '../../bench/e2e.py');
  const args = [script, String(THREADS), String(BATCH), ...(LIMIT ? [LIMIT] : [])];
  const out = execFileSync(benchPython(), args, { maxBuffer: 1 << 24 }).toString().trim().split('\n');
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

export async function main(log: (line: string) => void = console.log): Promise<{ pytorch: Run; torchNode: Run; ratio: number }> {
  log(`one epoch of the main job's CNN, batch ${BATCH}, ${THREADS} thread(s)${LIMIT ? `, ${LIMIT} images` : ''}`);
  const py = pytorch();
  log(`PyTorch     ${py.seconds.toFixed(1)} s (CPU ${py.cpu.toFixed(1)} s), test accuracy ${(100 * py.testAccuracy).toFixed(2)}%`);
  const ours = await torchNode();
  log(`torch-node  ${ours.seconds.toFixed(1)} s (CPU ${ours.cpu.toFixed(1)} s), test accuracy ${(100 * ours.testAccuracy).toFixed(2)}%`);
  const ratio = ours.seconds / py.seconds;
  log(`ratio torch-node / PyTorch: ${ratio.toFixed(2)} wall, ${(ours.cpu / py.cpu).toFixed(2)} CPU (goal <= 1.0)`);
  return { pytorch: py, torchNode: ours, ratio };
}

if (require.main === module) main().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
