// torch.utils.tensorboard.summary.image_boxes / draw_boxes: boxes (x1, y1, x2, y2) drawn in red on
// the image as PIL draws them, ImageDraw.line around each box with width 2: each side, its ends
// truncated to ints, is filled as the 2-pixel band PIL's wide line covers (for x1 < x2, y1 < y2:
// inside the box on the left and right sides, outside on the top and bottom), clipped; then the image
// is resized by rescale (resize.ts). Labels would need PIL's default bitmap font, which is not here.
import { IndexError, NotImplementedError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor as tensorOf } from '../../tensor/create';
import type { TensorData } from '../../tensor/nested';
import { float64, uint8 } from '../../tensor/dtype';
import { convertToHWC, hwcImage, imageMessage, imageTensor, toUint8Pixels } from './image';
import { lanczosResize } from './resize';
import type { SummaryObject } from './summary';
import type { ValuesLike } from './values';

export type BoxesLike = Tensor | TensorData;

/** The band libImaging's wide line (width 2) fills for the axis-parallel segment (x0, y0)-(x1, y1): [xmin, ymin, xmax, ymax], inclusive. */
function band(x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
  if (x0 === x1 && y0 === y1) return [x0, y0, x0, y0]; // a point
  if (x0 === x1) {
    const side = y1 > y0 ? x0 + 1 : x0 - 1; // the band grows to the right going down, to the left going up
    return [Math.min(x0, side), Math.min(y0, y1), Math.max(x0, side), Math.max(y0, y1)];
  }
  const side = x1 > x0 ? y0 + 1 : y0 - 1; // down going right, up going left
  return [Math.min(x0, x1), Math.min(y0, side), Math.max(x0, x1), Math.max(y0, side)];
}

/** draw_boxes on a uint8 HWC image (RGB or RGBA), in place: each box's outline in red. */
export function drawBoxes(image: Tensor, boxes: BoxesLike, labels: readonly string[] | null = null): Tensor {
  const b = boxes instanceof Tensor ? boxes.detach().cpu().double() : tensorOf(boxes, { dtype: float64 });
  const n = b.size(0);
  if (n > 0 && b.dim() !== 2) throw new IndexError(`too many indices for array: array is ${b.dim()}-dimensional, but 2 were indexed`);
  if (labels !== null && labels.slice(0, n).some((l) => l)) {
    throw new NotImplementedError('add_image_with_boxes: labels are drawn in PIL\'s default bitmap font, which torch-node does not have; pass labels: null');
  }
  const [height, width, channels] = image.shape;
  const red = tensorOf(channels === 4 ? [255, 0, 0, 255] : [255, 0, 0], { dtype: uint8 });
  const xy = Array.from(b.contiguous().toTypedArray() as Float64Array, Math.trunc); // PIL's (int) casts
  for (let i = 0; i < n; i++) {
    const [left, top, right, bottom] = xy.slice(4 * i, 4 * i + 4);
    const corners = [[left, top], [left, bottom], [right, bottom], [right, top], [left, top]];
    for (let s = 0; s < 4; s++) {
      const [x0, y0, x1, y1] = band(corners[s][0], corners[s][1], corners[s + 1][0], corners[s + 1][1]);
      const [xa, ya, xb, yb] = [Math.max(x0, 0), Math.max(y0, 0), Math.min(x1, width - 1), Math.min(y1, height - 1)];
      if (xa > xb || ya > yb) continue;
      const region = image.narrow(0, ya, yb - ya + 1).narrow(1, xa, xb - xa + 1);
      region.copy_(red.expand(region.shape));
    }
  }
  return image;
}

/** summary.image_boxes(tag, tensor_image, tensor_boxes, rescale=1, dataformats='CHW', labels=None) */
export function imageBoxes(tag: string, tensorImage: ValuesLike, tensorBoxes: BoxesLike, rescale = 1, dataformats = 'CHW', labels: readonly string[] | null = null): SummaryObject {
  const pixels = toUint8Pixels(convertToHWC(imageTensor(tensorImage), dataformats)).contiguous();
  const img = hwcImage(drawBoxes(pixels, tensorBoxes, labels));
  // make_image resizes the drawn image to int(size * rescale); the message keeps the size before
  const height = Math.trunc(img.height * rescale);
  const width = Math.trunc(img.width * rescale);
  if (height < 1 || width < 1) throw new ValueError('height and width must be > 0');
  const resized = hwcImage(lanczosResize(pixels, height, width));
  return { value: [{ tag, image: { ...imageMessage(resized), height: img.height, width: img.width } }] };
}
