// Storage extras against PyTorch 1.13: type(cls) conversions of both storage kinds, share_memory_ /
// is_shared, and from_file (a file mapped into memory: shared writes reach the file, private ones do
// not). Each scenario runs here and in Python on the same inputs; the results must be the same.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

/** A storage as [type(), tolist()]; the same Python code reads `[x.type(), x.tolist()]`. */
function described(x: unknown): unknown {
  const s = x as torch.TypedStorage | torch.UntypedStorage;
  return [s.type(), s.tolist()];
}

/** [type(), tolist()] of what f returns, or the message of the TorchError it raises. */
function outcome(f: () => unknown): unknown {
  let result: unknown;
  const message = messageOf(() => {
    result = f();
  });
  return message === 'no error' ? described(result) : message;
}

describe('type(cls): a storage as another storage class', () => {
  const f32 = () => new torch.TypedStorage([1.5, 2, 3], { dtype: torch.float32 });
  const u8 = () => new torch.TypedStorage([1, 2], { dtype: torch.uint8 });
  const raw = () => new torch.UntypedStorage([1, 2, 3, 250]);
  const cases: [string, () => unknown][] = [
    ["f32.type('torch.DoubleStorage')", () => f32().type('torch.DoubleStorage')],
    ["f32.type('torch.ByteStorage')", () => f32().type('torch.ByteStorage')],
    ['f32.type(torch.CharStorage)', () => f32().type(torch.CharStorage)],
    ['f32.type(torch.UntypedStorage)', () => f32().type(torch.UntypedStorage)],
    ["f32.type('torch.storage.UntypedStorage')", () => f32().type('torch.storage.UntypedStorage')],
    ["f32.type('torch.FloatStorage')", () => f32().type('torch.FloatStorage')],
    ["f32.type('torch.FloatTensor')", () => f32().type('torch.FloatTensor')],
    ["f32.type('bogus')", () => f32().type('bogus')],
    ["f32.type('torch.Bogus')", () => f32().type('torch.Bogus')],
    ["u8.type('torch.CharStorage')", () => u8().type('torch.CharStorage')],
    ["u8.type('torch.BoolStorage')", () => u8().type('torch.BoolStorage')],
    ['u8.type(torch.TypedStorage)', () => u8().type(torch.TypedStorage)],
    ["raw.type('torch.ByteStorage')", () => raw().type('torch.ByteStorage')],
    ["raw.type('torch.CharStorage')", () => raw().type('torch.CharStorage')],
    ["raw.type('torch.FloatStorage')", () => raw().type('torch.FloatStorage')],
    ["raw.type('torch.UntypedStorage')", () => raw().type('torch.UntypedStorage')],
    ['torch.TypedStorage(0).type(torch.TypedStorage)', () => new torch.TypedStorage(0).type(torch.TypedStorage)],
  ];
  const want = runPython<unknown[]>(`
f32 = lambda: torch.TypedStorage([1.5, 2, 3], dtype=torch.float32)
u8 = lambda: torch.TypedStorage([1, 2], dtype=torch.uint8)
raw = lambda: torch.UntypedStorage([1, 2, 3, 250])
def outcome(code):
    try:
        x = eval(code.replace('f32.', 'f32().').replace('u8.', 'u8().').replace('raw.', 'raw().'))
        return [x.type(), x.tolist()]
    except Exception as e:
        return str(e)
result = [outcome(c) for c, in ${JSON.stringify(cases.map((c) => [c[0]]))}]
`);
  cases.forEach(([code, run], i) =>
    test(code, () => {
      expect(outcome(run)).toEqual(want[i]);
    }),
  );

  test('the same class gives the storage itself; another one a copy', () => {
    const want = runPython(`
u = torch.UntypedStorage([1, 2, 3]); t = torch.TypedStorage([1, 2], dtype=torch.uint8)
c = u.type('torch.ByteStorage'); c[0] = 9
result = [u.type(torch.UntypedStorage) is u, t.type(torch.UntypedStorage) is t._storage, u.tolist(), c.tolist()]
`);
    const u = new torch.UntypedStorage([1, 2, 3]);
    const t = new torch.TypedStorage([1, 2], { dtype: torch.uint8 });
    const c = u.type('torch.ByteStorage') as torch.TypedStorage;
    c.set(0, 9);
    expect([u.type(torch.UntypedStorage) === u, t.type(torch.UntypedStorage) === t.untyped(), u.tolist(), c.tolist()]).toEqual(want);
  });
});

