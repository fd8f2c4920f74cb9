// datasets.Places365 and datasets.INaturalist against torchvision 0.14's on small synthetic trees:
// Places365's devkit lists (md5-checked: both sides use a subclass listing these files' md5s, as a
// Python user would) for the train-standard and val splits, small and large; INaturalist's 2021
// layout (taxonomy in the folder names) and 2018/2017 layouts (super-category/category folders),
// with single and several target types. PNG images (RGB and L), so pixels compare exactly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { Places365 } from '../lib/vision/datasets/places365';
import { INaturalist } from '../lib/vision/datasets/inaturalist';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

jest.setTimeout(120_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-places-inat-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const places = path.join(root, 'places');
const inat = path.join(root, 'inat');

const md5s = runPython<Record<string, string>>(`
import os, numpy as np
from PIL import Image
from torchvision.datasets.utils import calculate_md5
places, inat = ${JSON.stringify(places)}, ${JSON.stringify(inat)}
rng = np.random.RandomState(0)
def png(p, gray=False):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    shape = (3, 4) if gray else (3, 4, 3)
    Image.fromarray(rng.randint(0, 256, shape).astype(np.uint8), 'L' if gray else 'RGB').save(p)
open(os.path.join(places, 'categories_places365.txt') if os.makedirs(places, exist_ok=True) is None else '', 'w').write('/b/beach 1\\n/a/airfield 0\\n/c/canyon 2\\n')
open(os.path.join(places, 'places365_train_standard.txt'), 'w').write('/a/airfield/00000001.png 0\\n/c/canyon/00000002.png 2\\n/b/beach/00000001.png  1\\n')
open(os.path.join(places, 'places365_val.txt'), 'w').write('Places365_val_00000002.png 2\\nPlaces365_val_00000001.png 0\\n')
for size in ['large', '256']:
    for f in ['a/airfield/00000001.png', 'c/canyon/00000002.png', 'b/beach/00000001.png']:
        png(os.path.join(places, 'data_%s_standard' % size, f), gray=f.startswith('b'))
    for f in ['Places365_val_00000001.png', 'Places365_val_00000002.png']:
        png(os.path.join(places, 'val_%s' % size, f))
for i, name in enumerate(['00000_Animalia_Chordata_Aves_Passeriformes_Corvidae_Corvus_corax',
                          '00001_Animalia_Chordata_Mammalia_Carnivora_Canidae_Canis_lupus',
                          '00002_Plantae_Tracheophyta_Magnoliopsida_Rosales_Rosaceae_Rosa_canina']):
    for k in range(2 if i != 1 else 1):
        png(os.path.join(inat, '2021_train', name, 'img%d.png' % k), gray=(k == 1))
for scat, cats in [('Birds', ['2', '0']), ('Plants', ['1'])]:
    for c in cats:
        png(os.path.join(inat, '2018', scat, c, 'x.png'))
for scat, cats in [('Mammalia', ['Canis lupus']), ('Aves', ['Corvus corax', 'Pica pica'])]:
    for c in cats:
        png(os.path.join(inat, '2017', scat, c, 'y.png'), gray=True)
os.makedirs(os.path.join(inat, '2019', 'Birds', 'five'))
result = {f: calculate_md5(os.path.join(places, f)) for f in ['categories_places365.txt', 'places365_train_standard.txt', 'places365_val.txt']}`);

const PY_HEAD = `
import os
from torchvision import datasets, transforms as T
places, inat = ${JSON.stringify(places)}, ${JSON.stringify(inat)}
md5 = ${JSON.stringify(md5s)}
class TinyPlaces365(datasets.Places365):
    _CATEGORIES_META = ('categories_places365.txt', md5['categories_places365.txt'])
    _FILE_LIST_META = {'train-standard': ('places365_train_standard.txt', md5['places365_train_standard.txt']),
                       'val': ('places365_val.txt', md5['places365_val.txt'])}
pil = T.PILToTensor()
def summary(ds):
    items = [ds[i] for i in list(range(len(ds))) + [-1]]
    return [len(ds), [[pil(x).tolist(), y] for x, y in items]]
`;
class TinyPlaces365 extends Places365 {
  static readonly categoriesMeta = ['categories_places365.txt', md5s['categories_places365.txt']] as const;
  static readonly fileListMeta = {
    'train-standard': ['places365_train_standard.txt', md5s['places365_train_standard.txt']] as const,
    'train-challenge': ['missing.txt', null] as const,
    val: ['places365_val.txt', md5s['places365_val.txt']] as const,
  };
}
async function summary(ds: { len(): number; getItem(i: number): Promise<[unknown, unknown]> }) {
  const items = await Promise.all([...Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)), ds.getItem(-1)]);
  return [ds.len(), items.map(([x, y]) => [(x as torch.Tensor).tolist(), y])];
}

