// torchvision.transforms.functional on tensor images ([..., C, H, W]), following
// torchvision 0.14's functional_tensor arithmetic so results equal torchvision's on the same tensors.
import { TorchError, ValueError, PyTypeError, pyType } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { DType, float32, float64, uint8, int8, int16, int32, int64 } from '../../tensor/dtype';
import { tensor, zerosLike, empty, linspace, ones } from '../../tensor/create';
import { cat, stack } from '../../tensor/functions';
import * as torch from '../../index';
import { interpolate, pad as torchPad, gridSample } from '../../nn/functional/vision';
import { conv2d } from '../../nn/functional/conv';
import { registerLibraryExports } from '../../data/library-ref';
import { blend } from './color-ops';
import { pyEnum } from './py-enum';
import { ArgsOf, signature } from '../../keywords';

/** torchvision's InterpolationMode, those tensor images take: InterpolationMode.BILINEAR is 'bilinear'; InterpolationMode('bilinear') checks a name. */
export const InterpolationMode = pyEnum('InterpolationMode', { NEAREST: 'nearest', BILINEAR: 'bilinear', BICUBIC: 'bicubic' } as const);
export type InterpolationMode = 'nearest' | 'bilinear' | 'bicubic';
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** Python's round(): halves to even. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function assertImage(img: Tensor): void {
  if (!(img instanceof Tensor)) throw new PyTypeError('img should be Tensor Image');
  if (img.dim() < 2) throw new PyTypeError(`Tensor is not a torch image.`);
}

/**
 * A 2-D [H, W] image (what MNIST-style datasets give, where torchvision gives a PIL 'L' image) run
 * through `fn` as [1, H, W], then back to 2-D: the image keeps its shape convention, as a PIL image
 * keeps its mode, so ToTensor after it gives torchvision's [1, H, W].
 */
function asSingleChannel(img: Tensor, fn: (chw: Tensor) => Tensor): Tensor {
  return img.dim() === 2 ? fn(img.unsqueeze(0)).squeeze(0) : fn(img);
}

/** [channels, height, width] of an image tensor ([..., C, H, W], or [H, W]). */
export function getDimensions(img: Tensor): [number, number, number] {
  assertImage(img);
  const s = img.shape;
  return [img.dim() === 2 ? 1 : s[s.length - 3], s[s.length - 2], s[s.length - 1]];
}

/** get_image_size: [width, height] of an image tensor (PIL's img.size order). */
export function getImageSize(img: Tensor): [number, number] {
  assertImage(img);
  return [img.size(-1), img.size(-2)];
}

/** get_image_num_channels: 1 for an [H, W] image (PIL's 'L'), else the size of dimension -3. */
export function getImageNumChannels(img: Tensor): number {
  return getDimensions(img)[0];
}

function maxValue(dtype: DType): number {
  const table: [DType, number][] = [[uint8, 255], [int8, 127], [int16, 32767], [int32, 2147483647], [int64, 9223372036854775807]];
  const hit = table.find(([d]) => d === dtype);
  return hit ? hit[1] : 1;
}
const INT_DTYPES = [uint8, int8, int16, int32, int64];

/** PIL's ToTensor on the uint8 image a decoder gives ([C, H, W] or [H, W]): float in [0, 1], [C, H, W]. */
export function toTensor(pic: Tensor): Tensor {
  const img = pic.dim() === 2 ? pic.unsqueeze(0) : pic;
  if (img.dtype === uint8) return img.to(float32).div(255);
  return img.dtype.isFloatingPoint ? img : img.to(float32);
}

// torchvision's image modes by channel count; torch-node images are tensors, so a mode only names
// the layout the pixels already have ([H, W] for one channel, [C, H, W] uint8 otherwise).
const ONE_CHANNEL_MODES: Record<string, string> = { uint8: 'L', int16: 'I;16', int32: 'I', float32: 'F' };
const NATURAL_MODE: Record<number, string> = { 2: 'LA', 3: 'RGB', 4: 'RGBA' };

/**
 * to_pil_image(pic, mode=None): what torchvision's PIL image holds, as a torch-node image: a float
 * tensor scaled by 255 to uint8 (unless mode 'F'), one channel as [H, W], others as [C, H, W].
 */
