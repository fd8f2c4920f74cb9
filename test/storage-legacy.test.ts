// The legacy storage classes (torch.FloatStorage, ...), fromBuffer, and the errors of the storage
// API with Python's messages, against PyTorch 1.13.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';
import { native } from '../lib/native';

const { float32, float16, int16, uint8, complex64, complex128 } = torch;

test('the legacy classes: constructors, instanceof, storageType()', () => {
  const want = runPython(`
out = [torch.FloatStorage(3).size(), str(torch.FloatStorage().dtype), str(torch.LongStorage([1, 2])), str(torch.BoolStorage(2).dtype),
       isinstance(torch.tensor([1.]).storage(), torch.FloatStorage), isinstance(torch.tensor([1.]).storage(), torch.DoubleStorage),
       isinstance(torch.tensor([1.]).storage().untyped(), torch.FloatStorage),
       torch.tensor([1.]).storage_type().__name__, torch.tensor([1]).storage_type().__name__, torch.tensor([True]).storage_type().__name__,
       torch.tensor([1], dtype=torch.complex64).storage_type().__name__, str(torch.FloatStorage.dtype),
       torch.is_storage(torch.tensor([1.]).storage()), torch.is_storage(torch.UntypedStorage(2)), torch.is_storage(torch.tensor([1.])), torch.is_storage(3),
       str(torch.ByteStorage(wrap_storage=torch.UntypedStorage([5, 6]))), str(torch.TypedStorage(2, dtype=torch.int16).dtype), torch.TypedStorage(2, dtype=torch.int16).nbytes(),
       str(torch.TypedStorage().dtype), str(torch.tensor([1.]).storage().untyped().device)]
result = out
`);
  expect([
    new torch.FloatStorage(3).size(), String(new torch.FloatStorage().dtype), String(new torch.LongStorage([1, 2])), String(new torch.BoolStorage(2).dtype),
    torch.tensor([1], { dtype: float32 }).storage() instanceof torch.FloatStorage, torch.tensor([1], { dtype: float32 }).storage() instanceof torch.DoubleStorage,
    (torch.tensor([1], { dtype: float32 }).storage().untyped() as unknown) instanceof torch.FloatStorage,
    torch.tensor([1], { dtype: float32 }).storageType()!.name, torch.tensor([1]).storageType()!.name, torch.tensor([true]).storageType()!.name,
    torch.tensor([1], { dtype: complex64 }).storageType()!.name, String(torch.FloatStorage.dtype),
    torch.isStorage(torch.tensor([1], { dtype: float32 }).storage()), torch.isStorage(new torch.UntypedStorage(2)), torch.isStorage(torch.tensor([1])), torch.isStorage(3),
    String(new torch.ByteStorage({ wrapStorage: new torch.UntypedStorage([5, 6]) })), String(new torch.TypedStorage(2, { dtype: int16 }).dtype), new torch.TypedStorage(2, { dtype: int16 }).nbytes(),
    String(new torch.TypedStorage().dtype), String(torch.tensor([1], { dtype: float32 }).storage().untyped().device),
  ]).toEqual(want);
  expect(new torch.FloatStorage(2)).toBeInstanceOf(torch.TypedStorage);
  expect(torch.quantizePerTensor(torch.tensor([1], { dtype: float32 }), 0.5, 0, torch.qint8).storageType()).toBe(torch.QInt8Storage);
  expect(torch.tensor([1], { dtype: complex128 }).storageType()).toBe(torch.ComplexDoubleStorage);
});

