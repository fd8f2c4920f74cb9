// What HalfNormal and HalfCauchy share: |X| for X ~ a location-0 base of the same scale, through
// AbsTransform. Python writes the two out separately; the folding (log 2, 2 cdf - 1, entropy - log 2)
// is the same for both, so it lives here once.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Distribution } from './distribution';
import { AbsTransform } from './transforms';

/** A location-0 base with a scale: Normal(0, scale), Cauchy(0, scale). */
type ScaledBase = Distribution & { readonly scale: Tensor };

export abstract class HalfDistribution<B extends ScaledBase> extends TransformedDistribution {
  declare baseDist: B;

  constructor(base: B, validateArgs: boolean | null | undefined) {
    super(base, new AbsTransform(), validateArgs);
  }

  get argConstraints() {
    return { scale: constraints.positive };
  }
  /** scale is the base's, so Python's repr shows none: `HalfNormal()`. */
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
  get mode(): Tensor {
    return torch.zerosLike(this.scale);
  }

  /** The value logProb folds (HalfCauchy casts it to the scale's dtype and device, as Python's). */
  protected _logProbValue(value: Tensor): Tensor {
    return value;
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    value = this._logProbValue(value);
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
