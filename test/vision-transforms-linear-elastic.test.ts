// LinearTransformation, ElasticTransform and F.elasticTransform against torchvision 0.14 on the
// same tensors after the same seeds (uint8 and float RGB images, a 2-D Fashion-MNIST-like image,
// a batch): values, gradients through them, reprs and error messages.
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

type Img = torch.Tensor;
const F = T.functional;
const SEEDS = [0, 3, 8];
/** [torchvision code on `x` (after torch.manual_seed(seed)), the image it runs on, torch-node's] */
const CASES: [string, 'img' | 'f' | 'gray', (x: Img) => Img][] = [
  ['T.ElasticTransform()(x)', 'f', (x) => new T.ElasticTransform()(x)],
  ['T.ElasticTransform()(x)', 'img', (x) => new T.ElasticTransform()(x)],
  ['T.ElasticTransform(alpha=[30.0, 80.0], sigma=[3.0, 6.0])(x)', 'f', (x) => new T.ElasticTransform({ alpha: [30.0, 80.0], sigma: [3.0, 6.0] })(x)],
  ['T.ElasticTransform(20.0, 0.0, T.InterpolationMode.NEAREST, 0.5)(x)', 'f', (x) => new T.ElasticTransform(20.0, 0.0, 'nearest', 0.5)(x)],
  ['T.ElasticTransform(alpha=120.0, sigma=4.0, fill=255.0)(x)', 'img', (x) => new T.ElasticTransform({ alpha: 120.0, sigma: 4.0, fill: 255.0 })(x)],
  ['T.ElasticTransform(alpha=60.0)(x.unsqueeze(0))[0]', 'gray', (x) => new T.ElasticTransform({ alpha: 60.0 })(x)],
  ['T.ElasticTransform(alpha=40.0, sigma=2.5)(torch.stack([x, x]))', 'f', (x) => new T.ElasticTransform({ alpha: 40.0, sigma: 2.5 })(torch.stack([x, x]))],
  ['TF.elastic_transform(x, torch.rand(1, 37, 45, 2) * 0.2 - 0.1)', 'f', (x) => F.elasticTransform(x, torch.rand(1, 37, 45, 2).mul(0.2).sub(0.1))],
  ['TF.elastic_transform(x, torch.rand(1, 37, 45, 2) * 0.2 - 0.1, T.InterpolationMode.NEAREST, [0.1, 0.2, 0.3])', 'f', (x) =>
    F.elasticTransform(x, torch.rand(1, 37, 45, 2).mul(0.2).sub(0.1), 'nearest', [0.1, 0.2, 0.3])],
  ['TF.elastic_transform(x, displacement=torch.rand(1, 37, 45, 2) * 0.3 - 0.15, fill=[9.0])', 'img', (x) =>
    F.elasticTransform({ img: x, displacement: torch.rand(1, 37, 45, 2).mul(0.3).sub(0.15), fill: [9.0] })],
  ['TF.elastic_transform(x, torch.rand(1, 37, 45, 2, dtype=torch.float64) * 0.2 - 0.1)', 'f', (x) =>
    F.elasticTransform(x, torch.rand(1, 37, 45, 2, { dtype: torch.float64 }).mul(0.2).sub(0.1))],
  ['T.LinearTransformation(torch.randn(60, 60), torch.randn(60))(torch.rand(3, 4, 5))', 'f', () => new T.LinearTransformation(torch.randn(60, 60), torch.randn(60))(torch.rand(3, 4, 5))],
  ['T.LinearTransformation(mean_vector=torch.randn(60), transformation_matrix=torch.randn(60, 60))(torch.rand(2, 3, 4, 5))', 'f', () =>
    new T.LinearTransformation({ meanVector: torch.randn(60), transformationMatrix: torch.randn(60, 60) })(torch.rand(2, 3, 4, 5))],
];

const REPRS: [string, () => unknown][] = [
  ['T.ElasticTransform()', () => new T.ElasticTransform()],
  ['T.ElasticTransform(alpha=[30.0, 80.0], sigma=[3.0, 6.0], fill=2)', () => new T.ElasticTransform({ alpha: [30.0, 80.0], sigma: [3.0, 6.0], fill: 2 })],
  ['T.LinearTransformation(torch.eye(2) * 0.5, torch.tensor([0.1, 0.2]))', () => new T.LinearTransformation(torch.eye(2).mul(0.5), torch.tensor([0.1, 0.2]))],
  ['T.LinearTransformation(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, -1]))', () => new T.LinearTransformation(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, -1]))],
];

