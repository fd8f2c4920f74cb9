// datasets.SEMEION against torchvision 0.14 on a small semeion.data in the real file's format (256
// pixel values then a one-hot row per line). Its md5 cannot be the real file's, so both sides use
// a subclass with this file's md5 (torchvision's class attribute), as a Python user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasets, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-semeion-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5 = runPython<string>(`
import os, numpy as np
from torchvision.datasets.utils import calculate_md5
rng = np.random.RandomState(0)
p = os.path.join(${JSON.stringify(root)}, 'semeion.data')
with open(p, 'w') as f:
    for i in range(7):
        pixels = [('%.4f' % v) for v in rng.randint(0, 2, 256) * rng.choice([1.0, 0.5, 0.3333], 256)]
        f.write(' '.join(pixels + [str(int(k == i % 10)) for k in range(10)]) + ' \\r\\n')
result = calculate_md5(p)`);

const PY = `
from torchvision import datasets, transforms as T
import numpy as np
class TinySEMEION(datasets.SEMEION):
    md5_checksum = ${JSON.stringify(md5)}
root = ${JSON.stringify(root)}
`;
class TinySEMEION extends datasets.SEMEION {
  static readonly md5Checksum = md5;
}

test('SEMEION equals torchvision: data, labels, items through transforms, repr', () => {
  const py = runPython<unknown[]>(`${PY}
a = TinySEMEION(root, download=False)
b = TinySEMEION(root, T.Compose([T.ToTensor(), T.Normalize([0.5], [0.5])]), T.Lambda(lambda y: -y))
result = [len(a), a.data.tolist(), a.labels.tolist(), [[np.array(a[i][0]).tolist(), a[i][1]] for i in [0, -1]], [b[3][0].tolist(), b[3][1]], repr(a), repr(b)]`);
  const a = new TinySEMEION(root, { download: false });
  const b = new TinySEMEION(root, new T.Compose([new T.ToTensor(), new T.Normalize([0.5], [0.5])]) as never, new T.Lambda((y: number) => -y) as never);
  expect([a.len(), a.data.tolist(), a.labels, [0, -1].map((i) => a.getItem(i)).map(([x, y]) => [x.tolist(), y]), [b.getItem(3)[0], b.getItem(3)[1]].map((v) => (typeof v === 'number' ? v : (v as { tolist(): unknown }).tolist())), String(a), String(b)]).toEqual(py);
});

test("torchvision's errors: missing or corrupted file; download=True downloads nothing", () => {
  const py = runPython<unknown[]>(`${PY}
import contextlib, io
out = io.StringIO()
with contextlib.redirect_stdout(out):
    n = len(TinySEMEION(root))
result = [err(lambda: datasets.SEMEION(root, download=False)), out.getvalue().strip(), n]`);
  const logged: unknown[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((m) => void logged.push(m));
  let n: number;
  try {
    n = new TinySEMEION(root).len();
  } finally {
    spy.mockRestore();
  }
  expect([messageOf(() => new datasets.SEMEION(root, { download: false })), logged.join('\n'), n]).toEqual(py);
  expect(messageOf(() => new datasets.SEMEION(root))).toMatch(/cannot download here.*semeion\.data/);
});
