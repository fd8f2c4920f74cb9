// F.invert/posterize/solarize/autocontrast/equalize/adjustSharpness and the RandomInvert, ...,
// RandomEqualize transforms against torchvision 0.14 on the same tensors after the same seed:
// uint8 RGB images (full-range, low-contrast, skewed, with a flat channel), a batch, float images,
// and a 2-D Fashion-MNIST image (against torchvision on its [1, H, W] tensor, and on its PIL 'L'
// image where that path computes the same). uint8 results are exact; reprs, errors and float
// gradients too.
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { readIdxFile } from '../lib/data/idx';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
const F = T.functional;
type Name = 'img' | 'low' | 'skew' | 'flat' | 'batch' | 'f' | 'lowf' | 'gray';
/** [torchvision code on `x` (seeded with 5 before), the image, torch-node's] */
const CASES: [string, Name, (x: Img) => Img][] = [
  ['TF.invert(x)', 'img', (x) => F.invert(x)],
  ['TF.invert(x)', 'f', (x) => F.invert(x)],
  ['TF.invert(x)', 'gray', (x) => F.invert(x)],
  ['TF.posterize(x, 3)', 'img', (x) => F.posterize(x, 3)],
  ['TF.posterize(x, 0)', 'batch', (x) => F.posterize(x, 0)],
  ['TF.posterize(x, 8)', 'img', (x) => F.posterize(x, 8)],
  ['TF.posterize(x, 2.5)', 'img', (x) => F.posterize(x, 2.5)],
  ['TF.posterize(x, 5)', 'gray', (x) => F.posterize(x, 5)],
  ['TF.solarize(x, 128)', 'img', (x) => F.solarize(x, 128)],
  ['TF.solarize(x, 100.5)', 'batch', (x) => F.solarize(x, 100.5)],
  ['TF.solarize(x, 0.3)', 'f', (x) => F.solarize(x, 0.3)],
  ['TF.solarize(x, 77)', 'gray', (x) => F.solarize(x, 77)],
  ['TF.autocontrast(x)', 'low', (x) => F.autocontrast(x)],
  ['TF.autocontrast(x)', 'flat', (x) => F.autocontrast(x)],
  ['TF.autocontrast(x)', 'lowf', (x) => F.autocontrast(x)],
  ['TF.autocontrast(x)', 'batch', (x) => F.autocontrast(x)],
  ['TF.autocontrast(x)', 'gray', (x) => F.autocontrast(x)],
  ['TF.equalize(x)', 'skew', (x) => F.equalize(x)],
  ['TF.equalize(x)', 'low', (x) => F.equalize(x)],
  ['TF.equalize(x)', 'flat', (x) => F.equalize(x)],
  ['TF.equalize(x)', 'batch', (x) => F.equalize(x)],
  ['TF.equalize(x)', 'gray', (x) => F.equalize(x)],
  ['TF.adjust_sharpness(x, 2.0)', 'img', (x) => F.adjustSharpness(x, 2.0)],
  ['TF.adjust_sharpness(x, 0.0)', 'low', (x) => F.adjustSharpness(x, 0)],
  ['TF.adjust_sharpness(x, 1.7)', 'batch', (x) => F.adjustSharpness(x, 1.7)],
  ['TF.adjust_sharpness(x, 3.5)', 'f', (x) => F.adjustSharpness(x, 3.5)],
  ['TF.adjust_sharpness(x, 0.3)', 'lowf', (x) => F.adjustSharpness(x, 0.3)],
  ['TF.adjust_sharpness(x, 2.5)', 'gray', (x) => F.adjustSharpness(x, 2.5)],
  ['TF.adjust_sharpness(x[..., :2, :], 2.5)', 'img', (x) => F.adjustSharpness(x.narrow(-2, 0, 2), 2.5)],
  // the blends of functional.ts with whole factors: Python's float factor makes uint8 images float
  ['TF.adjust_brightness(x, 2)', 'img', (x) => F.adjustBrightness(x, 2)],
  ['TF.adjust_contrast(x, 2)', 'img', (x) => F.adjustContrast(x, 2)],
  ['TF.adjust_saturation(x, 2)', 'batch', (x) => F.adjustSaturation(x, 2)],
  ['TF.adjust_brightness(x, 3)', 'gray', (x) => F.adjustBrightness(x, 3)],
  // the transforms: 6 calls each, so both branches of the p draw are taken
  ['torch.stack([T.RandomInvert()(x) for _ in range(6)])', 'img', (x) => repeat(new T.RandomInvert(), x)],
  ['torch.stack([T.RandomInvert(p=0.3)(x) for _ in range(6)])', 'gray', (x) => repeat(new T.RandomInvert({ p: 0.3 }), x)],
  ['torch.stack([T.RandomPosterize(2)(x) for _ in range(6)])', 'img', (x) => repeat(new T.RandomPosterize(2), x)],
  ['torch.stack([T.RandomPosterize(bits=4, p=0.8)(x) for _ in range(6)])', 'batch', (x) => repeat(new T.RandomPosterize({ bits: 4, p: 0.8 }), x)],
  ['torch.stack([T.RandomSolarize(192.0)(x) for _ in range(6)])', 'img', (x) => repeat(new T.RandomSolarize(192.0), x)],
  ['torch.stack([T.RandomSolarize(0.5, 0.7)(x) for _ in range(6)])', 'f', (x) => repeat(new T.RandomSolarize(0.5, 0.7), x)],
  ['torch.stack([T.RandomAdjustSharpness(2)(x) for _ in range(6)])', 'img', (x) => repeat(new T.RandomAdjustSharpness(2), x)],
  ['torch.stack([T.RandomAdjustSharpness(sharpness_factor=0.2, p=0.6)(x) for _ in range(6)])', 'f', (x) => repeat(new T.RandomAdjustSharpness({ sharpnessFactor: 0.2, p: 0.6 }), x)],
  ['torch.stack([T.RandomAutocontrast()(x) for _ in range(6)])', 'low', (x) => repeat(new T.RandomAutocontrast(), x)],
  ['torch.stack([T.RandomAutocontrast(0.9)(x) for _ in range(6)])', 'lowf', (x) => repeat(new T.RandomAutocontrast(0.9), x)],
  ['torch.stack([T.RandomEqualize()(x) for _ in range(6)])', 'skew', (x) => repeat(new T.RandomEqualize(), x)],
  ['torch.stack([T.RandomEqualize(p=0.4)(x) for _ in range(6)])', 'gray', (x) => repeat(new T.RandomEqualize({ p: 0.4 }), x)],
];
const repeat = (t: (x: Img) => Img, x: Img) => torch.stack([0, 1, 2, 3, 4, 5].map(() => t(x)));

