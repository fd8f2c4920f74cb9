// torch.UntypedStorage / TypedStorage against PyTorch 1.13: reprs, element reads and writes that
// show in the tensors on the storage, sizes, casts, resize_ and set_ from a storage (the legacy
// classes, fromBuffer and the errors: storage-legacy.test.ts).
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { float32, float64, float16, bfloat16, int32, int16, int8, uint8 } = torch;

describe('repr, as Python prints a storage', () => {
  const cases: [string, () => unknown][] = [
    ['torch.arange(6.).view(2, 3)[1].storage()', () => torch.arange(6, { dtype: float32 }).view([2, 3]).index(1).storage()],
    ['torch.tensor([1e10, 0.1, -0.0, 1e-5, 1e16, 123.25, float("nan"), float("inf"), -float("inf")]).storage()', () =>
      torch.tensor([1e10, 0.1, -0, 1e-5, 1e16, 123.25, NaN, Infinity, -Infinity], { dtype: float32 }).storage()],
    ['torch.tensor([0.1, 1/3, 2.5e-300], dtype=torch.float64).storage()', () => torch.tensor([0.1, 1 / 3, 2.5e-300], { dtype: float64 }).storage()],
    ['torch.tensor([1.5, 0.1, 65504], dtype=torch.float16).storage()', () => torch.tensor([1.5, 0.1, 65504], { dtype: float16 }).storage()],
    ['torch.tensor([1.5, 0.1, 3e38], dtype=torch.bfloat16).storage()', () => torch.tensor([1.5, 0.1, 3e38], { dtype: bfloat16 }).storage()],
    ['torch.tensor([2**62 + 1, -5, 0], dtype=torch.int64).storage()', () => torch.tensor(BigInt64Array.from([2n ** 62n + 1n, -5n, 0n])).storage()],
    ['torch.tensor([-7, 2**31 - 1], dtype=torch.int32).storage()', () => torch.tensor([-7, 2 ** 31 - 1], { dtype: int32 }).storage()],
    ['torch.tensor([-7, 300], dtype=torch.int16).storage()', () => torch.tensor([-7, 300], { dtype: int16 }).storage()],
    ['torch.tensor([-7, 100], dtype=torch.int8).storage()', () => torch.tensor([-7, 100], { dtype: int8 }).storage()],
    ['torch.tensor([7, 255], dtype=torch.uint8).storage()', () => torch.tensor([7, 255], { dtype: uint8 }).storage()],
    ['torch.tensor([True, False]).storage()', () => torch.tensor([true, false]).storage()],
    ['torch.tensor([1+2j, 0j, 1j, -1.5-0.5j, 3+0j, complex(-0.0, -1.0)], dtype=torch.complex64).storage()', () =>
      torch.complex(torch.tensor([1, 0, 0, -1.5, 3, -0]), torch.tensor([2, 0, 1, -0.5, 0, -1])).storage()],
    ['torch.tensor([0.1+1e20j], dtype=torch.complex128).storage()', () => torch.complex(torch.tensor([0.1], { dtype: float64 }), torch.tensor([1e20], { dtype: float64 })).storage()],
    ['torch.tensor([]).storage()', () => torch.tensor([]).storage()],
    ['torch.quantize_per_tensor(torch.tensor([1., -2.]), 0.5, 3, torch.qint8).storage()', () => torch.quantizePerTensor(torch.tensor([1, -2], { dtype: float32 }), 0.5, 3, torch.qint8).storage()],
    ['torch.quantize_per_tensor(torch.tensor([1., 2.]), 0.5, 3, torch.quint8).storage().untyped()', () => torch.quantizePerTensor(torch.tensor([1, 2], { dtype: float32 }), 0.5, 3, torch.quint8).storage().untyped()],
    ['torch.tensor([1.5, -2.0]).storage().untyped()', () => torch.tensor([1.5, -2]).storage().untyped()],
    ['torch.tensor([1.5, -2.0])._storage()[2:6]', () => torch.tensor([1.5, -2])._storage().get('2:6')],
    ['torch.UntypedStorage([1, 2, 300, -1])', () => new torch.UntypedStorage([1, 2, 300, -1])],
    ['torch.UntypedStorage()', () => new torch.UntypedStorage()],
    ['torch.IntStorage([1, 2, 3])', () => new torch.IntStorage([1, 2, 3])],
    ['torch.TypedStorage([1, 2], dtype=torch.float64)', () => new torch.TypedStorage([1, 2], { dtype: float64 })],
    ['torch.TypedStorage(wrap_storage=torch.UntypedStorage([0, 0, 128, 63]), dtype=torch.float32)', () =>
      new torch.TypedStorage(undefined, { wrapStorage: new torch.UntypedStorage([0, 0, 128, 63]), dtype: float32 })],
  ];
  const want = runPython<string[]>(`result = [str(eval(e)) for e in ${JSON.stringify(cases.map((c) => c[0]))}]`);
  cases.forEach(([code, make], i) =>
    test(code, () => {
      expect(String(make())).toBe(want[i]);
    }),
  );
  test('console.log prints the same', () => {
    const s = torch.tensor([1, 2], { dtype: int32 }).storage();
    expect(require('util').inspect(s)).toBe(String(s));
  });
});

