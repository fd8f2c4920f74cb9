// Per-op overhead, PyTorch vs torch-node, same machine, one thread each:
// add of two 1-element tensors, matmul 64x64, and a 3-op chain. Prints times and the ratio.
// The last two cases dispose each result at once, as Python's refcounting frees it: the difference
// to their GC'd forms is what results living until the next scavenge cost (the memory is reused
// cold instead of hot in cache).
import * as torch from '../lib';
import { bestMicros, pythonBestMicros } from './best-of';
import { runPythonJson } from './python';

const CASES = ['add 1-elem', 'matmul 64x64', 'chain add->mul->relu', 'matmul, disposed', 'chain, disposed'];
const ITERS = [200000, 20000, 100000, 20000, 100000];
const REPEATS = 7;

const PYTHON = `
import json, time, torch
from torch_threads import set_threads; set_threads(1)
a = torch.ones(1); b = torch.ones(1)
m1 = torch.randn(64, 64); m2 = torch.randn(64, 64)
c = torch.randn(16)
cases = [lambda: torch.add(a, b), lambda: torch.matmul(m1, m2), lambda: torch.relu(torch.mul(torch.add(c, c), c))]
cases += cases[1:3]
${pythonBestMicros(ITERS, REPEATS)}`;

function timeNode(): number[] {
  torch.setNumThreads(1);
  const a = torch.ones(1);
  const b = torch.ones(1);
  const m1 = torch.randn(64, 64);
  const m2 = torch.randn(64, 64);
  const c = torch.randn(16);
  const cases = [
    () => torch.add(a, b),
    () => torch.matmul(m1, m2),
    () => torch.relu(torch.mul(torch.add(c, c), c)),
    () => torch.matmul(m1, m2).dispose(),
    () => {
      const sum = torch.add(c, c);
      const product = torch.mul(sum, c);
      torch.relu(product).dispose();
      product.dispose();
      sum.dispose();
    },
  ];
  return bestMicros(cases, ITERS, REPEATS);
}

function main(): void {
  const py = runPythonJson<number[]>(PYTHON);
  const node = timeNode();
  console.log(`per-op time, best of ${REPEATS} runs, 1 thread (libtorch ${torch.libtorchVersion})`);
  console.log('case'.padEnd(24) + 'PyTorch us'.padStart(12) + 'torch-node us'.padStart(15) + 'ratio'.padStart(8));
  CASES.forEach((name, i) => {
    console.log(name.padEnd(24) + py[i].toFixed(3).padStart(12) + node[i].toFixed(3).padStart(15) + (node[i] / py[i]).toFixed(3).padStart(8));
  });
}

main();
