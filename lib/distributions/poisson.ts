// Poisson(rate): counts, drawn by torch.poisson.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface PoissonArgs {
  rate: TensorLike;
  validateArgs?: boolean | null;
}
const POISSON = signature<PoissonArgs>()(['rate'], ['validateArgs']);

export class Poisson extends ExponentialFamily {
  rate!: Tensor;

  constructor(...args: ArgsOf<typeof POISSON>) {
    super();
    const a = POISSON.bind('Poisson', args);
    [this.rate] = broadcastAll(a.rate);
    this.init(typeof a.rate === 'number' ? [] : this.rate.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { rate: constraints.nonnegative };
  }
  get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
  }
  get mean(): Tensor {
    return this.rate;
  }
  get mode(): Tensor {
    return this.rate.floor();
  }
  get variance(): Tensor {
    return this.rate;
  }

  expand(batchShape: Size): Poisson {
    const n = this._newInstance();
    n.rate = this.rate.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  sample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return torch.noGrad(() => torch.poisson(this.rate.expand(shape)));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [rate, v] = broadcastAll(this.rate, value);
    return v.xlogy(rate).sub(rate).sub(v.add(1).lgamma());
  }
  get _naturalParams(): Tensor[] {
    return [torch.log(this.rate)];
  }
  _logNormalizer(x: Tensor): Tensor {
    return torch.exp(x);
  }
}
