// Exponential(rate): drawn by Tensor.exponential_, as Python does outside tracing.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface ExponentialArgs {
  rate: TensorLike;
  validateArgs?: boolean | null;
}
const EXPONENTIAL = signature<ExponentialArgs>()(['rate'], ['validateArgs']);

export class Exponential extends ExponentialFamily {
  rate!: Tensor;

  constructor(...args: ArgsOf<typeof EXPONENTIAL>) {
    super();
    const a = EXPONENTIAL.bind('Exponential', args);
    [this.rate] = broadcastAll(a.rate);
    this.init(typeof a.rate === 'number' ? [] : this.rate.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { rate: constraints.positive };
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
    return this.rate.reciprocal();
  }
  get mode(): Tensor {
    return torch.zerosLike(this.rate);
  }
  get stddev(): Tensor {
    return this.rate.reciprocal();
  }
  get variance(): Tensor {
    return this.rate.pow(-2);
  }

  expand(batchShape: Size): Exponential {
    const n = this._newInstance();
    n.rate = this.rate.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  rsample(sampleShape: Size = []): Tensor {
    return this.rate.newEmpty(this._extendedShape(sampleShape)).exponential_().div(this.rate);
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this.rate.log().sub(this.rate.mul(value));
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return torch.exp(this.rate.neg().mul(value)).neg().add(1);
  }
  icdf(value: Tensor): Tensor {
    return torch.log(value.neg().add(1)).neg().div(this.rate);
  }
  entropy(): Tensor {
    return torch.log(this.rate).neg().add(1.0);
  }
  get _naturalParams(): Tensor[] {
    return [this.rate.neg()];
  }
  _logNormalizer(x: Tensor): Tensor {
    return torch.log(x.neg()).neg();
  }
}
