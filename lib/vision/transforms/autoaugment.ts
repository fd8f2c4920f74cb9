// torchvision.transforms' automatic augmentation (AutoAugment, RandAugment, TrivialAugmentWide,
// AugMix), as in torchvision 0.14's autoaugment.py: the same operation spaces (magnitude bins made
// with the same float32 linspace/arange), and the same torch draws in the same order (a sign or a
// magnitude only drawn where torchvision draws one), so after one torch.manualSeed the outputs are
// torchvision's. Images as the other transforms take them: uint8 [..., 1 or 3, H, W], or [H, W].
import { memberName, pyEnum } from './py-enum';
import { IndexError, ValueError } from '../../errors';
import { float32 } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';
import { arange, linspace, rand, randint, tensor } from '../../tensor/create';
import * as torch from '../../index';
import * as F from './functional';
import * as C from './color-ops';
import { Transform } from './transforms';
import { pyFloat, pyList, pyRepr } from '../../py-format';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';

type OpName =
  | 'Identity' | 'ShearX' | 'ShearY' | 'TranslateX' | 'TranslateY' | 'Rotate' | 'Brightness' | 'Color'
  | 'Contrast' | 'Sharpness' | 'Posterize' | 'Solarize' | 'AutoContrast' | 'Equalize' | 'Invert';
type Interpolation = 'nearest' | 'bilinear';
type Fill = number | number[] | null;

/** torchvision's _apply_op: one operation at a signed magnitude. */
function applyOp(img: Tensor, op: OpName, magnitude: number, interpolation: Interpolation, fill: number[] | null): Tensor {
  // Python's math.degrees(math.atan(m))
  const shear = (m: number) => Math.atan(m) * (180 / Math.PI);
  switch (op) {
    case 'ShearX': return F.affine(img, 0, [0, 0], 1, [shear(magnitude), 0], interpolation, fill, [0, 0]);
    case 'ShearY': return F.affine(img, 0, [0, 0], 1, [0, shear(magnitude)], interpolation, fill, [0, 0]);
    case 'TranslateX': return F.affine(img, 0, [Math.trunc(magnitude), 0], 1, [0, 0], interpolation, fill);
    case 'TranslateY': return F.affine(img, 0, [0, Math.trunc(magnitude)], 1, [0, 0], interpolation, fill);
    case 'Rotate': return F.rotate(img, magnitude, interpolation, false, null, fill);
    case 'Brightness': return F.adjustBrightness(img, 1 + magnitude);
    case 'Color': return F.adjustSaturation(img, 1 + magnitude);
    case 'Contrast': return F.adjustContrast(img, 1 + magnitude);
    case 'Sharpness': return C.adjustSharpness(img, 1 + magnitude);
    case 'Posterize': return C.posterize(img, Math.trunc(magnitude));
    case 'Solarize': return C.solarize(img, magnitude);
    case 'AutoContrast': return C.autocontrast(img);
    case 'Equalize': return C.equalize(img);
    case 'Invert': return C.invert(img);
    case 'Identity': return img;
    default: throw new ValueError(`The provided operator ${op as string} is not recognized.`);
  }
}

/**
 * An operation space: each op with its magnitude bins (a 1-D tensor from the bin count and the
 * image's [height, width]; null for ops without a magnitude) and whether its magnitude gets a sign.
 */
type Space = [OpName, ((bins: number, height: number, width: number) => Tensor) | null, boolean][];

const upTo = (end: number) => (bins: number) => linspace(0, end, bins);
/** `top` - round(arange(bins) / ((bins - 1) / steps)), int32 */
const posterizeBits = (top: number, steps: number) => (bins: number) => arange(bins).div((bins - 1) / steps).round().int().neg().add(top);
const solarizeThresholds = (bins: number) => linspace(255, 0, bins);

