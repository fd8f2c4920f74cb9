// DataLoader in this thread (numWorkers 0): every option, PyTorch's batches and shuffle orders for
// the same seeds, PyTorch's errors for invalid combinations, sync and async datasets.
import * as torch from '../lib';
import {
  DataLoader, Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset,
  BatchSampler, SequentialSampler, defaultCollate, ValueError,
} from '../lib/data';
import { runPython } from './helpers/python';

const lists = (batches: unknown[]) => batches.map((b) => (b as torch.Tensor[]).map((t) => t.tolist()));
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ds10 = () => new TensorDataset(torch.arange(10), torch.arange(10).mul(10));

test('batches, dropLast, length and sync iteration equal PyTorch', async () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader, TensorDataset
d = TensorDataset(torch.arange(10), torch.arange(10) * 10)
result = []
for kw in [dict(), dict(batch_size=4), dict(batch_size=4, drop_last=True), dict(batch_size=20)]:
    l = DataLoader(d, **kw)
    result.append([[[t.tolist() for t in b] for b in l], len(l)])`);
  const got: unknown[] = [];
  for (const opts of [{}, { batchSize: 4 }, { batchSize: 4, dropLast: true }, { batchSize: 20 }]) {
    const l = new DataLoader(ds10(), opts);
    got.push([lists(await collect(l)), l.length]);
  }
  expect(got).toEqual(py);
  // for...of gives the same epoch synchronously
  expect(lists([...new DataLoader(ds10(), { batchSize: 4 })])).toEqual((py[1] as unknown[])[0]);
});

test('shuffle order equals PyTorch: torch.manualSeed, and a loader generator, over several epochs', async () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader, TensorDataset
d = TensorDataset(torch.arange(10))
torch.manual_seed(0)
l = DataLoader(d, batch_size=3, shuffle=True)
a = [[b[0].tolist() for b in l] for _ in range(2)]
g = torch.Generator().manual_seed(123)
l = DataLoader(d, batch_size=4, shuffle=True, generator=g)
b = [[b[0].tolist() for b in l] for _ in range(2)]
after = torch.randint(1000, (3,)).tolist()
result = [a, b, after]`);
  const d = new TensorDataset(torch.arange(10));
  torch.manualSeed(0);
  let l = new DataLoader(d, { batchSize: 3, shuffle: true });
  const a = [];
  for (let e = 0; e < 2; e++) a.push((await collect(l)).map((b) => (b as torch.Tensor[])[0].tolist()));
  const g = new torch.Generator().manualSeed(123);
  l = new DataLoader(d, { batchSize: 4, shuffle: true, generator: g });
  const b = [];
  // sync iteration draws the same numbers
  for (let e = 0; e < 2; e++) b.push([...l].map((x) => (x as torch.Tensor[])[0].tolist()));
  // the global generator advanced exactly as in Python
  expect([a, b, torch.randint(1000, [3]).tolist()]).toEqual(py);
});

test('sampler, batchSampler and batchSize null (no auto-batching) behave as in PyTorch', async () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader, TensorDataset, BatchSampler, SequentialSampler
d = TensorDataset(torch.arange(6))
result = [
  [[t.tolist() for t in b] for b in DataLoader(d, batch_size=2, sampler=[5, 3, 1])],
  [[t.tolist() for t in b] for b in DataLoader(d, batch_sampler=[[0, 5], [2], [4, 3, 1]])],
  [[t.tolist() for t in b] for b in DataLoader(d, batch_size=None)],
  len(DataLoader(d, batch_sampler=BatchSampler(SequentialSampler(d), 4, False))),
]`);
  const d = new TensorDataset(torch.arange(6));
  expect([
    lists(await collect(new DataLoader(d, { batchSize: 2, sampler: [5, 3, 1] }))),
    lists(await collect(new DataLoader(d, { batchSampler: [[0, 5], [2], [4, 3, 1]] }))),
    lists(await collect(new DataLoader(d, { batchSize: null }))),
    new DataLoader(d, { batchSampler: new BatchSampler(new SequentialSampler(d), 4, false) }).length,
  ]).toEqual(py);
});

test("invalid option combinations raise PyTorch's messages", () => {
  const py = runPython<string[]>(`
from torch.utils.data import DataLoader, TensorDataset, IterableDataset
class It(IterableDataset):
    def __iter__(self): return iter(range(3))
d = TensorDataset(torch.arange(6))
cases = [dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=3), dict(persistent_workers=True),
         dict(sampler=[0, 1], shuffle=True), dict(batch_sampler=[[0]], batch_size=2),
         dict(batch_sampler=[[0]], shuffle=True), dict(batch_sampler=[[0]], drop_last=True),
         dict(batch_sampler=[[0]], sampler=[0]), dict(batch_size=None, drop_last=True)]
