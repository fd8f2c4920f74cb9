// datasets.FashionMNIST / MNIST against torchvision on Debian's Fashion-MNIST files: same data,
// targets, items (through ToTensor-equivalent transforms), and the same shuffled DataLoader batches.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import * as torch from '../lib';
import { DataLoader } from '../lib/data';
import { datasets } from '../lib/vision';
import { runPython } from './helpers/python';

const ROOT = process.env.FASHION_MNIST_ROOT ?? '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
let tv: string; // torchvision's layout: <tv>/FashionMNIST/raw/<plain IDX files>

beforeAll(() => {
  tv = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-fmnist-'));
  for (const cls of ['FashionMNIST', 'MNIST']) {
    fs.mkdirSync(path.join(tv, cls, 'raw'), { recursive: true });
    for (const f of FILES) fs.writeFileSync(path.join(tv, cls, 'raw', f), gunzipSync(fs.readFileSync(path.join(ROOT, `${f}.gz`))));
  }
});
afterAll(() => fs.rmSync(tv, { recursive: true, force: true }));

const toTensor = (img: torch.Tensor) => img.float().div(255).unsqueeze(0);
const ITEMS = [0, 1, 59999, 12345];

test('items, lengths, classes and repr equal torchvision (train and test splits, both layouts)', () => {
  const py = runPython<unknown>(`
from torchvision import datasets, transforms
out = {}
for train in [True, False]:
    d = datasets.FashionMNIST(${JSON.stringify(tv)}, train=train, transform=transforms.ToTensor(), target_transform=lambda t: t * 2)
    idx = [i for i in ${JSON.stringify(ITEMS)} if i < len(d)]
    out[str(train)] = dict(len=len(d), items=[[d[i][0].tolist(), d[i][1]] for i in idx], targets=d.targets[:50].tolist(),
                           checksum=int((d.data.long().flatten() * (torch.arange(d.data.numel()) % 97 + 1)).sum()))
m = datasets.MNIST(${JSON.stringify(tv)})
out['classes'] = [datasets.FashionMNIST.classes, m.classes, d.class_to_idx]
out['repr'] = repr(datasets.FashionMNIST(${JSON.stringify(tv)}, train=False)).split('\\n')
result = out`) as Record<string, any>;
  for (const [train, root] of [[true, ROOT], [false, tv]] as const) {
    const d = new datasets.FashionMNIST({ root, train, transform: toTensor, targetTransform: (t) => t * 2 });
    const exp = py[train ? 'True' : 'False'];
    expect(d.len()).toBe(exp.len);
    const idx = ITEMS.filter((i) => i < d.len());
    expect(idx.map((i) => { const [x, y] = d.getItem(i); return [x.tolist(), y]; })).toEqual(exp.items);
    expect(d.targets.narrow(0, 0, 50).tolist()).toEqual(exp.targets);
    // Position-weighted sum, as in Python: catches wrong values and wrong order.
    const pixels = d.data.toTypedArray() as Uint8Array;
    let sum = 0;
    for (let i = 0; i < pixels.length; i++) sum += pixels[i] * ((i % 97) + 1);
    expect(sum).toBe(exp.checksum);
  }
  const mnist = new datasets.MNIST(tv);
  expect([datasets.FashionMNIST.classes, mnist.classes, new datasets.FashionMNIST().classToIdx]).toEqual(py.classes);
  expect(String(new datasets.FashionMNIST(tv, { train: false })).split('\n')).toEqual(py.repr.slice(0, 4));
  expect(() => new datasets.MNIST(path.join(tv, 'nowhere'))).toThrow(/Dataset not found/);
});

test('a shuffled DataLoader over FashionMNIST gives torchvision + PyTorch DataLoader batches', async () => {
  const py = runPython<[number[][][][], number[]]>(`
from torchvision import datasets, transforms
from torch.utils.data import DataLoader
d = datasets.FashionMNIST(${JSON.stringify(tv)}, transform=transforms.ToTensor())
l = DataLoader(d, batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(3))
x, y = next(iter(l))
result = [x.tolist(), y.tolist()]`);
  const d = new datasets.FashionMNIST({ transform: toTensor });
  const l = new DataLoader<[torch.Tensor, torch.Tensor]>(d, { batchSize: 16, shuffle: true, generator: new torch.Generator().manualSeed(3) });
  for await (const [x, y] of l) {
    expect(x.shape).toEqual([16, 1, 28, 28]);
    expect(y.dtype).toBe(torch.int64);
    expect([x.tolist(), y.tolist()]).toEqual(py);
    break;
  }
});
