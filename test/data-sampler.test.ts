// Samplers and randomSplit draw exactly what PyTorch's draw for the same seeds, and reject invalid
// arguments with PyTorch's messages.
import * as torch from '../lib';
import {
  SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
  DistributedSampler, TensorDataset, randomSplit, ValueError,
} from '../lib/data';
import { runPython } from './helpers/python';

const ds = (n: number) => ({ len: () => n });
const gen = (seed: number) => new torch.Generator().manualSeed(seed);

test('RandomSampler orders equal PyTorch (generator, replacement, numSamples, global seed)', () => {
  const py = runPython<number[][]>(`
from torch.utils.data import RandomSampler
def g(s): return torch.Generator().manual_seed(s)
r = range(10)
result = [
  list(RandomSampler(r, generator=g(0))),
  list(RandomSampler(r, generator=g(1), num_samples=25)),
  list(RandomSampler(r, generator=g(2), num_samples=7)),
  list(RandomSampler(r, replacement=True, generator=g(3))),
  list(RandomSampler(r, replacement=True, num_samples=70, generator=g(4))),
]
torch.manual_seed(5)
s = RandomSampler(r)
result += [list(s), list(s)]
`);
  const got = [
    [...new RandomSampler(ds(10), { generator: gen(0) })],
    [...new RandomSampler(ds(10), { generator: gen(1), numSamples: 25 })],
    [...new RandomSampler(ds(10), { generator: gen(2), numSamples: 7 })],
    [...new RandomSampler(ds(10), { replacement: true, generator: gen(3) })],
    [...new RandomSampler(ds(10), { replacement: true, numSamples: 70, generator: gen(4) })],
  ];
  torch.manualSeed(5);
  const s = new RandomSampler(ds(10));
  got.push([...s], [...s]);
  expect(got).toEqual(py);
  expect(s.len()).toBe(10);
});

test('SubsetRandomSampler, WeightedRandomSampler, SequentialSampler equal PyTorch', () => {
  const py = runPython<number[][]>(`
from torch.utils.data import SubsetRandomSampler, WeightedRandomSampler, SequentialSampler
def g(s): return torch.Generator().manual_seed(s)
result = [
  list(SubsetRandomSampler([5, 7, 9, 11, 13], generator=g(0))),
  list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 12, generator=g(1))),
  list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, replacement=False, generator=g(2))),
  list(SequentialSampler(range(4))),
]`);
  expect([
    [...new SubsetRandomSampler([5, 7, 9, 11, 13], gen(0))],
    [...new WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 12, true, gen(1))],
    [...new WeightedRandomSampler(torch.tensor([0.1, 0.9, 0.4, 0.7, 3.0, 0.6]), 5, false, gen(2))],
    [...new SequentialSampler(ds(4))],
  ]).toEqual(py);
});

