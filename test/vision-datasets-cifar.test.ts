// datasets.CIFAR10 / CIFAR100 against torchvision 0.14's on small files in the exact on-disk format
// (pickled dicts with numpy arrays: protocols 2-4, and files written byte for byte as Python 2's
// cPickle wrote the real ones, strings and the array's bytes as py2 str). The real archives' md5s
// cannot match, so both sides use a subclass listing the files' own md5s (torchvision's class
// attributes), as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-cifar-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes CIFAR-10 (6 batches of 8) and CIFAR-100 (train 12, test 6) files; returns their md5s. */
const md5s = runPython<Record<string, string>>(`
import os, pickle, struct, numpy as np
from torchvision.datasets.utils import calculate_md5
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def py2(v):
    """v as Python 2's cPickle.dump(v, f, 2) writes it, as the real CIFAR files are (str is bytes; no memo)"""
    if isinstance(v, (str, bytes)):
        b = v.encode('latin1') if isinstance(v, str) else v
        return b'U' + bytes([len(b)]) + b if len(b) < 256 else b'T' + struct.pack('<i', len(b)) + b
    if isinstance(v, bool): return b'\\x88' if v else b'\\x89'
    if isinstance(v, int): return b'K' + bytes([v]) if 0 <= v < 256 else b'J' + struct.pack('<i', v)
    if v is None: return b'N'
    if isinstance(v, tuple): return b'(' + b''.join(map(py2, v)) + b't'
    if isinstance(v, list): return b']' + (b'(' + b''.join(map(py2, v)) + b'e' if v else b'')
    if isinstance(v, dict): return b'}(' + b''.join(py2(k) + py2(x) for k, x in v.items()) + b'u'
    assert isinstance(v, np.ndarray) and v.dtype == np.uint8
    dtype = b'cnumpy\\ndtype\\n' + py2(('u1', 0, 1)) + b'R' + py2((3, '|', None, None, None, -1, -1, 0)) + b'b'
    return (b'cnumpy.core.multiarray\\n_reconstruct\\ncnumpy\\nndarray\\n' + py2(((0,), 'b'))[1:-1] + b'\\x87R'
            + b'(' + py2(1) + py2(v.shape) + dtype + py2(False) + py2(v.tobytes()) + b'tb')
def dump(path, entry, protocol):
    with open(path, 'wb') as f:
        if protocol == 'py2': f.write(b'\\x80\\x02' + py2(entry) + b'.')
        else: pickle.dump(entry, f, protocol=protocol)
md5 = {}
d10 = os.path.join(root, 'cifar-10-batches-py'); os.makedirs(d10)
for i, name in enumerate(['data_batch_%d' % k for k in range(1, 6)] + ['test_batch']):
    data = rng.randint(0, 256, (8, 3072)).astype(np.uint8)
    entry = {'batch_label': name, 'labels': rng.randint(0, 10, 8).tolist(), 'data': data, 'filenames': ['f%d.png' % j for j in range(8)]}
    dump(os.path.join(d10, name), entry, [4, 2, 'py2', 3, 'py2', 4][i])
    md5[name] = calculate_md5(os.path.join(d10, name))
names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
dump(os.path.join(d10, 'batches.meta'), {'num_cases_per_batch': 8, 'label_names': names, 'num_vis': 3072}, 'py2')
md5['batches.meta'] = calculate_md5(os.path.join(d10, 'batches.meta'))
d100 = os.path.join(root, 'cifar-100-python'); os.makedirs(d100)
for name, n in [('train', 12), ('test', 6)]:
    entry = {'filenames': ['f%d.png' % j for j in range(n)], 'batch_label': name, 'fine_labels': rng.randint(0, 100, n).tolist(), 'coarse_labels': rng.randint(0, 20, n).tolist(), 'data': rng.randint(0, 256, (n, 3072)).astype(np.uint8)}
    dump(os.path.join(d100, name), entry, 4)
    md5[name] = calculate_md5(os.path.join(d100, name))
dump(os.path.join(d100, 'meta'), {'fine_label_names': ['c%02d' % i for i in range(100)], 'coarse_label_names': ['s%02d' % i for i in range(20)]}, 4)
md5['meta'] = calculate_md5(os.path.join(d100, 'meta'))
result = md5`);

