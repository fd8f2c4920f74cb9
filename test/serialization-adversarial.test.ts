// Malformed and malicious files: each must raise TorchError quickly, never crash, hang, run code or
// allocate what the file merely declares. The files are made by Python in this run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { expectLoadRefused } from './helpers/load-errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-adv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// file name -> what the error must mention
const EXPECTED: Record<string, RegExp> = {
  'truncated-half.pt': /truncated|not a valid PyTorch zip|end of central directory/,
  'truncated-tail.pt': /end of central directory not found/,
  'cd-offset-past-end.pt': /central directory .* lies outside the file/,
  'local-header-offset-wrong.pt': /bad local header signature/,
  'record-offset-past-end.pt': /lies outside the file/,
  'cd-entry-count-lies.pt': /central directory entry \d+ is malformed/,
  'view-too-long.pt': /needs 100 elements but its storage has 6/,
  'negative-size.pt': /negative size -1/,
  'negative-stride.pt': /negative stride -1/,
  'huge-view.pt': /needs .* elements but its storage has 6/,
  'offset-past-end.pt': /needs 11 elements but its storage has 6/,
  'huge-storage.pt': /holds 24 bytes but its storage needs 4000000000000000/,
  'missing-record.pt': /no record data\/7/,
  'storage-declared-twice.pt': /declared twice/,
  'os-system.pt': /unsupported global posix\.system/,
  // protocol 2 writes Python 2 module names: __builtin__, commands
  'builtins-eval.pt': /unsupported global (__builtin__|builtins)\.eval/,
  'subprocess.pt': /unsupported global (commands|subprocess)\.check_output/,
  'torch-load-itself.pt': /unsupported global torch\.serialization\.load/,
  'not-storage-pid.pt': /only persistent_load of storage is allowed, but got module/,
  'deep-marks.pt': /nesting deeper than 10000/,
  'memo-missing.pt': /memo key 4294967295 not found/,
  'inst-opcode.pt': /unsupported pickle opcode 0x69/,
  'long4-huge.pt': /LONG4 of 2147483647 bytes/,
  'binunicode-huge.pt': /pickle data was truncated/,
  'reduce-on-dtype.pt': /REDUCE of something that is not an allowed callable/,
  'stack-underflow.pt': /stack underflow/,
  'append-to-tuple.pt': /can only append to lists, but got tuple/,
  'zip-bomb.pt': /would inflate to 209715200 bytes/,
  'deflate-garbage.pt': /does not inflate/,
  'duplicate-names.pt': /duplicate record name "archive\/data.pkl"/,
  'dotdot-path.pt': /record name "archive\/..\/..\/evil" leaves the archive/,
  'absolute-path.pt': /unsafe record name "\/etc\/evil"/,
  'no-data-pkl.pt': /has no data.pkl/,
  'bad-byteorder.pt': /unknown byteorder "middle"/,
  'garbage.pt': /not a file written by torch.save/,
  'empty.pt': /empty file/,
  'legacy-bad-magic.pt': /Invalid magic number/,
  'legacy-truncated.pt': /truncated/,
  'legacy-tar.pt': /has no 'storages' member/,
};

