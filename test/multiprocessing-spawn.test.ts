// torch.multiprocessing.spawn: PyTorch's DDP-tutorial way of starting ranks from one script. The
// scripts run the compiled library in dist/ (npm test builds it first).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './helpers/distributed';

jest.setTimeout(120_000);
const DIST = path.join(__dirname, '..', 'dist', 'lib', 'index.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-spawn-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs a script (its body after `torch`, `dist`, `fs` and OUT are defined); resolves with its exit code. */
function runScript(name: string, body: string): Promise<number> {
  const file = path.join(tmp, `${name}.js`);
  const out = path.join(tmp, `${name}-`);
  fs.writeFileSync(file, `const torch = require(${JSON.stringify(DIST)});\nconst dist = torch.distributed;\nconst fs = require('fs');\nconst OUT = ${JSON.stringify(out)};\n${body}`);
  return new Promise((resolve) => execFile(process.execPath, [file], (err) => resolve(err === null ? 0 : ((err as { code?: number }).code ?? 1))));
}
const read = (name: string): string => fs.readFileSync(path.join(tmp, name), 'utf8');

test("spawn(fn, { args, nprocs }) runs fn(i, ...args) in each worker, as the DDP tutorial's ranks; the parent goes on after join", async () => {
  const port = await freePort();
  const code = await runScript(
    'ok',
    `
function demo(rank, worldSize) {
  process.env.MASTER_ADDR = '127.0.0.1';
  process.env.MASTER_PORT = '${port}';
  dist.initProcessGroup('gloo', { rank, worldSize });
  const t = torch.tensor([rank + 1]);
  dist.allReduce(t);
  fs.writeFileSync(OUT + rank, JSON.stringify([rank, dist.getWorldSize(), t.tolist()]));
  dist.destroyProcessGroup();
}
fs.appendFileSync(OUT + 'starts', 'x');
torch.multiprocessing.spawn(demo, { args: [2], nprocs: 2 }).then(() => fs.writeFileSync(OUT + 'parent', 'joined'));
`,
  );
  expect(code).toBe(0);
  expect([read('ok-0'), read('ok-1')].map((s) => JSON.parse(s))).toEqual([
    [0, 2, [3]],
    [1, 2, [3]],
  ]);
  // the parent alone goes past spawn(); every process ran the script's top (as Python re-imports __main__)
  expect(read('ok-parent')).toBe('joined');
  expect(read('ok-starts')).toBe('xxx');
});

test('a worker that throws: the others are stopped and spawn rejects naming it', async () => {
  const code = await runScript(
    'fail',
    `
async function work(i) {
  if (i === 1) throw new Error('worker one failed');
  await new Promise((r) => setTimeout(r, 60000));
}
torch.multiprocessing.spawn(work, { nprocs: 2 }).catch((e) => {
  fs.writeFileSync(OUT + 'parent', e.message);
  process.exitCode = 3;
});
`,
  );
  expect(code).toBe(3);
  expect(read('fail-parent')).toBe('process 1 terminated with exit code 1');
});
