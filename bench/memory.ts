// Memory without dispose: N iterations of ~10 ops on 256x256 float tensors, no dispose() and no
// tidy(), only the GC-time finalizers. Prints peak RSS here and in PyTorch (refcounting) and the ratio.
// Goal: torch-node under 600 MB. Usage: node dist/bench/memory.js [iterations=200000]
import * as torch from '../lib';
import { runPythonJson } from './python';

const iterations = Number(process.argv[2] ?? 200000);

const PYTHON = `
import json, resource, time, torch
from torch_threads import set_threads; set_threads(1)
torch.manual_seed(0)
a = torch.randn(256, 256); b = torch.randn(256, 256)
t0 = time.perf_counter()
for i in range(${iterations}):
    x = torch.add(a, b)
    y = torch.mul(x, a)
    z = torch.relu(y)
    w = torch.sub(z, b)
    v = torch.tanh(w)
    u = torch.mul(v, 0.5)
    s = torch.add(u, x)
    r = torch.sigmoid(s)
    q = torch.sub(r, 1)
    total = torch.sum(q)
print(json.dumps({"peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "seconds": time.perf_counter() - t0}))
`;

function runNode(): { peakMB: number; seconds: number; live: number } {
  torch.setNumThreads(1);
  torch.manualSeed(0);
  const a = torch.randn(256, 256);
  const b = torch.randn(256, 256);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const x = torch.add(a, b);
    const y = torch.mul(x, a);
    const z = torch.relu(y);
    const w = torch.sub(z, b);
    const v = torch.tanh(w);
    const u = torch.mul(v, 0.5);
    const s = torch.add(u, x);
    const r = torch.sigmoid(s);
    const q = torch.sub(r, 1);
    torch.sum(q);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { peakMB: process.resourceUsage().maxRSS / 1024, seconds, live: torch.memory().liveTensors };
}

function main(): void {
  const node = runNode();
  const py = runPythonJson<{ peakMB: number; seconds: number }>(PYTHON);
  console.log(`${iterations} iterations x 10 ops on 256x256 float32, no dispose (libtorch ${torch.libtorchVersion})`);
  console.log(`torch-node: peak RSS ${node.peakMB.toFixed(0)} MB, ${node.seconds.toFixed(1)} s, ${node.live} tensors alive at the end`);
  console.log(`PyTorch:    peak RSS ${py.peakMB.toFixed(0)} MB, ${py.seconds.toFixed(1)} s`);
  console.log(`ratio torch-node/PyTorch: peak RSS ${(node.peakMB / py.peakMB).toFixed(2)}, time ${(node.seconds / py.seconds).toFixed(2)}`);
  console.log(node.peakMB < 600 ? 'goal met: peak RSS under 600 MB' : 'goal NOT met: peak RSS is 600 MB or more');
}

main();
