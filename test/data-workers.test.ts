// DataLoader with numWorkers > 0 (worker_threads): order, prefetching, errors, timeouts, persistent
// workers, and no thread left behind. The workers run the compiled library (npm test builds dist/).
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as torch from '../lib';
import { DataLoader, fromModule, moduleFunction, Dataset, randomSplit, ConcatDataset, ChainDataset, IterableDataset } from '../lib/data';
import { liveWorkerCount } from '../lib/data/worker-pool';
import { runPythonShared as runPython } from './helpers/python-session';

const FIXTURES = path.join(__dirname, 'fixtures', 'data-workers.js');
const ds = <T = Dataset>(name: string, ...args: unknown[]) => fromModule<T>(FIXTURES, name, ...args);

/** OS threads of this process (worker threads included). */
const osThreads = () => Number(/Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
type Batch = [torch.Tensor, torch.Tensor];

test('4 workers with uneven delays: batches arrive in sampler order, equal to numWorkers 0', async () => {
  const dataset = ds('RangeDataset', 50, 8);
  const single = await collect(new DataLoader<Batch>(dataset, { batchSize: 3 }));
  const multi = await collect(new DataLoader<Batch>(dataset, { batchSize: 3, numWorkers: 4 }));
  expect(multi.map(([x, i]) => [x.tolist(), i.tolist()])).toEqual(single.map(([x, i]) => [x.tolist(), i.tolist()]));
  expect(multi[0][0].dtype).toBe(torch.float32);
  expect(multi[0][1].dtype).toBe(torch.int64);
  expect(liveWorkerCount()).toBe(0);
});

test('shuffled order with workers equals the shuffled order without (same generator seed)', async () => {
  const dataset = ds('RangeDataset', 40, 3);
  const order = async (numWorkers: number) => {
    const g = new torch.Generator().manualSeed(7);
    const batches = await collect(new DataLoader<Batch>(dataset, { batchSize: 4, shuffle: true, generator: g, numWorkers }));
    return batches.map(([, i]) => i.tolist());
  };
  expect(await order(3)).toEqual(await order(0));
});

test('early break ends every worker thread', async () => {
  const before = osThreads();
  const loader = new DataLoader<Batch>(ds('RangeDataset', 100, 2), { batchSize: 2, numWorkers: 4, prefetchFactor: 3 });
  let seen = 0;
  for await (const [, i] of loader) {
    expect(i.tolist()).toEqual([seen * 2, seen * 2 + 1]);
    if (++seen === 3) break;
  }
  expect(liveWorkerCount()).toBe(0);
  expect(osThreads()).toBeLessThanOrEqual(before);
});

test("a worker's exception names the worker and the indices, keeps its type, and ends the threads", async () => {
  const loader = new DataLoader<Batch>(ds('FailingDataset', 20, 9), { batchSize: 4, numWorkers: 2 });
  const batches: Batch[] = [];
  const err = await (async () => {
    try {
      for await (const b of loader) batches.push(b);
    } catch (e) {
      return e as Error & { workerId: number };
    }
  })();
  expect(batches.length).toBe(2); // indices 0..7 came back before the failing batch 8..11
  expect(err).toBeInstanceOf(RangeError);
  expect(err!.message).toMatch(/^Caught RangeError in DataLoader worker 0 while fetching indices \[8, 9, 10, 11\]\.\nOriginal RangeError: bad sample 9/);
  expect(err!.workerId).toBe(0);
  expect(liveWorkerCount()).toBe(0);
});

test('a worker that dies raises instead of hanging', async () => {
  const loader = new DataLoader(ds('CrashingDataset', 20, 5), { batchSize: 2, numWorkers: 2 });
  await expect(collect(loader)).rejects.toThrow(/DataLoader worker \d \(thread id \d+\) exited unexpectedly/);
  expect(liveWorkerCount()).toBe(0);
});

test('timeout raises PyTorch\'s message', async () => {
  const loader = new DataLoader(ds('SlowDataset', 4, 3000), { batchSize: 1, numWorkers: 1, timeout: 0.2 });
  await expect(collect(loader)).rejects.toThrow('DataLoader timed out after 0.2 seconds');
  expect(liveWorkerCount()).toBe(0);
});

test('workerInitFn and getWorkerInfo run in each worker; seeds are baseSeed + id', async () => {
  const loader = new DataLoader(ds('WhoDataset'), {
    batchSize: null, numWorkers: 2, workerInitFn: moduleFunction(FIXTURES, 'initWorker'),
  });
  const items = (await collect(loader)) as { i: number; id: number; numWorkers: number; seed: string; init: string; same: boolean }[];
  expect(items.map((x) => x.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(items.map((x) => x.id)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]); // round-robin, as PyTorch
  expect(items.every((x) => x.numWorkers === 2 && x.same && x.init === `init ${x.id}`)).toBe(true);
  expect(BigInt(items[1].seed) - BigInt(items[0].seed)).toBe(1n);
  expect(() => new DataLoader(ds('WhoDataset'), { numWorkers: 1, workerInitFn: () => undefined })[Symbol.asyncIterator]()).toThrow(/moduleFunction/);
});

test('IterableDataset sharded by getWorkerInfo: batches interleave between workers as in PyTorch', async () => {
  const py = runPython<number[][][]>(`
from torch.utils.data import DataLoader, IterableDataset, get_worker_info
class Stream(IterableDataset):
    def __init__(self, n): self.n = n
    def __iter__(self):
        info = get_worker_info()
        return iter([torch.tensor([i]) for i in range(info.id, self.n, info.num_workers)])
result = [[b.flatten().tolist() for b in DataLoader(Stream(n), batch_size=2, num_workers=3, drop_last=d)] for n, d in [(10, False), (10, True), (13, False)]]`);
  const got = [];
  for (const [n, dropLast] of [[10, false], [10, true], [13, false]] as const) {
    const batches = await collect(new DataLoader<torch.Tensor>(ds('StreamDataset', n), { batchSize: 2, numWorkers: 3, dropLast }));
    got.push(batches.map((b) => b.flatten().tolist()));
  }
  expect(got).toEqual(py);
});

test('IterableDataset sharded by getWorkerInfo, with dropLast and without batching', async () => {
  const all = await collect(new DataLoader<torch.Tensor>(ds('StreamDataset', 10), { batchSize: 2, numWorkers: 3 }));
  // Each worker streams its own share; batches alternate between workers like PyTorch's.
  expect(all.map((b) => b.flatten().tolist())).toEqual([[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]);
  const dropped = await collect(new DataLoader<torch.Tensor>(ds('StreamDataset', 10), { batchSize: 2, numWorkers: 3, dropLast: true }));
  expect(dropped.map((b) => b.flatten().tolist())).toEqual([[0, 3], [1, 4], [2, 5], [6, 9]]);
  const single = await collect(new DataLoader<torch.Tensor>(ds('StreamDataset', 5), { batchSize: null, numWorkers: 2 }));
  expect(single.map((b) => b.tolist())).toEqual([[0], [1], [2], [3], [4]]);
});

test('persistentWorkers keeps the same threads across epochs, then shutdown() ends them', async () => {
  const loader = new DataLoader<Batch>(ds('RangeDataset', 12, 2), { batchSize: 4, numWorkers: 2, persistentWorkers: true });
  const epoch = async () => (await collect(loader)).map(([, i]) => i.tolist());
  const first = await epoch();
  expect(liveWorkerCount()).toBe(2);
  // an epoch abandoned early does not disturb the next one
  for await (const _ of loader) break;
  expect(await epoch()).toEqual(first);
  expect(liveWorkerCount()).toBe(2);
  await loader.shutdown();
  expect(liveWorkerCount()).toBe(0);
});

test('collate functions: a module function runs in the workers, a plain function on this thread', async () => {
  const dataset = ds('RangeDataset', 9);
  const inWorkers = await collect(new DataLoader(dataset, { batchSize: 3, numWorkers: 2, collateFn: moduleFunction(FIXTURES, 'sumCollate') }));
  expect(inWorkers).toEqual([3, 12, 21]);
  const onMain = await collect(new DataLoader(dataset, { batchSize: 3, numWorkers: 2, collateFn: (b: [torch.Tensor, number][]) => b.map(([x]) => x.sum().item()) }));
  expect(onMain).toEqual([[0, 2, 6], [12, 20, 30], [42, 56, 72]]);
});

test('a factory export builds the dataset; prefetchFactor * numWorkers tasks in flight', async () => {
  const dataset = ds('makeRange', 30);
  const loader = new DataLoader<Batch>(dataset, { batchSize: 1, numWorkers: 3, prefetchFactor: 4 });
  const it = loader[Symbol.asyncIterator]();
  const first = await it.next();
  expect((first.value as Batch)[1].tolist()).toEqual([0]);
  const pool = it as unknown as { outstanding: number; sendIdx: number };
  expect(pool.sendIdx).toBe(13); // 12 in flight at the start, one more sent when the first came back
  await it.return();
  expect(liveWorkerCount()).toBe(0);
});

test('a dataset not made by fromModule is refused with numWorkers > 0', () => {
  class Local extends Dataset<number> {
    len() {
      return 1;
    }
    getItem() {
      return 1;
    }
  }
  expect(() => new DataLoader(new Local(), { numWorkers: 1 })[Symbol.asyncIterator]()).toThrow(/fromModule/);
});

test('a dataset that fails to build in a worker reports it with the first batch', async () => {
  const loader = new DataLoader(ds('BrokenInWorkerDataset', 4), { batchSize: 2, numWorkers: 1 });
  await expect(collect(loader)).rejects.toThrow(/^Caught TypeError in DataLoader worker 0 while fetching indices \[0, 1\]\.\nOriginal TypeError: cannot open the data in a worker/);
  expect(liveWorkerCount()).toBe(0);
});

test('persistent workers and abandoned iterators never keep the process alive', () => {
  const script = `
    const { DataLoader, fromModule } = require(${JSON.stringify(require.resolve('../dist/lib/data'))});
    (async () => {
      const ds = fromModule(${JSON.stringify(FIXTURES)}, 'RangeDataset', 40, 2);
      const persistent = new DataLoader(ds, { batchSize: 4, numWorkers: 2, persistentWorkers: true });
      let n = 0;
      for await (const b of persistent) n++;
      const it = new DataLoader(ds, { batchSize: 4, numWorkers: 2 })[Symbol.asyncIterator]();
      await it.next(); // then dropped without return()
      console.log('done', n);
    })();`;
  const t0 = Date.now();
  const out = execFileSync(process.execPath, ['-e', script], { timeout: 20000 }).toString().trim();
  expect(out).toBe('done 10');
  expect(Date.now() - t0).toBeLessThan(20000);
});

test('randomSplit parts, ConcatDataset and ChainDataset of module datasets run in workers too', async () => {
  const [train, val] = randomSplit(ds('RangeDataset', 20), [15, 5], new torch.Generator().manualSeed(0));
  const indices = async (d: Dataset, numWorkers: number) =>
    (await collect(new DataLoader<Batch>(d, { batchSize: 4, numWorkers }))).flatMap(([, i]) => i.tolist() as number[]);
  expect(await indices(val, 2)).toEqual(val.indices);
  expect(await indices(train, 2)).toEqual(train.indices);
  const cat = new ConcatDataset([ds('RangeDataset', 3), ds('makeRange', 2)]);
  expect(await indices(cat, 2)).toEqual([0, 1, 2, 0, 1]);
  const chain = new ChainDataset([ds<IterableDataset>('StreamDataset', 3), ds<IterableDataset>('StreamDataset', 2)]);
  const streamed = await collect(new DataLoader<torch.Tensor>(chain, { batchSize: null, numWorkers: 1 }));
  expect(streamed.map((t) => t.tolist())).toEqual([[0], [1], [2], [0], [1]]);
  // the same chain in this thread
  const here = await collect(new DataLoader<torch.Tensor>(chain, { batchSize: null }));
  expect(here.map((t) => t.tolist())).toEqual([[0], [1], [2], [0], [1]]);
});
