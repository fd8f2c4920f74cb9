// torchvision.io: image files to uint8 [C, H, W] tensors and back. Decoding (JPEG, PNG, WebP, GIF,
// TIFF, AVIF) and JPEG encoding are sharp's (libvips, prebuilt binaries from npm), run off the JS
// thread; hence async functions (decode*, encodeJpeg, writeJpeg, readImage), where torchvision's
// are synchronous. PNG encoding (png.ts) and the raw file functions are synchronous, as torchvision's.
import * as fs from 'fs';
import * as path from 'path';
import { TorchError } from '../errors';
import { ValueError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { uint8 } from '../tensor/dtype';
import { fromTypedArray } from '../tensor/create';
import { parse } from '../keywords';
import type { Rest } from '../keywords';
import { sharp } from './sharp';
import { pngPaletteIndices, encodePngBytes } from './png';

/** torchvision.io.ImageReadMode */
export type ImageReadMode = 'UNCHANGED' | 'GRAY' | 'GRAY_ALPHA' | 'RGB' | 'RGB_ALPHA';
const READ_MODES: readonly string[] = ['UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'] satisfies ImageReadMode[];

/** libpng's png_set_rgb_to_gray(png, 1, 0.2989, 0.587) on 8-bit samples, as torchvision's decode_png. */
function pngGray(r: number, g: number, b: number): number {
  return r === g && r === b ? r : (9794 * r + 19234 * g + 3740 * b) >> 15;
}
/** ITU-R 601 luma with rounding (libjpeg's RGB to grayscale, PIL's convert('L')). */
function lumaGray(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/**
 * Decodes an encoded image (bytes of a JPEG/PNG/WebP/... file) to a uint8 tensor [C, H, W] (a
 * permuted view of [H, W, C] memory, as torchvision's), with
 * torchvision.io.decode_image's channels: UNCHANGED keeps the file's (1 gray, 2 gray+alpha,
 * 3 RGB, 4 RGBA; 4 for CMYK JPEGs, their stored bytes), GRAY 1, GRAY_ALPHA 2, RGB 3, RGB_ALPHA 4.
 * Colour to gray is libpng's conversion for PNGs (as torchvision's) and ITU-R 601 luma otherwise.
 * A palette PNG read UNCHANGED gives its palette indices [1, H, W], as torchvision's (a
 * segmentation mask's class ids). Beyond torchvision 0.14, which refuses these: 16-bit PNGs are
 * scaled to 8 bits, JPEGs take the alpha modes (opaque alpha) and CMYK JPEGs the RGB and gray
 * modes; WebP, GIF, TIFF and AVIF files decode too.
 */
export async function decodeImage(input: Tensor | Uint8Array, ...rest: Rest<DecodeOptions, ['mode']>): Promise<Tensor> {
  const { mode = 'UNCHANGED' } = parse<DecodeOptions>('decodeImage', rest, ['mode']);
  return decode(bytesOf(input), mode);
}

async function decode(data: Uint8Array, mode: ImageReadMode): Promise<Tensor> {
  if (!READ_MODES.includes(mode)) throw new TorchError(`unknown ImageReadMode '${String(mode)}' (${READ_MODES.join(', ')})`);
  const image = sharp()(data, { failOn: 'error' });
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  let meta: import('sharp').Metadata;
  try {
    meta = await image.metadata();
    if (mode === 'UNCHANGED' && meta.format === 'png' && meta.isPalette) {
      const palette = await pngPaletteIndices(data);
      if (palette) return fromTypedArray(palette.indices, [palette.height, palette.width, 1], uint8).permute([2, 0, 1]);
    }
    // The source's kind: gray (1 band, 2 with alpha) or colour; CMYK JPEGs read UNCHANGED keep their 4 bands.
    const gray = !meta.isPalette && (meta.channels ?? 3) <= 2;
    const alpha = meta.hasAlpha === true;
    const cmyk = meta.space === 'cmyk' && mode === 'UNCHANGED';
    let pipeline: import('sharp').Sharp;
    if (cmyk) pipeline = image.pipelineColourspace('cmyk').toColourspace('cmyk');
    else if (gray && !alpha && (mode === 'UNCHANGED' || mode === 'GRAY')) pipeline = image.toColourspace('b-w');
    else if (mode === 'RGB') pipeline = image.toColourspace('srgb').removeAlpha();
    else if (mode === 'RGB_ALPHA') pipeline = image.toColourspace('srgb').ensureAlpha();
    else pipeline = image.toColourspace('srgb'); // 3 or 4 bands, converted below
    out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new TorchError(`could not decode the image: ${(e as Error).message}`);
  }
  const { width, height } = out.info;
  let channels = out.info.channels;
  let pixels = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength).slice();
  if (meta.space === 'cmyk' && mode === 'UNCHANGED') {
    // libvips inverts Adobe CMYK JPEGs (those PIL and Photoshop write); libjpeg, so torchvision, gives the bytes as stored
    for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
  } else {
    const gray = !meta.isPalette && (meta.channels ?? 3) <= 2;
    const want = mode === 'UNCHANGED' ? (gray ? 1 : 3) + (channels === 4 ? 1 : 0) : mode === 'GRAY' ? 1 : mode === 'GRAY_ALPHA' ? 2 : channels;
    if (want !== channels) {
      // from 3 (RGB) or 4 (RGBA) bands to gray or gray+alpha
      const toGray = gray ? (r: number) => r : meta.format === 'png' ? pngGray : lumaGray;
      const n = width * height;
      const dst = new Uint8Array(n * want);
      for (let i = 0, s = 0, d = 0; i < n; i++, s += channels, d += want) {
        dst[d] = toGray(pixels[s], pixels[s + 1], pixels[s + 2]);
        if (want === 2) dst[d + 1] = channels === 4 ? pixels[s + 3] : 255;
      }
      pixels = dst;
      channels = want;
    }
  }
  // as torchvision's decoders: a [C, H, W] view of the decoded [H, W, C] pixels (strides (1, W*C, C)),
  // so that what runs on it (a bilinear resize's channels-last kernel) runs as on torchvision's
  const hwc = fromTypedArray(pixels, [height, width, channels], uint8);
  return hwc.permute([2, 0, 1]);
}

export interface DecodeOptions {
  mode?: ImageReadMode;
}

/** The encoded bytes a decoder takes: torchvision's 1-D uint8 tensor (as readFile gives), or bytes. */
function bytesOf(input: Tensor | Uint8Array): Uint8Array {
  if (!(input instanceof Tensor)) return input;
  if (input.dtype !== uint8) throw new TorchError('Expected a torch.uint8 tensor');
  if (input.dim() !== 1 || input.numel() === 0) throw new TorchError('Expected a non empty 1-dimensional tensor');
  return input.cpu().contiguous().toTypedArray() as Uint8Array;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** torchvision.io.decode_png(input, mode=UNCHANGED): a PNG's pixels, uint8 [C, H, W] (see decodeImage). */
export async function decodePng(input: Tensor | Uint8Array, ...rest: Rest<DecodeOptions, ['mode']>): Promise<Tensor> {
  const { mode = 'UNCHANGED' } = parse<DecodeOptions>('decodePng', rest, ['mode']);
  const data = bytesOf(input);
  if (data.length < 8 || PNG_SIGNATURE.some((b, i) => data[i] !== b)) throw new TorchError('Content is not png!');
  return decode(data, mode);
}

export interface DecodeJpegOptions extends DecodeOptions {
  /** accepted for torchvision compatibility: decoding runs on the CPU, the result moves to `device` */
  device?: string;
}

/** torchvision.io.decode_jpeg(input, mode=UNCHANGED, device='cpu'): a JPEG's pixels, uint8 [C, H, W]. */
export async function decodeJpeg(input: Tensor | Uint8Array, ...rest: Rest<DecodeJpegOptions, ['mode', 'device']>): Promise<Tensor> {
  const { mode = 'UNCHANGED', device = 'cpu' } = parse<DecodeJpegOptions>('decodeJpeg', rest, ['mode', 'device']);
  const data = bytesOf(input);
  if (data.length < 3 || data[0] !== 0xff || data[1] !== 0xd8 || data[2] !== 0xff) {
    throw new TorchError(`Not a JPEG file: starts with 0x${(data[0] ?? 0).toString(16).padStart(2, '0')} 0x${(data[1] ?? 0).toString(16).padStart(2, '0')}`);
  }
  const out = await decode(data, mode);
  return device === 'cpu' ? out : out.to(device);
}

/** Reads and decodes an image file (torchvision.io.read_image). */
export async function readImage(path: string, ...rest: Rest<DecodeOptions, ['mode']>): Promise<Tensor> {
  const { mode = 'UNCHANGED' } = parse<DecodeOptions>('readImage', rest, ['mode']);
  const data = await fs.promises.readFile(path).catch((e: Error) => {
    throw new TorchError(`could not read image ${path}: ${e.message}`);
  });
  return decode(data, mode);
}

/** torchvision.io.read_file: the raw bytes as a uint8 tensor. */
export function readFile(path: string): Tensor {
  const b = fs.readFileSync(path);
  if (b.byteLength === 0) throw new TorchError('Expected a non empty file');
  return fromTypedArray(new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice(), [b.byteLength], uint8);
}

/** Writes `bytes` to `filename` whole or not at all: a temporary file beside it, then a rename. */
function writeAtomically(filename: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(filename), `.${path.basename(filename)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, filename);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new TorchError(`could not write ${filename}: ${(e as Error).message.replace(tmp, filename)}`);
  }
}

/** torchvision.io.write_file(filename, data): a 1-D uint8 tensor's bytes as a file (written atomically). */
export function writeFile(filename: string, data: Tensor): void {
  if (data.dtype !== uint8) throw new TorchError('Input tensor dtype should be uint8');
  if (data.dim() !== 1) throw new TorchError('Input data should be a 1-dimensional tensor');
  writeAtomically(filename, data.cpu().contiguous().toTypedArray() as Uint8Array);
}

/**
 * A uint8 image [C, H, W] (or [H, W], one channel) on the CPU as [H, W, C] bytes, with torchvision's
 * checks; `channels`: those the encoder takes.
 */
function hwcPixels(input: Tensor, channels: readonly number[], allowed: string): [Uint8Array, number, number, number] {
  if (input.dtype !== uint8) throw new TorchError('Input tensor dtype should be uint8');
  if (!input.device.type.startsWith('cpu')) throw new TorchError('Input tensor should be on CPU');
  const chw = input.dim() === 2 ? input.unsqueeze(0) : input;
  if (chw.dim() !== 3) throw new TorchError('Input data should be a 3-dimensional tensor');
  const [c, h, w] = chw.shape;
  if (!channels.includes(c)) throw new TorchError(`The number of channels should be ${allowed}, got: ${c}`);
  return [chw.permute([1, 2, 0]).contiguous().toTypedArray() as Uint8Array, c, h, w];
}

export interface EncodePngOptions {
  /** zlib's level, 0 (none) to 9 (smallest); 6 as torchvision's */
  compressionLevel?: number;
}

/**
 * torchvision.io.encode_png(input, compression_level=6): a PNG file's bytes as a 1-D uint8 tensor.
 * Beyond torchvision (1 or 3 channels), 2 (gray+alpha) and 4 (RGBA) channels and [H, W] images are
 * written too. Lossless: decoding gives the same pixels.
 */
export function encodePng(input: Tensor, ...rest: Rest<EncodePngOptions, ['compressionLevel']>): Tensor {
  const { compressionLevel = 6 } = parse<EncodePngOptions>('encodePng', rest, ['compressionLevel']);
  const [pixels, c, h, w] = hwcPixels(input, [1, 2, 3, 4], '1, 2, 3 or 4');
  if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9) throw new TorchError('Compression level should be between 0 and 9');
  const png = encodePngBytes(pixels, w, h, c, compressionLevel);
  return fromTypedArray(new Uint8Array(png.buffer, png.byteOffset, png.byteLength), [png.byteLength], uint8);
}

/** torchvision.io.write_png(input, filename, compression_level=6) */
export function writePng(input: Tensor, filename: string, ...rest: Rest<EncodePngOptions, ['compressionLevel']>): void {
  const { compressionLevel = 6 } = parse<EncodePngOptions>('writePng', rest, ['compressionLevel']);
  writeFile(filename, encodePng(input, compressionLevel));
}

export interface EncodeJpegOptions {
  /** 1 to 100; 75 as torchvision's */
  quality?: number;
}

/**
 * torchvision.io.encode_jpeg(input, quality=75): a baseline JPEG (4:2:0 chroma subsampling for
 * colour, as libjpeg's defaults) of a uint8 [C, H, W] image with 1 or 3 channels. The encoder is
 * libvips' (mozjpeg), not torchvision's libjpeg: the bytes differ, the decoded pixels are close
 * (lossy both ways; within a few levels of torchvision's).
 */
export async function encodeJpeg(input: Tensor, ...rest: Rest<EncodeJpegOptions, ['quality']>): Promise<Tensor> {
  const { quality = 75 } = parse<EncodeJpegOptions>('encodeJpeg', rest, ['quality']);
  if (!(quality >= 1 && quality <= 100)) throw new ValueError('Image quality should be a positive number between 1 and 100');
  const [pixels, c, h, w] = hwcPixels(input, [1, 3], '1 or 3');
  let image = sharp()(pixels, { raw: { width: w, height: h, channels: c as 1 | 3 } });
  if (c === 1) image = image.toColourspace('b-w');
  let jpeg: Buffer;
  try {
    jpeg = await image.jpeg({ quality: Math.round(quality), chromaSubsampling: '4:2:0' }).toBuffer();
  } catch (e) {
    throw new TorchError(`could not encode the image as JPEG: ${(e as Error).message}`);
  }
  return fromTypedArray(new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength).slice(), [jpeg.byteLength], uint8);
}

/** torchvision.io.write_jpeg(input, filename, quality=75) */
export async function writeJpeg(input: Tensor, filename: string, ...rest: Rest<EncodeJpegOptions, ['quality']>): Promise<void> {
  const { quality = 75 } = parse<EncodeJpegOptions>('writeJpeg', rest, ['quality']);
  writeFile(filename, await encodeJpeg(input, quality));
}