describe("errors, with Python's messages", () => {
  const prelude = `s = torch.tensor([1., 2., 3.]).storage(); u = torch.UntypedStorage(4)
def setitem(o, k, v): o[k] = v`;
  const s = () => torch.tensor([1, 2, 3], { dtype: float32 }).storage();
  const u = () => new torch.UntypedStorage(4);
  errorTable(
    [
      ['s[10]', () => s().get(10)],
      ['s[-10]', () => s().get(-10)],
      ['s[1:2]', () => s().get('1:2')],
      ["s['a']", () => s().get('a')],
      ['setitem(s, 10, 1)', () => s().set(10, 1)],
      ["setitem(s, 'a', 1)", () => s().set('a', 1)],
      ['setitem(s, 0, s)', () => s().set(0, s() as never)],
      ['u[100]', () => u().get(100)],
      ['u[-100]', () => u().get(-100)],
      ["u['a']", () => u().get('a')],
      ['u[1.5]', () => u().get(1.5)],
      ['u[0:4:2]', () => u().get('0:4:2')],
      ["setitem(u, 'a', 1)", () => u().set('a', 1)],
      ['s.copy_(torch.tensor([1.]).storage())', () => s().copy_(torch.tensor([1], { dtype: float32 }).storage())],
      ['u.copy_(torch.UntypedStorage(3))', () => u().copy_(new torch.UntypedStorage(3))],
      ['torch.tensor([1]).set_(s)', () => torch.tensor([1]).set_(s())],
      ['torch.tensor([1], dtype=torch.float16).set_(torch.tensor([1], dtype=torch.bool).storage())', () => torch.tensor([1], { dtype: float16 }).set_(torch.tensor([true]).storage())],
      ['torch.tensor([1.], dtype=torch.complex64).set_(torch.tensor([1], dtype=torch.uint8).storage())', () => torch.tensor([1], { dtype: complex64 }).set_(torch.tensor([1], { dtype: uint8 }).storage())],
      ["torch.FloatStorage('a')", () => new torch.FloatStorage('a' as never)],
      ['torch.FloatStorage(2, device="cpu")', () => new (torch.FloatStorage as unknown as new (...a: unknown[]) => unknown)(2, { device: 'cpu' })],
      ['torch.FloatStorage(wrap_storage=torch.UntypedStorage(2), dtype=torch.float32)', () => new torch.FloatStorage({ wrapStorage: new torch.UntypedStorage(2), dtype: float32 } as never)],
      ['torch.FloatStorage(wrap_storage=s)', () => new torch.FloatStorage({ wrapStorage: s() as never })],
      ['torch.TypedStorage(wrap_storage=u)', () => new torch.TypedStorage(undefined, { wrapStorage: u() })],
      ['torch.TypedStorage(3, wrap_storage=u, dtype=torch.float32)', () => new torch.TypedStorage(3, { wrapStorage: u(), dtype: float32 })],
      ['torch.TypedStorage(wrap_storage=u, dtype=torch.float32, device="cpu")', () => new torch.TypedStorage(undefined, { wrapStorage: u(), dtype: float32, device: 'cpu' })],
      ["torch.UntypedStorage('a')", () => new torch.UntypedStorage('a' as never)],
      ['torch.UntypedStorage(1.5)', () => new torch.UntypedStorage(1.5)],
      ['torch.UntypedStorage([1.5])', () => new torch.UntypedStorage([1.5])],
      ["torch.TypedStorage('a', dtype=torch.float32)", () => new torch.TypedStorage('a' as never, { dtype: float32 })],
      ['torch.tensor([1., 0.]).to_sparse().storage()', () => torch.tensor([1, 0], { dtype: float32 }).toSparse().storage()],
    ],
    { prelude },
  );
});

test('fromBuffer: a copy of the bytes read as the dtype, in either byte order', () => {
  const want = runPython(`
out = [str(torch.ByteStorage.from_buffer(b'abc')), str(torch.FloatStorage.from_buffer(b'\\x00\\x00\\x80\\x3f', 'little')),
       str(torch.FloatStorage.from_buffer(b'\\x3f\\x80\\x00\\x00', 'big')), str(torch.FloatStorage.from_buffer(b'\\x3f\\x80\\x00\\x00\\x00\\x00\\x80\\x3f', 'little', 1, 4)),
       str(torch.UntypedStorage.from_buffer(b'ab', dtype=torch.uint8)), str(torch.TypedStorage.from_buffer(b'\\x00\\x3c', 'little', dtype=torch.float16)),
       str(torch.BoolStorage.from_buffer(b'\\x00\\x05', 'native')), str(torch.CharStorage.from_buffer(b'\\x00\\xff')), str(torch.ShortStorage.from_buffer(b'\\x00\\xff', 'big')),
       str(torch.ComplexFloatStorage.from_buffer(b'\\x3f\\x80\\x00\\x00\\x40\\x00\\x00\\x00', 'big')), str(torch.ByteStorage.from_buffer(b'ab', 'little', 0)),
       str(torch.TypedStorage.from_buffer(b'\\x00\\x00\\x80\\x3f', byte_order='little'))]
result = out
`);
  const b = (...bytes: number[]) => Uint8Array.from(bytes);
  const got = [
    torch.ByteStorage.fromBuffer(Buffer.from('abc')), torch.FloatStorage.fromBuffer(b(0, 0, 0x80, 0x3f), 'little'),
    torch.FloatStorage.fromBuffer(b(0x3f, 0x80, 0, 0), 'big'), torch.FloatStorage.fromBuffer(b(0x3f, 0x80, 0, 0, 0, 0, 0x80, 0x3f), 'little', 1, 4),
    torch.UntypedStorage.fromBuffer(Buffer.from('ab'), { dtype: uint8 }), torch.TypedStorage.fromBuffer(b(0, 0x3c), 'little', { dtype: float16 }),
    torch.BoolStorage.fromBuffer(b(0, 5), 'native'), torch.CharStorage.fromBuffer(b(0, 0xff)), torch.ShortStorage.fromBuffer(b(0, 0xff), 'big'),
    torch.ComplexFloatStorage.fromBuffer(b(0x3f, 0x80, 0, 0, 0x40, 0, 0, 0), 'big'), torch.ByteStorage.fromBuffer(Buffer.from('ab'), 'little', 0),
    torch.TypedStorage.fromBuffer(b(0, 0, 0x80, 0x3f).buffer, { byteOrder: 'little' }),
  ].map(String);
  expect(got).toEqual(want);
  // a copy: later changes to the buffer do not reach the storage
  const src = b(1, 2);
  const s = torch.ByteStorage.fromBuffer(src);
  src[0] = 9;
  expect(s.tolist()).toEqual([1, 2]);
});

