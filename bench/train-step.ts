// One training step of an MLP 784-512-10 (batch 64, float32): forward, cross-entropy loss,
// backward and optimizer step, with SGD (momentum 0.9) and Adam, in PyTorch and in torch-node in
// one run, same thread count (BENCH_THREADS, default 1: libtorch's pool and OpenBLAS's, both sides).
// The two sides take turns a block of BENCH_STEPS steps at a time (bench/paired.ts), BENCH_BLOCKS
// pairs of blocks, so each pair sees the same moment of a shared machine's load. Prints ms/step
// (the median block of each side) and the median of the per-pair ratios, wall and CPU time, with a
// 95% confidence interval (bench/paired.ts).
// Goal: <= 0.95.
import * as torch from '../lib';
import { PythonStepper, pairedSamples, pairedRatio, pairedRatioInterval, median, Sample } from './paired';

const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const STEPS = Number(process.env.BENCH_STEPS ?? 200);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 20);
const CASES: [string, string, (p: torch.Tensor[]) => torch.optim.Optimizer][] = [
  ['SGD momentum', 'torch.optim.SGD(p, lr=0.01, momentum=0.9)', (p) => new torch.optim.SGD(p, { lr: 0.01, momentum: 0.9 })],
  ['Adam', 'torch.optim.Adam(p, lr=1e-3)', (p) => new torch.optim.Adam(p, { lr: 1e-3 })],
];

// step() runs STEPS training steps, as the torch-node side's block does
const python = (makeOptimizer: string) => `
import torch
import torch.nn.functional as F
from torch_threads import set_threads; set_threads(${THREADS})
torch.manual_seed(0)
x = torch.randn(64, 784); y = torch.randint(0, 10, (64,))
w1 = (torch.randn(512, 784) * 0.05).requires_grad_(); b1 = torch.zeros(512, requires_grad=True)
w2 = (torch.randn(10, 512) * 0.05).requires_grad_(); b2 = torch.zeros(10, requires_grad=True)
p = [w1, b1, w2, b2]
opt = ${makeOptimizer}
def one():
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(F.linear(F.relu(F.linear(x, w1, b1)), w2, b2), y)
    loss.backward()
    opt.step()
def step():
    for _ in range(${STEPS}): one()
`;

function block(make: (params: torch.Tensor[]) => torch.optim.Optimizer): () => void {
  torch.manualSeed(0);
  const x = torch.randn(64, 784);
  const y = torch.randint(0, 10, [64]);
  const w1 = torch.randn(512, 784).mul(0.05).requiresGrad_();
  const b1 = torch.zeros(512, { requiresGrad: true });
  const w2 = torch.randn(10, 512).mul(0.05).requiresGrad_();
  const b2 = torch.zeros(10, { requiresGrad: true });
  const opt = make([w1, b1, w2, b2]);
  const one = () => {
    opt.zeroGrad({ setToNone: true });
    const loss = torch.crossEntropyLoss(torch.linear(torch.relu(torch.linear(x, w1, b1)), w2, b2), y);
    loss.backward();
    opt.step();
  };
  return () => {
    for (let i = 0; i < STEPS; i++) one();
  };
}

async function main(): Promise<void> {
  torch.setNumThreads(THREADS);
  console.log(`train step, MLP 784-512-10, batch 64, float32, ${BLOCKS} paired blocks of ${STEPS} steps, ${THREADS} thread(s) (libtorch ${torch.libtorchVersion})`);
  console.log('optimizer'.padEnd(14) + 'clock'.padEnd(6) + 'PyTorch ms'.padStart(12) + 'torch-node ms'.padStart(15) + 'paired ratio'.padStart(14) + '  (95% CI)');
  for (const [name, pythonOptimizer, make] of CASES) {
    const py = new PythonStepper(python(pythonOptimizer));
    const step = block(make);
    step();
    await py.ready();
    const s = await pairedSamples(py, step, BLOCKS);
    py.close();
    ([['wall', 0], ['cpu', 1]] as const).forEach(([clock, k]) => {
      const perStep = (xs: Sample[]) => median(xs.map((x) => x[k])) / STEPS;
      const [lo, hi] = pairedRatioInterval(s, k);
      const interval = `  (${lo.toFixed(3)}-${hi.toFixed(3)})`;
      console.log(name.padEnd(14) + clock.padEnd(6) + perStep(s.py).toFixed(3).padStart(12) + perStep(s.ours).toFixed(3).padStart(15) + pairedRatio(s, k).toFixed(3).padStart(14) + interval);
    });
  }
}

void main();
