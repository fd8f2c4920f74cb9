// The launcher (torchrun-node, lib/distributed/run.ts) and the data-parallel example it starts.
// Runs the compiled example in dist/ (npm test builds it first).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { launch, main } from '../lib/distributed/run';
import { loadFashionCNN, PYTHON_MODEL } from '../examples/fashion-mnist/model';
import { fashionImages } from '../examples/fashion-mnist/dataset';
import { runPython } from './helpers/python';
import { freePort } from './helpers/distributed';

jest.setTimeout(180_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-run-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A throwaway script for the ranks to run. */
function script(name: string, body: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, body);
  return file;
}

test("every rank gets torchrun's environment; --nproc_per_node=N and --nproc-per-node N both parse", async () => {
  const file = script('env.js', `require('fs').writeFileSync(require('path').join(${JSON.stringify(tmp)}, 'env' + process.env.RANK + '.json'), JSON.stringify(process.env));`);
  const port = await freePort();
  expect(await main(['--nproc_per_node=2', '--master-port', String(port), file])).toBe(0);
  for (const rank of [0, 1]) {
    const env = JSON.parse(fs.readFileSync(path.join(tmp, `env${rank}.json`), 'utf8')) as Record<string, string>;
    expect([env.RANK, env.LOCAL_RANK, env.WORLD_SIZE, env.LOCAL_WORLD_SIZE, env.MASTER_ADDR, env.MASTER_PORT]).toEqual([String(rank), String(rank), '2', '2', '127.0.0.1', String(port)]);
    expect(env.OMP_NUM_THREADS).toBe(process.env.OMP_NUM_THREADS ?? '1');
  }
  const exits = await launch({ script: file, nprocPerNode: 2, nnodes: 2, nodeRank: 1 });
  expect(exits.map((e) => e.rank)).toEqual([2, 3]);
});

test('a failing rank stops the others, and the launcher exits with its code', async () => {
  const file = script('fail.js', "if (process.env.RANK === '1') process.exit(3); else setInterval(() => undefined, 1000);");
  const exits = await launch({ script: file, nprocPerNode: 2 });
  expect(exits).toEqual([{ rank: 0, code: null, signal: 'SIGTERM' }, { rank: 1, code: 3, signal: null }]);
  expect(await main(['--nproc-per-node', '2', file])).toBe(3);
  expect(await main(['--help'])).toBe(0);
});

test('the data-parallel example trains on 2 processes and saves a state_dict Python loads', async () => {
  const out = path.join(tmp, 'ddp');
  const example = path.join(__dirname, '..', 'dist', 'examples', 'fashion-mnist-ddp.js');
  const exits = await launch({
    script: example,
    args: ['--epochs', '1', '--limit', '1024', '--test-limit', '200', '--out', out],
    nprocPerNode: 2,
    masterPort: await freePort(),
    env: { OMP_NUM_THREADS: '1' },
  });
  expect(exits.map((e) => e.code)).toEqual([0, 0]);
  const file = path.join(out, 'fashion-cnn-ddp.pt');
  // Python loads it into its FashionCNN and agrees with Node on the first test images' predictions
  const test = fashionImages({ train: false, limit: 200 }, false);
  const images = torch.stack(Array.from({ length: 200 }, (_, i) => test.getItem(i)[0]));
  const inputFile = path.join(tmp, 'images.pt');
  await torch.save(images, inputFile);
  const py = runPython<number[]>(`${PYTHON_MODEL}
m = FashionCNN()
m.load_state_dict(torch.load(${JSON.stringify(file)}))
m.eval()
with torch.no_grad():
    result = m(torch.load(${JSON.stringify(inputFile)})).argmax(1).tolist()`);
  const model = await loadFashionCNN(file);
  const node = torch.noGrad(() => (model(images) as torch.Tensor).argmax(1).tolist() as number[]);
  expect(node).toEqual(py);
  const labels = Array.from({ length: 200 }, (_, i) => test.getItem(i)[1]);
  expect(node.filter((p, i) => p === labels[i]).length / 200).toBeGreaterThan(0.3); // 10 classes: it learned
});
