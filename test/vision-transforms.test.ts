// torch-node/vision transforms against torchvision 0.14's on the same tensors (uint8 and float
// images), random transforms after the same torch.manual_seed, the weights presets, and reprs.
import * as torch from '../lib';
import { transforms as T, models } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
const CASES: [string, string, (img: Img, f: Img) => Img][] = [
  ['convertImageDtype', 'T.ConvertImageDtype(torch.float32)(img)', (img) => new T.ConvertImageDtype(torch.float32)(img)],
  ['convert float->uint8', 'T.ConvertImageDtype(torch.uint8)(f)', (_, f) => new T.ConvertImageDtype(torch.uint8)(f)],
  ['normalize', 'T.Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4])(f)', (_, f) => new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4])(f)],
  // antialias defaults to True here, as in torchvision 0.17+ (0.14's tensor default is None = False)
  ['resize uint8 short side', 'T.Resize(20, antialias=True)(img)', (img) => new T.Resize(20)(img)],
  ['resize uint8 antialias=False', 'T.Resize(20, antialias=False)(img)', (img) => new T.Resize(20, { antialias: false })(img)],
  ['resize uint8 antialias=None', 'T.Resize(20, antialias=None)(img)', (img) => new T.Resize(20, { antialias: null })(img)],
  ['resize float [h, w]', 'T.Resize([30, 25], antialias=True)(f)', (_, f) => new T.Resize([30, 25])(f)],
  ['functional resize default', 'TF.resize(img, [20, 30], antialias=True)', (img) => T.functional.resize(img, [20, 30])],
  ['functional resize antialias=False', 'TF.resize(f, [20, 30], antialias=False)', (_, f) => T.functional.resize(f, [20, 30], 'bilinear', undefined, false)],
  ['resize nearest', 'T.Resize(16, interpolation=T.InterpolationMode.NEAREST)(img)', (img) => new T.Resize(16, { interpolation: 'nearest' })(img)],
  // torchvision 0.17+ ignores antialias=True for nearest (0.14 raised), as here
  ['resize nearest antialias ignored', 'T.Resize(16, interpolation=T.InterpolationMode.NEAREST)(img)', (img) => new T.Resize(16, { interpolation: 'nearest', antialias: true })(img)],
  ['resize bicubic antialias', 'T.Resize(24, interpolation=T.InterpolationMode.BICUBIC, antialias=True)(f)', (_, f) => new T.Resize(24, { interpolation: 'bicubic', antialias: true })(f)],
  ['resize max_size', 'T.Resize(30, max_size=33, antialias=True)(img)', (img) => new T.Resize(30, { maxSize: 33 })(img)],
  ['centerCrop', 'T.CenterCrop(20)(img)', (img) => new T.CenterCrop(20)(img)],
  ['centerCrop larger (pads)', 'T.CenterCrop([50, 40])(img)', (img) => new T.CenterCrop([50, 40])(img)],
  ['pad ltrb', 'T.Pad([1, 2, 3, 4], fill=7)(img)', (img) => new T.Pad([1, 2, 3, 4], 7)(img)],
  ['pad reflect', "T.Pad(3, padding_mode='reflect')(f)", (_, f) => new T.Pad(3, 0, 'reflect')(f)],
  ['pad edge uint8', "T.Pad([2, 5], padding_mode='edge')(img)", (img) => new T.Pad([2, 5], 0, 'edge')(img)],
  ['pad symmetric', "T.Pad([1, 2, 3, 4], padding_mode='symmetric')(img)", (img) => new T.Pad([1, 2, 3, 4], 0, 'symmetric')(img)],
  ['grayscale', 'T.Grayscale()(img)', (img) => new T.Grayscale()(img)],
  ['grayscale 3', 'T.Grayscale(3)(f)', (_, f) => new T.Grayscale(3)(f)],
  ['hflip/vflip', 'torch.stack([TF.hflip(img), TF.vflip(img)])', (img) => torch.stack([T.functional.hflip(img), T.functional.vflip(img)])],
  ['randomCrop', 'torch.manual_seed(5); result_ = T.RandomCrop(20, padding=2)(img)', (img) => (torch.manualSeed(5), new T.RandomCrop(20, { padding: 2 })(img))],
  ['randomResizedCrop', 'torch.manual_seed(6); result_ = T.RandomResizedCrop(24, antialias=True)(f)', (_, f) => (torch.manualSeed(6), new T.RandomResizedCrop(24)(f))],
  ['randomResizedCrop uint8', 'torch.manual_seed(16); result_ = torch.stack([T.RandomResizedCrop([12, 18], scale=(0.3, 0.9), antialias=True)(img) for _ in range(5)])', (img) => {
    torch.manualSeed(16);
    const t = new T.RandomResizedCrop([12, 18], { scale: [0.3, 0.9] });
    return torch.stack([0, 1, 2, 3, 4].map(() => t(img)));
  }],
  ['random flips', 'torch.manual_seed(7); result_ = torch.stack([T.RandomHorizontalFlip()(img) for _ in range(4)] + [T.RandomVerticalFlip(0.3)(img) for _ in range(4)])', (img) => {
    torch.manualSeed(7);
    return torch.stack([...[0, 1, 2, 3].map(() => new T.RandomHorizontalFlip()(img)), ...[0, 1, 2, 3].map(() => new T.RandomVerticalFlip(0.3)(img))]);
  }],
  ['colorJitter float', 'torch.manual_seed(8); result_ = torch.stack([T.ColorJitter(0.4, 0.4, 0.4, 0.1)(f) for _ in range(3)])', (_, f) => {
    torch.manualSeed(8);
    const t = new T.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
    return torch.stack([0, 1, 2].map(() => t(f)));
  }],
  ['colorJitter uint8', 'torch.manual_seed(18); result_ = T.ColorJitter(brightness=(0.5, 1.5), hue=0.2)(img)', (img) => (torch.manualSeed(18), new T.ColorJitter({ brightness: [0.5, 1.5], hue: 0.2 })(img))],
  ['randomRotation', 'torch.manual_seed(9); result_ = T.RandomRotation(30)(img)', (img) => (torch.manualSeed(9), new T.RandomRotation(30)(img))],
  ['randomRotation bilinear expand', 'torch.manual_seed(10); result_ = T.RandomRotation(20, interpolation=T.InterpolationMode.BILINEAR, expand=True, fill=0.5)(f)', (_, f) => (torch.manualSeed(10), new T.RandomRotation(20, { interpolation: 'bilinear', expand: true, fill: 0.5 })(f))],
  ['randomResizedCrop antialias=False', 'torch.manual_seed(26); result_ = T.RandomResizedCrop(24, antialias=False)(img)', (img) => (torch.manualSeed(26), new T.RandomResizedCrop(24, { antialias: false })(img))],
  ['compose', 'T.Compose([T.ConvertImageDtype(torch.float), T.Resize(32, antialias=True), T.CenterCrop(28), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])(img)', (img) =>
    new T.Compose([new T.ConvertImageDtype(torch.float32), new T.Resize(32), new T.CenterCrop(28), new T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])(img)],
  ['lambda', 'T.Lambda(lambda x: x * 2)(f)', (_, f) => new T.Lambda((x: Img) => x.mul(2))(f)],
  ['weights preset', 'M.ResNet50_Weights.IMAGENET1K_V2.transforms()(big)', (img) => models.ResNet50_Weights.IMAGENET1K_V2.transforms()(T.functional.resize(img, [240, 250]))],
];