const PY_MAKE = `
import zipfile, pickle, io, os, subprocess, struct, tarfile
from collections import OrderedDict
D = ${JSON.stringify(dir)}
class P:
    def __init__(self, pid): self.pid = pid
class Pick(pickle.Pickler):
    def persistent_id(self, obj): return obj.pid if isinstance(obj, P) else None
class R:
    def __init__(self, fn, args): self.fn, self.args = fn, args
    def __reduce__(self): return (self.fn, self.args)
def dumps(obj):
    b = io.BytesIO(); Pick(b, protocol=2).dump(obj); return b.getvalue()
def write(name, data):
    open(os.path.join(D, name), 'wb').write(data)
def write_zip(name, records, compress=zipfile.ZIP_STORED):
    with zipfile.ZipFile(os.path.join(D, name), 'w') as z:
        for n, data in records:
            z.writestr(zipfile.ZipInfo(n), data, compress_type=compress)
def raw_pt(name, pkl, storages={'0': b'\\0' * 24}):
    write_zip(name, [('archive/data.pkl', pkl)] + [('archive/data/' + k, v) for k, v in storages.items()] + [('archive/version', b'3\\n')])
def pt(name, obj, **kw): raw_pt(name, dumps(obj), **kw)
def tensor(pid, offset, size, stride):
    return R(torch._utils._rebuild_tensor_v2, (P(pid), offset, size, stride, False, OrderedDict()))
FS = ('storage', torch.FloatStorage, '0', 'cpu', 6)

good = io.BytesIO(); torch.save({'w': torch.arange(6.)}, good); good = good.getvalue()
write('truncated-half.pt', good[:len(good) // 2])
write('truncated-tail.pt', good[:-10])
eocd = good.rfind(b'PK\\x05\\x06')
eocd64 = good.rfind(b'PK\\x06\\x06')  # torch always writes the zip64 end record; its fields rule
write('cd-offset-past-end.pt', good[:eocd64 + 48] + struct.pack('<Q', 10**9) + good[eocd64 + 56:])
cd = struct.unpack('<Q', good[eocd64 + 48:eocd64 + 56])[0]
write('local-header-offset-wrong.pt', good[:cd + 42] + struct.pack('<I', 1) + good[cd + 46:])
write('record-offset-past-end.pt', good[:cd + 42] + struct.pack('<I', 10**8) + good[cd + 46:])
write('cd-entry-count-lies.pt', good[:eocd64 + 24] + struct.pack('<QQ', 60000, 60000) + good[eocd64 + 40:])

pt('view-too-long.pt', tensor(FS, 0, (100,), (1,)))
pt('negative-size.pt', tensor(FS, 0, (-1,), (1,)))
pt('negative-stride.pt', tensor(FS, 5, (3,), (-1,)))
pt('huge-view.pt', tensor(FS, 0, (2**40, 2**40), (1, 1)))
pt('offset-past-end.pt', tensor(FS, 10, (1,), (1,)))
pt('huge-storage.pt', tensor(('storage', torch.FloatStorage, '0', 'cpu', 10**15), 0, (2,), (1,)))
pt('missing-record.pt', tensor(('storage', torch.FloatStorage, '7', 'cpu', 6), 0, (6,), (1,)))
pt('storage-declared-twice.pt', [tensor(FS, 0, (6,), (1,)), tensor(('storage', torch.LongStorage, '0', 'cpu', 3), 0, (3,), (1,))])
pt('os-system.pt', R(os.system, ('echo pwned',)))
pt('builtins-eval.pt', R(eval, ('1+1',)))
pt('subprocess.pt', R(subprocess.check_output, (['ls'],)))
pt('torch-load-itself.pt', R(torch.serialization.load, ('/etc/passwd',)))
pt('not-storage-pid.pt', P(('module', 'x', 'y')))
raw_pt('deep-marks.pt', b'\\x80\\x02' + b'(' * 200000 + b'.')
raw_pt('memo-missing.pt', b'\\x80\\x02j\\xff\\xff\\xff\\xff.')
raw_pt('inst-opcode.pt', b'\\x80\\x02(ios\\nsystem\\nX\\x02\\x00\\x00\\x00ls.')
raw_pt('long4-huge.pt', b'\\x80\\x02\\x8b\\xff\\xff\\xff\\x7f')
raw_pt('binunicode-huge.pt', b'\\x80\\x02X\\xff\\xff\\xff\\xff')
raw_pt('reduce-on-dtype.pt', b'\\x80\\x02ctorch\\nfloat32\\n)R.')
raw_pt('stack-underflow.pt', b'\\x80\\x02R.')
raw_pt('append-to-tuple.pt', b'\\x80\\x02)K\\x01a.')
write_zip('zip-bomb.pt', [('archive/data.pkl', b'\\0' * (200 * 2**20)), ('archive/version', b'3\\n')], zipfile.ZIP_DEFLATED)
with zipfile.ZipFile(os.path.join(D, 'deflate-garbage.pt'), 'w') as z:
    z.writestr('archive/data.pkl', b'x' * 1000, compress_type=zipfile.ZIP_DEFLATED)
data = bytearray(open(os.path.join(D, 'deflate-garbage.pt'), 'rb').read())
data[40:50] = b'\\xff' * 10
write('deflate-garbage.pt', bytes(data))
import warnings; warnings.simplefilter('ignore')
write_zip('duplicate-names.pt', [('archive/data.pkl', dumps(1)), ('archive/data.pkl', dumps(2))])
write_zip('dotdot-path.pt', [('archive/data.pkl', dumps(1)), ('archive/../../evil', b'x')])
write_zip('absolute-path.pt', [('archive/data.pkl', dumps(1)), ('/etc/evil', b'x')])
write_zip('no-data-pkl.pt', [('archive/version', b'3\\n')])
write_zip('bad-byteorder.pt', [('archive/data.pkl', dumps(1)), ('archive/byteorder', b'middle')])
write('garbage.pt', b'hello world' * 100)
write('empty.pt', b'')
write('legacy-bad-magic.pt', pickle.dumps(12345, protocol=2) + pickle.dumps(1001, protocol=2))
legacy = io.BytesIO(); torch.save({'w': torch.arange(6.)}, legacy, _use_new_zipfile_serialization=False)
write('legacy-truncated.pt', legacy.getvalue()[:-10])
with tarfile.open(os.path.join(D, 'legacy-tar.pt'), 'w') as t:
    info = tarfile.TarInfo('pickle'); info.size = 3; t.addfile(info, io.BytesIO(b'abc'))
result = sorted(os.listdir(D))
`;

