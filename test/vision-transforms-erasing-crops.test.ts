// RandomErasing / F.erase, FiveCrop / TenCrop / F.fiveCrop / F.tenCrop against torchvision 0.14 on
// the same tensors after the same seeds (uint8 and float RGB images, a 2-D Fashion-MNIST-like
// image, and torchvision's PIL 'L' image of it where a PIL path is needed): values, shapes, reprs
// and error messages; and in DataLoader worker threads (the compiled library: npm test builds dist/).
import * as torch from '../lib';
import { DataLoader } from '../lib/data';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
const F = T.functional;
const SEEDS = [0, 1, 2, 7, 11];
/** [torchvision code on `x` (run after torch.manual_seed(seed)), the image it runs on, torch-node's]; a list result is stacked */
const CASES: [string, 'img' | 'f' | 'gray' | 'pil', (x: Img) => Img | Img[]][] = [
  ['T.RandomErasing()(x)', 'img', (x) => new T.RandomErasing()(x)],
  ['T.RandomErasing()(x)', 'f', (x) => new T.RandomErasing()(x)],
  ['T.RandomErasing(1.0, (0.1, 0.5), (0.5, 2.0), "random")(x)', 'f', (x) => new T.RandomErasing(1.0, [0.1, 0.5], [0.5, 2.0], 'random')(x)],
  ['T.RandomErasing(p=1, value="random")(x)', 'img', (x) => new T.RandomErasing({ p: 1, value: 'random' })(x)],
  ['T.RandomErasing(p=1, value=[0.1, 0.5, 0.9])(x)', 'f', (x) => new T.RandomErasing({ p: 1, value: [0.1, 0.5, 0.9] })(x)],
  ['T.RandomErasing(p=1, value=(10, 200, 99))(x)', 'img', (x) => new T.RandomErasing({ p: 1, value: [10, 200, 99] })(x)],
  ['T.RandomErasing(1, scale=(0.3, 0.9), ratio=(0.2, 5.0), value=0.25)(x)', 'f', (x) => new T.RandomErasing(1, [0.3, 0.9], { ratio: [0.2, 5.0], value: 0.25 })(x)],
  ['T.RandomErasing(p=1, scale=(0.95, 1.0), ratio=(1.0, 1.0), value=7)(x)', 'img', (x) => new T.RandomErasing({ p: 1, scale: [0.95, 1.0], ratio: [1.0, 1.0], value: 7 })(x)],
  ['T.RandomErasing(p=1, value=200)(x.unsqueeze(0))[0]', 'gray', (x) => new T.RandomErasing({ p: 1, value: 200 })(x)],
  ['torch.stack([T.RandomErasing(0.7, value=3)(x) for _ in range(4)])', 'img', (x) => { const t = new T.RandomErasing(0.7, { value: 3 }); return torch.stack([0, 1, 2, 3].map(() => t(x))); }],
  ['T.RandomErasing(p=1, value="random")(torch.stack([x, x]))', 'f', (x) => new T.RandomErasing({ p: 1, value: 'random' })(torch.stack([x, x]))],
  // torchvision's classification reference training preset with random_erase_prob (on a tensor image)
  ['T.Compose([T.RandomResizedCrop(24, antialias=True), T.RandomHorizontalFlip(), T.ConvertImageDtype(torch.float), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)), T.RandomErasing(p=0.5)])(x)', 'img', (x) =>
    new T.Compose([new T.RandomResizedCrop(24), new T.RandomHorizontalFlip(), new T.ConvertImageDtype(torch.float), new T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), new T.RandomErasing({ p: 0.5 })])(x) as Img],
  ['TF.erase(x, 3, 5, 10, 7, torch.tensor([1, 2, 3])[:, None, None])', 'img', (x) => F.erase(x, 3, 5, 10, 7, torch.tensor([1, 2, 3]).view([-1, 1, 1]))],
  ['TF.erase(x, 30, 40, 20, 20, torch.tensor(0.5))', 'f', (x) => F.erase(x, 30, 40, 20, 20, torch.tensor(0.5))],
  ['TF.erase(x, i=0, j=1, h=5, w=6, v=torch.full((3, 5, 6), -1.0), inplace=False)', 'f', (x) => F.erase({ img: x, i: 0, j: 1, h: 5, w: 6, v: torch.full([3, 5, 6], -1.0), inplace: false })],
  ['TF.five_crop(x, 20)', 'img', (x) => F.fiveCrop(x, 20)],
  ['TF.five_crop(x, [25, 18])', 'f', (x) => F.fiveCrop(x, [25, 18])],
  ['TF.five_crop(x, size=[37])', 'img', (x) => F.fiveCrop(x, { size: [37] })],
  ['TF.ten_crop(x, 21)', 'img', (x) => F.tenCrop(x, 21)],
  ['TF.ten_crop(x, (20, 30), True)', 'f', (x) => F.tenCrop(x, [20, 30], true)],
  ['TF.ten_crop(x, 10, vertical_flip=True)', 'gray', (x) => F.tenCrop(x, 10, { verticalFlip: true })],
  ['T.FiveCrop(15)(x)', 'gray', (x) => new T.FiveCrop(15)(x)],
  ['T.FiveCrop((30, 44))(x)', 'f', (x) => new T.FiveCrop([30, 44])(x)],
  ['T.TenCrop(24)(x)', 'img', (x) => new T.TenCrop(24)(x)],
  ['T.TenCrop(size=(9, 12), vertical_flip=True)(x)', 'f', (x) => new T.TenCrop({ size: [9, 12], verticalFlip: true })(x)],
  ['T.TenCrop([16], True)(x)', 'img', (x) => new T.TenCrop([16], true)(x)],
  ['T.Compose([T.TenCrop(20), T.Lambda(lambda crops: torch.stack([T.ToTensor()(c) for c in crops]))])(x)', 'pil', (x) =>
    new T.Compose([new T.TenCrop(20), new T.Lambda((crops: Img[]) => torch.stack(crops.map((c) => new T.ToTensor()(c))))])(x)],
];

