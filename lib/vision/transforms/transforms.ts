// torchvision.transforms classes on tensor images. Random ones draw from torch's generator in
// torchvision's order (torch.rand(1) < p, torch.randint, uniform_ on empty(1), randperm(4)), so
// after the same torch.manualSeed they make torchvision's choices.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { DType } from '../../tensor/dtype';
import { rand, randint, randperm, empty, tensor } from '../../tensor/create';
import * as F from './functional';
import { InterpolationMode, PaddingMode, pyRound } from './functional';
import { pyFloat, pyList, pyTuple } from '../../py-format';
import { ArgsOf, bind, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { callableInstance } from '../../callable';

export type TransformFn<I = any, O = any> = (input: I) => O;

/** A function calling its own forward, with the given prototype: a transform's `this`. */
function callable<I, O>(proto: object): Transform<I, O> {
  // every argument reaches forward: RandomChoice passes them all on, as torchvision's (*args)
  return callableInstance<Transform<I, O>>(proto, (self, args) => self.forward(...(args as [I])));
}

/** A transform is callable (t(x)), like torchvision's; forward does the work. */
export interface Transform<I = any, O = any> {
  (input: I): O;
}
export abstract class Transform<I = any, O = any> {
  constructor() {
    return callable(new.target.prototype);
  }
  /**
   * @internal A transform of this class with these fields, made without running the constructor:
   * how a DataLoader worker thread rebuilds a library transform (its fields cross the thread, as
   * pickle copies an object's __dict__; see data/library-ref.ts).
   */
  static _fromState(this: abstract new (...args: any[]) => Transform, state: Record<string, unknown>): Transform {
    return Object.assign(callable(this.prototype), state);
  }
  abstract forward(input: I): O;
  toString(): string {
    return `${this.constructor.name}()`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** torch.empty(1).uniform_(a, b): in a DataLoader worker thread, from the worker's own generator. */
const uniform = (from: number, to: number): Tensor => empty([1]).uniform_(from, to);

function setupSize(size: number | readonly number[], msg = 'Please provide only two dimensions (h, w) for size.'): [number, number] {
  if (typeof size === 'number') return [size, size];
  if (size.length === 1) return [size[0], size[0]];
  if (size.length !== 2) throw new TorchError(msg);
  return [size[0], size[1]];
}

// Each constructor takes torchvision's parameters in Python's order, any prefix positionally and
// the rest in a trailing options object (keywords.ts' bind): ColorJitter(0.4, 0.4), Resize(32,
// { antialias: true }), Normalize({ mean, std }).

const COMPOSE = signature<{ transforms: TransformFn[] }>()(['transforms'], []);
export class Compose extends Transform {
  readonly transforms: TransformFn[];
  constructor(...args: ArgsOf<typeof COMPOSE>) {
    super();
    this.transforms = COMPOSE.bind('Compose', args).transforms;
  }
  forward(img: unknown): unknown {
    for (const t of this.transforms) img = t(img);
    return img;
  }
  toString(): string {
    return `Compose(${this.transforms.map((t) => `\n    ${t instanceof Transform ? String(t) : '<function>'}`).join('')}\n)`;
  }
}

export class ToTensor extends Transform<Tensor, Tensor> {
  forward(pic: Tensor): Tensor {
    return F.toTensor(pic);
  }
}

const TO_PIL_IMAGE = signature<{ mode?: string | null }>()([], ['mode']);
/** ToPILImage(mode=None): the image torchvision's PIL image would hold ([H, W] for one channel, uint8 [C, H, W] otherwise). */
export class ToPILImage extends Transform<Tensor, Tensor> {
  readonly mode: string | null;
  constructor(...args: ArgsOf<typeof TO_PIL_IMAGE>) {
    super();
    this.mode = TO_PIL_IMAGE.bind('ToPILImage', args).mode ?? null;
  }
  forward(pic: Tensor): Tensor {
    return F.toPilImage(pic, this.mode);
  }
  toString(): string {
    return this.mode === null ? 'ToPILImage()' : `ToPILImage(mode=${this.mode})`;
  }
}

export class PILToTensor extends Transform<Tensor, Tensor> {
  forward(pic: Tensor): Tensor {
    return F.pilToTensor(pic);
  }
}

const CONVERT_IMAGE_DTYPE = signature<{ dtype: DType }>()(['dtype'], []);
export class ConvertImageDtype extends Transform<Tensor, Tensor> {
  readonly dtype: DType;
  constructor(...args: ArgsOf<typeof CONVERT_IMAGE_DTYPE>) {
    super();
    this.dtype = CONVERT_IMAGE_DTYPE.bind('ConvertImageDtype', args).dtype;
  }
  forward(image: Tensor): Tensor {
    return F.convertImageDtype(image, this.dtype);
  }
}

export interface NormalizeArgs {
  mean: number[];
  std: number[];
  inplace?: boolean;
}
const NORMALIZE = signature<NormalizeArgs>()(['mean', 'std'], ['inplace']);
export class Normalize extends Transform<Tensor, Tensor> {
  readonly mean: number[];
  readonly std: number[];
  readonly inplace: boolean;
  constructor(...args: ArgsOf<typeof NORMALIZE>) {
    super();
    const { mean, std, inplace = false } = NORMALIZE.bind('Normalize', args);
    this.mean = mean;
    this.std = std;
    this.inplace = inplace;
  }
  forward(t: Tensor): Tensor {
    return F.normalize(t, this.mean, this.std, this.inplace);
  }
  toString(): string {
    return `Normalize(mean=${pyList(this.mean)}, std=${pyList(this.std)})`;
  }
}

export interface ResizeOptions {
  interpolation?: InterpolationMode;
  maxSize?: number;
  antialias?: boolean | null;
}
export interface ResizeArgs extends ResizeOptions {
  size: number | number[];
}
const RESIZE = signature<ResizeArgs>()(['size'], ['interpolation', 'maxSize', 'antialias']);

// antialias: true unless given (torchvision 0.17+'s default, PIL's resize); null is 0.14's None.
export class Resize extends Transform<Tensor, Tensor> {
  readonly size: number | number[];
  readonly interpolation: InterpolationMode;
  readonly maxSize?: number;
  readonly antialias: boolean | null;
  constructor(...args: ArgsOf<typeof RESIZE>) {
    super();
    const options = RESIZE.bind('Resize', args);
    this.size = options.size;
    this.interpolation = options.interpolation ?? 'bilinear';
    this.maxSize = options.maxSize;
    this.antialias = options.antialias === undefined ? true : options.antialias;
  }
  forward(img: Tensor): Tensor {
    return F.resize(img, this.size, this.interpolation, this.maxSize, this.antialias);
  }
  toString(): string {
    const size = typeof this.size === 'number' ? String(this.size) : pyList(this.size);
    return `Resize(size=${size}, interpolation=${this.interpolation}, max_size=${this.maxSize ?? 'None'}, antialias=${this.antialias === null ? 'None' : this.antialias ? 'True' : 'False'})`;
  }
}

const CENTER_CROP = signature<{ size: number | number[] }>()(['size'], []);
export class CenterCrop extends Transform<Tensor, Tensor> {
  readonly size: [number, number];
  constructor(...args: ArgsOf<typeof CENTER_CROP>) {
    super();
    this.size = setupSize(CENTER_CROP.bind('CenterCrop', args).size);
  }
  forward(img: Tensor): Tensor {
    return F.centerCrop(img, this.size);
  }
  toString(): string {
    return `CenterCrop(size=${pyTuple(this.size)})`;
  }
}

export interface RandomCropOptions {
  padding?: number | number[] | null;
  padIfNeeded?: boolean;
  fill?: number;
  paddingMode?: PaddingMode;
}
export interface RandomCropArgs extends RandomCropOptions {
  size: number | number[];
}
const RANDOM_CROP = signature<RandomCropArgs>()(['size'], ['padding', 'padIfNeeded', 'fill', 'paddingMode']);

export class RandomCrop extends Transform<Tensor, Tensor> {
  readonly size: [number, number];
  readonly padding: number | number[] | null;
  readonly padIfNeeded: boolean;
  readonly fill: number;
  readonly paddingMode: PaddingMode;
  constructor(...args: ArgsOf<typeof RANDOM_CROP>) {
    super();
    const options = RANDOM_CROP.bind('RandomCrop', args);
    this.size = setupSize(options.size);
    this.padding = options.padding ?? null;
    this.padIfNeeded = options.padIfNeeded ?? false;
    this.fill = options.fill ?? 0;
    this.paddingMode = options.paddingMode ?? 'constant';
  }
  /** (top, left, height, width) of a random crop of `outputSize` */
  static getParams(img: Tensor, outputSize: [number, number]): [number, number, number, number] {
    const [, h, w] = F.getDimensions(img);
    const [th, tw] = outputSize;
    if (h < th || w < tw) throw new TorchError(`Required crop size ${pyTuple([th, tw])} is larger than input image size ${pyTuple([h, w])}`);
    if (w === tw && h === th) return [0, 0, h, w];
    const i = randint(0, h - th + 1, [1]).item() as number;
    const j = randint(0, w - tw + 1, [1]).item() as number;
    return [i, j, th, tw];
  }
  forward(img: Tensor): Tensor {
    if (this.padding !== null) img = F.pad(img, this.padding, this.fill, this.paddingMode);
    const [, h, w] = F.getDimensions(img);
    if (this.padIfNeeded && w < this.size[1]) img = F.pad(img, [this.size[1] - w, 0], this.fill, this.paddingMode);
    if (this.padIfNeeded && h < this.size[0]) img = F.pad(img, [0, this.size[0] - h], this.fill, this.paddingMode);
    const [i, j, th, tw] = RandomCrop.getParams(img, this.size);
    return F.crop(img, i, j, th, tw);
  }
  toString(): string {
    return `RandomCrop(size=${pyTuple(this.size)}, padding=${this.padding === null ? 'None' : this.padding})`;
  }
}

export interface RandomResizedCropOptions {
  scale?: [number, number];
  ratio?: [number, number];
  interpolation?: InterpolationMode;
  antialias?: boolean | null;
}
export interface RandomResizedCropArgs extends RandomResizedCropOptions {
  size: number | number[];
}
const RANDOM_RESIZED_CROP = signature<RandomResizedCropArgs>()(['size'], ['scale', 'ratio', 'interpolation', 'antialias']);

export class RandomResizedCrop extends Transform<Tensor, Tensor> {
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: InterpolationMode;
  readonly antialias: boolean | null;
  constructor(...args: ArgsOf<typeof RANDOM_RESIZED_CROP>) {
    super();
    const options = RANDOM_RESIZED_CROP.bind('RandomResizedCrop', args);
    this.size = setupSize(options.size);
    this.scale = options.scale ?? [0.08, 1.0];
    this.ratio = options.ratio ?? [3 / 4, 4 / 3];
    this.interpolation = options.interpolation ?? 'bilinear';
    this.antialias = options.antialias === undefined ? true : options.antialias;
  }
  static getParams(img: Tensor, scale: [number, number], ratio: [number, number]): [number, number, number, number] {
    const [, height, width] = F.getDimensions(img);
    const area = height * width;
    const logRatio = tensor(ratio).log();
    const [lr0, lr1] = logRatio.tolist() as number[];
    for (let k = 0; k < 10; k++) {
      const targetArea = area * (uniform(scale[0], scale[1]).item() as number);
      const aspect = uniform(lr0, lr1).exp().item() as number;
      const w = pyRound(Math.sqrt(targetArea * aspect));
      const h = pyRound(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = randint(0, height - h + 1, [1]).item() as number;
        const j = randint(0, width - w + 1, [1]).item() as number;
        return [i, j, h, w];
      }
    }
    // fallback to a central crop
    const inRatio = width / height;
    let w: number, h: number;
    if (inRatio < Math.min(...ratio)) {
      w = width;
      h = Math.trunc(pyRound(w / Math.min(...ratio)));
    } else if (inRatio > Math.max(...ratio)) {
      h = height;
      w = Math.trunc(pyRound(h * Math.max(...ratio)));
    } else {
      w = width;
      h = height;
    }
    return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
  }
  forward(img: Tensor): Tensor {
    const [i, j, h, w] = RandomResizedCrop.getParams(img, this.scale, this.ratio);
    return F.resizedCrop(img, i, j, h, w, this.size, this.interpolation, this.antialias);
  }
  toString(): string {
    const r4 = (xs: number[]) => `(${xs.map((x) => pyFloat(pyRound(x * 1e4) / 1e4)).join(', ')})`;
    // torchvision 0.14 prints a stray ')' after the interpolation; kept so reprs compare equal
    return `RandomResizedCrop(size=${pyTuple(this.size)}, scale=${r4(this.scale)}, ratio=${r4(this.ratio)}, interpolation=${this.interpolation}), antialias=${this.antialias === null ? 'None' : this.antialias ? 'True' : 'False'})`;
  }
}

const RANDOM_FLIP = signature<{ p?: number }>()([], ['p']);
abstract class RandomFlip extends Transform<Tensor, Tensor> {
  readonly p: number;
  constructor(...args: ArgsOf<typeof RANDOM_FLIP>) {
    super();
    this.p = RANDOM_FLIP.bind(new.target.name, args).p ?? 0.5;
  }
  abstract flip(img: Tensor): Tensor;
  forward(img: Tensor): Tensor {
    return (rand([1]).item() as number) < this.p ? this.flip(img) : img;
  }
  toString(): string {
    return `${this.constructor.name}(p=${this.p})`;
  }
}
export class RandomHorizontalFlip extends RandomFlip {
  flip(img: Tensor): Tensor {
    return F.hflip(img);
  }
}
export class RandomVerticalFlip extends RandomFlip {
  flip(img: Tensor): Tensor {
    return F.vflip(img);
  }
}

type Range = number | [number, number];

export interface ColorJitterOptions {
  brightness?: Range;
  contrast?: Range;
  saturation?: Range;
  hue?: Range;
}
const COLOR_JITTER = signature<ColorJitterOptions>()([], ['brightness', 'contrast', 'saturation', 'hue']);

export class ColorJitter extends Transform<Tensor, Tensor> {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;
  constructor(...args: ArgsOf<typeof COLOR_JITTER>) {
    super();
    const options = COLOR_JITTER.bind('ColorJitter', args);
    this.brightness = ColorJitter.check(options.brightness ?? 0, 'brightness');
    this.contrast = ColorJitter.check(options.contrast ?? 0, 'contrast');
    this.saturation = ColorJitter.check(options.saturation ?? 0, 'saturation');
    this.hue = ColorJitter.check(options.hue ?? 0, 'hue', 0, [-0.5, 0.5], false);
  }
  private static check(value: Range, name: string, center = 1, bound: [number, number] = [0, Infinity], clipFirstOnZero = true): [number, number] | null {
    let v: [number, number];
    if (typeof value === 'number') {
      if (value < 0) throw new TorchError(`If ${name} is a single number, it must be non negative.`);
      v = [center - value, center + value];
      if (clipFirstOnZero) v[0] = Math.max(v[0], 0);
    } else {
      if (!(bound[0] <= value[0] && value[0] <= value[1] && value[1] <= bound[1])) throw new TorchError(`${name} values should be between ${pyTuple(bound)}`);
      v = [value[0], value[1]];
    }
    return v[0] === v[1] && v[0] === center ? null : v;
  }
  /** (order of the four adjustments, and each factor or null) */
  static getParams(b: [number, number] | null, c: [number, number] | null, s: [number, number] | null, h: [number, number] | null): [number[], number | null, number | null, number | null, number | null] {
    const order = Array.from(randperm(4).toTypedArray() as BigInt64Array, Number);
    const draw = (r: [number, number] | null) => (r === null ? null : (uniform(r[0], r[1]).item() as number));
    return [order, draw(b), draw(c), draw(s), draw(h)];
  }
  forward(img: Tensor): Tensor {
    const [order, b, c, s, h] = ColorJitter.getParams(this.brightness, this.contrast, this.saturation, this.hue);
    for (const fn of order) {
      if (fn === 0 && b !== null) img = F.adjustBrightness(img, b);
      else if (fn === 1 && c !== null) img = F.adjustContrast(img, c);
      else if (fn === 2 && s !== null) img = F.adjustSaturation(img, s);
      else if (fn === 3 && h !== null) img = F.adjustHue(img, h);
    }
    return img;
  }
  toString(): string {
    const r = (x: [number, number] | null) => (x === null ? 'None' : `[${x.map(pyFloat).join(', ')}]`);
    return `ColorJitter(brightness=${r(this.brightness)}, contrast=${r(this.contrast)}, saturation=${r(this.saturation)}, hue=${r(this.hue)})`;
  }
}

export interface RandomRotationOptions {
  interpolation?: 'nearest' | 'bilinear';
  expand?: boolean;
  center?: [number, number] | null;
  fill?: number | number[];
}
export interface RandomRotationArgs extends RandomRotationOptions {
  degrees: Range;
}
const RANDOM_ROTATION = signature<RandomRotationArgs>()(['degrees'], ['interpolation', 'expand', 'center', 'fill']);

export class RandomRotation extends Transform<Tensor, Tensor> {
  readonly degrees: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
  readonly expand: boolean;
  readonly center: [number, number] | null;
  readonly fill: number | number[];
  constructor(...args: ArgsOf<typeof RANDOM_ROTATION>) {
    super();
    const { degrees, ...options } = RANDOM_ROTATION.bind('RandomRotation', args);
    if (typeof degrees === 'number') {
      if (degrees < 0) throw new TorchError('If degrees is a single number, it must be positive.');
      this.degrees = [-degrees, degrees];
    } else this.degrees = [degrees[0], degrees[1]];
    this.interpolation = options.interpolation ?? 'nearest';
    this.expand = options.expand ?? false;
    this.center = options.center ?? null;
    this.fill = options.fill ?? 0;
  }
  static getParams(degrees: [number, number]): number {
    return uniform(degrees[0], degrees[1]).item() as number;
  }
  forward(img: Tensor): Tensor {
    const channels = F.getDimensions(img)[0];
    const fill = typeof this.fill === 'number' ? new Array<number>(channels).fill(this.fill) : this.fill;
    return F.rotate(img, RandomRotation.getParams(this.degrees), this.interpolation, this.expand, this.center, fill);
  }
}

/** torchvision's _setup_angle: [-x, x] from a non-negative number, else the 2 (or 4) values given. */
function setupAngle(x: number | readonly number[], name: string, sizes: readonly number[] = [2]): number[] {
  if (typeof x === 'number') {
    if (x < 0) throw new TorchError(`If ${name} is a single number, it must be positive.`);
    return [-x, x];
  }
  if (!sizes.includes(x.length)) throw new TorchError(`${name} should be a sequence of length ${sizes.join(' or ')}.`);
  return [...x];
}

export interface RandomAffineArgs {
  degrees: Range;
  /** the largest shift, as fractions of the width and height */
  translate?: [number, number] | null;
  /** the range of the scale factor */
  scale?: [number, number] | null;
  /** degrees: a number or [min, max] for the x shear, [xmin, xmax, ymin, ymax] for both */
  shear?: number | number[] | null;
  interpolation?: 'nearest' | 'bilinear';
  fill?: number | number[];
  center?: [number, number] | null;
}
const RANDOM_AFFINE = signature<RandomAffineArgs>()(['degrees'], ['translate', 'scale', 'shear', 'interpolation', 'fill', 'center']);

/** torchvision.transforms.RandomAffine: a random rotation, translation, scale and shear keeping the size. */
export class RandomAffine extends Transform<Tensor, Tensor> {
  readonly degrees: number[];
  readonly translate: [number, number] | null;
  readonly scale: [number, number] | null;
  readonly shear: number[] | null;
  readonly interpolation: 'nearest' | 'bilinear';
  readonly fill: number | number[];
  readonly center: [number, number] | null;
  constructor(...args: ArgsOf<typeof RANDOM_AFFINE>) {
    super();
    const o = RANDOM_AFFINE.bind('RandomAffine', args);
    this.degrees = setupAngle(o.degrees, 'degrees');
    this.translate = o.translate ?? null;
    if (this.translate) {
      if (this.translate.length !== 2) throw new TorchError('translate should be a sequence of length 2.');
      if (this.translate.some((t) => !(t >= 0 && t <= 1))) throw new TorchError('translation values should be between 0 and 1');
    }
    this.scale = o.scale ?? null;
    if (this.scale) {
      if (this.scale.length !== 2) throw new TorchError('scale should be a sequence of length 2.');
      if (this.scale.some((x) => x <= 0)) throw new TorchError('scale values should be positive');
    }
    this.shear = o.shear === undefined || o.shear === null ? null : setupAngle(o.shear, 'shear', [2, 4]);
    this.interpolation = o.interpolation ?? 'nearest';
    this.fill = o.fill ?? 0;
    this.center = o.center ?? null;
  }
  /** (angle, [tx, ty], scale, [shear x, shear y]), drawn in torchvision's order; imgSize is [width, height] */
  static getParams(degrees: number[], translate: [number, number] | null, scaleRanges: [number, number] | null, shears: number[] | null, imgSize: [number, number]): [number, [number, number], number, [number, number]] {
    const angle = uniform(degrees[0], degrees[1]).item() as number;
    let translations: [number, number] = [0, 0];
    if (translate) {
      const maxDx = translate[0] * imgSize[0];
      const maxDy = translate[1] * imgSize[1];
      const tx = pyRound(uniform(-maxDx, maxDx).item() as number);
      const ty = pyRound(uniform(-maxDy, maxDy).item() as number);
      translations = [tx, ty];
    }
    const scale = scaleRanges ? (uniform(scaleRanges[0], scaleRanges[1]).item() as number) : 1;
    let shear: [number, number] = [0, 0];
    if (shears) {
      shear = [uniform(shears[0], shears[1]).item() as number, 0];
      if (shears.length === 4) shear[1] = uniform(shears[2], shears[3]).item() as number;
    }
    return [angle, translations, scale, shear];
  }
  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.getDimensions(img);
    const fill = typeof this.fill === 'number' ? new Array<number>(channels).fill(this.fill) : this.fill;
    const [angle, translate, scale, shear] = RandomAffine.getParams(this.degrees, this.translate, this.scale, this.shear, [width, height]);
    return F.affine(img, angle, translate, scale, shear, this.interpolation, fill, this.center);
  }
  toString(): string {
    let s = `RandomAffine(degrees=[${this.degrees.map(pyFloat).join(', ')}]`;
    if (this.translate) s += `, translate=${pyTuple(this.translate)}`;
    if (this.scale) s += `, scale=${pyTuple(this.scale)}`;
    if (this.shear) s += `, shear=[${this.shear.map(pyFloat).join(', ')}]`;
    if (this.interpolation !== 'nearest') s += `, interpolation=${this.interpolation}`;
    if (this.fill !== 0) s += `, fill=${typeof this.fill === 'number' ? this.fill : pyList(this.fill)}`;
    if (this.center) s += `, center=${pyTuple(this.center)}`;
    return `${s})`;
  }
}

export interface RandomPerspectiveOptions {
  /** how far corners may move, 0 to 1 */
  distortionScale?: number;
  p?: number;
  interpolation?: 'nearest' | 'bilinear';
  fill?: number | number[];
}
const RANDOM_PERSPECTIVE = signature<RandomPerspectiveOptions>()([], ['distortionScale', 'p', 'interpolation', 'fill']);

/** torchvision.transforms.RandomPerspective: with probability p, a random perspective warp. */
export class RandomPerspective extends Transform<Tensor, Tensor> {
  readonly distortionScale: number;
  readonly p: number;
  readonly interpolation: 'nearest' | 'bilinear';
  readonly fill: number | number[];
  constructor(...args: ArgsOf<typeof RANDOM_PERSPECTIVE>) {
    super();
    const o = RANDOM_PERSPECTIVE.bind('RandomPerspective', args);
    this.distortionScale = o.distortionScale ?? 0.5;
    this.p = o.p ?? 0.5;
    this.interpolation = o.interpolation ?? 'bilinear';
    this.fill = o.fill ?? 0;
  }
  /** (startpoints, endpoints): the corners [x, y] (top-left, top-right, bottom-right, bottom-left) and where they go */
  static getParams(width: number, height: number, distortionScale: number): [number[][], number[][]] {
    const dx = Math.trunc(distortionScale * Math.floor(width / 2));
    const dy = Math.trunc(distortionScale * Math.floor(height / 2));
    const draw = (low: number, high: number) => randint(low, high, [1]).item() as number;
    const topleft = [draw(0, dx + 1), draw(0, dy + 1)];
    const topright = [draw(width - dx - 1, width), draw(0, dy + 1)];
    const botright = [draw(width - dx - 1, width), draw(height - dy - 1, height)];
    const botleft = [draw(0, dx + 1), draw(height - dy - 1, height)];
    const startpoints = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]];
    return [startpoints, [topleft, topright, botright, botleft]];
  }
  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.getDimensions(img);
    const fill = typeof this.fill === 'number' ? new Array<number>(channels).fill(this.fill) : this.fill;
    if ((rand([1]).item() as number) < this.p) {
      const [startpoints, endpoints] = RandomPerspective.getParams(width, height, this.distortionScale);
      return F.perspective(img, startpoints, endpoints, this.interpolation, fill);
    }
    return img;
  }
  toString(): string {
    return `RandomPerspective(p=${this.p})`;
  }
}

