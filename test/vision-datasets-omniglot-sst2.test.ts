// datasets.Omniglot and RenderedSST2 against torchvision 0.14 on small trees in the archives' layout
// (Omniglot: 1-bit and 8-bit gray PNGs under <alphabet>/<character>/, listed in os.listdir's order;
// its zip is md5-checked, so both sides use a subclass with this stand-in zip's md5, torchvision's
// class attribute, as a Python user would).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-omniglot-sst2-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5s = runPython<Record<string, string>>(`
import os, numpy as np
from PIL import Image
from torchvision.datasets.utils import calculate_md5
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
o = os.path.join(root, 'omniglot-py'); os.makedirs(o)
md5 = {}
for z, alphabets in [('images_background', ['Latin', 'Greek', 'Bengali']), ('images_evaluation', ['Kannada', 'Atlantean'])]:
    open(os.path.join(o, z + '.zip'), 'w').write(z)
    md5[z] = calculate_md5(os.path.join(o, z + '.zip'))
    for a in alphabets:
        for c in rng.permutation(['character%02d' % k for k in range(1, 4)]):
            d = os.path.join(o, z, a, c); os.makedirs(d)
            for k in rng.permutation(4)[:2]:
                bits = rng.randint(0, 2, (5, 4)).astype(bool)
                img = Image.fromarray(bits) if k % 2 else Image.fromarray((bits * rng.randint(0, 256)).astype(np.uint8))
                img.save(os.path.join(d, '%04d_%02d.png' % (rng.randint(1000), k)))
            open(os.path.join(d, 'notes.txt'), 'w').write('not an image')
for split in ['train', 'valid', 'test']:
    for c in ['positive', 'negative']:
        d = os.path.join(root, 'rendered-sst2', split, c); os.makedirs(d)
        for k in range(rng.randint(1, 3)): Image.fromarray(rng.randint(0, 256, (3, 5, 3)).astype(np.uint8)).save(os.path.join(d, '%d.png' % rng.randint(10**5)))
result = md5`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
class TinyOmniglot(datasets.Omniglot):
    zips_md5 = ${JSON.stringify(md5s)}
root = ${JSON.stringify(root)}
def chw(x):
    if torch.is_tensor(x): return x.tolist()
    a = np.array(x)
    return (a[None] if a.ndim == 2 else a.transpose(2, 0, 1)).tolist()
`;
class TinyOmniglot extends datasets.Omniglot {
  static readonly zipsMd5 = md5s;
}
type AnyDataset = { len(): number; getItem(i: number): Promise<[Tensor, number]> };
async function items(ds: AnyDataset) {
  const all = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return all.map(([x, y]) => [x.tolist(), y]);
}

test('Omniglot equals torchvision: background and evaluation, items in os.listdir order, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
def summary(ds): return [len(ds), [[chw(ds[i][0]), ds[i][1]] for i in range(len(ds))], repr(ds)]
result = [summary(TinyOmniglot(root)), summary(TinyOmniglot(root, False, T.ToTensor(), T.Lambda(lambda y: y + 1)))]`);
  const got = [new TinyOmniglot(root), new TinyOmniglot(root, false, new T.ToTensor() as never, new T.Lambda((y: number) => y + 1) as never)];
  expect(await Promise.all(got.map(async (ds) => [ds.len(), await items(ds as AnyDataset), String(ds)]))).toEqual(py);
});

test('RenderedSST2 equals torchvision for every split: classes, items, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
def summary(ds): return [len(ds), ds.classes, ds.class_to_idx, [[chw(ds[i][0]), ds[i][1]] for i in range(len(ds))], repr(ds)]
result = [summary(datasets.RenderedSST2(root, s)) for s in ['train', 'val', 'test']]`);
  const got = ['train', 'val', 'test'].map((s) => new datasets.RenderedSST2(root, s as never));
  expect(await Promise.all(got.map(async (ds) => [ds.len(), ds.classes, ds.classToIdx, await items(ds as AnyDataset), String(ds)]))).toEqual(py);
});

test("torchvision's errors: missing or corrupted files, bad split; download=True downloads nothing", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.Omniglot(root)), err(lambda: TinyOmniglot(root + '/x')), err(lambda: datasets.RenderedSST2(root, 'valid')), err(lambda: datasets.RenderedSST2(root + '/x'))]`);
  expect([
    messageOf(() => new datasets.Omniglot(root)),
    messageOf(() => new TinyOmniglot(`${root}/x`)),
    messageOf(() => new datasets.RenderedSST2(root, 'valid' as never)),
    messageOf(() => new datasets.RenderedSST2(`${root}/x`)),
  ]).toEqual(py);
  expect(messageOf(() => new datasets.Omniglot(root, { download: true }))).toMatch(/cannot download here.*images_background\.zip/);
});
