// Writing PyTorch's zip container: records stored (no compression), each record's data starting at
// a multiple of 64 bytes (an 'FB' extra field pads the local header, as PyTorch's writer does, so
// readers may map storages in place), zip64 fields where sizes or offsets pass 4 GiB.
import * as zlib from 'zlib';
import { Piece } from './atomic-write';

const ALIGNMENT = 64;
const MAX_32 = 0xffffffff;

/** A record: its bytes, or only its size when the caller writes the bytes itself (storages). */
export type ZipRecord = { name: string; data: Uint8Array } | { name: string; size: number; data?: undefined };

export interface ZipLayout {
  /** where each record's bytes start */
  dataOffsets: number[];
  /** every other byte of the archive: headers, the records given with data, the central directory */
  pieces: Piece[];
}

function header(size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}

/**
 * The archive's layout. crcs: the CRC-32 of each record given without data (ignored for the others,
 * whose CRC is computed here). Where a record lies does not depend on CRCs: callers write the
 * data-less records first, at dataOffsets, and the pieces after, once the CRCs are known.
 * forceZip64: write zip64 fields for every record (tests the path without a 4 GiB file).
 */
export function zipLayout(records: ZipRecord[], crcs: readonly number[] = [], forceZip64 = false): ZipLayout {
  const pieces: Piece[] = [];
  const dataOffsets: number[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    pieces.push({ position: offset, bytes });
    offset += bytes.length;
  };
  for (const [i, record] of records.entries()) {
    const { name, data } = record;
    const size = record.data ? record.data.length : record.size;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = data ? zlib.crc32(data) >>> 0 : (crcs[i] ?? 0);
    const localOffset = offset;
    const bigSize = forceZip64 || size >= MAX_32;
    const bigOffset = forceZip64 || offset >= MAX_32;
    const zip64Local = bigSize ? 20 : 0;
    const before = offset + 30 + nameBytes.length + zip64Local + 4;
    const padding = (ALIGNMENT - (before % ALIGNMENT)) % ALIGNMENT;
    const { bytes: local, view: lv } = header(30 + nameBytes.length + zip64Local + 4 + padding);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, bigSize ? 45 : 20, true); // version needed
    lv.setUint16(8, 0, true); // stored
    lv.setUint32(14, crc, true);
    lv.setUint32(18, bigSize ? MAX_32 : size, true);
    lv.setUint32(22, bigSize ? MAX_32 : size, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, zip64Local + 4 + padding, true);
    local.set(nameBytes, 30);
    let e = 30 + nameBytes.length;
    if (bigSize) {
      lv.setUint16(e, 0x0001, true);
      lv.setUint16(e + 2, 16, true);
      lv.setBigUint64(e + 4, BigInt(size), true);
      lv.setBigUint64(e + 12, BigInt(size), true);
      e += 20;
    }
    lv.setUint16(e, 0x4246, true); // 'FB': PyTorch's padding field
    lv.setUint16(e + 2, padding, true);
    local.fill(0x5a, e + 4); // 'Z'
    push(local);
    dataOffsets.push(offset);
    if (data) push(data);
    else offset += size;

    const zip64Fields = (bigSize ? 2 : 0) + (bigOffset ? 1 : 0);
    const zip64Central = zip64Fields ? 4 + 8 * zip64Fields : 0;
    const { bytes: entry, view: cv } = header(46 + nameBytes.length + zip64Central);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true); // version made by
    cv.setUint16(6, zip64Fields ? 45 : 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, bigSize ? MAX_32 : size, true);
    cv.setUint32(24, bigSize ? MAX_32 : size, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint16(30, zip64Central, true);
    cv.setUint32(42, bigOffset ? MAX_32 : localOffset, true);
    entry.set(nameBytes, 46);
    if (zip64Fields) {
      let f = 46 + nameBytes.length;
      cv.setUint16(f, 0x0001, true);
      cv.setUint16(f + 2, 8 * zip64Fields, true);
      f += 4;
      if (bigSize) {
        cv.setBigUint64(f, BigInt(size), true);
        cv.setBigUint64(f + 8, BigInt(size), true);
        f += 16;
      }
      if (bigOffset) cv.setBigUint64(f, BigInt(localOffset), true);
    }
    central.push(entry);
  }
  const cdOffset = offset;
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  central.forEach(push);
  const zip64End = forceZip64 || records.length >= 0xffff || cdOffset >= MAX_32 || cdSize >= MAX_32;
  if (zip64End) {
    const { bytes: rec, view: rv } = header(56 + 20);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(records.length), true);
    rv.setBigUint64(32, BigInt(records.length), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(cdOffset), true);
    rv.setUint32(56, 0x07064b50, true); // locator
    rv.setBigUint64(64, BigInt(cdOffset + cdSize), true);
    rv.setUint32(72, 1, true);
    push(rec);
  }
  const { bytes: end, view: ev } = header(22);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, zip64End ? 0xffff : records.length, true);
  ev.setUint16(10, zip64End ? 0xffff : records.length, true);
  ev.setUint32(12, zip64End ? MAX_32 : cdSize, true);
  ev.setUint32(16, zip64End ? MAX_32 : cdOffset, true);
  push(end);
  return { dataOffsets, pieces };
}