result = []
for kw in cases:
    try: DataLoader(d, **kw); result.append('no error')
    except Exception as e: result.append(type(e).__name__ + ': ' + str(e))
for kw in [dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])]:
    try: DataLoader(It(), **kw); result.append('no error')
    except Exception as e: result.append(type(e).__name__ + ': ' + str(e).split(', but got')[0])`);
  const d = new TensorDataset(torch.arange(6));
  class It extends IterableDataset<number> {
    *[Symbol.iterator]() {
      yield* [0, 1, 2];
    }
  }
  const cases = [
    { numWorkers: -1 }, { timeout: -1 }, { prefetchFactor: 3 }, { persistentWorkers: true },
    { sampler: [0, 1], shuffle: true }, { batchSampler: [[0]], batchSize: 2 },
    { batchSampler: [[0]], shuffle: true }, { batchSampler: [[0]], dropLast: true },
    { batchSampler: [[0]], sampler: [0] }, { batchSize: null, dropLast: true },
  ];
  const message = (f: () => unknown, cut = false) => {
    try {
      f();
      return 'no error';
    } catch (e) {
      const m = `${(e as Error).name}: ${(e as Error).message}`;
      return cut ? m.split(', but got')[0] : m;
    }
  };
  const got = cases.map((c) => message(() => new DataLoader(d, c)));
  got.push(...[{ shuffle: true }, { sampler: [0] }, { batchSampler: [[0]] }].map((c) => message(() => new DataLoader(new It(), c), true)));
  expect(got).toEqual(py);
  const l = new DataLoader(d, { batchSize: 2 });
  expect(() => Object.assign(l, { batchSize: 3 })).toThrow(new ValueError('batchSize attribute should not be set after DataLoader is initialized'));
  expect(l.batchSize).toBe(2);
  expect(() => new DataLoader(new It(), { shuffle: true })).toThrow(new ValueError('DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True'));
});

class Squares extends Dataset<{ x: number; sq: torch.Tensor }> {
  constructor(private readonly n: number, private readonly delayMs = 0) {
    super();
  }
  len() {
    return this.n;
  }
  async getItem(i: number) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    return { x: i, sq: torch.tensor([i * i]) };
  }
}

test('async getItem datasets work with for await and are refused by for...of', async () => {
  const batches = await collect(new DataLoader(new Squares(5, 1), { batchSize: 2 }));
  expect(batches.map((b) => [b.x.tolist(), b.sq.tolist()])).toEqual([
    [[0, 1], [[0], [1]]],
    [[2, 3], [[4], [9]]],
    [[4], [[16]]],
  ]);
  expect(() => [...new DataLoader(new Squares(2), { batchSize: 2 })]).toThrow(/async getItem/);
});

class Count extends IterableDataset<number> {
  constructor(private readonly from: number, private readonly to: number) {
    super();
  }
  *[Symbol.iterator]() {
    for (let i = this.from; i < this.to; i++) yield i;
  }
  len() {
    return this.to - this.from;
  }
}

test('IterableDataset: batching, dropLast, no batching, length; ChainDataset', async () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader, IterableDataset, ChainDataset
class Count(IterableDataset):
    def __init__(self, a, b): self.a, self.b = a, b
    def __iter__(self): return iter(range(self.a, self.b))
    def __len__(self): return self.b - self.a
result = []
for kw in [dict(batch_size=3), dict(batch_size=3, drop_last=True), dict(batch_size=None)]:
    l = DataLoader(Count(0, 7), **kw)
    result.append([[b if isinstance(b, int) else b.tolist() for b in l], len(l)])
l = DataLoader(ChainDataset([Count(0, 3), Count(10, 12)]), batch_size=2)
result.append([[b.tolist() for b in l], len(l)])`);
  const got: unknown[] = [];
  for (const opts of [{ batchSize: 3 }, { batchSize: 3, dropLast: true }, { batchSize: null }]) {
    const l = new DataLoader(new Count(0, 7), opts);
    got.push([(await collect(l)).map((b) => (b instanceof torch.Tensor ? b.tolist() : b)), l.length]);
  }
  const chain = new DataLoader(new ChainDataset([new Count(0, 3), new Count(10, 12)]), { batchSize: 2 });
  got.push([[...chain].map((b) => (b as torch.Tensor).tolist()), chain.length]);
  expect(got).toEqual(py);
  // and the same chain, asynchronously
  expect((await collect(chain)).map((b) => (b as torch.Tensor).tolist())).toEqual((py[3] as unknown[])[0]);
});

