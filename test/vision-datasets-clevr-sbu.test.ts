// datasets.CLEVRClassification and SBU against torchvision 0.14's on tiny trees in their layouts:
// CLEVR_v1.0 images and scene JSON (labels = object counts), and an extracted SBU tarball (its md5
// checked, as torchvision does: both sides use a subclass with this file's md5) with captions for
// the photos that are there.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { CLEVRClassification } from '../lib/vision/datasets/clevr';
import { SBU } from '../lib/vision/datasets/sbu';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-clevr-sbu-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const sbuMd5 = runPython<string>(`
import os, json as js, numpy as np
from PIL import Image
from torchvision.datasets.utils import calculate_md5
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
d = os.path.join(root, 'clevr', 'CLEVR_v1.0')
for split, n in [('train', 3), ('val', 2), ('test', 2)]:
    os.makedirs(os.path.join(d, 'images', split))
    names = ['CLEVR_%s_%06d.png' % (split, i) for i in range(n)][::-1]
    for name in names: Image.fromarray(rng.randint(0, 256, (4, 5, 4)).astype(np.uint8)).save(os.path.join(d, 'images', split, name))
    if split != 'test':
        os.makedirs(os.path.join(d, 'scenes'), exist_ok=True)
        scenes = [{'image_filename': name, 'objects': [{'shape': 'cube'}] * int(rng.randint(3, 10))} for name in names]
        open(os.path.join(d, 'scenes', 'CLEVR_%s_scenes.json' % split), 'w').write(js.dumps({'info': {}, 'scenes': scenes}))
s = os.path.join(root, 'sbu'); os.makedirs(os.path.join(s, 'dataset'))
open(os.path.join(s, 'SBUCaptionedPhotoDataset.tar.gz'), 'wb').write(b'not really a tarball')
urls = ['http://static.flickr.com/%d/%d_abc.jpg' % (i, 1000 + i) for i in range(5)]
for i in [0, 2, 3]: Image.fromarray(rng.randint(0, 256, (6, 4, 3)).astype(np.uint8)).save(os.path.join(s, 'dataset', os.path.basename(urls[i])), quality=90)
open(os.path.join(s, 'dataset', 'SBU_captioned_photo_dataset_urls.txt'), 'w').write('\\n'.join(urls) + '\\n')
open(os.path.join(s, 'dataset', 'SBU_captioned_photo_dataset_captions.txt'), 'w').write('\\n'.join('caption %d of a photo  ' % i for i in range(5)) + '\\n')
result = calculate_md5(os.path.join(s, 'SBUCaptionedPhotoDataset.tar.gz'))`);

const PY_HEAD = `
import os, contextlib, io
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
sbu = os.path.join(root, 'sbu')
class TinySBU(datasets.SBU):
    md5_checksum = ${JSON.stringify(sbuMd5)}
pil = T.PILToTensor()
def summary(ds):
    return [len(ds)] + [[pil(x).tolist(), y] for x, y in [ds[i] for i in list(range(len(ds))) + [-1]]]
`;
class TinySBU extends SBU {
  static readonly md5Checksum = sbuMd5;
}
async function summary(ds: CLEVRClassification | SBU) {
  const items = await Promise.all([...Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)), ds.getItem(-1)]);
  return [ds.len(), ...items.map(([x, y]) => [x.tolist(), y])];
}
/** what fn logs to the console, and what it returns */
async function logged<R>(fn: () => Promise<R>): Promise<[string, R]> {
  const lines: unknown[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((m) => void lines.push(m));
  try {
    const r = await fn();
    return [lines.join('\n'), r];
  } finally {
    spy.mockRestore();
  }
}

test('CLEVRClassification items (RGB images, object counts, null test labels) equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
ds = datasets.CLEVRClassification(root, 'val', T.ToTensor(), T.Lambda(lambda n: n * 10))
result = [summary(datasets.CLEVRClassification(root)), summary(datasets.CLEVRClassification(root, split='test')), [ds[0][0].tolist(), ds[0][1]],
          repr(ds), repr(datasets.CLEVRClassification(root, 'test')), err(lambda: datasets.CLEVRClassification(root, 'dev')),
          err(lambda: datasets.CLEVRClassification(sbu))]`);
  const ds = new CLEVRClassification(root, 'val', new T.ToTensor(), new T.Lambda((n: number | null) => n! * 10));
  const [x, y] = await ds.getItem(0);
  const ours = [
    await summary(new CLEVRClassification(root)), await summary(new CLEVRClassification(root, { split: 'test' })), [(x as torch.Tensor).tolist(), y],
    String(ds), String(new CLEVRClassification(root, 'test')), messageOf(() => new CLEVRClassification(root, 'dev')),
    messageOf(() => new CLEVRClassification(path.join(root, 'sbu'))),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new CLEVRClassification(path.join(root, 'sbu'), { download: true }))).toMatch(/cannot download here.*CLEVR_v1\.0\.zip/);
});

test('SBU items (photos that are there, captions) and download=True by default equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
out = io.StringIO()
with contextlib.redirect_stdout(out):
    s = summary(TinySBU(sbu))
    ds = TinySBU(sbu, T.ToTensor(), T.Lambda(lambda c: c.upper()), download=False)
result = [s, out.getvalue(), [ds[1][0].tolist(), ds[1][1]], repr(ds), ds.photos, err(lambda: TinySBU(sbu, download=False)[3]),
          err(lambda: datasets.SBU(sbu, download=False))]`);
  const [out, s] = await logged(() => summary(new TinySBU(path.join(root, 'sbu'))));
  const ds = new TinySBU(path.join(root, 'sbu'), new T.ToTensor(), new T.Lambda((c: string) => c.toUpperCase()), { download: false });
  const [x, y] = await ds.getItem(1);
  const ours = [
    s, `${out}\n`, [(x as torch.Tensor).tolist(), y], String(ds), ds.photos,
    await new TinySBU(path.join(root, 'sbu'), { download: false }).getItem(3).then(() => 'no error', (e: Error) => e.message),
    messageOf(() => new SBU(path.join(root, 'sbu'), { download: false })),
  ];
  expect(ours).toEqual(py);
  // the real tarball's md5 and download=True (the default): no network, a clear error instead
  expect(messageOf(() => new SBU(path.join(root, 'sbu')))).toMatch(/cannot download here.*SBUCaptionedPhotoDataset\.tar\.gz/);
});