test('sizes, device, dtype and flags as Python reports them', () => {
  const want = runPython(`
x = torch.arange(6.).view(2, 3)[1]
s = x.storage(); u = s.untyped(); h = torch.tensor([1, 2], dtype=torch.float16).storage()
result = [len(s), s.size(), s.nbytes(), s.element_size(), str(s.device), str(s.dtype), s.is_shared(), s.is_pinned(), s.is_cuda,
          len(u), u.size(), u.nbytes(), u.element_size(), str(u.device), u.is_shared(), u.is_pinned(), u.is_cuda,
          h.size(), h.nbytes(), h.element_size(), s.type(), u.type(), h.type(), s.pickle_storage_type(), s.get_device(),
          s.data_ptr() == x.data_ptr() - 12, u.data_ptr() == s.data_ptr(), s.tolist(), u[4:8].data_ptr() - u.data_ptr(),
          torch.tensor([]).storage().data_ptr() == 0]
`);
  const x = torch.arange(6, { dtype: float32 }).view([2, 3]).index(1);
  const s = x.storage();
  const u = s.untyped();
  const h = torch.tensor([1, 2], { dtype: float16 }).storage();
  expect([
    s.length, s.size(), s.nbytes(), s.elementSize(), String(s.device), String(s.dtype), s.isShared(), s.isPinned(), s.isCuda,
    u.length, u.size(), u.nbytes(), u.elementSize(), String(u.device), u.isShared(), u.isPinned(), u.isCuda,
    h.size(), h.nbytes(), h.elementSize(), s.type(), u.type(), h.type(), s.pickleStorageType(), s.getDevice(),
    s.dataPtr() === x.dataPtr() - 12, u.dataPtr() === s.dataPtr(), s.tolist(), u.get('4:8').dataPtr() - u.dataPtr(),
    torch.tensor([]).storage().dataPtr() === 0,
  ]).toEqual(want);
  expect([...s]).toEqual(s.tolist());
  expect([...new torch.UntypedStorage([3, 4])]).toEqual([3, 4]);
});

test('reads and writes go through to the tensors on the storage (no copy)', () => {
  const want = runPython(`
base = torch.arange(8.)
x = base[2:5]
s = x.storage()
s[3] = 30; out = [x.tolist()]
s[-1] = 70; out.append(base.tolist())
s[0:2] = 9; out.append(base.tolist())
s[1:8:3] = -1; out.append(base.tolist())
s[4:6] = torch.tensor([4.5, 5.5]); out.append(base.tolist())
out.append([s[0], s[-2], s[7]])
s.fill_(2); out.append(x.tolist())
u = s.untyped(); u[3] = 64; u[7] = 300; out.append(base[:2].tolist())
v = u[8:12]; v[3] = 65; out.append(base[2].item())
u.fill_(0); out.append(base.tolist())
b = torch.tensor([True, False]); bs = b.storage(); bs[1] = True; out.append(b.tolist())
i = torch.tensor([1, 2, 3]); i.storage()[2] = 2**40; out.append(i.tolist())
result = out
`);
  const base = torch.arange(8, { dtype: float32 });
  const x = base.narrow(0, 2, 3);
  const s = x.storage();
  const out: unknown[] = [];
  s[3] = 30;
  out.push(x.tolist());
  s[-1] = 70;
  out.push(base.tolist());
  s.set('0:2', 9);
  out.push(base.tolist());
  s.set(torch.slice(1, 8, 3), -1);
  out.push(base.tolist());
  s.set('4:6', torch.tensor([4.5, 5.5]));
  out.push(base.tolist());
  out.push([s.get(0), s[-2], s.get(7)]);
  s.fill_(2);
  out.push(x.tolist());
  const u = s.untyped();
  u.set(3, 64);
  u[7] = 300;
  out.push(base.narrow(0, 0, 2).tolist());
  u.get('8:12').set(3, 65);
  out.push(base.index(2).item());
  u.fill_(0);
  out.push(base.tolist());
  const b = torch.tensor([true, false]);
  b.storage().set(1, true);
  out.push(b.tolist());
  const i = torch.tensor([1, 2, 3]);
  i.storage().set(2, 2 ** 40);
  out.push(i.tolist());
  expect(out).toEqual(want);
});

