// ImageFolder / DatasetFolder: random transforms draw in the order items were asked for (the
// sampler's), as in Python, though the decodes of a batch run at once and finish in any order; so a
// seeded DataLoader gives torchvision's batches, run after run. Also Python's positional arguments
// for the dataset constructors: ImageFolder(root, transform), MNIST(root, train, transform).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { DataLoader } from '../lib/data';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-determinism-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const images = path.join(root, 'images');

type Batch = [number[], number[], number[]];
let py: { plain: Batch[]; shuffled: Batch[]; files: string[] };

// Large noisy PNGs (slow to decode) before small ones, so in a batch the small ones' decodes end
// first: drawing in decode-completion order would give the small images the first crops and flips.
beforeAll(() => {
  py = runPython(`
import os, numpy as np
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from torchvision.io import read_image, ImageReadMode
root = ${JSON.stringify(images)}
rng = np.random.RandomState(0)
sizes = [(1400, 1100), (6, 9), (900, 1300), (12, 7), (1200, 1000), (9, 10), (8, 8), (1000, 1500)]
for i, (h, w) in enumerate(sizes):
    cls = ['ant', 'bee'][i // 4]
    os.makedirs(os.path.join(root, cls), exist_ok=True)
    Image.fromarray(rng.randint(0, 256, (h, w, 3)).astype(np.uint8)).save(os.path.join(root, cls, 'img%d.png' % i))
# torch-node's ImageFolder loads uint8 tensors, so the Python oracle loads them with read_image too;
# ConvertImageDtype(float) is ToTensor's arithmetic on them (div by 255). antialias=True: the default
# here, as in torchvision 0.17+ (0.14's tensor default is None, no antialiasing).
transform = T.Compose([T.RandomResizedCrop(6, antialias=True), T.RandomHorizontalFlip(), T.ConvertImageDtype(torch.float32)])
ds = datasets.ImageFolder(root, transform, loader=lambda p: read_image(p, ImageReadMode.RGB))
def run(shuffle):
    torch.manual_seed(0)
    out = [[x.flatten().tolist(), list(x.shape), y.tolist()] for x, y in DataLoader(ds, batch_size=4, shuffle=shuffle, num_workers=0)]
    # a second epoch continues the same stream
    out += [[x.flatten().tolist(), list(x.shape), y.tolist()] for x, y in DataLoader(ds, batch_size=3, shuffle=shuffle, num_workers=0)]
    return out
result = {'plain': run(False), 'shuffled': run(True), 'files': [os.path.relpath(p, root) for p, _ in ds.samples]}
`);
});

const makeFolder = () => new datasets.ImageFolder(images, new T.Compose([new T.RandomResizedCrop(6), new T.RandomHorizontalFlip(), new T.ToTensor()]));

async function run(ds: datasets.ImageFolder, shuffle: boolean): Promise<Batch[]> {
  torch.manualSeed(0);
  const out: Batch[] = [];
  for (const batchSize of [4, 3]) {
    for await (const [x, y] of new DataLoader<[Tensor, Tensor]>(ds, { batchSize, shuffle })) {
      out.push([x.flatten().tolist() as number[], x.shape, y.tolist() as number[]]);
    }
  }
  return out;
}

/** Equal batches: same labels and shapes, and pixels equal but for uint8 resize rounding (a value on
 *  a .5 tie may round the other way in another libtorch build: one level, 1/255, on a rare pixel). */
function expectBatches(actual: Batch[], expected: Batch[]) {
  expect(actual.map((b) => [b[1], b[2]])).toEqual(expected.map((b) => [b[1], b[2]]));
  actual.forEach(([values], i) => {
    const diff = torch.tensor(values, { dtype: torch.float64 }).sub(torch.tensor(expected[i][0], { dtype: torch.float64 })).abs();
    expect(diff.max().item()).toBeLessThan(1 / 255 + 1e-6);
    expect(diff.gt(1e-6).sum().item()).toBeLessThanOrEqual(Math.ceil(values.length / 200));
  });
}

