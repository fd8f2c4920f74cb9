// PIL's Image.resize(size, Image.LANCZOS) of an 8-bit RGB or RGBA image, which summary.make_image
// applies for rescale, with Pillow's Resample.c arithmetic: each output pixel's weights (a Lanczos-3
// window, widened when shrinking) are normalized and rounded to 22-bit fixed point; the horizontal
// pass, then the vertical one, sums weight * pixel from 2**21, shifts by 22 bits and clips to 0..255.
// RGBA is resized premultiplied by alpha, as PIL converts it to RGBa and back.
import { Tensor } from '../../tensor/tensor';
import { tensor as tensorOf } from '../../tensor/create';
import { int64, uint8 } from '../../tensor/dtype';
import { cat } from '../../tensor/functions';

const PRECISION_BITS = 32 - 8 - 2;
const SUPPORT = 3; // Lanczos-3

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}

function lanczos(x: number): number {
  return x >= -SUPPORT && x < SUPPORT ? sinc(x) * sinc(x / SUPPORT) : 0;
}

/** precompute_coeffs + normalize_coeffs_8bpc as a dense [outSize, inSize] int64 matrix (zero outside each window). */
function weights(inSize: number, outSize: number): Tensor {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = SUPPORT * filterScale;
  const ss = 1 / filterScale;
  const out = new Array<number>(outSize * inSize).fill(0);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0); // C's (int) casts
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
    const w: number[] = [];
    for (let x = xmin; x < xmax; x++) w.push(lanczos((x - center + 0.5) * ss));
    const total = w.reduce((a, b) => a + b, 0);
    w.forEach((v, i) => {
      const k = total !== 0 ? v / total : v;
      out[xx * inSize + xmin + i] = Math.trunc(k < 0 ? -0.5 + k * 2 ** PRECISION_BITS : 0.5 + k * 2 ** PRECISION_BITS);
    });
  }
  return tensorOf(out, { dtype: int64 }).reshape(outSize, inSize);
}

/** A pass's sums from 2**21, shifted and clipped as Resample.c's clip8. */
function clip8(sums: Tensor): Tensor {
  return sums.add(2 ** (PRECISION_BITS - 1)).div(2 ** PRECISION_BITS, { roundingMode: 'floor' }).clamp(0, 255);
}

/** RGBA to RGBa (int64): MULDIV255(c, alpha) on the colour channels. */
function premultiply(x: Tensor): Tensor {
  const alpha = x.narrow(2, 3, 1);
  const t = x.narrow(2, 0, 3).mul(alpha).add(128);
  const rgb = t.div(256, { roundingMode: 'floor' }).add(t).div(256, { roundingMode: 'floor' });
  return cat([rgb, alpha], 2);
}

/** RGBa to RGBA: 255 * c / alpha, clipped, except where alpha is 0 or 255. */
function unpremultiply(x: Tensor): Tensor {
  const alpha = x.narrow(2, 3, 1);
  const rgb = x.narrow(2, 0, 3);
  const divided = rgb.mul(255).div(alpha.clamp(1, 255), { roundingMode: 'floor' }).clamp(0, 255);
  const kept = alpha.eq(0).logicalOr(alpha.eq(255));
  return cat([divided.where(kept.logicalNot(), rgb), alpha], 2);
}

/** A uint8 HWC image (3 or 4 channels) resized to height x width. */
export function lanczosResize(image: Tensor, height: number, width: number): Tensor {
  const [inHeight, inWidth, channels] = image.shape;
  if (inHeight === height && inWidth === width) return image.clone();
  let x = image.to(int64);
  if (channels === 4) x = premultiply(x);
  if (width !== inWidth) x = clip8(weights(inWidth, width).matmul(x)); // [H, width, C]
  if (height !== inHeight) x = clip8(weights(inHeight, height).matmul(x.reshape(inHeight, width * channels))).reshape(height, width, channels);
  if (channels === 4) x = unpremultiply(x);
  return x.to(uint8);
}
