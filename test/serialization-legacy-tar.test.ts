// torch.load of the tar format of torch < 0.4. PyTorch 1.13 still reads it but no longer writes it, so
// scripts/write-legacy-tar.py writes the files by the format; Python's own torch.load first reads each
// back to the intended values (so the file is a real tar-format file), then torch-node must load it to
// the same description (dtypes, shapes, strides, offsets, storage sharing, bytes).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { expectLoadRefused } from './helpers/load-errors';
import { PY_DESCRIBE, jsDescribe } from './fixtures/serialization/describe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-tar-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const WRITER = path.join(__dirname, '..', 'scripts', 'write-legacy-tar.py');

const PY_SETUP = `
${PY_DESCRIBE}
import os, runpy, tarfile, struct, pickle, io
W = runpy.run_path(${JSON.stringify(WRITER)})
StorageView = W['StorageView']
D = ${JSON.stringify(dir)}
DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
          torch.int8, torch.uint8, torch.bool, torch.complex64, torch.complex128]
def make_views():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    root = torch.arange(10, dtype=torch.float64)
    return {'base': base, 'row': base[1], 'col': base[:, 2], 't': base.t(), 'narrow': base[1:3, 2:5],
            'other': torch.arange(5, dtype=torch.int64)[1:], 'root': root,
            'on_view': StorageView(root[3:7], 2, 6), 'on_view_too': StorageView(root[2:8:2], 2, 6)}
def same(a, b):
    if isinstance(a, StorageView): a = a.tensor
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape and a.stride() == b.stride(), (a, b)
        assert torch.equal(a, b), (a, b)
    elif isinstance(a, dict):
        assert type(a) is type(b) and list(a) == list(b), (a, b)
        for k in a: same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), (a, b)
        for x, y in zip(a, b): same(x, y)
    else:
        assert type(a) is type(b) and a == b, (a, b)
`;

// name -> [Python expression (after torch.manual_seed(0)), save_tar keyword arguments]
const CASES: Record<string, [string, string]> = {
  state_dict: [`torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 2)).state_dict()`, ''],
  resnet18: [`__import__('torchvision').models.resnet18().state_dict()`, ''],
  dtypes: [`{str(d): (torch.randn(3, 4) * 100).to(d) for d in DTYPES}`, ''],
  views: [`make_views()`, ''],
  nested: [
    `{'epoch': 3, 'lr': 0.125, 'names': ['a', 'b'], 'pair': (1, (2.5, None)), 'flag': True, 'big': 2**70, 'neg': -5,
      'text': 'h\\u00e9llo', 10: 'int key', 'deep': [{'x': (torch.ones(2, 2), [torch.arange(3)])}]}`,
    '',
  ],
  scalars_and_empty: [`[torch.tensor(3.5), torch.zeros(0, 3), torch.tensor(7), torch.ones(2, 3)[:, 1:]]`, ''],
  // PyTorch ignores sys_info: storages are little-endian in the file on every machine
  big_endian_sys_info: [`{str(d): (torch.randn(5) * 100).to(d) for d in DTYPES}`, 'little_endian=False'],
  ustar: [`torch.nn.Linear(3, 2).state_dict()`, 'tar_format=tarfile.USTAR_FORMAT'],
  gnu: [`torch.nn.Linear(3, 2).state_dict()`, 'tar_format=tarfile.GNU_FORMAT'],
  cuda_location: [`{'w': torch.randn(2, 3), 'b': torch.arange(4)}`, "location='cuda:0'"],
};
const MAP_TO_CPU = new Set(['cuda_location']);

let described: Record<string, unknown>;
beforeAll(() => {
  described = runPython<Record<string, unknown>>(`
${PY_SETUP}
described = {}
for name, (expr, kwargs) in json.loads(${JSON.stringify(JSON.stringify(CASES))}).items():
    torch.manual_seed(0)
    obj = eval(expr)
    f = os.path.join(D, name + '.pt')
    eval('W["save_tar"](obj, f' + (', ' + kwargs if kwargs else '') + ')')
    with tarfile.open(f) as t:
        assert [m.name for m in t.getmembers()] == ['sys_info', 'pickle', 'tensors', 'storages']
    loaded = torch.load(f, map_location='cpu' if name == 'cuda_location' else None)
    same(obj, loaded)
    described[name] = describe(loaded)
result = described
`);
});