export function toPilImage(pic: Tensor, mode?: string | null): Tensor {
  if (!(pic instanceof Tensor)) throw new PyTypeError(`pic should be Tensor or ndarray. Got ${pyType(pic)}.`);
  if (pic.dim() !== 2 && pic.dim() !== 3) throw new ValueError(`pic should be 2/3 dimensional. Got ${pic.dim()} dimensions.`);
  let img = pic.dim() === 2 ? pic.unsqueeze(0) : pic;
  const channels = img.shape[0];
  if (channels > 4) throw new ValueError(`pic should not have > 4 channels. Got ${channels} channels.`);
  if (img.dtype.isFloatingPoint && mode !== 'F') img = img.mul(255).to(uint8);
  if (channels === 1) {
    const expected = ONE_CHANNEL_MODES[img.dtype.name];
    if (mode != null && mode !== expected) throw new ValueError(`Incorrect mode (${mode}) supplied for input type ${img.dtype.name}. Should be ${expected}`);
    if (expected === undefined) throw new PyTypeError(`Input type ${img.dtype.name} is not supported`);
    return img.squeeze(0);
  }
  if (img.dtype !== uint8) throw new PyTypeError(`Input type ${img.dtype.name} is not supported`);
  const natural = NATURAL_MODE[channels];
  if (mode != null && mode !== natural) {
    throw new TorchError(`ToPILImage mode '${mode}': torch-node images are tensors and keep their pixels as ${natural}; convert colour spaces explicitly`);
  }
  return img;
}

/** PILToTensor: the image's values unchanged, as [C, H, W]. */
export function pilToTensor(pic: Tensor): Tensor {
  return pic.dim() === 2 ? pic.unsqueeze(0) : pic;
}

export function convertImageDtype(image: Tensor, dtype: DType = float32): Tensor {
  if (image.dtype === dtype) return image;
  if (image.dtype.isFloatingPoint) {
    if (dtype.isFloatingPoint) return image.to(dtype);
    if ((image.dtype === float32 && (dtype === int32 || dtype === int64)) || (image.dtype === float64 && dtype === int64)) {
      throw new TorchError(`The cast from ${image.dtype} to ${dtype} cannot be performed safely.`);
    }
    return image.mul(maxValue(dtype) + 1 - 0.001).to(dtype);
  }
  const inputMax = maxValue(image.dtype);
  if (dtype.isFloatingPoint) return image.to(dtype).div(inputMax);
  const outputMax = maxValue(dtype);
  if (inputMax > outputMax) {
    const factor = Math.floor((inputMax + 1) / (outputMax + 1));
    return torch.div(image, factor, { roundingMode: 'floor' }).to(dtype);
  }
  return image.to(dtype).mul(Math.floor((outputMax + 1) / (inputMax + 1)));
}

const NORMALIZE = signature<{ tensor: Tensor; mean: readonly number[]; std: readonly number[]; inplace?: boolean }>()(['tensor', 'mean', 'std'], ['inplace']);

/** normalize(tensor, mean, std, inplace=False): positionally, or the rest by keyword (`F.normalize(t, { mean, std })`). */
export function normalize(...args: ArgsOf<typeof NORMALIZE>): Tensor {
  const { tensor: t, mean, std, inplace = false } = NORMALIZE.bind('normalize', args);
  if (!t.dtype.isFloatingPoint) throw new TorchError(`Input tensor should be a float tensor. Got ${t.dtype}.`);
  if (t.dim() < 3) throw new TorchError(`Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = [${t.shape.join(', ')}]`);
  const m = tensor([...mean], { dtype: t.dtype, device: t.device });
  const s = tensor([...std], { dtype: t.dtype, device: t.device });
  if (s.eq(0).any().item()) throw new TorchError(`std evaluated to zero after conversion to ${t.dtype}, leading to division by zero.`);
  const view = (x: Tensor) => (x.dim() === 1 ? x.view([-1, 1, 1]) : x);
  return inplace ? t.sub_(view(m)).div_(view(s)) : t.sub(view(m)).div(view(s));
}

