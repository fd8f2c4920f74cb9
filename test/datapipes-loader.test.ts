// DataLoader over DataPipes: the loader's shuffle option, per-epoch seeds of the random pipes and
// sharding across workers give Python's batches (numWorkers 0 and 2). Workers run the compiled
// library (dist/), as in the other worker tests.
import * as path from 'path';
import * as torch from '../lib';
import { DataLoader, datapipes, fromModule, IterDataPipe } from '../lib/data';
import { runPython } from './helpers/python';

const { iter: I, map: M } = datapipes;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const wrap = <T>(xs: T[]) => new I.IterableWrapper(xs);
const FIXTURES = path.join(__dirname, 'fixtures', 'datapipes.js');
const fixture = (name: string, ...args: unknown[]) => fromModule<IterDataPipe<number>>(FIXTURES, name, ...args);

async function epochs(loader: DataLoader<any, torch.Tensor>, n: number): Promise<number[][][]> {
  const out: number[][][] = [];
  for (let e = 0; e < n; e++) {
    const batches: number[][] = [];
    for await (const b of loader) batches.push(b.tolist() as number[]);
    out.push(batches);
  }
  return out;
}

const PY = `
import warnings
warnings.simplefilter('ignore')
from torch.utils.data import DataLoader
from torch.utils.data.datapipes.iter import IterableWrapper as W
from torch.utils.data.datapipes.map import SequenceWrapper
def epochs(loader, n):
    return [[b.tolist() for b in loader] for _ in range(n)]
`;

describe('numWorkers 0', () => {
  test("shufflers are seeded from the loader's generator each epoch, as in Python", async () => {
    const py = runPython<unknown[]>(`${PY}
torch.manual_seed(0)
a = epochs(DataLoader(W(range(10)).shuffle(buffer_size=4).map(lambda x: x * 2), batch_size=3), 2)
g = torch.Generator().manual_seed(5)
b = epochs(DataLoader(W(range(12)).shuffle().batch(2).shuffle().unbatch(), batch_size=4, generator=g), 2)
torch.manual_seed(1)
c = epochs(DataLoader(W(range(8)).shuffle(), batch_size=3, shuffle=False), 1)
torch.manual_seed(2)
d = epochs(DataLoader(SequenceWrapper(list(range(9))).map(lambda x: -x), batch_size=4, shuffle=True), 2)
torch.manual_seed(3)
e = epochs(DataLoader(W(range(7)), batch_size=3, shuffle=True), 1)
result = [a, b, c, d, e]
`);
    torch.manualSeed(0);
    const a = await epochs(new DataLoader(wrap(range(10)).shuffle({ bufferSize: 4 }).map((x) => x * 2), { batchSize: 3 }), 2);
    const g = new torch.Generator().manualSeed(5);
    const b = await epochs(new DataLoader(wrap(range(12)).shuffle().batch(2).shuffle().unbatch(), { batchSize: 4, generator: g }), 2);
    torch.manualSeed(1);
    const c = await epochs(new DataLoader(wrap(range(8)).shuffle(), { batchSize: 3, shuffle: false }), 1);
    torch.manualSeed(2);
    const d = await epochs(new DataLoader(new M.SequenceWrapper(range(9)).map((x) => -x), { batchSize: 4, shuffle: true }), 2);
    // as PyTorch 1.13: shuffle=true over a pipe without a Shuffler warns, and the added one is not used
    const warned = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    torch.manualSeed(3);
    const e = await epochs(new DataLoader(wrap(range(7)), { batchSize: 3, shuffle: true }), 1);
    expect(String(warned.mock.calls[0]?.[0])).toContain('does not contain a `Shuffler`');
    warned.mockRestore();
    expect([a, b, c, d, e]).toEqual(py);
  });

  test('sync iteration, len() and its TypeError through the loader', () => {
    const py = runPython<unknown[]>(`${PY}
torch.manual_seed(4)
loader = DataLoader(W(range(10)).shuffle().sharding_filter(), batch_size=4, drop_last=True)
result = [[b.tolist() for b in loader], len(loader), err(lambda: len(DataLoader(W(range(3)).filter(lambda x: True))))]
`);
    torch.manualSeed(4);
    const loader = new DataLoader<any, torch.Tensor>(wrap(range(10)).shuffle().shardingFilter(), { batchSize: 4, dropLast: true });
    const batches = [...loader].map((b) => b.tolist());
    let lenError = 'no error';
    try {
      void new DataLoader(wrap(range(3)).filter(() => true)).length;
    } catch (e) {
      lenError = (e as Error).message;
    }
    expect([batches, loader.length, lenError]).toEqual(py);
  });
});

describe('numWorkers 2 (worker threads)', () => {
  test("each worker reads its shard; batches interleave and shuffle as Python's", async () => {
    const py = runPython<unknown[]>(`${PY}
torch.manual_seed(0)
a = epochs(DataLoader(W(range(20)).shuffle(buffer_size=5).sharding_filter(), batch_size=3, num_workers=2), 2)
b = epochs(DataLoader(W(range(11)).sharding_filter().map(lambda x: x * 10), batch_size=2, num_workers=2), 1)
torch.manual_seed(6)
dp = W(range(12)).shuffle().sharding_filter().batch(2).map(lambda b: sum(b))
c = epochs(DataLoader(dp, batch_size=2, num_workers=2, shuffle=False), 1)
torch.manual_seed(7)
d = epochs(DataLoader(W(range(16)).shuffle(buffer_size=5).sharding_filter(), batch_size=3, num_workers=2, persistent_workers=True), 2)
result = [a, b, c, d]
`);
    torch.manualSeed(0);
    const a = await epochs(new DataLoader(fixture('shuffledShards', 20, 5), { batchSize: 3, numWorkers: 2 }), 2);
    const b = await epochs(new DataLoader(fixture('shardedTimesTen', 11), { batchSize: 2, numWorkers: 2 }), 1);
    torch.manualSeed(6);
    const c = await epochs(new DataLoader(fixture('shuffleThenBatch', 12), { batchSize: 2, numWorkers: 2, shuffle: false }), 1);
    torch.manualSeed(7);
    const persistent = new DataLoader(fixture('shuffledShards', 16, 5), { batchSize: 3, numWorkers: 2, persistentWorkers: true });
    const d = await epochs(persistent, 2);
    await persistent.shutdown();
    expect([a, b, c, d]).toEqual(py);
  });
});