describe('Python reads the file back to the intended values -> torch-node loads it the same', () => {
  for (const name of Object.keys(CASES)) {
    const options = MAP_TO_CPU.has(name) ? { mapLocation: 'cpu' } : {};
    test(`${name}: path, sync and async`, async () => {
      const file = path.join(dir, `${name}.pt`);
      expect(jsDescribe(torch.loadSync(file, options))).toEqual(described[name]);
      expect(jsDescribe(await torch.load(file, options))).toEqual(described[name]);
    });
    test(`${name}: Buffer, sync and async`, async () => {
      const bytes = fs.readFileSync(path.join(dir, `${name}.pt`));
      expect(jsDescribe(torch.loadSync(bytes, options))).toEqual(described[name]);
      expect(jsDescribe(await torch.load(bytes, options))).toEqual(described[name]);
    });
  }
});

test('a state_dict is a null-prototype object in file order; tensors do not require grad', () => {
  const sd = torch.loadSync(path.join(dir, 'state_dict.pt')) as Record<string, torch.Tensor>;
  expect(Object.getPrototypeOf(sd)).toBeNull();
  expect(Object.keys(sd)).toEqual((described.state_dict as { dict: [string, unknown][] }).dict.map(([k]) => k));
  expect(Object.values(sd).every((t) => t instanceof torch.Tensor && !t.requiresGrad)).toBe(true);
});

test('a CUDA location needs mapLocation on a machine without CUDA, as in PyTorch', () => {
  if (torch.cuda.isAvailable()) return;
  expect(() => torch.loadSync(path.join(dir, 'cuda_location.pt'))).toThrow(/torch.cuda.is_available\(\) is False/);
});

test("tensors on a storage view alias their root's memory, as in PyTorch", () => {
  const want = runPython<number[][]>(`
${PY_SETUP}
v = torch.load(os.path.join(D, 'views.pt'))
v['root'].mul_(-1)
result = [v['on_view'].tolist(), v['on_view_too'].tolist()]
`);
  const v = torch.loadSync(path.join(dir, 'views.pt')) as Record<string, torch.Tensor>;
  v.root.mul_(-1);
  expect([v.on_view.tolist(), v.on_view_too.tolist()]).toEqual(want);
});

test('a bare storage loads as a TypedStorage of its elements, as in Python', () => {
  const f = path.join(dir, 'storage.pt');
  const want = runPython<number[]>(`
${PY_SETUP}
W['save_tar']({'s': torch.arange(5, dtype=torch.int16).storage()}, ${JSON.stringify(f)})
s = torch.load(${JSON.stringify(f)})['s']
assert isinstance(s, torch.storage.TypedStorage) and s.dtype == torch.int16
result = s.tolist()
`);
  const got = (torch.loadSync(f) as Record<string, torch.TypedStorage>).s;
  expect(got).toBeInstanceOf(torch.TypedStorage);
  expect(got.dtype).toBe(torch.int16);
  expect(got.tolist()).toEqual(want);
});

// ---- malformed files: each raises TorchError (sync, async, Buffer), never a crash or a hang ----------