describe("fromBuffer errors, with Python's messages", () => {
  errorTable([
    ["torch.FloatStorage.from_buffer(b'\\x00\\x00\\x80\\x3f')", () => torch.FloatStorage.fromBuffer(Uint8Array.from([0, 0, 0x80, 0x3f]))],
    ["torch.FloatStorage.from_buffer(b'\\x00\\x00\\x80\\x3f\\x00', 'big')", () => torch.FloatStorage.fromBuffer(Uint8Array.from([0, 0, 0x80, 0x3f, 0]), 'big')],
    ["torch.FloatStorage.from_buffer(b'\\x00\\x00\\x80\\x3f', 'middle')", () => torch.FloatStorage.fromBuffer(Uint8Array.from([0, 0, 0x80, 0x3f]), 'middle' as never)],
    ["torch.FloatStorage.from_buffer(b'\\x00\\x00\\x80\\x3f', 'big', 2)", () => torch.FloatStorage.fromBuffer(Uint8Array.from([0, 0, 0x80, 0x3f]), 'big', 2)],
    ["torch.ByteStorage.from_buffer(b'ab', 'little', 1, 5)", () => torch.ByteStorage.fromBuffer(Buffer.from('ab'), 'little', 1, 5)],
    ["torch.UntypedStorage.from_buffer(b'ab')", () => torch.UntypedStorage.fromBuffer(Buffer.from('ab'))],
    ["torch.QInt8Storage.from_buffer(b'ab', 'big')", () => torch.QInt8Storage.fromBuffer(Buffer.from('ab'), 'big')],
    ["torch.ByteStorage.from_buffer(b'ab', dtype=torch.uint8)", () => torch.ByteStorage.fromBuffer(Buffer.from('ab'), { dtype: uint8 } as never)],
  ]);
});

// Python's oracle here is a CPU-only build, whose pin_memory raises; a CUDA build pins instead
(native.cudaIsBuilt() ? test.skip : test)('pinMemory on a CPU-only build raises as Python does', () => {
  const want = runPython<string>('result = err(lambda: torch.tensor([1.]).storage().pin_memory())');
  expect(() => torch.tensor([1], { dtype: float32 }).storage().pinMemory()).toThrow(want);
  expect(() => new torch.UntypedStorage(2).pinMemory()).toThrow(want);
});

test('the CUDA legacy classes name CUDA storages', () => {
  const cudaClasses = require('../lib/tensor/storage/cuda-classes') as typeof import('../lib/tensor/storage/cuda-classes');
  expect(String(cudaClasses.FloatStorage)).toBe("<class 'torch.cuda.FloatStorage'>");
  expect(torch.tensor([1], { dtype: float32 }).storage() instanceof cudaClasses.FloatStorage).toBe(false);
  expect(torch.FloatStorage.dtype).toBe(cudaClasses.FloatStorage.dtype);
  if (torch.cuda.isAvailable()) {
    const s = torch.tensor([1, 2], { dtype: float32 }).storage().cuda();
    expect([s instanceof cudaClasses.FloatStorage, s.type(), s.tolist(), s.cpu().tolist()]).toEqual([true, 'torch.cuda.FloatStorage', [1, 2], [1, 2]]);
    expect(String(s)).toBe(String(s.cpu()).replace('device=cpu', 'device=cuda:0'));
  }
});

test("a negative size fails with the end of Python's message (its C++ assertion's location left out)", () => {
  const want = runPython<string>('result = err(lambda: torch.UntypedStorage(-1))');
  let got = '';
  try {
    new torch.UntypedStorage(-1);
  } catch (e) {
    got = (e as Error).message;
  }
  expect(got.length).toBeGreaterThan(0);
  expect(want.endsWith(got)).toBe(true);
});

describe('the legacy tensor constructors over a storage share its memory: torch.Tensor(s), torch.FloatTensor(s)', () => {
  const want = runPython<unknown[]>(`
s = torch.arange(4.).storage()
t = torch.Tensor(s); t[0] = 9
u = s.untyped()
result = [t.tolist(), s[0], torch.FloatTensor(s).data_ptr() == t.data_ptr(), list(torch.ByteTensor(u).shape), torch.FloatTensor(u).tolist(), list(torch.Tensor(u).shape)]
`);
  test('values, shapes and aliasing as Python', () => {
    const s = torch.arange(4, { dtype: float32 }).storage();
    const t = torch.Tensor(s);
    t.indexPut_([torch.tensor([0])], 9);
    const u = s.untyped();
    expect([t.tolist(), s.get(0), torch.FloatTensor(s).dataPtr() === t.dataPtr(), torch.ByteTensor(u).shape, torch.FloatTensor(u).tolist(), torch.Tensor(u).shape]).toEqual(want);
  });
  const s = torch.arange(4, { dtype: float32 }).storage();
  errorTable(
    [
      ['torch.DoubleTensor(s)', () => torch.DoubleTensor(s)],
      ['torch.Tensor(torch.arange(4, dtype=torch.int32).storage())', () => torch.Tensor(torch.arange(4, { dtype: torch.int32 }).storage())],
    ],
    { prelude: 's = torch.arange(4.).storage()' },
  );
});
