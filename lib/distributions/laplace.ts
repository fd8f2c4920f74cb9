// Laplace(loc, scale): reparameterised by inverting the CDF of a uniform draw on (eps - 1, 1).
import * as torch from './torch';
import { Tensor } from './torch';
import { Distribution } from './distribution';
import { finfo, Size } from './utils';
import { locationScale } from './location-scale';

/** Laplace(loc, scale, validateArgs = null), any of them by name */
export class Laplace extends locationScale(Distribution) {
  get mean(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return this.scale.pow(2).mul(2);
  }
  get stddev(): Tensor {
    return this.scale.mul(2 ** 0.5);
  }

  rsample(sampleShape: Size = []): Tensor {
    const u = this.loc.newEmpty(this._extendedShape(sampleShape)).uniform_(finfo(this.loc.dtype).eps - 1, 1);
    return this.loc.sub(this.scale.mul(u.sign()).mul(torch.log1p(u.abs().neg())));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return torch.log(this.scale.mul(2)).neg().sub(torch.abs(value.sub(this.loc)).div(this.scale));
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const d = value.sub(this.loc);
    return d.sign().mul(0.5).mul(torch.expm1(d.abs().neg().div(this.scale))).neg().add(0.5);
  }
  icdf(value: Tensor): Tensor {
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(torch.log1p(term.abs().mul(-2))));
  }
  entropy(): Tensor {
    return torch.log(this.scale.mul(2)).add(1);
  }
}
