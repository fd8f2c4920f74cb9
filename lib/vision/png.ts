// PNG in pure TypeScript, where sharp falls short. Reading: the palette indices of a palette PNG,
// which torchvision.io.read_image returns for one read UNCHANGED ([1, H, W], e.g. the class ids of
// a VOC segmentation mask); libvips (sharp) only gives the palette's colours. A small reader: IHDR,
// IDAT, inflate, unfilter, Adam7, 1/2/4/8 bits. Writing: torchvision.io.encode_png, synchronous as
// there, with zlib's compression level as libpng's (sharp's encoder is async only).
import { promisify } from 'util';
import * as zlib from 'zlib';

const inflate = promisify(zlib.inflate);
const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Adam7 passes: [x0, y0, dx, dy] */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the row filters of one (sub)image of `rows` rows of `rowBytes` bytes; returns the rows. */
function unfilter(data: Uint8Array, offset: number, rows: number, rowBytes: number): [Uint8Array, number] {
  const out = new Uint8Array(rows * rowBytes);
  for (let y = 0; y < rows; y++) {
    const filter = data[offset++];
    const row = y * rowBytes;
    const prev = row - rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const raw = data[offset++];
      const a = x > 0 ? out[row + x - 1] : 0;
      const b = y > 0 ? out[prev + x] : 0;
      const c = x > 0 && y > 0 ? out[prev + x - 1] : 0;
      const pred = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : -1;
      if (pred < 0) throw new Error(`bad PNG row filter ${filter}`);
      out[row + x] = (raw + pred) & 0xff;
    }
  }
  return [out, offset];
}

/** The palette indices [height * width] of a palette PNG, or null for any other image. */
export async function pngPaletteIndices(data: Uint8Array): Promise<{ width: number; height: number; indices: Uint8Array } | null> {
  if (data.length < 8 || SIGNATURE.some((b, i) => data[i] !== b)) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let width = 0, height = 0, depth = 0, interlace = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= data.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(data[at + 4], data[at + 5], data[at + 6], data[at + 7]);
    const body = data.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      if (body[9] !== 3) return null; // colour type 3: palette
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      depth = body[8];
      interlace = body[12];
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!width || ![1, 2, 4, 8].includes(depth)) return null;
  const stream = await inflate(Buffer.concat(idat));
  const bytes = new Uint8Array(stream.buffer, stream.byteOffset, stream.byteLength);
  const indices = new Uint8Array(width * height);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  const passes = interlace === 1 ? ADAM7 : [[0, 0, 1, 1]];
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w <= 0 || h <= 0) continue;
    const rowBytes = Math.ceil((w * depth) / 8);
    if (offset + h * (rowBytes + 1) > bytes.length) throw new Error('truncated PNG image data');
    let rows: Uint8Array;
    [rows, offset] = unfilter(bytes, offset, h, rowBytes);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const byte = rows[y * rowBytes + Math.floor(x / perByte)];
        const shift = 8 - depth * ((x % perByte) + 1);
        indices[(y0 + y * dy) * width + x0 + x * dx] = (byte >> shift) & mask;
      }
    }
  }
  return { width, height, indices };
}

/** PNG colour types by number of channels: gray, gray+alpha, RGB, RGBA */
const COLOUR_TYPES = [0, 0, 4, 2, 6];

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/**
 * Each row with the filter (None, Sub, Up, Average, Paeth) whose output has the least sum of
 * absolute values as signed bytes: libpng's heuristic, which makes the data deflate well.
 */
function filterRows(pixels: Uint8Array, height: number, rowBytes: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * (rowBytes + 1));
  const candidate = new Uint8Array(rowBytes);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    let best = Infinity;
    for (let filter = 0; filter < 5; filter++) {
      let cost = 0;
      for (let x = 0; x < rowBytes; x++) {
        const a = x >= bpp ? pixels[row + x - bpp] : 0;
        const b = y > 0 ? pixels[row - rowBytes + x] : 0;
        const c = x >= bpp && y > 0 ? pixels[row - rowBytes + x - bpp] : 0;
        const pred = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const v = (pixels[row + x] - pred) & 0xff;
        candidate[x] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < best) {
        best = cost;
        out[y * (rowBytes + 1)] = filter;
        out.set(candidate, y * (rowBytes + 1) + 1);
      }
    }
  }
  return out;
}

/** An 8-bit PNG file of `pixels` ([height, width, channels] bytes, 1 to 4 channels). */
export function encodePngBytes(pixels: Uint8Array, width: number, height: number, channels: number, compressionLevel: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, COLOUR_TYPES[channels], 0, 0, 0], 8);
  // at level 0 (stored) filtering gains nothing: libpng too writes filter None then
  const rowBytes = width * channels;
  const filtered = compressionLevel === 0 ? filterNone(pixels, height, rowBytes) : filterRows(pixels, height, rowBytes, channels);
  const idat = zlib.deflateSync(filtered, { level: compressionLevel });
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

function filterNone(pixels: Uint8Array, height: number, rowBytes: number): Uint8Array {
  const out = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  return out;
}
