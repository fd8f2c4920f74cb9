// torchvision.utils.draw_segmentation_masks: boolean masks painted over a uint8 RGB image, each in
// its colour (a later mask over an earlier one), blended with the image by alpha, with torchvision
// 0.14's checks and arithmetic (float32 blend, truncated to uint8).
import { PyTypeError, ValueError, pyType, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { bool, uint8 } from '../../tensor/dtype';
import { tensor as tensorOf } from '../../tensor/create';
import * as torch from '../../index';
import { noGrad } from '../../autograd/grad-mode';
import { ArgsOf, signature } from '../../keywords';
import { Color, generateColorPalette, toRgb } from './colors';

const DRAW_SEGMENTATION_MASKS = signature<{ image: Tensor; masks: Tensor; alpha?: number; colors?: Color | Color[] | null }>()(['image', 'masks'], ['alpha', 'colors']);

/** A single colour (a string or a tuple of numbers) rather than a list of colours. */
const isSingleColor = (c: Color | Color[]): c is Color => typeof c === 'string' || (c.length > 0 && typeof c[0] === 'number');

/**
 * draw_segmentation_masks(image, masks, alpha=0.8, colors=None): image [3, H, W] uint8, masks
 * [N, H, W] or [H, W] bool; colors one colour or a list (a PIL colour string or an RGB tuple), by
 * default torchvision's palette. Returns a new [3, H, W] uint8 image.
 */
export function drawSegmentationMasks(...args: ArgsOf<typeof DRAW_SEGMENTATION_MASKS>): Tensor {
  const { image, masks: givenMasks, alpha = 0.8, colors = null } = DRAW_SEGMENTATION_MASKS.bind('drawSegmentationMasks', args);
  if (!(image instanceof Tensor)) throw new PyTypeError(`The image must be a tensor, got ${pyType(image)}`);
  if (image.dtype !== uint8) throw new ValueError(`The image dtype must be uint8, got ${image.dtype}`);
  if (image.dim() !== 3) throw new ValueError('Pass individual images, not batches');
  if (image.size(0) !== 3) throw new ValueError('Pass an RGB image. Other Image formats are not supported');
  const masks = givenMasks.dim() === 2 ? givenMasks.unsqueeze(0) : givenMasks;
  if (masks.dim() !== 3) throw new ValueError('masks must be of shape (H, W) or (batch_size, H, W)');
  if (masks.dtype !== bool) throw new ValueError(`The masks must be of dtype bool. Got ${masks.dtype}`);
  if (masks.size(1) !== image.size(1) || masks.size(2) !== image.size(2)) throw new ValueError('The image and the masks must have the same height and width');

  const numMasks = masks.size(0);
  // Python takes len() of whatever colors is: a string's length, a tuple's
  if (colors !== null && numMasks > colors.length) throw new ValueError(`There are more masks (${numMasks}) than colors (${colors.length})`);
  if (numMasks === 0) {
    warn("masks doesn't contain any mask. No mask was drawn");
    return image;
  }
  const list: Color[] = colors === null ? generateColorPalette(numMasks) : isSingleColor(colors) ? [colors] : colors;
  const first = list[0];
  if (typeof first !== 'string' && !Array.isArray(first)) throw new ValueError('colors must be a tuple or a string, or a list thereof');
  if (Array.isArray(first) && first.length !== 3) throw new ValueError('It seems that you passed a tuple of colors instead of a list of colors');

  return noGrad(() => {
    let drawn = image;
    // zip(masks, colors): as many masks as there are colours
    for (let i = 0; i < Math.min(numMasks, list.length); i++) {
      const color = tensorOf([...toRgb(list[i])], { dtype: uint8, device: image.device });
      if (color.numel() !== 3) throw new ValueError(`colors must be RGB: got ${color.numel()} components for mask ${i}`);
      drawn = torch.where(masks.select(0, i).to(image.device), color.view([3, 1, 1]), drawn);
    }
    return image.mul(1 - alpha).add(drawn.mul(alpha)).to(uint8);
  });
}
