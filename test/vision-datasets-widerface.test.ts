// datasets.WIDERFace against torchvision 0.14's on a tiny widerface/ tree in its layout: the box
// lists with event folders, trailing spaces and a 0-box image (whose all-zero line torchvision
// keeps as a box), and the test file list.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { WIDERFace } from '../lib/vision/datasets/widerface';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-widerface-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
d = os.path.join(${JSON.stringify(root)}, 'widerface')
rng = np.random.RandomState(0)
for split, n in [('train', 3), ('val', 2), ('test', 2)]:
    lines = []
    for i in range(n):
        name = '%d--Event/%d_%s_%d.jpg' % (i, i, split, i)
        p = os.path.join(d, 'WIDER_' + split, 'images', name); os.makedirs(os.path.dirname(p), exist_ok=True)
        Image.fromarray(rng.randint(0, 256, (5 + i, 6, 3)).astype(np.uint8)).save(p, quality=95)
        if split == 'test': lines.append(name); continue
        boxes = 0 if i == 1 else i + 1
        lines += [name, str(boxes)] + [' '.join(str(v) for v in rng.randint(0, 30, 10)) + ' ' for _ in range(max(boxes, 1))]
        if boxes == 0: lines[-1] = '0 0 0 0 0 0 0 0 0 0 '
    os.makedirs(os.path.join(d, 'wider_face_split'), exist_ok=True)
    f = 'wider_face_test_filelist.txt' if split == 'test' else 'wider_face_%s_bbx_gt.txt' % split
    open(os.path.join(d, 'wider_face_split', f), 'w').write('\\n'.join(lines) + '\\n')
result = None`);

const PY_HEAD = `
import os
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
pil = T.PILToTensor()
def summary(ds):
    out = [len(ds)]
    for i in list(range(len(ds))) + [-1]:
        img, t = ds[i]
        out.append([pil(img).tolist(), None if t is None else {k: v.tolist() for k, v in t.items()}])
    return out
`;
async function summary(ds: WIDERFace) {
  const out: unknown[] = [ds.len()];
  for (const i of [...Array.from({ length: ds.len() }, (_, k) => k), -1]) {
    const [img, t] = await ds.getItem(i);
    out.push([img.tolist(), t === null ? null : Object.fromEntries(Object.entries(t as Record<string, torch.Tensor>).map(([k, v]) => [k, v.tolist()]))]);
  }
  return out;
}

test('train, val and test items equal torchvision (images, box dicts, null targets)', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.WIDERFace(root)), summary(datasets.WIDERFace(root, 'val')), summary(datasets.WIDERFace(root, split='test'))]`);
  expect([await summary(new WIDERFace(root)), await summary(new WIDERFace(root, 'val')), await summary(new WIDERFace(root, { split: 'test' }))]).toEqual(py);
  const [, t] = await new WIDERFace(root).getItem(2);
  expect([t.bbox.dtype, t.bbox.shape]).toEqual([torch.int64, [3, 4]]);
});

test('transforms, repr and errors equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
ds = datasets.WIDERFace(root, 'train', T.ToTensor(), T.Lambda(lambda t: t['bbox'].sum().item()))
result = [[ds[0][0].tolist(), ds[0][1]], datasets.WIDERFace(root, 'test', target_transform=lambda t: [t])[0][1], repr(ds), repr(datasets.WIDERFace(root, 'val')),
          err(lambda: datasets.WIDERFace(root, 'valid')), err(lambda: datasets.WIDERFace(os.path.join(root, 'none'))), err(lambda: datasets.WIDERFace(root)[3])]`);
  const ds = new WIDERFace(root, 'train', new T.ToTensor(), new T.Lambda((t: { bbox: torch.Tensor }) => t.bbox.sum().item()));
  const [x, y] = await ds.getItem(0);
  const ours = [
    [(x as torch.Tensor).tolist(), y],
    (await new WIDERFace(root, { split: 'test', targetTransform: (t: unknown) => [t] }).getItem(0))[1],
    String(ds), String(new WIDERFace(root, 'val')),
    messageOf(() => new WIDERFace(root, 'valid')), messageOf(() => new WIDERFace(path.join(root, 'none'))),
    await new WIDERFace(root).getItem(3).then(() => 'no error', (e: Error) => e.message),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new WIDERFace(path.join(root, 'none'), { download: true }))).toMatch(/cannot download here.*wider_face_split\.zip/);
});