/** AutoAugment's and RandAugment's space (the latter without Invert, with Identity first). */
function classicSpace(withIdentity: boolean): Space {
  const space: Space = [
    ['ShearX', upTo(0.3), true],
    ['ShearY', upTo(0.3), true],
    ['TranslateX', (bins, _h, w) => linspace(0, (150 / 331) * w, bins), true],
    ['TranslateY', (bins, h) => linspace(0, (150 / 331) * h, bins), true],
    ['Rotate', upTo(30), true],
    ['Brightness', upTo(0.9), true],
    ['Color', upTo(0.9), true],
    ['Contrast', upTo(0.9), true],
    ['Sharpness', upTo(0.9), true],
    ['Posterize', posterizeBits(8, 4), false],
    ['Solarize', solarizeThresholds, false],
    ['AutoContrast', null, false],
    ['Equalize', null, false],
  ];
  return withIdentity ? [['Identity', null, false], ...space] : [...space, ['Invert', null, false]];
}

const WIDE_SPACE: Space = [
  ['Identity', null, false],
  ['ShearX', upTo(0.99), true],
  ['ShearY', upTo(0.99), true],
  ['TranslateX', upTo(32), true],
  ['TranslateY', upTo(32), true],
  ['Rotate', upTo(135), true],
  ['Brightness', upTo(0.99), true],
  ['Color', upTo(0.99), true],
  ['Contrast', upTo(0.99), true],
  ['Sharpness', upTo(0.99), true],
  ['Posterize', posterizeBits(8, 6), false],
  ['Solarize', solarizeThresholds, false],
  ['AutoContrast', null, false],
  ['Equalize', null, false],
];

function augMixSpace(allOps: boolean): Space {
  const space: Space = [
    ['ShearX', upTo(0.3), true],
    ['ShearY', upTo(0.3), true],
    ['TranslateX', (bins, _h, w) => linspace(0, w / 3, bins), true],
    ['TranslateY', (bins, h) => linspace(0, h / 3, bins), true],
    ['Rotate', upTo(30), true],
    ['Posterize', posterizeBits(4, 4), false],
    ['Solarize', solarizeThresholds, false],
    ['AutoContrast', null, false],
    ['Equalize', null, false],
  ];
  if (allOps) space.push(['Brightness', upTo(0.9), true], ['Color', upTo(0.9), true], ['Contrast', upTo(0.9), true], ['Sharpness', upTo(0.9), true]);
  return space;
}

/** A number fill becomes one value per channel, as torchvision does for tensors. */
const channelFill = (fill: Fill, channels: number): number[] | null => (typeof fill === 'number' ? new Array<number>(channels).fill(fill) : fill);
const fillRepr = (fill: Fill) => (Array.isArray(fill) ? pyList(fill) : pyRepr(fill)); // torchvision keeps fill a list
const modeRepr = (mode: Interpolation) => `InterpolationMode.${mode.toUpperCase()}`;
const draw = (high: number): number => randint(high, [1]).item() as number;

/**
 * The magnitude at bin `index` of an op (0 for ops without one), negated when the op is signed and
 * `negate()` (a draw made only for signed ops, as torchvision short-circuits) says so.
 */
function signedMagnitude(magnitudes: Tensor | null, index: () => number, signed: boolean, negate: () => boolean): number {
  let m = 0;
  if (magnitudes !== null) {
    const i = index();
    const n = magnitudes.size(0);
    if (i >= n || i < -n) throw new IndexError(`index ${i} is out of bounds for dimension 0 with size ${n}`);
    m = magnitudes.select(0, i).item() as number;
  }
  return signed && negate() ? -m : m;
}

/** torchvision.transforms.AutoAugmentPolicy: the datasets AutoAugment's policies were learned on. */
export const AutoAugmentPolicy = pyEnum('AutoAugmentPolicy', { IMAGENET: 'imagenet', CIFAR10: 'cifar10', SVHN: 'svhn' } as const);
export type AutoAugmentPolicy = 'imagenet' | 'cifar10' | 'svhn';

