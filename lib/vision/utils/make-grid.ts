// torchvision.utils' image makers: make_grid (a batch of images tiled into one image tensor),
// save_image (that grid as an image file) and flow_to_image (an optical flow as colours), with
// torchvision 0.14's arithmetic. Files are encoded by sharp, as io decodes them, and written to a
// temporary file renamed into place, so a reader never sees half a file.
import * as fs from 'fs';
import * as path from 'path';
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { float32, uint8 } from '../../tensor/dtype';
import { tensor as tensorOf } from '../../tensor/create';
import { finfo } from '../../tensor/type-info';
import { cat, stack } from '../../tensor/functions';
import { noGrad } from '../../index';
import { parse } from '../../keywords';
import type { Rest } from '../../keywords';
import { PyTypeError, ValueError, pyType } from '../../errors';
import { sharp } from '../sharp';
import { pySize } from '../../py-format';

export interface MakeGridOptions {
  /** images per row (default 8) */
  nrow?: number;
  /** pixels between and around the images (default 2) */
  padding?: number;
  /** shift the images to [0, 1] by valueRange, or by the min and max of the values (default false) */
  normalize?: boolean;
  /** Python's tuple (min, max) used to normalize; default the min and max of the values */
  valueRange?: [number, number] | null;
  /** normalize each image by its own min and max instead of the batch's (default false) */
  scaleEach?: boolean;
  /** the value of the padding pixels (default 0) */
  padValue?: number;
}
/** make_grid's parameters after the tensor, in Python's order */
const GRID_ARGS = ['nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue'] as const;


/**
 * torchvision.utils.make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None,
 * scale_each=False, pad_value=0.0): a batch [B, C, H, W] (or a list of [C, H, W] images, or one
 * [C, H, W] / [H, W] image) as one [C, H', W'] image, `nrow` images a row; 1-channel images become 3.
 * `makeGrid(batch, 4)`, `makeGrid(batch, { nrow: 4, normalize: true, valueRange: [-1, 1] })`.
 */
export function makeGrid(tensor: Tensor | Tensor[], ...rest: Rest<MakeGridOptions, typeof GRID_ARGS>): Tensor {
  const o = parse<MakeGridOptions>('makeGrid', rest, GRID_ARGS);
  const nrow = o.nrow ?? 8;
  const padding = o.padding ?? 2;
  const padValue = o.padValue ?? 0.0;
  const valueRange = o.valueRange ?? null;
  if (!(tensor instanceof Tensor)) {
    if (!Array.isArray(tensor)) throw new PyTypeError(`tensor or list of tensors expected, got ${pyType(tensor)}`);
    for (const t of tensor) if (!(t instanceof Tensor)) throw new PyTypeError(`tensor or list of tensors expected, got a list containing ${pyType(t)}`);
  }
  return noGrad(() => {
    // a list of tensors becomes a 4D mini-batch
    let t = Array.isArray(tensor) ? stack(tensor, 0) : tensor;
    if (t.dim() === 2) t = t.unsqueeze(0); // one image H x W
    if (t.dim() === 3) {
      // one image; single-channel to 3 channels
      if (t.size(0) === 1) t = cat([t, t, t], 0);
      t = t.unsqueeze(0);
    }
    if (t.dim() === 4 && t.size(1) === 1) t = cat([t, t, t], 1); // single-channel images

    if (o.normalize === true) {
      t = t.clone(); // the caller's tensor is left as it is
      if (valueRange !== null && !(Array.isArray(valueRange) && valueRange.length === 2)) {
        throw new PyTypeError('value_range has to be a tuple (min, max) if specified. min and max are numbers');
      }
      const normIp = (img: Tensor, low: number, high: number) => {
        img.clamp_(low, high);
        img.sub_(low).div_(Math.max(high - low, 1e-5));
      };
      const normRange = (img: Tensor) => {
        if (valueRange !== null) normIp(img, valueRange[0], valueRange[1]);
        else normIp(img, Number(img.min().item()), Number(img.max().item()));
      };
      if (o.scaleEach === true) for (let i = 0; i < t.size(0); i++) normRange(t.select(0, i)); // each image of the batch
      else normRange(t);
    }

    if (t.size(0) === 1) return t.squeeze(0);

    // the mini-batch of images as a grid
    const nmaps = t.size(0);
    const xmaps = Math.min(nrow, nmaps);
    const ymaps = Math.ceil(nmaps / xmaps);
    const height = t.size(2) + padding;
    const width = t.size(3) + padding;
    const grid = t.newFull([t.size(1), height * ymaps + padding, width * xmaps + padding], padValue);
    let k = 0;
    for (let y = 0; y < ymaps; y++) {
      for (let x = 0; x < xmaps; x++) {
        if (k >= nmaps) break;
        grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(t.select(0, k));
        k++;
      }
    }
    return grid;
  });
}

