// HalfNormal(scale): |X| for X ~ Normal(0, scale), as a TransformedDistribution through AbsTransform.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Normal } from './normal';
import { AbsTransform } from './transforms';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface HalfNormalArgs {
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const HALF_NORMAL = signature<HalfNormalArgs>()(['scale'], ['validateArgs']);

export class HalfNormal extends TransformedDistribution {
  declare baseDist: Normal;

  constructor(...args: ArgsOf<typeof HALF_NORMAL>) {
    const a = HALF_NORMAL.bind('HalfNormal', args);
    super(new Normal(0, a.scale, { validateArgs: false }), new AbsTransform(), a.validateArgs);
  }

  get argConstraints() {
    return { scale: constraints.positive };
  }
  /** scale is the base Normal's, so Python's repr shows none: `HalfNormal()`. */
  protected _stored(): boolean {
    return false;
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  get hasRsample(): boolean {
    return true;
  }
  get scale(): Tensor {
    return this.baseDist.scale;
  }
  get mean(): Tensor {
    return this.scale.mul(Math.sqrt(2 / Math.PI));
  }
  get mode(): Tensor {
    return torch.zerosLike(this.scale);
  }
  get variance(): Tensor {
    return this.scale.pow(2).mul(1 - 2 / Math.PI);
  }
  expand(batchShape: Size): HalfNormal {
    return super.expand(batchShape) as HalfNormal;
  }

  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const logProb = this.baseDist.logProb(value).add(Math.log(2));
    return torch.where(value.ge(0), logProb, -Infinity);
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this.baseDist.cdf(value).mul(2).sub(1);
  }
  icdf(prob: Tensor): Tensor {
    return this.baseDist.icdf(prob.add(1).div(2));
  }
  entropy(): Tensor {
    return this.baseDist.entropy().sub(Math.log(2));
  }
}
