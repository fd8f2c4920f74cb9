// torchvision.utils.draw_bounding_boxes: box outlines (and translucent fills) drawn on a uint8 image
// as PIL's ImageDraw.rectangle rasterises them in torchvision 0.14 (Pillow 9), pixel for pixel.
// Labels are not drawn: PIL renders them with a font, and torch-node has no font renderer.
import { NotImplementedError, PyTypeError, ValueError, pyType, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { int64, uint8 } from '../../tensor/dtype';
import { noGrad } from '../../autograd/grad-mode';
import { ArgsOf, signature } from '../../keywords';
import { Color, generateColorPalette, toRgb } from './colors';
import { blended, fromCanvas, rectangle, solid, toCanvas } from './raster';

/** The alpha torchvision fills boxes with (out of 255). */
const FILL_ALPHA = 100;

export interface DrawBoundingBoxesArgs {
  image: Tensor;
  boxes: Tensor;
  /** one label a box; torch-node cannot draw text, so only absent (or empty) labels are accepted */
  labels?: (string | null)[] | null;
  colors?: Color | Color[] | null;
  fill?: boolean | null;
  width?: number;
  font?: string | null;
  fontSize?: number | null;
}
const DRAW_BOUNDING_BOXES = signature<DrawBoundingBoxesArgs>()(['image', 'boxes'], ['labels', 'colors', 'fill', 'width', 'font', 'fontSize']);

/** A single colour (a string or a tuple of numbers) rather than a list of colours. */
const isSingleColor = (c: Color | Color[]): c is Color => typeof c === 'string' || (c.length > 0 && typeof c[0] === 'number');

/**
 * draw_bounding_boxes(image, boxes, labels=None, colors=None, fill=False, width=1, font=None,
 * font_size=None): image [C, H, W] uint8 (C 1 or 3), boxes [N, 4] (xmin, ymin, xmax, ymax) in
 * pixels (truncated to integers). Returns a new [3, H, W] uint8 CPU image, as torchvision's.
 * Filled boxes are the box colour at alpha 100 over the image. Labels (text) raise
 * NotImplementedError: torchvision draws them with PIL's fonts, which torch-node does not have.
 */
export function drawBoundingBoxes(...args: ArgsOf<typeof DRAW_BOUNDING_BOXES>): Tensor {
  const o = DRAW_BOUNDING_BOXES.bind('drawBoundingBoxes', args);
  const { image, boxes, labels = null, fill = false, width = 1, font = null, fontSize = null } = o;
  if (!(image instanceof Tensor)) throw new PyTypeError(`Tensor expected, got ${pyType(image)}`);
  if (image.dtype !== uint8) throw new ValueError(`Tensor uint8 expected, got ${image.dtype}`);
  if (image.dim() !== 3) throw new ValueError('Pass individual images, not batches');
  if (image.size(0) !== 1 && image.size(0) !== 3) throw new ValueError('Only grayscale and RGB images are supported');
  if (boxes.numel() > 0 && badOrder(boxes)) {
    throw new ValueError('Boxes need to be in (xmin, ymin, xmax, ymax) format. Use torchvision.ops.box_convert to convert them');
  }
  const numBoxes = boxes.size(0);
  if (numBoxes === 0) {
    warn("boxes doesn't contain any box. No box was drawn");
    return image;
  }
  if (labels !== null && labels.length !== numBoxes) {
    throw new ValueError(`Number of boxes (${numBoxes}) and labels (${labels.length}) mismatch. Please specify labels for each box.`);
  }
  const colors = o.colors ?? null;
  let list: Color[];
  if (colors === null) list = generateColorPalette(numBoxes);
  else if (!isSingleColor(colors)) {
    if (colors.length < numBoxes) throw new ValueError(`Number of colors (${colors.length}) is less than number of boxes (${numBoxes}). `);
    list = colors;
  } else list = Array.from({ length: numBoxes }, () => colors);
  const rgbs = list.map(toRgb);
  if (font === null && fontSize !== null) warn("Argument 'font_size' will be ignored since 'font' is not set.");
  if (labels !== null && labels.some((l) => l !== null && l !== '')) {
    throw new NotImplementedError("drawBoundingBoxes() cannot draw labels: torchvision renders them with PIL's fonts, which torch-node does not have; pass labels=null");
  }
  if (fill && rgbs.some((c) => c.length !== 3)) throw new ValueError('filled boxes need RGB colours (PIL adds the fill alpha itself)');

  // PIL takes integer corners: torchvision truncates them with .to(torch.int64)
  const corners = boxes.to('cpu', int64).tolist() as number[][];
  return noGrad(() => {
    const rgb = image.size(0) === 1 ? image.expand([3, -1, -1]) : image;
    const canvas = toCanvas(rgb);
    corners.forEach((box, i) => rectangle(canvas, box, width, solid(rgbs[i]), fill ? blended(rgbs[i], FILL_ALPHA) : null));
    return fromCanvas(canvas);
  });
}

/** torchvision's check on the boxes as given (before truncation): a min corner past the max one. */
function badOrder(boxes: Tensor): boolean {
  return Boolean(boxes.select(1, 0).gt(boxes.select(1, 2)).any().item()) || Boolean(boxes.select(1, 1).gt(boxes.select(1, 3)).any().item());
}