/** torchvision's _compute_resized_output_size: [h, w] after a resize to `size`. */
export function resizedOutputSize(h: number, w: number, size: number | readonly number[], maxSize?: number): [number, number] {
  const list = typeof size === 'number' ? [size] : size;
  if (list.length !== 1) return [list[0], list[1]];
  const [short, long] = w <= h ? [w, h] : [h, w];
  let newShort = list[0];
  let newLong = Math.trunc((newShort * long) / short);
  if (maxSize !== undefined) {
    if (maxSize <= newShort) throw new TorchError(`max_size = ${maxSize} must be strictly greater than the requested size for the smaller edge size = ${JSON.stringify(size)}`);
    if (newLong > maxSize) [newShort, newLong] = [Math.trunc((maxSize * newShort) / newLong), maxSize];
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/** (image as float, squeezed?, cast?, original dtype) — torchvision's _cast_squeeze_in. */
function castSqueezeIn(img: Tensor, req: DType[]): [Tensor, boolean, boolean, DType] {
  let x = img;
  const needSqueeze = x.dim() < 4;
  if (needSqueeze) x = x.unsqueeze(0);
  const outDtype = x.dtype;
  const needCast = !req.includes(outDtype);
  if (needCast) x = x.to(req[0]);
  return [x, needCast, needSqueeze, outDtype];
}

function castSqueezeOut(img: Tensor, needCast: boolean, needSqueeze: boolean, outDtype: DType): Tensor {
  let x = needSqueeze ? img.squeeze(0) : img;
  if (needCast) {
    if (INT_DTYPES.includes(outDtype)) x = x.round();
    x = x.to(outDtype);
  }
  return x;
}

const RESIZE = signature<{ img: Tensor; size: number | readonly number[]; interpolation?: InterpolationMode; maxSize?: number | null; antialias?: boolean | null }>()(
  ['img', 'size'],
  ['interpolation', 'maxSize', 'antialias'],
);

/**
 * torchvision 0.17+'s resize: `antialias` defaults to true (what PIL always does, so a uint8 tensor
 * from readImage or a dataset resizes as torchvision resizes the PIL image); it only applies to
 * bilinear and bicubic and is ignored for the other modes. `false`, or `null` (torchvision 0.14's
 * tensor default None), resize without it.
 */
export function resize(...args: ArgsOf<typeof RESIZE>): Tensor {
  const { img, size, interpolation = 'bilinear', maxSize, antialias = true } = RESIZE.bind('resize', args);
  return resizeImage(img, size, interpolation, maxSize ?? undefined, antialias);
}

function resizeImage(img: Tensor, size: number | readonly number[], interpolation: InterpolationMode, maxSize: number | undefined, antialias: boolean | null): Tensor {
  if (img.dim() === 2) return asSingleChannel(img, (x) => resizeImage(x, size, interpolation, maxSize, antialias));
  const [, h, w] = getDimensions(img);
  const [oh, ow] = resizedOutputSize(h, w, size, maxSize);
  if (oh === h && ow === w) return img;
  // None means false; true is ignored (not an error, as in 0.14) for modes other than bilinear/bicubic
  const aa = (antialias ?? false) && (interpolation === 'bilinear' || interpolation === 'bicubic');
  const [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [float32, float64]);
  const alignCorners = interpolation === 'nearest' ? null : false;
  let y = interpolate(x, { size: [oh, ow], mode: interpolation, alignCorners, antialias: aa });
  if (interpolation === 'bicubic' && outDtype === uint8) y = y.clamp(0, 255);
  return castSqueezeOut(y, needCast, needSqueeze, outDtype);
}

/** The region [top, top+height) x [left, left+width), zero-padded where it leaves the image. */
export function crop(img: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const [, h, w] = getDimensions(img);
  const right = left + width;
  const bottom = top + height;
  const region = (t: number, b: number, l: number, r: number) => img.narrow(-2, t, b - t).narrow(-1, l, r - l);
  if (left < 0 || top < 0 || right > w || bottom > h) {
    const ltrb = [Math.max(-left + Math.min(0, right), 0), Math.max(-top + Math.min(0, bottom), 0), Math.max(right - Math.max(w, left), 0), Math.max(bottom - Math.max(h, top), 0)];
    const t0 = Math.max(top, 0), l0 = Math.max(left, 0);
    return pad(region(Math.min(t0, h), Math.min(Math.max(bottom, t0), h), Math.min(l0, w), Math.min(Math.max(right, l0), w)), ltrb, 0);
  }
  return region(top, bottom, left, right);
}

function pairSize(size: number | readonly number[]): [number, number] {
  if (typeof size === 'number') return [size, size];
  return size.length === 1 ? [size[0], size[0]] : [size[0], size[1]];
}

export function centerCrop(img: Tensor, outputSize: number | readonly number[]): Tensor {
  const [ch, cw] = pairSize(outputSize);
  let [, ih, iw] = getDimensions(img);
  if (cw > iw || ch > ih) {
    const ltrb = [cw > iw ? (cw - iw) >> 1 : 0, ch > ih ? (ch - ih) >> 1 : 0, cw > iw ? (cw - iw + 1) >> 1 : 0, ch > ih ? (ch - ih + 1) >> 1 : 0];
    img = pad(img, ltrb, 0);
    [, ih, iw] = getDimensions(img);
    if (cw === iw && ch === ih) return img;
  }
  return crop(img, pyRound((ih - ch) / 2), pyRound((iw - cw) / 2), ch, cw);
}

const RESIZED_CROP = signature<{
  img: Tensor; top: number; left: number; height: number; width: number; size: number | readonly number[];
  interpolation?: InterpolationMode; antialias?: boolean | null;
}>()(['img', 'top', 'left', 'height', 'width', 'size'], ['interpolation', 'antialias']);

/**
 * resized_crop(img, top, left, height, width, size, interpolation=BILINEAR, antialias): crop, then
 * resize to `size` (what RandomResizedCrop does); antialias defaults to true as in resize here.
 */
export function resizedCrop(...args: ArgsOf<typeof RESIZED_CROP>): Tensor {
  const { img, top, left, height, width, size, interpolation = 'bilinear', antialias = true } = RESIZED_CROP.bind('resizedCrop', args);
  return resize(crop(img, top, left, height, width), size, interpolation, undefined, antialias);
}

export const hflip = (img: Tensor): Tensor => img.flip([-1]);
export const vflip = (img: Tensor): Tensor => img.flip([-2]);

/** [left, right, top, bottom] from an int or 1, 2 or 4 numbers (left, top, right, bottom). */
function parsePadding(padding: number | readonly number[]): [number, number, number, number] {
  if (typeof padding === 'number') return [padding, padding, padding, padding];
  if (padding.length === 1) return [padding[0], padding[0], padding[0], padding[0]];
  if (padding.length === 2) return [padding[0], padding[0], padding[1], padding[1]];
  if (padding.length === 4) return [padding[0], padding[2], padding[1], padding[3]];
  throw new TorchError(`Padding must be an int or a 1, 2, or 4 element tuple, not a ${padding.length} element tuple`);
}

function padSymmetric(img: Tensor, p: [number, number, number, number]): Tensor {
  if (p.some((x) => x < 0)) {
    const [cl, cr, ct, cb] = p.map((x) => -Math.min(x, 0));
    img = img.narrow(-2, ct, img.size(-2) - ct - cb).narrow(-1, cl, img.size(-1) - cl - cr);
    p = p.map((x) => Math.max(x, 0)) as [number, number, number, number];
  }
  const idx = (n: number, before: number, after: number) => {
    const out: number[] = [];
    for (let i = before - 1; i >= 0; i--) out.push(i);
    for (let i = 0; i < n; i++) out.push(i);
    for (let i = 0; i < after; i++) out.push(n - 1 - i);
    return tensor(out, { dtype: int64, device: img.device });
  };
  return img.indexSelect(-2, idx(img.size(-2), p[2], p[3])).indexSelect(-1, idx(img.size(-1), p[0], p[1]));
}

export function pad(img: Tensor, padding: number | readonly number[], fill: number | null = 0, paddingMode: PaddingMode = 'constant'): Tensor {
  assertImage(img);
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(paddingMode)) throw new TorchError('Padding mode should be either constant, edge, reflect or symmetric');
  const p = parsePadding(padding);
  if (paddingMode === 'symmetric') return padSymmetric(img, p);
  const mode = paddingMode === 'edge' ? 'replicate' : paddingMode;
  let x = img;
  const needSqueeze = x.dim() < 4;
  if (needSqueeze) x = x.unsqueeze(0);
  const outDtype = x.dtype;
  const needCast = mode !== 'constant' && outDtype !== float32 && outDtype !== float64;
  if (needCast) x = x.to(float32);
  x = mode === 'constant' ? torchPad(x, p, { mode, value: fill ?? 0 }) : torchPad(x, p, { mode });
  if (needSqueeze) x = x.squeeze(0);
  return needCast ? x.to(outDtype) : x;
}

export function rgbToGrayscale(img: Tensor, numOutputChannels: 1 | 3 = 1): Tensor {
  // a 2-D image is PIL's 'L': Grayscale(1) keeps it [H, W], Grayscale(3) makes it RGB, [3, H, W]
  if (img.dim() === 2) return numOutputChannels === 3 ? img.unsqueeze(0).expand([3, ...img.shape]) : img.clone();
  if (img.dim() < 3) throw new TorchError(`Input image tensor should have at least 3 dimensions, but found ${img.dim()}`);
  const c = img.size(-3);
  if (c !== 1 && c !== 3) throw new TorchError(`Input image tensor permitted channel values are [1, 3], but found ${c}`);
  let l: Tensor;
  if (c === 3) {
    const [r, g, b] = img.unbind(-3);
    l = r.mul(0.2989).add(g.mul(0.587)).add(b.mul(0.114)).to(img.dtype).unsqueeze(-3);
  } else {
    l = img.clone();
  }
  return numOutputChannels === 3 ? l.expand(img.shape) : l;
}

export function adjustBrightness(img: Tensor, factor: number): Tensor {
  if (factor < 0) throw new TorchError(`brightness_factor (${factor}) is not non-negative.`);
  return blend(img, zerosLike(img), factor);
}

export function adjustContrast(img: Tensor, factor: number): Tensor {
  if (factor < 0) throw new TorchError(`contrast_factor (${factor}) is not non-negative.`);
  if (img.dim() === 2) return asSingleChannel(img, (x) => adjustContrast(x, factor));
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const gray = getDimensions(img)[0] === 3 ? rgbToGrayscale(img) : img;
  return blend(img, gray.to(dtype).mean([-3, -2, -1], { keepdim: true }), factor);
}

export function adjustSaturation(img: Tensor, factor: number): Tensor {
  if (factor < 0) throw new TorchError(`saturation_factor (${factor}) is not non-negative.`);
  if (getDimensions(img)[0] === 1) return img;
  return blend(img, rgbToGrayscale(img), factor);
}

function rgb2hsv(img: Tensor): Tensor {
  const [r, g, b] = img.unbind(-3);
  const maxc = img.amax(-3);
  const minc = img.amin(-3);
  const eqc = maxc.eq(minc);
  const cr = maxc.sub(minc);
  const onesT = torch.onesLike(maxc);
  const s = cr.div(torch.where(eqc, onesT, maxc));
  const crDiv = torch.where(eqc, onesT, cr);
  const rc = maxc.sub(r).div(crDiv);
  const gc = maxc.sub(g).div(crDiv);
  const bc = maxc.sub(b).div(crDiv);
  const hr = maxc.eq(r).mul(bc.sub(gc));
  const hg = maxc.eq(g).logicalAnd(maxc.ne(r)).mul(rc.sub(bc).add(2));
  const hb = maxc.ne(g).logicalAnd(maxc.ne(r)).mul(gc.sub(rc).add(4));
  const h = torch.fmod(hr.add(hg).add(hb).div(6).add(1), 1);
  return stack([h, s, maxc], -3);
}

function hsv2rgb(img: Tensor): Tensor {
  const [h, s, v] = img.unbind(-3);
  const i0 = torch.floor(h.mul(6));
  const f = h.mul(6).sub(i0);
  const i = i0.to(int32).remainder(6);
  const p = v.mul(s.neg().add(1)).clamp(0, 1);
  const q = v.mul(s.mul(f).neg().add(1)).clamp(0, 1);
  const t = v.mul(s.mul(f.neg().add(1)).neg().add(1)).clamp(0, 1);
  const mask = i.unsqueeze(-3).eq(torch.arange(6, { device: i.device }).view([-1, 1, 1]));
  const a1 = stack([v, q, p, p, t, v], -3);
  const a2 = stack([t, v, v, q, p, p], -3);
  const a3 = stack([p, p, t, v, v, q], -3);
  const a4 = stack([a1, a2, a3], -4);
  return torch.einsum('...ijk, ...xijk -> ...xjk', [mask.to(img.dtype), a4]);
}

export function adjustHue(img: Tensor, factor: number): Tensor {
  if (!(factor >= -0.5 && factor <= 0.5)) throw new TorchError(`hue_factor (${factor}) is not in [-0.5, 0.5].`);
  if (getDimensions(img)[0] === 1) return img;
  const orig = img.dtype;
  let x = orig === uint8 ? img.to(float32).div(255) : img;
  x = rgb2hsv(x);
  const [h, s, v] = x.unbind(-3);
  const out = hsv2rgb(stack([h.add(factor).remainder(1), s, v], -3));
  return orig === uint8 ? out.mul(255).to(orig) : out;
}

/**
 * torchvision's _get_inverse_affine_matrix: the output-to-input map of a rotation by `angle` degrees
 * with scale, shear (degrees, [x, y]) and translation about `center`, as [a, b, c, d, e, f].
 */
function inverseAffineMatrix(center: [number, number], angle: number, translate: [number, number], scale: number, shear: [number, number]): number[] {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const rot = rad(angle), sx = rad(shear[0]), sy = rad(shear[1]);
  const [cx, cy] = center;
  const [tx, ty] = translate;
  // rotation, scale and shear without the scale (its determinant is 1)
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((x) => x / scale);
  m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
  m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
  m[2] += cx;
  m[5] += cy;
  return m;
}

function affineGrid(theta: Tensor, w: number, h: number, ow: number, oh: number): Tensor {
  const base = empty([1, oh, ow, 3], { dtype: theta.dtype });
  base.select(-1, 0).copy_(linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, ow));
  base.select(-1, 1).copy_(linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, oh).unsqueeze_(-1));
  base.select(-1, 2).fill_(1);
  const rescaled = theta.transpose(1, 2).div(tensor([0.5 * w, 0.5 * h], { dtype: theta.dtype }));
  return base.view([1, oh * ow, 3]).bmm(rescaled).view([1, oh, ow, 2]);
}

