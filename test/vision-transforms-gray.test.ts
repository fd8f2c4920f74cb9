// Transforms on the 2-D uint8 images FashionMNIST gives (where torchvision gives a PIL 'L' image):
// each is a single-channel image that keeps its 2-D shape (as PIL keeps mode 'L'), so ToTensor after
// it gives torchvision's [1, H, W]. Oracles, on a real Fashion-MNIST test image after the same seed:
// torchvision's PIL path (shapes; values within pilTol, 0 where its tensor path equals it) and its
// tensor path on the [1, H, W] tensor (values exactly), which is what these transforms compute
// (with antialias=True, the default here as in torchvision 0.17+).
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { readIdxFile } from '../lib/data/idx';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
interface Case {
  name: string;
  /** torchvision, on the PIL 'L' image */
  py: string;
  /** torchvision, on the [1, H, W] uint8 tensor: the same computation (omitted: the PIL path is exact) */
  pyT?: string;
  js: (img: Img) => Img;
  /** the largest difference allowed from the PIL path's values */
  pilTol: number;
}

const CASES: Case[] = [
  { name: 'Compose([Resize(32), ToTensor()])', py: 'T.Compose([T.Resize(32), T.ToTensor()])', pyT: 'T.Compose([T.Resize(32, antialias=True), T.ConvertImageDtype(torch.float)])', js: (x) => new T.Compose([new T.Resize(32), new T.ToTensor()])(x), pilTol: 1 / 255 + 1e-6 },
  { name: 'Resize(20) (antialias default)', py: 'T.Resize(20)', pyT: 'T.Resize(20, antialias=True)', js: (x) => new T.Resize(20)(x), pilTol: 1 },
  { name: 'Resize(20, antialias=True)', py: 'T.Resize(20, antialias=True)', pyT: 'T.Resize(20, antialias=True)', js: (x) => new T.Resize(20, { antialias: true })(x), pilTol: 1 },
  { name: 'Resize([14, 21]) nearest', py: 'T.Resize([14, 21], T.InterpolationMode.NEAREST)', pyT: 'T.Resize([14, 21], T.InterpolationMode.NEAREST)', js: (x) => new T.Resize([14, 21], 'nearest')(x), pilTol: 255 },
  { name: 'RandomRotation(10)', py: 'T.RandomRotation(10)', pyT: 'T.RandomRotation(10)', js: (x) => new T.RandomRotation(10)(x), pilTol: 0 },
  { name: 'RandomRotation(30, expand=True, fill=40)', py: 'T.RandomRotation(30, expand=True, fill=40)', pyT: 'T.RandomRotation(30, expand=True, fill=40)', js: (x) => new T.RandomRotation(30, { expand: true, fill: 40 })(x), pilTol: 255 },
  { name: 'RandomResizedCrop(24)', py: 'T.RandomResizedCrop(24)', pyT: 'T.RandomResizedCrop(24, antialias=True)', js: (x) => new T.RandomResizedCrop(24)(x), pilTol: 1 },
  { name: 'ColorJitter(0.5)', py: 'T.ColorJitter(0.5)', pyT: 'T.ColorJitter(0.5)', js: (x) => new T.ColorJitter(0.5)(x), pilTol: 0 },
  { name: 'ColorJitter(0.4, 0.4, 0.4, 0.1)', py: 'T.ColorJitter(0.4, 0.4, 0.4, 0.1)', pyT: 'T.ColorJitter(0.4, 0.4, 0.4, 0.1)', js: (x) => new T.ColorJitter(0.4, 0.4, 0.4, 0.1)(x), pilTol: 1 },
  { name: 'Grayscale()', py: 'T.Grayscale()', js: (x) => new T.Grayscale()(x), pilTol: 0 },
  { name: 'Grayscale(3)', py: 'T.Grayscale(3)', js: (x) => new T.Grayscale(3)(x), pilTol: 0 },
  { name: 'CenterCrop(20)', py: 'T.CenterCrop(20)', js: (x) => new T.CenterCrop(20)(x), pilTol: 0 },
  { name: 'CenterCrop(32) (pads)', py: 'T.CenterCrop(32)', js: (x) => new T.CenterCrop(32)(x), pilTol: 0 },
  { name: 'RandomCrop(24, padding=4)', py: 'T.RandomCrop(24, padding=4)', js: (x) => new T.RandomCrop(24, { padding: 4 })(x), pilTol: 0 },
  { name: 'RandomCrop(32, pad_if_needed=True, padding_mode=edge)', py: "T.RandomCrop(32, pad_if_needed=True, padding_mode='edge')", js: (x) => new T.RandomCrop(32, { padIfNeeded: true, paddingMode: 'edge' })(x), pilTol: 0 },
  { name: 'Pad(2, fill=9)', py: 'T.Pad(2, 9)', js: (x) => new T.Pad(2, 9)(x), pilTol: 0 },
  { name: 'Pad reflect', py: "T.Pad(3, padding_mode='reflect')", js: (x) => new T.Pad(3, { paddingMode: 'reflect' })(x), pilTol: 0 },
  { name: 'Pad symmetric', py: "T.Pad([1, 2, 3, 4], 0, 'symmetric')", js: (x) => new T.Pad([1, 2, 3, 4], 0, 'symmetric')(x), pilTol: 0 },
  { name: 'RandomHorizontalFlip(0.7)', py: 'T.RandomHorizontalFlip(0.7)', js: (x) => new T.RandomHorizontalFlip(0.7)(x), pilTol: 0 },
  { name: 'RandomVerticalFlip()', py: 'T.RandomVerticalFlip()', js: (x) => new T.RandomVerticalFlip()(x), pilTol: 0 },
  { name: 'RandomGrayscale(0.9)', py: 'T.RandomGrayscale(0.9)', js: (x) => new T.RandomGrayscale(0.9)(x), pilTol: 0 },
  { name: 'RandomApply([RandomRotation(20), Pad(1)], p=0.8)', py: 'T.RandomApply([T.RandomRotation(20), T.Pad(1)], p=0.8)', js: (x) => new T.RandomApply([new T.RandomRotation(20), new T.Pad(1)], 0.8)(x) as Img, pilTol: 0 },
  { name: 'PILToTensor()', py: 'T.PILToTensor()', js: (x) => new T.PILToTensor()(x), pilTol: 0 },
  { name: 'ToTensor() then Normalize', py: 'T.Compose([T.ToTensor(), T.Normalize((0.2860,), (0.3530,))])', js: (x) => new T.Compose([new T.ToTensor(), new T.Normalize([0.286], [0.353])])(x), pilTol: 1e-6 },
  { name: 'Grayscale(3), ToTensor, Normalize (ImageNet)', py: 'T.Compose([T.Grayscale(3), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])', js: (x) => new T.Compose([new T.Grayscale(3), new T.ToTensor(), new T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])(x), pilTol: 1e-6 },
];
const INDEX = 7;
let py: { pil: { shape: number[]; values: number[] }[]; tensor: (number[] | null)[] };
let img: Img;

