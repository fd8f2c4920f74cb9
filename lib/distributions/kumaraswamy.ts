// Kumaraswamy(concentration1, concentration0): (1 - U^(1/c0))^(1/c1) for U ~ Uniform(0, 1), as a
// TransformedDistribution with Python's three transforms.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Uniform } from './uniform';
import { AffineTransform, PowerTransform } from './transforms';
import { broadcastAll, eulerConstant, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface KumaraswamyArgs {
  concentration1: TensorLike;
  concentration0: TensorLike;
  validateArgs?: boolean | null;
}
const KUMARASWAMY = signature<KumaraswamyArgs>()(['concentration1', 'concentration0'], ['validateArgs']);

/** The n-th moment, b * B(1 + n / a, b), through lgamma. */
function moments(a: Tensor, b: Tensor, n: number): Tensor {
  const arg1 = a.reciprocal().mul(n).add(1);
  const logValue = torch.lgamma(arg1).add(torch.lgamma(b)).sub(torch.lgamma(arg1.add(b)));
  return b.mul(torch.exp(logValue));
}

export class Kumaraswamy extends TransformedDistribution {
  declare baseDist: Uniform;
  concentration1!: Tensor;
  concentration0!: Tensor;

  constructor(...args: ArgsOf<typeof KUMARASWAMY>) {
    const a = KUMARASWAMY.bind('Kumaraswamy', args);
    const [c1, c0] = broadcastAll(a.concentration1, a.concentration0);
    const base = new Uniform(torch.fullLike(c0, 0), torch.fullLike(c0, 1), { validateArgs: a.validateArgs });
    super(base, [new PowerTransform(c0.reciprocal()), new AffineTransform(1.0, -1.0), new PowerTransform(c1.reciprocal())], false);
    [this.concentration1, this.concentration0] = [c1, c0];
    // Python sets the parameters before validating: validate again now they are here.
    this._ownValidateArgs = undefined;
    this.init(this._batchShape, this._eventShape, a.validateArgs);
  }

  get argConstraints() {
    return { concentration1: constraints.positive, concentration0: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  get hasRsample(): boolean {
    return true;
  }
  get mean(): Tensor {
    return moments(this.concentration1, this.concentration0, 1);
  }
  /** In log space for stability; NaN where a concentration is below 1. */
  get mode(): Tensor {
    const c0 = this.concentration0;
    const c1 = this.concentration1;
    const logMode = c0.reciprocal().mul(c0.neg().log1p()).sub(c0.neg().mul(c1).log1p());
    logMode.indexPut_([c0.lt(1).logicalOr(c1.lt(1))], NaN);
    return logMode.exp();
  }
  get variance(): Tensor {
    return moments(this.concentration1, this.concentration0, 2).sub(torch.pow(this.mean, 2));
  }

  expand(batchShape: Size): Kumaraswamy {
    const n = super.expand(batchShape) as Kumaraswamy;
    n.concentration1 = this.concentration1.expand(batchShape);
    n.concentration0 = this.concentration0.expand(batchShape);
    return n;
  }

  entropy(): Tensor {
    const t1 = this.concentration1.reciprocal().neg().add(1);
    const t0 = this.concentration0.reciprocal().neg().add(1);
    const H0 = torch.digamma(this.concentration0.add(1)).add(eulerConstant);
    return t0.add(t1.mul(H0)).sub(torch.log(this.concentration1)).sub(torch.log(this.concentration0));
  }
}