/** torchvision's check of rotate/affine/perspective: a list of fill values has one per channel, or one for all. */
function checkFill(img: Tensor, fill: number | readonly number[] | null): void {
  const channels = getDimensions(img)[0];
  if (Array.isArray(fill) && fill.length > 1 && fill.length !== channels) {
    throw new ValueError(`The number of elements in 'fill' cannot broadcast to match the number of channels of the image (${fill.length} != ${channels})`);
  }
}

/** @internal torchvision's _apply_grid_transform (rotate, affine, perspective, elastic_transform): grid_sample, then `fill` blended in by a mask. */
export function applyGridTransform(img: Tensor, grid: Tensor, mode: 'nearest' | 'bilinear', fill: number | readonly number[] | null): Tensor {
  let [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [grid.dtype]);
  if (x.shape[0] > 1) grid = grid.expand([x.shape[0], grid.shape[1], grid.shape[2], grid.shape[3]]);
  if (fill !== null) x = cat([x, ones([x.shape[0], 1, x.shape[2], x.shape[3]], { dtype: x.dtype, device: x.device })], 1);
  x = gridSample(x, grid, { mode, paddingMode: 'zeros', alignCorners: false });
  if (fill !== null) {
    const c = x.shape[1] - 1;
    const mask = x.narrow(1, c, 1).expand([x.shape[0], c, x.shape[2], x.shape[3]]);
    x = x.narrow(1, 0, c);
    const fl = typeof fill === 'number' ? [fill] : [...fill];
    const fillImg = tensor(fl, { dtype: x.dtype, device: x.device }).view([1, fl.length, 1, 1]).expandAs(x);
    x = mode === 'nearest' ? torch.where(mask.lt(0.5), fillImg, x) : x.mul(mask).add(mask.neg().add(1).mul(fillImg));
  }
  return castSqueezeOut(x, needCast, needSqueeze, outDtype);
}