const REPRS: [string, () => unknown][] = [
  ['T.Compose([T.ToTensor(), T.Normalize([0.5], [0.25])])', () => new T.Compose([new T.ToTensor(), new T.Normalize([0.5], [0.25])])],
  ['T.Resize(256, antialias=True)', () => new T.Resize(256)],
  ['T.Resize(256, antialias=None)', () => new T.Resize(256, { antialias: null })],
  ['T.Resize(256, antialias=False)', () => new T.Resize(256, { antialias: false })],
  ['T.CenterCrop(224)', () => new T.CenterCrop(224)],
  ['T.RandomResizedCrop(224, antialias=True)', () => new T.RandomResizedCrop(224)],
  ['T.RandomResizedCrop(224, antialias=False)', () => new T.RandomResizedCrop(224, { antialias: false })],
  ['T.RandomHorizontalFlip()', () => new T.RandomHorizontalFlip()],
  ['T.ColorJitter(0.4, 0.3)', () => new T.ColorJitter({ brightness: 0.4, contrast: 0.3 })],
  ['T.Grayscale(3)', () => new T.Grayscale(3)],
  ['M.ResNet18_Weights.DEFAULT.transforms()', () => models.ResNet18_Weights.DEFAULT.transforms()],
];

let py: { cases: { shape: number[]; values: number[] }[]; reprs: string[] };
let img: Img;
let f: Img;

beforeAll(() => {
  py = runPython(`
import torchvision.transforms as T, torchvision.transforms.functional as TF, torchvision.models as M
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 37, 45), dtype=torch.uint8)
f = img.float() / 255
big = TF.resize(img, [240, 250], antialias=True)
cases = []
for code in ${JSON.stringify(CASES.map(([, c]) => c))}:
    if 'result_' in code:
        exec(code); out = result_
    else:
        out = eval(code)
    cases.append({'shape': list(out.shape), 'values': out.double().flatten().tolist()})
result = {'cases': cases, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}]}
`);
  torch.manualSeed(0);
  img = torch.randint(0, 256, [3, 37, 45], { dtype: torch.uint8 });
  f = img.float().div(255);
});

test.each(CASES.map(([name, , fn], i) => [name, fn, i] as const))('%s equals torchvision', (_name, fn, i) => {
  const out = fn(img, f);
  expect(out.shape).toEqual(py.cases[i].shape);
  const want = torch.tensor(py.cases[i].values, { dtype: torch.float64 });
  const diff = out.to(torch.float64).flatten().sub(want).abs().max().item() as number;
  expect(diff).toBeLessThan(out.dtype.isFloatingPoint ? 1e-5 : 1e-9);
});

test('reprs equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
});

test('functional errors are TorchErrors with torchvision texts', () => {
  expect(() => T.functional.adjustHue(f, 0.7)).toThrow('hue_factor (0.7) is not in [-0.5, 0.5].');
  expect(() => new T.RandomCrop(60)(img)).toThrow('Required crop size (60, 60) is larger than input image size (37, 45)');
  expect(() => T.functional.normalize(img, [0.5], [0.5])).toThrow('Input tensor should be a float tensor. Got torch.uint8.');
});
