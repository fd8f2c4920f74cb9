// Saving and loading storage objects against PyTorch 1.13: torch.save(x.storage()) and containers
// holding storages open in Python (weights_only=True) as storages of the same dtype and bytes, saved
// once with the tensors on them; Python's saved storages load here as TypedStorages that share
// memory with the tensors loaded beside them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-storage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { float32, float64, int16, uint8 } = torch;

test('storages saved here load in Python as storages, saved once with their tensors', async () => {
  const f = path.join(dir, 'from-node.pt');
  const base = torch.arange(6, { dtype: float32 });
  const x = base.narrow(0, 2, 3);
  const obj = {
    s: x.storage(),
    x,
    pair: [base.storage(), torch.tensor([1, -2, 3], { dtype: int16 }).storage()],
    u: new torch.UntypedStorage([1, 2, 250]),
    empty: torch.tensor([], { dtype: float64 }).storage(),
    q: torch.quantizePerTensor(torch.tensor([1, -2], { dtype: float32 }), 0.5, 3, torch.qint8).storage(),
  };
  await torch.save(obj, f);
  const got = runPython(`
import zipfile
d = torch.load(${JSON.stringify(f)}, weights_only=True)
s, x = d['s'], d['x']
result = [type(s).__name__, str(s.dtype), s.tolist(), x.tolist(), s.data_ptr() == x.data_ptr() - 8,
          d['pair'][0].data_ptr() == s.data_ptr(), str(d['pair'][1]), type(d['u']).__name__, str(d['u'].dtype), d['u'].tolist(),
          str(d['empty']), str(d['q']), sorted(n.split('/', 1)[1] for n in zipfile.ZipFile(${JSON.stringify(f)}).namelist() if '/data/' in n)]
`);
  expect(got).toEqual([
    'TypedStorage', 'torch.float32', [0, 1, 2, 3, 4, 5], [2, 3, 4], true,
    true, String(torch.tensor([1, -2, 3], { dtype: int16 }).storage()), 'TypedStorage', 'torch.uint8', [1, 2, 250],
    String(torch.tensor([], { dtype: float64 }).storage()), String(obj.q), ['data/0', 'data/1', 'data/2', 'data/3', 'data/4'],
  ]);
});

test("Python's saved storages load as TypedStorages sharing memory with their tensors", () => {
  const f = path.join(dir, 'from-python.pt');
  const want = runPython<string[]>(`
x = torch.arange(5, dtype=torch.float64)[1:]
s = x.storage()
torch.save({'s': s, 'x': x, 'list': [s, torch.tensor([True, False]).storage()], 'u': torch.tensor([7, 8], dtype=torch.uint8).storage().untyped(),
            'i': torch.tensor([2**40, -1]).storage()}, ${JSON.stringify(f)})
d = torch.load(${JSON.stringify(f)})
result = [str(d['s']), str(d['list'][1]), str(d['u']), str(d['i'])]
`);
  const d = torch.loadSync(f) as Record<string, unknown>;
  const s = d.s as torch.TypedStorage;
  const x = d.x as torch.Tensor;
  const list = d.list as torch.TypedStorage[];
  expect(s).toBeInstanceOf(torch.TypedStorage);
  expect([String(s), String(list[1]), String(d.u), String(d.i)]).toEqual(want);
  expect(list[0].dataPtr()).toBe(s.dataPtr());
  s.set(2, 20);
  expect(x.tolist()).toEqual([1, 20, 3, 4]);
  expect(s.dataPtr()).toBe(x.dataPtr() - 8);
});

test('a round trip here: save (Buffer, sync and async) then load', async () => {
  const s = torch.tensor([1.5, -2], { dtype: float32 }).storage();
  const u = new torch.UntypedStorage([9, 8, 7]);
  for (const bytes of [torch.saveSync([s, u, s]), await torch.save([s, u, s])]) {
    const [a, b, c] = torch.loadSync(bytes) as torch.TypedStorage[];
    expect([String(a), b.dtype, b.tolist(), c.dataPtr() === a.dataPtr()]).toEqual([String(s), uint8, [9, 8, 7], true]);
  }
});

test('a storage and a tensor viewing the same bytes as different dtypes cannot be saved together, as in Python', () => {
  const want = runPython<string>(`
x = torch.tensor([1., 2.])
result = err(lambda: torch.save([x, x.storage().untyped()], __import__('io').BytesIO()))
`);
  const x = torch.tensor([1, 2], { dtype: float32 });
  expect(() => torch.saveSync([x, x._storage()])).toThrow(want);
});
