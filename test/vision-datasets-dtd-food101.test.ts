// datasets.DTD (splits, partitions) and Food101 against torchvision 0.14 on small trees in the
// archives' layout (labels/<split><n>.txt, meta/<split>.json), PNG-encoded files under the
// archives' .jpg names (PIL and torch-node decode by content, so the pixels compare exactly;
// one gray image shows convert('RGB')).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-dtd-food-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, json, numpy as np
from PIL import Image
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
def img(p, gray=False):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    Image.fromarray(rng.randint(0, 256, (3, 4) if gray else (3, 4, 3)).astype(np.uint8)).save(p, format='PNG')
dtd = os.path.join(root, 'dtd', 'dtd')
names = [(c, '%s_%04d.jpg' % (c, k)) for c in ['banded', 'zigzagged', 'blotchy'] for k in range(3)]
for i, (c, n) in enumerate(names): img(os.path.join(dtd, 'images', c, n), gray=(i == 4))
os.makedirs(os.path.join(dtd, 'labels'))
for split in ['train', 'val', 'test']:
    for p in [1, 2, 10]:
        chosen = [names[i] for i in rng.permutation(len(names))[:4]]
        open(os.path.join(dtd, 'labels', '%s%d.txt' % (split, p)), 'w').write(''.join('%s/%s\\n' % cn for cn in chosen))
food = os.path.join(root, 'food-101')
meta = {'train': {'ramen': ['ramen/11', 'ramen/7'], 'apple_pie': ['apple_pie/3'], 'waffles': ['waffles/5', 'waffles/1']}, 'test': {'waffles': ['waffles/2'], 'apple_pie': ['apple_pie/9']}}
os.makedirs(os.path.join(food, 'meta'))
for split, m in meta.items():
    json.dump(m, open(os.path.join(food, 'meta', split + '.json'), 'w'))
    for c, files in m.items():
        for f in files: img(os.path.join(food, 'images', f + '.jpg'), gray=(f == 'waffles/1'))
result = None`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
def chw(x): return x.tolist() if torch.is_tensor(x) else np.array(x).transpose(2, 0, 1).tolist()
def summary(ds): return [len(ds), ds.classes, ds.class_to_idx, [[chw(ds[i][0]), ds[i][1]] for i in range(len(ds))], repr(ds)]
`;
type ImageList = { len(): number; getItem(i: number): Promise<[Tensor, number]>; classes: string[]; classToIdx: Record<string, number> };
async function summary(ds: ImageList) {
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), ds.classes, ds.classToIdx, items.map(([x, y]) => [x.tolist(), y]), String(ds)];
}
const DTD_CASES: [string, number][] = [['train', 1], ['val', 2], ['test', 10], ['train', 10]];

test('DTD equals torchvision for splits and partitions: classes, items, len, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.DTD(root, s, p)) for s, p in ${JSON.stringify(DTD_CASES)}] + [summary(datasets.DTD(root, partition=2, transform=T.Compose([T.ToTensor(), T.Normalize([0.5, 0.5, 0.5], [0.25, 0.5, 0.125])])))]`);
  const got = [...DTD_CASES.map(([s, p]) => new datasets.DTD(root, s as never, p)), new datasets.DTD(root, { partition: 2, transform: new T.Compose([new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.25, 0.5, 0.125])]) })];
  expect(await Promise.all(got.map((ds) => summary(ds as ImageList)))).toEqual(py);
});

test('Food101 equals torchvision for both splits: classes, items in the json order, len, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.Food101(root)), summary(datasets.Food101(root, split='test', target_transform=T.Lambda(lambda y: y)))]`);
  const got = [new datasets.Food101(root), new datasets.Food101(root, { split: 'test', targetTransform: new T.Lambda((y: number) => y) as never })];
  expect(await Promise.all(got.map((ds) => summary(ds as ImageList)))).toEqual(py);
});

test("torchvision's errors: bad split, missing folders; download=True downloads nothing", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: datasets.DTD(root, 'valid')), err(lambda: datasets.DTD(root + '/x')), err(lambda: datasets.Food101(root, 'val')), err(lambda: datasets.Food101(root + '/x'))]`);
  expect([
    messageOf(() => new datasets.DTD(root, 'valid' as never)),
    messageOf(() => new datasets.DTD(`${root}/x`)),
    messageOf(() => new datasets.Food101(root, 'val' as never)),
    messageOf(() => new datasets.Food101(`${root}/x`)),
  ]).toEqual(py);
  expect(messageOf(() => new datasets.Food101(`${root}/x`, { download: true }))).toMatch(/cannot download here.*food-101\.tar\.gz/);
});
