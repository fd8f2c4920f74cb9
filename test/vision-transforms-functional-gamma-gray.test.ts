// F.adjustGamma, F.resizedCrop, F.toGrayscale, F.getImageSize, F.getImageNumChannels (and
// RandomResizedCrop, which calls resizedCrop) against torchvision 0.14 on the same tensors: uint8
// results exactly, floats to float32 rounding, gamma's gradient too. toGrayscale takes PIL images
// in torchvision; here its oracle is PIL's convert('L') on images with the same pixels.
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(120_000);

type Img = torch.Tensor;
const F = T.functional;
type Name = 'img' | 'batch' | 'f' | 'gray';
/** [torchvision code on `x` (seeded with 5 before), the image, torch-node's] */
const CASES: [string, Name, (x: Img) => Img][] = [
  ['TF.adjust_gamma(x, 0.5)', 'img', (x) => F.adjustGamma(x, 0.5)],
  ['TF.adjust_gamma(x, 2.2, 0.9)', 'img', (x) => F.adjustGamma(x, 2.2, 0.9)],
  ['TF.adjust_gamma(x, 0)', 'batch', (x) => F.adjustGamma(x, 0)],
  ['TF.adjust_gamma(x, 1.3, 1.5)', 'f', (x) => F.adjustGamma(x, 1.3, 1.5)],
  ['TF.adjust_gamma(x, 0.7)', 'gray', (x) => F.adjustGamma(x, 0.7)],
  ['TF.resized_crop(x, 2, 3, 10, 12, [7, 9], antialias=True)', 'img', (x) => F.resizedCrop(x, 2, 3, 10, 12, [7, 9])],
  ['TF.resized_crop(x, 2, 3, 10, 12, [7, 9])', 'img', (x) => F.resizedCrop(x, 2, 3, 10, 12, [7, 9], { antialias: null })],
  ['TF.resized_crop(x, -2, 5, 16, 8, 20, T.InterpolationMode.NEAREST)', 'batch', (x) => F.resizedCrop(x, -2, 5, 16, 8, 20, 'nearest')],
  ['TF.resized_crop(x, 0, 0, 15, 15, [30, 25], T.InterpolationMode.BICUBIC, True)', 'f', (x) => F.resizedCrop(x, 0, 0, 15, 15, [30, 25], { interpolation: 'bicubic' })],
  ['TF.resized_crop(x, 4, 4, 12, 12, 6, antialias=True)', 'gray', (x) => F.resizedCrop(x, 4, 4, 12, 12, 6)],
  ['torch.stack([T.RandomResizedCrop(8, antialias=True)(x) for _ in range(4)])', 'img', (x) => torch.stack([0, 1, 2, 3].map(() => new T.RandomResizedCrop(8)(x)))],
  ['torch.stack([T.RandomResizedCrop([6, 5], (0.5, 0.9), (1.0, 2.0), T.InterpolationMode.NEAREST)(x) for _ in range(4)])', 'batch', (x) => torch.stack([0, 1, 2, 3].map(() => new T.RandomResizedCrop([6, 5], [0.5, 0.9], [1.0, 2.0], 'nearest')(x)))],
];

/** [Python expression, the same call here]: get_image_size / get_image_num_channels */
const INFO: [string, () => unknown][] = [
  ['TF.get_image_size(img)', () => F.getImageSize(images.img)],
  ['TF.get_image_size(batch)', () => F.getImageSize(images.batch)],
  ['TF.get_image_size(gray[0])', () => F.getImageSize(images.gray)],
  ['TF.get_image_num_channels(img)', () => F.getImageNumChannels(images.img)],
  ['TF.get_image_num_channels(batch)', () => F.getImageNumChannels(images.batch)],
  ['TF.get_image_num_channels(gray[0])', () => F.getImageNumChannels(images.gray)],
  ['TF.get_image_num_channels(torch.zeros(5, 4, 3, 2))', () => F.getImageNumChannels(torch.zeros(5, 4, 3, 2))],
];

/** [Python expression, the same call here]: the same exception class and message */
const ERRORS: [string, () => unknown][] = [
  ['TF.adjust_gamma(torch.zeros(4, 5, 5), 1.0)', () => F.adjustGamma(torch.zeros(4, 5, 5), 1.0)],
  ['TF.adjust_gamma(img, -0.5)', () => F.adjustGamma(images.img, -0.5)],
  ['TF.get_image_size(torch.zeros(5))', () => F.getImageSize(torch.zeros(5))],
  ['TF.get_image_num_channels(torch.zeros(5))', () => F.getImageNumChannels(torch.zeros(5))],
  ["TF.to_grayscale(Image.new('RGB', (3, 2)), 2)", () => F.toGrayscale(torch.zeros([3, 2, 3], { dtype: torch.uint8 }), 2)],
];

/** PIL images by mode, from the uint8 pixels `img` (RGB), [R, G, B, G] (RGBA), [R, G] (LA), R (L) */
const PIL_IMAGES: [string, (x: Img) => Img][] = [
  ['RGB', (x) => x],
  ['RGBA', (x) => torch.cat([x, x.narrow(0, 1, 1)])],
  ['LA', (x) => x.narrow(0, 0, 2)],
  ['L', (x) => x.select(0, 0)],
];

