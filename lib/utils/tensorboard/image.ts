// torch.utils.tensorboard's image summaries, summary.py's numpy code in tensor ops: convert_to_HWC
// (a batch is tiled 8 to a row by make_grid; grey becomes RGB), floats in float32 times 255, cast
// to uint8 as numpy casts on x86 (toward zero, then modulo 256), then PNG.
import { AssertionError, TorchError, ValueError } from '../../errors';
import { encodePngBytes } from '../../vision/png';
import { pyTuple } from '../../py-format';
import { Tensor } from '../../tensor/tensor';
import { asTensor, tensor as tensorOf, zeros } from '../../tensor/create';
import { float32, float64, int64, uint8 } from '../../tensor/dtype';
import { cat, stack } from '../../tensor/functions';
import { ValuesLike, toValues } from './values';

export interface HWCImage {
  pixels: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/** make_np for an image: a tensor detached on the CPU; numbers and arrays as float64 (uint8 kept). */
export function imageTensor(x: ValuesLike): Tensor {
  if (x instanceof Tensor) return x.detach().cpu();
  const v = toValues(x);
  return tensorOf(Array.from(v.data), { dtype: v.isUint8 ? uint8 : v.isFloat32 ? float32 : float64 }).reshape(v.shape);
}

/** _utils.make_grid: N1HW or N3HW images on one 3 x (H * rows) x (W * cols) canvas, `ncols` to a row, zeros after the last. */
export function makeGridTensor(images: Tensor, ncols = 8): Tensor {
  let I = images.dim() > 1 && images.size(1) === 1 ? cat([images, images, images], 1) : images;
  if (I.dim() !== 4 || I.size(1) !== 3) throw new AssertionError('');
  const [n, , h, w] = I.shape;
  const cols = Math.min(n, ncols);
  const rows = Math.ceil(n / cols);
  const blanks = rows * cols - n;
  if (blanks > 0) I = cat([I, zeros([blanks, 3, h, w], { dtype: I.dtype })], 0);
  // image (row, col) channel c pixel (y, x) lands at canvas[c, row * h + y, col * w + x]
  return I.reshape(rows, cols, 3, h, w).permute(2, 0, 3, 1, 4).reshape(3, rows * h, cols * w);
}

/** convert_to_HWC(tensor, dataformats) */
export function convertToHWC(t: Tensor, dataformats: string): Tensor {
  if (new Set(dataformats).size !== dataformats.length) {
    throw new AssertionError(`You can not use the same dimension shordhand twice.         input_format: ${dataformats}`);
  }
  if (t.dim() !== dataformats.length) {
    throw new AssertionError(`size of input tensor and input format are different.         tensor shape: ${pyTuple(t.shape)}, input_format: ${dataformats}`);
  }
  const format = dataformats.toUpperCase();
  const order = (letters: string): number[] => [...letters].map((c) => format.indexOf(c));
  if (format.length === 4) return makeGridTensor(t.permute(order('NCHW'))).permute(1, 2, 0);
  if (format.length === 3) {
    const hwc = t.permute(order('HWC'));
    return hwc.size(2) === 1 ? cat([hwc, hwc, hwc], 2) : hwc;
  }
  if (format.length === 2) {
    const hw = t.permute(order('HW'));
    return stack([hw, hw, hw], 2);
  }
  throw new ValueError(`dataformats must have 2, 3 or 4 letters (HW, CHW/HWC, NCHW), got '${dataformats}'`);
}

/** astype(float32) * (1 for uint8, else 255), astype(uint8): truncated toward zero, wrapped modulo 256 as numpy on x86. */
export function toUint8Pixels(hwc: Tensor): Tensor {
  const scale = hwc.dtype === uint8 ? 1 : 255;
  return hwc.to(float32).mul(scale).to(int64).to(uint8);
}

/** A uint8 HWC tensor's pixels. */
export function hwcImage(pixels: Tensor): HWCImage {
  const [height, width, channels] = pixels.shape;
  if (channels !== 3 && channels !== 4) throw new TorchError(`an image needs 1, 3 or 4 channels (grey, RGB, RGBA), got ${channels}`);
  return { pixels: Uint8Array.from(pixels.contiguous().toTypedArray() as Uint8Array), height, width, channels };
}

/** summary.image's pixels. */
export function toImage(values: ValuesLike, dataformats: string): HWCImage {
  return hwcImage(toUint8Pixels(convertToHWC(imageTensor(values), dataformats)));
}

/** The Summary.Image message: TensorBoard's colorspace is the channel count. */
export function imageMessage(img: HWCImage): Record<string, unknown> {
  return { height: img.height, width: img.width, colorspace: img.channels, encoded_image_string: encodePngBytes(img.pixels, img.width, img.height, img.channels, 6) };
}

// embedding.ts' sprite works on C-order float64 values: these two keep its calls, on the tensor ops above

/** makeGridTensor over C-order float64 values. */
export function makeGrid(data: Float64Array, shape: readonly number[], maxCols = 8): { data: Float64Array; shape: number[] } {
  const grid = makeGridTensor(asTensor(data).reshape([...shape]), maxCols);
  return { data: Float64Array.from(grid.contiguous().toTypedArray() as Float64Array), shape: [...grid.shape] };
}

/** numpy's transpose of C-order float64 values: out axis i is input axis perm[i] (negative counts from the end). */
export function transpose(data: Float64Array, shape: readonly number[], perm: readonly number[]): { data: Float64Array; shape: number[] } {
  const axes = perm.map((p) => (p < 0 ? p + shape.length : p));
  if (new Set(axes).size !== axes.length) throw new ValueError('repeated axis in transpose');
  const out = asTensor(data).reshape([...shape]).permute(axes);
  return { data: Float64Array.from(out.contiguous().toTypedArray() as Float64Array), shape: [...out.shape] };
}