test('copy_, clone, resize_ and the casts', () => {
  const want = runPython(`
a = torch.tensor([1., 2.]).storage(); out = []
a.copy_(torch.tensor([3, 4], dtype=torch.int32).storage()); out.append(str(a))
a.untyped().copy_(torch.tensor([0, 0, 128, 63, 0, 0, 0, 64], dtype=torch.uint8).storage()); out.append(a.tolist())
c = a.clone(); c[0] = 5; out += [a.tolist(), c.tolist(), c.data_ptr() != a.data_ptr(), str(c.dtype)]
r = torch.tensor([1., 2., 3.]).storage(); r.resize_(5); out.append([r.size(), r.nbytes(), r.tolist()[:3]])
r.resize_(1); out.append(r.tolist())
u = torch.UntypedStorage([1, 2, 3]); u.resize_(2); out.append(u.tolist())
f = torch.tensor([1.5, -2.7, 0.0, 300.0])
s = f.storage()
out += [str(s.double()), str(s.int()), str(s.bool()), str(s.half()), str(s.byte()), str(s.char()), str(s.short()), str(s.long()),
        str(s.bfloat16()), str(s.complex_float()), str(s.complex_double()), str(s.float()), s.float().data_ptr() != s.data_ptr()]
out.append(str(torch.UntypedStorage([0, 1, 255]).float()))
out.append(str(s.cpu()) == str(s))
result = out
`);
  const out: unknown[] = [];
  const a = torch.tensor([1, 2], { dtype: float32 }).storage();
  a.copy_(torch.tensor([3, 4], { dtype: int32 }).storage());
  out.push(String(a));
  a.untyped().copy_(torch.tensor([0, 0, 128, 63, 0, 0, 0, 64], { dtype: uint8 }).storage());
  out.push(a.tolist());
  const c = a.clone();
  c.set(0, 5);
  out.push(a.tolist(), c.tolist(), c.dataPtr() !== a.dataPtr(), String(c.dtype));
  const r = torch.tensor([1, 2, 3], { dtype: float32 }).storage();
  r.resize_(5);
  out.push([r.size(), r.nbytes(), r.tolist().slice(0, 3)]);
  r.resize_(1);
  out.push(r.tolist());
  const u = new torch.UntypedStorage([1, 2, 3]);
  u.resize_(2);
  out.push(u.tolist());
  const s = torch.tensor([1.5, -2.7, 0, 300], { dtype: float32 }).storage();
  out.push(
    ...[s.double(), s.int(), s.bool(), s.half(), s.byte(), s.char(), s.short(), s.long(), s.bfloat16(), s.complexFloat(), s.complexDouble(), s.float()].map(String),
    s.float().dataPtr() !== s.dataPtr(),
  );
  out.push(String(new torch.UntypedStorage([0, 1, 255]).float()));
  out.push(String(s.cpu()) === String(s));
  expect(out).toEqual(want);
});

test('a resize shows in every tensor and storage object on the storage', () => {
  const x = torch.tensor([1, 2, 3], { dtype: float32 });
  const s1 = x.storage();
  const s2 = x._storage();
  s1.resize_(6);
  expect([s2.nbytes(), x.storage().size(), s1.tolist().slice(0, 3)]).toEqual([24, 6, [1, 2, 3]]);
  expect(s2.dataPtr()).toBe(s1.dataPtr());
  // a slice of the bytes is not resizable, as in Python
  expect(() => s2.get('0:4').resize_(8)).toThrow('Trying to resize storage that is not resizable');
});

test('x.set_(storage, offset, size, stride) views the storage, as Python', () => {
  const want = runPython(`
s = torch.tensor([1., 2., 3., 4.]).storage(); out = []
y = torch.tensor([0.]).set_(s); out.append(y.tolist())
y = torch.tensor([0.]).set_(s, 1, (2,), (2,)); out.append(y.tolist())
y = torch.tensor([0.]).set_(s, 1, (3,)); out.append(y.tolist()); y[0] = 20; out.append(s.tolist())
y = torch.tensor([0.]).set_(s.untyped()); out.append(y.tolist())
z = torch.tensor([0], dtype=torch.int32).set_(s.untyped(), 0, (2,), (1,)); out.append(z.tolist())
w = torch.tensor([0.]).set_(source=s, storage_offset=2, size=(2,)); out.append(w.tolist())
g = torch.tensor([0.]).set_(s, 0, (6,), (1,)); out.append(s.size())
result = out
`);
  const s = torch.tensor([1, 2, 3, 4], { dtype: float32 }).storage();
  const out: unknown[] = [];
  out.push(torch.tensor([0], { dtype: float32 }).set_(s).tolist());
  out.push(torch.tensor([0], { dtype: float32 }).set_(s, 1, [2], [2]).tolist());
  const y = torch.tensor([0], { dtype: float32 }).set_(s, 1, [3]);
  out.push(y.tolist());
  y.indexPut_([0], 20);
  out.push(s.tolist());
  out.push(torch.tensor([0], { dtype: float32 }).set_(s.untyped()).tolist());
  out.push(torch.tensor([0], { dtype: int32 }).set_(s.untyped(), 0, [2], [1]).tolist());
  out.push(torch.tensor([0], { dtype: float32 }).set_({ source: s, storageOffset: 2, size: [2] } as never).tolist());
  torch.tensor([0], { dtype: float32 }).set_(s, 0, [6], [1]);
  out.push(s.size());
  expect(out).toEqual(want);
});

test('a storage object outlives torch.tidy, as the tensors it views may', () => {
  const x = torch.arange(3, { dtype: float32 });
  const s = torch.tidy(() => x.storage());
  const u = torch.tidy(() => new torch.UntypedStorage([1, 2]).get('0:1'));
  s.set(0, 7);
  expect([x.tolist(), s.tolist(), u.tolist()]).toEqual([[7, 1, 2], [7, 1, 2], [1]]);
});