/** The same subclasses on both sides: torchvision's lists with these files' md5s. */
const PY_CLASSES = `
from torchvision import datasets, transforms as T
md5 = ${JSON.stringify(md5s)}
class TinyCIFAR10(datasets.CIFAR10):
    train_list = [['data_batch_%d' % k, md5['data_batch_%d' % k]] for k in range(1, 6)]
    test_list = [['test_batch', md5['test_batch']]]
    meta = {'filename': 'batches.meta', 'key': 'label_names', 'md5': md5['batches.meta']}
class TinyCIFAR100(datasets.CIFAR100):
    train_list = [['train', md5['train']]]
    test_list = [['test', md5['test']]]
    meta = {'filename': 'meta', 'key': 'fine_label_names', 'md5': md5['meta']}
root = ${JSON.stringify(root)}
`;
class TinyCIFAR10 extends datasets.CIFAR10 {
  static readonly trainList = [1, 2, 3, 4, 5].map((k) => [`data_batch_${k}`, md5s[`data_batch_${k}`]] as const);
  static readonly testList = [['test_batch', md5s.test_batch] as const];
  static readonly meta = { filename: 'batches.meta', key: 'label_names', md5: md5s['batches.meta'] };
}
class TinyCIFAR100 extends datasets.CIFAR100 {
  static readonly trainList = [['train', md5s.train] as const];
  static readonly testList = [['test', md5s.test] as const];
  static readonly meta = { filename: 'meta', key: 'fine_label_names', md5: md5s.meta };
}

type Summary = { len: number; targets: number[]; classes: string[]; classToIdx: Record<string, number>; shape: number[]; dtype: string; contiguous: boolean; data: number[] };

function summary(ds: datasets.CIFAR10): Summary {
  return {
    len: ds.len(),
    targets: ds.targets,
    classes: ds.classes,
    classToIdx: ds.classToIdx,
    shape: ds.data.shape,
    dtype: String(ds.data.dtype),
    contiguous: ds.data.isContiguous(),
    data: ds.data.flatten().tolist() as number[],
  };
}

test('CIFAR10 and CIFAR100 load what torchvision loads: data (uint8 NHWC), targets, classes, class_to_idx, len', () => {
  const py = runPython<Summary[]>(`${PY_CLASSES}
def summary(ds):
    return dict(len=len(ds), targets=ds.targets, classes=ds.classes, classToIdx=ds.class_to_idx, shape=list(ds.data.shape),
                dtype='torch.' + str(ds.data.dtype), contiguous=ds.data.flags['C_CONTIGUOUS'], data=ds.data.flatten().tolist())
result = [summary(TinyCIFAR10(root)), summary(TinyCIFAR10(root, train=False)), summary(TinyCIFAR100(root)), summary(TinyCIFAR100(root, False))]`);
  expect([new TinyCIFAR10(root), new TinyCIFAR10(root, { train: false }), new TinyCIFAR100({ root }), new TinyCIFAR100(root, false)].map(summary)).toEqual(py);
});

test('items equal torchvision: ToTensor images, the Normalize of the tutorial, targets and target_transform', () => {
  const py = runPython<unknown[]>(`${PY_CLASSES}
tf = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
a = TinyCIFAR10(root, transform=T.ToTensor())
b = TinyCIFAR10(root, True, tf, lambda y: y * 2)
c = TinyCIFAR100(root, train=False, transform=T.PILToTensor())
result = [[a[i][0].tolist(), a[i][1]] for i in [0, 17, 39, -1]] + [[b[i][0].tolist(), b[i][1]] for i in [5, 20]] + [[c[i][0].tolist(), c[i][1]] for i in [0, 5]]
result += [err(lambda: a[40]), err(lambda: c[-7])]`);
  const tf = new T.Compose([new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]);
  const a = new TinyCIFAR10(root, { transform: new T.ToTensor() });
  const b = new TinyCIFAR10(root, true, tf, (y: number) => y * 2);
  const c = new TinyCIFAR100(root, { train: false, transform: new T.PILToTensor() });
  const items = [
    ...[0, 17, 39, -1].map((i) => a.getItem(i)),
    ...[5, 20].map((i) => b.getItem(i)),
    ...[0, 5].map((i) => c.getItem(i)),
  ].map(([x, y]) => [x.tolist(), y]);
  expect([...items, messageOf(() => a.getItem(40)), messageOf(() => c.getItem(-7))]).toEqual(py);
  expect(() => a.getItem(40)).toThrow(expect.objectContaining({ name: 'IndexError' }));
  // without a transform: the uint8 [3, 32, 32] image torchvision's PIL image holds
  const [img] = new TinyCIFAR10(root).getItem(3);
  expect([img.dtype, img.shape]).toEqual([torch.uint8, [3, 32, 32]]);
});

test('repr equals torchvision', () => {
  const py = runPython<string[]>(`${PY_CLASSES}
result = [repr(TinyCIFAR10(root, transform=T.Compose([T.ToTensor(), T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]))),
          repr(TinyCIFAR10(root, train=False)), repr(TinyCIFAR100(root, target_transform=T.Lambda(lambda y: y)))]`);
  expect([
    String(new TinyCIFAR10(root, { transform: new T.Compose([new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]) })),
    String(new TinyCIFAR10(root, { train: false })),
    String(new TinyCIFAR100(root, { targetTransform: new T.Lambda((y: number) => y) })),
  ]).toEqual(py);
});

