// torchvision.transforms.functional's single-op colour transforms on tensor images (invert,
// posterize, solarize, autocontrast, equalize, adjust_sharpness), with functional_tensor's
// arithmetic and checks, so uint8 results equal torchvision's exactly. A 2-D [H, W] image is a
// one-channel image (PIL's 'L', see index.ts): it runs as [1, H, W] and stays 2-D.
import { PyTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { float32, uint8 } from '../../tensor/dtype';
import { tensor, ones } from '../../tensor/create';
import * as torch from '../../index';
import { conv2d } from '../../nn/functional/conv';
import { registerLibraryExports } from '../../data/library-ref';

function assertImage(img: Tensor): void {
  if (!(img instanceof Tensor)) throw new PyTypeError('img should be Tensor Image');
  if (img.dim() < 2) throw new PyTypeError('Tensor is not a torch image.');
}

/** torchvision's _assert_channels(img, [1, 3]). */
function assertOneOrThreeChannels(img: Tensor): void {
  const c = img.dim() === 2 ? 1 : img.size(-3);
  if (c !== 1 && c !== 3) throw new PyTypeError(`Input image tensor permitted channel values are [1, 3], but found ${c}`);
}

function assertUint8(img: Tensor): void {
  if (img.dtype !== uint8) throw new PyTypeError(`Only torch.uint8 image tensors are supported, but found ${img.dtype}`);
}

/** `fn` on the image as [..., C, H, W]: a 2-D image as [1, H, W], back to 2-D after. */
function onImage(img: Tensor, fn: (chw: Tensor) => Tensor): Tensor {
  return img.dim() === 2 ? fn(img.unsqueeze(0)).squeeze(0) : fn(img);
}

const bound = (img: Tensor): number => (img.dtype.isFloatingPoint ? 1 : 255);

/** bound - img: 255 - x for uint8, 1 - x for float images. */
export function invert(img: Tensor): Tensor {
  assertImage(img);
  assertOneOrThreeChannels(img);
  return tensor(bound(img), { dtype: img.dtype, device: img.device }).sub(img);
}

/** Keeps the `bits` (0-8) high bits of each uint8 value. */
export function posterize(img: Tensor, bits: number): Tensor {
  if (!(bits >= 0 && bits <= 8)) throw new ValueError(`The number if bits should be between 0 and 8. Got ${bits}`);
  assertImage(img);
  assertUint8(img);
  assertOneOrThreeChannels(img);
  // -int(2 ** (8 - bits)), as torchvision: ~(2 ** (8 - bits) - 1) for whole bits, the low bits cleared
  return img.bitwiseAnd(-Math.trunc(2 ** (8 - bits)));
}

/** Inverts the values at or above `threshold`. */
export function solarize(img: Tensor, threshold: number): Tensor {
  assertImage(img);
  assertOneOrThreeChannels(img);
  if (threshold > bound(img)) throw new PyTypeError('Threshold should be less than bound of img.');
  return torch.where(img.ge(threshold), invert(img), img);
}

/** Each channel stretched so that its lowest value becomes 0 and its highest the bound. */
export function autocontrast(img: Tensor): Tensor {
  assertImage(img);
  assertOneOrThreeChannels(img);
  const b = bound(img);
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const minimum = img.amin([-2, -1], { keepdim: true }).to(dtype);
  const maximum = img.amax([-2, -1], { keepdim: true }).to(dtype);
  // Python's `bound / t` is t.reciprocal() * bound; a flat channel (infinite scale) is kept as is
  const scale = maximum.sub(minimum).reciprocal().mul(b);
  const flat = scale.isfinite().logicalNot();
  const lo = torch.where(flat, torch.zerosLike(minimum), minimum);
  const sc = torch.where(flat, torch.onesLike(scale), scale);
  return img.sub(lo).mul(sc).clamp(0, b).to(img.dtype);
}

/** One channel's equalization lookup (torchvision's _scale_channel, PIL's ImageOps.equalize). */
function equalizeChannel(chan: Tensor): Tensor {
  const hist = chan.reshape([-1]).bincount({ minlength: 256 }).tolist() as number[];
  const nonzero = hist.filter((h) => h !== 0);
  const step = Math.floor((nonzero.reduce((a, h) => a + h, 0) - nonzero[nonzero.length - 1]) / 255);
  if (step === 0) return chan;
  const lut = new Array<number>(256);
  let cumulative = 0;
  for (let i = 0; i < 256; i++) {
    lut[i] = Math.min(255, Math.floor((cumulative + Math.floor(step / 2)) / step));
    cumulative += hist[i];
  }
  const table = tensor(lut, { dtype: uint8, device: chan.device });
  return table.index(chan.long());
}

/** Histogram equalization of each channel of a uint8 image ([C, H, W], [B, C, H, W] or [H, W]). */
export function equalize(img: Tensor): Tensor {
  assertImage(img);
  if (img.dim() === 2) return equalize(img.unsqueeze(0)).squeeze(0);
  if (!(img.dim() >= 3 && img.dim() <= 4)) throw new PyTypeError(`Input image tensor should have 3 or 4 dimensions, but found ${img.dim()}`);
  assertUint8(img);
  assertOneOrThreeChannels(img);
  const single = (x: Tensor) => torch.stack(x.unbind(0).map(equalizeChannel));
  return img.dim() === 3 ? single(img) : torch.stack(img.unbind(0).map(single));
}

/** torchvision's _blurred_degenerate_image: PIL's SMOOTH filter inside a 1-pixel border kept as is. */
function blurredDegenerate(img: Tensor): Tensor {
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const kernel = ones([3, 3], { dtype, device: img.device });
  kernel.indexPut_([1, 1], 5);
  kernel.div_(kernel.sum());
  const [c, h, w] = img.shape.slice(-3);
  const batch = img.reshape([-1, c, h, w]);
  let blurred = conv2d(batch.to(dtype), kernel.expand([c, 1, 3, 3]), { groups: c });
  if (!img.dtype.isFloatingPoint) blurred = blurred.round();
  const result = img.clone();
  result.narrow(-2, 1, h - 2).narrow(-1, 1, w - 2).copy_(blurred.to(img.dtype).reshape([...img.shape.slice(0, -2), h - 2, w - 2]));
  return result;
}

/** torchvision's _blend: ratio * img1 + (1 - ratio) * img2, clamped, in img1's dtype. */
/** img1 * ratio + img2 * (1 - ratio), clamped to the image range (adjust_brightness/contrast/saturation/sharpness). */
export function blend(img1: Tensor, img2: Tensor, ratio: number): Tensor {
  // Python's float ratio makes integer images float32 even where it is whole (2.0, and 1 - 2.0)
  const asFloat = (x: Tensor) => (x.dtype.isFloatingPoint ? x : x.to(float32));
  return asFloat(img1).mul(ratio).add(asFloat(img2).mul(1 - ratio)).clamp(0, bound(img1)).to(img1.dtype);
}

/** 0 gives a blurred image, 1 the original, 2 twice as sharp. */
export function adjustSharpness(img: Tensor, sharpnessFactor: number): Tensor {
  if (sharpnessFactor < 0) throw new ValueError(`sharpness_factor (${sharpnessFactor}) is not non-negative.`);
  assertImage(img);
  assertOneOrThreeChannels(img);
  if (img.size(-1) <= 2 || img.size(-2) <= 2) return img;
  return onImage(img, (x) => blend(x, blurredDegenerate(x), sharpnessFactor));
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