// file name -> what the error must mention
const BAD: Record<string, RegExp> = {
  'truncated-header.pt': /truncated header at offset/,
  'member-past-end.pt': /member "storages" of \d+ bytes at offset \d+ runs past the end of the file/,
  'unknown-member.pt': /unexpected member "evil.py"/,
  'dotdot-member.pt': /unexpected member "..\/storages"/,
  'absolute-member.pt': /unexpected member "\/tmp\/storages"/,
  'missing-member.pt': /has no 'tensors' member/,
  'duplicate-member.pt': /duplicate member "pickle"/,
  'symlink-member.pt': /member "storages" is a symbolic link, not a regular file/,
  'bad-checksum.pt': /bad header checksum at offset 0/,
  'too-many-headers.pt': /more than 32 headers/,
  'bad-pax.pt': /malformed pax extended header/,
  'view-past-storage.pt': /needs 100 elements but its storage has 6/,
  'offset-past-storage.pt': /needs 9 elements but its storage has 6/,
  'negative-stride.pt': /negative stride -1/,
  'too-many-dims.pt': /1000 dimensions \(cap 64\)/,
  'negative-ndim.pt': /-1 dimensions/,
  'storage-count-huge.pt': /declares 1000000000000 storages but its \d+ bytes hold at most \d+/,
  'tensor-count-huge.pt': /declares 4294967296 tensors but its \d+ bytes hold at most \d+/,
  'storage-numel-lies.pt': /storage 11 \(1000000000000000 x float32\) needs 4000000000000000 bytes but member storages has \d+ left/,
  'storage-pickle-cut.pt': /member storages ends inside a pickle/,
  'tensors-cut.pt': /member tensors ends early/,
  'storage-key-twice.pt': /storage key 11 appears twice/,
  'storage-type-string.pt': /storage 11 names no storage type/,
  'view-outside-root.pt': /storage view 33 \[4, \+10\) lies outside its root of 6 elements/,
  'tensor-without-storage.pt': /tensor 22 names no saved storage \(null\)/,
  'unknown-pid.pt': /persistent id "999" names no saved tensor or storage/,
  'module-pid.pt': /holds a whole nn.Module/,
  'os-system-pickle.pt': /unsupported global posix\.system/,
  'os-system-tensor-type.pt': /unsupported global posix\.system/,
  'os-system-storage-type.pt': /unsupported global posix\.system/,
};

