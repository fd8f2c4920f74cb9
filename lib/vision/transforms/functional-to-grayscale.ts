// torchvision's functional.to_grayscale, which takes PIL images only: here a PIL image is a uint8
// tensor ([H, W] for 'L', [C, H, W] for 'LA', 'RGB', 'RGBA'; see index.ts), converted as PIL's
// img.convert('L') does, with PIL's rounded fixed-point ITU-R 601-2 luma (rgb_to_grayscale, the
// tensor path, truncates instead).
import { PyTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { int32, uint8 } from '../../tensor/dtype';
import { registerLibraryExports } from '../../data/library-ref';

/** PIL's luma weights in 16-bit fixed point (0.299, 0.587, 0.114 times 65536, summing to 65536). */
const [R_WEIGHT, G_WEIGHT, B_WEIGHT] = [19595, 38470, 7471];

/** img.convert('L'): the [H, W] uint8 luma of a PIL-style image. */
function pilLuma(img: Tensor): Tensor {
  if (img.dim() === 2) return img.clone();
  const channels = img.size(0);
  // 'L' and 'LA' keep their first channel; 'RGB' and 'RGBA' weigh red, green and blue (alpha ignored)
  if (channels <= 2) return img.select(0, 0).clone();
  const [r, g, b] = [0, 1, 2].map((c) => img.select(0, c).to(int32));
  const sum = r.mul(R_WEIGHT).add(g.mul(G_WEIGHT)).add(b.mul(B_WEIGHT)).add(1 << 15);
  return sum.div(1 << 16, { roundingMode: 'floor' }).to(uint8);
}

/**
 * to_grayscale(img, num_output_channels=1): a PIL-style uint8 image as grayscale, [H, W] ('L') for
 * one output channel, [3, H, W] with r = g = b for three.
 */
export function toGrayscale(img: Tensor, numOutputChannels = 1): Tensor {
  if (!(img instanceof Tensor)) throw new PyTypeError('Input should be PIL Image');
  if (img.dtype !== uint8 || (img.dim() !== 2 && img.dim() !== 3) || (img.dim() === 3 && img.size(0) > 4)) {
    throw new PyTypeError(`Input should be PIL Image: a uint8 [H, W] or [C, H, W] (C <= 4) tensor, got ${img.dtype} of shape [${img.shape.join(', ')}]; rgbToGrayscale converts other tensors`);
  }
  const luma = pilLuma(img);
  if (numOutputChannels === 1) return luma;
  if (numOutputChannels === 3) return luma.unsqueeze(0).expand([3, ...luma.shape]).contiguous();
  throw new ValueError('num_output_channels should be either 1 or 3');
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
