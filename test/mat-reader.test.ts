// readers/mat.ts (loadmat) against scipy.io.loadmat 1.10: files written by scipy.io.savemat,
// compressed and not, big-endian copies of them (scipy writes only little-endian: Python swaps
// every element of its own file, and scipy reads the copy too), each value compared in one
// canonical form (kind, dtype, shape, column-major data), with and without squeeze_me.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadmat, matTensor, matElement, MatValue, MatStruct, MatCell } from '../lib/vision/datasets/readers/mat';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-mat-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// numeric classes, logical, complex, empty and N-D arrays, chars, cells, structs, sparse
const WRITE = `
import os, struct, zlib, numpy as np, scipy.io as sio, scipy.sparse as sp
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
v = {
  'f64': rng.randn(3, 4), 'f32': rng.randn(2, 5).astype(np.float32), 'nd': rng.randint(0, 255, (3, 2, 4)).astype(np.uint8),
  'i8': np.array([[-128, 5, 127]], np.int8), 'u16': np.array([[65535], [3]], np.uint16), 'i16': np.array([-3, 7], np.int16),
  'i32': np.array([[-2**31, 2**31 - 1]], np.int32), 'u32': np.array([2**32 - 1], np.uint32),
  'i64': np.array([[-2**62, 2**62 + 1]], np.int64), 'u64': np.array([2**64 - 1, 0], np.uint64),
  'logic': np.array([[True, False], [False, True]]), 'cplx': np.array([[1 + 2j, -3.5j, 4]]), 'cplx32': np.array([1 - 1j], np.complex64),
  'empty': np.zeros((0, 3)), 'emptyi': np.zeros((2, 0), np.int32), 'scalar': 7, 'fscalar': 2.5,
  'word': 'hello', 'umlaut': 'grüße', 'rows': ['ab', 'cde'], 'nochars': '',
  'cell': np.array([[1.5, 'ab'], [np.arange(3, dtype=np.int16), np.array([[1, 2]], dtype=object)]], dtype=object),
  'one': np.array([[np.array([[9]])]], dtype=object),
  'st': {'num': np.arange(4.0).reshape(2, 2), 'txt': 'xy', 'inner': {'deep': np.int8(-4)}},
  'sarr': np.array([[(1, 'a'), (2, 'bc'), (3, np.zeros((0, 0)))]], dtype=[('p', object), ('q', object)]),
  'sp': sp.csc_matrix(np.array([[0, 1.5, 0], [2, 0, -1]])), 'spb': sp.csc_matrix(np.array([[0, 1], [1, 1]], dtype=bool)),
  'spc': sp.csc_matrix(np.array([[0, 1j], [2, 0]])), 'spe': sp.csc_matrix((3, 2)),
}
def tag(order, t, n): return struct.pack(order + 'II', t, n)
SIZES = {3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 17: 2, 18: 4}
def swap_elements(b, order):
    # every element of b (little-endian) rewritten in big-endian order
    out, p = b'', 0
    while p < len(b):
        t, n = struct.unpack('<II', b[p:p + 8])
        small = t >> 16
        if small: t, n, body, p2 = t & 0xffff, small, b[p + 4:p + 4 + small], p + 8
        else: body, p2 = b[p + 8:p + 8 + n], p + 8 + (n + 7) // 8 * 8
        if t == 14: data = swap_elements(body, order)
        else:
            k = SIZES.get(t, 1)
            data = b''.join(body[i:i + k][::-1] for i in range(0, len(body), k))
        if small: out += struct.pack('>I', (n << 16) | t) + data + b'\\0' * (4 - n)
        else: out += tag('>', t, len(data)) + data + b'\\0' * ((len(data) + 7) // 8 * 8 - len(data))
        p = p2
    return out
def big_endian(le, compress):
    head = le[:124] + b'\\x01\\x00MI'
    body, p, out = le[128:], 0, b''
    while p < len(body):
        t, n = struct.unpack('<II', body[p:p + 8])
        el = swap_elements(body[p:p + 8 + n], '>')
        out += tag('>', 15, len(z := zlib.compress(el))) + z if compress else el
        p += 8 + n
    return head + out
for comp in [False, True]:
    sio.savemat(os.path.join(root, 'le%d.mat' % comp), v, do_compression=comp)
le = open(os.path.join(root, 'le0.mat'), 'rb').read()
for comp in [False, True]: open(os.path.join(root, 'be%d.mat' % comp), 'wb').write(big_endian(le, comp))
# as MATLAB writes what scipy does not: double arrays with narrower stored data (scipy keeps the
# stored type), an empty cell element as a miMATRIX of no bytes, chars as miUINT16, a global
def el(t, data):
    if 0 < len(data) <= 4 and t != 14: return struct.pack('<I', (len(data) << 16) | t) + data.ljust(4, b'\\0')
    return tag('<', t, len(data)) + data + b'\\0' * ((len(data) + 7) // 8 * 8 - len(data))
def matrix(cls, dims, name, parts, flags=0):
    return el(14, el(6, struct.pack('<II', cls | flags, 0)) + el(5, struct.pack('<%di' % len(dims), *dims)) + el(1, name.encode()) + b''.join(parts))
mat = [matrix(6, [3, 1], 'y', [el(2, bytes([1, 10, 3]))]),
       matrix(6, [2, 2], 'w', [el(4, np.array([1, 300, 65535, 7], '<u2').tobytes())], flags=0x0400),
       matrix(1, [1, 2], 'c', [tag('<', 14, 0), matrix(6, [1, 1], '', [el(9, struct.pack('<d', 2.5))])]),
       matrix(4, [1, 2], 'name', [el(4, 'ab'.encode('utf-16-le'))])]
body = b''.join(m if k % 2 else tag('<', 15, len(z := zlib.compress(m))) + z for k, m in enumerate(mat))
open(os.path.join(root, 'matlab.mat'), 'wb').write(le[:128] + body)
open(os.path.join(root, 'v73.mat'), 'wb').write(le[:124] + b'\\x00\\x02IM' + le[128:])
open(os.path.join(root, 'empty.mat'), 'wb').write(b'')
result = None`;
runPython(WRITE);

