// datasets.SVHN, Flowers102 and StanfordCars (their .mat files read by readers/mat.ts) against
// torchvision 0.14 with scipy 1.10, on small trees in the archives' layout that Python writes with
// scipy.io.savemat (compressed and not; labels stored as double, uint8 and int as MATLAB and numpy
// write them) and PIL (PNG-encoded files under the archives' .jpg names, so pixels compare exactly;
// one gray image shows convert('RGB')). The real files' md5s cannot match: both sides use a
// subclass listing the small files' md5s (torchvision's class attributes), as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-mat-sets-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5 = runPython<{ svhn: Record<string, string>; flowers: Record<string, string> }>(`
import os, numpy as np, scipy.io as sio
from PIL import Image
from torchvision.datasets.utils import calculate_md5
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
def img(p, gray=False, hw=(5, 4)):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    Image.fromarray(rng.randint(0, 256, hw if gray else hw + (3,)).astype(np.uint8)).save(p, format='PNG')
svhn = {}
for split, n, ydtype, comp in [('train', 5, np.float64, True), ('test', 3, np.uint8, False), ('extra', 4, np.int32, True)]:
    X = rng.randint(0, 256, (6, 5, 3, n)).astype(np.uint8)
    y = np.concatenate([[10], rng.randint(1, 11, n - 1)]).astype(ydtype)[:, None]
    f = os.path.join(root, 'svhn', split + '_32x32.mat')
    os.makedirs(os.path.dirname(f), exist_ok=True)
    sio.savemat(f, {'X': X, 'y': y}, do_compression=comp)
    svhn[split] = calculate_md5(f)
flowers = os.path.join(root, 'flowers-102')
for i in range(1, 9): img(os.path.join(flowers, 'jpg', 'image_%05d.jpg' % i), gray=(i == 3), hw=(4 + i % 3, 5))
sio.savemat(os.path.join(flowers, 'imagelabels.mat'), {'labels': np.array([[3, 1, 2, 3, 1, 102, 2, 1]], np.float64)}, do_compression=True)
sio.savemat(os.path.join(flowers, 'setid.mat'), {'trnid': np.array([[2, 5, 1, 8]], np.uint16), 'valid': np.array([[3, 7]], np.uint8), 'tstid': np.array([[6, 4, 3]], np.int32)})
fl = {k: calculate_md5(os.path.join(flowers, k)) for k in ['imagelabels.mat', 'setid.mat']}
# ids saved as doubles: torchvision's f'{id:05d}' refuses them
floats = os.path.join(root, 'float-ids', 'flowers-102')
os.makedirs(os.path.join(floats, 'jpg'))
sio.savemat(os.path.join(floats, 'setid.mat'), {'trnid': np.array([[2.0, 5.0]]), 'valid': np.array([[3.0]]), 'tstid': np.array([[6.0]])})
os.link(os.path.join(flowers, 'imagelabels.mat'), os.path.join(floats, 'imagelabels.mat'))
fl['float-setid'] = calculate_md5(os.path.join(floats, 'setid.mat'))
cars = os.path.join(root, 'cars', 'stanford_cars')
os.makedirs(os.path.join(cars, 'devkit'))
sio.savemat(os.path.join(cars, 'devkit', 'cars_meta.mat'), {'class_names': np.array([['AM General Hummer SUV 2000', 'Acura RL Sedan 2012', 'Audi R8 Coupe 2012']], dtype=object)})
def annos(names, classes, dtype):
    rec = [(np.array([[1]], np.uint8), np.array([[2]], np.uint8), np.array([[30]], np.uint16), np.array([[40]], np.uint16), np.array([[c]], dtype), n) for n, c in zip(names, classes)]
    return np.array([rec], dtype=[('bbox_x1', object), ('bbox_y1', object), ('bbox_x2', object), ('bbox_y2', object), ('class', object), ('fname', object)])
train = ['00001.jpg', '00002.jpg', '00003.jpg', '00004.jpg']
test = ['00001.jpg', '00002.jpg']
sio.savemat(os.path.join(cars, 'devkit', 'cars_train_annos.mat'), {'annotations': annos(train, [3, 1, 2, 1], np.uint8)}, do_compression=True)
sio.savemat(os.path.join(cars, 'cars_test_annos_withlabels.mat'), {'annotations': annos(test, [2, 3], np.float64)})
for k, n in enumerate(train): img(os.path.join(cars, 'cars_train', n), gray=(k == 1))
for n in test: img(os.path.join(cars, 'cars_test', n))
result = {'svhn': svhn, 'flowers': fl}`);

class SmallSVHN extends datasets.SVHN {
  static readonly splitList = Object.fromEntries(Object.entries(datasets.SVHN.splitList).map(([s, [u, f]]) => [s, [u, f, md5.svhn[s]] as const]));
}
class SmallFlowers102 extends datasets.Flowers102 {
  static readonly fileDict = { ...datasets.Flowers102.fileDict, label: ['imagelabels.mat', md5.flowers['imagelabels.mat']] as const, setid: ['setid.mat', md5.flowers['setid.mat']] as const };
}

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
md5 = ${JSON.stringify(md5)}
class SmallSVHN(datasets.SVHN):
    split_list = {s: [u, f, md5['svhn'][s]] for s, (u, f, _) in datasets.SVHN.split_list.items()}
class SmallFlowers102(datasets.Flowers102):
    _file_dict = {**datasets.Flowers102._file_dict, 'label': ('imagelabels.mat', md5['flowers']['imagelabels.mat']), 'setid': ('setid.mat', md5['flowers']['setid.mat'])}
def chw(x): return x.tolist() if torch.is_tensor(x) else np.array(x).transpose(2, 0, 1).tolist()
def summary(ds): return [len(ds), [[chw(ds[i][0]), int(ds[i][1])] for i in range(len(ds))], repr(ds)]
`;
type Items = { len(): number; getItem(i: number): [Tensor, number] | Promise<[Tensor, number]> };
async function summary(ds: Items) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), items.map(([x, y]) => [x.tolist(), y]), String(ds)];
}
const normalize = () => new T.Compose([new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.25, 0.5, 0.125])]);

