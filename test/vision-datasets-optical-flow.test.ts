// The optical flow datasets (FlyingChairs, Sintel, KittiFlow, HD1K, FlyingThings3D) against
// torchvision 0.14's on tiny trees written by Python in each dataset's layout: PPM and PNG images
// (a gray one read as RGB), .flo, little- and big-endian .pfm and KITTI's 16-bit (u, v, valid) PNGs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { FlyingChairs, Sintel, KittiFlow, HD1K, FlyingThings3D } from '../lib/vision/datasets/optical-flow';
import type { FlowDataset, FlowItem } from '../lib/vision/datasets/optical-flow';
import { readFlo, readPfm } from '../lib/vision/datasets/readers/flow-files';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-flow-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, struct, zlib, numpy as np
from PIL import Image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def mk(*parts):
    p = os.path.join(root, *parts); os.makedirs(os.path.dirname(p), exist_ok=True); return p
def img(p, h=5, w=7, gray=False):
    a = rng.randint(0, 256, (h, w) if gray else (h, w, 3)).astype(np.uint8); Image.fromarray(a).save(mk(p))
def flo(p, h=5, w=7):
    f = (rng.randn(h, w, 2) * 10).astype('<f4')
    open(mk(p), 'wb').write(b'PIEH' + struct.pack('<ii', w, h) + f.tobytes())
def pfm(p, h=5, w=7, little=True):
    d = (rng.randn(h, w, 3) * 5).astype('<f4' if little else '>f4')
    open(mk(p), 'wb').write(b'PF\\n%d %d\\n%s\\n' % (w, h, b'-1.0' if little else b'1.0') + d.tobytes())
def png16(p, h=5, w=7):
    a = np.stack([rng.randint(0, 65536, (h, w)), rng.randint(0, 65536, (h, w)), rng.randint(0, 2, (h, w))], -1).astype(np.uint16)
    raw = b''.join(b'\\x00' + a[y].astype('>u2').tobytes() for y in range(h))
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    open(mk(p), 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
for i in range(1, 5):
    img('FlyingChairs/data/%05d_img1.ppm' % i); img('FlyingChairs/data/%05d_img2.ppm' % i); flo('FlyingChairs/data/%05d_flow.flo' % i)
open(mk('FlyingChairs/FlyingChairs_train_val.txt'), 'w').write('1\\n2\\n1\\n1\\n')
for scene in ['market_2', 'alley_1', 'bamboo_3']:
    for k in range(1, 4 if scene != 'bamboo_3' else 3):
        img('Sintel/training/clean/%s/frame_%04d.png' % (scene, k), gray=(k == 2)); img('Sintel/training/final/%s/frame_%04d.png' % (scene, k))
        if k > 1: flo('Sintel/training/flow/%s/frame_%04d.flo' % (scene, k - 1))
    img('Sintel/test/clean/%s/frame_0001.png' % scene); img('Sintel/test/clean/%s/frame_0002.png' % scene)
for i in range(2):
    for s in ['training', 'testing']:
        img('KittiFlow/%s/image_2/%06d_10.png' % (s, i)); img('KittiFlow/%s/image_2/%06d_11.png' % (s, i))
    png16('KittiFlow/training/flow_occ/%06d_10.png' % i)
for seq in [0, 3]:
    for k in range(3):
        img('hd1k/hd1k_input/image_2/%06d_%04d.png' % (seq, k)); png16('hd1k/hd1k_flow_gt/flow_occ/%06d_%04d.png' % (seq, k))
img('hd1k/hd1k_challenge/image_2/000000_10.png'); img('hd1k/hd1k_challenge/image_2/000000_11.png')
for split in ['TRAIN', 'TEST']:
    for seq in ['A/0001', 'A/0000', 'B/0002']:
        for cam, c in [('left', 'L'), ('right', 'R')]:
            for k in range(6, 9):
                for p in ['frames_cleanpass', 'frames_finalpass']: img('FlyingThings3D/%s/%s/%s/%s/%04d.png' % (p, split, seq, cam, k))
                for d, D in [('into_future', 'Future'), ('into_past', 'Past')]:
                    pfm('FlyingThings3D/optical_flow/%s/%s/%s/%s/OpticalFlowInto%s_%04d_%s.pfm' % (split, seq, d, cam, D, k, c), little=(k != 7))
result = None`);

const PY_HEAD = `
import os
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
pil = T.PILToTensor()
def item(x):
    img = lambda i: (i if isinstance(i, torch.Tensor) else pil(i)).tolist()
    return [img(x[0]), img(x[1])] + [None if v is None else v.tolist() for v in x[2:]]
def summary(ds):
    return [len(ds), [[os.path.relpath(p, root) for p in pair] for pair in ds._image_list], [os.path.relpath(p, root) for p in ds._flow_list],
            [item(ds[i]) for i in range(len(ds))]]
`;
const rel = (p: string) => path.relative(root, p);
const itemOf = (x: FlowItem) => x.map((v) => (v === null ? null : v.tolist()));
async function summary(ds: FlowDataset) {
  const { _imageList, _flowList } = ds as unknown as { _imageList: [string, string][]; _flowList: string[] };
  const items = await Promise.all(Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)));
  return [ds.len(), _imageList.map((pair) => pair.map(rel)), _flowList.map(rel), items.map(itemOf)];
}

test('FlyingChairs and Sintel: files, images and .flo flows equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.FlyingChairs(root)), summary(datasets.FlyingChairs(root, split='val')),
          summary(datasets.Sintel(root)), summary(datasets.Sintel(root, pass_name='both')), summary(datasets.Sintel(root, 'test', 'clean'))]`);
  const ours = [
    await summary(new FlyingChairs(root)),
    await summary(new FlyingChairs(root, { split: 'val' })),
    await summary(new Sintel(root)),
    await summary(new Sintel(root, { passName: 'both' })),
    await summary(new Sintel(root, 'test', 'clean')),
  ];
  expect(ours).toEqual(py);
  const [img1, , flow] = await new FlyingChairs(root).getItem(-1);
  expect([img1.dtype, img1.shape, flow!.dtype, flow!.shape]).toEqual([torch.uint8, [3, 5, 7], torch.float32, [2, 5, 7]]);
});