describe('share_memory_ and is_shared', () => {
  test('a CPU storage moves into shared memory; its tensors follow; it cannot be resized', () => {
    const want = runPython(`
x = torch.arange(4.)
s = x.storage()
before = [s.is_shared(), s.untyped().is_shared()]
same = s.share_memory_() is s
x[1] = 7
result = before + [same, s.is_shared(), s.untyped().is_shared(), s.tolist(), x.tolist(), s.share_memory_() is s,
                   err(lambda: s.resize_(10)), err(lambda: s.untyped().resize_(3)), s.nbytes()]
`);
    const x = torch.arange(4, { dtype: torch.float32 });
    const s = x.storage();
    const before = [s.isShared(), s.untyped().isShared()];
    const same = s.shareMemory_() === s;
    x.index(1).fill_(7);
    expect([
      ...before, same, s.isShared(), s.untyped().isShared(), s.tolist(), x.tolist(), s.shareMemory_() === s,
      messageOf(() => s.resize_(10)), messageOf(() => s.untyped().resize_(3)), s.nbytes(),
    ]).toEqual(want);
  });

  test('untyped and empty storages, and writes through the storage after sharing', () => {
    const want = runPython(`
u = torch.UntypedStorage([1, 2, 3]); e = torch.UntypedStorage(0); t = torch.TypedStorage([1, 2, 3], dtype=torch.int16)
r = [u.share_memory_() is u, u.is_shared(), u.tolist(), e.share_memory_().is_shared(), e.nbytes(), t.share_memory_().is_shared()]
u[0] = 200; t[2] = -5
result = r + [u.tolist(), t.tolist(), torch.UntypedStorage(2).is_shared(), torch.UntypedStorage([1, 2, 3])[0:2].is_shared()]
`);
    const u = new torch.UntypedStorage([1, 2, 3]);
    const e = new torch.UntypedStorage(0);
    const t = new torch.TypedStorage([1, 2, 3], { dtype: torch.int16 });
    const r = [u.shareMemory_() === u, u.isShared(), u.tolist(), e.shareMemory_().isShared(), e.nbytes(), t.shareMemory_().isShared()];
    u.set(0, 200);
    t.set(2, -5);
    expect([...r, u.tolist(), t.tolist(), new torch.UntypedStorage(2).isShared(), new torch.UntypedStorage([1, 2, 3]).get('0:2').isShared()]).toEqual(want);
  });
});

describe('from_file: a file mapped into memory', () => {
  /** Runs the same steps in JS and then in Python over the same file names; both lists must match. */
  test('shared writes reach the file, private ones do not; sizes and errors as Python', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-extras-'));
    const file = path.join(dir, 'data.bin');
    const missing = path.join(dir, 'missing', 'x.bin');
    const bytes = () => Array.from(fs.readFileSync(file));
    const js: unknown[] = [];
    js.push(messageOf(() => torch.FloatStorage.fromFile(file, false, 3)));
    const a = torch.FloatStorage.fromFile(file, true, 3);
    js.push(String(a), a.isShared(), a.type(), fs.statSync(file).size);
    a.set(0, 5);
    js.push(bytes());
    const b = torch.FloatStorage.fromFile(file, false, 3);
    js.push(b.tolist(), b.isShared());
    b.set(1, 7);
    js.push(b.tolist(), bytes());
    js.push(torch.UntypedStorage.fromFile(file, false, 12).tolist());
    js.push(messageOf(() => torch.UntypedStorage.fromFile(file, false, 16)));
    const grown = torch.UntypedStorage.fromFile(file, true, 16);
    js.push(grown.nbytes(), fs.statSync(file).size, grown.isShared());
    js.push(torch.UntypedStorage.fromFile(file).nbytes(), torch.UntypedStorage.fromFile(file, { shared: true }).nbytes());
    js.push(torch.UntypedStorage.fromFile(file, { shared: false, nbytes: 2 }).tolist());
    js.push(torch.IntStorage.fromFile(file, { shared: false, size: 2 }).tolist());
    js.push(messageOf(() => torch.FloatStorage.fromFile(file, true, 3).resize_(4)));
    js.push(messageOf(() => (torch.FloatStorage.fromFile as unknown as (f: string) => unknown)(file)));
    js.push(messageOf(() => (torch.FloatStorage.fromFile as unknown as (f: string, s: boolean) => unknown)(file, true)));
    js.push(messageOf(() => torch.UntypedStorage.fromFile(missing, true, 2)));
    fs.rmSync(file);

    const py = runPython(`
import os
file, missing = ${JSON.stringify(file)}, ${JSON.stringify(missing)}
data = lambda: list(open(file, 'rb').read())
out = [err(lambda: torch.FloatStorage.from_file(file, False, 3))]
a = torch.FloatStorage.from_file(file, True, 3)
out += [str(a), a.is_shared(), a.type(), os.path.getsize(file)]
a[0] = 5
out.append(data())
b = torch.FloatStorage.from_file(file, False, 3)
out += [b.tolist(), b.is_shared()]
b[1] = 7
out += [b.tolist(), data()]
out.append(torch.UntypedStorage.from_file(file, False, 12).tolist())
out.append(err(lambda: torch.UntypedStorage.from_file(file, False, 16)))
grown = torch.UntypedStorage.from_file(file, True, 16)
out += [grown.nbytes(), os.path.getsize(file), grown.is_shared()]
out += [torch.UntypedStorage.from_file(file).nbytes(), torch.UntypedStorage.from_file(file, shared=True).nbytes()]
out.append(torch.UntypedStorage.from_file(file, shared=False, nbytes=2).tolist())
out.append(torch.IntStorage.from_file(file, shared=False, size=2).tolist())
out.append(err(lambda: torch.FloatStorage.from_file(file, True, 3).resize_(4)))
out.append(err(lambda: torch.FloatStorage.from_file(file)))
out.append(err(lambda: torch.FloatStorage.from_file(file, True)))
out.append(err(lambda: torch.UntypedStorage.from_file(missing, True, 2)))
os.remove(file)
result = out
`);
    fs.rmSync(dir, { recursive: true });
    expect(js).toEqual(py);
  });
});
