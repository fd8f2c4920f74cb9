// The library's own datasets in DataLoader worker threads, with no data.fromModule: TensorDataset
// (its tensors in shared memory, copied once), FashionMNIST and ImageFolder with library transforms,
// and Subset / ConcatDataset / randomSplit of them. With numWorkers 2 (and persistentWorkers) a
// seeded, shuffled loader gives PyTorch's DataLoader(num_workers=2) batches, random transform draws
// included (each worker's generator seeded base_seed + worker_id). A user's own function among the
// arguments still gets the "fromModule" error, naming the argument. Workers run the compiled library
// (npm test builds dist/).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { DataLoader, TensorDataset, Subset, ConcatDataset, Dataset, randomSplit, moduleFunction } from '../lib/data';
import { datasetSpec } from '../lib/data/dataset-spec';
import { encodeLibraryValue, decodeLibraryValue } from '../lib/data/library-ref';
import { liveWorkerCount } from '../lib/data/worker-pool';
import { randomSeed } from '../lib/data/rng';
import { datasets, transforms as T } from '../lib/vision';
import { runPythonShared as runPython } from './helpers/python-session';

jest.setTimeout(300_000);

const FASHION_ROOT = process.env.FASHION_MNIST_ROOT ?? '/usr/share/datasets/fashion-mnist';
const FIXTURE = path.join(__dirname, 'fixtures', 'data-workers-builtin.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-workers-builtin-'));
const images = path.join(tmp, 'images');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Batch = [Tensor, Tensor];
/** Per epoch, per batch: [x values, x shape, y values] */
type Epochs = [number[], number[], number[]][][];

async function epochs(loader: DataLoader<Batch>, n = 2): Promise<Epochs> {
  const out: Epochs = [];
  for (let e = 0; e < n; e++) {
    const batches: Epochs[number] = [];
    for await (const [x, y] of loader) batches.push([x.flatten().tolist() as number[], x.shape, y.tolist() as number[]]);
    out.push(batches);
  }
  if (loader.persistentWorkers) await loader.shutdown();
  return out;
}

/** toEqual for long arrays of numbers, with a short message (jest's diff of them takes minutes). */
function expectSame(actual: unknown, expected: unknown) {
  const [a, b] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a === b) return;
  let i = 0;
  while (a[i] === b[i]) i++;
  const around = (s: string) => s.slice(Math.max(0, i - 100), i + 100);
  throw new Error(`differ at character ${i}:\n  actual:   ...${around(a)}...\n  expected: ...${around(b)}...`);
}

/** Same shapes and labels; values within `tol`, and at most `maxOff` of them (per batch) off by more than 1e-6. */
function expectClose(actual: Epochs, expected: Epochs, tol: number, maxOff = (n: number) => n) {
  expect(actual.map((e) => e.map(([, s, y]) => [s, y]))).toEqual(expected.map((e) => e.map(([, s, y]) => [s, y])));
  actual.forEach((e, i) => e.forEach(([x], j) => {
    const diff = torch.tensor(x, { dtype: torch.float64 }).sub(torch.tensor(expected[i][j][0], { dtype: torch.float64 })).abs();
    expect(diff.max().item()).toBeLessThanOrEqual(tol);
    expect(diff.gt(1e-6).sum().item()).toBeLessThanOrEqual(maxOff(x.length));
  }));
}

const tensorData = () => [torch.arange(150, { dtype: torch.float32 }).view([50, 3]).div(4), torch.arange(50).remainder(7)];
const fashionTransform = () => new T.Compose([new T.ToTensor(), new T.Normalize([0.286], [0.353])]);
const folderTransform = () => new T.Compose([new T.RandomResizedCrop(8), new T.RandomHorizontalFlip(), new T.ToTensor()]);

let py: { tensors: Epochs; fashion: Epochs; folder: Epochs; folderAfter: number[]; files: string[] };

