// datasets.EuroSAT and Country211 (ImageFolders over eurosat/2750 and country211/<split>) against
// torchvision 0.14 on small trees in the archives' layout (EuroSAT: real JPEGs, which decode to the
// same pixels as PIL's; Country211: PNG-encoded files under the archive's .jpg names, as both decode
// by content).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-folder-sets-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
def img(p, fmt='PNG'):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    Image.fromarray(rng.randint(0, 256, (12, 10, 3)).astype(np.uint8)).save(p, format=fmt, quality=90)
for c, n in [('AnnualCrop', 2), ('Forest', 1), ('SeaLake', 3)]:
    for k in range(n): img(os.path.join(root, 'eurosat', '2750', c, '%s_%d.jpg' % (c, k + 1)), 'JPEG')
for split in ['train', 'valid', 'test']:
    for c in ['AD', 'AE', 'ZW']:
        for k in range(rng.randint(1, 3)): img(os.path.join(root, 'country211', split, c, '%d.jpg' % rng.randint(10**6)))
result = None`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
def summary(ds): return [len(ds), ds.classes, ds.class_to_idx, [[np.array(ds[i][0]).transpose(2, 0, 1).tolist(), ds[i][1]] for i in range(len(ds))], repr(ds)]
`;
async function summary(ds: datasets.ImageFolder) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), ds.classes, ds.classToIdx, items.map(([x, y]) => [(x as Tensor).tolist(), y]), String(ds)];
}

test('EuroSAT and Country211 (every split) equal torchvision: classes, items, len, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.EuroSAT(root)), summary(datasets.EuroSAT(root, target_transform=T.Lambda(lambda y: y)))] + [summary(datasets.Country211(root, s)) for s in ['train', 'valid', 'test']]`);
  const got = [new datasets.EuroSAT(root), new datasets.EuroSAT(root, { targetTransform: new T.Lambda((y: number) => y) as never }), ...['train', 'valid', 'test'].map((s) => new datasets.Country211(root, s as never))];
  expect(await Promise.all(got.map((ds) => summary(ds as datasets.ImageFolder)))).toEqual(py);
});

test("torchvision's errors: bad split, missing folders; download=True downloads nothing", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.Country211(root, 'val')), err(lambda: datasets.Country211(root + '/x')), err(lambda: datasets.EuroSAT(root + '/x'))]`);
  expect([messageOf(() => new datasets.Country211(root, 'val' as never)), messageOf(() => new datasets.Country211(`${root}/x`)), messageOf(() => new datasets.EuroSAT(`${root}/x`))]).toEqual(py);
  expect(messageOf(() => new datasets.EuroSAT(`${root}/x`, { download: true }))).toMatch(/cannot download here.*EuroSAT\.zip/);
});
