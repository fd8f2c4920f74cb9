// datasets.ImageNet against torchvision 0.14 on a small root in the layout torchvision leaves after
// parsing the archives: meta.bin (torch.save((wnid_to_classes, val_wnids)), written by torch here)
// and train/ and val/ with <wnid>/ folders of images (PNG-encoded under .JPEG names: PIL and
// torch-node decode by content, so the pixels compare exactly).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tensor } from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-imagenet-'));
const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-imagenet-bare-'));
afterAll(() => [root, bare].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

runPython(`
import os, numpy as np
from PIL import Image
rng = np.random.RandomState(0)
root = ${JSON.stringify(root)}
wnid_to_classes = {'n01440764': ('tench', 'Tinca tinca'), 'n01443537': ('goldfish', 'Carassius auratus'), 'n02012849': ('crane',), 'n03126707': ('crane',), 'n01484850': ('great white shark', 'white shark', 'man-eater')}
val_wnids = ['n01443537', 'n01440764', 'n02012849']
torch.save((wnid_to_classes, val_wnids), os.path.join(root, 'meta.bin'))
for split, n in [('train', 2), ('val', 1)]:
    for w in wnid_to_classes:
        d = os.path.join(root, split, w); os.makedirs(d)
        for k in range(n): Image.fromarray(rng.randint(0, 256, (3, 4, 3)).astype(np.uint8)).save(os.path.join(d, '%s_%d.JPEG' % (w, rng.randint(10**4))), format='PNG')
result = None`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
root = ${JSON.stringify(root)}
def chw(x): return x.tolist() if torch.is_tensor(x) else np.array(x).transpose(2, 0, 1).tolist()
def summary(ds): return [len(ds), [list(c) for c in ds.classes], ds.class_to_idx, ds.wnids, ds.wnid_to_idx, [[chw(ds[i][0]), ds[i][1]] for i in range(len(ds))], repr(ds)]
`;

test('ImageNet equals torchvision for both splits: classes (name tuples), class_to_idx, wnids, items, repr', async () => {
  const py = runPython<unknown[]>(`${PY}
result = [summary(datasets.ImageNet(root)), summary(datasets.ImageNet(root, 'val', transform=T.ToTensor(), target_transform=T.Lambda(lambda y: y)))]`);
  const got = [new datasets.ImageNet(root), new datasets.ImageNet(root, 'val', { transform: new T.ToTensor(), targetTransform: new T.Lambda((y: number) => y) as never })];
  expect(await Promise.all(got.map(async (ds) => {
    const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
    return [ds.len(), ds.classes, ds.classToIdx, ds.wnids, ds.wnidToIdx, items.map(([x, y]) => [(x as Tensor).tolist(), y]), String(ds)];
  }))).toEqual(py);
  expect(datasets.loadMetaFile(root)[1]).toEqual(['n01443537', 'n01440764', 'n02012849']);
});

test("torchvision's errors: bad split, no meta.bin and no devkit archive, no split folder and no archive", () => {
  fs.copyFileSync(path.join(root, 'meta.bin'), path.join(bare, 'meta.bin'));
  // the devkit parser imports scipy before it checks the archive: this Python has none, so a stand-in
  // module lets torchvision reach the check, as it would with scipy installed
  const py = runPython<string[]>(`${PY}
import sys, types
sys.modules['scipy'] = types.ModuleType('scipy'); sys.modules['scipy.io'] = sys.modules['scipy'].io = types.ModuleType('scipy.io')
result = [err(lambda: datasets.ImageNet(root, 'test')), err(lambda: datasets.ImageNet(root + '/x')), err(lambda: datasets.ImageNet(${JSON.stringify(bare)}, 'val'))]`);
  expect([messageOf(() => new datasets.ImageNet(root, 'test' as never)), messageOf(() => new datasets.ImageNet(`${root}/x`)), messageOf(() => new datasets.ImageNet(bare, 'val'))]).toEqual(py);
  // ImageFolder's keywords pass through, by keyword only as in Python
  expect(messageOf(() => new (datasets.ImageNet as any)(root, 'val', new T.ToTensor()))).toBe('ImageNet() takes from 1 to 2 positional arguments but 3 were given');
});