const CANON = `
import os, scipy.io as sio, scipy.sparse as sp, numpy as np
root = ${JSON.stringify(root)}
def nums(a): return [str(x) for x in a.tolist()] if a.dtype.itemsize == 8 and a.dtype.kind in 'iu' else a.tolist()
def canon(x):
    if sp.issparse(x):
        d = {'kind': 'sparse', 'shape': list(x.shape), 'rowIndices': x.indices.tolist(), 'colPointers': x.indptr.tolist()}
        if x.dtype.kind == 'c': return {**d, 'dtype': x.real.dtype.name, 'data': x.data.real.tolist(), 'imag': x.data.imag.tolist()}
        return {**d, 'dtype': x.dtype.name, 'data': nums(x.data)}
    if isinstance(x, complex): return {'complex': [x.real, x.imag]}
    if isinstance(x, (int, float, str, np.generic)): return {'item': str(x) if isinstance(x, (int, np.integer)) else x}
    shape, flat = list(x.shape), x.flatten('F')
    if x.dtype.names: return {'kind': 'struct', 'shape': shape, 'fields': list(x.dtype.names), 'data': [{f: canon(r[f]) for f in x.dtype.names} for r in flat]}
    if x.dtype.kind == 'O': return {'kind': 'cell', 'shape': shape, 'data': [canon(e) for e in flat]}
    if x.dtype.kind == 'U': return {'kind': 'char', 'shape': shape, 'data': flat.tolist()}
    if x.dtype.kind == 'c': return {'kind': 'numeric', 'dtype': x.real.dtype.name, 'shape': shape, 'data': flat.real.tolist(), 'imag': flat.imag.tolist()}
    return {'kind': 'numeric', 'dtype': x.dtype.name, 'shape': shape, 'data': nums(flat)}
def load(name, **kw):
    m = sio.loadmat(os.path.join(root, name), **kw)
    return [m['__header__'].decode('latin1'), m['__version__'], m['__globals__'], {k: canon(v) for k, v in m.items() if not k.startswith('__')}]
`;

