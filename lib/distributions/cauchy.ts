// Cauchy(loc, scale): reparameterised as loc + eps * scale with eps from Tensor.cauchy_, as Python draws it.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface CauchyArgs {
  loc: TensorLike;
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const CAUCHY = signature<CauchyArgs>()(['loc', 'scale'], ['validateArgs']);

export class Cauchy extends Distribution {
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: ArgsOf<typeof CAUCHY>) {
    super();
    const a = CAUCHY.bind('Cauchy', args);
    [this.loc, this.scale] = broadcastAll(a.loc, a.scale);
    const scalar = typeof a.loc === 'number' && typeof a.scale === 'number';
    this.init(scalar ? [] : this.loc.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { loc: constraints.real, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get hasRsample(): boolean {
    return true;
  }
  get mean(): Tensor {
    return torch.full(this._extendedShape(), NaN, { dtype: this.loc.dtype, device: this.loc.device });
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return torch.full(this._extendedShape(), Infinity, { dtype: this.loc.dtype, device: this.loc.device });
  }

  expand(batchShape: Size): Cauchy {
    const n = this._newInstance();
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
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