/** The output size of a rotation with expand (torchvision's _compute_affine_output_size, float32 as there). */
function rotatedSize(matrix: number[], w: number, h: number): [number, number] {
  // float32 even where every corner is a whole number (an even width and height)
  const pts = tensor([[-0.5 * w, -0.5 * h, 1], [-0.5 * w, 0.5 * h, 1], [0.5 * w, 0.5 * h, 1], [0.5 * w, -0.5 * h, 1]], { dtype: float32 });
  const theta = tensor(matrix, { dtype: float32 }).view([2, 3]);
  const pts2 = pts.matmul(theta.t());
  const shift = tensor([w * 0.5, h * 0.5], { dtype: float32 });
  const minV = pts2.amin(0).add(shift);
  const maxV = pts2.amax(0).add(shift);
  const tol = 1e-4;
  const cmax = torch.ceil(maxV.div(tol).trunc_().mul(tol));
  const cmin = torch.floor(minV.div(tol).trunc_().mul(tol));
  const size = cmax.sub(cmin).tolist() as number[];
  return [Math.trunc(size[0]), Math.trunc(size[1])];
}

export function rotate(img: Tensor, angle: number, interpolation: 'nearest' | 'bilinear' = 'nearest', expand = false, center: [number, number] | null = null, fill: number | readonly number[] | null = null): Tensor {
  if (img.dim() === 2) return asSingleChannel(img, (x) => rotate(x, angle, interpolation, expand, center, fill));
  checkFill(img, fill);
  const [, height, width] = getDimensions(img);
  const centerF: [number, number] = center ? [center[0] - width * 0.5, center[1] - height * 0.5] : [0, 0];
  const matrix = inverseAffineMatrix(centerF, -angle, [0, 0], 1, [0, 0]);
  const [ow, oh] = expand ? rotatedSize(matrix, width, height) : [width, height];
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const theta = tensor(matrix, { dtype, device: img.device }).reshape([1, 2, 3]);
  return applyGridTransform(img, affineGrid(theta, width, height, ow, oh), interpolation, fill);
}