test('a seeded DataLoader over ImageFolder (RandomResizedCrop, RandomHorizontalFlip, ToTensor) gives torchvision\'s batches', async () => {
  const ds = makeFolder();
  expect(ds.samples.map(([p]) => path.relative(images, p))).toEqual(py.files);
  expectBatches(await run(ds, false), py.plain);
  expectBatches(await run(ds, true), py.shuffled);
});

test('the same batches on repeated runs, with a fresh dataset or the same one', async () => {
  const ds = makeFolder();
  const first = await run(ds, true);
  for (let k = 0; k < 2; k++) expect(await run(k === 0 ? ds : makeFolder(), true)).toEqual(first);
});

test('loaders of concurrent getItem calls start at once; transforms run in call order, not load order', async () => {
  const events: string[] = [];
  const delays = [60, 5, 30, 0];
  const loader = (p: string) => {
    const i = Number(path.basename(p, '.txt'));
    events.push(`load ${i}`);
    return new Promise<number>((resolve) => setTimeout(() => {
      events.push(`loaded ${i}`);
      resolve(i);
    }, delays[i]));
  };
  const dir = path.join(root, 'order');
  fs.mkdirSync(path.join(dir, 'c'), { recursive: true });
  for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(dir, 'c', `${i}.txt`), '');
  const ds = new datasets.DatasetFolder<number, string, string>(dir, loader, ['.txt'], (s: number) => {
    events.push(`transform ${s}`);
    return `s${s}`;
  }, (t: number) => {
    events.push(`target ${t}`);
    return `t${t}`;
  });
  const items = await Promise.all([3, 0, 2, 1].map((i) => ds.getItem(i)));
  expect(items).toEqual([['s3', 't0'], ['s0', 't0'], ['s2', 't0'], ['s1', 't0']]);
  expect(events.slice(0, 4)).toEqual(['load 3', 'load 0', 'load 2', 'load 1']);
  expect(events.filter((e) => !e.startsWith('load '))).toEqual([
    'loaded 3', 'transform 3', 'target 0', 'loaded 1', 'loaded 2', 'loaded 0',
    'transform 0', 'target 0', 'transform 2', 'target 0', 'transform 1', 'target 0',
  ]);

  // a failed load (or index) rejects its own item at its turn; the next items still come, in order
  events.length = 0;
  const bad = new datasets.DatasetFolder<number, string>(dir, (p: string) => {
    if (p.endsWith('1.txt')) throw new Error('broken file');
    return loader(p);
  }, ['.txt'], { transform: (s: number) => `s${s}` });
  const settled = await Promise.allSettled([0, 1, 9, 2].map((i) => bad.getItem(i)));
  expect(settled.map((s) => (s.status === 'fulfilled' ? s.value[0] : (s.reason as Error).message))).toEqual(['s0', 'broken file', 'list index out of range', 's2']);
  expect(await bad.getItem(-1)).toEqual(['s3', 0]);
});

