// Python's call forms of the data utilities, as ported scripts write them: DataLoader's parameters
// positionally or by keyword (dataset included), None (null) as "not given", a plain list as the
// dataset, and loaders typed from their dataset (loader.dataset.len(), batch types).
import * as torch from '../lib';
import {
  DataLoader, Dataset, TensorDataset, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, DistributedSampler,
  SequentialSampler, randomSplit, fromModule,
} from '../lib/data';
import { PyTypeError } from '../lib/errors';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const rows = (batches: unknown[]) => batches.map((b) => (b as torch.Tensor[]).map((t) => t.tolist()));

class Squares extends Dataset<[torch.Tensor, number]> {
  len(): number {
    return 7;
  }
  getItem(i: number): [torch.Tensor, number] {
    return [torch.tensor([i, i * i]), i % 3];
  }
}

test('DataLoader takes every parameter by keyword, the dataset too, and positionally, as Python', () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader, TensorDataset
ds = TensorDataset(torch.arange(10), torch.arange(10) * 10)
out = []
torch.manual_seed(3)
out.append([[t.tolist() for t in b] for b in DataLoader(dataset=ds, batch_size=2, shuffle=True)])
torch.manual_seed(3)
out.append([[t.tolist() for t in b] for b in DataLoader(ds, 3, True, None, None, 0, None, False, True)])
g = torch.Generator().manual_seed(5)
out.append([[t.tolist() for t in b] for b in DataLoader(ds, 4, True, generator=g, drop_last=True)])
result = out`);
  const ds = new TensorDataset(torch.arange(10), torch.arange(10).mul(10));
  torch.manualSeed(3);
  const a = rows([...new DataLoader({ dataset: ds, batchSize: 2, shuffle: true })]);
  torch.manualSeed(3);
  const b = rows([...new DataLoader(ds, 3, true, null, null, 0, null, false, true)]);
  const c = rows([...new DataLoader(ds, 4, true, { generator: new torch.Generator().manualSeed(5), dropLast: true })]);
  expect([a, b, c]).toEqual(py);
});

test("DataLoader's argument errors are Python's TypeErrors", () => {
  const py = runPython<string[]>(`
from torch.utils.data import DataLoader
result = [err(lambda: DataLoader([1, 2], 2, batch_size=3)), err(lambda: DataLoader([1], prefetchfactor=2)), err(lambda: DataLoader())]`);
  const ds = [1, 2];
  const errOf = (f: () => unknown): string => {
    try {
      f();
      return 'no error';
    } catch (e) {
      expect(e).toBeInstanceOf(PyTypeError);
      return (e as Error).message;
    }
  };
  // Python names __init__ and snake_case arguments; the rest of each message is Python's
  const call = (f: () => unknown) => errOf(f).replace(/^DataLoader\(\)/, 'DataLoader.__init__()');
  const camel = (msg: string) => msg.replace(/'([a-z]+(_[a-z]+)+)'/g, (_, name: string) => `'${name.replace(/_([a-z])/g, (__, c: string) => c.toUpperCase())}'`);
  expect(call(() => new DataLoader(ds, 2, { batchSize: 3 }))).toBe(camel(py[0]));
  expect(call(() => new DataLoader(ds, { prefetchfactor: 2 } as never))).toContain(py[1]);
  expect(call(() => new (DataLoader as unknown as new () => unknown)())).toBe(py[2]);
});

test('null is None: the options Python defaults to None count as not given', () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader, TensorDataset
ds = TensorDataset(torch.arange(6))
train_sampler = None
torch.manual_seed(0)
a = [b[0].tolist() for b in DataLoader(ds, batch_size=2, shuffle=(train_sampler is None), sampler=train_sampler)]
b = [b[0].tolist() for b in DataLoader(ds, batch_size=4, shuffle=None, sampler=None, batch_sampler=None, collate_fn=None,
     worker_init_fn=None, multiprocessing_context=None, generator=None)]
result = [a, b, torch.randint(100, (2,)).tolist()]`);
  const ds = new TensorDataset(torch.arange(6));
  const trainSampler = null;
  torch.manualSeed(0);
  const a = [...new DataLoader(ds, { batchSize: 2, shuffle: trainSampler === null, sampler: trainSampler })].map((b) => b[0].tolist());
  const loader = new DataLoader(ds, {
    batchSize: 4, shuffle: null, sampler: null, batchSampler: null, collateFn: null, workerInitFn: null, multiprocessingContext: null, generator: null,
  });
  const b = [...loader].map((x) => x[0].tolist());
  expect([a, b, torch.randint(100, [2]).tolist()]).toEqual(py);
  expect(loader.batchSampler).not.toBeNull();
  expect(loader.workerInitFn).toBeUndefined();
});