test("missing or corrupted files give torchvision's errors; download=True only accepts verified files", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-cifar-empty-'));
  try {
    const py = runPython<string[]>(`${PY_CLASSES}
import contextlib, io
class BadMeta(TinyCIFAR10):
    meta = {'filename': 'batches.meta', 'key': 'label_names', 'md5': '0' * 32}
out = io.StringIO()
with contextlib.redirect_stdout(out):
    n = len(TinyCIFAR10(root, download=True))
result = [err(lambda: datasets.CIFAR10(${JSON.stringify(empty)})), err(lambda: datasets.CIFAR100(${JSON.stringify(empty)}, train=False)),
          err(lambda: datasets.CIFAR10(root)), err(lambda: BadMeta(root)), out.getvalue().strip(), n]`);
    class BadMeta extends TinyCIFAR10 {
      static readonly meta = { filename: 'batches.meta', key: 'label_names', md5: '0'.repeat(32) };
    }
    const logged: unknown[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((m) => void logged.push(m));
    let n: number;
    try {
      n = new TinyCIFAR10(root, { download: true }).len();
    } finally {
      spy.mockRestore();
    }
    expect([
      messageOf(() => new datasets.CIFAR10(empty)),
      messageOf(() => new datasets.CIFAR100(empty, { train: false })),
      messageOf(() => new datasets.CIFAR10(root)), // the real archive's md5s: these files fail the check
      messageOf(() => new BadMeta(root)),
      logged.join('\n'),
      n,
    ]).toEqual(py);
    // download=True with nothing verified there: no network, a clear error instead of a download
    expect(messageOf(() => new datasets.CIFAR10(empty, { download: true }))).toMatch(/cannot download here.*cifar-10-python\.tar\.gz/);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test("_checkIntegrity checks every file's md5 as torchvision's check_integrity does", () => {
  const ds = new TinyCIFAR10(root);
  expect(ds._checkIntegrity()).toBe(true);
  const file = path.join(root, 'cifar-10-batches-py', 'test_batch');
  const saved = fs.readFileSync(file);
  try {
    fs.writeFileSync(file, Buffer.concat([saved, Buffer.from([0])]));
    expect(ds._checkIntegrity()).toBe(false);
    expect(messageOf(() => new TinyCIFAR10(root, { train: true }))).toBe('Dataset not found or corrupted. You can use download=True to download it');
  } finally {
    fs.writeFileSync(file, saved);
  }
});

test('F.resize and F.normalize take keyword arguments as torchvision does (on CIFAR images)', () => {
  const py = runPython<unknown[]>(`${PY_CLASSES}
import torchvision.transforms.functional as F
ds = TinyCIFAR10(root, transform=T.PILToTensor())
img = ds[6][0]
x = F.convert_image_dtype(img, torch.float32)
result = [F.resize(img, size=[20, 24], antialias=True).tolist(), F.resize(img=img, size=13, interpolation=T.InterpolationMode.BICUBIC, max_size=16, antialias=True).tolist(),
          F.resize(x, [12, 10], T.InterpolationMode.NEAREST).tolist(), F.resize(img, [9, 9], antialias=False).tolist(),
          F.normalize(x, mean=[0.4914, 0.4822, 0.4465], std=[0.247, 0.243, 0.261]).tolist(), F.normalize(tensor=x, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), inplace=False).tolist()]`);
  const F = T.functional;
  const [img] = new TinyCIFAR10(root, { transform: new T.PILToTensor() }).getItem(6);
  const x = F.convertImageDtype(img, torch.float32);
  const got = [
    F.resize(img, { size: [20, 24], antialias: true }),
    F.resize({ img, size: 13, interpolation: T.InterpolationMode.BICUBIC, maxSize: 16, antialias: true }),
    F.resize(x, [12, 10], T.InterpolationMode.NEAREST),
    F.resize(img, [9, 9], { antialias: false }),
    F.normalize(x, { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] }),
    F.normalize({ tensor: x, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], inplace: false }),
  ].map((t) => t.tolist());
  expect(got).toEqual(py);
  expect(messageOf(() => F.resize(img, [4, 4], { antialias: true, sizes: 3 } as never))).toMatch(/^resize\(\) got an unexpected keyword argument 'sizes'/);
  expect(messageOf(() => F.normalize(x, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], { mean: [1, 1, 1] } as never))).toBe("normalize() got multiple values for argument 'mean'");
});