test('BatchSampler with and without dropLast, and its len', () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import BatchSampler, SequentialSampler
result = []
for drop in [False, True]:
    b = BatchSampler(SequentialSampler(range(10)), 3, drop)
    result.append([list(b), len(b)])
b = BatchSampler(range(6), 2, False)
result.append([list(b), len(b)])`);
  const got: unknown[] = [false, true].map((drop) => {
    const b = new BatchSampler(new SequentialSampler(ds(10)), 3, drop);
    return [[...b], b.len()];
  });
  const plain = new BatchSampler([0, 1, 2, 3, 4, 5], 2, false);
  got.push([[...plain], plain.len()]);
  expect(got).toEqual(py);
});

test('DistributedSampler: every rank, shuffle, seed, dropLast, setEpoch equal PyTorch', () => {
  const configs = [
    { n: 10, replicas: 3, shuffle: true, seed: 0, dropLast: false, epoch: 0 },
    { n: 10, replicas: 3, shuffle: true, seed: 7, dropLast: true, epoch: 2 },
    { n: 11, replicas: 4, shuffle: false, seed: 0, dropLast: false, epoch: 0 },
    { n: 11, replicas: 4, shuffle: false, seed: 0, dropLast: true, epoch: 0 },
    { n: 2, replicas: 5, shuffle: true, seed: 1, dropLast: false, epoch: 1 },
  ];
  const py = runPython<unknown[]>(`
from torch.utils.data import DistributedSampler
result = []
for c in ${JSON.stringify(configs).replace(/true/g, 'True').replace(/false/g, 'False')}:
    for rank in range(c['replicas']):
        s = DistributedSampler(range(c['n']), num_replicas=c['replicas'], rank=rank, shuffle=c['shuffle'], seed=c['seed'], drop_last=c['dropLast'])
        s.set_epoch(c['epoch'])
        result.append([list(s), len(s)])`);
  const got: unknown[] = [];
  for (const c of configs) {
    for (let rank = 0; rank < c.replicas; rank++) {
      const s = new DistributedSampler(ds(c.n), { numReplicas: c.replicas, rank, shuffle: c.shuffle, seed: c.seed, dropLast: c.dropLast });
      s.setEpoch(c.epoch);
      got.push([[...s], s.len()]);
    }
  }
  expect(got).toEqual(py);
  expect(() => new DistributedSampler(ds(4), { numReplicas: 2, rank: 2 })).toThrow(new ValueError('Invalid rank 2, rank should be in the interval [0, 1]'));
});

test('randomSplit by lengths and by fractions equals random_split', () => {
  const py = runPython<number[][][]>(`
from torch.utils.data import random_split
r = range(10)
result = [
  [s.indices for s in random_split(r, [3, 7], generator=torch.Generator().manual_seed(42))],
  [s.indices for s in random_split(r, [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(1))],
  [s.indices for s in random_split(range(11), [0.5, 0.5], generator=torch.Generator().manual_seed(2))],
]
torch.manual_seed(3)
result.append([s.indices for s in random_split(r, [5, 5])])`);
  const d = new TensorDataset(torch.arange(10));
  const got = [
    randomSplit(d, [3, 7], gen(42)).map((s) => s.indices),
    randomSplit(d, [0.3, 0.3, 0.4], gen(1)).map((s) => s.indices),
    randomSplit(new TensorDataset(torch.arange(11)), [0.5, 0.5], gen(2)).map((s) => s.indices),
  ];
  torch.manualSeed(3);
  got.push(randomSplit(d, [5, 5]).map((s) => s.indices));
  expect(got).toEqual(py);
  const [a] = randomSplit(d, [3, 7], gen(42));
  expect((a.getItem(0) as torch.Tensor[])[0].item()).toBe(py[0][0][0]);
});

test("invalid sampler arguments raise PyTorch's messages", () => {
  const py = runPython<string[]>(`
from torch.utils.data import RandomSampler, WeightedRandomSampler, BatchSampler, random_split
result = []
for f in [lambda: RandomSampler(range(3), num_samples=0), lambda: RandomSampler(range(3), replacement=1),
          lambda: WeightedRandomSampler([1.0], 0), lambda: WeightedRandomSampler([[1.0, 2.0]], 2),
          lambda: BatchSampler(range(3), 0, False), lambda: BatchSampler(range(3), 2, 1),
          lambda: random_split(range(3), [1, 1]), lambda: random_split(range(3), [1.5, -0.5])]:
    try: f()
    except Exception as e: result.append(type(e).__name__ + ': ' + str(e))`);
  const fns = [
    () => new RandomSampler(ds(3), { numSamples: 0 }),
    () => new RandomSampler(ds(3), { replacement: 1 as unknown as boolean }),
    () => new WeightedRandomSampler([1.0], 0),
    () => new WeightedRandomSampler(torch.tensor([[1.0, 2.0]]), 2),
    () => new BatchSampler([0, 1, 2], 0, false),
    () => new BatchSampler([0, 1, 2], 2, 1 as unknown as boolean),
    () => randomSplit(new TensorDataset(torch.arange(3)), [1, 1]),
    () => randomSplit(new TensorDataset(torch.arange(3)), [1.5, -0.5]),
  ];
  const got = fns.map((f) => {
    try {
      f();
      return 'no error';
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  });
  expect(got).toEqual(py);
});
