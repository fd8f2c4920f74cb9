// datasets.FGVCAircraft (splits, annotation levels), SUN397 and OxfordIIITPet (target types,
// joint transforms) against torchvision 0.14 on small trees in the archives' layout: PNG-encoded
// files under the archives' .jpg names (PIL and torch-node decode by content, so the pixels compare
// exactly), annotation files as the real ones.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-aircraft-sun-pet-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
def img(p, mode='RGB'):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    a = rng.randint(0, 256 if mode != 'trimap' else 4, (3, 4, 3) if mode == 'RGB' else (3, 4)).astype(np.uint8)
    Image.fromarray(a).save(p, format='PNG')
def write(p, text):
    os.makedirs(os.path.dirname(p), exist_ok=True); open(p, 'w').write(text)
# FGVC Aircraft: class lists per level, "<id> <class name>" lines (names with spaces and slashes)
d = os.path.join(root, 'fgvc-aircraft-2013b', 'data')
levels = {'variant': ['707-320', 'A300B4', 'Cessna 172'], 'family': ['Boeing 707', 'A300', 'Cessna 172'], 'manufacturer': ['Boeing', 'Airbus', 'Cessna']}
for level, f in [('variant', 'variants.txt'), ('family', 'families.txt'), ('manufacturer', 'manufacturers.txt')]:
    write(os.path.join(d, f), ''.join(c + '\\n' for c in levels[level]))
ids = ['%07d' % rng.randint(10**6) for _ in range(6)]
for i in ids: img(os.path.join(d, 'images', i + '.jpg'), 'L' if i == ids[2] else 'RGB')
for level, names in levels.items():
    for split in ['train', 'val', 'trainval', 'test']:
        write(os.path.join(d, 'images_%s_%s.txt' % (level, split)), ''.join('%s %s\\n' % (i, names[rng.randint(3)]) for i in rng.permutation(ids)[:4]))
# SUN397: ClassName.txt, images in nested class folders (written in a shuffled order)
s = os.path.join(root, 'SUN397')
classes = ['/a/abbey', '/a/apartment_building/outdoor', '/b/bakery/shop', '/b/ball_pit']
write(os.path.join(s, 'ClassName.txt'), ''.join(c + '\\n' for c in classes))
files = [c + '/sun_%s.jpg' % ''.join(rng.choice(list('abcdefgh'), 6)) for c in classes for _ in range(2)]
for f in rng.permutation(files): img(s + f)
img(os.path.join(s, 'a', 'abbey', 'other.jpg'))
# Oxford-IIIT Pet: "<id> <class> <species> <breed>" lines, images and trimaps
p = os.path.join(root, 'oxford-iiit-pet')
pets = [('Abyssinian_%d' % k, 1) for k in range(2)] + [('american_pit_bull_terrier_%d' % k, 3) for k in range(2)] + [('Bengal_%d' % k, 2) for k in range(2)]
for name, _ in pets:
    img(os.path.join(p, 'images', name + '.jpg'))
    img(os.path.join(p, 'annotations', 'trimaps', name + '.png'), 'trimap')
write(os.path.join(p, 'annotations', 'trainval.txt'), ''.join('%s %d %d %d\\n' % (n, c, 1 + (c == 3), 1) for n, c in pets[:5]))
write(os.path.join(p, 'annotations', 'test.txt'), ''.join('%s %d %d %d\\n' % (n, c, 1, 1) for n, c in pets[3:]))
result = None`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
def chw(x):
    if isinstance(x, int) or x is None: return x
    if isinstance(x, tuple): return [chw(v) for v in x]
    if torch.is_tensor(x): return x.tolist()
    a = np.array(x)
    return (a[None] if a.ndim == 2 else a.transpose(2, 0, 1)).tolist()
def summary(ds): return [len(ds), ds.classes, ds.class_to_idx, [[chw(ds[i][0]), chw(ds[i][1])] for i in range(len(ds))], repr(ds)]
`;
type Item = [torch.Tensor, unknown];
type AnyDataset = { len(): number; getItem(i: number): Promise<Item>; classes: string[]; classToIdx: Record<string, number> };
const plain = (v: unknown): unknown => (v instanceof torch.Tensor ? v.tolist() : Array.isArray(v) ? v.map(plain) : v);
async function summary(ds: AnyDataset) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), ds.classes, ds.classToIdx, items.map(([x, y]) => [plain(x), plain(y)]), String(ds)];
}
const all = (list: unknown[]) => Promise.all(list.map((ds) => summary(ds as AnyDataset)));

