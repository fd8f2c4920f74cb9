// LogisticNormal(loc, scale): a Normal pushed onto the simplex by StickBreakingTransform (event
// shape one longer than the Normal's last dimension).
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Independent } from './independent';
import { Normal } from './normal';
import { StickBreakingTransform } from './transforms';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface LogisticNormalArgs {
  loc: TensorLike;
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const LOGISTIC_NORMAL = signature<LogisticNormalArgs>()(['loc', 'scale'], ['validateArgs']);

export class LogisticNormal extends TransformedDistribution {
  declare baseDist: Independent;

  constructor(...args: ArgsOf<typeof LOGISTIC_NORMAL>) {
    const a = LOGISTIC_NORMAL.bind('LogisticNormal', args);
    let base = new Normal(a.loc, a.scale, { validateArgs: a.validateArgs });
    if (base.batchShape.length === 0) base = base.expand([1]);
    super(base, new StickBreakingTransform(), a.validateArgs);
  }

  get argConstraints() {
    return { loc: constraints.real, scale: constraints.positive };
  }
  /** loc and scale are the base Normal's, so Python's repr shows none: `LogisticNormal()`. */
  protected _stored(): boolean {
    return false;
  }
  get support(): constraints.Constraint {
    return constraints.simplex;
  }
  get hasRsample(): boolean {
    return true;
  }
  get loc(): Tensor {
    return (this.baseDist.baseDist as Normal).loc;
  }
  get scale(): Tensor {
    return (this.baseDist.baseDist as Normal).scale;
  }
  expand(batchShape: Size): LogisticNormal {
    return super.expand(batchShape) as LogisticNormal;
  }
}
