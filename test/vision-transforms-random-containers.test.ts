// RandomChoice / RandomOrder and the Python `random` generator they draw from, against Python 3's
// random module and torchvision 0.14: the same seeds give the same draws, choices, orders and
// images, in DataLoader worker threads too (they run the compiled library: npm test builds dist/);
// reprs and error messages.
import * as torch from '../lib';
import { DataLoader } from '../lib/data';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
const SEEDS = [0, 1, 5, 12345, 2 ** 40 + 3, -7];

/** [torchvision code on x (after random.seed(seed) and torch.manual_seed(|seed|)), torch-node's] */
const CASES: [string, (x: Img) => Img][] = [
  ['T.RandomChoice([T.RandomHorizontalFlip(1.0), T.RandomVerticalFlip(1.0), T.Grayscale(3)])(x)', (x) =>
    new T.RandomChoice([new T.RandomHorizontalFlip(1.0), new T.RandomVerticalFlip(1.0), new T.Grayscale(3)])(x) as Img],
  ['T.RandomChoice([T.RandomCrop(20), T.CenterCrop(20), T.Lambda(lambda y: y[..., :20, :20])], [0.2, 0.5, 0.3])(x)', (x) =>
    new T.RandomChoice([new T.RandomCrop(20), new T.CenterCrop(20), new T.Lambda((y: Img) => y.narrow(-2, 0, 20).narrow(-1, 0, 20))], [0.2, 0.5, 0.3])(x) as Img],
  ['torch.stack([T.RandomChoice(transforms=[T.RandomHorizontalFlip(1.0), T.RandomVerticalFlip(1.0)], p=[1, 3])(x) for _ in range(6)])', (x) => {
    const t = new T.RandomChoice({ transforms: [new T.RandomHorizontalFlip(1.0), new T.RandomVerticalFlip(1.0)], p: [1, 3] });
    return torch.stack([0, 1, 2, 3, 4, 5].map(() => t(x) as Img));
  }],
  ['T.RandomOrder([T.Lambda(lambda y: y * 2), T.Lambda(lambda y: y + 1), T.Lambda(lambda y: y.pow(2)), T.RandomCrop(25)])(x)', (x) =>
    new T.RandomOrder([new T.Lambda((y: Img) => y.mul(2)), new T.Lambda((y: Img) => y.add(1)), new T.Lambda((y: Img) => y.pow(2)), new T.RandomCrop(25)])(x) as Img],
  ['torch.stack([T.RandomOrder(transforms=[T.Lambda(lambda y: y * 3), T.Lambda(lambda y: y - 0.5), T.ColorJitter(0.4, 0.4)])(x) for _ in range(5)])', (x) => {
    const t = new T.RandomOrder({ transforms: [new T.Lambda((y: Img) => y.mul(3)), new T.Lambda((y: Img) => y.sub(0.5)), new T.ColorJitter(0.4, 0.4)] });
    return torch.stack([0, 1, 2, 3, 4].map(() => t(x) as Img));
  }],
];

const REPRS: [string, () => unknown][] = [
  ['T.RandomChoice([T.RandomHorizontalFlip(), T.CenterCrop(10)])', () => new T.RandomChoice([new T.RandomHorizontalFlip(), new T.CenterCrop(10)])],
  ['T.RandomChoice([T.Grayscale(), T.RandomVerticalFlip(0.25)], p=[0.3, 0.7])', () => new T.RandomChoice([new T.Grayscale(), new T.RandomVerticalFlip(0.25)], { p: [0.3, 0.7] })],
  ['T.RandomOrder([T.RandomHorizontalFlip(), T.Normalize([0.5], [0.25])])', () => new T.RandomOrder([new T.RandomHorizontalFlip(), new T.Normalize([0.5], [0.25])])],
];

