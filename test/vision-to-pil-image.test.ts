// transforms.ToPILImage: torch-node images are tensors, so it gives what torchvision's PIL image
// holds (uint8, one channel as [H, W]); PILToTensor / ToTensor after it equal torchvision's.
import * as torch from '../lib';
import { transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { errorOf } from './helpers/errors';

const CASES: [string, () => torch.Tensor][] = [
  ['rgb float', () => torch.rand(3, 5, 4, { generator: new torch.Generator().manualSeed(1) })],
  ['gray float', () => torch.rand(1, 4, 6, { generator: new torch.Generator().manualSeed(2) })],
  ['2-D float', () => torch.rand(4, 6, { generator: new torch.Generator().manualSeed(3) })],
  ['rgba uint8', () => torch.randint(0, 256, [4, 3, 3], { dtype: torch.uint8, generator: new torch.Generator().manualSeed(4) })],
];

test('ToPILImage then PILToTensor / ToTensor equal torchvision on the same pixels', () => {
  const inputs = CASES.map(([, make]) => make());
  const py = runPython<{ pil: number[][][][]; tensor: number[][][][]; size: number[][]; repr: string[] }>(`
import torchvision.transforms as T
inputs = [torch.tensor(x, dtype=d) for x, d in zip(${JSON.stringify(inputs.map((t) => t.tolist()))}, [torch.float32, torch.float32, torch.float32, torch.uint8])]
imgs = [T.ToPILImage()(x) for x in inputs]
result = dict(pil=[T.PILToTensor()(i).tolist() for i in imgs], tensor=[T.ToTensor()(i).tolist() for i in imgs],
              size=[list(T.PILToTensor()(i).shape) for i in imgs], repr=[repr(T.ToPILImage()), repr(T.ToPILImage('RGB')), repr(T.ToPILImage(mode='L'))])
`);
  const imgs = inputs.map((x) => new T.ToPILImage()(x));
  expect(imgs.map((i) => new T.PILToTensor()(i).tolist())).toEqual(py.pil);
  expect(imgs.map((i) => new T.PILToTensor()(i).shape)).toEqual(py.size);
  const tensors = imgs.map((i) => new T.ToTensor()(i));
  tensors.forEach((t, k) => expect(t.sub(torch.tensor(py.tensor[k])).abs().max().item()).toBeLessThan(1e-7));
  expect(imgs[1].shape).toEqual([4, 6]); // one channel: [H, W], as the datasets' images
  expect([String(new T.ToPILImage()), String(new T.ToPILImage('RGB')), String(new T.ToPILImage({ mode: 'L' }))]).toEqual(py.repr);
});

test("torchvision's errors for what PIL cannot hold", () => {
  const py = runPython<string[]>(`
import torchvision.transforms as T
result = [err(lambda: T.ToPILImage()(torch.zeros(2, 2, 2, 2))), err(lambda: T.ToPILImage()(torch.zeros(5, 2, 2))),
          err(lambda: T.ToPILImage('RGB')(torch.zeros(1, 2, 2)))]
`);
  // torchvision's third message prints numpy.dtype's class where it means the dtype: ours names it
  const typeNamed = (m: string) => m.replace("<class 'numpy.dtype'>", 'uint8');
  expect([
    errorOf(() => new T.ToPILImage()(torch.zeros(2, 2, 2, 2))).message,
    errorOf(() => new T.ToPILImage()(torch.zeros(5, 2, 2))).message,
    errorOf(() => new T.ToPILImage('RGB')(torch.zeros(1, 2, 2))).message,
  ]).toEqual(py.map(typeNamed));
});
