// datasets.Caltech101 (category targets) and Caltech256 against torchvision 0.14 on small trees in
// the archives' layout: real JPEGs, RGB and gray (PIL opens them without convert; the decoders give
// the same pixels), numbered per category. torchvision's Caltech101.__getitem__ imports scipy even
// for category targets; this Python has none, so a stand-in module lets it run, as with scipy.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-caltech-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
def img(p, gray):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    Image.fromarray(rng.randint(0, 256, (9, 8) if gray else (9, 8, 3)).astype(np.uint8)).save(p, quality=90)
for c, n in [('airplanes', 2), ('BACKGROUND_Google', 1), ('Faces_easy', 1), ('accordion', 3)]:
    for k in range(1, n + 1): img(os.path.join(root, 'caltech101', '101_ObjectCategories', c, 'image_%04d.jpg' % k), k == 2)
for i, (c, n) in enumerate([('001.ak47', 2), ('002.american-flag', 1), ('003.backpack', 2)]):
    for k in range(1, n + 1): img(os.path.join(root, 'caltech256', '256_ObjectCategories', c, '%03d_%04d.jpg' % (i + 1, k)), k == 1)
    open(os.path.join(root, 'caltech256', '256_ObjectCategories', c, 'notes.txt'), 'w').write('not counted')
result = None`);

const PY = `
import sys, types
sys.modules['scipy'] = types.ModuleType('scipy'); sys.modules['scipy.io'] = sys.modules['scipy'].io = types.ModuleType('scipy.io')
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
def chw(x):
    if torch.is_tensor(x): return x.tolist()
    a = np.array(x)
    return (a[None] if a.ndim == 2 else a.transpose(2, 0, 1)).tolist()
def summary(ds): return [len(ds), ds.categories, ds.index, ds.y, [[chw(ds[i][0]), ds[i][1]] for i in range(len(ds))], repr(ds)]
`;
type Caltech = datasets.Caltech101 | datasets.Caltech256;
async function summary(ds: Caltech) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), ds.categories, ds.index, ds.y, items.map(([x, y]) => [(x as Tensor).tolist(), y]), String(ds)];
}

test('Caltech101 and Caltech256 equal torchvision: categories, numbering, items (gray and RGB), repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.Caltech101(root)), summary(datasets.Caltech101(root, ['category'], T.PILToTensor())), summary(datasets.Caltech256(root)),
          summary(datasets.Caltech256(root, target_transform=T.Lambda(lambda y: y))), datasets.Caltech101(root).annotation_categories]`);
  const got = [
    new datasets.Caltech101(root),
    new datasets.Caltech101(root, ['category'], new T.PILToTensor() as never),
    new datasets.Caltech256(root),
    new datasets.Caltech256(root, { targetTransform: new T.Lambda((y: number) => y) as never }),
  ];
  expect([...(await Promise.all(got.map((ds) => summary(ds as Caltech)))), (got[0] as datasets.Caltech101).annotationCategories]).toEqual(py);
});

test("torchvision's errors: bad target type, missing folders; annotation targets need .mat files", async () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.Caltech101(root, 'bbox')), err(lambda: datasets.Caltech101(root + '/x')), err(lambda: datasets.Caltech256(root + '/x'))]`);
  expect([messageOf(() => new datasets.Caltech101(root, 'bbox' as never)), messageOf(() => new datasets.Caltech101(`${root}/x`)), messageOf(() => new datasets.Caltech256(`${root}/x`))]).toEqual(py);
  await expect(new datasets.Caltech101(root, ['category', 'annotation']).getItem(0)).rejects.toThrow(/annotation targets are MATLAB files/);
  expect(messageOf(() => new datasets.Caltech256(`${root}/y`, { download: true }))).toMatch(/cannot download here.*256_ObjectCategories\.tar/);
});
