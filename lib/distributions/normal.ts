// Normal(loc, scale): reparameterised as loc + eps * scale.
import * as torch from './torch';
import { Tensor } from './torch';
import { ExponentialFamily } from './exp-family';
import { standardNormal, Size } from './utils';
import { locationScale } from './location-scale';

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/** Normal(loc, scale, validateArgs = null), any of them by name */
export class Normal extends locationScale(ExponentialFamily) {
  get _meanCarrierMeasure(): number {
    return 0;
  }
  get mean(): Tensor {
    return this.loc;
  }
  get stddev(): Tensor {
    return this.scale;
  }
  get variance(): Tensor {
    return this.stddev.pow(2);
  }

  sample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return torch.noGrad(() => torch.ops.aten.normal(this.loc.expand(shape), this.scale.expand(shape)) as Tensor);
  }
  rsample(sampleShape: Size = []): Tensor {
    const eps = standardNormal(this._extendedShape(sampleShape), this.loc);
    return this.loc.add(eps.mul(this.scale));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const variance = this.scale.pow(2);
    return value.sub(this.loc).pow(2).neg().div(variance.mul(2)).sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return torch.erf(value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2)).add(1).mul(0.5);
  }
  icdf(value: Tensor): Tensor {
    return this.loc.add(this.scale.mul(torch.erfinv(value.mul(2).sub(1))).mul(Math.SQRT2));
  }
  entropy(): Tensor {
    return torch.log(this.scale).add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }
  get _naturalParams(): Tensor[] {
    return [this.loc.div(this.scale.pow(2)), this.scale.pow(2).reciprocal().mul(-0.5)];
  }
  _logNormalizer(x: Tensor, y: Tensor): Tensor {
    return x.pow(2).mul(-0.25).div(y).add(torch.log(y.reciprocal().mul(-Math.PI)));
  }
}
