// scipy.io.loadmat for MATLAB Level 5 MAT-files (the format torchvision's SVHN, Flowers102,
// StanfordCars, Caltech101 and SBD ship): the 128-byte header, either byte order, miCOMPRESSED
// (zlib) elements, numeric / logical / char / cell / struct / sparse arrays. Values come back as
// scipy's defaults give them: at least 2-D with MATLAB's shape, a numeric array in the type its
// data was stored with (scipy's mat_dtype=False), chars joined into strings along the last axis
// (chars_as_strings), structs as records (struct_as_record). Every `data` list is in MATLAB's
// column-major order: element (i, j, k) of shape [m, n, p] is data[i + m * (j + n * k)];
// matTensor() gives the row-major tensor. squeezeMe: scipy's squeeze_me. v7.3 files are HDF5,
// which scipy does not read either (its NotImplementedError).
import * as fs from 'fs';
import * as zlib from 'zlib';
import { Tensor } from '../../../tensor/tensor';
import { fromTypedArray } from '../../../tensor/create';
import { NotImplementedError, PyTypeError, TorchError, ValueError } from '../../../errors';
import { notFound } from './file-listing';

export type MatDtype = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' | 'int64' | 'uint64';
export type MatTypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** A numeric or logical array (scipy: an ndarray of the stored dtype; logical is uint8 as in scipy). */
export interface MatNumeric {
  kind: 'numeric';
  /** MATLAB's class: 'double', 'single', 'int8', ..., 'uint64' */
  mclass: string;
  logical: boolean;
  dtype: MatDtype;
  shape: number[];
  data: MatTypedArray;
  /** the imaginary parts of a complex array */
  imag?: MatTypedArray;
}
/** A char array: one string per row of the last axis (scipy's chars_as_strings), shape without that axis. */
export interface MatChar {
  kind: 'char';
  shape: number[];
  data: string[];
}
/** A cell array (scipy: an object ndarray). */
export interface MatCell {
  kind: 'cell';
  shape: number[];
  data: MatValue[];
}
/** A struct or struct array (scipy: a record ndarray, one record per element). */
export interface MatStruct {
  kind: 'struct';
  shape: number[];
  fields: string[];
  data: Record<string, MatValue>[];
}
/** A sparse matrix (scipy: csc_matrix) in compressed sparse column form. */
export interface MatSparse {
  kind: 'sparse';
  logical: boolean;
  dtype: MatDtype;
  shape: [number, number];
  /** row of each stored value */
  rowIndices: Int32Array;
  /** column c's values are data[colPointers[c] .. colPointers[c + 1]) */
  colPointers: Int32Array;
  data: MatTypedArray;
  imag?: MatTypedArray;
}
export type MatArray = MatNumeric | MatChar | MatCell | MatStruct | MatSparse;
/** squeezeMe turns 0-d numbers, strings and cells into their element, as scipy's .item(). */
export type MatValue = MatArray | number | bigint | string;

export interface MatFile {
  /** scipy's __header__ (the header text, trailing blanks stripped) */
  header: string;
  /** scipy's __version__ ('1.0') */
  version: string;
  /** scipy's __globals__ */
  globals: string[];
  variables: Record<string, MatValue>;
}

export interface LoadmatOptions {
  /** scipy's squeeze_me: drop length-1 dimensions, 0-d arrays become their element */
  squeezeMe?: boolean;
  /** scipy's variable_names: read only these */
  variableNames?: string[];
  /** scipy's appendmat: a missing name without '.mat' is tried with it */
  appendmat?: boolean;
}

/** scipy's _open_file: the file's bytes, else Python's FileNotFoundError for it. */
function readMatFile(file: string, appendmat: boolean): Buffer {
  const name = fs.existsSync(file) || !appendmat || file.endsWith('.mat') ? file : `${file}.mat`;
  if (!fs.existsSync(name)) throw notFound(name);
  return fs.readFileSync(name);
}

