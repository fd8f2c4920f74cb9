// datasets.LFWPeople / LFWPairs against torchvision 0.14 on a small lfw-py tree in the real layout:
// the image set's archive (here a stand-in file) beside its extracted folder, people*.txt /
// pairs*.txt / lfw-names.txt as the real ones (10fold and DevTrain / DevTest forms), PNG-encoded
// images under the real .jpg names. torchvision md5-checks the archive and annotation files, so both
// sides use subclasses listing these files' md5s (its class attributes), as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-lfw-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5s = runPython<Record<string, string>>(`
import os, numpy as np
from PIL import Image
from torchvision.datasets.utils import calculate_md5
rng = np.random.RandomState(0)
d = os.path.join(${JSON.stringify(root)}, 'lfw-py'); os.makedirs(d)
people = {'Aaron_Peirsol': 2, 'Abel_Pacheco': 1, 'Zoe_Ball': 3, 'Bill_Gates': 2}
for folder in ['lfw_funneled', 'lfw']:
    for name, n in people.items():
        os.makedirs(os.path.join(d, folder, name))
        for k in range(1, n + 1): Image.fromarray(rng.randint(0, 256, (4, 3, 3)).astype(np.uint8)).save(os.path.join(d, folder, name, '%s_%04d.jpg' % (name, k)), format='PNG')
def write(name, text): open(os.path.join(d, name), 'w').write(text)
write('lfw-funneled.tgz', 'archive'); write('lfw.tgz', 'archive 2')
write('lfw-names.txt', ''.join('%s\\t%d\\n' % kv for kv in sorted(people.items())))
write('people.txt', '2\\n2\\nAaron_Peirsol\\t2\\nZoe_Ball\\t3\\n1\\nBill_Gates\\t2\\n')
write('peopleDevTrain.txt', '2\\nAbel_Pacheco\\t1\\nZoe_Ball\\t2\\n')
write('peopleDevTest.txt', '1\\nBill_Gates\\t1\\n')
write('pairs.txt', '2\\t1\\nZoe_Ball\\t1\\t3\\nAaron_Peirsol\\t1\\tBill_Gates\\t2\\nAaron_Peirsol\\t2\\t1\\nZoe_Ball\\t2\\tAbel_Pacheco\\t1\\n')
write('pairsDevTrain.txt', '1\\nBill_Gates\\t2\\t1\\nAbel_Pacheco\\t1\\tZoe_Ball\\t3\\n')
write('pairsDevTest.txt', '1\\nZoe_Ball\\t1\\t2\\nBill_Gates\\t1\\tAaron_Peirsol\\t1\\n')
result = {n: calculate_md5(os.path.join(d, n)) for n in os.listdir(d) if n.endswith('.txt') or n.endswith('.tgz')}`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
md5 = ${JSON.stringify(md5s)}
class Fix:
    file_dict = {'original': ('lfw', 'lfw.tgz', md5['lfw.tgz']), 'funneled': ('lfw_funneled', 'lfw-funneled.tgz', md5['lfw-funneled.tgz']),
                 'deepfunneled': ('lfw-deepfunneled', 'lfw-deepfunneled.tgz', '0' * 32)}
    checksums = {k: v for k, v in md5.items() if k.endswith('.txt')}
class TinyPeople(Fix, datasets.LFWPeople): pass
class TinyPairs(Fix, datasets.LFWPairs): pass
root = ${JSON.stringify(root)}
def chw(x): return x.tolist() if torch.is_tensor(x) else np.array(x).transpose(2, 0, 1).tolist()
`;
const fileDict = {
  original: ['lfw', 'lfw.tgz', md5s['lfw.tgz']] as const,
  funneled: ['lfw_funneled', 'lfw-funneled.tgz', md5s['lfw-funneled.tgz']] as const,
  deepfunneled: ['lfw-deepfunneled', 'lfw-deepfunneled.tgz', '0'.repeat(32)] as const,
};
const checksums = Object.fromEntries(Object.entries(md5s).filter(([k]) => k.endsWith('.txt')));
class TinyPeople extends datasets.LFWPeople {
  static readonly fileDict = fileDict;
  static readonly checksums = checksums;
}
class TinyPairs extends datasets.LFWPairs {
  static readonly fileDict = fileDict;
  static readonly checksums = checksums;
}

const CASES: [string, string][] = [['10fold', 'funneled'], ['train', 'funneled'], ['test', 'original'], ['TRAIN', 'Original']];

test('LFWPeople equals torchvision for every split: files, targets, class_to_idx, items, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
def summary(ds): return [len(ds), [os.path.relpath(p, root) for p in ds.data], ds.targets, ds.class_to_idx, [[chw(ds[i][0]), ds[i][1]] for i in range(len(ds))], repr(ds)]
import os
result = [summary(TinyPeople(root, s, i)) for s, i in ${JSON.stringify(CASES)}] + [summary(TinyPeople(root, transform=T.ToTensor()))]`);
  const got = [...CASES.map(([s, i]) => new TinyPeople(root, s as never, i as never)), new TinyPeople(root, { transform: new T.ToTensor() })];
  expect(await Promise.all(got.map(async (ds) => {
    const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
    return [ds.len(), ds.data.map((p) => path.relative(root, p)), ds.targets, ds.classToIdx, items.map(([x, y]) => [(x as Tensor).tolist(), y]), String(ds)];
  }))).toEqual(py);
});

test('LFWPairs equals torchvision for every split: pair names, files, targets, items, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
import os
def summary(ds): return [len(ds), [list(p) for p in ds.pair_names], [[os.path.relpath(p, root) for p in f] for f in ds.data], ds.targets, [[chw(ds[i][0]), chw(ds[i][1]), ds[i][2]] for i in range(len(ds))], repr(ds)]
result = [summary(TinyPairs(root, s, i)) for s, i in ${JSON.stringify(CASES)}] + [summary(TinyPairs(root, 'test', transform=T.ToTensor(), target_transform=T.Lambda(lambda y: 1 - y)))]`);
  const got = [...CASES.map(([s, i]) => new TinyPairs(root, s as never, i as never)), new TinyPairs(root, 'test', { transform: new T.ToTensor(), targetTransform: new T.Lambda((y: number) => 1 - y) as never })];
  expect(await Promise.all(got.map(async (ds) => {
    const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
    return [ds.len(), ds.pairNames, ds.data.map((f) => f.map((p) => path.relative(root, p))), ds.targets, items.map(([a, b, y]) => [(a as Tensor).tolist(), (b as Tensor).tolist(), y]), String(ds)];
  }))).toEqual(py);
});

test("torchvision's errors: bad split / image set, files missing or failing their md5", () => {
  const py = runPython<string[]>(`${PY}
result = [err(lambda: TinyPeople(root, 'val')), err(lambda: TinyPairs(root, image_set='aligned')), err(lambda: TinyPeople(root, image_set='deepfunneled')),
          err(lambda: datasets.LFWPeople(root)), err(lambda: datasets.LFWPairs(root + '/x', 'test'))]`);
  expect([
    messageOf(() => new TinyPeople(root, 'val' as never)),
    messageOf(() => new TinyPairs(root, { imageSet: 'aligned' as never })),
    messageOf(() => new TinyPeople(root, { imageSet: 'deepfunneled' })),
    messageOf(() => new datasets.LFWPeople(root)),
    messageOf(() => new datasets.LFWPairs(`${root}/x`, 'test')),
  ]).toEqual(py);
  expect(messageOf(() => new datasets.LFWPairs(root, { download: true }))).toMatch(/cannot download here.*lfw-funneled\.tgz/);
});