const REPRS: [string, () => unknown][] = [
  ['T.RandomErasing()', () => new T.RandomErasing()],
  ['T.RandomErasing(1.0, (0.1, 0.5), (0.5, 2.0), "random", True)', () => new T.RandomErasing(1.0, [0.1, 0.5], [0.5, 2.0], 'random', true)],
  ['T.RandomErasing(p=0.25, value=(10, 200, 99))', () => new T.RandomErasing({ p: 0.25, value: [10, 200, 99] })],
  ['T.RandomErasing(value=0.5)', () => new T.RandomErasing({ value: 0.5 })],
  ['T.FiveCrop(224)', () => new T.FiveCrop(224)],
  ['T.FiveCrop((20, 30))', () => new T.FiveCrop([20, 30])],
  ['T.TenCrop(224)', () => new T.TenCrop(224)],
  ['T.TenCrop((20, 30), vertical_flip=True)', () => new T.TenCrop([20, 30], { verticalFlip: true })],
  ['T.Compose([T.TenCrop(224), T.Lambda(lambda c: c)])', () => new T.Compose([new T.TenCrop(224), new T.Lambda((c: Img[]) => c)])],
];

const ERRORS: [string, () => unknown][] = [
  ['T.RandomErasing(value="noise")', () => new T.RandomErasing({ value: 'noise' as 'random' })],
  ['T.RandomErasing(value=None)', () => new T.RandomErasing({ value: null as unknown as number })],
  ['T.RandomErasing(scale=0.5)', () => new T.RandomErasing({ scale: 0.5 as unknown as [number, number] })],
  ['T.RandomErasing(ratio=2)', () => new T.RandomErasing({ ratio: 2 as unknown as [number, number] })],
  ['T.RandomErasing(scale=(0.5, 1.5))', () => new T.RandomErasing({ scale: [0.5, 1.5] })],
  ['T.RandomErasing(p=1.5)', () => new T.RandomErasing(1.5)],
  ['T.RandomErasing(p=1, value=[1, 2])(images["img"])', () => new T.RandomErasing({ p: 1, value: [1, 2] })(img)],
  ['TF.erase(torch.zeros(5), 0, 0, 1, 1, torch.tensor(0))', () => F.erase(torch.zeros(5), 0, 0, 1, 1, torch.tensor(0))],
  ['TF.five_crop(images["img"], 40)', () => F.fiveCrop(img, 40)],
  ['TF.five_crop(images["img"], [1, 2, 3])', () => F.fiveCrop(img, [1, 2, 3])],
  ['T.FiveCrop([1, 2, 3])', () => new T.FiveCrop([1, 2, 3])],
  ['T.TenCrop(50)(images["f"])', () => new T.TenCrop(50)(f)],
];

let py: { cases: { shape: number[]; values: number[] }[][]; reprs: string[]; errors: string[] };
let img: Img, f: Img, gray: Img;

