// Reading the zip container of torch.save files (PyTorch writes records stored, 64-byte aligned;
// zip64 for large files). Plans (see io.ts) so the same code reads a file sync, async, or a Buffer.
// Every offset and size is checked against the file; names must stay inside the archive.
import * as zlib from 'zlib';
import { TorchError } from '../errors';
import { LIMITS } from './limits';
import { Plan, ReadRequest } from './io';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export type ZipDirectory = Map<string, ZipEntry>;

const EOCD_SIG = 0x06054b50;
const EOCD64_SIG = 0x06064b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_32 = 0xffffffff;

function zipError(message: string): TorchError {
  return new TorchError(`not a valid PyTorch zip archive: ${message}`);
}

function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw zipError(`64-bit field ${v} is too large`);
  return Number(v);
}

function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** True when the bytes start like a zip file (a local header or an empty archive). */
export function looksLikeZip(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const sig = dataView(head).getUint32(0, true);
  return sig === LOCAL_SIG || sig === EOCD_SIG;
}

/** A name may not leave the archive: no absolute paths, drive letters, backslashes or `..`. */
function checkName(name: string): void {
  if (name.length === 0 || name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.includes('\0')) {
    throw zipError(`unsafe record name ${JSON.stringify(name)}`);
  }
  if (name.split('/').some((part) => part === '..')) throw zipError(`record name ${JSON.stringify(name)} leaves the archive`);
}

/** Reads the end records and the central directory. */
export function* readDirectory(fileSize: number): Plan<ZipDirectory> {
  if (fileSize < 22) throw zipError(`file of ${fileSize} bytes is too small`);
  const tailLength = Math.min(fileSize, 22 + 0xffff + 20);
  const tailStart = fileSize - tailLength;
  const tail = (yield { offset: tailStart, length: tailLength }) as Uint8Array;
  const tv = dataView(tail);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIG && i + 22 + tv.getUint16(i + 20, true) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw zipError('end of central directory not found (truncated file?)');
  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  if (eocd >= 20 && tv.getUint32(eocd - 20, true) === EOCD64_LOCATOR_SIG) {
    const eocd64At = u64(tv, eocd - 20 + 8);
    if (eocd64At + 56 > fileSize) throw zipError('zip64 end record lies outside the file');
    const rec = dataView((yield { offset: eocd64At, length: 56 }) as Uint8Array);
    if (rec.getUint32(0, true) !== EOCD64_SIG) throw zipError('bad zip64 end record signature');
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  if (count > LIMITS.maxZipEntries) throw zipError(`${count} records exceed the cap of ${LIMITS.maxZipEntries}`);
  if (cdSize > LIMITS.maxCentralDirectoryBytes || cdOffset + cdSize > fileSize) {
    throw zipError(`central directory (${cdSize} bytes at ${cdOffset}) lies outside the file of ${fileSize} bytes`);
  }
  const cd = (yield { offset: cdOffset, length: cdSize }) as Uint8Array;
  const cv = dataView(cd);
  const entries: ZipDirectory = new Map();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cd.length || cv.getUint32(p, true) !== CENTRAL_SIG) throw zipError(`central directory entry ${k} is malformed`);
    const flags = cv.getUint16(p + 8, true);
    const method = cv.getUint16(p + 10, true);
    let compressedSize = cv.getUint32(p + 20, true);
    let size = cv.getUint32(p + 24, true);
    const nameLength = cv.getUint16(p + 28, true);
    const extraLength = cv.getUint16(p + 30, true);
    const commentLength = cv.getUint16(p + 32, true);
    let localHeaderOffset = cv.getUint32(p + 42, true);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw zipError(`central directory entry ${k} runs past the directory`);
    let name: string;
    try {
      name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLength));
    } catch {
      throw zipError(`record name of entry ${k} is not UTF-8`);
    }
    // zip64 extra field: the 64-bit values of the fields saturated at 0xffffffff, in this order
    for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = cv.getUint16(e, true);
      const len = cv.getUint16(e + 2, true);
      if (e + 4 + len > p + 46 + nameLength + extraLength) throw zipError(`extra field of ${name} is malformed`);
      if (id === 0x0001) {
        let f = e + 4;
        const take = (): number => {
          if (f + 8 > e + 4 + len) throw zipError(`zip64 field of ${name} is too short`);
          const v = u64(cv, f);
          f += 8;
          return v;
        };
        if (size === MAX_32) size = take();
        if (compressedSize === MAX_32) compressedSize = take();
        if (localHeaderOffset === MAX_32) localHeaderOffset = take();
      }
      e += 4 + len;
    }
    checkName(name);
    if (flags & 1) throw zipError(`record ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw zipError(`record ${name} uses unsupported compression method ${method}`);
    if (method === 0 && compressedSize !== size) throw zipError(`stored record ${name} declares ${compressedSize} != ${size} bytes`);
    if (localHeaderOffset + 30 + compressedSize > fileSize) {
      throw zipError(`record ${name} (${compressedSize} bytes at ${localHeaderOffset}) lies outside the file of ${fileSize} bytes`);
    }
    if (entries.has(name)) throw zipError(`duplicate record name ${JSON.stringify(name)}`);
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = end;
  }
  return entries;
}

/** The request for a record's data: its local header gives where the data starts. */
export function* recordRequest(entry: ZipEntry, fileSize: number, fresh: boolean): Plan<ReadRequest> {
  const header = dataView((yield { offset: entry.localHeaderOffset, length: 30 }) as Uint8Array);
  if (header.getUint32(0, true) !== LOCAL_SIG) throw zipError(`bad local header signature for ${entry.name}`);
  const start = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  if (start + entry.compressedSize > fileSize) throw zipError(`data of ${entry.name} runs past the end of the file`);
  return { offset: start, length: entry.compressedSize, fresh: fresh && entry.method === 0 };
}

/** Turns a record's raw bytes into its content (inflating, within a cap, when compressed). */
export function recordContent(entry: ZipEntry, raw: Uint8Array): Uint8Array {
  if (entry.method === 0) return raw;
  if (entry.size > LIMITS.maxInflatedBytes) throw zipError(`compressed record ${entry.name} would inflate to ${entry.size} bytes (cap ${LIMITS.maxInflatedBytes})`);
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
  } catch (e) {
    throw zipError(`record ${entry.name} does not inflate to its declared ${entry.size} bytes (${(e as Error).message})`);
  }
  if (out.length !== entry.size) throw zipError(`record ${entry.name} inflates to ${out.length} bytes, not ${entry.size}`);
  const own = new Uint8Array(Buffer.allocUnsafeSlow(out.length).buffer, 0, out.length);
  own.set(out);
  return own;
}

/** Reads one whole record. */
export function* readRecord(entry: ZipEntry, fileSize: number, fresh = false): Plan<Uint8Array> {
  const req = yield* recordRequest(entry, fileSize, fresh);
  return recordContent(entry, (yield req) as Uint8Array);
}
