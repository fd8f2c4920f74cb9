// torch.func, PyTorch (functorch 1.13) vs torch-node, same machine, one thread each: per-sample
// gradients of an MLP 784-128-10 over a batch of 64 (vmap(grad(loss)) over functionalCall), and the
// Jacobian of a 64 -> 64 tanh layer (jacrev vs jacfwd). Best of several runs; prints the ratio.
import * as torch from '../lib';
import { bestMicros, pythonBestMicros } from './best-of';
import { runPythonJson } from './python';

const CASES = ['per-sample grads, MLP, batch 64', 'jacrev, tanh(W x), 64x64', 'jacfwd, tanh(W x), 64x64'];
const ITERS = [50, 300, 300];
const REPEATS = 5;

const PYTHON = `
import json, time, torch
from torch import nn
import torch.nn.functional as F
from functorch import vmap, grad, jacrev, jacfwd
from torch.nn.utils.stateless import functional_call
from torch_threads import set_threads; set_threads(1)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
params = {k: v.detach() for k, v in model.named_parameters()}
xs, ys = torch.randn(64, 784), torch.randint(0, 10, (64,))
def loss(p, x, y): return F.cross_entropy(functional_call(model, p, (x.unsqueeze(0),)), y.unsqueeze(0))
W, v = torch.randn(64, 64), torch.randn(64)
f = lambda x: torch.tanh(W @ x)
cases = [lambda: vmap(grad(loss), (None, 0, 0))(params, xs, ys), lambda: jacrev(f)(v), lambda: jacfwd(f)(v)]
${pythonBestMicros(ITERS, REPEATS)}`;

function timeNode(): number[] {
  torch.setNumThreads(1);
  const { nn } = torch;
  const F = torch.nn.functional;
  const { vmap, grad, jacrev, jacfwd, functionalCall } = torch.func;
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const params = Object.fromEntries([...model.namedParameters()].map(([k, p]) => [k, p.detach()]));
  const xs = torch.randn(64, 784);
  const ys = torch.randint(0, 10, [64]);
  const loss = (p: Record<string, torch.Tensor>, x: torch.Tensor, y: torch.Tensor): torch.Tensor =>
    F.crossEntropy(functionalCall(model, p, [x.unsqueeze(0)]) as torch.Tensor, y.unsqueeze(0));
  const W = torch.randn(64, 64);
  const v = torch.randn(64);
  const f = (x: torch.Tensor): torch.Tensor => torch.tanh(W.matmul(x));
  const cases = [() => vmap(grad(loss), [null, 0, 0])(params, xs, ys), () => jacrev(f)(v), () => jacfwd(f)(v)];
  return bestMicros(cases, ITERS, REPEATS);
}

const py = runPythonJson<number[]>(PYTHON);
const node = timeNode();
console.log(`torch.func transforms, best of ${REPEATS} runs, 1 thread (libtorch ${torch.libtorchVersion})`);
console.log(`${'case'.padEnd(34)}${'PyTorch us'.padStart(12)}${'torch-node us'.padStart(15)}${'ratio'.padStart(8)}`);
CASES.forEach((c, i) => console.log(`${c.padEnd(34)}${py[i].toFixed(1).padStart(12)}${node[i].toFixed(1).padStart(15)}${(node[i] / py[i]).toFixed(3).padStart(8)}`));
