// Beta(concentration1, concentration0): the first coordinate of a Dirichlet over two outcomes.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { Dirichlet } from './dirichlet';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface BetaArgs {
  concentration1: TensorLike;
  concentration0: TensorLike;
  validateArgs?: boolean | null;
}
const BETA = signature<BetaArgs>()(['concentration1', 'concentration0'], ['validateArgs']);

export class Beta extends ExponentialFamily {
  _dirichlet!: Dirichlet;

  constructor(...args: ArgsOf<typeof BETA>) {
    super();
    const a = BETA.bind('Beta', args);
    let both: Tensor;
    if (typeof a.concentration1 === 'number' && typeof a.concentration0 === 'number') {
      both = torch.tensor([a.concentration1, a.concentration0], { dtype: torch.getDefaultDtype() });
    } else {
      const [c1, c0] = broadcastAll(a.concentration1, a.concentration0);
      both = torch.stack([c1, c0], -1);
    }
    this._dirichlet = new Dirichlet(both, a.validateArgs);
    this.init(this._dirichlet.batchShape, [], a.validateArgs);
  }

  get argConstraints() {
    return { concentration1: constraints.positive, concentration0: constraints.positive };
  }
  /** The concentrations are views of the Dirichlet's, so Python's repr shows none: `Beta()`. */
  protected _stored(): boolean {
    return false;
  }
  get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  get hasRsample(): boolean {
    return true;
  }
  get concentration1(): Tensor {
    return this._dirichlet.concentration.index('...', 0);
  }
  get concentration0(): Tensor {
    return this._dirichlet.concentration.index('...', 1);
  }
  get mean(): Tensor {
    return this.concentration1.div(this.concentration1.add(this.concentration0));
  }
  get mode(): Tensor {
    return this._dirichlet.mode.index('...', 0);
  }
  get variance(): Tensor {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }

  expand(batchShape: Size): Beta {
    const n = this._newInstance();
    n._dirichlet = this._dirichlet.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  rsample(sampleShape: Size = []): Tensor {
    return this._dirichlet.rsample(sampleShape).select(-1, 0);
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this._dirichlet.logProb(torch.stack([value, value.neg().add(1.0)], -1));
  }
  entropy(): Tensor {
    return this._dirichlet.entropy();
  }
  get _naturalParams(): Tensor[] {
    return [this.concentration1, this.concentration0];
  }
  _logNormalizer(x: Tensor, y: Tensor): Tensor {
    return torch.lgamma(x).add(torch.lgamma(y)).sub(torch.lgamma(x.add(y)));
  }
}
