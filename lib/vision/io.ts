// torchvision.io: image files to uint8 [C, H, W] tensors. Decoding (JPEG, PNG, WebP, GIF, TIFF, AVIF)
// is sharp's (libvips, prebuilt binaries from npm), run off the JS thread; hence async functions.
import * as fs from 'fs';
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { uint8 } from '../tensor/dtype';
import { fromTypedArray } from '../tensor/create';

/** torchvision.io.ImageReadMode */
export type ImageReadMode = 'UNCHANGED' | 'GRAY' | 'GRAY_ALPHA' | 'RGB' | 'RGB_ALPHA';
const READ_MODES: readonly string[] = ['UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'] satisfies ImageReadMode[];

type Sharp = (input: Uint8Array, options?: { failOn?: 'none' | 'truncated' | 'error' | 'warning' }) => import('sharp').Sharp;
let sharpModule: Sharp | undefined;
function sharp(): Sharp {
  if (!sharpModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sharpModule = require('sharp') as Sharp;
    } catch (e) {
      throw new TorchError(`image decoding needs the 'sharp' package (npm install sharp): ${(e as Error).message}`);
    }
  }
  return sharpModule;
}

/** Decodes an encoded image (bytes of a JPEG/PNG/WebP/... file) to a uint8 tensor [C, H, W]. */
export async function decodeImage(data: Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  if (!READ_MODES.includes(mode)) throw new TorchError(`unknown ImageReadMode '${String(mode)}' (${READ_MODES.join(', ')})`);
  let pipeline = sharp()(data, { failOn: 'error' });
  if (mode === 'GRAY' || mode === 'GRAY_ALPHA') pipeline = pipeline.toColourspace('b-w');
  else if (mode === 'RGB' || mode === 'RGB_ALPHA') pipeline = pipeline.toColourspace('srgb');
  if (mode === 'GRAY' || mode === 'RGB') pipeline = pipeline.removeAlpha();
  else if (mode === 'GRAY_ALPHA' || mode === 'RGB_ALPHA') pipeline = pipeline.ensureAlpha();
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new TorchError(`could not decode the image: ${(e as Error).message}`);
  }
  const { width, height, channels } = out.info;
  const hwc = fromTypedArray(new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength).slice(), [height, width, channels], uint8);
  return hwc.permute([2, 0, 1]).contiguous();
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
