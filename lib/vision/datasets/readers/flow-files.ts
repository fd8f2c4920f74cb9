// The file formats of the optical flow datasets, read as torchvision 0.14 reads them:
// Middlebury .flo (FlyingChairs, Sintel), .pfm (FlyingThings3D; utils._read_pfm), KITTI's 16-bit
// PNG of (u, v, valid) (KittiFlow, HD1K). Flows are float32 [2, H, W] tensors where torchvision
// returns numpy arrays. (FlyingChairs' PPM images are read by pil-loader.ts.)
import * as fs from 'fs';
import { IndexError, TorchError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { fromTypedArray } from '../../../tensor/create';
import { float32, int32, bool, uint8 } from '../../../tensor/dtype';
import { sharp } from '../../sharp';
import { notFound } from './file-listing';

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw notFound(file);
  }
}

/** _read_flo: 'PIEH', int32 width and height, then [H, W, 2] little-endian floats; [2, H, W]. */
export function readFlo(file: string): Tensor {
  const b = readBytes(file);
  if (b.length < 4 || b.toString('latin1', 0, 4) !== 'PIEH') throw new ValueError('Magic number incorrect. Invalid .flo file');
  const w = b.readInt32LE(4);
  const h = b.readInt32LE(8);
  const n = 2 * w * h;
  if (b.length < 12 + 4 * n) throw new ValueError(`cannot reshape array of size ${Math.floor((b.length - 12) / 4)} into shape (${h},${w},2)`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = b.readFloatLE(12 + 4 * i);
  return fromTypedArray(data, [h, w, 2], float32).permute(2, 0, 1);
}

/** Python's f.readline(): the bytes up to and including the next newline; returns [line, next offset]. */
function readLine(b: Buffer, at: number): [string, number] {
  const nl = b.indexOf(10, at);
  const end = nl < 0 ? b.length : nl + 1;
  return [b.toString('latin1', at, end), end];
}

/**
 * utils._read_pfm: 'PF' (3 channels) or 'Pf' (1), "W H", the scale (negative: little-endian), then
 * the rows bottom to top; the first `sliceChannels` channels, [C, H, W] float32.
 */
export function readPfm(file: string, sliceChannels = 2): Tensor {
  const b = readBytes(file);
  let [line, at] = readLine(b, 0);
  const header = line.replace(/\s+$/, '');
  if (header !== 'PF' && header !== 'Pf') throw new ValueError('Invalid PFM file');
  [line, at] = readLine(b, at);
  const dims = /^(\d+)\s(\d+)\s$/.exec(line);
  if (!dims) throw new TorchError('Malformed PFM header.');
  const [w, h] = [Number(dims[1]), Number(dims[2])];
  [line, at] = readLine(b, at);
  const scale = Number(line.trim());
  if (Number.isNaN(scale)) throw new ValueError(`could not convert string to float: '${line.replace(/\s+$/, '')}'`);
  const channels = header === 'PF' ? 3 : 1;
  const count = Math.floor((b.length - at) / 4);
  if (count !== h * w * channels) throw new ValueError(`cannot reshape array of size ${count} into shape (${h},${w},${channels})`);
  const keep = Math.min(sliceChannels, channels);
  const out = new Float32Array(keep * h * w);
  for (let c = 0; c < keep; c++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = at + 4 * (((h - 1 - y) * w + x) * channels + c); // flipped on H
        out[(c * h + y) * w + x] = scale < 0 ? b.readFloatLE(src) : b.readFloatBE(src);
      }
    }
  }
  return fromTypedArray(out, [keep, h, w], float32);
}

/** torchvision.io.image._read_png_16: a PNG's samples, 16-bit ones kept whole, int32 [C, H, W]. */
export async function readPng16(file: string): Promise<Tensor> {
  const image = sharp()(readBytes(file), { failOn: 'error' });
  const meta = await image.metadata();
  const gray = !meta.isPalette && (meta.channels ?? 3) <= 2;
  const deep = meta.depth === 'ushort';
  const pipeline = deep ? image.toColourspace(gray ? 'grey16' : 'rgb16') : image;
  const { data, info } = await pipeline.raw({ depth: deep ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  const samples = deep ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return fromTypedArray(Int32Array.from(samples), [info.height, info.width, info.channels], int32).permute(2, 0, 1);
}

/** _read_16bits_png_with_flow_and_valid_mask: flow = (u, v - 2**15) / 64, float32 [2, H, W]; valid = the third channel != 0. */
export async function readFlowPng16(file: string): Promise<[Tensor, Tensor]> {
  const chw = (await readPng16(file)).contiguous();
  const [c, h, w] = chw.shape;
  if (c < 3) throw new IndexError(`index 2 is out of bounds for dimension 0 with size ${c}`);
  const all = chw.toTypedArray() as Int32Array;
  const flow = new Float32Array(2 * h * w);
  for (let i = 0; i < flow.length; i++) flow[i] = (all[i] - 32768) / 64;
  const valid = new Uint8Array(h * w);
  for (let i = 0; i < h * w; i++) valid[i] = all[2 * h * w + i] !== 0 ? 1 : 0;
  return [fromTypedArray(flow, [2, h, w], float32), fromTypedArray(valid, [h, w], uint8).to(bool)];
}
