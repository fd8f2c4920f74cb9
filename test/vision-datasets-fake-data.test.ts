// datasets.FakeData against torchvision 0.14's: the same images (through ToTensor) and targets for
// each index, whatever the order or the global seed, Python's argument forms, errors and repr.
import * as torch from '../lib';
import { DataLoader } from '../lib/data';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

test('items equal torchvision FakeData through ToTensor, and the global generator is left alone', () => {
  const py = runPython<Record<string, unknown>>(`
from torchvision import datasets, transforms as T
torch.manual_seed(7)
d = datasets.FakeData(size=6, image_size=(3, 5, 4), num_classes=1000, transform=T.ToTensor())
items = [[d[i][0].tolist(), d[i][1]] for i in [4, 0, 5]]
after = torch.randn(3).tolist()
off = datasets.FakeData(20, (1, 3, 3), 10, T.ToTensor(), None, 100)
gray = [off[i][0].tolist() for i in [0, 19]]
two = datasets.FakeData(3, (4, 6), transform=T.ToTensor())
result = dict(items=items, after=after, gray=gray, two=[two[2][0].tolist(), two[2][1]], defaults=[len(datasets.FakeData()), datasets.FakeData()[3][1]])`);
  torch.manualSeed(7);
  const d = new datasets.FakeData({ size: 6, imageSize: [3, 5, 4], numClasses: 1000, transform: new T.ToTensor() });
  const items = [4, 0, 5].map((i) => {
    const [x, y] = d.getItem(i);
    return [x.tolist(), y];
  });
  const after = torch.randn(3).tolist();
  // Python's positional form: size, image_size, num_classes, transform, target_transform, random_offset
  const off = new datasets.FakeData(20, [1, 3, 3], 10, new T.ToTensor(), null, 100);
  const gray = [0, 19].map((i) => off.getItem(i)[0].tolist());
  const two = new datasets.FakeData(3, [4, 6], { transform: new T.ToTensor() }).getItem(2);
  const dflt = new datasets.FakeData();
  expect({ items, after, gray, two: [two[0].tolist(), two[1]], defaults: [dflt.len(), dflt.getItem(3)[1]] }).toEqual(py);
  // without a transform the item is the uint8 image ToPILImage would have stored
  const [raw] = new datasets.FakeData(2, [3, 5, 4]).getItem(1);
  expect([raw.dtype, raw.shape]).toEqual([torch.uint8, [3, 5, 4]]);
});

test("targetTransform, IndexError and ToPILImage's errors as torchvision's", () => {
  const py = runPython<unknown[]>(`
from torchvision import datasets
d = datasets.FakeData(4, (3, 2, 2), 5, target_transform=lambda t: t * 10)
result = [[d[i][1] for i in range(4)], err(lambda: d[4]), err(lambda: datasets.FakeData(2, (5, 2, 2))[0]), err(lambda: datasets.FakeData(2, (1, 1, 2, 2))[0])]`);
  const d = new datasets.FakeData(4, [3, 2, 2], 5, { targetTransform: (t) => t.mul(10) });
  expect([
    [0, 1, 2, 3].map((i) => d.getItem(i)[1]),
    messageOf(() => d.getItem(4)),
    messageOf(() => new datasets.FakeData(2, [5, 2, 2]).getItem(0)),
    messageOf(() => new datasets.FakeData(2, [1, 1, 2, 2]).getItem(0)),
  ]).toEqual(py);
  expect(() => d.getItem(4)).toThrow(expect.objectContaining({ name: 'IndexError' }));
});

test('repr and a DataLoader over FakeData equal torchvision + PyTorch', () => {
  const py = runPython<unknown[]>(`
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
d = datasets.FakeData(10, (3, 8, 8), 4, transform=T.Compose([T.CenterCrop(5), T.ToTensor(), T.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])]))
torch.manual_seed(1)
batches = [[b[0].sum().item(), b[1].tolist()] for b in DataLoader(d, batch_size=4, shuffle=True)]
result = [repr(d), repr(datasets.FakeData()), batches]`);
  const d = new datasets.FakeData(10, [3, 8, 8], 4, {
    transform: new T.Compose([new T.CenterCrop(5), new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])]),
  });
  torch.manualSeed(1);
  const batches = [...new DataLoader(d, { batchSize: 4, shuffle: true })].map(([x, y]) => [x.sum().item(), y.tolist()]);
  const [repr, plain, expected] = py as [string, string, [number, number[]][]];
  expect([String(d), String(new datasets.FakeData())]).toEqual([repr, plain]);
  expect(batches.map(([, y]) => y)).toEqual(expected.map(([, y]) => y));
  batches.forEach(([s], i) => expect(s).toBeCloseTo(expected[i][0], 3));
});
