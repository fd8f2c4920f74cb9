// Uniform(low, high): the half-open interval [low, high); reparameterised as low + u * (high - low).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { ValueError } from '../errors';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface UniformArgs {
  low: TensorLike;
  high: TensorLike;
  validateArgs?: boolean | null;
}
const UNIFORM = signature<UniformArgs>()(['low', 'high'], ['validateArgs']);

export class Uniform extends Distribution {
  low!: Tensor;
  high!: Tensor;

  constructor(...args: ArgsOf<typeof UNIFORM>) {
    super();
    const a = UNIFORM.bind('Uniform', args);
    [this.low, this.high] = broadcastAll(a.low, a.high);
    const scalar = typeof a.low === 'number' && typeof a.high === 'number';
    this.init(scalar ? [] : this.low.shape, [], a.validateArgs);
    if (this._validateArgs && !torch.lt(this.low, this.high).all().item<boolean>()) {
      throw new ValueError('Uniform is not defined when low>= high');
    }
  }

  get argConstraints() {
    // dependent: low < high is checked by the constructor instead
    return { low: new constraints.Dependent({ isDiscrete: false, eventDim: 0 }), high: new constraints.Dependent({ isDiscrete: false, eventDim: 0 }) };
  }
  get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high);
  }
  get hasRsample(): boolean {
    return true;
  }
  get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }
  get mode(): Tensor {
    return this.high.mul(NaN);
  }
  get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }
  get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }

  expand(batchShape: Size): Uniform {
    const n = this._newInstance();
    n.low = this.low.expand(batchShape);
    n.high = this.high.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const rand = torch.rand(this._extendedShape(sampleShape), { dtype: this.low.dtype, device: this.low.device });
    return this.low.add(rand.mul(this.high.sub(this.low)));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const lb = this.low.le(value).typeAs(this.low);
    const ub = this.high.gt(value).typeAs(this.low);
    return torch.log(lb.mul(ub)).sub(torch.log(this.high.sub(this.low)));
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }
  icdf(value: Tensor): Tensor {
    return value.mul(this.high.sub(this.low)).add(this.low);
  }
  entropy(): Tensor {
    return torch.log(this.high.sub(this.low));
  }
}
