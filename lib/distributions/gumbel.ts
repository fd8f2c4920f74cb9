// Gumbel(loc, scale): loc - scale * log(-log(U)) for U ~ Uniform(tiny, 1 - eps), as a
// TransformedDistribution with Python's four transforms (so seeded draws are Python's).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Uniform } from './uniform';
import { AffineTransform, ExpTransform } from './transforms';
import { broadcastAll, eulerConstant, finfo, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface GumbelArgs {
  loc: TensorLike;
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const GUMBEL = signature<GumbelArgs>()(['loc', 'scale'], ['validateArgs']);

export class Gumbel extends TransformedDistribution {
  declare baseDist: Uniform;
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: ArgsOf<typeof GUMBEL>) {
    const a = GUMBEL.bind('Gumbel', args);
    const [loc, scale] = broadcastAll(a.loc, a.scale);
    const { tiny, eps } = finfo(loc.dtype);
    const base = typeof a.loc === 'number' && typeof a.scale === 'number'
      ? new Uniform(tiny, 1 - eps)
      : new Uniform(torch.fullLike(loc, tiny), torch.fullLike(loc, 1 - eps));
    const transforms = [new ExpTransform().inv, new AffineTransform(0, torch.onesLike(scale).neg()), new ExpTransform().inv, new AffineTransform(a.loc, scale.neg())];
    super(base, transforms, false);
    [this.loc, this.scale] = [loc, scale];
    // Python sets loc and scale before validating: validate again now they are here.
    this._ownValidateArgs = undefined;
    this.init(this._batchShape, this._eventShape, a.validateArgs);
  }

  get argConstraints() {
    return { loc: constraints.real, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get mean(): Tensor {
    return this.loc.add(this.scale.mul(eulerConstant));
  }
  get mode(): Tensor {
    return this.loc;
  }
  get stddev(): Tensor {
    return this.scale.mul(Math.PI / Math.sqrt(6));
  }
  get variance(): Tensor {
    return this.stddev.pow(2);
  }

  expand(batchShape: Size): Gumbel {
    const n = super.expand(batchShape) as Gumbel;
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return n;
  }

  /** Written out for precision, as Python does. */
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const y = this.loc.sub(value).div(this.scale);
    return y.sub(y.exp()).sub(this.scale.log());
  }
  entropy(): Tensor {
    return this.scale.log().add(1 + eulerConstant);
  }
}
