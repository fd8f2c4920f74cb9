// RandomAffine / F.affine, RandomPerspective / F.perspective and GaussianBlur / F.gaussianBlur against torchvision 0.14 on the same
// tensors after the same seed: uint8 and float RGB images, and a 2-D Fashion-MNIST image (against
// torchvision on its [1, H, W] tensor, and on its PIL 'L' image where that path is the same).
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { readIdxFile } from '../lib/data/idx';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
const F = T.functional;
/** [torchvision code on `x` (seeded with 5), the image it runs on, torch-node's] */
const CASES: [string, 'img' | 'f' | 'gray', (x: Img) => Img][] = [
  ['TF.affine(x, 30, [3, -2], 1.2, [10, 5])', 'img', (x) => F.affine(x, 30, [3, -2], 1.2, [10, 5])],
  ['TF.affine(x, -15, [0, 4], 0.8, 12, interpolation=T.InterpolationMode.BILINEAR, fill=[0.2, 0.5, 0.9])', 'f', (x) => F.affine(x, -15, [0, 4], 0.8, 12, 'bilinear', [0.2, 0.5, 0.9])],
  ['TF.affine(x, 45, [0, 0], 1.0, [0, 0], center=[5, 7])', 'img', (x) => F.affine(x, 45, [0, 0], 1, [0, 0], 'nearest', null, [5, 7])],
  ['T.RandomAffine(20, translate=(0.1, 0.2), scale=(0.8, 1.1), shear=10)(x)', 'img', (x) => new T.RandomAffine(20, { translate: [0.1, 0.2], scale: [0.8, 1.1], shear: 10 })(x)],
  ['T.RandomAffine((-5, 25), None, None, [-5, 5, -8, 8], T.InterpolationMode.BILINEAR, 7)(x)', 'img', (x) => new T.RandomAffine([-5, 25], null, null, [-5, 5, -8, 8], 'bilinear', 7)(x)],
  ['T.RandomAffine(10, translate=(0.1, 0.1))(x)', 'gray', (x) => new T.RandomAffine(10, { translate: [0.1, 0.1] })(x)],
  ['T.RandomAffine(0, scale=(0.9, 1.1), shear=(-10, 10, -10, 10), fill=30)(x)', 'gray', (x) => new T.RandomAffine(0, { scale: [0.9, 1.1], shear: [-10, 10, -10, 10], fill: 30 })(x)],
  ['TF.perspective(x, [[0, 0], [44, 0], [44, 36], [0, 36]], [[3, 2], [40, 5], [42, 30], [1, 35]])', 'img', (x) => F.perspective(x, [[0, 0], [44, 0], [44, 36], [0, 36]], [[3, 2], [40, 5], [42, 30], [1, 35]])],
  ['TF.perspective(x, [[0, 0], [44, 0], [44, 36], [0, 36]], [[6, 0], [44, 3], [38, 36], [2, 33]], T.InterpolationMode.NEAREST, [0.1, 0.2, 0.3])', 'f', (x) => F.perspective(x, [[0, 0], [44, 0], [44, 36], [0, 36]], [[6, 0], [44, 3], [38, 36], [2, 33]], 'nearest', [0.1, 0.2, 0.3])],
  ['torch.stack([T.RandomPerspective()(x) for _ in range(4)])', 'img', (x) => { const t = new T.RandomPerspective(); return torch.stack([0, 1, 2, 3].map(() => t(x))); }],
  ['T.RandomPerspective(0.3, 1.0, T.InterpolationMode.NEAREST, 50)(x)', 'gray', (x) => new T.RandomPerspective(0.3, 1.0, 'nearest', 50)(x)],
  ['T.RandomPerspective(distortion_scale=0.6, p=1)(x)', 'f', (x) => new T.RandomPerspective({ distortionScale: 0.6, p: 1 })(x)],
  ['TF.gaussian_blur(x, [5, 3], [1.5, 0.7])', 'img', (x) => F.gaussianBlur(x, [5, 3], [1.5, 0.7])],
  ['TF.gaussian_blur(x, 7)', 'f', (x) => F.gaussianBlur(x, 7)],
  ['T.GaussianBlur(3)(x)', 'img', (x) => new T.GaussianBlur(3)(x)],
  ['T.GaussianBlur((5, 9), sigma=(0.5, 3.0))(x)', 'f', (x) => new T.GaussianBlur([5, 9], { sigma: [0.5, 3.0] })(x)],
  ['T.GaussianBlur(5, 1.2)(x)', 'gray', (x) => new T.GaussianBlur(5, 1.2)(x)],
];
/** torchvision on the PIL 'L' image gives the same values (its gaussian_blur runs on the tensor) */
const PIL_SAME = ['T.GaussianBlur(5, 1.2)(x)'];