const ERRORS: [string, () => unknown][] = [
  ['T.RandomChoice(T.CenterCrop(3))', () => new T.RandomChoice(new T.CenterCrop(3) as unknown as T.TransformFn[])],
  ['T.RandomChoice([T.CenterCrop(3)], p=0.5)', () => new T.RandomChoice([new T.CenterCrop(3)], 0.5 as unknown as number[])],
  ['T.RandomChoice([T.CenterCrop(3)], p=[0.5, 0.5])(x)', () => new T.RandomChoice([new T.CenterCrop(3)], [0.5, 0.5])(img)],
  ['T.RandomChoice([T.CenterCrop(3)], p=[0])(x)', () => new T.RandomChoice([new T.CenterCrop(3)], [0])(img)],
  ['T.RandomOrder(T.CenterCrop(3))', () => new T.RandomOrder(new T.CenterCrop(3) as unknown as T.TransformFn[])],
];

let py: {
  worker: number[];
  draws: { random: number[]; bits: number[]; shuffled: number[]; choices: number[] }[];
  cases: { shape: number[]; values: number[] }[][];
  reprs: string[];
  errors: string[];
};
let img: Img;

beforeAll(() => {
  py = runPython(`
import random, warnings
warnings.filterwarnings('ignore')
import torchvision.transforms as T
torch.manual_seed(0)
img = torch.rand(3, 31, 33)
draws = []
for seed in ${JSON.stringify(SEEDS)}:
    random.seed(seed)
    r = [random.random() for _ in range(5)]
    bits = [random.getrandbits(k) for k in (1, 5, 17, 32)]
    order = list(range(9)); random.shuffle(order)
    ch = [random.choices(range(4))[0] for _ in range(6)] + [random.choices(range(4), weights=[0.1, 2, 0, 5.5])[0] for _ in range(6)]
    draws.append({'random': r, 'bits': bits, 'shuffled': order, 'choices': ch})
cases = []
for code in ${JSON.stringify(CASES.map(([c]) => c))}:
    runs = []
    for seed in ${JSON.stringify(SEEDS)}:
        x = img.clone()
        random.seed(seed)
        torch.manual_seed(abs(seed))
        out = eval(code)
        runs.append({'shape': list(out.shape), 'values': out.double().flatten().tolist()})
    cases.append(runs)
x = img
random.seed(2**63 + 5)
worker = [random.random() for _ in range(3)]
result = {'worker': worker, 'draws': draws, 'cases': cases, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}],
          'errors': [err(lambda: eval(c)) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}]}
`);
  torch.manualSeed(0);
  img = torch.rand(3, 31, 33);
});

test('PythonRandom draws what Python 3 random draws after the same seed', () => {
  SEEDS.forEach((seed, s) => {
    const r = new T.PythonRandom().seed(seed);
    expect([0, 1, 2, 3, 4].map(() => r.random())).toEqual(py.draws[s].random);
    expect([1, 5, 17, 32].map((k) => r.getrandbits(k))).toEqual(py.draws[s].bits);
    const order = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    r.shuffle(order);
    expect(order).toEqual(py.draws[s].shuffled);
    const uniform = [0, 1, 2, 3, 4, 5].map(() => r.choices([0, 1, 2, 3])[0]);
    const weighted = [0, 1, 2, 3, 4, 5].map(() => r.choices([0, 1, 2, 3], [0.1, 2, 0, 5.5])[0]);
    expect([...uniform, ...weighted]).toEqual(py.draws[s].choices);
  });
});

test('in a worker thread pythonRandom starts from the worker seed, as random.seed(base_seed + id) in PyTorch workers', () => {
  jest.isolateModules(() => {
    const { setWorkerInfo } = require('../lib/data/worker-info') as typeof import('../lib/data/worker-info');
    setWorkerInfo({ id: 1, numWorkers: 2, seed: 2n ** 63n + 5n, dataset: null });
    const { pythonRandom } = require('../lib/python-random') as typeof import('../lib/python-random');
    expect([0, 1, 2].map(() => pythonRandom.random())).toEqual(py.worker);
  });
});