/**
 * torchvision's F.affine on tensors: rotate by `angle` degrees, scale, shear (degrees: a number is the
 * x shear, [x] both, [x, y]) and translate (pixels) about `center` (pixels; the image centre by
 * default), keeping the size; the area from outside the image gets `fill`.
 */
export function affine(
  img: Tensor,
  angle: number,
  translate: readonly number[],
  scale: number,
  shear: number | readonly number[],
  interpolation: 'nearest' | 'bilinear' = 'nearest',
  fill: number | readonly number[] | null = null,
  center: readonly number[] | null = null,
): Tensor {
  if (img.dim() === 2) return asSingleChannel(img, (x) => affine(x, angle, translate, scale, shear, interpolation, fill, center));
  checkFill(img, fill);
  if (translate.length !== 2) throw new TorchError('Argument translate should be a sequence of length 2');
  if (!(scale > 0)) throw new TorchError('Argument scale should be positive');
  const sh = typeof shear === 'number' ? [shear, 0] : shear.length === 1 ? [shear[0], shear[0]] : [...shear];
  if (sh.length !== 2) throw new TorchError(`Shear should be a sequence containing two values. Got [${sh.join(', ')}]`);
  const [, height, width] = getDimensions(img);
  // torchvision's tensor convention: the centre in pixels relative to the image centre
  const centerF: [number, number] = center ? [center[0] - width * 0.5, center[1] - height * 0.5] : [0, 0];
  const matrix = inverseAffineMatrix(centerF, angle, [translate[0], translate[1]], scale, [sh[0], sh[1]]);
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const theta = tensor(matrix, { dtype, device: img.device }).reshape([1, 2, 3]);
  return applyGridTransform(img, affineGrid(theta, width, height, width, height), interpolation, fill);
}