const ERRORS: [string, () => unknown][] = [
  ['T.ElasticTransform(alpha=[1.0, 2.0, 3.0])', () => new T.ElasticTransform({ alpha: [1.0, 2.0, 3.0] })],
  ['T.ElasticTransform(sigma=[1.0])', () => new T.ElasticTransform({ sigma: [1.0] })],
  ['T.ElasticTransform(fill=[1, 2])', () => new T.ElasticTransform({ fill: [1, 2] as unknown as number })],
  ['TF.elastic_transform(images["f"], torch.zeros(1, 3, 3, 2))', () => F.elasticTransform(f, torch.zeros(1, 3, 3, 2))],
  ['TF.elastic_transform(images["f"], [1])', () => F.elasticTransform(f, [1] as unknown as Img)],
  ['T.LinearTransformation(torch.zeros(3, 4), torch.zeros(3))', () => new T.LinearTransformation(torch.zeros(3, 4), torch.zeros(3))],
  ['T.LinearTransformation(torch.zeros(4, 4), torch.zeros(5))', () => new T.LinearTransformation(torch.zeros(4, 4), torch.zeros(5))],
  ['T.LinearTransformation(torch.eye(12), torch.zeros(12))(torch.zeros(3, 2, 3))', () => new T.LinearTransformation(torch.eye(12), torch.zeros(12))(torch.zeros(3, 2, 3))],
];

let py: { cases: { shape: number[]; values: number[] }[][]; grads: number[][]; reprs: string[]; errors: string[] };
let img: Img, f: Img, gray: Img;

beforeAll(() => {
  py = runPython(`
import warnings
warnings.filterwarnings('ignore')
import torchvision.transforms as T, torchvision.transforms.functional as TF
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 37, 45), dtype=torch.uint8)
f = img.float() / 255
gray = torch.randint(0, 256, (28, 28), dtype=torch.uint8)
images = {'img': img, 'f': f, 'gray': gray}
cases = []
for code, name in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c, n]) => [c, n])))}):
    runs = []
    for seed in ${JSON.stringify(SEEDS)}:
        x = images[name].clone()
        torch.manual_seed(seed)
        out = eval(code)
        runs.append({'shape': list(out.shape), 'values': out.double().flatten().tolist()})
    cases.append(runs)
# gradients: through the warp (to the image and the displacement), and through the linear map
torch.manual_seed(4)
x = f.clone().requires_grad_()
d = (torch.rand(1, 37, 45, 2) * 0.2 - 0.1).requires_grad_()
w = torch.randn(3, 37, 45)
(TF.elastic_transform(x, d, fill=[0.5, 0.2, 0.1]) * w).sum().backward()
m = torch.randn(60, 60, requires_grad=True)
v = torch.randn(60, requires_grad=True)
y = torch.rand(2, 3, 4, 5, requires_grad=True)
(T.LinearTransformation(m, v)(y) * torch.randn(2, 3, 4, 5)).sum().backward()
grads = [g.flatten().tolist() for g in (x.grad, d.grad, m.grad, v.grad, y.grad)]
result = {'cases': cases, 'grads': grads, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}],
          'errors': [err(lambda: eval(c)) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}]}
`);
  torch.manualSeed(0);
  img = torch.randint(0, 256, [3, 37, 45], { dtype: torch.uint8 });
  f = img.float().div(255);
  gray = torch.randint(0, 256, [28, 28], { dtype: torch.uint8 });
});

const maxDiff = (a: Img, values: number[]) => a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number;

test.each(CASES.map(([code, name, fn], i) => [code, name, fn, i] as const))('%s on %s equals torchvision for each seed', (_code, name, fn, i) => {
  const images = { img, f, gray };
  SEEDS.forEach((seed, s) => {
    torch.manualSeed(seed);
    const out = fn(images[name].clone());
    expect(out.shape).toEqual(py.cases[i][s].shape);
    expect(maxDiff(out, py.cases[i][s].values)).toBeLessThan(out.dtype.isFloatingPoint ? 1e-5 : 1e-9);
  });
});

test('gradients through elasticTransform and LinearTransformation equal PyTorch', () => {
  torch.manualSeed(4);
  const x = f.clone().requiresGrad_();
  const d = torch.rand(1, 37, 45, 2).mul(0.2).sub(0.1).requiresGrad_();
  const w = torch.randn(3, 37, 45);
  F.elasticTransform(x, d, { fill: [0.5, 0.2, 0.1] }).mul(w).sum().backward();
  const m = torch.randn(60, 60, { requiresGrad: true });
  const v = torch.randn(60, { requiresGrad: true });
  const y = torch.rand(2, 3, 4, 5, { requiresGrad: true });
  new T.LinearTransformation(m, v)(y).mul(torch.randn(2, 3, 4, 5)).sum().backward();
  [x.grad!, d.grad!, m.grad!, v.grad!, y.grad!].forEach((g, k) => expect(maxDiff(g, py.grads[k])).toBeLessThan(1e-4));
});

test('reprs and errors equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
  ERRORS.forEach(([, make], i) => expect(make).toThrow(py.errors[i]));
});
