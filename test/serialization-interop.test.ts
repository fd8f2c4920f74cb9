// torch.save / torch.load against real PyTorch in the same run: Python saves (zip and legacy
// formats) -> loads here byte-exact; here saves -> Python torch.load(weights_only=True) byte-exact.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { PY_DESCRIBE, jsDescribe } from './fixtures/serialization/describe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-ser-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// name -> Python expression building the object (torch.manual_seed(0) before each)
const CASES: Record<string, string> = {
  sequential: `torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 2)).state_dict()`,
  resnet18: `__import__('torchvision').models.resnet18().state_dict()`,
  optimizer: `make_optimizer_state()`,
  checkpoint: `{'epoch': 7, 'loss': 0.125, 'model': torch.nn.Linear(3, 2).state_dict(), 'optimizer': make_optimizer_state(),
    'nested': {'history': [1.5, 2.5], 'best': (3, 'x', None, True), 10: 'int key', 'big': 2**70, 'dtype': torch.float16}}`,
  dtypes: `{str(d): (torch.randn(3, 4) * 100).to(d) for d in [torch.float32, torch.float64, torch.float16, torch.bfloat16,
    torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool, torch.complex64, torch.complex128]}`,
  views: `make_views()`,
  scalars_and_empty: `[torch.tensor(3.5), torch.zeros(0, 3), torch.tensor(7, dtype=torch.int64), torch.ones(2, 3).requires_grad_()]`,
};

const PY_SETUP = `
${PY_DESCRIBE}
import os, torchvision
def make_optimizer_state():
    torch.manual_seed(1)
    m = torch.nn.Linear(3, 2)
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    m(torch.randn(4, 3)).sum().backward()
    opt.step()
    return opt.state_dict()
def make_views():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    return {'base': base, 'row': base[1], 'col': base[:, 2], 't': base.t(), 'narrow': base[1:3, 2:5], 'flat': base.view(-1),
            'other': torch.arange(5, dtype=torch.int64)[1:], 'again': base}
`;

interface PyOut {
  described: Record<string, unknown>;
}

let python: PyOut;
beforeAll(() => {
  python = runPython<PyOut>(`
${PY_SETUP}
described = {}
for name, expr in json.loads(${JSON.stringify(JSON.stringify(CASES))}).items():
    torch.manual_seed(0)
    obj = eval(expr)
    torch.save(obj, os.path.join(${JSON.stringify(dir)}, name + '.pt'))
    torch.save(obj, os.path.join(${JSON.stringify(dir)}, name + '.legacy.pt'), _use_new_zipfile_serialization=False)
    described[name] = describe(obj)
result = {'described': described}
`);
});

describe('Python saves -> torch-node loads, byte-exact', () => {
  for (const name of Object.keys(CASES)) {
    test(`${name} (zip format, async load)`, async () => {
      const obj = await torch.load(path.join(dir, `${name}.pt`));
      expect(jsDescribe(obj)).toEqual(python.described[name]);
    });
    test(`${name} (legacy format, sync load)`, () => {
      const obj = torch.loadSync(path.join(dir, `${name}.legacy.pt`));
      expect(jsDescribe(obj)).toEqual(python.described[name]);
    });
  }

  test('a Buffer loads like the file', () => {
    const obj = torch.loadSync(fs.readFileSync(path.join(dir, 'views.pt')));
    expect(jsDescribe(obj)).toEqual(python.described.views);
  });

  test('dicts with string keys are null-prototype objects in order; others are Maps; tuples are arrays', () => {
    const ck = torch.loadSync(path.join(dir, 'checkpoint.pt')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(ck)).toBeNull();
    expect(Object.keys(ck)).toEqual(['epoch', 'loss', 'model', 'optimizer', 'nested']);
    expect(ck.epoch).toBe(7);
    expect(ck.loss).toBe(0.125);
    const nested = ck.nested as Map<unknown, unknown>;
    expect(nested).toBeInstanceOf(Map);
    expect(nested.get(10)).toBe('int key');
    expect(nested.get('best')).toEqual([3, 'x', null, true]);
    expect(nested.get('big')).toBe(2n ** 70n);
    expect(nested.get('dtype')).toBe(torch.float16);
    const opt = ck.optimizer as { state: Map<number, unknown>; param_groups: unknown[] };
    expect(opt.state).toBeInstanceOf(Map);
    expect([...opt.state.keys()]).toEqual([0, 1]);
  });

  test('views keep sharing their storage after loading (a write shows through)', () => {
    const v = torch.loadSync(path.join(dir, 'views.pt')) as Record<string, torch.Tensor>;
    v.base.fill_(-1);
    expect(v.row.tolist()).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(v.again).toBe(v.base);
  });

  test('mapLocation forms', () => {
    for (const mapLocation of ['cpu', torch.device('cpu'), { cpu: 'cpu' }, (loc: string) => loc]) {
      const v = torch.loadSync(path.join(dir, 'views.pt'), { mapLocation }) as Record<string, torch.Tensor>;
      expect(String(v.base.device)).toBe('cpu');
    }
    expect(() => torch.loadSync(path.join(dir, 'views.pt'), { mapLocation: 'cuda' })).toThrow(
      torch.cuda.isAvailable() ? /^$/ : /CUDA device but torch.cuda.is_available\(\) is False/,
    );
  });
});

