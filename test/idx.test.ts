// IDX reading (lib/data/idx.ts) against torchvision's read_image_file / read_label_file on the real
// Fashion-MNIST files, plus malformed files that must raise TorchError.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync, gzipSync } from 'zlib';
import * as torch from '../lib';
import { parseIdx, readIdxFile } from '../lib/data/idx';
import { runPython } from './helpers/python';

const ROOT = process.env.FASHION_MNIST_ROOT ?? '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

interface Summary {
  shape: number[];
  dtype: string;
  checksum: number;
  first: torch.NestedList;
  lastRow: torch.NestedList;
}

// Position-weighted sum: catches wrong values and wrong order; exact in doubles at these sizes.
function checksum(t: torch.Tensor): number {
  const raw = t.toTypedArray();
  // One element kind in the hot loop (converting per element is ~40x slower on 47M pixels).
  const a = t.dtype === torch.int64 ? Float64Array.from(raw as BigInt64Array, Number) : (raw as Uint8Array);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * ((i % 251) + 1);
  return s;
}

function summarize(t: torch.Tensor): Summary {
  const last = t.select(0, t.size(0) - 1);
  return {
    shape: t.shape,
    dtype: t.dtype.toString(),
    checksum: checksum(t),
    first: t.dim() === 1 ? t.narrow(0, 0, 32).tolist() : t.select(0, 0).tolist(),
    lastRow: t.dim() === 1 ? t.narrow(0, t.size(0) - 32, 32).tolist() : last.select(0, 14).tolist(),
  };
}

describe('readIdxFile vs torchvision', () => {
  // torchvision 0.14 reads uncompressed files only: Python unpacks the .gz files to a temp dir first.
  const expected = runPython<Record<string, Summary>>(`
import gzip, os, tempfile
from torchvision.datasets.mnist import read_image_file, read_label_file
result = {}
with tempfile.TemporaryDirectory() as tmp:
    for name in ${JSON.stringify(FILES)}:
        plain = os.path.join(tmp, name)
        with gzip.open(os.path.join(${JSON.stringify(ROOT)}, name + '.gz'), 'rb') as src, open(plain, 'wb') as dst:
            dst.write(src.read())
        t = (read_label_file if 'labels' in name else read_image_file)(plain)
        w = torch.arange(t.numel()) % 251 + 1
        result[name] = dict(
            shape=list(t.shape), dtype=str(t.dtype), checksum=(t.flatten().long() * w).sum().item(),
            first=(t[:32] if t.dim() == 1 else t[0]).tolist(),
            lastRow=(t[-32:] if t.dim() == 1 else t[-1, 14]).tolist())
`);

  test.each(FILES)('%s.gz matches torchvision', (name) => {
    const t = readIdxFile(path.join(ROOT, `${name}.gz`));
    expect(summarize(t)).toEqual(expected[name]);
  });

  test('plain (uncompressed) files read the same as .gz', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-'));
    try {
      const name = 't10k-labels-idx1-ubyte';
      const gz = fs.readFileSync(path.join(ROOT, `${name}.gz`));
      fs.writeFileSync(path.join(dir, name), gunzipSync(gz));
      expect(summarize(readIdxFile(path.join(dir, name)))).toEqual(expected[name]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** An IDX buffer: header for `typeCode` and `shape`, then `body` verbatim. */
function idx(typeCode: number, shape: number[], body: Buffer | number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header.writeUInt8(typeCode, 2);
  header.writeUInt8(shape.length, 3);
  shape.forEach((n, i) => header.writeUInt32BE(n, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(body)]);
}

describe('parseIdx', () => {
  test('multi-byte types are big-endian and keep their dtype and shape', () => {
    // Values like 258 = 0x0102 and 66051 = 0x010203 differ when the byte order is wrong.
    type Writer = 'writeInt8' | 'writeInt16BE' | 'writeInt32BE' | 'writeFloatBE' | 'writeDoubleBE';
    const cases: [number, torch.DType, number, Writer, number[]][] = [
      [0x09, torch.int8, 1, 'writeInt8', [-128, -3, 0, 1, 2, 127]],
      [0x0b, torch.int16, 2, 'writeInt16BE', [-32768, -3, 0, 258, 300, 32767]],
      [0x0c, torch.int32, 4, 'writeInt32BE', [-2147483648, -3, 0, 66051, 300000, 2147483647]],
      [0x0d, torch.float32, 4, 'writeFloatBE', [-1.5, 0.25, 0, 3, 1024.5, -0.125]],
      [0x0e, torch.float64, 8, 'writeDoubleBE', [-1 / 3, 0.1, 0, 1e300, -2.5, Math.PI]],
    ];
    for (const [code, dtype, size, write, values] of cases) {
      const body = Buffer.alloc(values.length * size);
      values.forEach((v, i) => body[write](v, i * size));
      const t = parseIdx(idx(code, [2, 3], body));
      expect(t.dtype).toBe(dtype);
      expect(t.shape).toEqual([2, 3]);
      expect(t.tolist()).toEqual([values.slice(0, 3), values.slice(3)]);
    }
  });

  test('1-D uint8 files are labels: int64, like read_label_file; other uint8 files stay uint8', () => {
    expect(parseIdx(idx(0x08, [3], [7, 0, 255])).dtype).toBe(torch.int64);
    expect(parseIdx(idx(0x08, [3], [7, 0, 255])).tolist()).toEqual([7, 0, 255]);
    expect(parseIdx(idx(0x08, [1, 3], [7, 0, 255])).dtype).toBe(torch.uint8);
  });

  test('gzip is detected by magic bytes', () => {
    const raw = idx(0x08, [2, 2], [1, 2, 3, 4]);
    expect(parseIdx(gzipSync(raw)).tolist()).toEqual([[1, 2], [3, 4]]);
  });

  const valid = idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);
  const malformed: [string, Buffer, RegExp][] = [
    ['empty buffer', Buffer.alloc(0), /too short/],
    ['bad magic', Buffer.concat([Buffer.from([0x12, 0x34]), valid.subarray(2)]), /bad magic number 0x1234/],
    ['unknown type code', idx(0x0a, [2, 3], [1, 2, 3, 4, 5, 6]), /unknown type code 0x0a/],
    ['zero dimensions', Buffer.from([0, 0, 8, 0]), /number of dimensions 0/],
    ['truncated header', valid.subarray(0, 9), /truncated header/],
    ['truncated data', valid.subarray(0, valid.length - 1), /truncated data: shape \[2,3\]/],
    ['wrong dims (more data than the shape)', idx(0x08, [2, 2], [1, 2, 3, 4, 5, 6]), /size mismatch: shape \[2,2\]/],
    ['huge dims', idx(0x0e, [0xffffffff, 0xffffffff, 0xffffffff], [1, 2, 3]), /truncated data/],
    ['truncated gzip', gzipSync(valid).subarray(0, 12), /cannot decompress gzip/],
  ];
  test.each(malformed)('%s raises TorchError', (_, buffer, message) => {
    expect(() => parseIdx(buffer)).toThrow(torch.TorchError);
    expect(() => parseIdx(buffer)).toThrow(message);
  });

  test('readIdxFile names the file in its errors', () => {
    expect(() => readIdxFile('/nonexistent/file.idx')).toThrow(torch.TorchError);
    expect(() => readIdxFile('/nonexistent/file.idx')).toThrow(/cannot read \/nonexistent\/file.idx/);
  });
});
