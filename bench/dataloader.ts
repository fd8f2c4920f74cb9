// DataLoader throughput against PyTorch's DataLoader on the same workloads, in the same run:
//  (a) TensorDataset of 60,000 28x28 float images + int64 labels, batch 64, shuffled, one epoch;
//  (b) a dataset whose getItem spins ~0.5 ms of CPU per item, numWorkers 0 and 2.
// Goals: (a) at least as fast as PyTorch (ratio <= 1); (b) numWorkers 2 at least 1.7x faster than 0.
// Usage: node dist/bench/dataloader.js [busyItems=4000]
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { DataLoader, TensorDataset, fromModule, Dataset } from '../lib/data';
import { runPythonJson } from './python';

const busyItems = Number(process.argv[2] ?? 4000);

const PYTHON = `
import json, time, torch
from torch.utils.data import DataLoader, TensorDataset, Dataset
from torch_threads import set_threads; set_threads(1)
torch.manual_seed(0)
ds = TensorDataset(torch.rand(60000, 28, 28), torch.randint(10, (60000,)))
def epoch(loader):
    t0 = time.perf_counter()
    n = 0
    for x, y in loader: n += 1
    return time.perf_counter() - t0
a = min(epoch(DataLoader(ds, batch_size=64, shuffle=True)) for _ in range(3))
class Busy(Dataset):
    def __init__(self, n, ms): self.n, self.ms = n, ms
    def __len__(self): return self.n
    def __getitem__(self, i):
        end = time.perf_counter() + self.ms / 1000
        x = i
        while time.perf_counter() < end: x = (x * 1103515245 + 12345) % 2147483648
        return torch.full((16,), float(x % 1000)), i
busy = Busy(${busyItems}, 0.5)
b0 = epoch(DataLoader(busy, batch_size=32, num_workers=0))
b2 = epoch(DataLoader(busy, batch_size=32, num_workers=2))
print(json.dumps({"a": a, "b0": b0, "b2": b2}))
`;

async function epoch(loader: DataLoader): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const _ of loader) n++;
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  torch.setNumThreads(1);
  torch.manualSeed(0);
  const ds = new TensorDataset(torch.rand(60000, 28, 28), torch.randint(10, [60000]));
  let a = Infinity;
  for (let i = 0; i < 3; i++) a = Math.min(a, await epoch(new DataLoader(ds, { batchSize: 64, shuffle: true })));
  const busy = fromModule<Dataset>(path.join(__dirname, 'dataloader-busy.js'), 'BusyDataset', busyItems, 0.5);
  const b0 = await epoch(new DataLoader(busy, { batchSize: 32, numWorkers: 0 }));
  const b2 = await epoch(new DataLoader(busy, { batchSize: 32, numWorkers: 2 }));
  const py = runPythonJson<{ a: number; b0: number; b2: number }>(PYTHON);

  const s = (x: number) => `${x.toFixed(3)} s`;
  console.log(`(a) TensorDataset 60000x28x28, batch 64, shuffled epoch: torch-node ${s(a)}, PyTorch ${s(py.a)}, ratio ${(a / py.a).toFixed(2)}`);
  console.log(`(b) ${busyItems} items x 0.5 ms, batch 32: torch-node workers=0 ${s(b0)}, workers=2 ${s(b2)}, speedup ${(b0 / b2).toFixed(2)}x`);
  console.log(`    PyTorch workers=0 ${s(py.b0)}, workers=2 ${s(py.b2)}, speedup ${(py.b0 / py.b2).toFixed(2)}x; ratio torch-node/PyTorch workers=2 ${(b2 / py.b2).toFixed(2)}`);
  console.log(`    (${os.availableParallelism()} CPUs; load average ${os.loadavg()[0].toFixed(1)}: other processes share them)`);
  console.log(a <= py.a ? 'goal (a) met' : 'goal (a) NOT met');
  console.log(b0 / b2 >= 1.7 ? 'goal (b) met' : 'goal (b) NOT met');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
