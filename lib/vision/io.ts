// torchvision.io: image files to uint8 [C, H, W] tensors. Decoding (JPEG, PNG, WebP, GIF, TIFF, AVIF)
// is sharp's (libvips, prebuilt binaries from npm), run off the JS thread; hence async functions.
import * as fs from 'fs';
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { uint8 } from '../tensor/dtype';
import { fromTypedArray } from '../tensor/create';
import { sharp } from './sharp';
import { pngPaletteIndices } from './png';

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
export async function decodeImage(data: Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
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

/** Reads and decodes an image file (torchvision.io.read_image). */
export async function readImage(path: string, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const data = await fs.promises.readFile(path).catch((e: Error) => {
    throw new TorchError(`could not read image ${path}: ${e.message}`);
  });
  return decodeImage(data, mode);
}

/** torchvision.io.read_file: the raw bytes as a uint8 tensor. */
export function readFile(path: string): Tensor {
  const b = fs.readFileSync(path);
  return fromTypedArray(new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice(), [b.byteLength], uint8);
}
