// data.fromModule with library values among the constructor arguments (a Compose of library
// transforms, a tensor, a dtype): they cross to the worker threads as the library datasets' own
// arguments do, so numWorkers 2 gives the batches of numWorkers 0 and of PyTorch; a user's function
// among them is refused, naming it. Also a plain array and FakeData in worker threads. Workers run
// the compiled library (npm test builds dist/), and so does this test: the user's module loads the
// compiled library too, and one copy of the library must make both its arguments and its tensors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runPython } from './helpers/python';

const DIST = path.resolve(__dirname, '..', 'dist', 'lib');
const torch = require(DIST) as typeof import('../lib');
const { DataLoader, fromModule } = require(path.join(DIST, 'data')) as typeof import('../lib/data');
const { datasets, transforms: T } = require(path.join(DIST, 'vision')) as typeof import('../lib/vision');
type Tensor = import('../lib').Tensor;

jest.setTimeout(300_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-module-args-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A user's dataset module, as an installed package would use the built library.
const MODULE = path.join(tmp, 'images.js');
fs.writeFileSync(
  MODULE,
  `const torch = require(${JSON.stringify(DIST)});
class Images {
  constructor(n, transform, offset, dtype) { Object.assign(this, { n, transform, offset, dtype }); }
  len() { return this.n; }
  getItem(i) {
    const img = torch.arange(3 * 70 * 70).mul(i + 1).add(this.offset).remainder(256).to(this.dtype).view(3, 70, 70);
    return [this.transform(img), i];
  }
}
module.exports = { Images };
`,
);

type Batch = [Tensor, Tensor];
async function sums(loader: AsyncIterable<Batch>): Promise<[number[], number[]][]> {
  const out: [number[], number[]][] = [];
  for await (const [x, y] of loader) out.push([x.sum([1, 2, 3]).tolist() as number[], y.tolist() as number[]]);
  return out;
}

test('library transforms, tensors and dtypes among fromModule arguments cross to the workers', async () => {
  const py = runPython<[number[], number[]][]>(`
from torch.utils.data import DataLoader
from torchvision import transforms as T
tf = T.Compose([T.CenterCrop(63), T.ConvertImageDtype(torch.float32)])
offset = torch.tensor([5], dtype=torch.int64)
items = [(tf((torch.arange(3 * 70 * 70) * (i + 1) + offset).remainder(256).to(torch.uint8).view(3, 70, 70)), i) for i in range(10)]
g = torch.Generator().manual_seed(4)
result = [[x.sum((1, 2, 3)).tolist(), y.tolist()] for x, y in DataLoader(items, batch_size=4, shuffle=True, generator=g)]`);
  const tf = new T.Compose([new T.CenterCrop(63), new T.ToTensor()]);
  const ds = fromModule(MODULE, 'Images', 10, tf, torch.tensor([5]), torch.uint8);
  expect(ds.len()).toBe(10);
  const run = (numWorkers: number) =>
    sums(new DataLoader<unknown, Batch>(ds, { batchSize: 4, shuffle: true, generator: new torch.Generator().manualSeed(4), numWorkers }));
  const [here, workers] = [await run(0), await run(2)];
  expect(workers).toEqual(here);
  here.forEach(([s, y], i) => {
    expect(y).toEqual(py[i][1]);
    s.forEach((v, j) => expect(v).toBeCloseTo(py[i][0][j], 2));
  });
});

test("a user's function among fromModule arguments is refused, naming it", () => {
  const ds = fromModule(MODULE, 'Images', 4, (x: Tensor) => x.float(), 0, torch.uint8);
  const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 1 });
  expect(() => loader[Symbol.asyncIterator]()).toThrow(/argument args\[1\] of data\.fromModule's Images dataset is an arrow function .*data\.moduleFunction/);
});

test('a plain array and FakeData load in worker threads as in this one', async () => {
  const arr = Array.from({ length: 9 }, (_, i) => [i, i * i]);
  const fake = new datasets.FakeData(12, [3, 8, 8], 5, new T.Compose([new T.CenterCrop(4), new T.ToTensor()]));
  for (const [ds, batchSize] of [[arr, 2], [fake, 5]] as const) {
    const run = async (numWorkers: number) => {
      const out: unknown[] = [];
      const loader = new DataLoader<unknown, Tensor[]>(ds, { batchSize, shuffle: true, generator: new torch.Generator().manualSeed(1), numWorkers });
      for await (const b of loader) out.push(b.map((t) => t.tolist()));
      return out;
    };
    expect(await run(2)).toEqual(await run(0));
  }
});