/**
 * torchvision's _get_perspective_coeffs: the 8 coefficients of the homography taking each endpoint
 * to its startpoint, a float32 least-squares solution (gels), as there.
 */
function perspectiveCoeffs(startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[]): number[] {
  const rows: number[][] = [];
  endpoints.forEach((p1, i) => {
    const p2 = startpoints[i];
    rows.push([p1[0], p1[1], 1, 0, 0, 0, -p2[0] * p1[0], -p2[0] * p1[1]]);
    rows.push([0, 0, 0, p1[0], p1[1], 1, -p2[1] * p1[0], -p2[1] * p1[1]]);
  });
  const a = tensor(rows, { dtype: float32 });
  const b = tensor(startpoints.flat(), { dtype: float32 }).view([8]);
  return torch.linalg.lstsq(a, b, { driver: 'gels' }).solution.tolist() as number[];
}

/** torchvision's _perspective_grid: sampling positions of the homography `c`, in grid_sample's [-1, 1]. */
function perspectiveGrid(c: number[], ow: number, oh: number, dtype: DType): Tensor {
  const theta1 = tensor([[[c[0], c[1], c[2]], [c[3], c[4], c[5]]]], { dtype });
  const theta2 = tensor([[[c[6], c[7], 1], [c[6], c[7], 1]]], { dtype });
  const base = empty([1, oh, ow, 3], { dtype });
  base.select(-1, 0).copy_(linspace(0.5, ow + 0.5 - 1, ow));
  base.select(-1, 1).copy_(linspace(0.5, oh + 0.5 - 1, oh).unsqueeze_(-1));
  base.select(-1, 2).fill_(1);
  const flat = base.view([1, oh * ow, 3]);
  const grid1 = flat.bmm(theta1.transpose(1, 2).div(tensor([0.5 * ow, 0.5 * oh], { dtype })));
  const grid2 = flat.bmm(theta2.transpose(1, 2));
  return grid1.div(grid2).sub(1).view([1, oh, ow, 2]);
}

