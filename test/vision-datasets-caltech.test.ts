// datasets.Caltech101 (category targets) and Caltech256 against torchvision 0.14 on small trees in
// the archives' layout: real JPEGs, RGB and gray (PIL opens them without convert; the decoders give
// the same pixels), numbered per category; annotation targets from Annotations/<category>/*.mat
// that scipy.io.savemat writes (obj_contour, box_coord), read by both through scipy / readers/mat.ts.
// torchvision's Caltech101.__getitem__ imports scipy even for category targets: where a Python has
// none, a stand-in module lets the category cases run.
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
try:
    import scipy.io as sio
    # Faces_easy's and airplanes' annotations are under torchvision's other names; accordion's 3rd is missing
    for c, n in [('Airplanes_Side_2', 2), ('Faces_3', 1), ('accordion', 2)]:
        for k in range(1, n + 1):
            f = os.path.join(root, 'caltech101', 'Annotations', c, 'annotation_%04d.mat' % k)
            os.makedirs(os.path.dirname(f), exist_ok=True)
            contour = rng.uniform(0, 300, (2, 4 + k)).round(3)
            sio.savemat(f, {'box_coord': rng.randint(1, 300, (1, 4)).astype(np.uint16), 'obj_contour': contour}, do_compression=(k == 1))
except ImportError:
    pass
result = None`);

const PY = `
import sys, types
try:
    import scipy.io
except ImportError:
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

test('Caltech101 annotation targets equal torchvision: obj_contour alone and with the category, float64', async () => {
  const py = runPython<unknown[]>(`${PY}
def target(t): return [t[0], t[1].tolist(), 'torch.' + str(t[1].dtype)] if isinstance(t, tuple) else [t.tolist(), 'torch.' + str(t.dtype)]
ds, both = datasets.Caltech101(root, 'annotation'), datasets.Caltech101(root, ['category', 'annotation'], target_transform=T.Lambda(lambda t: t))
result = [[target(ds[i][1]) for i in [0, 1, 2, 4, 5]], [target(both[i][1]) for i in [0, 1, 2, 4, 5]], err(lambda: ds[3]), repr(both)]`);
  const tgt = (t: unknown) => (Array.isArray(t) ? [t[0], (t[1] as Tensor).tolist(), String((t[1] as Tensor).dtype)] : [(t as Tensor).tolist(), String((t as Tensor).dtype)]);
  const ds = new datasets.Caltech101(root, 'annotation');
  const both = new datasets.Caltech101(root, ['category', 'annotation'], { targetTransform: new T.Lambda((t: unknown) => t) as never });
  const targets = async (d: datasets.Caltech101<Tensor, unknown>) => (await Promise.all([0, 1, 2, 4, 5].map((i) => d.getItem(i)))).map(([, t]) => tgt(t));
  const missing = await ds.getItem(3).then(() => 'no error', (e: Error) => e.message);
  expect([await targets(ds as never), await targets(both as never), missing, String(both)]).toEqual(py);
});

test("torchvision's errors: bad target type, missing folders", async () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.Caltech101(root, 'bbox')), err(lambda: datasets.Caltech101(root + '/x')), err(lambda: datasets.Caltech256(root + '/x'))]`);
  expect([messageOf(() => new datasets.Caltech101(root, 'bbox' as never)), messageOf(() => new datasets.Caltech101(`${root}/x`)), messageOf(() => new datasets.Caltech256(`${root}/x`))]).toEqual(py);
  expect(messageOf(() => new datasets.Caltech256(`${root}/y`, { download: true }))).toMatch(/cannot download here.*256_ObjectCategories\.tar/);
});
