// HalfNormal(scale): |X| for X ~ Normal(0, scale) (the folding: half-distribution.ts).
import { Tensor } from './torch';
import { HalfDistribution } from './half-distribution';
import { Normal } from './normal';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface HalfNormalArgs {
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const HALF_NORMAL = signature<HalfNormalArgs>()(['scale'], ['validateArgs']);

export class HalfNormal extends HalfDistribution<Normal> {
  constructor(...args: ArgsOf<typeof HALF_NORMAL>) {
    const a = HALF_NORMAL.bind('HalfNormal', args);
    super(new Normal(0, a.scale, { validateArgs: false }), a.validateArgs);
  }

  get mean(): Tensor {
    return this.scale.mul(Math.sqrt(2 / Math.PI));
  }
  get variance(): Tensor {
    return this.scale.pow(2).mul(1 - 2 / Math.PI);
  }
  expand(batchShape: Size): HalfNormal {
    return super.expand(batchShape) as HalfNormal;
  }
}
