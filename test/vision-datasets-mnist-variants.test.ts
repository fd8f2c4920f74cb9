// datasets.KMNIST / EMNIST (every split) / QMNIST (every `what`, compat true and false) against
// torchvision 0.14 on small IDX files written by Python in torchvision's layout (root/<Class>/raw).
// torchvision 0.14 reads multi-byte IDX values (QMNIST's int32 labels) with their bytes swapped and
// their order reversed (fixed in 0.15); torch-node reads them as QMNIST wrote them, so the target
// comparisons run torchvision with 0.15's reading of those files, images and reprs with 0.14's own.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-mnist-variants-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const SPLITS = ['byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'];

runPython(`
import os, struct, numpy as np
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def idx(path, a):
    code = {np.dtype('uint8'): 8, np.dtype('>i4'): 12}[a.dtype]
    with open(path, 'wb') as f:
        f.write(struct.pack('>BBBB', 0, 0, code, a.ndim) + struct.pack('>%dI' % a.ndim, *a.shape) + a.tobytes())
def pair(folder, images, labels, n, classes, h=6, w=5):
    os.makedirs(os.path.join(root, folder, 'raw'), exist_ok=True)
    idx(os.path.join(root, folder, 'raw', images), rng.randint(0, 256, (n, h, w)).astype(np.uint8))
    idx(os.path.join(root, folder, 'raw', labels), rng.randint(0, classes, n).astype(np.uint8))
pair('KMNIST', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 7, 10)
pair('KMNIST', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 4, 10)
for s, k in zip(${JSON.stringify(SPLITS)}, [62, 47, 47, 27, 10, 10]):
    for part, n in [('train', 5), ('test', 3)]:
        pair('EMNIST', 'emnist-%s-%s-images-idx3-ubyte' % (s, part), 'emnist-%s-%s-labels-idx1-ubyte' % (s, part), n, k, 4, 4)
raw = os.path.join(root, 'QMNIST', 'raw'); os.makedirs(raw)
for prefix, n in [('qmnist-train', 6), ('qmnist-test', 10003), ('xnist', 9)]:
    idx(os.path.join(raw, prefix + '-images-idx3-ubyte'), rng.randint(0, 256, (n, 2, 3)).astype(np.uint8))
    labels = np.stack([rng.randint(0, 10, n), rng.randint(0, 4, n), rng.randint(0, 4000, n), rng.randint(0, 100, n),
                       rng.randint(0, 70000, n), rng.randint(-1, 3, n), rng.randint(0, 10**6, n), rng.randint(0, 10**9, n)], 1)
    idx(os.path.join(raw, prefix + '-labels-' + 'idx2-int'), labels.astype('>i4'))
result = None`);

/** torchvision's classes, and QMNIST's int32 labels read as 0.15 reads them */
const PY = `
from torchvision import datasets, transforms as T
import torchvision.datasets.mnist as M
root = ${JSON.stringify(root)}
read_014 = M.read_sn3_pascalvincent_tensor
def read_015(path, strict=True):
    x = read_014(path, strict)
    if x.element_size() == 1: return x
    # 0.14 reversed the elements' order instead of each one's bytes
    return torch.from_numpy(x.flatten().flip(0).numpy().byteswap().copy()).view(x.shape)
def summary(ds, items):
    return dict(len=len(ds), data=ds.data.tolist(), targets=ds.targets.tolist(), classes=list(ds.classes), classToIdx=ds.class_to_idx, repr=repr(ds),
                items=[[torch.as_tensor(np.array(ds[i][0])).tolist(), ds[i][1] if isinstance(ds[i][1], int) else ds[i][1].tolist()] for i in items])
import numpy as np
`;

type Summary = { len: number; data: unknown; targets: unknown; classes: string[]; classToIdx: Record<string, number>; repr: string; items: unknown[] };

function summary(ds: datasets.MNIST<torch.Tensor, unknown>, items: number[]): Summary {
  return {
    len: ds.len(),
    data: ds.data.tolist(),
    targets: ds.targets.tolist(),
    classes: ds.classes,
    classToIdx: ds.classToIdx,
    repr: String(ds),
    items: items.map((i) => ds.getItem(i)).map(([x, y]) => [x.tolist(), y instanceof torch.Tensor ? y.tolist() : y]),
  };
}

test('KMNIST equals torchvision: data, targets, classes, class_to_idx, items, repr (train and test)', () => {
  const py = runPython<Summary[]>(`${PY}
result = [summary(datasets.KMNIST(root), [0, 6, -1]), summary(datasets.KMNIST(root, train=False), [1, -4])]`);
  expect([summary(new datasets.KMNIST(root), [0, 6, -1]), summary(new datasets.KMNIST(root, { train: false }), [1, -4])]).toEqual(py);
});

test('EMNIST equals torchvision for every split, train and test', () => {
  const py = runPython<Summary[]>(`${PY}
result = [summary(datasets.EMNIST(root, s, train=t), [0, -1]) for s in ${JSON.stringify(SPLITS)} for t in [True, False]]`);
  const got = SPLITS.flatMap((s) => [true, false].map((train) => summary(new datasets.EMNIST(root, s, { train }), [0, -1])));
  expect(got).toEqual(py);
  // Python's keyword-style call too, and the split attribute
  const ds = new datasets.EMNIST({ root, split: 'letters', train: false });
  expect([ds.split, ds.len(), ds.classes.slice(0, 3)]).toEqual(['letters', 3, ['N/A', 'a', 'b']]);
});

