// PIL.Image.open(path).convert('RGB') as the datasets' loader: a uint8 [3, H, W] tensor. sharp
// (lib/vision/io) has no PPM / PGM decoder, and GTSRB's images are PPMs, so binary Netpbm files
// (P5 gray, P6 RGB, 8-bit) are decoded here; everything else goes through io.readImage.
import * as fs from 'fs';
import { Tensor } from '../../../tensor/tensor';
import { fromTypedArray } from '../../../tensor/create';
import { TorchError } from '../../../errors';
import { readImage } from '../../io';

/** A P5 / P6 file's header fields (magic, width, height, maxval) and where its pixels start. */
function netpbmHeader(bytes: Buffer): { channels: number; width: number; height: number; maxval: number; start: number } {
  const fields: string[] = [];
  let i = 2;
  while (fields.length < 3 && i < bytes.length) {
    const c = bytes[i];
    if (c === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++; // a comment, to the end of its line
    } else if (c <= 0x20) {
      i++;
    } else {
      let token = '';
      while (i < bytes.length && bytes[i] > 0x20) token += String.fromCharCode(bytes[i++]);
      fields.push(token);
    }
  }
  const [width, height, maxval] = fields.map(Number);
  // exactly one whitespace byte separates the header from the pixels
  return { channels: bytes[1] === 0x36 ? 3 : 1, width, height, maxval, start: i + 1 };
}

/** A binary 8-bit PGM / PPM as RGB uint8 [3, H, W] (gray repeated, as convert('RGB')). */
export function decodeNetpbmRgb(bytes: Buffer, file = 'image'): Tensor {
  const { channels, width, height, maxval, start } = netpbmHeader(bytes);
  if (!(width > 0 && height > 0) || maxval !== 255) throw new TorchError(`${file}: only 8-bit (maxval 255) binary PGM / PPM files are supported`);
  const n = width * height * channels;
  if (bytes.length < start + n) throw new TorchError(`${file}: image file is truncated`);
  const hwc = fromTypedArray(new Uint8Array(bytes.subarray(start, start + n)), [height, width, channels]);
  const chw = hwc.permute(2, 0, 1);
  return (channels === 1 ? chw.expand(3, height, width) : chw).contiguous();
}

/** The file as PIL's Image.open(path).convert('RGB') sees it: uint8 [3, H, W]. */
export async function loadRgbImage(file: string): Promise<Tensor> {
  const head = Buffer.alloc(2);
  const fd = await fs.promises.open(file, 'r');
  try {
    await fd.read(head, 0, 2, 0);
  } finally {
    await fd.close();
  }
  if (head[0] === 0x50 && (head[1] === 0x35 || head[1] === 0x36)) return decodeNetpbmRgb(await fs.promises.readFile(file), file);
  return readImage(file, 'RGB');
}