function canon(x: MatValue): unknown {
  // Python's ints as strings (int64 ones are bigints here), its floats as numbers
  if (typeof x !== 'object') return { item: typeof x === 'number' && !Number.isInteger(x) ? x : typeof x === 'string' ? x : String(x) };
  const nums = (a: ArrayLike<number | bigint>) => Array.from(a, (e) => (typeof e === 'bigint' ? String(e) : e));
  if (x.kind === 'sparse') {
    const base = { kind: 'sparse', shape: x.shape, rowIndices: Array.from(x.rowIndices), colPointers: Array.from(x.colPointers) };
    return x.imag ? { ...base, dtype: x.dtype, data: nums(x.data), imag: nums(x.imag) } : { ...base, dtype: x.dtype, data: nums(x.data) };
  }
  if (x.kind === 'struct') return { kind: 'struct', shape: x.shape, fields: x.fields, data: x.data.map((r) => Object.fromEntries(x.fields.map((f) => [f, canon(r[f])]))) };
  if (x.kind === 'cell') return { kind: 'cell', shape: x.shape, data: x.data.map(canon) };
  if (x.kind === 'char') return { kind: 'char', shape: x.shape, data: x.data };
  // a squeezed complex scalar stays a 0-d array here (Python's complex)
  if (x.shape.length === 0 && x.imag) return { complex: [Number(x.data[0]), Number(x.imag[0])] };
  const base = { kind: 'numeric', dtype: x.dtype, shape: x.shape, data: nums(x.data) };
  return x.imag ? { ...base, imag: nums(x.imag) } : base;
}
function load(name: string, squeezeMe = false) {
  const m = loadmat(path.join(root, name), { squeezeMe });
  return [m.header, m.version, m.globals, Object.fromEntries(Object.entries(m.variables).map(([k, v]) => [k, canon(v)]))];
}
const FILES = ['le0.mat', 'le1.mat', 'be0.mat', 'be1.mat', 'matlab.mat'];

test('every array kind equals scipy.io.loadmat: compressed or not, little- or big-endian', () => {
  const py = runPython<unknown[]>(`${CANON}
result = [load(f) for f in ${JSON.stringify(FILES)}]`);
  expect(FILES.map((f) => load(f))).toEqual(py);
  // the swapped copies really are big-endian files
  expect(fs.readFileSync(path.join(root, 'be0.mat')).toString('latin1', 126, 128)).toBe('MI');
});

test("squeeze_me equals scipy's: scalars, strings and 1x1 cells become their element, structs 0-d", () => {
  const py = runPython<unknown[]>(`${CANON}
result = [load(f, squeeze_me=True) for f in ['le0.mat', 'be1.mat', 'matlab.mat']]`);
  expect(['le0.mat', 'be1.mat', 'matlab.mat'].map((f) => load(f, true))).toEqual(py);
});

test("matTensor and matElement give numpy's row-major values and scipy's indexing", () => {
  const py = runPython<unknown[]>(`${CANON}
m = sio.loadmat(os.path.join(root, 'le1.mat'))
result = [m['f64'].tolist(), m['nd'].tolist(), m['logic'].tolist(), m['sp'].toarray().tolist(), m['spb'].toarray().tolist(), m['f32'].tolist(),
          m['cell'][1, 0].tolist(), m['sarr'][0, 1]['q'].tolist(), str(m['nd'].dtype), [m[k].astype(np.int64).tolist() for k in ['u16', 'u32', 'i64']]]`);
  const v = loadmat(path.join(root, 'le1.mat'), { variableNames: ['f64', 'nd', 'logic', 'sp', 'spb', 'f32', 'cell', 'sarr', 'u16', 'u32', 'i64'] }).variables;
  const nd = matTensor(v.nd);
  expect([
    matTensor(v.f64).tolist(), nd.tolist(), matTensor(v.logic).tolist(), matTensor(v.sp).tolist(), matTensor(v.spb).tolist(), matTensor(v.f32).tolist(),
    matTensor(matElement(v.cell as MatCell, 1, 0)).tolist(), (matElement(v.sarr as MatStruct, 0, 1).q as { data: string[] }).data, nd.dtype.toString(),
    // torch has no uint16 / uint32: they widen (int64 values stay exact as bigint lists)
    [v.u16, v.u32, v.i64].map((x) => matTensor(x).tolist()),
  ]).toEqual([...py.slice(0, 8), 'torch.uint8', py[9]]);
  expect(Object.keys(v).sort()).toEqual(['cell', 'f32', 'f64', 'i64', 'logic', 'nd', 'sarr', 'sp', 'spb', 'u16', 'u32']);
});

test("v7.3 (HDF5) files are scipy's NotImplementedError; an empty file its error", () => {
  const py = runPython<string[]>(`${CANON}
def kind(f):
    try: sio.loadmat(os.path.join(root, f))
    except Exception as e: return [type(e).__name__, str(e)]
result = [kind('v73.mat'), kind('empty.mat')[1]]`);
  const got = (f: string) => {
    try {
      loadmat(path.join(root, f));
      return ['no error'];
    } catch (e) {
      return [(e as Error).name, (e as Error).message];
    }
  };
  expect([got('v73.mat'), got('empty.mat')[1]]).toEqual(py);
  expect(messageOf(() => matTensor(loadmat(path.join(root, 'le0.mat')).variables.word))).toMatch(/expected a numeric MAT array, got char/);
});