type Step = [OpName, number, number | null];
const POLICIES: Record<AutoAugmentPolicy, [Step, Step][]> = {
  imagenet: [
    [['Posterize', 0.4, 8], ['Rotate', 0.6, 9]],
    [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
    [['Posterize', 0.6, 7], ['Posterize', 0.6, 6]],
    [['Equalize', 0.4, null], ['Solarize', 0.2, 4]],
    [['Equalize', 0.4, null], ['Rotate', 0.8, 8]],
    [['Solarize', 0.6, 3], ['Equalize', 0.6, null]],
    [['Posterize', 0.8, 5], ['Equalize', 1.0, null]],
    [['Rotate', 0.2, 3], ['Solarize', 0.6, 8]],
    [['Equalize', 0.6, null], ['Posterize', 0.4, 6]],
    [['Rotate', 0.8, 8], ['Color', 0.4, 0]],
    [['Rotate', 0.4, 9], ['Equalize', 0.6, null]],
    [['Equalize', 0.0, null], ['Equalize', 0.8, null]],
    [['Invert', 0.6, null], ['Equalize', 1.0, null]],
    [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Rotate', 0.8, 8], ['Color', 1.0, 2]],
    [['Color', 0.8, 8], ['Solarize', 0.8, 7]],
    [['Sharpness', 0.4, 7], ['Invert', 0.6, null]],
    [['ShearX', 0.6, 5], ['Equalize', 1.0, null]],
    [['Color', 0.4, 0], ['Equalize', 0.6, null]],
    [['Equalize', 0.4, null], ['Solarize', 0.2, 4]],
    [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]],
    [['Invert', 0.6, null], ['Equalize', 1.0, null]],
    [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
  ],
  cifar10: [
    [['Invert', 0.1, null], ['Contrast', 0.2, 6]],
    [['Rotate', 0.7, 2], ['TranslateX', 0.3, 9]],
    [['Sharpness', 0.8, 1], ['Sharpness', 0.9, 3]],
    [['ShearY', 0.5, 8], ['TranslateY', 0.7, 9]],
    [['AutoContrast', 0.5, null], ['Equalize', 0.9, null]],
    [['ShearY', 0.2, 7], ['Posterize', 0.3, 7]],
    [['Color', 0.4, 3], ['Brightness', 0.6, 7]],
    [['Sharpness', 0.3, 9], ['Brightness', 0.7, 9]],
    [['Equalize', 0.6, null], ['Equalize', 0.5, null]],
    [['Contrast', 0.6, 7], ['Sharpness', 0.6, 5]],
    [['Color', 0.7, 7], ['TranslateX', 0.5, 8]],
    [['Equalize', 0.3, null], ['AutoContrast', 0.4, null]],
    [['TranslateY', 0.4, 3], ['Sharpness', 0.2, 6]],
    [['Brightness', 0.9, 6], ['Color', 0.2, 8]],
    [['Solarize', 0.5, 2], ['Invert', 0.0, null]],
    [['Equalize', 0.2, null], ['AutoContrast', 0.6, null]],
    [['Equalize', 0.2, null], ['Equalize', 0.6, null]],
    [['Color', 0.9, 9], ['Equalize', 0.6, null]],
    [['AutoContrast', 0.8, null], ['Solarize', 0.2, 8]],
    [['Brightness', 0.1, 3], ['Color', 0.7, 0]],
    [['Solarize', 0.4, 5], ['AutoContrast', 0.9, null]],
    [['TranslateY', 0.9, 9], ['TranslateY', 0.7, 9]],
    [['AutoContrast', 0.9, null], ['Solarize', 0.8, 3]],
    [['Equalize', 0.8, null], ['Invert', 0.1, null]],
    [['TranslateY', 0.7, 9], ['AutoContrast', 0.9, null]],
  ],
  svhn: [
    [['ShearX', 0.9, 4], ['Invert', 0.2, null]],
    [['ShearY', 0.9, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.6, null], ['Solarize', 0.6, 6]],
    [['Invert', 0.9, null], ['Equalize', 0.6, null]],
    [['Equalize', 0.6, null], ['Rotate', 0.9, 3]],
    [['ShearX', 0.9, 4], ['AutoContrast', 0.8, null]],
    [['ShearY', 0.9, 8], ['Invert', 0.4, null]],
    [['ShearY', 0.9, 5], ['Solarize', 0.2, 6]],
    [['Invert', 0.9, null], ['AutoContrast', 0.8, null]],
    [['Equalize', 0.6, null], ['Rotate', 0.9, 3]],
    [['ShearX', 0.9, 4], ['Solarize', 0.3, 3]],
    [['ShearY', 0.8, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.9, null], ['TranslateY', 0.6, 6]],
    [['Invert', 0.9, null], ['Equalize', 0.6, null]],
    [['Contrast', 0.3, 3], ['Rotate', 0.8, 4]],
    [['Invert', 0.8, null], ['TranslateY', 0.0, 2]],
    [['ShearY', 0.7, 6], ['Solarize', 0.4, 8]],
    [['Invert', 0.6, null], ['Rotate', 0.8, 4]],
    [['ShearY', 0.3, 7], ['TranslateX', 0.9, 3]],
    [['ShearX', 0.1, 6], ['Invert', 0.6, null]],
    [['Solarize', 0.7, 2], ['TranslateY', 0.6, 7]],
    [['ShearY', 0.8, 4], ['Invert', 0.8, null]],
    [['ShearX', 0.7, 9], ['TranslateY', 0.8, 3]],
    [['ShearY', 0.8, 5], ['AutoContrast', 0.7, null]],
    [['ShearX', 0.7, 2], ['Invert', 0.1, null]],
  ],
};

export interface AutoAugmentOptions {
  policy?: AutoAugmentPolicy;
  interpolation?: Interpolation;
  /** the value (one, or one per channel) of the area a shear, translation or rotation uncovers */
  fill?: Fill;
}
const AUTO_AUGMENT = signature<AutoAugmentOptions>()([], ['policy', 'interpolation', 'fill']);

/** AutoAugment: one of the policy's 25 sub-policies, each of its two ops applied with its probability. */
export class AutoAugment extends Transform<Tensor, Tensor> {
  readonly policy: AutoAugmentPolicy;
  readonly interpolation: Interpolation;
  readonly fill: Fill;
  readonly policies: [Step, Step][];
  constructor(...args: ArgsOf<typeof AUTO_AUGMENT>) {
    super();
    const o = AUTO_AUGMENT.bind('AutoAugment', args);
    this.policy = o.policy ?? 'imagenet';
    this.interpolation = o.interpolation ?? 'nearest';
    this.fill = o.fill ?? null;
    if (!Object.prototype.hasOwnProperty.call(POLICIES, this.policy)) throw new ValueError(`The provided policy ${String(this.policy)} is not recognized.`);
    this.policies = POLICIES[this.policy];
  }
  /** [sub-policy index, the two ops' probability draws, their sign draws] */
  static getParams(transformNum: number): [number, number[], number[]] {
    const policyId = draw(transformNum);
    const probs = rand([2]).tolist() as number[];
    const signs = randint(2, [2]).tolist() as number[];
    return [policyId, probs, signs];
  }
  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.getDimensions(img);
    const fill = channelFill(this.fill, channels);
    const [policyId, probs, signs] = AutoAugment.getParams(this.policies.length);
    const space = new Map(classicSpace(false).map(([name, bins, signed]) => [name, { bins, signed }]));
    this.policies[policyId].forEach(([op, p, magnitudeId], i) => {
      // torchvision compares the float32 draw with p as float32
      if (!(probs[i] <= Math.fround(p))) return;
      const { bins, signed } = space.get(op)!;
      const m = bins === null || magnitudeId === null ? 0 : (bins(10, height, width).select(0, magnitudeId).item() as number);
      img = applyOp(img, op, signed && signs[i] === 0 ? -m : m, this.interpolation, fill);
    });
    return img;
  }
  toString(): string {
    const name = memberName(AutoAugmentPolicy, this.policy);
    return `AutoAugment(policy=AutoAugmentPolicy.${name}, fill=${fillRepr(this.fill)})`;
  }
}

export interface RandAugmentOptions {
  numOps?: number;
  magnitude?: number;
  numMagnitudeBins?: number;
  interpolation?: Interpolation;
  fill?: Fill;
}
const RAND_AUGMENT = signature<RandAugmentOptions>()([], ['numOps', 'magnitude', 'numMagnitudeBins', 'interpolation', 'fill']);

/** RandAugment: numOps ops drawn uniformly, all at one magnitude bin. */
export class RandAugment extends Transform<Tensor, Tensor> {
  readonly numOps: number;
  readonly magnitude: number;
  readonly numMagnitudeBins: number;
  readonly interpolation: Interpolation;
  readonly fill: Fill;
  constructor(...args: ArgsOf<typeof RAND_AUGMENT>) {
    super();
    const o = RAND_AUGMENT.bind('RandAugment', args);
    this.numOps = o.numOps ?? 2;
    this.magnitude = o.magnitude ?? 9;
    this.numMagnitudeBins = o.numMagnitudeBins ?? 31;
    this.interpolation = o.interpolation ?? 'nearest';
    this.fill = o.fill ?? null;
  }
  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.getDimensions(img);
    const fill = channelFill(this.fill, channels);
    const space = classicSpace(true);
    for (let k = 0; k < this.numOps; k++) {
      const [op, bins, signed] = space[draw(space.length)];
      const magnitudes = bins && bins(this.numMagnitudeBins, height, width);
      const m = signedMagnitude(magnitudes, () => this.magnitude, signed, () => draw(2) !== 0);
      img = applyOp(img, op, m, this.interpolation, fill);
    }
    return img;
  }
  toString(): string {
    return `RandAugment(num_ops=${this.numOps}, magnitude=${this.magnitude}, num_magnitude_bins=${this.numMagnitudeBins}, interpolation=${modeRepr(this.interpolation)}, fill=${fillRepr(this.fill)})`;
  }
}