export interface GaussianBlurArgs {
  kernelSize: number | number[];
  /** a fixed sigma, or the [min, max] range one is drawn from */
  sigma?: Range;
}
const GAUSSIAN_BLUR = signature<GaussianBlurArgs>()(['kernelSize'], ['sigma']);

/** torchvision.transforms.GaussianBlur: a Gaussian blur with a random sigma. */
export class GaussianBlur extends Transform<Tensor, Tensor> {
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];
  constructor(...args: ArgsOf<typeof GAUSSIAN_BLUR>) {
    super();
    const { kernelSize, sigma = [0.1, 2.0] } = GAUSSIAN_BLUR.bind('GaussianBlur', args);
    this.kernelSize = setupSize(kernelSize, 'Kernel size should be a tuple/list of two integers');
    if (this.kernelSize.some((k) => k <= 0 || k % 2 === 0)) throw new TorchError('Kernel size value should be an odd and positive number.');
    if (typeof sigma === 'number') {
      if (sigma <= 0) throw new TorchError('If sigma is a single number, it must be positive.');
      this.sigma = [sigma, sigma];
    } else if (sigma.length === 2) {
      if (!(sigma[0] > 0 && sigma[0] <= sigma[1])) throw new TorchError('sigma values should be positive and of the form (min, max).');
      this.sigma = [sigma[0], sigma[1]];
    } else throw new TorchError('sigma should be a single number or a list/tuple with length 2.');
  }
  static getParams(sigmaMin: number, sigmaMax: number): number {
    return uniform(sigmaMin, sigmaMax).item() as number;
  }
  forward(img: Tensor): Tensor {
    const sigma = GaussianBlur.getParams(this.sigma[0], this.sigma[1]);
    return F.gaussianBlur(img, this.kernelSize, [sigma, sigma]);
  }
  toString(): string {
    return `GaussianBlur(kernel_size=${pyTuple(this.kernelSize)}, sigma=(${this.sigma.map(pyFloat).join(', ')}))`;
  }
}

