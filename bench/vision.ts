// bench/vision: resnet18 / resnet50 inference (batch 1 and 8, eval, no grad) and a resnet18 SGD
// training step (batch 16) on CPU, PyTorch + torchvision vs torch-node in one run, same thread count.
// The machines here are shared, so each case alternates PyTorch and torch-node runs (ROUNDS times)
// and keeps the fastest iteration of each side. Prints ms per iteration and the ratio
// torch-node / PyTorch. Run: npm run bench:vision (BENCH_THREADS, BENCH_ITERS, BENCH_ROUNDS).
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models } from '../lib/vision';
import { runPythonJson } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CASES: [string, string, number, boolean][] = [
  ['resnet18 infer b1', 'resnet18', 1, false],
  ['resnet18 infer b8', 'resnet18', 8, false],
  ['resnet50 infer b1', 'resnet50', 1, false],
  ['resnet50 infer b8', 'resnet50', 8, false],
  ['resnet18 train b16', 'resnet18', 16, true],
];

const python = (c: (typeof CASES)[number]) => `
import json, time, torch, torchvision
torch.set_num_threads(${THREADS})
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
        times.append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))
    out.append([min(w for w, _ in times), min(c for _, c in times)])
print(json.dumps(out))
`;


function main(): void {
  torch.setNumThreads(THREADS);
  console.log(`threads ${THREADS}, best of ${ROUNDS} rounds x ${ITERS} iterations, ms`);
  console.log('                     wall: PyTorch torch-node  ratio    cpu: PyTorch torch-node  ratio');
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
      step = () => torch.tidy(() => {
        opt.zeroGrad();
        const loss = lossFn(m(x), y);
        loss.backward();
        opt.step();
      });
    } else {
      m.eval();
      step = () => torch.tidy(() => void torch.noGrad(() => m(x)));
    }
    const py = [Infinity, Infinity];
    const ours = [Infinity, Infinity];
    for (let round = 0; round < ROUNDS; round++) {
      const [w, cpu] = runPythonJson<[number, number][]>(python(c))[0];
      py[0] = Math.min(py[0], w);
      py[1] = Math.min(py[1], cpu);
      step();
      for (let k = 0; k < ITERS; k++) {
        const t = process.hrtime.bigint();
        const u = process.cpuUsage();
        step();
        const du = process.cpuUsage(u);
        ours[0] = Math.min(ours[0], Number(process.hrtime.bigint() - t) / 1e6);
        ours[1] = Math.min(ours[1], (du.user + du.system) / 1e3);
      }
    }
    const f = (x: number, n: number) => x.toFixed(1).padStart(n);
    console.log(`${label.padEnd(20)} ${f(py[0], 9)} ${f(ours[0], 10)} ${(ours[0] / py[0]).toFixed(3).padStart(6)}   ${f(py[1], 9)} ${f(ours[1], 10)} ${(ours[1] / py[1]).toFixed(3).padStart(6)}`);
  }
}

main();
