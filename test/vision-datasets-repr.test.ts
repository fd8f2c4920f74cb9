// The datasets' reprs equal torchvision's VisionDataset.__repr__, transform lines included
// (StandardTransform, then each transform's repr aligned under its head).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Tensor } from '../lib';
import { datasets, transforms as T, io } from '../lib/vision';
import { runPython } from './helpers/python';

const FASHION = process.env.FASHION_MNIST_ROOT ?? '/usr/share/datasets/fashion-mnist';
let root: string;

// torchvision's layout for the test split (it only checks that the train files exist), and a
// two-class image folder written by PIL.
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-vision-repr-'));
  const raw = path.join(root, 'FashionMNIST', 'raw');
  fs.mkdirSync(raw, { recursive: true });
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) fs.writeFileSync(path.join(raw, f), gunzipSync(fs.readFileSync(path.join(FASHION, `${f}.gz`))));
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) fs.writeFileSync(path.join(raw, f), '');
  for (const cls of ['cat', 'dog']) fs.mkdirSync(path.join(root, 'images', cls), { recursive: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('FashionMNIST, ImageFolder, DatasetFolder and FakeData reprs equal torchvision', () => {
  const images = path.join(root, 'images');
  const py = runPython<string[]>(`
import numpy as np
from PIL import Image
from torchvision import datasets, transforms as T
for i, cls in enumerate(['cat', 'dog', 'dog']):
    Image.fromarray(np.full((4, 5, 3), 40 * i, np.uint8)).save('${images}/%s/%d.png' % (cls, i))
tf = T.Compose([T.CenterCrop(63), T.ToTensor()])
result = [
    repr(datasets.FashionMNIST(${JSON.stringify(root)}, train=False, transform=tf)),
    repr(datasets.FashionMNIST(${JSON.stringify(root)}, False, None, T.Lambda(lambda t: t))),
    repr(datasets.FashionMNIST(${JSON.stringify(root)}, train=False)),
    repr(datasets.ImageFolder(${JSON.stringify(images)}, T.Resize(3, antialias=True), T.Lambda(lambda t: t))),
    repr(datasets.DatasetFolder(${JSON.stringify(images)}, lambda p: p, ('.png',), T.Compose([T.RandomHorizontalFlip(), T.Compose([T.ToTensor()])]))),
    repr(datasets.FakeData(5, (3, 4, 4), transform=tf, target_transform=T.Lambda(lambda t: t))),
]`);
  const tf = new T.Compose([new T.CenterCrop(63), new T.ToTensor()]);
  const ours = [
    new datasets.FashionMNIST(root, { train: false, transform: tf }),
    new datasets.FashionMNIST(root, false, undefined, new T.Lambda((t: number) => t)),
    new datasets.FashionMNIST(root, false),
    new datasets.ImageFolder(images, new T.Resize(3), new T.Lambda((t: number) => t)),
    new datasets.DatasetFolder(images, (p: string) => io.readImage(p), ['.png'], new T.Compose([new T.RandomHorizontalFlip(), new T.Compose([new T.ToTensor()])])),
    new datasets.FakeData(5, [3, 4, 4], { transform: tf, targetTransform: new T.Lambda((t: Tensor) => t) }),
  ].map(String);
  expect(ours).toEqual(py);
});