export interface PadArgs {
  padding: number | number[];
  fill?: number;
  paddingMode?: PaddingMode;
}
const PAD = signature<PadArgs>()(['padding'], ['fill', 'paddingMode']);
export class Pad extends Transform<Tensor, Tensor> {
  readonly padding: number | number[];
  readonly fill: number;
  readonly paddingMode: PaddingMode;
  constructor(...args: ArgsOf<typeof PAD>) {
    super();
    const { padding, fill = 0, paddingMode = 'constant' } = PAD.bind('Pad', args);
    this.padding = padding;
    this.fill = fill;
    this.paddingMode = paddingMode;
  }
  forward(img: Tensor): Tensor {
    return F.pad(img, this.padding, this.fill, this.paddingMode);
  }
  toString(): string {
    return `Pad(padding=${typeof this.padding === 'number' ? this.padding : pyList(this.padding)}, fill=${this.fill}, padding_mode=${this.paddingMode})`;
  }
}

const GRAYSCALE = signature<{ numOutputChannels?: 1 | 3 }>()([], ['numOutputChannels']);
export class Grayscale extends Transform<Tensor, Tensor> {
  readonly numOutputChannels: 1 | 3;
  constructor(...args: ArgsOf<typeof GRAYSCALE>) {
    super();
    this.numOutputChannels = GRAYSCALE.bind('Grayscale', args).numOutputChannels ?? 1;
  }
  forward(img: Tensor): Tensor {
    return F.rgbToGrayscale(img, this.numOutputChannels);
  }
  toString(): string {
    return `Grayscale(num_output_channels=${this.numOutputChannels})`;
  }
}

