// torch.utils.tensorboard's image summaries: convert_to_HWC (a batch is tiled 8 to a row, as its
// make_grid does; grey becomes RGB), floats scaled by 255 and cast to uint8 as numpy casts, then PNG.
import { AssertionError, TorchError, ValueError } from '../../errors';
import { encodePngBytes } from '../../vision/png';
import { pyTuple } from '../../nn/layers/py-format';
import { Values } from './values';

export interface HWCImage {
  pixels: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/** numpy's transpose of C-order data: out axis i is input axis perm[i] (negative counts from the end). */
export function transpose(data: Float64Array, shape: readonly number[], perm: readonly number[]): { data: Float64Array; shape: number[] } {
  const axes = perm.map((p) => (p < 0 ? p + shape.length : p));
  if (new Set(axes).size !== axes.length) throw new ValueError('repeated axis in transpose');
  const outShape = axes.map((a) => shape[a]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float64Array(data.length);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < idx.length; d++) src += idx[d] * inStrides[axes[d]];
    out[o] = data[src];
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** Repeats the channel axis (last for HWC, 1 for NCHW) three times. */
function repeatChannel(data: Float64Array, shape: readonly number[], axis: number): { data: Float64Array; shape: number[] } {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(data.length * 3);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < 3; c++) out.set(data.subarray(o * inner, (o + 1) * inner), (o * 3 + c) * inner);
  }
  const outShape = [...shape];
  outShape[axis] = 3;
  return { data: out, shape: outShape };
}

/** make_grid: NCHW images tiled into one CHW canvas, at most `maxCols` per row. */
export function makeGrid(data: Float64Array, shape: readonly number[], maxCols = 8): { data: Float64Array; shape: number[] } {
  let img = { data, shape: [...shape] };
  if (img.shape[1] === 1) img = repeatChannel(img.data, img.shape, 1);
  if (img.shape.length !== 4 || img.shape[1] !== 3) throw new AssertionError('');
  const [n, , h, w] = img.shape;
  const ncols = Math.min(n, maxCols);
  const nrows = Math.ceil(n / ncols);
  const canvasH = h * nrows;
  const canvasW = w * ncols;
  const canvas = new Float64Array(3 * canvasH * canvasW);
  for (let i = 0; i < n; i++) {
    const y0 = Math.floor(i / ncols) * h;
    const x0 = (i % ncols) * w;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < h; y++) {
        const src = ((i * 3 + c) * h + y) * w;
        canvas.set(img.data.subarray(src, src + w), (c * canvasH + y0 + y) * canvasW + x0);
      }
    }
  }
  return { data: canvas, shape: [3, canvasH, canvasW] };
}

/** convert_to_HWC(tensor, dataformats) */
export function convertToHWC(values: Values, dataformats: string): { data: Float64Array; shape: number[] } {
  if (new Set(dataformats).size !== dataformats.length) {
    throw new AssertionError(`You can not use the same dimension shordhand twice.         input_format: ${dataformats}`);
  }
  if (values.shape.length !== dataformats.length) {
    throw new AssertionError(`size of input tensor and input format are different.         tensor shape: ${pyTuple(values.shape)}, input_format: ${dataformats}`);
  }
  const format = dataformats.toUpperCase();
  const order = (letters: string): number[] => [...letters].map((c) => format.indexOf(c));
  if (format.length === 4) {
    const nchw = transpose(values.data, values.shape, order('NCHW'));
    const grid = makeGrid(nchw.data, nchw.shape);
    return transpose(grid.data, grid.shape, [1, 2, 0]);
  }
  if (format.length === 3) {
    const hwc = transpose(values.data, values.shape, order('HWC'));
    return hwc.shape[2] === 1 ? repeatChannel(hwc.data, hwc.shape, 2) : hwc;
  }
  if (format.length === 2) {
    const hw = transpose(values.data, values.shape, order('HW'));
    return repeatChannel(hw.data, [...hw.shape, 1], 2);
  }
  throw new ValueError(`dataformats must have 2, 3 or 4 letters (HW, CHW/HWC, NCHW), got '${dataformats}'`);
}

/** summary.image's pixels: uint8 kept, anything else as float32 times 255, cast to uint8 as numpy does on x86. */
export function toImage(values: Values, dataformats: string): HWCImage {
  const { data, shape } = convertToHWC(values, dataformats);
  const [height, width, channels] = shape;
  if (channels !== 3 && channels !== 4) throw new TorchError(`an image needs 1, 3 or 4 channels (grey, RGB, RGBA), got ${channels}`);
  const scale = values.isUint8 ? 1 : 255;
  const pixels = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) pixels[i] = Math.trunc(Math.fround(Math.fround(data[i]) * scale)) & 0xff;
  return { pixels, height, width, channels };
}

/** The Summary.Image message: TensorBoard's colorspace is the channel count. */
export function imageMessage(img: HWCImage): Record<string, unknown> {
  return { height: img.height, width: img.width, colorspace: img.channels, encoded_image_string: encodePngBytes(img.pixels, img.width, img.height, img.channels, 6) };
}