beforeAll(() => {
  // torchvision's FashionMNIST layout for the test split (it checks that the train files exist too)
  const raw = path.join(tmp, 'FashionMNIST', 'raw');
  fs.mkdirSync(raw, { recursive: true });
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) fs.writeFileSync(path.join(raw, f), gunzipSync(fs.readFileSync(path.join(FASHION_ROOT, `${f}.gz`))));
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) fs.writeFileSync(path.join(raw, f), '');
  py = runPython(`
import os, numpy as np
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset, Subset
from torchvision import datasets, transforms as T
from torchvision.io import read_image, ImageReadMode

def epochs(loader, n=2):
    return [[[x.flatten().tolist(), list(x.shape), y.tolist()] for x, y in loader] for _ in range(n)]

x = torch.arange(150, dtype=torch.float32).view(50, 3) / 4
y = torch.arange(50) % 7
tensors = epochs(DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True, generator=torch.Generator().manual_seed(5),
                            num_workers=2, persistent_workers=True))

fm = datasets.FashionMNIST(${JSON.stringify(tmp)}, train=False, transform=T.Compose([T.ToTensor(), T.Normalize((0.286,), (0.353,))]))
fashion = epochs(DataLoader(Subset(fm, range(300)), batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(11),
                            num_workers=2, persistent_workers=True))

root = ${JSON.stringify(images)}
rng = np.random.RandomState(0)
sizes = [(30, 24), (17, 40), (25, 25), (40, 31), (12, 20), (33, 18), (21, 29), (28, 36), (19, 22), (35, 27)]
for i, (h, w) in enumerate(sizes):
    cls = ['ant', 'bee'][i % 2]
    os.makedirs(os.path.join(root, cls), exist_ok=True)
    Image.fromarray(rng.randint(0, 256, (h, w, 3)).astype(np.uint8)).save(os.path.join(root, cls, 'img%d.png' % i))
# torch-node's ImageFolder loads uint8 tensors: so does the oracle (read_image); ConvertImageDtype(float)
# is ToTensor's arithmetic on them; antialias=True is the default here (torchvision 0.17+'s)
folder_ds = datasets.ImageFolder(root, T.Compose([T.RandomResizedCrop(8, antialias=True), T.RandomHorizontalFlip(), T.ConvertImageDtype(torch.float32)]),
                                 loader=lambda p: read_image(p, ImageReadMode.RGB))
torch.manual_seed(0)
folder = epochs(DataLoader(folder_ds, batch_size=3, shuffle=True, num_workers=2, persistent_workers=True))
result = dict(tensors=tensors, fashion=fashion, folder=folder, folderAfter=torch.rand(2).tolist(),
              files=[os.path.relpath(p, root) for p, _ in folder_ds.samples])
`);
});

test('TensorDataset: numWorkers 2 (persistent) gives PyTorch\'s DataLoader(num_workers=2) batches, as numWorkers 0 does', async () => {
  const ds = new TensorDataset(...tensorData());
  const loader = (numWorkers: number, persistentWorkers = numWorkers > 0) =>
    new DataLoader<Batch>(ds, { batchSize: 8, shuffle: true, generator: new torch.Generator().manualSeed(5), numWorkers, persistentWorkers });
  const multi = await epochs(loader(2));
  expectSame(multi, py.tensors);
  // persistent workers keep their generators (and the main thread draws no new base seed) across
  // epochs, as in PyTorch; new workers per epoch give numWorkers 0's batches
  expectSame(multi[0], (await epochs(loader(0)))[0]);
  expectSame(await epochs(loader(2, false)), await epochs(loader(0)));
  expect(liveWorkerCount()).toBe(0);
});

