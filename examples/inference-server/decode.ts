// Request bodies -> [1, 28, 28] float images in [0, 1] (the model's input). Accepted: JSON
// {"image": 784 numbers or 28 rows of 28} with pixel values 0-255; raw bytes (784 of them, one per
// pixel, row by row); binary PGM (P5) 28x28. Anything else is a BadRequest naming the problem.
import * as torch from '../../lib';
import { Tensor } from '../../lib';

export const SIDE = 28;

export class BadRequest extends Error {}

function fromPixels(pixels: ArrayLike<number>): Tensor {
  return torch.tensor(Float32Array.from(pixels)).div(255).view(1, SIDE, SIDE);
}

export function decodeJson(text: string): Tensor {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`invalid JSON: ${(e as Error).message}`);
  }
  const image = (body as { image?: unknown } | null)?.image;
  if (!Array.isArray(image)) throw new BadRequest('JSON body must be {"image": [...]}: 784 pixel values (0-255) or 28 rows of 28');
  const flat = (image as unknown[]).flat();
  if (flat.length !== SIDE * SIDE) throw new BadRequest(`image must have ${SIDE * SIDE} pixels, got ${flat.length}`);
  if (!flat.every((v) => typeof v === 'number' && v >= 0 && v <= 255)) throw new BadRequest('pixel values must be numbers from 0 to 255');
  return fromPixels(flat as number[]);
}

/** The pixel bytes of a binary PGM ("P5 28 28 255\n" + 784 bytes; comments allowed in the header). */
function pgmPixels(buf: Buffer): Uint8Array {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4 && i < buf.length) {
    const c = buf[i];
    if (c === 0x23) while (i < buf.length && buf[i] !== 0x0a) i++; // # comment
    else if (c <= 0x20) i++;
    else {
      let s = '';
      while (i < buf.length && buf[i] > 0x20) s += String.fromCharCode(buf[i++]);
      fields.push(s);
    }
  }
  const [magic, w, h, max] = fields;
  if (magic !== 'P5' || fields.length < 4) throw new BadRequest('bad PGM header (expected binary P5)');
  if (Number(w) !== SIDE || Number(h) !== SIDE) throw new BadRequest(`PGM image must be ${SIDE}x${SIDE}, got ${w}x${h}`);
  if (Number(max) !== 255) throw new BadRequest(`PGM maxval must be 255, got ${max}`);
  const pixels = buf.subarray(i + 1); // one whitespace byte after maxval
  if (pixels.length !== SIDE * SIDE) throw new BadRequest(`PGM has ${pixels.length} pixel bytes, expected ${SIDE * SIDE}`);
  return pixels;
}

export function decodeBytes(buf: Buffer): Tensor {
  if (buf.length >= 2 && buf[0] === 0x50 && buf[1] === 0x35) return fromPixels(pgmPixels(buf));
  if (buf.length !== SIDE * SIDE) {
    throw new BadRequest(`raw image must be ${SIDE * SIDE} bytes (28x28 grayscale) or a binary PGM, got ${buf.length} bytes`);
  }
  return fromPixels(buf);
}