test('KittiFlow and HD1K: 16-bit PNG flows and valid masks equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.KittiFlow(root)), summary(datasets.KittiFlow(root, split='test')), summary(datasets.HD1K(root)), summary(datasets.HD1K(root, 'test'))]`);
  const ours = [await summary(new KittiFlow(root)), await summary(new KittiFlow(root, { split: 'test' })), await summary(new HD1K(root)), await summary(new HD1K(root, 'test'))];
  expect(ours).toEqual(py);
  const [, , flow, valid] = (await new KittiFlow(root).getItem(0)) as [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor];
  expect([flow.dtype, valid.dtype, valid.shape]).toEqual([torch.float32, torch.bool, [5, 7]]);
});

test('FlyingThings3D: passes, cameras, both directions and .pfm flows equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.FlyingThings3D(root)), summary(datasets.FlyingThings3D(root, 'test', 'both', 'both'))]`);
  expect([await summary(new FlyingThings3D(root)), await summary(new FlyingThings3D(root, 'test', 'both', 'both'))]).toEqual(py);
});

test('transforms take (img1, img2, flow, valid); a mask they make gives 4-tuples; v * dataset; reprs', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
def tf(img1, img2, flow, valid):
    flow = torch.from_numpy(flow)
    return pil(img2), pil(img1), flow * 2, (flow[0].abs() < 10).numpy()
def tf_none(img1, img2, flow, valid):
    return pil(img1), pil(img2), None if flow is None else torch.from_numpy(flow), None
ds = datasets.FlyingChairs(root, transforms=tf)
result = [item(ds[1]), item(datasets.Sintel(root, transforms=tf_none)[0]), len(3 * datasets.Sintel(root)),
          repr(datasets.Sintel(root, pass_name='final')), repr(datasets.HD1K(root)), len(datasets.KittiFlow(root, 'test')[0])]`);
  const tf = (img1: torch.Tensor, img2: torch.Tensor, flow: torch.Tensor) => [img2, img1, flow.mul(2), flow.select(0, 0).abs().lt(10)];
  const tfNone = (img1: torch.Tensor, img2: torch.Tensor, flow: torch.Tensor | null) => [img1, img2, flow, null];
  const ours = [
    itemOf(await new FlyingChairs(root, { transforms: tf }).getItem(1)),
    itemOf(await new Sintel(root, { transforms: tfNone }).getItem(0)),
    new Sintel(root).mul(3).len(),
    String(new Sintel(root, { passName: 'final' })),
    String(new HD1K(root)),
    (await new KittiFlow(root, 'test').getItem(0)).length,
  ];
  expect(ours).toEqual(py);
});

test("readFlo / readPfm and the constructors' errors equal torchvision's", () => {
  const bad = path.join(root, 'bad.bin');
  fs.writeFileSync(bad, 'XXXX\n1 2\n');
  const malformed = path.join(root, 'malformed.pfm');
  fs.writeFileSync(malformed, 'Pf\n3x2\n-1.0\n');
  // a one-channel (disparity-style) big-endian Pf file
  const gray = path.join(root, 'gray.pfm');
  const values = Buffer.alloc(4 * 6);
  for (let i = 0; i < 6; i++) values.writeFloatBE(i * 1.25 - 3, 4 * i);
  fs.writeFileSync(gray, Buffer.concat([Buffer.from('Pf\n3 2\n1.0\n'), values]));
  const flo = path.join(root, 'FlyingChairs/data/00002_flow.flo');
  const pfm = path.join(root, 'FlyingThings3D/optical_flow/TRAIN/A/0000/into_past/left/OpticalFlowIntoPast_0007_L.pfm');
  const py = runPython<unknown[]>(`${PY_HEAD}
from torchvision.datasets._optical_flow import _read_flo
from torchvision.datasets.utils import _read_pfm
empty = os.path.join(root, 'nothing')
result = [_read_flo(${JSON.stringify(flo)}).tolist(), _read_pfm(${JSON.stringify(pfm)}).tolist(), _read_pfm(${JSON.stringify(pfm)}, 3).tolist(),
          err(lambda: _read_flo(${JSON.stringify(bad)})), err(lambda: _read_pfm(${JSON.stringify(bad)})),
          _read_pfm(${JSON.stringify(gray)}).tolist(), err(lambda: _read_pfm(${JSON.stringify(malformed)})),
          err(lambda: datasets.Sintel(root, split='val')), err(lambda: datasets.Sintel(root, pass_name='albedo')),
          err(lambda: datasets.FlyingThings3D(root, camera='center')), err(lambda: datasets.FlyingChairs(root, 'test')),
          err(lambda: datasets.KittiFlow(empty)), err(lambda: datasets.HD1K(empty)), err(lambda: datasets.FlyingThings3D(empty)),
          err(lambda: datasets.FlyingChairs(empty)), err(lambda: datasets.Sintel(empty))]`);
  const empty = path.join(root, 'nothing');
  const ours = [
    readFlo(flo).tolist(), readPfm(pfm).tolist(), readPfm(pfm, 3).tolist(),
    messageOf(() => readFlo(bad)), messageOf(() => readPfm(bad)),
    readPfm(gray).tolist(), messageOf(() => readPfm(malformed)),
    messageOf(() => new Sintel(root, { split: 'val' })), messageOf(() => new Sintel(root, { passName: 'albedo' })),
    messageOf(() => new FlyingThings3D(root, { camera: 'center' })), messageOf(() => new FlyingChairs(root, 'test')),
    messageOf(() => new KittiFlow(empty)), messageOf(() => new HD1K(empty)), messageOf(() => new FlyingThings3D(empty)),
    messageOf(() => new FlyingChairs(empty)), messageOf(() => new Sintel(empty)),
  ];
  expect(ours).toEqual(py);
});