describe('torch-node saves -> Python loads (weights_only=True), byte-exact', () => {
  // Python 1.13's weights_only unpickler has no BINFLOAT opcode: objects holding Python floats
  // (optimizer hyper-parameters, a loss) cannot load with weights_only=True in 1.13 even when
  // Python itself wrote them. Those are checked to fail exactly so, then loaded plainly.
  const PY_LOAD = `
${PY_DESCRIBE}
out = {}
for name, f in json.loads(files).items():
    try:
        obj = torch.load(f, weights_only=True); mode = 'weights_only'
    except Exception as e:
        if 'Unsupported operand 71' not in str(e): raise
        obj = torch.load(f); mode = 'floats'
    out[name] = {'mode': mode, 'described': describe(obj)}
result = out
`;

  test('every Python-made object, loaded here and saved back, loads in Python identically', async () => {
    const files: Record<string, string> = {};
    for (const name of Object.keys(CASES)) {
      const obj = await torch.load(path.join(dir, `${name}.pt`));
      files[name] = path.join(dir, `${name}.node.pt`);
      if (name === 'resnet18') await torch.save(obj, files[name]);
      else torch.saveSync(obj, files[name]);
    }
    const back = runPython<Record<string, { mode: string; described: unknown }>>(`files = ${JSON.stringify(JSON.stringify(files))}\n${PY_LOAD}`);
    for (const name of Object.keys(CASES)) {
      expect([name, back[name].described]).toEqual([name, python.described[name]]);
      const hasFloats = name === 'optimizer' || name === 'checkpoint';
      expect([name, back[name].mode]).toEqual([name, hasFloats ? 'floats' : 'weights_only']);
    }
  });

  test('objects made here: views sharing storage, every dtype, zip64 fields', () => {
    const base = torch.arange(24).reshape(4, 6).float();
    const made = {
      base,
      row: base.select(0, 2),
      t: base.t(),
      narrow: base.narrow(1, 1, 3),
      dtypes: ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'complex64', 'complex128'].map((d) =>
        torch.randn(2, 3).mul(50).to(d as torch.DTypeName),
      ),
      ints: [0, 255, 256, 65536, -1, -(2 ** 31), 2 ** 31, 2 ** 40, -(2 ** 52)],
      map: new Map<unknown, unknown>([[1, 'one'], ['two', [true, false, null]]]),
      dtype: torch.float16,
      big: -(2n ** 80n),
    };
    const files = { made: path.join(dir, 'made.pt'), zip64: path.join(dir, 'made64.pt') };
    torch.saveSync(made, files.made);
    torch.saveSync(made, files.zip64, { forceZip64: true });
    const back = runPython<Record<string, { mode: string; described: unknown }>>(`files = ${JSON.stringify(JSON.stringify(files))}\n${PY_LOAD}`);
    expect(back.made.mode).toBe('weights_only');
    expect(back.made.described).toEqual(jsDescribe(made));
    expect(back.zip64.described).toEqual(jsDescribe(made));
    // and it reads back here the same
    expect(jsDescribe(torch.loadSync(files.zip64))).toEqual(jsDescribe(made));
  });

  test('records are 64-byte aligned, storages shared between tensors are written once', () => {
    const base = torch.randn(100);
    const f = path.join(dir, 'aligned.pt');
    torch.saveSync({ a: base, b: base.narrow(0, 10, 5), c: torch.ones(3) }, f);
    const info = runPython<{ name: string; offset: number; size: number }[]>(`
import zipfile, struct
z = zipfile.ZipFile(${JSON.stringify(f)})
raw = open(${JSON.stringify(f)}, 'rb').read()
out = []
for i in z.infolist():
    n, e = struct.unpack('<HH', raw[i.header_offset + 26:i.header_offset + 30])
    out.append({'name': i.filename, 'offset': i.header_offset + 30 + n + e, 'size': i.file_size})
assert z.testzip() is None
result = out`);
    expect(info.map((r) => r.name)).toEqual(['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/data/1', 'archive/version']);
    for (const r of info) expect(r.offset % 64).toBe(0);
    expect(info[2].size).toBe(400);
  });

  test('atomic: a failed save leaves the old file intact and no temp file', async () => {
    const f = path.join(dir, 'atomic.pt');
    torch.saveSync({ x: torch.ones(2) }, f);
    const before = fs.readFileSync(f);
    expect(() => torch.saveSync({ x: torch.ones(2), bad: () => 1 }, f)).toThrow(torch.TorchError);
    await expect(torch.save({ bad: Symbol('x') }, f)).rejects.toThrow(/cannot save a value of type symbol/);
    expect(fs.readFileSync(f).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.includes('atomic.pt.'))).toEqual([]);
  });

  test('atomic: a write that fails half way (file size limit) is a TorchError, the old file stays', () => {
    // a child with RLIMIT_FSIZE = 64 KiB: pwrite of the 4 MB storage fails with EFBIG (SIGXFSZ ignored)
    const f = path.join(dir, 'too-big.pt');
    torch.saveSync({ x: torch.ones(2) }, f);
    const before = fs.readFileSync(f);
    const script = `
process.on('SIGXFSZ', () => {});
const torch = require(${JSON.stringify(path.resolve(__dirname, '../dist/lib'))});
const big = { w: torch.ones(1 << 20) };
const out = [];
try { torch.saveSync(big, ${JSON.stringify(f)}); } catch (e) { out.push(e instanceof torch.TorchError, e.message); }
torch.save(big, ${JSON.stringify(f)}).catch((e) => { out.push(e instanceof torch.TorchError, e.message); console.log(JSON.stringify(out)); });`;
    const run = spawnSync('bash', ['-c', 'ulimit -f 64 && exec node -e "$0"', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [syncIsTorchError, syncMessage, asyncIsTorchError, asyncMessage] = JSON.parse(run.stdout);
    expect([syncIsTorchError, asyncIsTorchError]).toEqual([true, true]);
    expect(syncMessage).toMatch(/cannot write the file: File too large/);
    expect(asyncMessage).toMatch(/cannot write the file: File too large/);
    expect(fs.readFileSync(f).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.includes('too-big.pt.'))).toEqual([]);
  });

  test('a big-endian file (byteorder record) loads byte-swapped', () => {
    const f = path.join(dir, 'big-endian.pt');
    runPython(`
import zipfile, io
src = io.BytesIO()
torch.save({'f': torch.arange(4, dtype=torch.float32) / 3, 'l': torch.arange(3) - 1, 'c': torch.tensor([1+2j], dtype=torch.complex64)}, src)
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(${JSON.stringify(f)}, 'w') as zout:
    for i in zin.infolist():
        data = zin.read(i.filename)
        if '/data/' in i.filename:
            width = 4 if i.filename.endswith('/0') or i.filename.endswith('/2') else 8
            data = b''.join(data[k:k + width][::-1] for k in range(0, len(data), width))
        zout.writestr(i.filename, data)
    zout.writestr(zin.namelist()[0].split('/')[0] + '/byteorder', 'big')
result = 0`);
    const got = torch.loadSync(f) as Record<string, torch.Tensor>;
    const want = runPython<unknown>(`${PY_DESCRIBE}\nresult = describe({'f': torch.arange(4, dtype=torch.float32) / 3, 'l': torch.arange(3) - 1, 'c': torch.tensor([1+2j], dtype=torch.complex64)})`);
    expect(jsDescribe(got)).toEqual(want);
  });
});
