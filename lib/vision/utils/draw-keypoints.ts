// torchvision.utils.draw_keypoints as torchvision 0.14 draws them with Pillow 9: each keypoint a
// filled circle of the given radius in `colors` (none at all when colors is None: PIL then has no
// fill and a zero-width outline), then each connection a line `width` wide in PIL's default ink,
// white (0.14 passes no colour to it), pixel for pixel.
import { IndexError, PyTypeError, ValueError, pyType } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { int64, uint8 } from '../../tensor/dtype';
import { noGrad } from '../../autograd/grad-mode';
import { ArgsOf, signature } from '../../keywords';
import { Color, toRgb } from './colors';
import { filledEllipse, fromCanvas, line, solid, toCanvas, wideLine } from './raster';

/** PIL's default ink on an RGB image */
const WHITE = [255, 255, 255];

export interface DrawKeypointsArgs {
  image: Tensor;
  keypoints: Tensor;
  /** pairs of keypoint indices to join with a line */
  connectivity?: [number, number][] | null;
  colors?: Color | null;
  radius?: number;
  width?: number;
}
const DRAW_KEYPOINTS = signature<DrawKeypointsArgs>()(['image', 'keypoints'], ['connectivity', 'colors', 'radius', 'width']);

/** Python's list[i] (negative from the end) for a connection's keypoint index. */
function at<T>(list: T[], i: number): T {
  const k = i < 0 ? i + list.length : i;
  if (!Number.isInteger(k) || k < 0 || k >= list.length) throw new IndexError('list index out of range');
  return list[k];
}

/**
 * draw_keypoints(image, keypoints, connectivity=None, colors=None, radius=2, width=3): image
 * [3, H, W] uint8, keypoints [N, K, 2] (x, y), truncated to integers. Returns a new [3, H, W]
 * uint8 CPU image, as torchvision's.
 */
export function drawKeypoints(...args: ArgsOf<typeof DRAW_KEYPOINTS>): Tensor {
  const { image, keypoints, connectivity = null, colors = null, radius = 2, width = 3 } = DRAW_KEYPOINTS.bind('drawKeypoints', args);
  if (!(image instanceof Tensor)) throw new PyTypeError(`The image must be a tensor, got ${pyType(image)}`);
  if (image.dtype !== uint8) throw new ValueError(`The image dtype must be uint8, got ${image.dtype}`);
  if (image.dim() !== 3) throw new ValueError('Pass individual images, not batches');
  if (image.size(0) !== 3) throw new ValueError('Pass an RGB image. Other Image formats are not supported');
  if (keypoints.dim() !== 3) throw new ValueError('keypoints must be of shape (num_instances, K, 2)');
  const fill = colors === null ? null : solid(toRgb(colors));
  const instances = keypoints.to('cpu', int64).tolist() as number[][][];
  return noGrad(() => {
    const canvas = toCanvas(image);
    for (const points of instances) {
      for (const [x, y] of points) {
        // a negative radius makes an empty box: PIL draws nothing
        if (fill) filledEllipse(canvas, x - radius, y - radius, x + radius, y + radius, fill);
      }
      for (const [from, to] of connectivity ?? []) {
        const [[x0, y0], [x1, y1]] = [at(points, from), at(points, to)];
        if (width > 1) wideLine(canvas, x0, y0, x1, y1, width, solid(WHITE));
        else line(canvas, x0, y0, x1, y1, solid(WHITE));
      }
    }
    return fromCanvas(canvas);
  });
}