test("samplers and randomSplit take None (null) and Python's positional forms", () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import RandomSampler, SubsetRandomSampler, WeightedRandomSampler, DistributedSampler, random_split
import torch.distributed as dist
ds = list(range(8))
torch.manual_seed(1)
a = list(RandomSampler(ds, True, 5, None))
b = list(RandomSampler(ds, num_samples=None, generator=None))
c = list(SubsetRandomSampler([3, 5, 7], None))
d = list(WeightedRandomSampler([0.1, 0.9, 0.5], 6, True, None))
e = list(DistributedSampler(ds, 2, 1, False))
# None: the default process group's world size and rank (an error before there is one)
no_group = err(lambda: DistributedSampler(ds, num_replicas=None, rank=None))
dist.init_process_group('gloo', store=dist.HashStore(), rank=0, world_size=1)
f = list(DistributedSampler(ds, num_replicas=None, rank=None, shuffle=True, seed=4))
dist.destroy_process_group()
g = [s.indices for s in random_split(ds, [5, 3], None)]
result = [a, b, c, d, e, f, g, no_group]`);
  const ds = Array.from({ length: 8 }, (_, i) => i);
  const sized = new TensorDataset(torch.arange(8));
  torch.manualSeed(1);
  const a = [...new RandomSampler(ds, true, 5, null)];
  const b = [...new RandomSampler(ds, { numSamples: null, generator: null })];
  const c = [...new SubsetRandomSampler([3, 5, 7], null)];
  const d = [...new WeightedRandomSampler([0.1, 0.9, 0.5], 6, true, null)];
  const e = [...new DistributedSampler(sized, 2, 1, false)];
  const noGroup = messageOf(() => new DistributedSampler(sized, { numReplicas: null, rank: null }));
  torch.distributed.initProcessGroup('gloo', { store: new torch.distributed.HashStore(), rank: 0, worldSize: 1 });
  const f = [...new DistributedSampler(sized, { numReplicas: null, rank: null, shuffle: true, seed: 4 })];
  torch.distributed.destroyProcessGroup();
  const g = randomSplit(ds, [5, 3], null).map((s) => s.indices);
  // a split of a list reads the list's items
  const [, tail] = randomSplit(['a', 'b', 'c', 'd'], [2, 2], new torch.Generator().manualSeed(0));
  expect(tail.getItem(1)).toBe('abcd'[tail.indices[1]]);
  expect([a, b, c, d, e, f, g, noGroup]).toEqual(py);
});

test('a plain array is a dataset, as a Python list is', async () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader
l = DataLoader([[1, 2], [3, 4], [5, 6]], batch_size=2)
torch.manual_seed(2)
s = [b.tolist() for b in DataLoader([1.5, 2.5, 3.5, 4.5], batch_size=3, shuffle=True)]
result = [[[t.tolist() for t in b] for b in l], len(l), s]`);
  const l = new DataLoader([[1, 2], [3, 4], [5, 6]], { batchSize: 2 });
  torch.manualSeed(2);
  const s = [...new DataLoader([1.5, 2.5, 3.5, 4.5], { batchSize: 3, shuffle: true })].map((t) => t.tolist());
  expect([rows([...l]), l.length, s]).toEqual(py);
  expect(l.dataset.length).toBe(3);
  expect(new SequentialSampler([7, 8, 9]).len()).toBe(3);
});