/** torchvision on the PIL 'L' image gives the same values (case index into CASES, on 'gray') */
const PIL_SAME = ['TF.invert(x)', 'TF.posterize(x, 5)', 'TF.solarize(x, 77)', 'TF.autocontrast(x)', 'TF.equalize(x)'];

const REPRS: [string, () => unknown][] = [
  ['T.RandomInvert()', () => new T.RandomInvert()],
  ['T.RandomInvert(0.25)', () => new T.RandomInvert(0.25)],
  ['T.RandomPosterize(4)', () => new T.RandomPosterize(4)],
  ['T.RandomPosterize(bits=3, p=1)', () => new T.RandomPosterize({ bits: 3, p: 1 })],
  ['T.RandomSolarize(128, 0.3)', () => new T.RandomSolarize(128, 0.3)],
  ['T.RandomSolarize(threshold=0.75)', () => new T.RandomSolarize({ threshold: 0.75 })],
  ['T.RandomAdjustSharpness(2)', () => new T.RandomAdjustSharpness(2)],
  ['T.RandomAdjustSharpness(0.5, p=0.1)', () => new T.RandomAdjustSharpness(0.5, { p: 0.1 })],
  ['T.RandomAutocontrast(p=0.7)', () => new T.RandomAutocontrast({ p: 0.7 })],
  ['T.RandomEqualize()', () => new T.RandomEqualize()],
];

const u8 = (shape: number[]) => torch.zeros(shape, { dtype: torch.uint8 });
/** [Python expression, the same call here]: the same exception class and message */
const ERRORS: [string, () => unknown][] = [
  ['TF.posterize(img, 9)', () => F.posterize(images.img, 9)],
  ['TF.posterize(img, -1)', () => F.posterize(images.img, -1)],
  ['TF.posterize(f, 4)', () => F.posterize(images.f, 4)],
  ['TF.posterize(torch.zeros(2, 4, 4, dtype=torch.uint8), 4)', () => F.posterize(u8([2, 4, 4]), 4)],
  ['TF.invert(torch.zeros(4, 5, 5))', () => F.invert(torch.zeros(4, 5, 5))],
  ['TF.invert(torch.zeros(5))', () => F.invert(torch.zeros(5))],
  ['TF.solarize(f, 1.5)', () => F.solarize(images.f, 1.5)],
  ['TF.solarize(img, 256)', () => F.solarize(images.img, 256)],
  ['TF.autocontrast(torch.zeros(2, 3, 3))', () => F.autocontrast(torch.zeros(2, 3, 3))],
  ['TF.equalize(f)', () => F.equalize(images.f)],
  ['TF.equalize(torch.zeros(1, 2, 3, 4, 4, dtype=torch.uint8))', () => F.equalize(u8([1, 2, 3, 4, 4]))],
  ['TF.equalize(torch.zeros(2, 4, 4, dtype=torch.uint8))', () => F.equalize(u8([2, 4, 4]))],
  ['TF.adjust_sharpness(img, -0.5)', () => F.adjustSharpness(images.img, -0.5)],
  ['TF.adjust_sharpness(torch.zeros(4, 5, 5), 2.0)', () => F.adjustSharpness(torch.zeros(4, 5, 5), 2.0)],
];

/** gradients of sum(op(x) * w) on float images, as PyTorch's autograd gives them (torchvision's
 * autocontrast has none: its backward fails on an in-place write) */
