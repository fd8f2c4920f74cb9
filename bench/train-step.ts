// One training step of an MLP 784-512-10 (batch 64, float32): forward, cross-entropy loss,
// backward and optimizer step, with SGD (momentum 0.9) and Adam, in PyTorch and in torch-node in
// one run, same thread count (BENCH_THREADS, default 1: libtorch's pool and OpenBLAS's, both sides).
// Prints ms/step and the ratio (goal <= 0.95): wall time and process CPU time, each the best of its
// repeats, PyTorch and torch-node alternating for BENCH_ROUNDS rounds (CPU time is the steadier one
// on a loaded machine).
import * as torch from '../lib';
import { runPythonJson } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const STEPS = Number(process.env.BENCH_STEPS ?? 200);
const REPEATS = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CASES = ['SGD momentum', 'Adam'];

const PYTHON = `
import json, time, torch
import torch.nn.functional as F
from torch_threads import set_threads; set_threads(${THREADS})
torch.manual_seed(0)
x = torch.randn(64, 784); y = torch.randint(0, 10, (64,))
def run(make):
    w1 = (torch.randn(512, 784) * 0.05).requires_grad_(); b1 = torch.zeros(512, requires_grad=True)
    w2 = (torch.randn(10, 512) * 0.05).requires_grad_(); b2 = torch.zeros(10, requires_grad=True)
    opt = make([w1, b1, w2, b2])
    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(F.linear(F.relu(F.linear(x, w1, b1)), w2, b2), y)
        loss.backward()
        opt.step()
    for _ in range(30): step()
    wall = cpu = float('inf')
    for _ in range(${REPEATS}):
        t0 = time.perf_counter(); c0 = time.process_time()
        for _ in range(${STEPS}): step()
        wall = min(wall, (time.perf_counter() - t0) / ${STEPS}); cpu = min(cpu, (time.process_time() - c0) / ${STEPS})
    return [wall * 1e3, cpu * 1e3]
print(json.dumps([run(lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9)), run(lambda p: torch.optim.Adam(p, lr=1e-3))]))
`;

/** [wall ms/step, CPU ms/step], each the best of REPEATS */
type Timing = [number, number];

function run(make: (params: torch.Tensor[]) => torch.optim.Optimizer): Timing {
  torch.manualSeed(0);
  const x = torch.randn(64, 784);
  const y = torch.randint(0, 10, [64]);
  const w1 = torch.randn(512, 784).mul(0.05).requiresGrad_();
  const b1 = torch.zeros(512, { requiresGrad: true });
  const w2 = torch.randn(10, 512).mul(0.05).requiresGrad_();
  const b2 = torch.zeros(10, { requiresGrad: true });
  const opt = make([w1, b1, w2, b2]);
  const step = () => {
    opt.zeroGrad({ setToNone: true });
    const loss = torch.crossEntropyLoss(torch.linear(torch.relu(torch.linear(x, w1, b1)), w2, b2), y);
    loss.backward();
    opt.step();
  };
  for (let i = 0; i < 30; i++) step();
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < STEPS; i++) step();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e6 / STEPS);
    cpu = Math.min(cpu, (c.user + c.system) / 1e3 / STEPS);
  }
  return [wall, cpu];
}

const best = (a: Timing, b: Timing): Timing => [Math.min(a[0], b[0]), Math.min(a[1], b[1])];

function main(): void {
  torch.setNumThreads(THREADS);
  let py: Timing[] = CASES.map(() => [Infinity, Infinity]);
  let node: Timing[] = CASES.map(() => [Infinity, Infinity]);
  for (let round = 0; round < ROUNDS; round++) {
    py = runPythonJson<Timing[]>(PYTHON).map((t, i) => best(t, py[i]));
    const mine = [run((p) => new torch.optim.SGD(p, { lr: 0.01, momentum: 0.9 })), run((p) => new torch.optim.Adam(p, { lr: 1e-3 }))];
    node = mine.map((t, i) => best(t, node[i]));
  }
  console.log(`train step, MLP 784-512-10, batch 64, float32, best of ${ROUNDS} rounds x ${REPEATS} x ${STEPS} steps, ${THREADS} thread(s) (libtorch ${torch.libtorchVersion})`);
  console.log('optimizer'.padEnd(14) + 'clock'.padEnd(6) + 'PyTorch ms'.padStart(12) + 'torch-node ms'.padStart(15) + 'ratio'.padStart(8));
  CASES.forEach((name, i) => {
    ['wall', 'cpu'].forEach((clock, k) => {
      const [p, n] = [py[i][k], node[i][k]];
      console.log(name.padEnd(14) + clock.padEnd(6) + p.toFixed(3).padStart(12) + n.toFixed(3).padStart(15) + (n / p).toFixed(3).padStart(8));
    });
  });
}

main();
