// datasets.GTSRB against torchvision 0.14 on a small gtsrb/ tree in the archives' layout: binary
// PPM images (P6, and a P5 one: convert('RGB') repeats its gray) under Training/<class>/ with their
// GT-<class>.csv, Final_Test/Images with GT-final_test.csv (';'-separated, as the real one).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-gtsrb-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
rng = np.random.RandomState(0)
g = os.path.join(${JSON.stringify(root)}, 'gtsrb', 'GTSRB')
def img(p, gray=False):
    h, w = rng.randint(3, 7, 2)
    a = rng.randint(0, 256, (h, w) if gray else (h, w, 3)).astype(np.uint8)
    Image.fromarray(a).save(p)
for c, n in [('00000', 2), ('00001', 3), ('00007', 1)]:
    d = os.path.join(g, 'Training', c); os.makedirs(d)
    for k in range(n): img(os.path.join(d, '%05d_%05d.ppm' % (k, 0)), gray=(c == '00001' and k == 1))
    open(os.path.join(d, 'GT-%s.csv' % c), 'w').write('Filename;Width;Height;ClassId\\n')
d = os.path.join(g, 'Final_Test', 'Images'); os.makedirs(d)
rows = ['Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId']
for k in range(4):
    img(os.path.join(d, '%05d.ppm' % k))
    rows.append('%05d.ppm;5;6;0;0;4;5;%d' % (k, rng.randint(0, 43)))
open(os.path.join(${JSON.stringify(root)}, 'gtsrb', 'GT-final_test.csv'), 'w').write('\\r\\n'.join(rows) + '\\r\\n')
result = None`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
def items(ds): return [[np.array(ds[i][0]).transpose(2, 0, 1).tolist(), ds[i][1]] for i in range(len(ds))]
`;
async function items(ds: { len(): number; getItem(i: number): Promise<[Tensor, number]> }) {
  const out = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return out.map(([x, y]) => [x.tolist(), y]);
}

test('GTSRB equals torchvision: train and test items (PPM pixels, class ids), len, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
a, b = datasets.GTSRB(root), datasets.GTSRB(root, 'test', transform=T.ToTensor())
result = [len(a), items(a), len(b), [b[i][0].tolist() for i in [0, -1]], [b[i][1] for i in range(len(b))], repr(a), repr(b)]`);
  const a = new datasets.GTSRB(root);
  const b = new datasets.GTSRB(root, 'test', { transform: new T.ToTensor() });
  const bx = await Promise.all([0, -1].map((i) => b.getItem(i)));
  const by = await Promise.all(Array.from({ length: b.len() }, (_, i) => b.getItem(i)));
  expect([a.len(), await items(a), b.len(), bx.map(([x]) => x.tolist()), by.map(([, y]) => y), String(a), String(b)]).toEqual(py);
});

test("torchvision's errors: bad split, missing files; download=True downloads nothing", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.GTSRB(root, 'val')), err(lambda: datasets.GTSRB(root + '/nowhere'))]`);
  expect([messageOf(() => new datasets.GTSRB(root, 'val' as never)), messageOf(() => new datasets.GTSRB(`${root}/nowhere`))]).toEqual(py);
  expect(messageOf(() => new datasets.GTSRB(`${root}/nowhere`, { download: true }))).toMatch(/cannot download here/);
});
