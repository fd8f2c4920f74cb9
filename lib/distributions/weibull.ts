// Weibull(scale, concentration): scale * E^(1 / concentration) for E ~ Exponential(1), as a
// TransformedDistribution (PowerTransform then AffineTransform), as Python builds it.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Exponential } from './exponential';
import { AffineTransform, PowerTransform } from './transforms';
import { broadcastAll, eulerConstant, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface WeibullArgs {
  scale: TensorLike;
  concentration: TensorLike;
  validateArgs?: boolean | null;
}
const WEIBULL = signature<WeibullArgs>()(['scale', 'concentration'], ['validateArgs']);

export class Weibull extends TransformedDistribution {
  declare baseDist: Exponential;
  scale!: Tensor;
  concentration!: Tensor;
  concentrationReciprocal!: Tensor;

  constructor(...args: ArgsOf<typeof WEIBULL>) {
    const a = WEIBULL.bind('Weibull', args);
    const [scale, concentration] = broadcastAll(a.scale, a.concentration);
    const reciprocal = concentration.reciprocal();
    const base = new Exponential(torch.onesLike(scale), { validateArgs: a.validateArgs });
    super(base, [new PowerTransform(reciprocal), new AffineTransform(0, scale)], false);
    [this.scale, this.concentration, this.concentrationReciprocal] = [scale, concentration, reciprocal];
    // Python sets the parameters before validating: validate again now they are here.
    this._ownValidateArgs = undefined;
    this.init(this._batchShape, this._eventShape, a.validateArgs);
  }

  get argConstraints() {
    return { scale: constraints.positive, concentration: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.positive;
  }
  get mean(): Tensor {
    return this.scale.mul(torch.exp(torch.lgamma(this.concentrationReciprocal.add(1))));
  }
  get mode(): Tensor {
    return this.scale.mul(this.concentration.sub(1).div(this.concentration).pow(this.concentration.reciprocal()));
  }
  get variance(): Tensor {
    const a = torch.exp(torch.lgamma(this.concentrationReciprocal.mul(2).add(1)));
    const b = torch.exp(torch.lgamma(this.concentrationReciprocal.add(1)).mul(2));
    return this.scale.pow(2).mul(a.sub(b));
  }

  expand(batchShape: Size): Weibull {
    const n = super.expand(batchShape) as Weibull;
    n.scale = this.scale.expand(batchShape);
    n.concentration = this.concentration.expand(batchShape);
    n.concentrationReciprocal = n.concentration.reciprocal();
    n.transforms = [new PowerTransform(n.concentrationReciprocal), new AffineTransform(0, n.scale)];
    return n;
  }

  entropy(): Tensor {
    return this.concentrationReciprocal.neg().add(1).mul(eulerConstant).add(torch.log(this.scale.mul(this.concentrationReciprocal))).add(1);
  }
}
