// LogNormal(loc, scale): exp of a Normal, as a TransformedDistribution.
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Normal } from './normal';
import { ExpTransform } from './transforms';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface LogNormalArgs {
  loc: TensorLike;
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const LOG_NORMAL = signature<LogNormalArgs>()(['loc', 'scale'], ['validateArgs']);

export class LogNormal extends TransformedDistribution {
  declare baseDist: Normal;

  constructor(...args: ArgsOf<typeof LOG_NORMAL>) {
    const a = LOG_NORMAL.bind('LogNormal', args);
    super(new Normal(a.loc, a.scale, a.validateArgs), new ExpTransform(), a.validateArgs);
  }

  get argConstraints() {
    return { loc: constraints.real, scale: constraints.positive };
  }
  /** loc and scale are the base Normal's, so Python's repr shows none: `LogNormal()`. */
  protected _stored(): boolean {
    return false;
  }
  get support(): constraints.Constraint {
    return constraints.positive;
  }
  get hasRsample(): boolean {
    return true;
  }
  get loc(): Tensor {
    return this.baseDist.loc;
  }
  get scale(): Tensor {
    return this.baseDist.scale;
  }
  get mean(): Tensor {
    return this.loc.add(this.scale.pow(2).div(2)).exp();
  }
  get mode(): Tensor {
    return this.loc.sub(this.scale.square()).exp();
  }
  get variance(): Tensor {
    return this.scale.pow(2).exp().sub(1).mul(this.loc.mul(2).add(this.scale.pow(2)).exp());
  }
  entropy(): Tensor {
    return this.baseDist.entropy().add(this.loc);
  }
  expand(batchShape: Size): LogNormal {
    return super.expand(batchShape) as LogNormal;
  }
}