export interface TrivialAugmentWideOptions {
  numMagnitudeBins?: number;
  interpolation?: Interpolation;
  fill?: Fill;
}
const TRIVIAL_AUGMENT_WIDE = signature<TrivialAugmentWideOptions>()([], ['numMagnitudeBins', 'interpolation', 'fill']);

/** TrivialAugment Wide: one op drawn uniformly, at a magnitude bin drawn uniformly. */
export class TrivialAugmentWide extends Transform<Tensor, Tensor> {
  readonly numMagnitudeBins: number;
  readonly interpolation: Interpolation;
  readonly fill: Fill;
  constructor(...args: ArgsOf<typeof TRIVIAL_AUGMENT_WIDE>) {
    super();
    const o = TRIVIAL_AUGMENT_WIDE.bind('TrivialAugmentWide', args);
    this.numMagnitudeBins = o.numMagnitudeBins ?? 31;
    this.interpolation = o.interpolation ?? 'nearest';
    this.fill = o.fill ?? null;
  }
  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.getDimensions(img);
    const fill = channelFill(this.fill, channels);
    const [op, bins, signed] = WIDE_SPACE[draw(WIDE_SPACE.length)];
    const magnitudes = bins && bins(this.numMagnitudeBins, height, width);
    const m = signedMagnitude(magnitudes, () => draw(magnitudes!.size(0)), signed, () => draw(2) !== 0);
    return applyOp(img, op, m, this.interpolation, fill);
  }
  toString(): string {
    return `TrivialAugmentWide(num_magnitude_bins=${this.numMagnitudeBins}, interpolation=${modeRepr(this.interpolation)}, fill=${fillRepr(this.fill)})`;
  }
}