const GRADS: [string, (x: Img) => Img][] = [
  ['TF.invert(x)', (x) => F.invert(x)],
  ['TF.solarize(x, 0.4)', (x) => F.solarize(x, 0.4)],
  ['TF.adjust_sharpness(x, 1.8)', (x) => F.adjustSharpness(x, 1.8)],
];

let py: {
  cases: { shape: number[]; values: number[] }[];
  pil: number[][];
  reprs: string[];
  errors: [string, string][];
  grads: number[][];
};
const images = {} as Record<Name, Img>;

beforeAll(() => {
  py = runPython(`
import gzip, warnings, numpy as np
warnings.filterwarnings('ignore')
import torchvision.transforms as T, torchvision.transforms.functional as TF
from PIL import Image
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 20, 24), dtype=torch.uint8)
low = torch.randint(40, 170, (3, 20, 24), dtype=torch.uint8)
skew = (low.float() ** 2 / 170).to(torch.uint8)
flat = low.clone(); flat[1] = 77
batch = torch.randint(0, 256, (2, 3, 12, 10), dtype=torch.uint8)
f = torch.rand(3, 20, 24)
lowf = f * 0.5 + 0.2
a = np.frombuffer(gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 28, 28)[11].copy()
images = dict(img=img, low=low, skew=skew, flat=flat, batch=batch, f=f, lowf=lowf, gray=torch.from_numpy(a).unsqueeze(0))
cases, pil = [], []
for code, name in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c, n]) => [c, n])))}):
    x = images[name]
    torch.manual_seed(5)
    out = eval(code)
    if name == 'gray':
        out = out.squeeze(-3)
        if code in ${JSON.stringify(PIL_SAME)}:
            x = Image.fromarray(a, mode='L')
            pil.append(TF.pil_to_tensor(eval(code))[0].double().flatten().tolist())
    cases.append({'shape': list(out.shape), 'values': out.double().flatten().tolist()})
def error(code):
    try:
        eval(code)
        return ['', 'no error']
    except Exception as e:
        return [type(e).__name__, str(e)]
grads = []
w = torch.linspace(-1, 2, f.numel()).view(f.shape)
for code in ${JSON.stringify(GRADS.map(([c]) => c))}:
    x = lowf.clone().requires_grad_()
    (eval(code) * w).sum().backward()
    grads.append(x.grad.double().flatten().tolist())
result = {'cases': cases, 'pil': pil, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}],
          'errors': [error(c) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}], 'grads': grads}
`);
  torch.manualSeed(0);
  images.img = torch.randint(0, 256, [3, 20, 24], { dtype: torch.uint8 });
  images.low = torch.randint(40, 170, [3, 20, 24], { dtype: torch.uint8 });
  images.skew = images.low.float().pow(2).div(170).to(torch.uint8);
  images.flat = images.low.clone();
  images.flat.indexPut_([1], 77);
  images.batch = torch.randint(0, 256, [2, 3, 12, 10], { dtype: torch.uint8 });
  images.f = torch.rand(3, 20, 24);
  images.lowf = images.f.mul(0.5).add(0.2);
  images.gray = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').select(0, 11);
});

const maxDiff = (a: Img, values: number[]) => a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number;

let pilSeen = 0;
test.each(CASES.map(([code, name, fn], i) => [code, name, fn, i] as const))('%s on %s equals torchvision', (code, name, fn, i) => {
  const x = images[name];
  torch.manualSeed(5);
  const out = fn(x);
  expect(out.shape).toEqual(py.cases[i].shape);
  expect(out.dtype).toBe(x.dtype);
  // uint8: exactly; float: to float32 rounding
  expect(maxDiff(out, py.cases[i].values)).toBeLessThanOrEqual(out.dtype.isFloatingPoint ? 1e-6 : 0);
  if (name === 'gray' && PIL_SAME.includes(code)) expect(maxDiff(out, py.pil[pilSeen++])).toBe(0);
});

test('gradients on float images equal PyTorch autograd', () => {
  const w = torch.linspace(-1, 2, images.f.numel()).view(images.f.shape);
  GRADS.forEach(([, fn], i) => {
    const x = images.lowf.clone().requiresGrad_();
    fn(x).mul(w).sum().backward();
    expect(maxDiff(x.grad!, py.grads[i])).toBeLessThan(1e-5);
  });
});

test('reprs equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
});

test('errors: torchvision exception classes and messages', () => {
  ERRORS.forEach(([code, run], i) => {
    const [kind, text] = py.errors[i];
    let caught: Error | undefined;
    try {
      run();
    } catch (e) {
      caught = e as Error;
    }
    expect([code, caught?.name, caught?.message]).toEqual([code, kind, text]);
    expect(caught).toBeInstanceOf(torch.TorchError);
  });
});

test('keyword and positional forms bind as in Python', () => {
  const a = new T.RandomPosterize(3, 0.2);
  const b = new T.RandomPosterize({ bits: 3, p: 0.2 });
  expect([a.bits, a.p]).toEqual([b.bits, b.p]);
  expect(() => new T.RandomSolarize({ threshold: 3, prob: 1 } as never)).toThrow("RandomSolarize() got an unexpected keyword argument 'prob'");
});
