// Python's torch.save(np_array, f) (pytorch/examples time_sequence_prediction): numpy arrays load as
// tensors equal to torch.from_numpy(torch.load(f)) in Python (dtype, shape, strides, bytes), numpy scalars as numbers,
// decoded as data; what torch has no dtype for is refused with a TorchError.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { PY_DESCRIBE, jsDescribe } from './fixtures/serialization/describe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-numpy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// name -> numpy expression (np.random.seed(0) before each)
const ARRAYS: Record<string, string> = {
  sine_f64: `np.sin(np.arange(20).reshape(4, 5) / 3.0).astype('float64')`,
  f32_big_endian: `np.random.randn(3, 4).astype('>f4')`,
  f16: `np.random.randn(5).astype('float16')`,
  i8: `np.arange(-5, 5, dtype='int8')`,
  i16_big_endian: `np.arange(-300, 300, 37, dtype='>i2')`,
  i32: `np.arange(12, dtype='int32').reshape(2, 3, 2)`,
  i64: `np.array([[2**62, -3], [7, 0]], dtype='int64')`,
  u8: `np.arange(250, 256, dtype='uint8')`,
  bool_: `np.array([True, False, True])`,
  c64: `(np.random.randn(3) + 1j * np.random.randn(3)).astype('complex64')`,
  c128_big_endian: `(np.random.randn(2, 2) + 1j * np.random.randn(2, 2)).astype('>c16')`,
  fortran: `np.asfortranarray(np.random.randn(3, 4).astype('float32'))`,
  fortran_3d: `np.asfortranarray(np.arange(24, dtype='int64').reshape(2, 3, 4))`,
  zero_dim: `np.array(3.5)`,
  empty: `np.zeros((0, 3))`,
};
const SCALARS: Record<string, string> = {
  f64: `np.float64(2.5)`,
  f32: `np.float32(0.1)`,
  f16: `np.float16(1.5)`,
  i64: `np.int64(-42)`,
  i64_big: `np.int64(2**60 + 1)`,
  u8: `np.uint8(200)`,
  bool_: `np.bool_(True)`,
};

interface PyOut {
  arrays: Record<string, unknown>;
  scalars: Record<string, number | string | boolean>;
}

let python: PyOut;
beforeAll(() => {
  python = runPython<PyOut>(`
${PY_DESCRIBE}
import numpy as np, os
d = ${JSON.stringify(dir)}
arrays, scalars = {}, {}
for name, expr in json.loads(${JSON.stringify(JSON.stringify(ARRAYS))}).items():
    np.random.seed(0)
    a = eval(expr)
    torch.save(a, os.path.join(d, name + '.pt'))
    torch.save(a, os.path.join(d, name + '.p4.pt'), pickle_protocol=4)
    torch.save(a, os.path.join(d, name + '.legacy.pt'), _use_new_zipfile_serialization=False)
    a = torch.load(os.path.join(d, name + '.pt'))  # what a Python user gets back
    native = a.astype(a.dtype.newbyteorder('=')) if a.dtype.byteorder == '>' else a
    arrays[name] = describe(torch.from_numpy(native))
for name, expr in json.loads(${JSON.stringify(JSON.stringify(SCALARS))}).items():
    s = eval(expr)
    scalars[name] = str(int(s)) if name == 'i64_big' else s.item()
torch.save({name: eval(expr) for name, expr in json.loads(${JSON.stringify(JSON.stringify(SCALARS))}).items()}, os.path.join(d, 'scalars.pt'))
np.random.seed(0)
torch.save({'data': np.random.randn(3, 8), 'step': np.int64(3), 'nested': [np.arange(3), (np.float32(1.5),)]}, os.path.join(d, 'mixed.pt'))
torch.save(np.array([1, 'a'], dtype=object), os.path.join(d, 'object.pt'))
torch.save(np.arange(3, dtype='uint16'), os.path.join(d, 'uint16.pt'))
torch.save(np.zeros(2, dtype=[('x', 'f4'), ('y', 'i4')]), os.path.join(d, 'structured.pt'))
torch.save(np.array(['ab', 'c']), os.path.join(d, 'unicode.pt'))
torch.save(np.complex128(1 + 2j), os.path.join(d, 'complex-scalar.pt'))
# malformed: hand-made reduce tuples a real ndarray never pickles
class Forged:
    def __init__(self, args, state): self.args, self.state = args, state
    def __reduce__(self): return (np.core.multiarray._reconstruct, self.args, self.state)
f8 = np.dtype('f8')
torch.save(Forged((np.ndarray, (0,), b'b'), (1, (2, 3), f8, False, bytes(1) * 8)), os.path.join(d, 'short-data.pt'))
torch.save(Forged((np.dtype, (0,), b'b'), (1, (2,), f8, False, bytes(1) * 16)), os.path.join(d, 'not-ndarray.pt'))
torch.save(Forged((np.ndarray, (0,), b'b'), (1, (-1,), f8, False, b'')), os.path.join(d, 'negative-shape.pt'))
torch.save(Forged((np.ndarray, (0,), b'b'), (1, (2,), 'f8', False, bytes(1) * 16)), os.path.join(d, 'dtype-not-dtype.pt'))
torch.save(Forged((np.ndarray, (0,), b'b'), None), os.path.join(d, 'no-state.pt'))
result = {'arrays': arrays, 'scalars': scalars}
`);
});

