// torchvision's functional.adjust_gamma on tensor images: gain * img ** gamma in [0, 1] floats,
// clamped, back in the image's dtype (uint8 through convert_image_dtype, as torchvision rounds).
import { PyTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { float32 } from '../../tensor/dtype';
import { convertImageDtype, getDimensions } from './functional';
import { registerLibraryExports } from '../../data/library-ref';

/** adjust_gamma(img, gamma, gain=1): I_out = gain * I_in ** gamma on [0, 1] intensities. */
export function adjustGamma(img: Tensor, gamma: number, gain = 1): Tensor {
  if (!(img instanceof Tensor)) throw new PyTypeError('Input img should be a Tensor.');
  const channels = getDimensions(img)[0];
  if (channels !== 1 && channels !== 3) throw new PyTypeError(`Input image tensor permitted channel values are [1, 3], but found ${channels}`);
  if (gamma < 0) throw new ValueError('Gamma should be a non-negative real number');
  const dtype = img.dtype;
  const x = dtype.isFloatingPoint ? img : convertImageDtype(img, float32);
  return convertImageDtype(x.pow(gamma).mul(gain).clamp(0, 1), dtype);
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