test('TensorDataset: the tensors cross to the workers in shared memory, copied once; an in-place change is seen', async () => {
  const [x, y] = tensorData();
  const ds = new TensorDataset(x, y);
  const buffers = () => {
    const spec = datasetSpec(ds) as { kind: 'library'; value: { args: { buffer: SharedArrayBuffer }[] } };
    expect(spec.kind).toBe('library');
    return spec.value.args.map((a) => a.buffer);
  };
  const first = buffers();
  expect(first.every((b) => b instanceof SharedArrayBuffer)).toBe(true);
  expect(first.map((b) => b.byteLength)).toEqual([150 * 4, 50 * 8]);
  expect(buffers().every((b, i) => b === first[i])).toBe(true); // the same memory, not a new copy
  const all = async (numWorkers: number) => (await epochs(new DataLoader<Batch>(ds, { batchSize: 16, numWorkers }), 1))[0];
  expectSame(await all(2), await all(0));
  x.mul_(-1); // numWorkers 0 sees it: so do the next workers
  const changed = buffers();
  expect(changed[0]).not.toBe(first[0]);
  expect(changed[1]).toBe(first[1]);
  const after = await all(2);
  expectSame(after, await all(0));
  expect(after[0][0][3]).toBe(-0.75);
  // a 0-element tensor and other dtypes
  const odd = new TensorDataset(torch.zeros([4, 0]), torch.tensor([true, false, true, true]), torch.arange(4).to(torch.float16));
  const oddRun = (numWorkers: number) => epochs(new DataLoader<Batch>(odd, { batchSize: 3, numWorkers }), 1);
  expectSame(await oddRun(2), await oddRun(0));
});

test('Subset, randomSplit and ConcatDataset of TensorDatasets run in workers', async () => {
  const ds = new TensorDataset(...tensorData());
  const [train, val] = randomSplit(ds, [0.8, 0.2], new torch.Generator().manualSeed(1));
  const cat = new ConcatDataset([val, new Subset(new TensorDataset(...tensorData()), [3, 1, 4])]);
  for (const d of [train, val, cat] as Dataset[]) {
    const run = (numWorkers: number) => epochs(new DataLoader<Batch>(d, { batchSize: 4, shuffle: true, generator: new torch.Generator().manualSeed(2), numWorkers }), 1);
    expectSame(await run(2), await run(0));
  }
  expect(liveWorkerCount()).toBe(0);
});

test('FashionMNIST (test split, first 300 by Subset) with Compose([ToTensor(), Normalize()]): PyTorch\'s worker batches', async () => {
  const fm = new datasets.FashionMNIST({ root: FASHION_ROOT, train: false, transform: fashionTransform() });
  const sub = new Subset(fm, [...Array(300).keys()]);
  const loader = (numWorkers: number, persistentWorkers = numWorkers > 0) =>
    new DataLoader<Batch>(sub, { batchSize: 64, shuffle: true, generator: new torch.Generator().manualSeed(11), numWorkers, persistentWorkers });
  const multi = await epochs(loader(2));
  expectClose(multi, py.fashion, 1e-6);
  expectSame(multi[0], (await epochs(loader(0)))[0]);
  expectSame(await epochs(loader(2, false)), await epochs(loader(0)));
  expect(liveWorkerCount()).toBe(0);
});

test('FashionMNIST with its default root, targetTransform and a moduleFunction in Compose', async () => {
  const transform = new T.Compose([new T.ToTensor(), moduleFunction(FIXTURE, 'addTen')]);
  const fm = new datasets.FashionMNIST(undefined, false, transform); // Python's positional arguments
  const sub = new Subset(fm, [5, 9, 2, 7, 1]);
  const run = (numWorkers: number) => epochs(new DataLoader<Batch>(sub, { batchSize: 2, numWorkers }), 1);
  const multi = await run(2);
  expectSame(multi, await run(0));
  expect(Math.min(...multi[0][0][0])).toBeGreaterThanOrEqual(10);
});

test('ImageFolder with RandomResizedCrop + RandomHorizontalFlip: the draws of PyTorch\'s workers (base_seed + worker_id)', async () => {
  const ds = new datasets.ImageFolder(images, folderTransform());
  expect(ds.samples.map(([p]) => path.relative(images, p))).toEqual(py.files);
  torch.manualSeed(0);
  const loader = new DataLoader<Batch>(ds, { batchSize: 3, shuffle: true, numWorkers: 2, persistentWorkers: true });
  const multi = await epochs(loader);
  const after = torch.rand(2).tolist() as number[];
  // uint8 resize ties may round the other way in another libtorch build: one level (1/255), rarely
  expectClose(multi, py.folder, 1 / 255 + 1e-6, (n) => Math.ceil(n / 200));
  after.forEach((v, i) => expect(v).toBeCloseTo(py.folderAfter[i], 7)); // the main stream drew what PyTorch's did
  // the same run again: the same batches
  torch.manualSeed(0);
  expectSame(await epochs(new DataLoader<Batch>(ds, { batchSize: 3, shuffle: true, numWorkers: 2, persistentWorkers: true })), multi);
  expect(liveWorkerCount()).toBe(0);
});