export interface AugMixOptions {
  severity?: number;
  mixtureWidth?: number;
  /** a chain's op count; -1 (default) draws it from [1, 3] for each chain */
  chainDepth?: number;
  alpha?: number;
  allOps?: boolean;
  interpolation?: Interpolation;
  fill?: Fill;
}
const AUG_MIX = signature<AugMixOptions>()([], ['severity', 'mixtureWidth', 'chainDepth', 'alpha', 'allOps', 'interpolation', 'fill']);
const AUG_MIX_MAX_SEVERITY = 10;

/** AugMix: the image blended with mixtureWidth chains of random ops, by Dirichlet-drawn weights. */
export class AugMix extends Transform<Tensor, Tensor> {
  readonly severity: number;
  readonly mixtureWidth: number;
  readonly chainDepth: number;
  readonly alpha: number;
  readonly allOps: boolean;
  readonly interpolation: Interpolation;
  readonly fill: Fill;
  constructor(...args: ArgsOf<typeof AUG_MIX>) {
    super();
    const o = AUG_MIX.bind('AugMix', args);
    this.severity = o.severity ?? 3;
    if (!(this.severity >= 1 && this.severity <= AUG_MIX_MAX_SEVERITY)) {
      throw new ValueError(`The severity must be between [1, ${AUG_MIX_MAX_SEVERITY}]. Got ${this.severity} instead.`);
    }
    this.mixtureWidth = o.mixtureWidth ?? 3;
    this.chainDepth = o.chainDepth ?? -1;
    this.alpha = o.alpha ?? 1.0;
    this.allOps = o.allOps ?? true;
    this.interpolation = o.interpolation ?? 'bilinear';
    this.fill = o.fill ?? null;
  }
  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.getDimensions(img);
    const fill = channelFill(this.fill, channels);
    const space = augMixSpace(this.allOps);
    // as a batch [B, C, H, W] (ones prepended), each image with its own mixing weights
    const origDims = img.shape;
    const batch = img.view([...new Array<number>(Math.max(4 - img.dim(), 0)).fill(1), ...origDims]);
    const n = batch.size(0);
    const batchDims = [n, ...new Array<number>(batch.dim() - 1).fill(1)];
    const dirichlet = (alphas: number[]) => torch.ops.aten._sample_dirichlet(tensor(alphas, { dtype: float32, device: batch.device }).expand([n, -1])) as Tensor;
    const m = dirichlet([this.alpha, this.alpha]);
    const weights = dirichlet(new Array<number>(this.mixtureWidth).fill(this.alpha)).mul(m.select(1, 1).view([n, -1]));
    const mix = m.select(1, 0).view(batchDims).mul(batch);
    for (let i = 0; i < this.mixtureWidth; i++) {
      let aug = batch;
      const depth = this.chainDepth > 0 ? this.chainDepth : (randint(1, 4, [1]).item() as number);
      for (let d = 0; d < depth; d++) {
        const [op, bins, signed] = space[draw(space.length)];
        const magnitudes = bins && bins(AUG_MIX_MAX_SEVERITY, height, width);
        const magnitude = signedMagnitude(magnitudes, () => draw(this.severity), signed, () => draw(2) !== 0);
        aug = applyOp(aug, op, magnitude, this.interpolation, fill);
      }
      mix.add_(weights.select(1, i).view(batchDims).mul(aug));
    }
    return mix.view(origDims).to(img.dtype);
  }
  toString(): string {
    return `AugMix(severity=${this.severity}, mixture_width=${this.mixtureWidth}, chain_depth=${this.chainDepth}, alpha=${pyFloat(this.alpha)}, all_ops=${this.allOps ? 'True' : 'False'}, interpolation=${modeRepr(this.interpolation)}, fill=${fillRepr(this.fill)})`;
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