const PY_MAKE_BAD = `
${PY_SETUP}
FS, FT = torch.FloatStorage, torch.FloatTensor
DATA = struct.pack('<6f', *range(6))
class P:
    def __init__(self, pid): self.pid = pid
class R:
    def __init__(self, fn, args): self.fn, self.args = fn, args
    def __reduce__(self): return (self.fn, self.args)
def pickled(obj): return W['pickle_member'](obj, lambda o: o.pid if isinstance(o, P) else None)
PICKLE = pickled({'w': P('22')})
TENSORS = W['tensors_member']([(22, 11, FT, (6,), (1,), 0)])
STORAGES = W['storages_member']([(11, 'cpu', FS, 6, DATA)])
def members(pickle_=PICKLE, tensors=TENSORS, storages=STORAGES):
    return [('sys_info', W['sys_info_member']()), ('pickle', pickle_), ('tensors', tensors), ('storages', storages)]
def write(name, ms, **kw): W['write_tar'](os.path.join(D, name), ms, **kw)
def raw_tensors(count_pickle, ndim, rest=b''):
    return count_pickle + pickle.dumps((22, 11, FT), protocol=2) + struct.pack('<q', ndim) + rest

write('valid.pt', members())
valid = open(os.path.join(D, 'valid.pt'), 'rb').read()
with tarfile.open(os.path.join(D, 'valid.pt')) as t:
    ms = {m.name: m for m in t.getmembers()}
def cut(name, n): open(os.path.join(D, name), 'wb').write(valid[:n])
cut('truncated-header.pt', ms['pickle'].offset + 100)
cut('member-past-end.pt', ms['storages'].offset_data + 20)
write('unknown-member.pt', members() + [('evil.py', b'print(1)')])
def write_raw(name, ms, extra=None):
    # TarInfo names as given (gettarinfo would strip a leading '/')
    with tarfile.open(os.path.join(D, name), 'w', format=tarfile.PAX_FORMAT) as t:
        for member, data in ms:
            info = tarfile.TarInfo(member); info.size = len(data); t.addfile(info, io.BytesIO(data))
        if extra: t.addfile(extra)
write_raw('dotdot-member.pt', members()[:3] + [('../storages', STORAGES)])
write_raw('absolute-member.pt', members()[:3] + [('/tmp/storages', STORAGES)])
write('missing-member.pt', [m for m in members() if m[0] != 'tensors'])
write('duplicate-member.pt', members() + [('pickle', PICKLE)])
link = tarfile.TarInfo('storages'); link.type = tarfile.SYMTYPE; link.linkname = '/etc/passwd'
write_raw('symlink-member.pt', members()[:3], link)
flipped = bytearray(valid); flipped[3] ^= 0x01
open(os.path.join(D, 'bad-checksum.pt'), 'wb').write(bytes(flipped))
W['write_tar'](os.path.join(D, 'plain-ustar.tmp'), members(), tar_format=tarfile.USTAR_FORMAT)
plain = open(os.path.join(D, 'plain-ustar.tmp'), 'rb').read(); os.remove(os.path.join(D, 'plain-ustar.tmp'))
glob = tarfile.TarInfo('././@PaxHeader'); glob.type = tarfile.XGLTYPE
open(os.path.join(D, 'too-many-headers.pt'), 'wb').write(glob.tobuf(tarfile.USTAR_FORMAT) * 40 + plain)
garbage = b'garbage\\n'
pax = tarfile.TarInfo('././@PaxHeader'); pax.type = tarfile.XHDTYPE; pax.size = len(garbage)
open(os.path.join(D, 'bad-pax.pt'), 'wb').write(pax.tobuf(tarfile.USTAR_FORMAT) + garbage.ljust(512, b'\\0') + plain)
write('view-past-storage.pt', members(tensors=W['tensors_member']([(22, 11, FT, (100,), (1,), 0)])))
write('offset-past-storage.pt', members(tensors=W['tensors_member']([(22, 11, FT, (2, 2), (2, 1), 5)])))
write('negative-stride.pt', members(tensors=W['tensors_member']([(22, 11, FT, (3,), (-1,), 2)])))
write('too-many-dims.pt', members(tensors=raw_tensors(pickle.dumps(1, protocol=2), 1000, b'\\0' * 16008)))
write('negative-ndim.pt', members(tensors=raw_tensors(pickle.dumps(1, protocol=2), 2**32 - 1, b'\\0' * 8)))
write('storage-count-huge.pt', members(storages=pickle.dumps(10**12, protocol=2) + STORAGES[len(pickle.dumps(1, protocol=2)):]))
write('tensor-count-huge.pt', members(tensors=pickle.dumps(2**32, protocol=2) + TENSORS[len(pickle.dumps(1, protocol=2)):]))
write('storage-numel-lies.pt', members(storages=W['storages_member']([(11, 'cpu', FS, 10**15, DATA)])))
write('storage-pickle-cut.pt', members(storages=STORAGES[:len(pickle.dumps(1, protocol=2)) + 5]))
write('tensors-cut.pt', members(tensors=TENSORS[:-4]))
write('storage-key-twice.pt', members(storages=W['storages_member']([(11, 'cpu', FS, 6, DATA), (11, 'cpu', FS, 6, DATA)])))
write('storage-type-string.pt', members(storages=W['storages_member']([(11, 'cpu', 'FloatStorage', 6, DATA)])))
write('view-outside-root.pt', members(storages=W['storages_member']([(11, 'cpu', FS, 6, DATA)], [(33, 11, 4, 10)])))
write('tensor-without-storage.pt', members(tensors=W['tensors_member']([(22, None, FT, (6,), (1,), 0)])))
write('unknown-pid.pt', members(pickle_=pickled({'w': P('999')})))
write('module-pid.pt', members(pickle_=pickled({'m': P(('Net', 'net.py', 'class Net: ...'))})))
write('os-system-pickle.pt', members(pickle_=pickled({'w': R(os.system, ('echo pwned',))})))
write('os-system-tensor-type.pt', members(tensors=W['tensors_member']([(22, 11, os.system, (6,), (1,), 0)])))
write('os-system-storage-type.pt', members(storages=W['storages_member']([(11, 'cpu', os.system, 6, DATA)])))
result = {'made': sorted(os.listdir(D)), 'valid': torch.load(os.path.join(D, 'valid.pt'))['w'].tolist()}
`;

describe('malformed tar-format files', () => {
  let made: { made: string[]; valid: number[] };
  beforeAll(() => {
    made = runPython(PY_MAKE_BAD);
  });

  test('every file is made; the unaltered one loads here as in Python', () => {
    for (const name of [...Object.keys(BAD), 'valid.pt']) expect(made.made).toContain(name);
    expect((torch.loadSync(path.join(dir, 'valid.pt')) as Record<string, torch.Tensor>).w.tolist()).toEqual(made.valid);
  });

  for (const [name, message] of Object.entries(BAD)) {
    test(name, () => expectLoadRefused(path.join(dir, name), message));
  }
});