test('Places365 items, classes and lists equal torchvision (train-standard, val; large and small)', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
a = TinyPlaces365(places)
b = TinyPlaces365(places, 'val', True)
result = [summary(a), summary(b), a.classes, a.class_to_idx, [[os.path.relpath(p, places), t] for p, t in a.imgs], a.targets,
          [os.path.relpath(p, places) for p, _ in b.imgs], repr(a), repr(b)]`);
  const a = new TinyPlaces365(places);
  const b = new TinyPlaces365(places, 'val', true);
  expect([
    await summary(a), await summary(b), a.classes, a.classToIdx, a.imgs.map(([p, t]) => [path.relative(places, p), t]), a.targets,
    b.imgs.map(([p]) => path.relative(places, p)), String(a), String(b),
  ]).toEqual(py);
});

test('Places365 transforms and errors equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
ds = TinyPlaces365(places, split='val', transform=T.ToTensor(), target_transform=T.Lambda(lambda t: t * 10))
x, y = ds[0]
result = [[x.tolist(), y], err(lambda: datasets.Places365(places)), err(lambda: TinyPlaces365(places, 'test')),
          err(lambda: TinyPlaces365(places, download=True))]`);
  const ds = new TinyPlaces365(places, { split: 'val', transform: new T.ToTensor(), targetTransform: new T.Lambda((t: number) => t * 10) });
  const [x, y] = await ds.getItem(0);
  expect([
    [(x as torch.Tensor).tolist(), y], messageOf(() => new Places365(places)), messageOf(() => new TinyPlaces365(places, 'test' as any)),
    messageOf(() => new TinyPlaces365(places, { download: true })),
  ]).toEqual(py);
});

test('INaturalist items and category indexes equal torchvision (2021, 2018, 2017; one and several target types)', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
a = datasets.INaturalist(inat)
b = datasets.INaturalist(inat, '2021_train', ['full', 'class', 'genus'])
c = datasets.INaturalist(inat, version='2018', target_type=['super', 'full'])
d = datasets.INaturalist(inat, '2017', 'super')
result = [summary(a), summary(b), summary(c), summary(d), [a.all_categories, a.categories_index, a.categories_map, a.index],
          [c.all_categories, c.categories_index, c.categories_map, d.all_categories, d.categories_map],
          [a.category_name('full', 1), a.category_name('order', 1), d.category_name('super', 0)], repr(b)]`);
  const a = new INaturalist(inat);
  const b = new INaturalist(inat, '2021_train', ['full', 'class', 'genus']);
  const c = new INaturalist(inat, { version: '2018', targetType: ['super', 'full'] });
  const d = new INaturalist(inat, '2017', 'super');
  expect([
    await summary(a), await summary(b), await summary(c), await summary(d), [a.allCategories, a.categoriesIndex, a.categoriesMap, a.index],
    [c.allCategories, c.categoriesIndex, c.categoriesMap, d.allCategories, d.categoriesMap],
    [a.categoryName('full', 1), a.categoryName('order', 1), d.categoryName('super', 0)], String(b),
  ]).toEqual(py);
});

test('INaturalist errors equal torchvision', () => {
  const py = runPython<string[]>(`${PY_HEAD}
a = datasets.INaturalist(inat)
result = [err(lambda: datasets.INaturalist(inat, '2020')), err(lambda: datasets.INaturalist(inat, '2021_valid')),
          err(lambda: datasets.INaturalist(inat, '2018', 'genus')), err(lambda: datasets.INaturalist(inat, '2019')),
          err(lambda: datasets.INaturalist(inat, download=True)), err(lambda: a.category_name('super', 0)), err(lambda: a.category_name('genus', 9))]`);
  const a = new INaturalist(inat);
  expect([
    messageOf(() => new INaturalist(inat, '2020')), messageOf(() => new INaturalist(inat, '2021_valid')),
    messageOf(() => new INaturalist(inat, '2018', 'genus')), messageOf(() => new INaturalist(inat, '2019')),
    messageOf(() => new INaturalist(inat, { download: true })), messageOf(() => a.categoryName('super', 0)), messageOf(() => a.categoryName('genus', 9)),
  ]).toEqual(py);
});
