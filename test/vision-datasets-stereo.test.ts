// The stereo matching datasets (CarlaStereo, Kitti2012Stereo, Kitti2015Stereo, Middlebury2014Stereo,
// CREStereo, FallingThingsStereo, SceneFlowStereo, SintelStereo, InStereo2k, ETH3DStereo) against
// torchvision 0.14's on small synthetic trees: images (PNG, JPEG), disparities (PFM written
// big- and little-endian, 16-bit and RGB PNGs, depth PNGs with camera settings) and masks; items
// compare exactly (values and dtypes), with Middlebury's ambient views drawn after random.seed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as S from '../lib/vision/datasets/stereo-matching';
import { pythonRandom } from '../lib/python-random';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

jest.setTimeout(120_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-stereo-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def mk(p):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p
def rgb(p, h=3, w=4, fmt=None):
    Image.fromarray(rng.randint(0, 256, (h, w, 3)).astype(np.uint8)).save(mk(p), **({'quality': 95} if p.endswith('.jpg') else {}))
def gray(p, h=3, w=4, lo=0, hi=256):
    Image.fromarray(rng.randint(lo, hi, (h, w)).astype(np.uint8), 'L').save(mk(p))
def png16(p, h=3, w=4, lo=1, hi=65535):
    Image.fromarray(rng.randint(lo, hi, (h, w)).astype(np.uint16)).save(mk(p))
def pfm(p, h=3, w=4, channels=1, little=True, extra=None):
    a = (rng.randn(h, w, channels) * 20).astype(np.float32)
    if extra is not None: a[0, 0, 0] = extra
    with open(mk(p), 'wb') as f:
        f.write(b'PF\\n' if channels == 3 else b'Pf\\n'); f.write(b'%d %d\\n' % (w, h)); f.write(b'-1.0\\n' if little else b'1.0\\n')
        f.write(np.flipud(a).astype('<f4' if little else '>f4').tobytes())
for s in ['s1', 's0']:
    d = os.path.join(root, 'carla-highres', 'trainingF', s)
    rgb(os.path.join(d, 'im0.png')); rgb(os.path.join(d, 'im1.png')); pfm(os.path.join(d, 'disp0GT.pfm')); pfm(os.path.join(d, 'disp1GT.pfm'), channels=3, little=False)
for split in ['training', 'testing']:
    for n in ['000001', '000000']:
        d = os.path.join(root, 'Kitti2012', split)
        rgb(os.path.join(d, 'colored_0', n + '_10.png')); rgb(os.path.join(d, 'colored_1', n + '_10.png'))
        if split == 'training': png16(os.path.join(d, 'disp_noc', n + '_10.png'))
        d = os.path.join(root, 'Kitti2015', split)
        rgb(os.path.join(d, 'image_2', n + '_10.png')); rgb(os.path.join(d, 'image_3', n + '_10.png'))
        if split == 'training':
            png16(os.path.join(d, 'disp_occ_0', n + '_10.png')); gray(os.path.join(d, 'disp_occ_1', n + '_10.png'))
for scene in ['Adirondack-perfect', 'Piano-imperfect', 'Pipes-perfect']:
    d = os.path.join(root, 'Middlebury2014', 'train', scene)
    rgb(os.path.join(d, 'im0.png')); rgb(os.path.join(d, 'im1.png')); rgb(os.path.join(d, 'im1E.png')); rgb(os.path.join(d, 'im1L.png'))
    pfm(os.path.join(d, 'disp0.pfm'), extra=np.inf); pfm(os.path.join(d, 'disp1.pfm'))
for scene in ['Plants', 'Hoops']:
    d = os.path.join(root, 'Middlebury2014', 'test', scene)
    rgb(os.path.join(d, 'im0.png')); rgb(os.path.join(d, 'im1.png'))
for s in ['shapenet', 'reflective', 'tree', 'hole']:
    d = os.path.join(root, 'CREStereo', s)
    rgb(os.path.join(d, 'a_left.jpg')); rgb(os.path.join(d, 'a_right.jpg')); png16(os.path.join(d, 'a_left.disp.png')); png16(os.path.join(d, 'a_right.disp.png'))
for d in [os.path.join(root, 'FallingThings', 'single', 'obj', 'kitchen_0'), os.path.join(root, 'FallingThings', 'mixed', 'kitchen_1')]:
    rgb(os.path.join(d, '000.left.jpg')); rgb(os.path.join(d, '000.right.jpg')); png16(os.path.join(d, '000.left.depth.png')); png16(os.path.join(d, '000.right.depth.png'))
    json.dump({'camera_settings': [{'intrinsic_settings': {'fx': 768.1605834960938}}]}, open(os.path.join(d, '_camera_settings.json'), 'w'))
for p in ['frames_cleanpass', 'frames_finalpass']:
    for side in ['left', 'right']:
        rgb(os.path.join(root, 'SceneFlow', 'Monkaa', p, 'a_scene', side, '0006.png'))
        rgb(os.path.join(root, 'SceneFlow', 'FlyingThings3D', p, 'TRAIN', 'A', '0000', side, '0006.png'))
for side in ['left', 'right']:
    pfm(os.path.join(root, 'SceneFlow', 'Monkaa', 'disparity', 'a_scene', side, '0006.pfm'))
    pfm(os.path.join(root, 'SceneFlow', 'FlyingThings3D', 'disparity', 'TRAIN', 'A', '0000', side, '0006.pfm'), channels=3)
for p in ['final', 'clean']:
    for side in ['left', 'right']:
        rgb(os.path.join(root, 'Sintel', 'training', p + '_' + side, 'alley_1', 'frame_0001.png'))
d = os.path.join(root, 'Sintel', 'training')
rgb(os.path.join(d, 'disparities', 'alley_1', 'frame_0001.png'))
gray(os.path.join(d, 'occlusions', 'alley_1', 'frame_0001.png'), hi=2); gray(os.path.join(d, 'outofframe', 'alley_1', 'frame_0001.png'), hi=2)
for scene in ['000002', '000001']:
    d = os.path.join(root, 'InStereo2k', 'train', scene)
    rgb(os.path.join(d, 'left.png')); rgb(os.path.join(d, 'right.png')); png16(os.path.join(d, 'left_disp.png')); png16(os.path.join(d, 'right_disp.png'))
for scene in ['delivery_area_1l', 'electro_1s']:
    for split in ['two_view_training', 'two_view_test']:
        rgb(os.path.join(root, 'ETH3D', split, scene, 'im0.png')); rgb(os.path.join(root, 'ETH3D', split, scene, 'im1.png'))
    pfm(os.path.join(root, 'ETH3D', 'two_view_training_gt', scene, 'disp0GT.pfm'))
    gray(os.path.join(root, 'ETH3D', 'two_view_training_gt', scene, 'mask0nocc.png'), hi=2)
result = None`);

/** [Python constructor call, the same here] */
const CASES: [string, () => S.StereoMatchingDataset][] = [
  ['datasets.CarlaStereo(root)', () => new S.CarlaStereo(root)],
  ['datasets.Kitti2012Stereo(root)', () => new S.Kitti2012Stereo(root)],
  ["datasets.Kitti2012Stereo(root, 'test')", () => new S.Kitti2012Stereo(root, 'test')],
  ['datasets.Kitti2015Stereo(root)', () => new S.Kitti2015Stereo(root)],
  ["datasets.Kitti2015Stereo(root, split='test')", () => new S.Kitti2015Stereo(root, { split: 'test' })],
  ['datasets.Middlebury2014Stereo(root)', () => new S.Middlebury2014Stereo(root)],
  ["datasets.Middlebury2014Stereo(root, calibration='both', use_ambient_views=True)", () => new S.Middlebury2014Stereo(root, { calibration: 'both', useAmbientViews: true })],
  ["datasets.Middlebury2014Stereo(root, 'test', None)", () => new S.Middlebury2014Stereo(root, 'test', null)],
  ['datasets.CREStereo(root)', () => new S.CREStereo(root)],
  ['datasets.FallingThingsStereo(root)', () => new S.FallingThingsStereo(root)],
  ["datasets.FallingThingsStereo(root, 'both')", () => new S.FallingThingsStereo(root, 'both')],
  ["datasets.SceneFlowStereo(root, 'Monkaa', 'both')", () => new S.SceneFlowStereo(root, 'Monkaa', 'both')],
  ['datasets.SceneFlowStereo(root)', () => new S.SceneFlowStereo(root)],
  ['datasets.SintelStereo(root)', () => new S.SintelStereo(root)],
  ["datasets.SintelStereo(root, pass_name='both')", () => new S.SintelStereo(root, { passName: 'both' })],
  ['datasets.InStereo2k(root)', () => new S.InStereo2k(root)],
  ['datasets.ETH3DStereo(root)', () => new S.ETH3DStereo(root)],
  ["datasets.ETH3DStereo(root, 'test')", () => new S.ETH3DStereo(root, 'test')],
];

const ERRORS: [string, () => unknown][] = [
  ["datasets.Kitti2012Stereo(root, 'val')", () => new S.Kitti2012Stereo(root, 'val')],
  ["datasets.Middlebury2014Stereo(root, 'test')", () => new S.Middlebury2014Stereo(root, 'test')],
  ["datasets.Middlebury2014Stereo(root, 'train', None)", () => new S.Middlebury2014Stereo(root, 'train', null)],
  ["datasets.Middlebury2014Stereo(root, 'additional')", () => new S.Middlebury2014Stereo(root, 'additional')],
  ["datasets.Middlebury2014Stereo(root, calibration='best')", () => new S.Middlebury2014Stereo(root, { calibration: 'best' })],
  ["datasets.SceneFlowStereo(root, 'Driving')", () => new S.SceneFlowStereo(root, 'Driving')],
  ["datasets.InStereo2k(root, 'test')", () => new S.InStereo2k(root, 'test')],
  ["datasets.FallingThingsStereo(root, 'many')", () => new S.FallingThingsStereo(root, 'many')],
];

const PY_HEAD = `
import random, numpy as np
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
pil = T.PILToTensor()
def arr(a):
    return None if a is None else {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.flatten().tolist()}
def item(x):
    return [pil(x[0]).tolist(), pil(x[1]).tolist()] + [arr(a) for a in x[2:]]
`;
const arr = (t: torch.Tensor | null) => (t === null ? null : { dtype: t.dtype.name, shape: t.shape, values: t.flatten().tolist() });
const item = (x: (torch.Tensor | null)[]) => [x[0]!.tolist(), x[1]!.tolist(), ...x.slice(2).map(arr)];

let py: { cases: unknown[][]; transformed: unknown[]; errors: string[] };

beforeAll(() => {
  py = runPython(`${PY_HEAD}
cases = []
for code in ${JSON.stringify(CASES.map(([c]) => c))}:
    ds = eval(code)
    random.seed(3)
    cases.append([len(ds), [item(ds[i]) for i in list(range(len(ds))) + [-1]], repr(ds)])
ds = datasets.CarlaStereo(root, transforms=lambda imgs, dsp, masks: (imgs, (dsp[1], dsp[0]), (dsp[0] > 0, None)))
result = {'cases': cases, 'transformed': item(ds[0]), 'errors': [err(lambda: eval(c)) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}]}`);
});

test.each(CASES.map(([code, make], i) => [code, make, i] as const))('%s: items equal torchvision', async (_code, make, i) => {
  const ds = make();
  pythonRandom.seed(3);
  const items: unknown[] = [];
  for (const k of [...Array.from({ length: ds.len() }, (_, j) => j), -1]) items.push(item(await ds.getItem(k)));
  expect([ds.len(), items, String(ds)]).toEqual(py.cases[i]);
});

test('joint transforms and errors equal torchvision', async () => {
  const ds = new S.CarlaStereo(root, { transforms: (imgs, dsp) => [imgs, [dsp[1], dsp[0]], [dsp[0].gt(0), null]] });
  expect(item(await ds.getItem(0))).toEqual(py.transformed);
  expect(ERRORS.map(([, f]) => messageOf(f))).toEqual(py.errors);
});
