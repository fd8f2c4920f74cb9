// HalfCauchy(scale): |X| for X ~ Cauchy(0, scale), as a TransformedDistribution through AbsTransform.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Cauchy } from './cauchy';
import { AbsTransform } from './transforms';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface HalfCauchyArgs {
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const HALF_CAUCHY = signature<HalfCauchyArgs>()(['scale'], ['validateArgs']);

export class HalfCauchy extends TransformedDistribution {
  declare baseDist: Cauchy;

  constructor(...args: ArgsOf<typeof HALF_CAUCHY>) {
    const a = HALF_CAUCHY.bind('HalfCauchy', args);
    super(new Cauchy(0, a.scale, { validateArgs: false }), new AbsTransform(), a.validateArgs);
  }

  get argConstraints() {
    return { scale: constraints.positive };
  }
  /** scale is the base Cauchy's, so Python's repr shows none: `HalfCauchy()`. */
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
    return torch.full(this._extendedShape(), Infinity, { dtype: this.scale.dtype, device: this.scale.device });
  }
  get mode(): Tensor {
    return torch.zerosLike(this.scale);
  }
  get variance(): Tensor {
    return this.baseDist.variance;
  }
  expand(batchShape: Size): HalfCauchy {
    return super.expand(batchShape) as HalfCauchy;
  }

  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    value = value.to({ dtype: this.scale.dtype, device: this.scale.device });
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