test('ImageFolder / DatasetFolder by keywords, with a library loader, and a randomSplit of one', async () => {
  const transform = new T.Compose([new T.ConvertImageDtype(torch.float32), new T.Resize([6, 6], { antialias: true }), new T.Normalize([0.5, 0.5, 0.5], [0.2, 0.2, 0.2])]);
  const folders: Dataset[] = [
    new datasets.ImageFolder({ root: images, transform, loader: datasets.defaultLoader }),
    new datasets.DatasetFolder(images, datasets.defaultLoader, ['.png'], { transform }),
  ];
  folders.push(...randomSplit(folders[0], [7, 3], new torch.Generator().manualSeed(0)));
  for (const d of folders) {
    const run = (numWorkers: number) => epochs(new DataLoader<Batch>(d, { batchSize: 4, numWorkers }), 1);
    expectSame(await run(2), await run(0));
  }
});

test('every library transform in worker threads: each worker\'s draws are those of torch.manualSeed(baseSeed + id)', async () => {
  const transform = new T.Compose([
    new T.ConvertImageDtype(torch.float32), new T.RandomRotation(20), new T.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
    new T.Pad([1, 2], 0.5), new T.RandomCrop(10, { padding: 2, paddingMode: 'reflect' }), new T.RandomResizedCrop(9, { scale: [0.5, 1] }),
    new T.Grayscale(3), new T.Resize([7, 7], { antialias: true }), new T.CenterCrop(6), new T.RandomVerticalFlip(0.7), new T.RandomHorizontalFlip(),
    new T.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]), new T.Lambda(T.functional.hflip), new T.ImageClassification({ cropSize: 5, resizeSize: 6 }),
  ]);
  const ds = new datasets.ImageFolder(images, transform);
  const n = ds.len();
  for (const numWorkers of [1, 2]) {
    const got: [number[], number][] = [];
    const loader = new DataLoader<[Tensor, number]>(ds, { batchSize: null, numWorkers, generator: new torch.Generator().manualSeed(7) });
    for await (const [x, y] of loader) got.push([x.flatten().tolist() as number[], y]);
    // Tasks go to the workers round-robin; each worker transforms its items in order, drawing from
    // its own generator seeded baseSeed + id (baseSeed: the loader's first draw from its generator).
    const baseSeed = randomSeed(new torch.Generator().manualSeed(7));
    const want: [number[], number][] = new Array(n);
    for (let id = 0; id < numWorkers; id++) {
      torch.manualSeed(baseSeed + BigInt(id));
      for (let i = id; i < n; i += numWorkers) {
        const [x, y] = await ds.getItem(i);
        want[i] = [x.flatten().tolist() as number[], y];
      }
    }
    expectSame(got, want);
  }
});

