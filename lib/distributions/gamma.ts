// Gamma(concentration, rate): reparameterised through libtorch's differentiable _standard_gamma.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { broadcastAll, finfo, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface GammaArgs {
  concentration: TensorLike;
  rate: TensorLike;
  validateArgs?: boolean | null;
}
const GAMMA = signature<GammaArgs>()(['concentration', 'rate'], ['validateArgs']);

export class Gamma extends ExponentialFamily {
  concentration!: Tensor;
  rate!: Tensor;

  constructor(...args: ArgsOf<typeof GAMMA>) {
    super();
    const a = GAMMA.bind('Gamma', args);
    [this.concentration, this.rate] = broadcastAll(a.concentration, a.rate);
    const scalar = typeof a.concentration === 'number' && typeof a.rate === 'number';
    this.init(scalar ? [] : this.concentration.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { concentration: constraints.positive, rate: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  get hasRsample(): boolean {
    return true;
  }
  get _meanCarrierMeasure(): number {
    return 0;
  }
  get mean(): Tensor {
    return this.concentration.div(this.rate);
  }
  get mode(): Tensor {
    return this.concentration.sub(1).div(this.rate).clamp({ min: 0 });
  }
  get variance(): Tensor {
    return this.concentration.div(this.rate.pow(2));
  }

  expand(batchShape: Size): Gamma {
    const n = this._newInstance();
    n.concentration = this.concentration.expand(batchShape);
    n.rate = this.rate.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const value = (torch.ops.aten._standard_gamma(this.concentration.expand(shape)) as Tensor).div(this.rate.expand(shape));
    value.detach().clamp_({ min: finfo(value.dtype).tiny }); // in place, outside the autograd graph
    return value;
  }
  logProb(value: Tensor | number): Tensor {
    const v = value instanceof Tensor ? value.to(this.rate.dtype) : torch.tensor(value, { dtype: this.rate.dtype, device: this.rate.device });
    if (this._validateArgs) this._validateSample(v);
    return torch.xlogy(this.concentration, this.rate)
      .add(torch.xlogy(this.concentration.sub(1), v))
      .sub(this.rate.mul(v))
      .sub(torch.lgamma(this.concentration));
  }
  entropy(): Tensor {
    const c = this.concentration;
    return c.sub(torch.log(this.rate)).add(torch.lgamma(c)).add(c.neg().add(1.0).mul(torch.digamma(c)));
  }
  get _naturalParams(): Tensor[] {
    return [this.concentration.sub(1), this.rate.neg()];
  }
  _logNormalizer(x: Tensor, y: Tensor): Tensor {
    return torch.lgamma(x.add(1)).add(x.add(1).mul(torch.log(y.reciprocal().neg())));
  }
}