const REPRS: [string, () => unknown][] = [
  ['T.RandomAffine(20, translate=(0.1, 0.2), scale=(0.8, 1.1), shear=10)', () => new T.RandomAffine(20, { translate: [0.1, 0.2], scale: [0.8, 1.1], shear: 10 })],
  ['T.RandomAffine((-5, 25), None, None, [-5, 5, -8, 8], T.InterpolationMode.BILINEAR, 7)', () => new T.RandomAffine([-5, 25], null, null, [-5, 5, -8, 8], 'bilinear', 7)],
  ['T.RandomAffine(degrees=10, center=(3, 4))', () => new T.RandomAffine({ degrees: 10, center: [3, 4] })],
  ['T.GaussianBlur(3)', () => new T.GaussianBlur(3)],
  ['T.RandomPerspective(0.2, 0.7)', () => new T.RandomPerspective(0.2, 0.7)],
  ['T.GaussianBlur((5, 9), sigma=(0.5, 3.0))', () => new T.GaussianBlur([5, 9], { sigma: [0.5, 3.0] })],
];

let py: { cases: { shape: number[]; values: number[] }[]; pil: number[][]; reprs: string[]; errors: string[] };
let img: Img, f: Img, gray: Img;

const ERRORS: [string, () => unknown][] = [
  ['T.GaussianBlur(4)', () => new T.GaussianBlur(4)],
  ['T.GaussianBlur(3, sigma=(2.0, 1.0))', () => new T.GaussianBlur(3, [2.0, 1.0])],
  ['T.RandomAffine(-3)', () => new T.RandomAffine(-3)],
  ['T.RandomAffine(3, translate=(0.1, 1.5))', () => new T.RandomAffine(3, [0.1, 1.5])],
  ['T.RandomAffine(3, shear=[1, 2, 3])', () => new T.RandomAffine(3, { shear: [1, 2, 3] })],
  // a fill list of another length than the channels
  ['TF.rotate(img, 10, fill=[1, 2])', () => F.rotate(img, 10, 'nearest', false, null, [1, 2])],
  ['TF.affine(img, 0, [0, 0], 1, [0, 0], fill=[1, 2])', () => F.affine(img, 0, [0, 0], 1, [0, 0], 'nearest', [1, 2])],
  ['TF.perspective(img, [[0, 0], [9, 0], [9, 9], [0, 9]], [[1, 0], [9, 1], [8, 9], [0, 8]], fill=[1, 2])', () => F.perspective(img, [[0, 0], [9, 0], [9, 9], [0, 9]], [[1, 0], [9, 1], [8, 9], [0, 8]], 'bilinear', [1, 2])],
];

beforeAll(() => {
  py = runPython(`
import gzip, warnings, numpy as np
warnings.filterwarnings('ignore')
import torchvision.transforms as T, torchvision.transforms.functional as TF
from PIL import Image
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 37, 45), dtype=torch.uint8)
f = img.float() / 255
a = np.frombuffer(gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 28, 28)[11].copy()
images = {'img': img, 'f': f, 'gray': torch.from_numpy(a).unsqueeze(0)}
cases, pil = [], []
for code, name in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c, n]) => [c, n])))}):
    x = images[name]
    torch.manual_seed(5)
    out = eval(code)
    if name == 'gray':
        out = out[0]
    cases.append({'shape': list(out.shape), 'values': out.double().flatten().tolist()})
    if code in ${JSON.stringify(PIL_SAME)}:
        x = Image.fromarray(a, mode='L')
        torch.manual_seed(5)
        pil.append(TF.pil_to_tensor(eval(code))[0].double().flatten().tolist())
result = {'cases': cases, 'pil': pil, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}],
          'errors': [err(lambda: eval(c)) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}]}
`);
  torch.manualSeed(0);
  img = torch.randint(0, 256, [3, 37, 45], { dtype: torch.uint8 });
  f = img.float().div(255);
  gray = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').select(0, 11);
});

const maxDiff = (a: Img, values: number[]) => a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number;

test.each(CASES.map(([code, name, fn], i) => [code, name, fn, i] as const))('%s on %s equals torchvision', (code, name, fn, i) => {
  const x = name === 'img' ? img : name === 'f' ? f : gray;
  torch.manualSeed(5);
  const out = fn(x);
  expect(out.shape).toEqual(py.cases[i].shape);
  expect(maxDiff(out, py.cases[i].values)).toBeLessThan(out.dtype.isFloatingPoint ? 1e-5 : 1e-9);
  const pilAt = PIL_SAME.indexOf(code);
  if (pilAt >= 0) expect(maxDiff(out, py.pil[pilAt])).toBe(0);
});

test('reprs and errors equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
  ERRORS.forEach(([, make], i) => expect(make).toThrow(py.errors[i]));
});