/**
 * torchvision's F.perspective on tensors: the image warped so that the 4 `startpoints` ([x, y]:
 * top-left, top-right, bottom-right, bottom-left) land on the `endpoints`; outside gets `fill`.
 */
export function perspective(
  img: Tensor,
  startpoints: readonly (readonly number[])[],
  endpoints: readonly (readonly number[])[],
  interpolation: 'nearest' | 'bilinear' = 'bilinear',
  fill: number | readonly number[] | null = null,
): Tensor {
  if (img.dim() === 2) return asSingleChannel(img, (x) => perspective(x, startpoints, endpoints, interpolation, fill));
  checkFill(img, fill);
  if (startpoints.length !== 4 || endpoints.length !== 4) throw new TorchError('Please provide 4 points for startpoints and endpoints');
  const coeffs = perspectiveCoeffs(startpoints, endpoints);
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const grid = perspectiveGrid(coeffs, img.size(-1), img.size(-2), dtype).to(img.device);
  return applyGridTransform(img, grid, interpolation, fill);
}

/** torchvision's _get_gaussian_kernel1d: a normalised Gaussian of `size` taps (float32, as there). */
function gaussianKernel1d(size: number, sigma: number): Tensor {
  const half = (size - 1) * 0.5;
  const pdf = linspace(-half, half, size).div(sigma).pow(2).mul(-0.5).exp();
  return pdf.div(pdf.sum());
}

/**
 * torchvision's F.gaussian_blur: a separable Gaussian of kernelSize [x, y] (odd) and sigma [x, y]
 * (by default 0.3 * ((k - 1) * 0.5 - 1) + 0.8 per axis, torchvision's ksize * 0.15 + 0.35), with
 * reflect padding, so the size stays.
 */
export function gaussianBlur(img: Tensor, kernelSize: number | readonly number[], sigma: number | readonly number[] | null = null): Tensor {
  if (img.dim() === 2) return asSingleChannel(img, (x) => gaussianBlur(x, kernelSize, sigma));
  const ks = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize];
  if (ks.length !== 2) throw new TorchError(`If kernel_size is a sequence its length should be 2. Got ${ks.length}`);
  if (ks.some((k) => k % 2 === 0 || k < 0)) throw new TorchError(`kernel_size should have odd and positive integers. Got [${ks.join(', ')}]`);
  const sg = sigma === null ? ks.map((k) => k * 0.15 + 0.35) : typeof sigma === 'number' ? [sigma, sigma] : sigma.length === 1 ? [sigma[0], sigma[0]] : [...sigma];
  if (sg.length !== 2) throw new TorchError(`If sigma is a sequence, its length should be 2. Got ${sg.length}`);
  if (sg.some((x) => x <= 0)) throw new TorchError(`sigma should have positive values. Got [${sg.join(', ')}]`);
  const dtype = img.dtype.isFloatingPoint ? img.dtype : float32;
  const kx = gaussianKernel1d(ks[0], sg[0]).to(dtype);
  const ky = gaussianKernel1d(ks[1], sg[1]).to(dtype);
  const channels = img.size(-3);
  const kernel = ky.unsqueeze(1).mm(kx.unsqueeze(0)).to(img.device).expand([channels, 1, ks[1], ks[0]]);
  const [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [dtype]);
  const padded = torchPad(x, [ks[0] >> 1, ks[0] >> 1, ks[1] >> 1, ks[1] >> 1], { mode: 'reflect' });
  return castSqueezeOut(conv2d(padded, kernel, { groups: channels }), needCast, needSqueeze, outDtype);
}

// DataLoader worker threads rebuild these functions by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
export { invert, posterize, solarize, autocontrast, equalize, adjustSharpness } from './color-ops';
export { erase } from './functional-erase';
export { fiveCrop, tenCrop } from './functional-multi-crop';
export { elasticTransform } from './functional-elastic';
export { adjustGamma } from './functional-gamma';
export { toGrayscale } from './functional-to-grayscale';
