// datasets.CelebA against torchvision 0.14's on a tiny celeba/ folder in the real files' format
// (counts and header lines, double spaces, the attribute header's trailing space). The real md5s
// cannot match, so both sides use a subclass listing these files' md5s, as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { CelebA } from '../lib/vision/datasets/celeba';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-celeba-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const fileList = runPython<[string, string, string][]>(`
import os, numpy as np
from PIL import Image
from torchvision.datasets import CelebA
from torchvision.datasets.utils import calculate_md5
d = os.path.join(${JSON.stringify(root)}, 'celeba'); os.makedirs(os.path.join(d, 'img_align_celeba'))
rng = np.random.RandomState(0)
names = ['%06d.jpg' % i for i in range(1, 8)]
for n in names: Image.fromarray(rng.randint(0, 256, (6, 5, 3)).astype(np.uint8)).save(os.path.join(d, 'img_align_celeba', n), quality=95)
attrs = ['5_o_Clock_Shadow', 'Arched_Eyebrows', 'Bald', 'Smiling']
def w(f, text): open(os.path.join(d, f), 'w').write(text)
w('list_eval_partition.txt', ''.join('%s %d\\n' % (n, p) for n, p in zip(names, [0, 0, 1, 2, 0, 1, 2])))
w('identity_CelebA.txt', ''.join('%s %d\\n' % (n, rng.randint(1, 100)) for n in names))
w('list_bbox_celeba.txt', '%d\\nimage_id x_1 y_1 width height\\n' % len(names) + ''.join('%s    %d   %d  %d  %d\\n' % ((n,) + tuple(rng.randint(0, 300, 4))) for n in names))
w('list_landmarks_align_celeba.txt', '%d\\nlefteye_x lefteye_y righteye_x righteye_y nose_x nose_y leftmouth_x leftmouth_y rightmouth_x rightmouth_y\\n' % len(names)
  + ''.join(n + ''.join('  %d' % v for v in rng.randint(50, 150, 10)) + '\\n' for n in names))
w('list_attr_celeba.txt', '%d\\n%s \\n' % (len(names), ' '.join(attrs)) + ''.join(n + ''.join(' %2d' % v for v in rng.choice([-1, 1], 4)) + '\\n' for n in names))
result = [[fid, calculate_md5(os.path.join(d, f)) if not f.endswith('.zip') else md5, f] for fid, md5, f in CelebA.file_list]`);

const PY_HEAD = `
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
class TinyCelebA(datasets.CelebA):
    file_list = ${JSON.stringify(fileList)}
pil = T.PILToTensor()
def tl(t):
    return [tl(x) for x in t] if isinstance(t, tuple) else None if t is None else t.tolist()
def summary(ds):
    return [len(ds), ds.filename, ds.attr_names, [[pil(ds[i][0]).tolist(), tl(ds[i][1])] for i in list(range(len(ds))) + [-1]]]
`;
class TinyCelebA extends CelebA {
  static readonly fileList = fileList;
}
const tl = (t: unknown): unknown => (Array.isArray(t) ? t.map(tl) : t === null ? null : (t as torch.Tensor).tolist());
async function summary(ds: CelebA<torch.Tensor>) {
  const items = await Promise.all([...Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)), ds.getItem(-1)]);
  return [ds.len(), ds.filename, ds.attrNames, items.map(([x, y]) => [x.tolist(), tl(y)])];
}

test('splits and target types (attr, identity, bbox, landmarks, lists, none) equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(TinyCelebA(root)), summary(TinyCelebA(root, 'valid', ['identity', 'bbox', 'landmarks'])), summary(TinyCelebA(root, split='ALL', target_type='landmarks')),
          summary(TinyCelebA(root, 'test', [])), summary(TinyCelebA(root, 'train', 'identity'))]`);
  const ours = [
    await summary(new TinyCelebA(root)),
    await summary(new TinyCelebA(root, 'valid', ['identity', 'bbox', 'landmarks'])),
    await summary(new TinyCelebA(root, { split: 'ALL', targetType: 'landmarks' })),
    await summary(new TinyCelebA(root, 'test', [])),
    await summary(new TinyCelebA(root, 'train', 'identity')),
  ];
  expect(ours).toEqual(py);
  const [, identity] = await new TinyCelebA(root, { targetType: 'identity' }).getItem(0);
  expect([identity.dtype, identity.shape]).toEqual([torch.int64, []]);
});

test('transforms, repr and errors equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
import contextlib, io
ds = TinyCelebA(root, target_type=['attr', 'bbox'], transform=T.Compose([T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)]), target_transform=T.Lambda(lambda t: t[1]))
out = io.StringIO()
with contextlib.redirect_stdout(out):
    TinyCelebA(root, download=True)
result = [[ds[2][0].tolist(), ds[2][1].tolist()], repr(ds), repr(TinyCelebA(root, 'valid', 'bbox')), out.getvalue().strip(),
          err(lambda: TinyCelebA(root, 'validation')), err(lambda: TinyCelebA(root, target_type=[], target_transform=lambda t: t)),
          err(lambda: TinyCelebA(root, target_type='colour')[0]), err(lambda: datasets.CelebA(root)), err(lambda: TinyCelebA(root)[5])]`);
  const tf = new T.Compose([new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]);
  const ds = new TinyCelebA(root, { targetType: ['attr', 'bbox'], transform: tf, targetTransform: new T.Lambda((t: torch.Tensor[]) => t[1]) });
  const [x, y] = (await ds.getItem(2)) as unknown as [torch.Tensor, torch.Tensor];
  const logged: unknown[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((m) => void logged.push(m));
  try {
    new TinyCelebA(root, { download: true });
  } finally {
    spy.mockRestore();
  }
  const rejection = async (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message);
  const ours = [
    [x.tolist(), y.tolist()], String(ds), String(new TinyCelebA(root, 'valid', 'bbox')), logged.join('\n'),
    messageOf(() => new TinyCelebA(root, 'validation')), messageOf(() => new TinyCelebA(root, { targetType: [], targetTransform: (t: unknown) => t })),
    await rejection(new TinyCelebA(root, { targetType: 'colour' }).getItem(0)), messageOf(() => new CelebA(root)),
    await rejection(new TinyCelebA(root).getItem(5)),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new CelebA(root, { download: true }))).toMatch(/cannot download here.*list_attr_celeba\.txt/);
});
