// bench/vision: resnet18 / resnet50 inference (batch 1 and 8, eval, no grad) and a resnet18 SGD
// training step (batch 16) on CPU, PyTorch + torchvision vs torch-node in one run, same thread count.
// Both sides run the literal code: no torch.tidy on the torch-node side, the GC frees the tensors.
// The machines here are shared, so each case alternates PyTorch and torch-node runs (ROUNDS times)
// and keeps every iteration's wall and CPU time. Prints the fastest and the median iteration of each
// side and their ratios torch-node / PyTorch: on a noisy VM the fastest catches one side's lucky
// moment, the median is the steadier figure. Each Python round is a fresh process; the torch-node
// rounds share one, so a full GC before each round clears what the previous cases left (their
// models' tensors would otherwise be freed by collections timed inside this case). Run:
// npm run bench:vision (BENCH_THREADS, BENCH_ITERS, BENCH_ROUNDS).
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models } from '../lib/vision';
import { gc } from '../lib/memory/gc';
import { runPythonJson } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ITERS = Number(process.env.BENCH_ITERS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CASES: [string, string, number, boolean][] = [
  ['resnet18 infer b1', 'resnet18', 1, false],
  ['resnet18 infer b8', 'resnet18', 8, false],
  ['resnet50 infer b1', 'resnet50', 1, false],
  ['resnet50 infer b8', 'resnet50', 8, false],
  ['resnet18 train b16', 'resnet18', 16, true],
];

const python = (c: (typeof CASES)[number]) => `
import json, time, torch, torchvision
from torch_threads import set_threads; set_threads(${THREADS})
out = []
for label, name, batch, train in ${JSON.stringify([c]).replace(/true/g, 'True').replace(/false/g, 'False')}:
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)()
    x = torch.randn(batch, 3, 224, 224)
    times = []
    if train:
        m.train(); opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9); y = torch.randint(0, 1000, (batch,))
        loss_fn = torch.nn.CrossEntropyLoss()
        def step():
            opt.zero_grad(); loss = loss_fn(m(x), y); loss.backward(); opt.step()
    else:
        m.eval()
        def step():
            with torch.no_grad(): m(x)
    step()
    for _ in range(${ITERS}):
        t = time.perf_counter(); c = time.process_time(); step()
        times.append([(time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000])
    out.append(times)
print(json.dumps(out))
`;


/** [wall ms, CPU ms] of one iteration */
type Sample = [number, number];

const best = (xs: number[]) => Math.min(...xs);
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  torch.setNumThreads(THREADS);
  console.log(`threads ${THREADS}, ${ROUNDS} alternating rounds x ${ITERS} iterations per side, ms per iteration`);
  console.log('                    fastest wall: PyTorch torch-node  ratio   median wall: PyTorch torch-node  ratio   median cpu ratio');
  for (const c of CASES) {
    const [label, name, batch, train] = c;
    torch.manualSeed(0);
    const m = (models as unknown as Record<string, () => nn.Module>)[name]();
    const x = torch.randn([batch, 3, 224, 224]);
    let step: () => void;
    if (train) {
      m.train();
      const opt = new optim.SGD(m.parameters(), { lr: 0.01, momentum: 0.9 });
      const y = torch.randint(0, 1000, [batch]);
      const lossFn = new nn.CrossEntropyLoss();
      step = () => {
        opt.zeroGrad();
        const loss = lossFn(m(x), y);
        loss.backward();
        opt.step();
      };
    } else {
      m.eval();
      step = () => void torch.noGrad(() => m(x));
    }
    const py: Sample[] = [];
    const ours: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      py.push(...runPythonJson<Sample[][]>(python(c))[0]);
      gc();
      step();
      for (let k = 0; k < ITERS; k++) {
        const t = process.hrtime.bigint();
        const u = process.cpuUsage();
        step();
        const du = process.cpuUsage(u);
        ours.push([Number(process.hrtime.bigint() - t) / 1e6, (du.user + du.system) / 1e3]);
      }
    }
    const wall = (xs: Sample[]) => xs.map(([w]) => w);
    const cpu = (xs: Sample[]) => xs.map(([, u]) => u);
    const f = (v: number, n: number) => v.toFixed(1).padStart(n);
    const r = (a: number, b: number) => (a / b).toFixed(3).padStart(7);
    const [pb, ob, pm, om] = [best(wall(py)), best(wall(ours)), median(wall(py)), median(wall(ours))];
    console.log(`${label.padEnd(20)} ${f(pb, 21)} ${f(ob, 10)} ${r(ob, pb)} ${f(pm, 21)} ${f(om, 10)} ${r(om, pm)} ${r(median(cpu(ours)), median(cpu(py))).padStart(18)}`);
  }
}

main();
