// sharp (libvips, prebuilt binaries from npm), loaded on first use: image decoding (io) and
// encoding (utils.saveImage) need it, the rest of torch-node/vision does not.
import { TorchError } from '../errors';

export type Sharp = (input?: Uint8Array, options?: import('sharp').SharpOptions) => import('sharp').Sharp;
let sharpModule: Sharp | undefined;

export function sharp(): Sharp {
  if (!sharpModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sharpModule = require('sharp') as Sharp;
    } catch (e) {
      throw new TorchError(`image decoding and encoding need the 'sharp' package (npm install sharp): ${(e as Error).message}`);
    }
  }
  return sharpModule;
}