describe('positional arguments, as Python takes them', () => {
  const dir = path.join(root, 'pos');
  fs.mkdirSync(path.join(dir, 'x'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'x', 'a.txt'), 'abc');
  fs.writeFileSync(path.join(dir, 'x', 'b.png'), 'not really');
  const loader = (p: string) => torch.tensor([fs.readFileSync(p).length]);

  test('ImageFolder(root, transform, target_transform, loader, is_valid_file)', async () => {
    const transform = new T.Compose([new T.Lambda((x: Tensor) => x.add(1))]);
    const first = async (ds: datasets.ImageFolder<any, any>) => {
      const [x, y] = await ds.getItem(0);
      return [(x as Tensor).tolist(), y];
    };
    expect(await first(new datasets.ImageFolder(dir, transform, undefined, loader))).toEqual([[11], 0]);
    expect(await first(new datasets.ImageFolder(dir, transform, (t: number) => `c${t}`, loader, (p: string) => p.endsWith('.txt')))).toEqual([[4], 'c0']);
    expect(await first(new datasets.ImageFolder(dir, transform, { loader, isValidFile: (p: string) => p.endsWith('.txt') }))).toEqual([[4], 0]);
    expect(await first(new datasets.ImageFolder({ root: dir, transform, loader }))).toEqual([[11], 0]);
    expect(new datasets.ImageFolder(dir, transform).transform).toBe(transform);
    expect(() => new datasets.ImageFolder(dir, transform, { transform } as never)).toThrow("ImageFolder() got multiple values for argument 'transform'");
    expect(() => new datasets.ImageFolder(dir, { transforms: transform } as never)).toThrow("ImageFolder() got an unexpected keyword argument 'transforms'");
    expect(() => new datasets.ImageFolder({ transform } as never)).toThrow("ImageFolder() missing 1 required positional argument: 'root'");
    expect(() => new (datasets.ImageFolder as any)(dir, transform, null, loader, null, 5)).toThrow('ImageFolder() takes from 1 to 5 positional arguments but 6 were given');
  });

  test('DatasetFolder(root, loader, extensions, transform, target_transform, is_valid_file)', async () => {
    const ds = new datasets.DatasetFolder(dir, loader, ['.txt'], (x: Tensor) => x.mul(2), (t: number) => t + 5);
    expect(ds.samples.map(([p]) => path.basename(p))).toEqual(['a.txt']);
    expect(ds.extensions).toEqual(['.txt']);
    const [x, y] = await ds.getItem(0);
    expect([x.tolist(), y]).toEqual([[6], 5]);
    const byName = new datasets.DatasetFolder({ root: dir, loader, isValidFile: () => true });
    expect(byName.len()).toBe(2);
    expect(new datasets.DatasetFolder(dir, { loader, extensions: ['.png'] }).len()).toBe(1);
    expect(() => new datasets.DatasetFolder(dir, loader, ['.txt'], { loader } as never)).toThrow("DatasetFolder() got multiple values for argument 'loader'");
    expect(() => new (datasets.DatasetFolder as any)(dir)).toThrow("DatasetFolder() missing 1 required positional argument: 'loader'");
  });

  test('MNIST / FashionMNIST(root, train, transform, target_transform, download)', () => {
    const mnistRoot = path.join(root, 'mnist');
    fs.mkdirSync(mnistRoot);
    const idx = (dims: number[], data: number[]) => {
      const header = Buffer.alloc(4 + 4 * dims.length);
      header.writeUInt8(0x08, 2);
      header.writeUInt8(dims.length, 3);
      dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      return Buffer.concat([header, Buffer.from(data)]);
    };
    for (const [split, base] of [['train', 0], ['t10k', 10]] as const) {
      fs.writeFileSync(path.join(mnistRoot, `${split}-images-idx3-ubyte`), idx([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7].map((v) => v + base)));
      fs.writeFileSync(path.join(mnistRoot, `${split}-labels-idx1-ubyte`), idx([2], [3 + base, 7]));
    }
    const sum = (img: Tensor) => img.sum().item() as number;
    for (const cls of [datasets.MNIST, datasets.FashionMNIST]) {
      const test = new cls(mnistRoot, false, sum, (t: number) => t * 2);
      expect([test.train, test.getItem(0)]).toEqual([false, [46, 26]]);
      expect(new cls(mnistRoot, true, sum).getItem(1)).toEqual([22, 7]);
      expect(new cls(mnistRoot, false, { transform: sum }).getItem(1)).toEqual([62, 7]);
      expect(new cls(mnistRoot, false, sum, undefined, false).getItem(0)).toEqual([46, 13]);
      expect(new cls({ root: mnistRoot, train: false }).train).toBe(false);
      expect(() => new cls(mnistRoot, false, { train: true } as never)).toThrow(`${cls.name}() got multiple values for argument 'train'`);
    }
    expect(() => new datasets.MNIST()).toThrow("MNIST() missing 1 required positional argument: 'root'");
  });
});
