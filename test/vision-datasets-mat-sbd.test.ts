// datasets.SBDataset against torchvision 0.14 with scipy 1.10 on a small SBD tree: cls/<id>.mat
// holds the GTcls struct as the real files do (Boundaries: a 20x1 cell of sparse logical
// matrices, Segmentation: uint8 class ids, CategoriesPresent), written by scipy.io.savemat,
// compressed and not; img/<id>.jpg are PNG-encoded (PIL and torch-node decode by content).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-sbd-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np, scipy.io as sio, scipy.sparse as sp
from PIL import Image
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
sbd = os.path.join(root, 'sbd')
for d in ['img', 'cls']: os.makedirs(os.path.join(sbd, d))
os.makedirs(os.path.join(root, 'empty'))
ids = ['2008_000002', '2008_000003', '2008_000007']
for k, i in enumerate(ids):
    h, w = 5 + k, 4
    Image.fromarray(rng.randint(0, 256, (h, w, 3)).astype(np.uint8)).save(os.path.join(sbd, 'img', i + '.jpg'), format='PNG')
    seg = rng.randint(0, 21, (h, w)).astype(np.uint8)
    bounds = np.empty((20, 1), dtype=object)
    for c in range(20): bounds[c, 0] = sp.csc_matrix(rng.rand(h, w) < 0.2)
    gt = {'Boundaries': bounds, 'Segmentation': seg, 'CategoriesPresent': np.unique(seg)[None].astype(np.uint8)}
    sio.savemat(os.path.join(sbd, 'cls', i + '.mat'), {'GTcls': gt}, do_compression=(k != 1))
for name, chosen in [('train', ids[:2]), ('val', ids[2:]), ('train_noval', [ids[1]])]:
    open(os.path.join(sbd, name + '.txt'), 'w').write(''.join(c + '\\n' for c in chosen))
result = None`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
sbd = root + '/sbd'
def arr(x): return x.tolist() if torch.is_tensor(x) else (np.array(x)[None] if x.mode == 'L' else np.array(x).transpose(2, 0, 1)).tolist() if not isinstance(x, np.ndarray) else x.tolist()
def kind(x): return str(x.dtype) if isinstance(x, np.ndarray) else x.mode if not torch.is_tensor(x) else str(x.dtype)
def summary(ds): return [len(ds), [[arr(ds[i][0]), arr(ds[i][1]), kind(ds[i][1])] for i in range(len(ds))], repr(ds)]
`;
const CASES: [string, string][] = [['train', 'boundaries'], ['val', 'segmentation'], ['train_noval', 'boundaries'], ['train', 'segmentation']];
async function summary(ds: datasets.SBDataset, kind: (t: Tensor) => string) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), items.map(([x, y]) => [(x as Tensor).tolist(), (y as Tensor).tolist(), kind(y)]), String(ds)];
}

test('SBDataset equals torchvision: boundaries (dense [20, H, W]) and segmentation targets, images, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.SBDataset(sbd, s, m)) for s, m in ${JSON.stringify(CASES)}]`);
  // torchvision's boundaries are a uint8 numpy array, its segmentation an 'L' image
  const got = await Promise.all(CASES.map(([s, m]) => summary(new datasets.SBDataset(sbd(), s as never, m as never), (t) => (m === 'segmentation' ? 'L' : String(t.dtype).replace('torch.', '')))));
  expect(got).toEqual(py);
});

test('SBDataset joint transforms receive (image, target) as in torchvision', async () => {
  const py = runPython<unknown[]>(`${PY}
ds = datasets.SBDataset(sbd, 'val', 'segmentation', transforms=lambda img, t: (T.functional.pil_to_tensor(img).flip(-1), T.functional.pil_to_tensor(t).long() * 2))
result = summary(ds)[:2]`);
  const ds = new datasets.SBDataset(sbd(), { imageSet: 'val', mode: 'segmentation', transforms: (img: Tensor, t: Tensor) => [img.flip(-1), t.long().mul(2)] });
  // (the repr's last line is the function's: Python's <lambda> differs from JS source text)
  expect((await summary(ds, (t) => String(t.dtype))).slice(0, 2)).toEqual(py);
});

test("SBDataset's errors: bad image set or mode, missing root or split file", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.SBDataset(sbd, 'test')), err(lambda: datasets.SBDataset(sbd, mode='edges')), err(lambda: datasets.SBDataset(root + '/none')), err(lambda: datasets.SBDataset(root + '/empty'))]`);
  expect([
    messageOf(() => new datasets.SBDataset(sbd(), 'test' as never)),
    messageOf(() => new datasets.SBDataset(sbd(), { mode: 'edges' as never })),
    messageOf(() => new datasets.SBDataset(`${root}/none`)),
    messageOf(() => new datasets.SBDataset(`${root}/empty`)),
  ]).toEqual(py);
  expect(messageOf(() => new datasets.SBDataset(sbd(), { download: true }))).toMatch(/cannot download here.*benchmark\.tgz/);
});

function sbd(): string {
  return path.join(root, 'sbd');
}