test("an IterableDataset yielding more than its reported length gets PyTorch's warning", async () => {
  class Liar extends Count {
    len() {
      return 2;
    }
  }
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  let warnings: string[];
  try {
    const l = new DataLoader(new Liar(0, 4), { batchSize: null });
    await collect(l); // no warning: length never read
    expect(l.length).toBe(2);
    await collect(l);
    warnings = spy.mock.calls.map((c) => String(c[0]));
  } finally {
    spy.mockRestore();
  }
  expect(warnings).toEqual([3, 4].map((n) => `Length of IterableDataset Liar was reported to be 2 (when accessing len(dataloader)), but ${n} samples have been fetched. `));
});

test('Subset, ConcatDataset (with negative indices), add(), custom collateFn', async () => {
  const a = new TensorDataset(torch.arange(3));
  const b = new TensorDataset(torch.arange(10, 14));
  const cat = new ConcatDataset([a, b]);
  expect(cat.len()).toBe(7);
  expect(cat.cumulativeSizes).toEqual([3, 7]);
  expect([0, 2, 3, 6, -1, -7].map((i) => (cat.getItem(i) as torch.Tensor[])[0].item())).toEqual([0, 2, 10, 13, 13, 0]);
  expect(() => cat.getItem(-8)).toThrow('absolute value of index should not exceed dataset length');
  expect(a.add(b).len()).toBe(7);
  const sub = new Subset(cat, [6, 0, 4]);
  const l = new DataLoader(sub, { batchSize: 3, collateFn: (items: torch.Tensor[][]) => items.map((t) => t[0].item()) });
  expect(await collect(l)).toEqual([[13, 0, 11]]);
  expect(() => new ConcatDataset([])).toThrow('datasets should not be an empty iterable');
  expect(() => new TensorDataset(torch.zeros(2), torch.zeros(3))).toThrow('Size mismatch between tensors');
  expect(defaultCollate).toBeDefined();
});

test('the TensorDataset fast path gives what per-item getItem + defaultCollate give; subclasses keep their getItem', async () => {
  const d = new TensorDataset(torch.randn(20, 3, 2), torch.arange(20));
  const sampler = [7, 3, 19, 0, 5, 5, 11];
  const fast = await collect(new DataLoader(d, { batchSize: 3, sampler }));
  const slow = await collect(new DataLoader(d, { batchSize: 3, sampler, collateFn: (b: unknown[]) => defaultCollate(b) as torch.Tensor[] }));
  expect(fast.map((b) => b.map((t) => [t.shape, t.dtype, t.tolist()]))).toEqual(slow.map((b) => b.map((t) => [t.shape, t.dtype, t.tolist()])));
  class Doubled extends TensorDataset {
    getItem(i: number) {
      return super.getItem(i).map((t) => t.mul(2));
    }
  }
  const [first] = await collect(new DataLoader(new Doubled(torch.arange(4)), { batchSize: 4 }));
  expect(first[0].tolist()).toEqual([0, 2, 4, 6]);
});

test('torch.utils.data and torch.data are this module', () => {
  expect(torch.utils.data.DataLoader).toBe(DataLoader);
  expect(torch.data.TensorDataset).toBe(TensorDataset);
});

test('pinMemory is a no-op without CUDA and pins with it', async () => {
  const [batch] = await collect(new DataLoader(ds10(), { batchSize: 10, pinMemory: true }));
  expect((batch as torch.Tensor[])[0].tolist()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