// data element types (miINT8 ...) -> dtype and byte size
const MI_TYPES: Record<number, [MatDtype, number]> = {
  1: ['int8', 1], 2: ['uint8', 1], 3: ['int16', 2], 4: ['uint16', 2], 5: ['int32', 4], 6: ['uint32', 4],
  7: ['float32', 4], 9: ['float64', 8], 12: ['int64', 8], 13: ['uint64', 8],
};
const MI_MATRIX = 14, MI_COMPRESSED = 15, MI_UTF8 = 16, MI_UTF16 = 17, MI_UTF32 = 18;
const TYPED: Record<MatDtype, { new (b: ArrayBuffer, o: number, n: number): MatTypedArray }> = {
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, uint64: BigUint64Array,
};
// mxCLASS ids: 1 cell, 2 struct, 3 object, 4 char, 5 sparse, 6..15 numeric
const NUMERIC_CLASSES = ['double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const FLAG_COMPLEX = 0x0800, FLAG_GLOBAL = 0x0400, FLAG_LOGICAL = 0x0200;

interface Element {
  type: number;
  bytes: Buffer;
  /** where the next element starts */
  next: number;
}

class ElementReader {
  constructor(readonly le: boolean) {}

  u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  /** The element at `at` (a small element packs type and size in one word); `padded`: its data is padded to 8 bytes. */
  element(b: Buffer, at: number, padded = true): Element {
    if (at + 8 > b.length) throw new ValueError('Mat file appears to be truncated');
    const word = this.u32(b, at);
    if (word >>> 16 !== 0) return { type: word & 0xffff, bytes: b.subarray(at + 4, at + 4 + (word >>> 16)), next: at + 8 };
    const n = this.u32(b, at + 4);
    if (at + 8 + n > b.length) throw new ValueError('Mat file appears to be truncated');
    return { type: word, bytes: b.subarray(at + 8, at + 8 + n), next: at + 8 + (padded ? Math.ceil(n / 8) * 8 : n) };
  }

  /** An element's data as a typed array of its own type (a copy, byte-swapped for big-endian files). */
  numbers(e: Element): { dtype: MatDtype; data: MatTypedArray } {
    const info = MI_TYPES[e.type];
    if (!info) throw new PyTypeError(`Expecting numeric data, got mi type ${e.type}`);
    const [dtype, size] = info;
    const copy = new Uint8Array(e.bytes.length - (e.bytes.length % size));
    copy.set(e.bytes.subarray(0, copy.length));
    if (!this.le && size > 1) {
      for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
    }
    return { dtype, data: new TYPED[dtype](copy.buffer, 0, copy.length / size) };
  }

  ints(e: Element): number[] {
    return Array.from(this.numbers(e).data as ArrayLike<number | bigint>, Number);
  }

  /** A char array's code points, as scipy decodes them (UTF-8 / UTF-16 / UTF-32 elements, else one code unit each). */
  chars(e: Element): string[] {
    if (e.type === MI_UTF8) return [...e.bytes.toString('utf8')];
    if (e.type === MI_UTF16) return [...(this.le ? e.bytes.toString('utf16le') : Buffer.from(e.bytes).swap16().toString('utf16le'))];
    if (e.type === MI_UTF32) {
      return Array.from({ length: e.bytes.length / 4 }, (_, i) => String.fromCodePoint(this.u32(e.bytes, 4 * i)));
    }
    return Array.from(this.numbers(e).data as ArrayLike<number | bigint>, (c) => String.fromCharCode(Number(c)));
  }
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A miMATRIX element's contents (after its tag) as a value, squeezed as asked. */
function readMatrix(r: ElementReader, b: Buffer, squeeze: boolean): { name: string; global: boolean; value: MatValue } {
  // MATLAB writes an empty cell element as a miMATRIX of no bytes: scipy reads a 1x0 double
  if (b.length === 0) return { name: '', global: false, value: finish({ kind: 'numeric', mclass: 'double', logical: false, dtype: 'float64', shape: [1, 0], data: new Float64Array(0) }, squeeze) };
  const flagsEl = r.element(b, 0);
  const flags = r.u32(flagsEl.bytes, 0);
  const mclass = flags & 0xff;
  const dimsEl = r.element(b, flagsEl.next);
  const shape = r.ints(dimsEl);
  const nameEl = r.element(b, dimsEl.next);
  const name = nameEl.bytes.toString('latin1');
  let at = nameEl.next;
  const next = (): Element => {
    const e = r.element(b, at);
    at = e.next;
    return e;
  };
  const logical = (flags & FLAG_LOGICAL) !== 0;
  const n = product(shape);
  let value: MatArray;
  if (mclass >= 6 && mclass <= 15) {
    const real = r.numbers(next());
    value = { kind: 'numeric', mclass: NUMERIC_CLASSES[mclass - 6], logical, dtype: real.dtype, shape, data: real.data };
    if (flags & FLAG_COMPLEX) value.imag = r.numbers(next()).data;
  } else if (mclass === 4) {
    value = charsAsStrings(shape, r.chars(next()));
  } else if (mclass === 1) {
    const data = Array.from({ length: n }, () => {
      const e = next();
      if (e.type !== MI_MATRIX) throw new PyTypeError(`Expecting miMATRIX type here, got ${e.type}`);
      return readMatrix(r, e.bytes, squeeze).value;
    });
    value = { kind: 'cell', shape, data };
  } else if (mclass === 2) {
    const nameLength = r.ints(next())[0];
    const namesEl = next();
    const fields = Array.from({ length: nameLength ? namesEl.bytes.length / nameLength : 0 }, (_, i) =>
      namesEl.bytes.subarray(i * nameLength, (i + 1) * nameLength).toString('latin1').replace(/\0.*$/s, ''));
    const data = Array.from({ length: n }, () => Object.fromEntries(fields.map((f) => [f, readMatrix(r, next().bytes, squeeze).value])));
    value = { kind: 'struct', shape, fields, data };
  } else if (mclass === 5) {
    const rows = Int32Array.from(r.ints(next()));
    const cols = Int32Array.from(r.ints(next()));
    const nnz = cols[shape[1]];
    const real = r.numbers(next());
    value = { kind: 'sparse', logical, dtype: real.dtype, shape: [shape[0], shape[1]], rowIndices: rows.slice(0, nnz), colPointers: cols.slice(0, shape[1] + 1), data: real.data.slice(0, nnz) };
    if (flags & FLAG_COMPLEX) value.imag = r.numbers(next()).data.slice(0, nnz);
    return { name, global: (flags & FLAG_GLOBAL) !== 0, value }; // scipy squeezes no sparse matrix
  } else {
    const what = mclass === 3 ? 'MATLAB objects' : mclass === 16 ? 'function handles' : mclass === 17 ? 'opaque objects (MATLAB classdef, string)' : `array class ${mclass}`;
    throw new NotImplementedError(`${what} in MAT-files are not supported`);
  }
  return { name, global: (flags & FLAG_GLOBAL) !== 0, value: finish(value, squeeze) };
}

/** scipy's chars_to_strings: the last axis joined into strings (numpy's str drops trailing NULs). */
function charsAsStrings(shape: number[], chars: string[]): MatChar {
  const last = shape[shape.length - 1];
  const outer = shape.slice(0, -1);
  const count = product(outer);
  const data = Array.from({ length: count }, (_, i) => {
    let s = '';
    for (let k = 0; k < last; k++) s += chars[i + count * k] ?? '';
    return s.replace(/\0+$/, '');
  });
  return { kind: 'char', shape: outer, data };
}

/** scipy's squeeze_element when squeezing, else the value as it is. */
function finish(value: MatArray, squeeze: boolean): MatValue {
  if (!squeeze || value.kind === 'sparse') return value;
  const n = product(value.shape);
  if (n === 0) return { ...value, shape: [0] } as MatArray; // empty: 1-D, its type kept
  const shape = value.shape.filter((d) => d !== 1);
  if (shape.length === 0 && value.kind !== 'struct' && !(value.kind === 'numeric' && value.imag)) {
    return value.data[0]; // a cell's element, a number, bigint or string
  }
  return { ...value, shape } as MatArray;
}

/** The bytes of a MAT-file: its byte order and version checked as scipy's mat_reader_factory does. */
function checkVersion(b: Buffer): boolean {
  if (b.length === 0) throw new ValueError('Mat file appears to be empty');
  if (b.subarray(0, 4).includes(0)) throw new NotImplementedError('MAT-file version 4 files are not supported');
  const majorAt = b[126] === 0x49 ? 1 : 0; // 'I' at byte 126: little-endian
  const major = b[124 + majorAt];
  if (major === 2) throw new NotImplementedError('Please use HDF reader for matlab v7.3 files, e.g. h5py');
  if (major !== 1) throw new ValueError(`Unknown mat file type, version ${major}, ${b[125 - majorAt]}`);
  return b.toString('latin1', 126, 128) === 'IM';
}

/** scipy.io.loadmat(file) for a Level 5 file (a path or its bytes). */
export function loadmat(file: string | Buffer, options: LoadmatOptions = {}): MatFile {
  const b = typeof file === 'string' ? readMatFile(file, options.appendmat ?? true) : file;
  const r = new ElementReader(checkVersion(b));
  const version = r.le ? b.readUInt16LE(124) : b.readUInt16BE(124);
  const out: MatFile = {
    header: b.toString('latin1', 0, 116).replace(/[ \t\n\0]+$/, '').replace(/^[ \t\n\0]+/, ''),
    version: `${version >> 8}.${version & 0xff}`,
    globals: [],
    variables: {},
  };
  const wanted = options.variableNames ? new Set(options.variableNames) : null;
  let at = 128;
  while (at < b.length && (!wanted || wanted.size > 0)) {
    let e = r.element(b, at, false);
    at = e.next;
    if (e.type === MI_COMPRESSED) e = r.element(zlib.inflateSync(e.bytes), 0, false);
    if (e.type !== MI_MATRIX) throw new PyTypeError(`Expecting miMATRIX type here, got ${e.type}`);
    const { name, global, value } = readMatrix(r, e.bytes, options.squeezeMe ?? false);
    const key = name === '' ? '__function_workspace__' : name;
    if (wanted && !wanted.has(key)) continue;
    wanted?.delete(key);
    out.variables[key] = value;
    if (global) out.globals.push(key);
  }
  return out;
}

/** torch has no uint16 / uint32 / uint64: those widen to int32 / int64 (uint64 wraps as numpy's astype(int64)). */
function torchTyped(data: MatTypedArray): MatTypedArray {
  if (data instanceof Uint16Array) return Int32Array.from(data);
  if (data instanceof Uint32Array) return BigInt64Array.from(data, (v) => BigInt(v));
  if (data instanceof BigUint64Array) return new BigInt64Array(data.buffer, data.byteOffset, data.length);
  return data;
}

/** A numeric (or sparse, made dense) value as a row-major tensor of scipy's shape (and dtype, unsigned ones widened). */
export function matTensor(value: MatValue): Tensor {
  if (typeof value !== 'object' || (value.kind !== 'numeric' && value.kind !== 'sparse')) throw new TorchError(`matTensor: expected a numeric MAT array, got ${typeof value === 'object' ? value.kind : typeof value}`);
  if (value.imag) throw new TorchError('matTensor: complex MAT arrays are not supported (use data and imag)');
  let data = value.data;
  if (value.kind === 'sparse') {
    const [rows, cols] = value.shape;
    data = new TYPED[value.dtype](new ArrayBuffer(rows * cols * data.BYTES_PER_ELEMENT), 0, rows * cols);
    for (let c = 0; c < cols; c++) {
      for (let k = value.colPointers[c]; k < value.colPointers[c + 1]; k++) data[value.rowIndices[k] + rows * c] = value.data[k];
    }
  }
  // column-major data is the row-major array of the reversed shape: transpose it back
  const dims = value.shape;
  const reversed = fromTypedArray(torchTyped(data), [...dims].reverse());
  return reversed.permute(...dims.map((_, i) => dims.length - 1 - i)).contiguous();
}

/** The element of a cell or struct array at scipy's index (one index per dimension). */
export function matElement<V extends MatCell | MatStruct>(value: V, ...index: number[]): V['data'][number] {
  if (index.length !== value.shape.length) throw new ValueError(`expected ${value.shape.length} indices for shape [${value.shape.join(', ')}], got ${index.length}`);
  let linear = 0;
  for (let d = index.length - 1; d >= 0; d--) {
    if (!(index[d] >= 0 && index[d] < value.shape[d])) throw new ValueError(`index ${index[d]} is out of bounds for axis ${d} with size ${value.shape[d]}`);
    linear = linear * value.shape[d] + index[d];
  }
  return value.data[linear];
}
