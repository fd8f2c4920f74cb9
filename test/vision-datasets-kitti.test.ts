// datasets.Kitti (object detection) against torchvision 0.14's on a tiny Kitti/raw tree in its
// layout: PNG images listed in os.listdir's order and label_2 files of 15 space-separated fields.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { Kitti } from '../lib/vision/datasets/kitti';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-kitti-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
d = os.path.join(${JSON.stringify(root)}, 'Kitti', 'raw')
rng = np.random.RandomState(0)
types = ['Car', 'Pedestrian', 'DontCare', 'Cyclist']
for loc, ids in [('training', ['000003', '000001', '000010', '000002']), ('testing', ['000007', '000000'])]:
    os.makedirs(os.path.join(d, loc, 'image_2')); os.makedirs(os.path.join(d, loc, 'label_2'))
    for k, i in enumerate(ids):
        Image.fromarray(rng.randint(0, 256, (4 + k, 7, 3)).astype(np.uint8)).save(os.path.join(d, loc, 'image_2', i + '.png'))
        rows = ['%s %.2f %d %.2f %s %s %s %.2f' % (types[(k + j) % 4], rng.rand(), rng.randint(0, 4), rng.randn(), ' '.join('%.2f' % v for v in rng.rand(4) * 300),
                ' '.join('%.2f' % v for v in rng.rand(3) * 4), ' '.join('%.2f' % v for v in rng.randn(3) * 10), rng.randn()) for j in range(k + 1)]
        if loc == 'training': open(os.path.join(d, loc, 'label_2', i + '.txt'), 'w').write('\\n'.join(rows) + '\\n')
result = None`);

const PY_HEAD = `
import os
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
pil = T.PILToTensor()
def summary(ds):
    return [len(ds), [os.path.relpath(p, root) for p in ds.images + ds.targets]] + [[pil(ds[i][0]).tolist(), ds[i][1]] for i in list(range(len(ds))) + [-2]]
`;
async function summary(ds: Kitti) {
  const items = await Promise.all([...Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)), ds.getItem(-2)]);
  return [ds.len(), [...ds.images, ...ds.targets].map((p) => path.relative(root, p)), ...items.map(([x, y]) => [x.tolist(), y])];
}

test('training and testing items equal torchvision: image pixels and the label dicts', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.Kitti(root)), summary(datasets.Kitti(root, train=False))]`);
  expect([await summary(new Kitti(root)), await summary(new Kitti(root, false))]).toEqual(py);
});

test('transforms, repr and errors equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
joint = lambda img, t: (T.functional.vflip(pil(img)).tolist(), [o['bbox'] for o in t])
result = [list(datasets.Kitti(root, transforms=joint)[1]), [datasets.Kitti(root, False, T.ToTensor())[0][0].tolist()],
          repr(datasets.Kitti(root, transform=T.ToTensor())), repr(datasets.Kitti(root, train=False)),
          err(lambda: datasets.Kitti(os.path.join(root, 'none'))), err(lambda: datasets.Kitti(root, transform=pil, transforms=joint))]`);
  const joint = (img: torch.Tensor, t: { bbox: number[] }[]) => [T.functional.vflip(img).tolist(), t.map((o) => o.bbox)];
  const ours = [
    await new Kitti(root, { transforms: joint }).getItem(1),
    [((await new Kitti(root, false, new T.ToTensor()).getItem(0))[0] as torch.Tensor).tolist()],
    String(new Kitti(root, { transform: new T.ToTensor() })), String(new Kitti(root, { train: false })),
    messageOf(() => new Kitti(path.join(root, 'none'))), messageOf(() => new Kitti(root, { transform: new T.PILToTensor(), transforms: joint })),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new Kitti(path.join(root, 'none'), { download: true }))).toMatch(/cannot download here.*data_object_image_2\.zip/);
});