let made: string[];
beforeAll(() => {
  made = runPython<string[]>(PY_MAKE);
});

test('at least 20 adversarial files, all made', () => {
  expect(made.sort()).toEqual(Object.keys(EXPECTED).sort());
  expect(made.length).toBeGreaterThanOrEqual(20);
});

describe('each raises TorchError (sync and async), nothing else', () => {
  for (const [name, message] of Object.entries(EXPECTED)) {
    test(name, () => expectLoadRefused(path.join(dir, name), message), 20000);
  }
});

test('memory stays bounded over all of them (no allocation of declared sizes)', async () => {
  const before = process.memoryUsage().rss;
  for (let round = 0; round < 3; round++) {
    for (const name of Object.keys(EXPECTED)) {
      try {
        await torch.load(path.join(dir, name));
      } catch {
        // expected
      }
    }
  }
  expect(process.memoryUsage().rss - before).toBeLessThan(300 * 2 ** 20);
});

test('the code a file asks for never runs', () => {
  const marker = path.join(dir, 'pwned');
  runPython(`
import pickle, io, zipfile
class E:
    def __reduce__(self): return (open, (${JSON.stringify(marker)}, 'w'))
b = io.BytesIO(); pickle.Pickler(b, protocol=2).dump(E())
with zipfile.ZipFile(${JSON.stringify(path.join(dir, 'open-file.pt'))}, 'w') as z: z.writestr('archive/data.pkl', b.getvalue())
result = 0`);
  expect(() => torch.loadSync(path.join(dir, 'open-file.pt'))).toThrow(/unsupported global (builtins|io)\.open/);
  expect(fs.existsSync(marker)).toBe(false);
  fs.rmSync(path.join(dir, 'open-file.pt'));
});

test('deeply nested lists (100000 levels, no MARKs) load without overflowing the stack', () => {
  const depth = 100000;
  const f = path.join(dir, 'deep-lists.pt');
  runPython(`
import zipfile
pkl = b'\\x80\\x02' + b']' * ${depth} + b'a' * ${depth - 1} + b'.'
with zipfile.ZipFile(${JSON.stringify(f)}, 'w') as z: z.writestr('archive/data.pkl', pkl)
result = 0`);
  let v = torch.loadSync(f) as unknown[];
  let levels = 1;
  while (v.length) {
    v = v[0] as unknown[];
    levels++;
  }
  expect(levels).toBe(depth);
  fs.rmSync(f);
});