const RANDOM_GRAYSCALE = signature<{ p?: number }>()([], ['p']);
/** torchvision.transforms.RandomGrayscale: with probability p, gray with the image's channel count. */
export class RandomGrayscale extends Transform<Tensor, Tensor> {
  readonly p: number;
  constructor(...args: ArgsOf<typeof RANDOM_GRAYSCALE>) {
    super();
    this.p = RANDOM_GRAYSCALE.bind('RandomGrayscale', args).p ?? 0.1;
  }
  forward(img: Tensor): Tensor {
    const channels = F.getDimensions(img)[0];
    return (rand([1]).item() as number) < this.p ? F.rgbToGrayscale(img, channels as 1 | 3) : img;
  }
  toString(): string {
    return `RandomGrayscale(p=${this.p})`;
  }
}

const RANDOM_APPLY = signature<{ transforms: TransformFn[]; p?: number }>()(['transforms'], ['p']);
/** torchvision.transforms.RandomApply: the transforms in order, all or none (applied with probability p). */
export class RandomApply extends Transform {
  readonly transforms: TransformFn[];
  readonly p: number;
  constructor(...args: ArgsOf<typeof RANDOM_APPLY>) {
    super();
    const { transforms, p = 0.5 } = RANDOM_APPLY.bind('RandomApply', args);
    this.transforms = transforms;
    this.p = p;
  }
  forward(img: unknown): unknown {
    // torchvision skips when p < rand, so a draw equal to p applies
    if (this.p < (rand([1]).item() as number)) return img;
    for (const t of this.transforms) img = t(img);
    return img;
  }
  toString(): string {
    return `RandomApply(\n    p=${this.p}${this.transforms.map((t) => `\n    ${t instanceof Transform ? String(t) : '<function>'}`).join('')}\n)`;
  }
}

export class Lambda<I = any, O = any> extends Transform<I, O> {
  readonly lambd: (input: I) => O;
  constructor(...args: [lambd: (input: I) => O] | [options: { lambd: (input: I) => O }]) {
    super();
    const { lambd } = bind<{ lambd: (input: I) => O }>('Lambda', args, ['lambd']);
    this.lambd = lambd;
    if (typeof lambd !== 'function') throw new TorchError(`Argument lambd should be callable, got ${typeof lambd}`);
  }
  forward(input: I): O {
    return this.lambd(input);
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