beforeAll(() => {
  py = runPython(`
import warnings
warnings.filterwarnings('ignore')
import torchvision.transforms as T, torchvision.transforms.functional as TF
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 37, 45), dtype=torch.uint8)
f = img.float() / 255
gray = torch.randint(0, 256, (28, 28), dtype=torch.uint8)
from PIL import Image
images = {'img': img, 'f': f, 'gray': gray, 'pil': Image.fromarray(gray.numpy(), mode='L')}
def flat(out):
    if isinstance(out, (list, tuple)):
        out = torch.stack(list(out))
    return {'shape': list(out.shape), 'values': out.double().flatten().tolist()}
cases = []
for code, name in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c, n]) => [c, n])))}):
    runs = []
    for seed in ${JSON.stringify(SEEDS)}:
        x = images[name].copy() if name == 'pil' else images[name].clone()
        torch.manual_seed(seed)
        runs.append(flat(eval(code)))
    cases.append(runs)
result = {'cases': cases, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}],
          'errors': [err(lambda: eval(c)) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}]}
`);
  torch.manualSeed(0);
  img = torch.randint(0, 256, [3, 37, 45], { dtype: torch.uint8 });
  f = img.float().div(255);
  gray = torch.randint(0, 256, [28, 28], { dtype: torch.uint8 });
});

const maxDiff = (a: Img, values: number[]) => a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number;

test.each(CASES.map(([code, name, fn], i) => [code, name, fn, i] as const))('%s on %s equals torchvision for each seed', (code, name, fn, i) => {
  const images = { img, f, gray, pil: gray };
  SEEDS.forEach((seed, s) => {
    const x = images[name].clone();
    torch.manualSeed(seed);
    const result = fn(x);
    const out = Array.isArray(result) ? torch.stack(result) : result;
    expect(out.shape).toEqual(py.cases[i][s].shape);
    expect(maxDiff(out, py.cases[i][s].values)).toBeLessThan(out.dtype.isFloatingPoint ? 1e-6 : 1e-9);
  });
});

test('RandomErasing leaves its input alone unless inplace, and erases it in place when inplace', () => {
  const x = f.clone();
  torch.manualSeed(3);
  const out = new T.RandomErasing({ p: 1 })(x);
  expect(x.equal(f)).toBe(true);
  expect(out.equal(f)).toBe(false);
  torch.manualSeed(3);
  const same = new T.RandomErasing({ p: 1, inplace: true })(x);
  expect(x.equal(out)).toBe(true);
  expect(same.equal(out)).toBe(true);
  const g = gray.clone();
  torch.manualSeed(3);
  new T.RandomErasing({ p: 1, inplace: true, value: 255 })(g);
  expect(g.equal(gray)).toBe(false);
});

test('FiveCrop and TenCrop return arrays of views, as torchvision returns tuples', () => {
  const crops: Img[] = new T.TenCrop(20)(img);
  expect(crops).toHaveLength(10);
  expect(F.fiveCrop(img, 20)).toHaveLength(5);
  // the evaluation pattern is typed: Lambda's input is the array of crops
  const evalTransform = new T.Compose([new T.TenCrop(20), new T.Lambda((cs: Img[]) => torch.stack(cs.map((c) => new T.ToTensor()(c))))]);
  expect((evalTransform(img) as Img).shape).toEqual([10, 3, 20, 20]);
});

test('reprs and errors equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
  ERRORS.forEach(([, make], i) => expect(make).toThrow(py.errors[i]));
});

test('RandomErasing and TenCrop run in DataLoader worker threads as in torchvision worker processes', async () => {
  const pyBatches = runPython<number[][][]>(`
from torchvision import datasets, transforms as T
from torch.utils.data import DataLoader
def run(transform):
    ds = datasets.FakeData(8, (3, 12, 14), 10, transform)
    loader = DataLoader(ds, batch_size=4, num_workers=2, generator=torch.Generator().manual_seed(3))
    return [[t.double().flatten().tolist() for t in (batch[0] if isinstance(batch[0], list) else [batch[0]])] for batch in loader]
result = run(T.Compose([T.ToTensor(), T.RandomErasing(p=0.8, value='random')])) + run(T.Compose([T.ToTensor(), T.TenCrop(9, vertical_flip=True)]))
`);
  const run = async (transform: T.Transform) => {
    const ds = new datasets.FakeData(8, [3, 12, 14], 10, transform);
    const loader = new DataLoader(ds, { batchSize: 4, numWorkers: 2, generator: torch.Generator().manualSeed(3) });
    const out: number[][][] = [];
    for await (const [x] of loader) out.push((Array.isArray(x) ? (x as Img[]) : [x as Img]).map((t) => t.to(torch.float64).flatten().tolist() as number[]));
    return out;
  };
  const mine = [...(await run(new T.Compose([new T.ToTensor(), new T.RandomErasing({ p: 0.8, value: 'random' })]))), ...(await run(new T.Compose([new T.ToTensor(), new T.TenCrop(9, { verticalFlip: true })])))];
  expect(mine.map((b) => b.length)).toEqual(pyBatches.map((b) => b.length));
  mine.forEach((batch, b) => batch.forEach((t, k) => expect(maxDiff(torch.tensor(t, { dtype: torch.float64 }), pyBatches[b][k])).toBeLessThan(1e-6)));
});
