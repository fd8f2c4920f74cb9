// IDX files (the MNIST / Fashion-MNIST format), read like torchvision.datasets.mnist:
// header = 0x00 0x00 <type code> <ndims>, then ndims big-endian uint32 sizes, then big-endian data.
// Gzip is detected by its magic bytes, not by the file name.
import { readFileSync } from 'fs';
import { gunzipSync } from 'zlib';
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { fromTypedArray } from '../tensor/create';
import { DTypeName, toDType, int64 } from '../tensor/dtype';

type ElementArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

// IDX type code -> element size and how to read one big-endian element.
const TYPES: Record<number, { name: DTypeName; size: number; make: (n: number) => ElementArray; get: (v: DataView, at: number) => number }> = {
  0x08: { name: 'uint8', size: 1, make: (n) => new Uint8Array(n), get: (v, at) => v.getUint8(at) },
  0x09: { name: 'int8', size: 1, make: (n) => new Int8Array(n), get: (v, at) => v.getInt8(at) },
  0x0b: { name: 'int16', size: 2, make: (n) => new Int16Array(n), get: (v, at) => v.getInt16(at) },
  0x0c: { name: 'int32', size: 4, make: (n) => new Int32Array(n), get: (v, at) => v.getInt32(at) },
  0x0d: { name: 'float32', size: 4, make: (n) => new Float32Array(n), get: (v, at) => v.getFloat32(at) },
  0x0e: { name: 'float64', size: 8, make: (n) => new Float64Array(n), get: (v, at) => v.getFloat64(at) },
};

const MAX_DIMS = 16;
// Largest decompressed file accepted: keeps a corrupt or hostile .gz from exhausting memory.
const MAX_BYTES = 2 ** 32;

function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

function gunzip(buf: Buffer): Buffer {
  try {
    return gunzipSync(buf, { maxOutputLength: MAX_BYTES });
  } catch (e) {
    throw new TorchError(`IDX: cannot decompress gzip data (${(e as Error).message})`);
  }
}

/**
 * An IDX file's contents (gzip-compressed or plain) as a tensor of the file's shape and dtype.
 * Like torchvision's read_label_file, 1-D uint8 files (labels) come back as int64.
 */
export function parseIdx(buffer: Buffer): Tensor {
  const buf = isGzip(buffer) ? gunzip(buffer) : buffer;
  if (buf.length < 4) throw new TorchError(`IDX: file too short for a header (${buf.length} bytes)`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    const magic = buf.subarray(0, 4).toString('hex');
    throw new TorchError(`IDX: bad magic number 0x${magic} (expected 0x0000 then type code and ndims)`);
  }
  const type = TYPES[buf[2]];
  if (!type) throw new TorchError(`IDX: unknown type code 0x${buf[2].toString(16).padStart(2, '0')}`);
  const ndims = buf[3];
  if (ndims < 1 || ndims > MAX_DIMS) throw new TorchError(`IDX: unsupported number of dimensions ${ndims}`);

  const dataStart = 4 + 4 * ndims;
  if (buf.length < dataStart) {
    throw new TorchError(`IDX: truncated header: ${ndims} dimensions need ${dataStart} bytes, file has ${buf.length}`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const shape: number[] = [];
  let numel = 1;
  for (let d = 0; d < ndims; d++) {
    shape.push(view.getUint32(4 + 4 * d));
    numel *= shape[d];
  }
  // numel is exact below 2^53; above it, it is far beyond any real buffer, so the checks still hold.
  const expected = numel * type.size;
  const actual = buf.length - dataStart;
  if (actual < expected) {
    throw new TorchError(`IDX: truncated data: shape [${shape}] of ${type.name} needs ${expected} bytes, file has ${actual}`);
  }
  if (actual > expected) {
    throw new TorchError(`IDX: size mismatch: shape [${shape}] of ${type.name} needs ${expected} bytes, file has ${actual}`);
  }

  let elements: ElementArray;
  if (type.name === 'uint8') {
    elements = new Uint8Array(buf.buffer, buf.byteOffset + dataStart, numel);
  } else {
    elements = type.make(numel); // big-endian -> native order, element by element
    for (let i = 0; i < numel; i++) elements[i] = type.get(view, dataStart + i * type.size);
  }
  const t = fromTypedArray(elements, shape, toDType(type.name)); // copies the elements
  return ndims === 1 && type.name === 'uint8' ? t.to(int64) : t;
}

/** torchvision's read_image_file / read_label_file in one: reads and parses an IDX file. */
export function readIdxFile(path: string): Tensor {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (e) {
    throw new TorchError(`IDX: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseIdx(buffer);
  } catch (e) {
    if (e instanceof TorchError) throw new TorchError(`${e.message} [${path}]`);
    throw e;
  }
}
