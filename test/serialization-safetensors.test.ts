// safetensors both ways. The safetensors Python package is not installed here, so Python writes and
// parses the format by hand (8-byte header length, JSON header, raw little-endian data), per its spec.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { PY_DESCRIBE, jsDescribe } from './fixtures/serialization/describe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-st-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PY_FORMAT = `
import struct, os
CODES = {torch.bool: 'BOOL', torch.uint8: 'U8', torch.int8: 'I8', torch.int16: 'I16', torch.int32: 'I32', torch.int64: 'I64',
         torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float32: 'F32', torch.float64: 'F64', torch.complex64: 'C64'}
DTYPES = {v: k for k, v in CODES.items()}
def raw(t):
    t = t.contiguous().reshape(-1)
    if t.dtype.is_complex: t = torch.view_as_real(t).reshape(-1)
    return t.view(torch.uint8).numpy().tobytes() if t.numel() else b''
def st_bytes(tensors, metadata=None):
    header, data = {}, b''
    if metadata is not None: header['__metadata__'] = metadata
    for name, t in tensors.items():
        b = raw(t); header[name] = {'dtype': CODES[t.dtype], 'shape': list(t.shape), 'data_offsets': [len(data), len(data) + len(b)]}; data += b
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    return struct.pack('<Q', len(h)) + h + data
def st_parse(blob):
    n = struct.unpack('<Q', blob[:8])[0]
    header = json.loads(blob[8:8 + n]); data = blob[8 + n:]
    meta = header.pop('__metadata__', None)
    out = {}
    for name, info in header.items():
        b, e = info['data_offsets']; dt = DTYPES[info['dtype']]
        buf = bytearray(data[b:e])
        flat = torch.frombuffer(buf, dtype=torch.float32 if dt == torch.complex64 else dt) if len(buf) else torch.empty(0, dtype=dt)
        if dt == torch.complex64 and len(buf): flat = torch.view_as_complex(flat.reshape(-1, 2))
        out[name] = flat.reshape(info['shape']).clone()
    return out, meta, (8 + n) % 8
`;

const ALL = "{str(d).replace('torch.', ''): (torch.randn(3, 5) * 50).to(d) for d in CODES}";

test('Python-written safetensors load here byte-exact (loadFile async, loadFileSync, load of bytes)', async () => {
  const f = path.join(dir, 'py.safetensors');
  const want = runPython<unknown>(`${PY_DESCRIBE}${PY_FORMAT}
torch.manual_seed(0)
tensors = ${ALL}
tensors['scalar'] = torch.tensor(2.5); tensors['empty'] = torch.zeros(0, 4)
open(${JSON.stringify(f)}, 'wb').write(st_bytes(tensors, {'format': 'pt', 'step': '3'}))
result = describe(tensors)`);
  for (const loaded of [await torch.safetensors.loadFile(f), torch.safetensors.loadFileSync(f), torch.safetensors.load(fs.readFileSync(f))]) {
    // each tensor owns its storage: compare everything but the storage-group numbering
    const strip = (d: unknown) => JSON.parse(JSON.stringify(d, (k, v) => (k === 'storage' ? undefined : v)));
    expect(strip(jsDescribe(loaded))).toEqual(strip(want));
    expect(Object.getPrototypeOf(loaded)).toBeNull();
  }
  expect(torch.safetensors.metadata(fs.readFileSync(f))).toEqual(Object.assign(Object.create(null), { format: 'pt', step: '3' }));
});

test('safetensors written here parse in Python (json + struct) byte-exact, 8-byte aligned data', async () => {
  torch.manualSeed(0);
  const base = torch.randn(4, 6);
  const tensors: Record<string, torch.Tensor> = {
    view: base.t(), // not contiguous: written as its values
    row: base.select(0, 1),
    scalar: torch.tensor(1.5, { dtype: 'float64' }),
    empty: torch.zeros(0, 3),
  };
  for (const d of ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64', 'complex64'] as torch.DTypeName[]) {
    tensors[d] = torch.randn(2, 3).mul(50).to(d);
  }
  const f = path.join(dir, 'node.safetensors');
  await torch.safetensors.saveFile(tensors, f, { framework: 'torch-node' });
  const bytes = torch.safetensors.save(tensors, { framework: 'torch-node' });
  expect(bytes.equals(fs.readFileSync(f))).toBe(true);
  const got = runPython<{ described: unknown; meta: unknown; misalign: number }>(`${PY_DESCRIBE}${PY_FORMAT}
out, meta, misalign = st_parse(open(${JSON.stringify(f)}, 'rb').read())
result = {'described': describe(out), 'meta': meta, 'misalign': misalign}`);
  const strip = (d: unknown) => JSON.parse(JSON.stringify(d, (k, v) => (k === 'storage' || k === 'stride' || k === 'offset' ? undefined : v)));
  expect(strip(got.described)).toEqual(strip(jsDescribe(tensors)));
  expect(got.meta).toEqual({ framework: 'torch-node' });
  expect(got.misalign).toBe(0);
});

describe('malformed safetensors raise TorchError', () => {
  const header = (h: unknown, data = Buffer.alloc(0), lengthOverride?: bigint) => {
    const json = Buffer.from(JSON.stringify(h));
    const n = Buffer.alloc(8);
    n.writeBigUInt64LE(lengthOverride ?? BigInt(json.length));
    return Buffer.concat([n, json, data]);
  };
  const f32 = (shape: number[], offsets: number[]) => ({ dtype: 'F32', shape, data_offsets: offsets });
  const cases: [string, Buffer, RegExp][] = [
    ['too short', Buffer.alloc(4), /too short/],
    ['header length past the end', header({}, Buffer.alloc(0), 1000n), /runs past the end/],
    ['header length over the cap', header({}, Buffer.alloc(0), 2n ** 40n), /exceeds the cap/],
    ['header not JSON', Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{{{')]), /not valid UTF-8 JSON/],
    ['header not an object', header([1, 2]), /not a JSON object/],
    ['unknown dtype', header({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, Buffer.alloc(1)), /dtype "F8_E4M3" is not supported/],
    ['negative shape', header({ a: f32([-1], [0, 4]) }, Buffer.alloc(4)), /shape must be a list of non-negative integers/],
    ['size does not match shape', header({ a: f32([2], [0, 4]) }, Buffer.alloc(4)), /needs 8 bytes but data_offsets span 4/],
    ['overlapping', header({ a: f32([2], [0, 8]), b: f32([1], [4, 8]) }, Buffer.alloc(8)), /overlap/],
    ['gap', header({ a: f32([1], [0, 4]), b: f32([1], [8, 12]) }, Buffer.alloc(12)), /leave a gap/],
    ['data longer than the tensors', header({ a: f32([1], [0, 4]) }, Buffer.alloc(8)), /cover 4 bytes but the data holds 8/],
    ['data shorter than the tensors', header({ a: f32([2], [0, 8]) }, Buffer.alloc(4)), /cover 8 bytes but the data holds 4/],
    ['end before begin', header({ a: f32([0], [4, 0]) }, Buffer.alloc(4)), /data_offsets must be/],
    ['bad metadata', header({ __metadata__: { a: 1 } }), /__metadata__ must map strings to strings/],
  ];
  for (const [name, bytes, message] of cases) {
    test(name, () => {
      expect(() => torch.safetensors.load(bytes)).toThrow(torch.TorchError);
      expect(() => torch.safetensors.load(bytes)).toThrow(message);
    });
  }
});