/** PIL's save formats by file extension, for those sharp writes. */
const EXTENSIONS: Record<string, string> = {
  '.png': 'PNG', '.apng': 'PNG', '.jpg': 'JPEG', '.jpeg': 'JPEG', '.jpe': 'JPEG', '.jfif': 'JPEG',
  '.webp': 'WEBP', '.tif': 'TIFF', '.tiff': 'TIFF', '.gif': 'GIF',
};
/** PIL's image modes by number of channels, for its messages */
const MODES = ['', 'L', 'LA', 'RGB', 'RGBA'];

export interface SaveImageOptions extends MakeGridOptions {
  /** PIL's format name ('PNG', 'JPEG', 'WEBP', 'TIFF', 'GIF'); by default from the file's extension */
  format?: string | null;
}

/**
 * torchvision.utils.save_image(tensor, fp, format=None, **make_grid kwargs): the images (through
 * makeGrid) as an image file, each value v in [0, 1] stored as round(v * 255), clamped. Encoded as
 * PIL saves by default (PNG lossless, JPEG quality 75, WebP quality 80, TIFF uncompressed).
 * `await saveImage(batch, 'grid.png', { nrow: 4, normalize: true })`.
 */
export async function saveImage(tensor: Tensor | Tensor[], fp: string, ...rest: Rest<SaveImageOptions, readonly ['format']>): Promise<void> {
  const { format: given, ...gridOptions } = parse<SaveImageOptions>('saveImage', rest, ['format'], GRID_ARGS);
  if (typeof fp !== 'string') throw new PyTypeError(`saveImage() fp must be a file path, got ${pyType(fp)}`);
  let format: string;
  if (given === undefined || given === null) {
    const ext = path.extname(fp).toLowerCase();
    if (!(ext in EXTENSIONS)) throw new ValueError(`unknown file extension: ${ext}`);
    format = EXTENSIONS[ext];
  } else {
    format = String(given).toUpperCase();
    if (!Object.values(EXTENSIONS).includes(format)) throw new TorchError(`saveImage() cannot write format '${given}' (PNG, JPEG, WEBP, TIFF, GIF)`);
  }
  const grid = makeGrid(tensor, gridOptions);
  // Add 0.5 after unnormalizing to [0, 255] to round to the nearest integer
  const hwc = noGrad(() => grid.mul(255).add_(0.5).clamp_(0, 255).permute([1, 2, 0]).to('cpu', uint8));
  const [height, width, channels] = hwc.shape;
  if (hwc.dim() !== 3 || channels < 1 || channels > 4) throw new PyTypeError(`Cannot handle this data type: (1, 1, ${channels}), |u1`);
  if (format === 'JPEG' && (channels === 2 || channels === 4)) throw new TorchError(`cannot write mode ${MODES[channels]} as JPEG`);
  const pixels = hwc.toTypedArray() as Uint8Array;

  let image = sharp()(pixels, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } });
  if (format === 'PNG') image = image.png();
  else if (format === 'JPEG') image = image.jpeg({ quality: 75 });
  else if (format === 'WEBP') image = image.webp({ quality: 80 });
  else if (format === 'TIFF') image = image.tiff({ compression: 'none' });
  else image = image.gif();
  let encoded: Buffer;
  try {
    encoded = await image.toBuffer();
  } catch (e) {
    throw new TorchError(`could not encode the image as ${format}: ${(e as Error).message}`);
  }
  const dir = path.dirname(fp);
  const tmp = path.join(dir, `.${path.basename(fp)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await fs.promises.writeFile(tmp, encoded);
    await fs.promises.rename(tmp, fp);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw new TorchError(`could not write image ${fp}: ${(e as Error).message.replace(tmp, fp)}`);
  }
}

/**
 * The colour wheel of Baker et al., "A Database and Evaluation Methodology for Optical Flow" (ICCV
 * 2007): [55, 3] RGB values in 0-255, red to yellow, green, cyan, blue, magenta and back to red.
 */
function makeColorwheel(): Tensor {
  // each segment: its length, then per channel a constant value or a ramp up (255 * i / n) or down
  const ramp = (i: number, n: number) => Math.floor((255 * i) / n);
  const segments: [number, ('up' | 'down' | number)[]][] = [
    [15, [255, 'up', 0]], // RY
    [6, ['down', 255, 0]], // YG
    [4, [0, 255, 'up']], // GC
    [11, [0, 'down', 255]], // CB
    [13, ['up', 0, 255]], // BM
    [6, [255, 0, 'down']], // MR
  ];
  const rows: number[][] = [];
  for (const [n, channels] of segments) {
    for (let i = 0; i < n; i++) rows.push(channels.map((c) => (c === 'up' ? ramp(i, n) : c === 'down' ? 255 - ramp(i, n) : c)));
  }
  return tensorOf(rows, { dtype: float32 });
}

/** An [N, 2, H, W] flow normalised to norms <= 1, as uint8 colours: hue from the direction, saturation from the norm. */
function normalizedFlowToImage(normalizedFlow: Tensor): Tensor {
  const colorwheel = makeColorwheel().to(normalizedFlow.device);
  const numCols = colorwheel.size(0);
  const norm = normalizedFlow.pow(2).sum(1).sqrt();
  const angle = normalizedFlow.select(1, 1).neg().atan2(normalizedFlow.select(1, 0).neg()).div(Math.PI);
  const fk = angle.add(1).div(2).mul(numCols - 1);
  const k0 = fk.floor().long();
  const k1 = k0.add(1);
  k1.indexPut_([k1.eq(numCols)], 0);
  const f = fk.sub(k0);
  const channels = [0, 1, 2].map((c) => {
    const wheel = colorwheel.select(1, c);
    const col0 = wheel.index(k0).div(255.0);
    const col1 = wheel.index(k1).div(255.0);
    const col = f.neg().add(1).mul(col0).add(f.mul(col1));
    // 1 - norm * (1 - col): white at norm 0
    return col.neg().add(1).mul(norm).neg().add(1).mul(255).floor();
  });
  return stack(channels, 1).to(uint8);
}

/**
 * torchvision.utils.flow_to_image(flow): a float32 flow [2, H, W] or [N, 2, H, W] as uint8 RGB images
 * [3, H, W] or [N, 3, H, W], normalised by the largest flow norm of the whole input.
 */
export function flowToImage(flow: Tensor): Tensor {
  if (flow.dtype !== float32) throw new ValueError(`Flow should be of dtype torch.float, got ${flow.dtype}.`);
  const origShape = flow.shape;
  return noGrad(() => {
    const batch = flow.dim() === 3 ? flow.unsqueeze(0) : flow;
    if (batch.dim() !== 4 || batch.size(1) !== 2) throw new ValueError(`Input flow should have shape (2, H, W) or (N, 2, H, W), got ${pySize(origShape)}.`);
    const maxNorm = batch.pow(2).sum(1).sqrt().max();
    const img = normalizedFlowToImage(batch.div(maxNorm.add(finfo(float32).eps)));
    return origShape.length === 3 ? img.select(0, 0) : img;
  });
}