test('FGVCAircraft equals torchvision for every split and annotation level', async () => {
  const cases = ['train', 'val', 'trainval', 'test'].flatMap((s) => ['variant', 'family', 'manufacturer'].map((l) => [s, l]));
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.FGVCAircraft(root, s, l)) for s, l in ${JSON.stringify(cases)}]`);
  expect(await all(cases.map(([s, l]) => new datasets.FGVCAircraft(root, s as never, l as never)))).toEqual(py);
});

test('SUN397 equals torchvision: classes, the images rglob finds in its order, labels, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.SUN397(root)), summary(datasets.SUN397(root, transform=T.ToTensor()))]`);
  expect(await all([new datasets.SUN397(root), new datasets.SUN397(root, { transform: new T.ToTensor() })])).toEqual(py);
});

test('OxfordIIITPet equals torchvision: splits, target types (category, segmentation, both, none), transforms', async () => {
  const py = runPython<unknown[]>(`${PY}
def joint(img, target): return T.functional.hflip(T.functional.pil_to_tensor(img)), target
result = [summary(datasets.OxfordIIITPet(root)), summary(datasets.OxfordIIITPet(root, 'test', 'segmentation')),
          summary(datasets.OxfordIIITPet(root, target_types=['segmentation', 'category'], transform=T.ToTensor())),
          summary(datasets.OxfordIIITPet(root, 'test', [])), summary(datasets.OxfordIIITPet(root, transforms=joint))[:4]]`);
  const joint = (img: torch.Tensor, target: unknown) => [T.functional.hflip(T.functional.pilToTensor(img)), target];
  const got = await all([
    new datasets.OxfordIIITPet(root),
    new datasets.OxfordIIITPet(root, 'test', 'segmentation'),
    new datasets.OxfordIIITPet(root, { targetTypes: ['segmentation', 'category'], transform: new T.ToTensor() }),
    new datasets.OxfordIIITPet(root, 'test', []),
    new datasets.OxfordIIITPet(root, { transforms: joint }),
  ]);
  got[4] = got[4].slice(0, 4);
  expect(got).toEqual(py);
});

test("torchvision's errors: bad split / level / target type, missing folders; download=True downloads nothing", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.FGVCAircraft(root, 'all')), err(lambda: datasets.FGVCAircraft(root, annotation_level='model')),
          err(lambda: datasets.FGVCAircraft(root + '/x')), err(lambda: datasets.SUN397(root + '/x')),
          err(lambda: datasets.OxfordIIITPet(root, target_types='bbox')), err(lambda: datasets.OxfordIIITPet(root + '/x')),
          err(lambda: datasets.OxfordIIITPet(root, transforms=lambda a, b: (a, b), transform=T.ToTensor()))]`);
  expect([
    messageOf(() => new datasets.FGVCAircraft(root, 'all' as never)),
    messageOf(() => new datasets.FGVCAircraft(root, { annotationLevel: 'model' as never })),
    messageOf(() => new datasets.FGVCAircraft(`${root}/x`)),
    messageOf(() => new datasets.SUN397(`${root}/x`)),
    messageOf(() => new datasets.OxfordIIITPet(root, { targetTypes: 'bbox' as never })),
    messageOf(() => new datasets.OxfordIIITPet(`${root}/x`)),
    messageOf(() => new datasets.OxfordIIITPet(root, { transforms: (a: unknown, b: unknown) => [a, b], transform: new T.ToTensor() })),
  ]).toEqual(py);
  expect(messageOf(() => new datasets.SUN397(`${root}/x`, { download: true }))).toMatch(/cannot download here.*SUN397\.tar\.gz/);
});
