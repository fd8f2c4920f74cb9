// torchvision.transforms' random single-op colour transforms: each applies its functional op when
// torch.rand(1) < p, one draw per call as torchvision draws, so seeded runs make its choices.
import { Tensor } from '../../tensor/tensor';
import { rand } from '../../tensor/create';
import * as C from './color-ops';
import { Transform } from './transforms';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';

const P_ONLY = signature<{ p?: number }>()([], ['p']);

/** A transform applying `apply` with probability p (p=0.5 by default); repr `Name(p=...)`. */
abstract class RandomColorOp extends Transform<Tensor, Tensor> {
  abstract readonly p: number;
  protected abstract apply(img: Tensor): Tensor;
  forward(img: Tensor): Tensor {
    return (rand([1]).item() as number) < this.p ? this.apply(img) : img;
  }
  toString(): string {
    return `${this.constructor.name}(p=${this.p})`;
  }
}

export class RandomInvert extends RandomColorOp {
  readonly p: number;
  constructor(...args: ArgsOf<typeof P_ONLY>) {
    super();
    this.p = P_ONLY.bind('RandomInvert', args).p ?? 0.5;
  }
  protected apply(img: Tensor): Tensor {
    return C.invert(img);
  }
}

export class RandomAutocontrast extends RandomColorOp {
  readonly p: number;
  constructor(...args: ArgsOf<typeof P_ONLY>) {
    super();
    this.p = P_ONLY.bind('RandomAutocontrast', args).p ?? 0.5;
  }
  protected apply(img: Tensor): Tensor {
    return C.autocontrast(img);
  }
}

export class RandomEqualize extends RandomColorOp {
  readonly p: number;
  constructor(...args: ArgsOf<typeof P_ONLY>) {
    super();
    this.p = P_ONLY.bind('RandomEqualize', args).p ?? 0.5;
  }
  protected apply(img: Tensor): Tensor {
    return C.equalize(img);
  }
}

const POSTERIZE = signature<{ bits: number; p?: number }>()(['bits'], ['p']);
export class RandomPosterize extends RandomColorOp {
  readonly bits: number;
  readonly p: number;
  constructor(...args: ArgsOf<typeof POSTERIZE>) {
    super();
    const { bits, p = 0.5 } = POSTERIZE.bind('RandomPosterize', args);
    this.bits = bits;
    this.p = p;
  }
  protected apply(img: Tensor): Tensor {
    return C.posterize(img, this.bits);
  }
  toString(): string {
    // torchvision 0.14 prints no space after the comma
    return `RandomPosterize(bits=${this.bits},p=${this.p})`;
  }
}

const SOLARIZE = signature<{ threshold: number; p?: number }>()(['threshold'], ['p']);
export class RandomSolarize extends RandomColorOp {
  readonly threshold: number;
  readonly p: number;
  constructor(...args: ArgsOf<typeof SOLARIZE>) {
    super();
    const { threshold, p = 0.5 } = SOLARIZE.bind('RandomSolarize', args);
    this.threshold = threshold;
    this.p = p;
  }
  protected apply(img: Tensor): Tensor {
    return C.solarize(img, this.threshold);
  }
  toString(): string {
    return `RandomSolarize(threshold=${this.threshold},p=${this.p})`;
  }
}

const SHARPNESS = signature<{ sharpnessFactor: number; p?: number }>()(['sharpnessFactor'], ['p']);
export class RandomAdjustSharpness extends RandomColorOp {
  readonly sharpnessFactor: number;
  readonly p: number;
  constructor(...args: ArgsOf<typeof SHARPNESS>) {
    super();
    const { sharpnessFactor, p = 0.5 } = SHARPNESS.bind('RandomAdjustSharpness', args);
    this.sharpnessFactor = sharpnessFactor;
    this.p = p;
  }
  protected apply(img: Tensor): Tensor {
    return C.adjustSharpness(img, this.sharpnessFactor);
  }
  toString(): string {
    return `RandomAdjustSharpness(sharpness_factor=${this.sharpnessFactor},p=${this.p})`;
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