test('a loader is typed from its dataset: loader.dataset.len(), dataset.length, batch types', () => {
  const loader = new DataLoader(new Squares(), { batchSize: 3 });
  // these lines compile only with the dataset's own type and the collated batch type
  const n: number = loader.dataset.len();
  const squares: Squares = loader.dataset;
  const keyword = new DataLoader({ dataset: new Squares(), batchSize: 3 });
  const m: number = keyword.dataset.len();
  const [x, y] = [...loader][0];
  const xs: torch.Tensor = x;
  const ys: torch.Tensor = y;
  expect([n, m, squares.length, loader.length, xs.shape, ys.tolist()]).toEqual([7, 7, 7, 3, [3, 2], [0, 1, 2]]);
  // len(dataset) as Python's len(): a Subset and a TensorDataset too
  const sub = randomSplit(new Squares(), [4, 3], new torch.Generator().manualSeed(0))[1];
  expect([sub.length, new TensorDataset(torch.zeros(5)).length]).toEqual([3, 5]);
});

test('batch types follow the items, async getItem and transforms included; wrong options do not compile', () => {
  // compile-time checks: an ImageFolder's [Tensor, number] items batch to [Tensor, Tensor], FakeData's too
  const folderBatches: (l: DataLoader<datasets.ImageFolder>) => AsyncIterable<[torch.Tensor, torch.Tensor]> = (l) => l;
  const fake = new DataLoader(new datasets.FakeData(4, [3, 2, 2], { transform: new T.ToTensor() }), 2);
  const fakeBatch: [torch.Tensor, torch.Tensor] = [...fake][0];
  const sizes: number[] = [fake.dataset.length, fake.dataset.len()];
  // @ts-expect-error: batchSize is a number
  expect(() => new DataLoader(new Squares(), { batchSize: 'x' })).toThrow();
  // @ts-expect-error: a sampler yields numbers
  void (() => new DataLoader(new Squares(), { sampler: ['a'] }));
  expect([typeof folderBatches, fakeBatch[0].shape, fakeBatch[1].shape, sizes]).toEqual(['function', [2, 3, 2, 2], [2], [4, 4]]);
});

test('fromModule is typed: by a type argument, or from the module and its export', () => {
  const FIXTURES = require.resolve('./fixtures/data-workers.js');
  type Fixtures = { RangeDataset: new (n: number, width: number) => Dataset<torch.Tensor[]> };
  const typed = fromModule<Fixtures, 'RangeDataset'>(FIXTURES, 'RangeDataset', 6, 2);
  const plain = fromModule(FIXTURES, 'RangeDataset', 6, 2);
  const told = fromModule<Squares>(FIXTURES, 'RangeDataset', 6, 2);
  // @ts-expect-error: the constructor takes numbers
  void (() => fromModule<Fixtures, 'RangeDataset'>(FIXTURES, 'RangeDataset', 'six', 2));
  const lengths: number[] = [typed.len(), plain.len(), told.len()];
  expect(lengths).toEqual([6, 6, 6]);
});

test('a dataset written as an object literal is the dataset, not the options', async () => {
  const ds = { getItem: (i: number) => i * 2, len: () => 3 };
  const batches: unknown[] = [];
  for await (const b of new DataLoader(ds as never)) batches.push((b as torch.Tensor).tolist());
  expect(batches).toEqual([[0], [2], [4]]);
});

test('map-style datasets iterate by index, as Python: list(random_split(range(10), [5, 5])[0])', async () => {
  const py = runPython<number[]>(`
from torch.utils.data import random_split
result = list(random_split(range(10), [5, 5], generator=torch.Generator().manual_seed(42))[0])
`);
  const [a] = randomSplit([...Array(10).keys()], [5, 5], { generator: new torch.Generator().manualSeed(42) });
  expect([...a]).toEqual(py);
  const got: number[] = [];
  for await (const x of a) got.push(x);
  expect(got).toEqual(py);
});
