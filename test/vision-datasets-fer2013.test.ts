// datasets.FER2013 against torchvision 0.14 on small fer2013/{train,test}.csv in the Kaggle files'
// format (train: emotion,pixels,Usage; test: pixels only). Their md5s cannot be the real files', so
// both sides use a subclass listing these files' md5s (torchvision's _RESOURCES), as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-fer2013-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5s = runPython<Record<string, string>>(`
import os, csv, numpy as np
from torchvision.datasets.utils import calculate_md5
rng = np.random.RandomState(0)
d = os.path.join(${JSON.stringify(root)}, 'fer2013'); os.makedirs(d)
with open(os.path.join(d, 'train.csv'), 'w', newline='') as f:
    w = csv.writer(f); w.writerow(['emotion', 'pixels', 'Usage'])
    for i in range(5): w.writerow([rng.randint(0, 7), ' '.join(map(str, rng.randint(0, 256, 48 * 48))), 'Training'])
with open(os.path.join(d, 'test.csv'), 'w', newline='') as f:
    w = csv.writer(f); w.writerow(['pixels'])
    for i in range(3): w.writerow([' '.join(map(str, rng.randint(0, 256, 48 * 48)))])
result = {n: calculate_md5(os.path.join(d, n)) for n in ['train.csv', 'test.csv']}`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
class TinyFER2013(datasets.FER2013):
    _RESOURCES = {'train': ('train.csv', ${JSON.stringify(md5s['train.csv'])}), 'test': ('test.csv', ${JSON.stringify(md5s['test.csv'])})}
root = ${JSON.stringify(root)}
`;
class TinyFER2013 extends datasets.FER2013 {
  static readonly resources = { train: ['train.csv', md5s['train.csv']] as const, test: ['test.csv', md5s['test.csv']] as const };
}

test('FER2013 equals torchvision: items (image, emotion or None), len, transforms, repr', () => {
  const py = runPython<unknown[]>(`${PY}
a, b = TinyFER2013(root), TinyFER2013(root, 'test', transform=T.ToTensor())
result = [len(a), len(b), [[np.array(a[i][0]).tolist(), a[i][1]] for i in range(len(a))], [[b[i][0].tolist(), b[i][1]] for i in [0, -1]], repr(a), repr(b)]`);
  const a = new TinyFER2013(root);
  const b = new TinyFER2013(root, 'test', { transform: new T.ToTensor() });
  const items = (ds: datasets.FER2013, idx: number[]) => idx.map((i) => ds.getItem(i)).map(([x, y]) => [x.tolist(), y]);
  expect([a.len(), b.len(), items(a, [0, 1, 2, 3, 4]), items(b, [0, -1]), String(a), String(b)]).toEqual(py);
});

test("torchvision's errors: bad split, missing or corrupted file", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: TinyFER2013(root, 'val')), err(lambda: datasets.FER2013(root)), err(lambda: datasets.FER2013(root + '/nowhere/', 'test'))]`);
  expect([messageOf(() => new TinyFER2013(root, 'val' as never)), messageOf(() => new datasets.FER2013(root)), messageOf(() => new datasets.FER2013(`${root}/nowhere/`, 'test'))]).toEqual(py);
});
