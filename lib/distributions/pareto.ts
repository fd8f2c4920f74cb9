// Pareto(scale, alpha): scale * exp(E) for E ~ Exponential(alpha), as a TransformedDistribution.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { TransformedDistribution } from './transformed-distribution';
import { Exponential } from './exponential';
import { AffineTransform, ExpTransform } from './transforms';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface ParetoArgs {
  scale: TensorLike;
  alpha: TensorLike;
  validateArgs?: boolean | null;
}
const PARETO = signature<ParetoArgs>()(['scale', 'alpha'], ['validateArgs']);

export class Pareto extends TransformedDistribution {
  declare baseDist: Exponential;
  scale!: Tensor;
  alpha!: Tensor;

  constructor(...args: ArgsOf<typeof PARETO>) {
    const a = PARETO.bind('Pareto', args);
    const [scale, alpha] = broadcastAll(a.scale, a.alpha);
    const base = new Exponential(alpha, { validateArgs: a.validateArgs });
    super(base, [new ExpTransform(), new AffineTransform(0, scale)], false);
    [this.scale, this.alpha] = [scale, alpha];
    // Python sets the parameters before validating: validate again now they are here.
    this._ownValidateArgs = undefined;
    this.init(this._batchShape, this._eventShape, a.validateArgs);
  }

  get argConstraints() {
    return { alpha: constraints.positive, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.greaterThanEq(this.scale);
  }
  get mean(): Tensor {
    const a = this.alpha.clamp({ min: 1 }); // infinite for alpha <= 1
    return a.mul(this.scale).div(a.sub(1));
  }
  get mode(): Tensor {
    return this.scale;
  }
  get variance(): Tensor {
    const a = this.alpha.clamp({ min: 2 }); // infinite for alpha <= 2
    return this.scale.pow(2).mul(a).div(a.sub(1).pow(2).mul(a.sub(2)));
  }

  expand(batchShape: Size): Pareto {
    const n = super.expand(batchShape) as Pareto;
    n.scale = this.scale.expand(batchShape);
    n.alpha = this.alpha.expand(batchShape);
    return n;
  }

  entropy(): Tensor {
    return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1));
  }
}
