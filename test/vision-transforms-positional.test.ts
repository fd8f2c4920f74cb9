// Transform constructors take torchvision's parameters in Python's order: positionally (a prefix),
// by keyword (a trailing options object), or both — checked by output (after the same seed) and repr
// against torchvision's own positional call, and by Python's TypeErrors.
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
/** [torchvision call, torch-node forms that must all equal it] */
const CASES: [string, (() => (x: Img) => Img)[]][] = [
  ['T.ColorJitter(0.5)', [() => new T.ColorJitter(0.5), () => new T.ColorJitter({ brightness: 0.5 })]],
  ['T.ColorJitter(0.4, 0.3, 0.2, 0.1)', [() => new T.ColorJitter(0.4, 0.3, 0.2, 0.1), () => new T.ColorJitter(0.4, 0.3, { saturation: 0.2, hue: 0.1 })]],
  // antialias=None (torchvision 0.14's default): True, the default here, raises for nearest in 0.14
  ['T.Resize(20, T.InterpolationMode.NEAREST, 30, None)', [() => new T.Resize(20, 'nearest', 30, null), () => new T.Resize({ size: 20, interpolation: 'nearest', maxSize: 30, antialias: null })]],
  ['T.Resize([20, 24], T.InterpolationMode.BILINEAR, None, True)', [() => new T.Resize([20, 24], 'bilinear', undefined, true), () => new T.Resize([20, 24], { antialias: true })]],
  ['T.CenterCrop(size=20)', [() => new T.CenterCrop(20), () => new T.CenterCrop({ size: 20 })]],
  ["T.RandomCrop(40, 2, True, 7, 'edge')", [() => new T.RandomCrop(40, 2, true, 7, 'edge'), () => new T.RandomCrop(40, { padding: 2, padIfNeeded: true, fill: 7, paddingMode: 'edge' })]],
  ['T.RandomResizedCrop(24, (0.5, 1.0), (0.8, 1.2), T.InterpolationMode.NEAREST, None)', [() => new T.RandomResizedCrop(24, [0.5, 1.0], [0.8, 1.2], 'nearest', null), () => new T.RandomResizedCrop(24, [0.5, 1.0], { ratio: [0.8, 1.2], interpolation: 'nearest', antialias: null })]],
  ['T.RandomHorizontalFlip(0.3)', [() => new T.RandomHorizontalFlip(0.3), () => new T.RandomHorizontalFlip({ p: 0.3 })]],
  ['T.RandomVerticalFlip(p=0.8)', [() => new T.RandomVerticalFlip(0.8), () => new T.RandomVerticalFlip({ p: 0.8 })]],
  ['T.RandomRotation(25, T.InterpolationMode.BILINEAR, True, [10, 12], 9)', [() => new T.RandomRotation(25, 'bilinear', true, [10, 12], 9), () => new T.RandomRotation({ degrees: 25, interpolation: 'bilinear', expand: true, center: [10, 12], fill: 9 })]],
  ["T.Pad(3, 5, 'constant')", [() => new T.Pad(3, 5, 'constant'), () => new T.Pad(3, { fill: 5 })]],
  ["T.Pad([1, 2], padding_mode='reflect')", [() => new T.Pad([1, 2], 0, 'reflect'), () => new T.Pad({ padding: [1, 2], paddingMode: 'reflect' })]],
  ['T.RandomGrayscale(0.6)', [() => new T.RandomGrayscale(0.6), () => new T.RandomGrayscale({ p: 0.6 })]],
  ['T.RandomApply([T.ColorJitter(0.4, 0.4), T.RandomHorizontalFlip()], p=0.7)', [
    () => new T.RandomApply([new T.ColorJitter(0.4, 0.4), new T.RandomHorizontalFlip()], 0.7),
    () => new T.RandomApply({ transforms: [new T.ColorJitter({ brightness: 0.4, contrast: 0.4 }), new T.RandomHorizontalFlip()], p: 0.7 }),
  ]],
  ['T.Grayscale(num_output_channels=3)', [() => new T.Grayscale(3), () => new T.Grayscale({ numOutputChannels: 3 })]],
  ['T.Compose(transforms=[T.ConvertImageDtype(dtype=torch.float), T.Normalize(mean=[0.5, 0.4, 0.3], std=[0.2, 0.3, 0.4])])', [
    () => new T.Compose([new T.ConvertImageDtype(torch.float32), new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4], false)]),
    () => new T.Compose({ transforms: [new T.ConvertImageDtype({ dtype: torch.float32 }), new T.Normalize({ mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.4] })] }),
  ]],
  // antialias left out: True, torchvision 0.17+'s default
  ['T.Resize(20, T.InterpolationMode.BILINEAR, 30, True)', [() => new T.Resize(20, 'bilinear', 30), () => new T.Resize(20, { maxSize: 30 })]],
  ['T.RandomResizedCrop(24, (0.5, 1.0), (0.8, 1.2), T.InterpolationMode.BILINEAR, True)', [() => new T.RandomResizedCrop(24, [0.5, 1.0], [0.8, 1.2]), () => new T.RandomResizedCrop(24, { scale: [0.5, 1.0], ratio: [0.8, 1.2] })]],
];
/** reprs torch-node prints as torchvision does */
const REPRS = [0, 1, 2, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17];

let py: { outs: { shape: number[]; values: number[] }[]; reprs: string[] };
let img: Img;

beforeAll(() => {
  py = runPython(`
import warnings
warnings.filterwarnings('ignore')
import torchvision.transforms as T
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 37, 45), dtype=torch.uint8)
outs, reprs = [], []
for code in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c]) => c)))}):
    t = eval(code)
    torch.manual_seed(4)
    o = t(img)
    outs.append({'shape': list(o.shape), 'values': o.double().flatten().tolist()})
    reprs.append(repr(t))
result = {'outs': outs, 'reprs': reprs}
`);
  torch.manualSeed(0);
  img = torch.randint(0, 256, [3, 37, 45], { dtype: torch.uint8 });
});

test.each(CASES.map(([code, forms], i) => [code, forms, i] as const))('%s: positional and keyword forms equal torchvision', (_code, forms, i) => {
  for (const make of forms) {
    const t = make();
    torch.manualSeed(4);
    const out = t(img) as Img;
    expect(out.shape).toEqual(py.outs[i].shape);
    const want = torch.tensor(py.outs[i].values, { dtype: torch.float64 });
    expect(out.to(torch.float64).flatten().sub(want).abs().max().item()).toBeLessThan(out.dtype.isFloatingPoint ? 1e-5 : 1e-9);
    if (REPRS.includes(i)) expect(String(t)).toBe(py.reprs[i]);
  }
});

test("Python's TypeErrors for bad calls", () => {
  expect(() => new T.ColorJitter(0.4, { brightness: 0.2 })).toThrow("ColorJitter() got multiple values for argument 'brightness'");
  expect(() => new (T.Resize as any)()).toThrow("Resize() missing 1 required positional argument: 'size'");
  expect(() => new (T.Grayscale as any)(3, 1)).toThrow(/^Grayscale\(\) takes from 0 to 1 positional argument/);
  expect(() => new T.Pad(2, { padding_mode: 'edge' } as never)).toThrow("Pad() got an unexpected keyword argument 'padding_mode' (did you mean 'paddingMode'?)");
  expect(() => new T.RandomHorizontalFlip({ prob: 0.2 } as never)).toThrow("RandomHorizontalFlip() got an unexpected keyword argument 'prob'");
});