test('SVHN equals torchvision for its splits: images from X, labels (10 -> 0), len, repr; transforms', async () => {
  const py = runPython<unknown[]>(`${PY}
svhn = root + '/svhn'
result = [summary(SmallSVHN(svhn, s)) for s in ['train', 'test', 'extra']] + [summary(SmallSVHN(svhn, split='test', transform=T.Compose([T.ToTensor(), T.Normalize([0.5, 0.5, 0.5], [0.25, 0.5, 0.125])]))),
          SmallSVHN(svhn).labels.tolist(), err(lambda: SmallSVHN(svhn)[5])]`);
  const svhn = path.join(root, 'svhn');
  const sets = [...(['train', 'test', 'extra'] as const).map((s) => new SmallSVHN(svhn, s)), new SmallSVHN(svhn, { split: 'test', transform: normalize() as never })];
  const train = new SmallSVHN(svhn);
  expect([...(await Promise.all(sets.map((ds) => summary(ds as Items)))), train.labels, messageOf(() => train.getItem(5))]).toEqual(py);
});

test('Flowers102 equals torchvision for its splits: image ids from setid.mat, labels, RGB images, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(SmallFlowers102(root, s)) for s in ['train', 'val', 'test']] + [summary(SmallFlowers102(root, 'val', T.Compose([T.ToTensor(), T.Normalize([0.5, 0.5, 0.5], [0.25, 0.5, 0.125])])))]`);
  const sets = [...(['train', 'val', 'test'] as const).map((s) => new SmallFlowers102(root, s)), new SmallFlowers102(root, 'val', normalize() as never)];
  expect(await Promise.all(sets.map((ds) => summary(ds as Items)))).toEqual(py);
});

test('StanfordCars equals torchvision for both splits: classes, class targets from the annotations, images, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
cars = root + '/cars'
result = [[summary(ds), ds.classes, ds.class_to_idx] for ds in [datasets.StanfordCars(cars), datasets.StanfordCars(cars, 'test', target_transform=T.Lambda(lambda y: y))]]`);
  const cars = path.join(root, 'cars');
  const sets = [new datasets.StanfordCars(cars), new datasets.StanfordCars(cars, 'test', { targetTransform: new T.Lambda((y: number) => y) as never })];
  expect(await Promise.all(sets.map(async (ds) => [await summary(ds as Items), ds.classes, ds.classToIdx]))).toEqual(py);
});

test("torchvision's errors: bad split, missing or corrupted files; download=True downloads nothing", () => {
  const py = runPython<string[]>(`${PY}
class FloatIds(SmallFlowers102):
    _file_dict = {**SmallFlowers102._file_dict, 'setid': ('setid.mat', md5['flowers']['float-setid'])}
result = [err(lambda: FloatIds(root + '/float-ids')), err(lambda: SmallSVHN(root + '/svhn', 'valid')), err(lambda: SmallSVHN(root)), err(lambda: datasets.SVHN(root + '/svhn')),
          err(lambda: SmallFlowers102(root, 'training')), err(lambda: datasets.Flowers102(root)), err(lambda: SmallFlowers102(root + '/x')),
          err(lambda: datasets.StanfordCars(root + '/cars', 'val')), err(lambda: datasets.StanfordCars(root))]`);
  class FloatIds extends SmallFlowers102 {
    static readonly fileDict = { ...SmallFlowers102.fileDict, setid: ['setid.mat', md5.flowers['float-setid']] as const };
  }
  expect([
    messageOf(() => new FloatIds(`${root}/float-ids`)),
    messageOf(() => new SmallSVHN(`${root}/svhn`, 'valid' as never)),
    messageOf(() => new SmallSVHN(root)),
    messageOf(() => new datasets.SVHN(`${root}/svhn`)),
    messageOf(() => new SmallFlowers102(root, 'training' as never)),
    messageOf(() => new datasets.Flowers102(root)),
    messageOf(() => new SmallFlowers102(`${root}/x`)),
    messageOf(() => new datasets.StanfordCars(`${root}/cars`, 'val' as never)),
    messageOf(() => new datasets.StanfordCars(root)),
  ]).toEqual(py);
  expect(py.filter((m) => m === 'no error')).toEqual([]);
  expect(messageOf(() => new datasets.SVHN(`${root}/svhn`, { download: true }))).toMatch(/cannot download here.*train_32x32\.mat/);
  expect(messageOf(() => new datasets.StanfordCars(root, { download: true }))).toMatch(/cannot download here.*car_devkit\.tgz/);
});
