// datasets.ImageFolder against torchvision's (class order, classToIdx, samples, decoded pixels) incl.
// DataLoader worker threads, io.readImage, weights lookup errors, and transfer learning on resnet18:
// frozen backbone unchanged, new head trained, per-group learning rates, BatchNorm in eval mode.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader, fromModule } from '../lib/data';
import { datasets, io, models } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-folder-'));
let py: { classes: string[]; classToIdx: Record<string, number>; samples: [string, number][]; pixels: number[][]; shapes: number[][] };

beforeAll(() => {
  py = runPython(`
import os, numpy as np
from PIL import Image
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
layout = {'cat': ['b.png', 'a.PNG', 'sub/c.png', 'notes.txt'], 'Dog': ['z.png', 'y.jpg'], 'bird': ['x.webp', 'w.png']}
for cls, files in layout.items():
    for f in files:
        p = os.path.join(root, cls, f)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if f.endswith('.txt'):
            open(p, 'w').write('not an image')
            continue
        arr = rng.randint(0, 256, (11, 13, 3)).astype(np.uint8)
        Image.fromarray(arr).save(p, lossless=True) if f.endswith('.webp') else Image.fromarray(arr).save(p)
ds = datasets.ImageFolder(root, transform=T.PILToTensor())
result = {'classes': ds.classes, 'classToIdx': ds.class_to_idx, 'samples': [list(s) for s in ds.samples],
          'pixels': [ds[i][0].flatten().tolist() for i in range(len(ds))], 'shapes': [list(ds[i][0].shape) for i in range(len(ds))]}
`);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('ImageFolder: torchvision classes, classToIdx, samples; decoded pixels equal PIL (PNG/WebP exact, JPEG close)', async () => {
  const ds = new datasets.ImageFolder(root);
  expect(ds.classes).toEqual(py.classes);
  expect(ds.classToIdx).toEqual(py.classToIdx);
  expect(ds.samples).toEqual(py.samples);
  expect(ds.len()).toBe(py.samples.length);
  for (let i = 0; i < ds.len(); i++) {
    const [img, target] = await ds.getItem(i);
    expect(target).toBe(py.samples[i][1]);
    expect(img.shape).toEqual(py.shapes[i]);
    expect(img.dtype).toBe(torch.uint8);
    const diff = img.to(torch.float64).flatten().sub(torch.tensor(py.pixels[i], { dtype: torch.float64 })).abs();
    if (ds.samples[i][0].endsWith('.jpg')) expect(diff.mean().item()).toBeLessThan(3);
    else expect(diff.max().item()).toBe(0);
  }
});

test('ImageFolder with DataLoader numWorkers 2 gives the batches of numWorkers 0', async () => {
  const fixture = path.join(__dirname, 'fixtures', 'vision-folder.js');
  const collect = async (numWorkers: number) => {
    const out: [torch.Tensor, torch.Tensor][] = [];
    const loader = new DataLoader<[torch.Tensor, torch.Tensor]>(fromModule(fixture, 'makeFolder', root), { batchSize: 3, numWorkers });
    for await (const b of loader) out.push(b);
    return out;
  };
  const [single, multi] = [await collect(0), await collect(2)];
  expect(multi.length).toBe(3);
  expect(multi.map(([x]) => x.shape)).toEqual(single.map(([x]) => x.shape));
  multi.forEach(([x, y], i) => {
    expect(x.equal(single[i][0])).toBe(true);
    expect(y.tolist()).toEqual(single[i][1].tolist());
  });
});

test('io.readImage modes and decode errors', async () => {
  const png = path.join(root, 'cat', 'b.png');
  expect((await io.readImage(png)).shape).toEqual([3, 11, 13]);
  expect((await io.readImage(png, 'GRAY')).shape).toEqual([1, 11, 13]);
  expect((await io.readImage(png, 'RGB_ALPHA')).shape).toEqual([4, 11, 13]);
  await expect(io.readImage(path.join(root, 'cat', 'notes.txt'))).rejects.toThrow(torch.TorchError);
  await expect(io.readImage(path.join(root, 'missing.png'))).rejects.toThrow(/could not read image/);
  await expect(io.readImage(png, 'rgb' as never)).rejects.toThrow("unknown ImageReadMode 'rgb' (UNCHANGED, GRAY, GRAY_ALPHA, RGB, RGB_ALPHA)");
});

test('weights: enum entries, DEFAULT, categories, and a missing cache file names the file and the directory', () => {
  expect(models.ResNet50_Weights.DEFAULT).toBe(models.ResNet50_Weights.IMAGENET1K_V2);
  expect(models.ResNet18_Weights.IMAGENET1K_V1.meta.categories!.length).toBe(1000);
  expect(models.ResNet18_Weights.IMAGENET1K_V1.meta.categories![0]).toBe('tench');
  expect(models.ResNet18_Weights.IMAGENET1K_V1.fileName).toBe('resnet18-f37072fd.pth');
  const prev = process.env.TORCH_HOME;
  process.env.TORCH_HOME = path.join(root, 'torch-home');
  try {
    expect(() => models.resnet18({ weights: 'DEFAULT' })).toThrow(
      `ResNet18_Weights.IMAGENET1K_V1: weights file resnet18-f37072fd.pth not found in ${path.join(root, 'torch-home', 'hub', 'checkpoints')}`,
    );
    expect(() => models.resnet18({ weights: models.ResNet18_Weights.DEFAULT, numClasses: 10 })).toThrow("The parameter 'num_classes' expected value 1000 but got 10 instead.");
    expect(() => models.resnet18({ weights: models.ResNet34_Weights.DEFAULT })).toThrow('Invalid Weight class provided');
    // a file in the cache under torchvision's name loads as-is
    const dir = path.join(root, 'torch-home', 'hub', 'checkpoints');
    fs.mkdirSync(dir, { recursive: true });
    torch.manualSeed(1);
    const src = models.resnet18();
    torch.saveSync(src.stateDict(), path.join(dir, 'resnet18-f37072fd.pth'));
    const m = models.resnet18({ weights: models.ResNet18_Weights.IMAGENET1K_V1 });
    expect(m.fc.weight.equal(src.fc.weight)).toBe(true);
    // and a .safetensors path
    const st = path.join(root, 'r18.safetensors');
    torch.safetensors.saveFileSync(src.stateDict(), st);
    expect(models.resnet18({ weights: st }).conv1.weight.equal(src.conv1.weight)).toBe(true);
  } finally {
    if (prev === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = prev;
  }
});

test('transfer learning: frozen backbone unchanged, replaced head trained; fine-tuning with per-group lrs', () => {
  torch.manualSeed(0);
  const model = models.resnet18();
  model.requiresGrad_(false);
  model.fc = new nn.Linear(model.fc.inFeatures, 3);
  const trainable = [...model.parameters()].filter((p) => p.requiresGrad);
  expect(trainable.length).toBe(2);
  expect(Object.keys(model.stateDict()).slice(-2)).toEqual(['fc.weight', 'fc.bias']);
  const backbone = model.layer4.stateDict();
  const before = Object.fromEntries(Object.entries(backbone).map(([k, v]) => [k, v.clone()]));
  const head = model.fc.weight.clone();
  const opt = new optim.SGD(trainable, { lr: 0.001, momentum: 0.9 });
  model.eval(); // BatchNorm running statistics stay as loaded
  const x = torch.randn([4, 3, 32, 32]);
  const y = torch.tensor([0, 1, 2, 1], { dtype: torch.int64 });
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    opt.zeroGrad();
    const loss = lossFn(model(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item() as number);
  }
  expect(losses[4]).toBeLessThan(losses[0]);
  for (const [k, v] of Object.entries(model.layer4.stateDict())) expect(v.equal(before[k])).toBe(true);
  expect(model.fc.weight.equal(head)).toBe(false);
  expect(model.conv1.weight.grad).toBeNull();

  // fine-tune all with per-group learning rates
  model.requiresGrad_(true);
  const headParams = new Set<torch.Tensor>(model.fc.parameters());
  const groups = [
    { params: [...model.parameters()].filter((p) => !headParams.has(p)), lr: 1e-3 },
    { params: [...model.fc.parameters()], lr: 1e-2 },
  ];
  const ft = new optim.SGD(groups, { lr: 0.1 });
  const conv = model.conv1.weight.clone();
  ft.zeroGrad();
  lossFn(model(x), y).backward();
  const g = model.conv1.weight.grad!.clone();
  const gh = model.fc.bias!.grad!.clone();
  const hb = model.fc.bias!.clone();
  ft.step();
  expect(model.conv1.weight.sub(conv.sub(g.mul(1e-3))).abs().max().item()).toBeLessThan(1e-7);
  expect(model.fc.bias!.sub(hb.sub(gh.mul(1e-2))).abs().max().item()).toBeLessThan(1e-7);
});
