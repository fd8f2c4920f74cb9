// Cauchy(loc, scale): reparameterised as loc + eps * scale with eps from Tensor.cauchy_, as Python draws it.
import * as torch from './torch';
import { Tensor } from './torch';
import { Distribution } from './distribution';
import { Size } from './utils';
import { locationScale } from './location-scale';

/** Cauchy(loc, scale, validateArgs = null), any of them by name */
export class Cauchy extends locationScale(Distribution) {
  get mean(): Tensor {
    return torch.full(this._extendedShape(), NaN, { dtype: this.loc.dtype, device: this.loc.device });
  }
  get variance(): Tensor {
    return torch.full(this._extendedShape(), Infinity, { dtype: this.loc.dtype, device: this.loc.device });
  }

  rsample(sampleShape: Size = []): Tensor {
    const eps = this.loc.newEmpty(this._extendedShape(sampleShape)).cauchy_();
    return this.loc.add(eps.mul(this.scale));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const z = value.sub(this.loc).div(this.scale);
    return this.scale.log().neg().sub(Math.log(Math.PI)).sub(z.pow(2).add(1).log());
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return torch.atan(value.sub(this.loc).div(this.scale)).div(Math.PI).add(0.5);
  }
  icdf(value: Tensor): Tensor {
    return torch.tan(value.sub(0.5).mul(Math.PI)).mul(this.scale).add(this.loc);
  }
  entropy(): Tensor {
    return this.scale.log().add(Math.log(4 * Math.PI));
  }
}