beforeAll(() => {
  py = runPython(`
import gzip, warnings, numpy as np
warnings.filterwarnings('ignore')
import torchvision.transforms as T, torchvision.transforms.functional as TF
from PIL import Image
raw = gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').read()
a = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28)[${INDEX}].copy()
pil = Image.fromarray(a, mode='L')
t = torch.from_numpy(a).unsqueeze(0)
def as_tensor(o):
    if isinstance(o, Image.Image):
        x = TF.pil_to_tensor(o)
        return x[0] if o.mode == 'L' else x
    return o
pils, tensors = [], []
for c in json.loads(${JSON.stringify(JSON.stringify(CASES.map((c) => [c.py, c.pyT ?? null])))}):
    torch.manual_seed(3)
    o = as_tensor(eval(c[0])(pil))
    pils.append({'shape': list(o.shape), 'values': o.double().flatten().tolist()})
    if c[1] is None:
        tensors.append(None)
    else:
        torch.manual_seed(3)
        tensors.append(eval(c[1])(t).double().flatten().tolist())
result = {'pil': pils, 'tensor': tensors}
`);
  img = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').select(0, INDEX);
});

const maxDiff = (a: Img, values: number[]) => a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number;

test.each(CASES.map((c, i) => [c.name, c, i] as const))('%s on a 2-D Fashion-MNIST image', (_name, c, i) => {
  expect(img.shape).toEqual([28, 28]);
  torch.manualSeed(3);
  const out = c.js(img);
  expect(out.shape).toEqual(py.pil[i].shape);
  expect(maxDiff(out, py.pil[i].values)).toBeLessThanOrEqual(c.pilTol);
  const exact = py.tensor[i] ?? py.pil[i].values;
  expect(maxDiff(out, exact)).toBeLessThan(out.dtype.isFloatingPoint ? 1e-5 : 1e-9);
});

test('the dataset-item pipeline of a port gives [1, 32, 32] batches', () => {
  const t = new T.Compose([new T.RandomRotation(10), new T.Resize(32), new T.ToTensor(), new T.Normalize([0.5], [0.5])]);
  expect(t(img).shape).toEqual([1, 32, 32]);
  expect(new T.Grayscale(3)(img).shape).toEqual([3, 28, 28]);
});