test('QMNIST equals torchvision (0.15 label reading) for every what, compat true and false', () => {
  const cases: [string | null, boolean, boolean][] = [
    [null, true, true], [null, true, false], ['train', false, true], ['test', true, true], ['test10k', false, true],
    ['test50k', true, true], ['test50k', false, true], ['nist', true, true], ['nist', false, true],
  ];
  const py = runPython<Summary[]>(`${PY}
M.read_sn3_pascalvincent_tensor = read_015
def small(s): s['data'] = s['data'][:3] + s['data'][-3:]; s['targets'] = s['targets'][:3] + s['targets'][-3:]; return s
result = [small(summary(datasets.QMNIST(root, what=w, compat=c, train=t), [0, 2, -1])) for w, c, t in json.loads(${JSON.stringify(JSON.stringify(cases))})]`);
  const small = (s: Summary) => ({ ...s, data: [...(s.data as unknown[]).slice(0, 3), ...(s.data as unknown[]).slice(-3)], targets: [...(s.targets as unknown[]).slice(0, 3), ...(s.targets as unknown[]).slice(-3)] });
  const got = cases.map(([what, compat, train]) => small(summary(new datasets.QMNIST(root, { what, compat, train }) as datasets.MNIST<torch.Tensor, unknown>, [0, 2, -1])));
  expect(got).toEqual(py);
  // positional as Python's QMNIST(root, what, compat, train); torchvision 0.14's own images and len
  const ds = new datasets.QMNIST(root, 'test10k', false);
  const py014 = runPython<unknown[]>(`${PY}
ds = datasets.QMNIST(root, 'test10k', False)
result = [len(ds), ds.data[-2:].tolist(), repr(ds)]`);
  expect([ds.len(), ds.data.narrow(0, ds.len() - 2, 2).tolist(), String(ds)]).toEqual(py014);
});

test('items through transforms equal torchvision: ToTensor, Normalize, target_transform; repr with them', () => {
  const py = runPython<unknown[]>(`${PY}
M.read_sn3_pascalvincent_tensor = read_015
tf = T.Compose([T.ToTensor(), T.Normalize([0.1307], [0.3081])])
a = datasets.KMNIST(root, transform=tf, target_transform=T.Lambda(lambda y: y + 100))
b = datasets.EMNIST(root, 'balanced', transform=T.ToTensor())
c = datasets.QMNIST(root, 'nist', compat=False, transform=T.PILToTensor(), target_transform=T.Lambda(lambda t: t[2]))
result = [[a[i][0].tolist(), a[i][1]] for i in [0, 3]] + [[b[1][0].tolist(), b[1][1]], [c[4][0].tolist(), c[4][1].tolist()], repr(a), repr(c)]`);
  const tf = new T.Compose([new T.ToTensor(), new T.Normalize([0.1307], [0.3081])]);
  const a = new datasets.KMNIST(root, { transform: tf, targetTransform: new T.Lambda((y: number) => y + 100) as never });
  const b = new datasets.EMNIST(root, 'balanced', { transform: new T.ToTensor() });
  const c = new datasets.QMNIST(root, 'nist', { compat: false, transform: new T.PILToTensor(), targetTransform: new T.Lambda((t: torch.Tensor) => t.select(0, 2)) as never });
  const got = [...[0, 3].map((i) => a.getItem(i)).map(([x, y]) => [x.tolist(), y]), [b.getItem(1)[0].tolist(), b.getItem(1)[1]],
    [c.getItem(4)[0].tolist(), (c.getItem(4)[1] as unknown as torch.Tensor).tolist()], String(a), String(c)];
  expect(got).toEqual(py);
});

test("torchvision's errors: bad split / what, missing files; download=True downloads nothing", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-mnist-empty-'));
  try {
    const py = runPython<string[]>(`${PY}
empty = ${JSON.stringify(empty)}
result = [err(lambda: datasets.EMNIST(root, 'bygroup')), err(lambda: datasets.EMNIST(root, 3)), err(lambda: datasets.QMNIST(root, 'test20k')),
          err(lambda: datasets.KMNIST(empty)), err(lambda: datasets.EMNIST(empty, 'digits', train=False)), err(lambda: datasets.QMNIST(empty, 'nist'))]`);
    expect([
      messageOf(() => new datasets.EMNIST(root, 'bygroup')),
      messageOf(() => new datasets.EMNIST(root, 3 as never)),
      messageOf(() => new datasets.QMNIST(root, 'test20k')),
      messageOf(() => new datasets.KMNIST(empty)),
      messageOf(() => new datasets.EMNIST(empty, 'digits', { train: false })),
      messageOf(() => new datasets.QMNIST(empty, 'nist')),
    ]).toEqual(py);
    expect(messageOf(() => new datasets.KMNIST(empty, { download: true }))).toMatch(/cannot download here.*KMNIST/);
    // EMNIST's **kwargs are keyword-only, as in Python
    expect(messageOf(() => new (datasets.EMNIST as any)(root, 'digits', false))).toBe('EMNIST() takes 2 positional arguments but 3 were given');
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
