// torchvision.transforms classes on tensor images. Random ones draw from torch's generator in
// torchvision's order (torch.rand(1) < p, torch.randint, uniform_ on empty(1), randperm(4)), so
// after the same torch.manualSeed they make torchvision's choices.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { DType } from '../../tensor/dtype';
import { rand, randint, randperm, empty, tensor } from '../../tensor/create';
import * as F from './functional';
import { InterpolationMode, PaddingMode, pyRound } from './functional';
import { pyFloat } from '../../nn/layers/py-format';
import { checkKeywords, keysOf } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';

export type TransformFn<I = any, O = any> = (input: I) => O;

/** A function calling its own forward, with the given prototype: a transform's `this`. */
function callable<I, O>(proto: object): Transform<I, O> {
  const self = ((input: I) => self.forward(input)) as unknown as Transform<I, O>;
  delete (self as { name?: unknown }).name;
  delete (self as { length?: unknown }).length;
  Object.setPrototypeOf(self, proto);
  return self;
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

const pyList = (xs: readonly number[]) => `[${xs.map(String).join(', ')}]`;
const pyTuple = (xs: readonly number[]) => `(${xs.map(String).join(', ')})`;
function setupSize(size: number | readonly number[], msg = 'Please provide only two dimensions (h, w) for size.'): [number, number] {
  if (typeof size === 'number') return [size, size];
  if (size.length === 1) return [size[0], size[0]];
  if (size.length !== 2) throw new TorchError(msg);
  return [size[0], size[1]];
}

export class Compose extends Transform {
  constructor(readonly transforms: TransformFn[]) {
    super();
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

export class PILToTensor extends Transform<Tensor, Tensor> {
  forward(pic: Tensor): Tensor {
    return F.pilToTensor(pic);
  }
}

export class ConvertImageDtype extends Transform<Tensor, Tensor> {
  constructor(readonly dtype: DType) {
    super();
  }
  forward(image: Tensor): Tensor {
    return F.convertImageDtype(image, this.dtype);
  }
}

export class Normalize extends Transform<Tensor, Tensor> {
  constructor(readonly mean: number[], readonly std: number[], readonly inplace = false) {
    super();
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
const RESIZE_KEYS = keysOf<ResizeOptions>()('interpolation', 'maxSize', 'antialias');

export class Resize extends Transform<Tensor, Tensor> {
  readonly interpolation: InterpolationMode;
  readonly maxSize?: number;
  readonly antialias: boolean | null;
  constructor(readonly size: number | number[], options: ResizeOptions = {}) {
    super();
    checkKeywords('Resize', options, RESIZE_KEYS);
    this.interpolation = options.interpolation ?? 'bilinear';
    this.maxSize = options.maxSize;
    this.antialias = options.antialias ?? null;
  }
  forward(img: Tensor): Tensor {
    return F.resize(img, this.size, this.interpolation, this.maxSize, this.antialias);
  }
  toString(): string {
    const size = typeof this.size === 'number' ? String(this.size) : pyList(this.size);
    return `Resize(size=${size}, interpolation=${this.interpolation}, max_size=${this.maxSize ?? 'None'}, antialias=${this.antialias === null ? 'None' : this.antialias ? 'True' : 'False'})`;
  }
}

export class CenterCrop extends Transform<Tensor, Tensor> {
  readonly size: [number, number];
  constructor(size: number | number[]) {
    super();
    this.size = setupSize(size);
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
const RANDOM_CROP_KEYS = keysOf<RandomCropOptions>()('padding', 'padIfNeeded', 'fill', 'paddingMode');

export class RandomCrop extends Transform<Tensor, Tensor> {
  readonly size: [number, number];
  readonly padding: number | number[] | null;
  readonly padIfNeeded: boolean;
  readonly fill: number;
  readonly paddingMode: PaddingMode;
  constructor(size: number | number[], options: RandomCropOptions = {}) {
    super();
    checkKeywords('RandomCrop', options, RANDOM_CROP_KEYS);
    this.size = setupSize(size);
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
const RANDOM_RESIZED_CROP_KEYS = keysOf<RandomResizedCropOptions>()('scale', 'ratio', 'interpolation', 'antialias');

export class RandomResizedCrop extends Transform<Tensor, Tensor> {
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: InterpolationMode;
  readonly antialias: boolean | null;
  constructor(size: number | number[], options: RandomResizedCropOptions = {}) {
    super();
    checkKeywords('RandomResizedCrop', options, RANDOM_RESIZED_CROP_KEYS);
    this.size = setupSize(size);
    this.scale = options.scale ?? [0.08, 1.0];
    this.ratio = options.ratio ?? [3 / 4, 4 / 3];
    this.interpolation = options.interpolation ?? 'bilinear';
    this.antialias = options.antialias ?? null;
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
    return F.resize(F.crop(img, i, j, h, w), this.size, this.interpolation, undefined, this.antialias);
  }
  toString(): string {
    const r4 = (xs: number[]) => `(${xs.map((x) => pyFloat(pyRound(x * 1e4) / 1e4)).join(', ')})`;
    // torchvision 0.14 prints a stray ')' after the interpolation; kept so reprs compare equal
    return `RandomResizedCrop(size=${pyTuple(this.size)}, scale=${r4(this.scale)}, ratio=${r4(this.ratio)}, interpolation=${this.interpolation}), antialias=${this.antialias === null ? 'None' : this.antialias ? 'True' : 'False'})`;
  }
}

abstract class RandomFlip extends Transform<Tensor, Tensor> {
  constructor(readonly p = 0.5) {
    super();
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
const COLOR_JITTER_KEYS = keysOf<ColorJitterOptions>()('brightness', 'contrast', 'saturation', 'hue');

export class ColorJitter extends Transform<Tensor, Tensor> {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;
  constructor(options: ColorJitterOptions = {}) {
    super();
    checkKeywords('ColorJitter', options, COLOR_JITTER_KEYS);
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
const RANDOM_ROTATION_KEYS = keysOf<RandomRotationOptions>()('interpolation', 'expand', 'center', 'fill');

export class RandomRotation extends Transform<Tensor, Tensor> {
  readonly degrees: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
  readonly expand: boolean;
  readonly center: [number, number] | null;
  readonly fill: number | number[];
  constructor(degrees: Range, options: RandomRotationOptions = {}) {
    super();
    checkKeywords('RandomRotation', options, RANDOM_ROTATION_KEYS);
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

export class Pad extends Transform<Tensor, Tensor> {
  constructor(readonly padding: number | number[], readonly fill = 0, readonly paddingMode: PaddingMode = 'constant') {
    super();
  }
  forward(img: Tensor): Tensor {
    return F.pad(img, this.padding, this.fill, this.paddingMode);
  }
  toString(): string {
    return `Pad(padding=${typeof this.padding === 'number' ? this.padding : pyList(this.padding)}, fill=${this.fill}, padding_mode=${this.paddingMode})`;
  }
}

export class Grayscale extends Transform<Tensor, Tensor> {
  constructor(readonly numOutputChannels: 1 | 3 = 1) {
    super();
  }
  forward(img: Tensor): Tensor {
    return F.rgbToGrayscale(img, this.numOutputChannels);
  }
  toString(): string {
    return `Grayscale(num_output_channels=${this.numOutputChannels})`;
  }
}

export class Lambda<I = any, O = any> extends Transform<I, O> {
  constructor(readonly lambd: (input: I) => O) {
    super();
    if (typeof lambd !== 'function') throw new TorchError(`Argument lambd should be callable, got ${typeof lambd}`);
  }
  forward(input: I): O {
    return this.lambd(input);
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
