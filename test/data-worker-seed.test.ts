// DataLoader workers draw random numbers as PyTorch's worker processes do: each worker's stream is
// seeded base_seed + worker_id (base_seed drawn from the main generator per epoch), and a worker's
// draws never disturb the main thread's generator.
import * as path from 'path';
import * as torch from '../lib';
import { DataLoader, fromModule, Dataset } from '../lib/data';
import { runPython } from './helpers/python';

const FIXTURES = path.join(__dirname, 'fixtures', 'data-workers.js');

test('torch.rand inside 2 workers equals PyTorch\'s worker draws; the main stream continues as in PyTorch', async () => {
  const want = runPython<{ batches: number[][][]; after: number[] }>(`
from torch.utils.data import Dataset, DataLoader
class RandomDataset(Dataset):
    def __len__(self): return 8
    def __getitem__(self, i): return torch.rand(2)
torch.manual_seed(0)
batches = [b.tolist() for b in DataLoader(RandomDataset(), batch_size=2, num_workers=2)]
result = dict(batches=batches, after=torch.rand(3).tolist())
`);
  torch.manualSeed(0);
  const loader = new DataLoader<torch.Tensor>(fromModule<Dataset<torch.Tensor>>(FIXTURES, 'RandomDataset', 8), { batchSize: 2, numWorkers: 2 });
  const got: number[][][] = [];
  for await (const b of loader) got.push(b.tolist() as number[][]);
  const after = torch.rand(3).tolist() as number[];
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-7);
  expect(got.length).toBe(want.batches.length);
  got.forEach((batch, i) => batch.forEach((row, j) => expect(close(row, want.batches[i][j])).toBe(true)));
  expect(close(after, want.after)).toBe(true);
});

test('a timeout without workers is an AssertionError, as PyTorch asserts', () => {
  const ds = fromModule<Dataset<torch.Tensor>>(FIXTURES, 'RandomDataset', 2);
  expect(() => new DataLoader(ds, { timeout: 1 })[Symbol.asyncIterator]()).toThrow(expect.objectContaining({ name: 'AssertionError' }));
});
