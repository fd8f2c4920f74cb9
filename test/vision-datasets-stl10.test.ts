// datasets.STL10 against torchvision 0.14 on small files in stl10_binary's exact format (uint8
// column-major planes, 1-based uint8 labels, fold_indices.txt, class_names.txt). The real archive's
// md5s cannot match, so both sides use a subclass listing these files' md5s (torchvision's class
// attributes), as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-stl10-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5s = runPython<Record<string, string>>(`
import os, numpy as np
from torchvision.datasets.utils import calculate_md5
d = os.path.join(${JSON.stringify(root)}, 'stl10_binary'); os.makedirs(d)
rng = np.random.RandomState(0)
def write(name, a): a.astype(np.uint8).tofile(os.path.join(d, name))
write('train_X.bin', rng.randint(0, 256, (6, 3, 96, 96)))
write('train_y.bin', np.array([1, 10, 3, 0, 7, 2]))   # 0: torchvision's uint8 label - 1 wraps to 255
write('unlabeled_X.bin', rng.randint(0, 256, (3, 3, 96, 96)))
write('test_X.bin', rng.randint(0, 256, (4, 3, 96, 96)))
write('test_y.bin', rng.randint(1, 11, 4))
with open(os.path.join(d, 'fold_indices.txt'), 'w') as f:
    for k in range(10): f.write(' '.join(str(i) for i in rng.permutation(6)[:3]) + ' \\n')
with open(os.path.join(d, 'class_names.txt'), 'w') as f:
    f.write('\\n'.join(['airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse', 'monkey', 'ship', 'truck']) + '\\n')
result = {n: calculate_md5(os.path.join(d, n)) for n in ['train_X.bin', 'train_y.bin', 'unlabeled_X.bin', 'test_X.bin', 'test_y.bin']}`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
md5 = ${JSON.stringify(md5s)}
class TinySTL10(datasets.STL10):
    train_list = [[n, md5[n]] for n in ['train_X.bin', 'train_y.bin', 'unlabeled_X.bin']]
    test_list = [[n, md5[n]] for n in ['test_X.bin', 'test_y.bin']]
root = ${JSON.stringify(root)}
`;
class TinySTL10 extends datasets.STL10 {
  static readonly trainList = ['train_X.bin', 'train_y.bin', 'unlabeled_X.bin'].map((n) => [n, md5s[n]] as const);
  static readonly testList = ['test_X.bin', 'test_y.bin'].map((n) => [n, md5s[n]] as const);
}

const CASES: [string, number | null][] = [['train', null], ['train', 4], ['train+unlabeled', null], ['train+unlabeled', 9], ['unlabeled', null], ['test', null]];

test('STL10 equals torchvision for every split and folds: data, labels, classes, items, len, repr', () => {
  const py = runPython<unknown[]>(`${PY}
out = []
for split, folds in json.loads(${JSON.stringify(JSON.stringify(CASES))}):
    ds = TinySTL10(root, split, folds)
    out.append([len(ds), ds.data.tolist(), ds.labels.tolist(), ds.classes, [[np.array(ds[i][0]).transpose(2, 0, 1).tolist(), ds[i][1]] for i in [0, -1]], repr(ds)])
result = out`);
  const got = CASES.map(([split, folds]) => {
    const ds = new TinySTL10(root, split as never, folds);
    return [ds.len(), ds.data.tolist(), ds.labels, ds.classes, [0, -1].map((i) => ds.getItem(i)).map(([x, y]) => [x.tolist(), y]), String(ds)];
  });
  expect(got).toEqual(py);
});

test('items through transforms and the repr with them equal torchvision', () => {
  const py = runPython<unknown[]>(`${PY}
ds = TinySTL10(root, split='test', transform=T.Compose([T.ToTensor(), T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3])]), target_transform=T.Lambda(lambda y: y * 10))
result = [ds[1][0].tolist(), ds[1][1], repr(ds)]`);
  const ds = new TinySTL10(root, { split: 'test', transform: new T.Compose([new T.ToTensor(), new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3])]), targetTransform: new T.Lambda((y: number) => y * 10) as never });
  const [x, y] = ds.getItem(1);
  expect([x.tolist(), y, String(ds)]).toEqual(py);
});

test("torchvision's errors: bad split / folds, missing or corrupted files", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-stl10-empty-'));
  try {
    const py = runPython<string[]>(`${PY}
result = [err(lambda: TinySTL10(root, 'val')), err(lambda: TinySTL10(root, folds=10)), err(lambda: TinySTL10(root, folds='1')),
          err(lambda: datasets.STL10(root)), err(lambda: datasets.STL10(${JSON.stringify(empty)}, 'test'))]`);
    expect([
      messageOf(() => new TinySTL10(root, 'val' as never)),
      messageOf(() => new TinySTL10(root, { folds: 10 })),
      messageOf(() => new TinySTL10(root, { folds: '1' as never })),
      messageOf(() => new datasets.STL10(root)),
      messageOf(() => new datasets.STL10(empty, 'test')),
    ]).toEqual(py);
    expect(messageOf(() => new datasets.STL10(empty, { download: true }))).toMatch(/cannot download here.*stl10_binary\.tar\.gz/);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