test('a library transform\'s encoding names its class in the compiled library; its fields rebuild it', () => {
  const img = torch.arange(3 * 10 * 12, { dtype: torch.float32 }).view([3, 10, 12]).div(360);
  const all: T.Transform[] = [
    new T.Resize(7, { interpolation: 'nearest' }), new T.Normalize([1, 2, 3], [2, 2, 2]), new T.Pad([1, 2], 3, 'reflect'),
    new T.Grayscale(3), new T.RandomCrop(6, { padding: 2 }), new T.ColorJitter({ brightness: 0.5, hue: 0.1 }),
  ];
  for (const t of all) {
    const enc = encodeLibraryValue(t) as { $lib: string; module: string; export: string };
    expect([enc.$lib, path.relative(path.join(__dirname, '..'), enc.module), enc.export]).toEqual(['state', path.join('dist', 'lib', 'vision', 'transforms', 'transforms.js'), t.constructor.name]);
    const copy = (t.constructor as unknown as { _fromState(s: object): T.Transform })._fromState({ ...t });
    expect(copy).toBeInstanceOf(t.constructor);
    expect(String(copy)).toBe(String(t));
    torch.manualSeed(3);
    const want = t(img) as Tensor;
    torch.manualSeed(3);
    expect((copy(img) as Tensor).equal(want)).toBe(true);
  }
  // dtypes by code, library functions by name, tensors in shared memory
  const compose = encodeLibraryValue(new T.Compose([new T.ConvertImageDtype(torch.float16), T.functional.hflip])) as unknown as { state: { transforms: unknown[] } };
  expect(compose.state.transforms).toEqual([
    expect.objectContaining({ $lib: 'state', export: 'ConvertImageDtype', state: { dtype: { $lib: 'dtype', code: torch.float16.code } } }),
    expect.objectContaining({ $lib: 'export', export: 'hflip' }),
  ]);
  expect(decodeLibraryValue({ $lib: 'dtype', code: torch.float16.code })).toBe(torch.float16);
});

describe('a user\'s function or class among the arguments: the fromModule error, naming the argument', () => {
  const refused = (ds: Dataset) => {
    try {
      new DataLoader(ds, { numWorkers: 2 })[Symbol.asyncIterator]();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  test('an arrow function as transform, in a Compose, as targetTransform, loader or isValidFile', () => {
    const fm = (options: object) => new datasets.FashionMNIST({ root: FASHION_ROOT, train: false, ...options });
    let msg = refused(fm({ transform: (x: Tensor) => x.float() }));
    expect(msg).toMatch(/fromModule/);
    expect(msg).toContain('argument transform of the FashionMNIST dataset is an arrow function ((x) => x.float())');
    msg = refused(new Subset(fm({ transform: new T.Compose([new T.ToTensor(), new T.Lambda((x: Tensor) => x.mul(2))]) }), [0, 1]));
    expect(msg).toContain('argument transform.transforms[1].lambd of the FashionMNIST dataset (at dataset.dataset) is an arrow function ((x) => x.mul(2))');
    msg = refused(fm({ targetTransform: function twice(t: number) { return 2 * t; } }));
    expect(msg).toContain('argument targetTransform of the FashionMNIST dataset is the function twice');
    msg = refused(new ConcatDataset<unknown>([new TensorDataset(torch.zeros([2])), new datasets.ImageFolder(images, { loader: (p: string) => torch.tensor([p.length]) })]));
    expect(msg).toContain('argument loader of the ImageFolder dataset (at dataset.datasets[1]) is an arrow function');
    msg = refused(new datasets.DatasetFolder(images, datasets.defaultLoader, { isValidFile: (p: string) => p.endsWith('.png') }));
    expect(msg).toContain('argument isValidFile of the DatasetFolder dataset is an arrow function');
  });

  test('a user\'s transform class, a user\'s subclass of a library dataset, a user dataset', () => {
    class Double extends T.Transform<Tensor, Tensor> {
      forward(x: Tensor) {
        return x.mul(2);
      }
    }
    let msg = refused(new datasets.ImageFolder(images, new T.Compose([new Double()])));
    expect(msg).toContain('argument transform.transforms[0] of the ImageFolder dataset is a Double object (its class extends Transform outside the library)');
    class MyFolder extends datasets.ImageFolder {}
    msg = refused(new MyFolder(images));
    expect(msg).toContain('the dataset is a MyFolder object (its class extends ImageFolder outside the library), not a library dataset: create it with data.fromModule');
    class Mine extends Dataset<number> {
      len() {
        return 1;
      }
      getItem() {
        return 1;
      }
    }
    expect(refused(new Subset(new Mine(), [0]))).toContain('the dataset (at dataset.dataset) is a Mine object (its class extends Dataset outside the library)');
  });
});
