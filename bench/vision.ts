// bench/vision: resnet18 / resnet50 inference (batch 1 and 8, eval, no grad), a resnet18 SGD
// training step (batch 16), and resnet18 traced to TorchScript in Python and run by both sides'
// torch.jit.load (batch 8) on CPU, PyTorch + torchvision vs torch-node in one run, same thread count.
// Both sides run the literal code: no torch.tidy on the torch-node side, the GC frees the tensors.
// The machines here are shared and their speed swings within seconds, so the two sides take turns
// one iteration at a time (bench/paired.ts): a PyTorch process holds the same model and runs a step
// whenever torch-node has run one. Prints the fastest and the median iteration of each side, and the
// median of the per-pair ratios torch-node / PyTorch (wall and CPU time), the steadiest figure on a
// noisy VM, with a 95% confidence interval for the wall ratio: cheap cases run pairs for at least
// BENCH_SECONDS so that the interval is narrow. Goal: <= 1.05. Run: npm run bench:vision
// (BENCH_THREADS, BENCH_ITERS, BENCH_SECONDS; BENCH_ONLY=text runs the cases whose label contains it).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models } from '../lib/vision';
import { pairedCase, pairedHeader, pairedRow } from './paired';
import { benchPython, pythonEnv } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ITERS = Number(process.env.BENCH_ITERS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
type Mode = 'infer' | 'train' | 'script';
const CASES: [string, string, number, Mode][] = [
  ['resnet18 infer b1', 'resnet18', 1, 'infer'],
  ['resnet18 infer b8', 'resnet18', 8, 'infer'],
  ['resnet50 infer b1', 'resnet50', 1, 'infer'],
  ['resnet50 infer b8', 'resnet50', 8, 'infer'],
  ['resnet18 train b16', 'resnet18', 16, 'train'],
  ['resnet18 script b8', 'resnet18', 8, 'script'],
];

/** torchvision's model traced in Python (what a deployment ships), for the script cases. */
function tracedFile(name: string): string {
  const file = path.join(os.tmpdir(), `torch-node-bench-${name}-traced.pt`);
  const program = `import torch, torchvision\ntorch.manual_seed(0)\ntorch.jit.trace(torchvision.models.${name}().eval(), torch.randn(1, 3, 224, 224)).save(${JSON.stringify(file)})`;
  if (!fs.existsSync(file)) execFileSync(benchPython(), ['-c', program], { env: pythonEnv() });
  return file;
}

const python = ([, name, batch, mode]: (typeof CASES)[number]) => `
import torch, torchvision
from torch_threads import set_threads; set_threads(${THREADS})
torch.manual_seed(0)
m = ${mode === 'script' ? `torch.jit.load(${JSON.stringify(tracedFile(name))})` : `torchvision.models.${name}()`}
x = torch.randn(${batch}, 3, 224, 224)
if ${mode === 'train' ? 'True' : 'False'}:
    m.train(); opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9); y = torch.randint(0, 1000, (${batch},))
    loss_fn = torch.nn.CrossEntropyLoss()
    def step():
        opt.zero_grad(); loss = loss_fn(m(x), y); loss.backward(); opt.step()
else:
    m.eval()
    def step():
        with torch.no_grad(): m(x)
`;

async function main(): Promise<void> {
  torch.setNumThreads(THREADS);
  console.log(`threads ${THREADS}, at least ${ITERS} paired iterations and ${SECONDS} s per case (PyTorch, then torch-node), ms per iteration`);
  console.log(pairedHeader('PyTorch'));
  for (const c of CASES.filter(([label]) => label.includes(process.env.BENCH_ONLY ?? ''))) {
    const [label, name, batch, mode] = c;
    torch.manualSeed(0);
    const m = mode === 'script' ? await torch.jit.load(tracedFile(name)) : (models as unknown as Record<string, () => nn.Module>)[name]();
    const x = torch.randn([batch, 3, 224, 224]);
    let step: () => void;
    if (mode === 'train') {
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
    console.log(pairedRow(label, await pairedCase(python(c), step, ITERS, SECONDS)));
  }
}

void main();