test.each(CASES.map(([code, fn], i) => [code, fn, i] as const))('%s equals torchvision for each seed', (_code, fn, i) => {
  SEEDS.forEach((seed, s) => {
    T.pythonRandom.seed(seed);
    torch.manualSeed(Math.abs(seed));
    const out = fn(img.clone());
    expect(out.shape).toEqual(py.cases[i][s].shape);
    const diff = out.to(torch.float64).flatten().sub(torch.tensor(py.cases[i][s].values, { dtype: torch.float64 })).abs().max().item() as number;
    expect(diff).toBeLessThan(1e-6);
  });
});

test('reprs and errors equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
  ERRORS.forEach(([, make], i) => expect(make).toThrow(py.errors[i]));
});

test('in DataLoader worker threads RandomChoice and RandomOrder draw as in torchvision worker processes (random seeded per worker)', async () => {
  const pyBatches = runPython<number[][]>(`
from torchvision import datasets, transforms as T
from torch.utils.data import DataLoader
t = T.Compose([T.ToTensor(), T.RandomChoice([T.RandomHorizontalFlip(1.0), T.RandomVerticalFlip(1.0), T.Grayscale(3)], [1, 2, 1]),
               T.RandomOrder([T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]), T.RandomErasing(1.0, value=3)])])
loader = DataLoader(datasets.FakeData(8, (3, 6, 7), 10, t), batch_size=2, num_workers=2, generator=torch.Generator().manual_seed(11))
result = [x.double().flatten().tolist() for x, _ in loader]
`);
  const t = new T.Compose([
    new T.ToTensor(),
    new T.RandomChoice([new T.RandomHorizontalFlip(1.0), new T.RandomVerticalFlip(1.0), new T.Grayscale(3)], [1, 2, 1]),
    new T.RandomOrder([new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]), new T.RandomErasing(1.0, { value: 3 })]),
  ]);
  const loader = new DataLoader(new datasets.FakeData(8, [3, 6, 7], 10, t), { batchSize: 2, numWorkers: 2, generator: torch.Generator().manualSeed(11) });
  const mine: number[][] = [];
  for await (const [x] of loader) mine.push((x as Img).to(torch.float64).flatten().tolist() as number[]);
  expect(mine.length).toBe(pyBatches.length);
  mine.forEach((b, i) => b.forEach((v, k) => expect(Math.abs(v - pyBatches[i][k])).toBeLessThan(1e-5)));
});

test("RandomChoice passes every argument on (the references' mixup/cutmix on images and targets) and prints each choice's own repr", () => {
  const want = runPython<{ out: number[][]; repr: string }>(`
import random
import torchvision.transforms as T
class Mix(torch.nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
    def forward(self, x, y):
        return x * self.a, y + self.a
    def extra_repr(self):
        return 'a=%d' % self.a
rc = T.RandomChoice([Mix(2), Mix(3)])
random.seed(3)
result = {'out': [[float(v) for v in rc(torch.tensor(1.0), torch.tensor(10.0))] for _ in range(6)], 'repr': repr(rc)}`);
  class Mix extends torch.nn.Module {
    constructor(readonly a: number) {
      super();
    }
    forward(x: torch.Tensor, y: torch.Tensor): [torch.Tensor, torch.Tensor] {
      return [x.mul(this.a), y.add(this.a)];
    }
    extraRepr(): string {
      return `a=${this.a}`;
    }
  }
  const rc = new T.RandomChoice([new Mix(2), new Mix(3)]);
  T.pythonRandom.seed(3);
  const out = [0, 1, 2, 3, 4, 5].map(() => (rc(torch.tensor(1.0), torch.tensor(10.0)) as torch.Tensor[]).map((t) => t.item()));
  expect(out).toEqual(want.out);
  expect(String(rc)).toBe(want.repr);
});
