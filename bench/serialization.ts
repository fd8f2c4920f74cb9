// torch.save / torch.load of a 100 MB and a 1 GB float32 state_dict, PyTorch and torch-node in one
// run, same disk (files in the OS temp dir, read back from the page cache as a fresh process would
// after a save). Best of several runs; prints times and the ratio torch-node / PyTorch.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPythonJson } from './python';

const SIZES: [string, number, number][] = [
  // label, tensors, floats per tensor
  ['100 MB', 50, 512 * 1024],
  ['1 GB', 100, 2560 * 1024],
];
const REPEATS = [5, 3];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-bench-ser-'));

// One Python process per size and run, alternating with torch-node's run, so both meet the same
// page-cache and write-back state (saving GBs back to back is disk-bound and drifts otherwise).
function pythonRun(count: number, numel: number): number[] {
  return runPythonJson<number[]>(`
import json, time, torch, os, gc
from torch_threads import set_threads; set_threads(1)
sd = {f'layer{i}.weight': torch.randn(${numel}) for i in range(${count})}
f = os.path.join(${JSON.stringify(dir)}, 'py.pt')
t0 = time.perf_counter(); torch.save(sd, f); save = time.perf_counter() - t0
t0 = time.perf_counter(); x = torch.load(f); load = time.perf_counter() - t0
del x; gc.collect()
t0 = time.perf_counter(); x = torch.load(f, weights_only=True); load_wo = time.perf_counter() - t0
os.remove(f)
print(json.dumps([save, load, load_wo]))
`);
}

async function timeNode(sd: Record<string, torch.Tensor>): Promise<number[]> {
  const f = path.join(dir, 'node.pt');
  const out: number[] = [];
  const time = async (fn: () => unknown) => {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  };
  await time(() => torch.save(sd, f));
  await time(() => torch.load(f));
  fs.rmSync(f); // each save makes a new file, as Python's does (replacing one costs ext4 a flush)
  await time(() => torch.saveSync(sd, f));
  await time(() => torch.loadSync(f));
  fs.rmSync(f);
  return out;
}

async function main(): Promise<void> {
  torch.setNumThreads(1);
  console.log(`torch.save / torch.load of a float32 state_dict, best of ${REPEATS.join('/')} alternating runs (libtorch ${torch.libtorchVersion})`);
  console.log('PyTorch load: torch.load(f) (C unpickler); [weights_only=True] in brackets. torch-node: async save/load; sync in brackets');
  console.log('size'.padEnd(8) + 'op'.padEnd(6) + 'PyTorch s'.padStart(18) + 'torch-node s'.padStart(20) + 'ratio'.padStart(16));
  for (let i = 0; i < SIZES.length; i++) {
    const [label, count, numel] = SIZES[i];
    const sd: Record<string, torch.Tensor> = Object.create(null);
    for (let k = 0; k < count; k++) sd[`layer${k}.weight`] = torch.randn(numel);
    const py = [Infinity, Infinity, Infinity];
    const node = [Infinity, Infinity, Infinity, Infinity];
    for (let r = 0; r < REPEATS[i]; r++) {
      pythonRun(count, numel).forEach((t, k) => (py[k] = Math.min(py[k], t)));
      (await timeNode(sd)).forEach((t, k) => (node[k] = Math.min(node[k], t)));
    }
    for (const t of Object.values(sd)) t.dispose();
    const [pySave, pyLoad, pyLoadWo] = py;
    const row = (op: string, p: string, n: string, ratio: string) => console.log(label.padEnd(8) + op.padEnd(6) + p.padStart(18) + n.padStart(20) + ratio.padStart(16));
    row('save', pySave.toFixed(3), `${node[0].toFixed(3)} [${node[2].toFixed(3)}]`, `${(node[0] / pySave).toFixed(2)} [${(node[2] / pySave).toFixed(2)}]`);
    row('load', `${pyLoad.toFixed(3)} [${pyLoadWo.toFixed(3)}]`, `${node[1].toFixed(3)} [${node[3].toFixed(3)}]`, `${(node[1] / pyLoad).toFixed(2)} [${(node[3] / pyLoad).toFixed(2)}]`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(e);
  process.exit(1);
});
