// Laplace(loc, scale): reparameterised by inverting the CDF of a uniform draw on (eps - 1, 1).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { broadcastAll, finfo, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface LaplaceArgs {
  loc: TensorLike;
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const LAPLACE = signature<LaplaceArgs>()(['loc', 'scale'], ['validateArgs']);

export class Laplace extends Distribution {
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: ArgsOf<typeof LAPLACE>) {
    super();
    const a = LAPLACE.bind('Laplace', args);
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
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return this.scale.pow(2).mul(2);
  }
  get stddev(): Tensor {
    return this.scale.mul(2 ** 0.5);
  }

  expand(batchShape: Size): Laplace {
    const n = this._newInstance();
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
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