describe('numpy arrays saved by Python load as tensors equal to torch.from_numpy', () => {
  for (const name of Object.keys(ARRAYS)) {
    test(`${name} (zip, protocol 2 and 4, and legacy format)`, async () => {
      const expected = python.arrays[name];
      expect(jsDescribe(await torch.load(path.join(dir, `${name}.pt`)))).toEqual(expected);
      expect(jsDescribe(torch.loadSync(path.join(dir, `${name}.p4.pt`)))).toEqual(expected);
      expect(jsDescribe(torch.loadSync(path.join(dir, `${name}.legacy.pt`)))).toEqual(expected);
    });
  }

  test('a Buffer loads like the file', () => {
    const t = torch.loadSync(fs.readFileSync(path.join(dir, 'fortran.pt')));
    expect(jsDescribe(t)).toEqual(python.arrays.fortran);
  });

  test('the loaded tensor owns its memory: writes do not touch a second load', () => {
    const bytes = fs.readFileSync(path.join(dir, 'sine_f64.pt'));
    const a = torch.loadSync(bytes) as torch.Tensor;
    a.zero_();
    expect(jsDescribe(torch.loadSync(bytes))).toEqual(python.arrays.sine_f64);
  });
});

describe('numpy scalars load as numbers', () => {
  test('each dtype, as Python item() gives it (bigint past 2^53)', () => {
    const got = torch.loadSync(path.join(dir, 'scalars.pt')) as Record<string, unknown>;
    for (const [name, value] of Object.entries(python.scalars)) {
      if (name === 'i64_big') expect(got[name]).toBe(BigInt(value as string));
      else expect(got[name]).toBe(value);
    }
  });

  test('mixed checkpoint: arrays inside dicts, lists and tuples', () => {
    const got = torch.loadSync(path.join(dir, 'mixed.pt')) as { data: torch.Tensor; step: number; nested: [torch.Tensor, [number]] };
    const py = runPython<{ data: number[][]; nested: number[] }>(`
import numpy as np
np.random.seed(0)
result = {'data': np.random.randn(3, 8).tolist(), 'nested': np.arange(3).tolist()}
`);
    expect(got.data.dtype).toBe(torch.float64);
    expect(got.data.tolist()).toEqual(py.data);
    expect(got.step).toBe(3);
    expect(got.nested[0].dtype).toBe(torch.int64);
    expect(got.nested[0].tolist()).toEqual(py.nested);
    expect(got.nested[1]).toEqual([1.5]);
  });
});

describe('what torch has no dtype for, and malformed numpy data, is refused clearly', () => {
  const cases: [string, RegExp][] = [
    ['object.pt', /object arrays cannot be loaded/],
    ['uint16.pt', /dtype "u2" cannot be loaded/],
    ['structured.pt', /structured or subarray dtypes cannot be loaded/],
    ['unicode.pt', /dtype "U2" cannot be loaded/],
    ['complex-scalar.pt', /complex scalars cannot be loaded/],
    ['short-data.pt', /needs 48 bytes, got 8/],
    ['not-ndarray.pt', /_reconstruct only rebuilds numpy.ndarray, got numpy.dtype/],
    ['negative-shape.pt', /shape must be a tuple of non-negative ints/],
    ['dtype-not-dtype.pt', /state needs a numpy dtype/],
    ['no-state.pt', /never given its state/],
  ];
  for (const [file, message] of cases) {
    test(file, () => {
      expect(() => torch.loadSync(path.join(dir, file))).toThrow(torch.TorchError);
      expect(() => torch.loadSync(path.join(dir, file))).toThrow(message);
    });
  }
});
