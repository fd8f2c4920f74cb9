// datasets.Cityscapes against torchvision 0.14's on a tiny tree in its layout: leftImg8bit images
// by city, gtFine / gtCoarse targets (16-bit instance ids, 8-bit label ids, RGBA colour images,
// polygon JSON), one target type or several.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { Cityscapes } from '../lib/vision/datasets/cityscapes';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-cityscapes-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, json as js, numpy as np
from PIL import Image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def save(a, *p):
    f = os.path.join(root, *p); os.makedirs(os.path.dirname(f), exist_ok=True); Image.fromarray(a).save(f)
for split, cities, modes in [('train', ['bochum', 'aachen'], ['gtFine', 'gtCoarse']), ('val', ['lindau'], ['gtFine'])]:
    for c in cities:
        for k in range(2):
            stem = '%s_%06d_%06d' % (c, k, 19 + k)
            save(rng.randint(0, 256, (4, 6, 3)).astype(np.uint8), 'leftImg8bit', split, c, stem + '_leftImg8bit.png')
            for m in modes:
                save((rng.randint(0, 34, (4, 6)) * 1000 + rng.randint(0, 3, (4, 6))).astype(np.uint16), m, split, c, '%s_%s_instanceIds.png' % (stem, m))
                save(rng.randint(0, 34, (4, 6)).astype(np.uint8), m, split, c, '%s_%s_labelIds.png' % (stem, m))
                save(rng.randint(0, 256, (4, 6, 4)).astype(np.uint8), m, split, c, '%s_%s_color.png' % (stem, m))
                poly = {'imgHeight': 4, 'imgWidth': 6, 'objects': [{'label': 'car', 'polygon': rng.randint(0, 6, (3, 2)).tolist()}, {'label': 'road', 'polygon': [[0, 0], [5, 3]]}]}
                open(os.path.join(root, m, split, c, '%s_%s_polygons.json' % (stem, m)), 'w').write(js.dumps(poly))
result = None`);

const PY_HEAD = `
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
pil = T.PILToTensor()
def tl(t):
    return [tl(x) for x in t] if isinstance(t, tuple) else t if isinstance(t, dict) else [str(pil(t).dtype), pil(t).tolist()]
def summary(ds):
    return [len(ds), [[pil(x).tolist(), tl(y)] for x, y in [ds[i] for i in range(len(ds))]]]
`;
const tl = (t: unknown): unknown => (Array.isArray(t) ? t.map(tl) : t instanceof torch.Tensor ? [String(t.dtype), t.tolist()] : t);
async function summary(ds: Cityscapes) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), items.map(([x, y]) => [x.tolist(), tl(y)])];
}

test('every target type, alone and together, fine and coarse, equals torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.Cityscapes(root)), summary(datasets.Cityscapes(root, 'val', target_type=['semantic', 'polygon', 'color', 'instance'])),
          summary(datasets.Cityscapes(root, 'train', 'coarse', 'polygon'))]`);
  const ours = [
    await summary(new Cityscapes(root)),
    await summary(new Cityscapes(root, 'val', { targetType: ['semantic', 'polygon', 'color', 'instance'] })),
    await summary(new Cityscapes(root, 'train', 'coarse', 'polygon')),
  ];
  expect(ours).toEqual(py);
  expect(Cityscapes.classes[26]).toEqual({ name: 'car', id: 26, trainId: 13, category: 'vehicle', categoryId: 7, hasInstances: true, ignoreInEval: false, color: [0, 0, 142] });
});

test('transforms, repr, classes and errors equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
ds = datasets.Cityscapes(root, 'val', target_type='semantic', transform=T.ToTensor(), target_transform=T.PILToTensor())
result = [[ds[1][0].tolist(), ds[1][1].tolist()], repr(ds), repr(datasets.Cityscapes(root, mode='coarse', target_type=['color', 'polygon'])),
          [[c.name, c.id, c.train_id, c.category, c.category_id, c.has_instances, c.ignore_in_eval, list(c.color)] for c in datasets.Cityscapes.classes],
          err(lambda: datasets.Cityscapes(root, 'test')), err(lambda: datasets.Cityscapes(root, 'train_extra')), err(lambda: datasets.Cityscapes(root, mode='medium')),
          err(lambda: datasets.Cityscapes(root, target_type=['semantic', 'depth'])), err(lambda: datasets.Cityscapes(root, 'val', 'coarse'))]`);
  const ds = new Cityscapes(root, 'val', { targetType: 'semantic', transform: new T.ToTensor(), targetTransform: new T.PILToTensor() });
  const [x, y] = await ds.getItem(1);
  const ours = [
    [x.tolist(), y.tolist()], String(ds), String(new Cityscapes(root, { mode: 'coarse', targetType: ['color', 'polygon'] })),
    Cityscapes.classes.map((c) => [c.name, c.id, c.trainId, c.category, c.categoryId, c.hasInstances, c.ignoreInEval, c.color]),
    messageOf(() => new Cityscapes(root, 'test')), messageOf(() => new Cityscapes(root, 'train_extra')), messageOf(() => new Cityscapes(root, { mode: 'medium' })),
    messageOf(() => new Cityscapes(root, { targetType: ['semantic', 'depth'] })), messageOf(() => new Cityscapes(root, 'val', 'coarse')),
  ];
  expect(ours).toEqual(py);
});