let py: {
  cases: { shape: number[]; values: number[] }[];
  info: unknown[];
  errors: [string, string][];
  gray: { shape: number[]; values: number[] }[];
  grad: number[];
};
const images = {} as Record<Name, Img>;

beforeAll(() => {
  py = runPython(`
import warnings, numpy as np
warnings.filterwarnings('ignore')
import torchvision.transforms as T, torchvision.transforms.functional as TF
from PIL import Image
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 20, 24), dtype=torch.uint8)
batch = torch.randint(0, 256, (2, 3, 12, 10), dtype=torch.uint8)
f = torch.rand(3, 20, 24)
gray = torch.randint(0, 256, (1, 18, 16), dtype=torch.uint8)
images = dict(img=img, batch=batch, f=f, gray=gray)
cases = []
for code, name in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c, n]) => [c, n])))}):
    x = images[name]
    torch.manual_seed(5)
    out = eval(code)
    if name == 'gray':
        out = out.squeeze(-3)
    cases.append({'shape': list(out.shape), 'values': out.double().flatten().tolist()})
def error(code):
    try:
        eval(code)
        return ['', 'no error']
    except Exception as e:
        return [type(e).__name__, str(e)]
hwc = img.permute(1, 2, 0).numpy()
pils = {'RGB': Image.fromarray(hwc, 'RGB'), 'RGBA': Image.fromarray(np.dstack([hwc, hwc[..., 1:2]]), 'RGBA'),
        'LA': Image.fromarray(np.ascontiguousarray(hwc[..., :2]), 'LA'), 'L': Image.fromarray(np.ascontiguousarray(hwc[..., 0]), 'L')}
gray_out = []
for mode in ${JSON.stringify(PIL_IMAGES.map(([m]) => m))}:
    for n in (1, 3):
        o = TF.to_grayscale(pils[mode], n)
        a = np.array(o)
        a = a if o.mode == 'L' else a.transpose(2, 0, 1)
        gray_out.append({'shape': list(a.shape), 'values': a.astype(float).flatten().tolist()})
x = (f * 0.8 + 0.1).requires_grad_()
w = torch.linspace(-1, 2, f.numel()).view(f.shape)
(TF.adjust_gamma(x, 1.7, 0.6) * w).sum().backward()
result = {'cases': cases, 'info': [eval(c) for c in ${JSON.stringify(INFO.map(([c]) => c))}],
          'errors': [error(c) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}], 'gray': gray_out,
          'grad': x.grad.double().flatten().tolist()}
`);
  torch.manualSeed(0);
  images.img = torch.randint(0, 256, [3, 20, 24], { dtype: torch.uint8 });
  images.batch = torch.randint(0, 256, [2, 3, 12, 10], { dtype: torch.uint8 });
  images.f = torch.rand(3, 20, 24);
  images.gray = torch.randint(0, 256, [1, 18, 16], { dtype: torch.uint8 }).select(0, 0);
});

const maxDiff = (a: Img, values: number[]) => (a.numel() === 0 ? 0 : (a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number));

test.each(CASES.map(([code, name, fn], i) => [code, name, fn, i] as const))('%s on %s equals torchvision', (code, name, fn, i) => {
  const x = images[name];
  torch.manualSeed(5);
  const out = fn(x);
  expect(out.shape).toEqual(py.cases[i].shape);
  expect(out.dtype).toBe(x.dtype);
  expect(maxDiff(out, py.cases[i].values)).toBeLessThanOrEqual(out.dtype.isFloatingPoint ? 1e-5 : 0);
});

test('getImageSize and getImageNumChannels equal torchvision', () => {
  expect(INFO.map(([, f]) => f())).toEqual(py.info);
});

test("toGrayscale equals PIL's convert('L') for L, LA, RGB and RGBA pixels, with 1 and 3 output channels", () => {
  let k = 0;
  for (const [, make] of PIL_IMAGES) {
    for (const n of [1, 3]) {
      const out = F.toGrayscale(make(images.img), n);
      expect(out.dtype).toBe(torch.uint8);
      expect(out.shape).toEqual(py.gray[k].shape);
      expect(maxDiff(out, py.gray[k].values)).toBe(0);
      k++;
    }
  }
});

test('adjustGamma gradient equals PyTorch autograd', () => {
  const x = images.f.mul(0.8).add(0.1).requiresGrad_();
  const w = torch.linspace(-1, 2, images.f.numel()).view(images.f.shape);
  F.adjustGamma(x, 1.7, 0.6).mul(w).sum().backward();
  expect(maxDiff(x.grad!, py.grad)).toBeLessThan(1e-5);
});

test.each(ERRORS.map(([code, fn], i) => [code, fn, i] as const))('%s raises as torchvision', (_code, fn, i) => {
  const [cls, message] = py.errors[i];
  let caught: Error | undefined;
  try {
    fn();
  } catch (e) {
    caught = e as Error;
  }
  expect(caught).toBeInstanceOf(torch.TorchError);
  expect(caught!.message).toBe(message);
  expect(caught!.name === 'TorchError' ? 'RuntimeError' : caught!.name).toBe(cls);
});

test('toGrayscale rejects tensors that are not PIL-style images', () => {
  expect(() => F.toGrayscale(torch.zeros(3, 4, 4))).toThrow(/Input should be PIL Image/);
  expect(() => F.toGrayscale(torch.zeros([5, 4, 4], { dtype: torch.uint8 }))).toThrow(/Input should be PIL Image/);
});
