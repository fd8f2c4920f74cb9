// LKJCholesky(dim, concentration): the lower Cholesky factor L of a correlation matrix L L^T whose
// density is proportional to det(L L^T)^(concentration - 1); sampled by the onion method
// (Lewandowski, Kurowicka and Joe, 2009), vectorised over rows as torch does.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Beta } from './beta';
import { ValueError } from '../errors';
import { broadcastAll, finfo, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface LKJCholeskyArgs {
  dim: number;
  concentration?: TensorLike;
  validateArgs?: boolean | null;
}
const LKJ = signature<LKJCholeskyArgs>()(['dim'], ['concentration', 'validateArgs']);

export class LKJCholesky extends Distribution {
  dim!: number;
  concentration!: Tensor;
  /** Row i's squared off-diagonal norm is Beta(i/2, concentration + (dim-2-i)/2) (row 0 unused). */
  _beta!: Beta;

  constructor(...args: ArgsOf<typeof LKJ>) {
    super();
    const a = LKJ.bind('LKJCholesky', args);
    const dim = a.dim;
    if (dim < 2) throw new ValueError(`Expected dim to be an integer greater than or equal to 2. Found dim=${dim}.`);
    this.dim = dim;
    [this.concentration] = broadcastAll(a.concentration ?? 1.0);
    const c = this.concentration;
    const marginalConc = c.add(0.5 * (dim - 2));
    let offset = torch.arange(dim - 1, { dtype: c.dtype, device: c.device });
    offset = torch.cat([offset.newZeros([1]), offset]);
    this._beta = new Beta(offset.add(0.5), marginalConc.unsqueeze(-1).sub(offset.mul(0.5)));
    this.init(c.shape, [dim, dim], a.validateArgs);
  }

  get argConstraints() {
    return { concentration: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.corrCholesky;
  }

  expand(batchShape: Size): LKJCholesky {
    const n = this._newInstance();
    n.dim = this.dim;
    n.concentration = this.concentration.expand(batchShape);
    n._beta = this._beta.expand([...batchShape, this.dim]);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  sample(sampleShape: Size = []): Tensor {
    return torch.noGrad(() => {
      const y = this._beta.sample(sampleShape).unsqueeze(-1);
      const uNormal = torch.randn(this._extendedShape(sampleShape), { dtype: y.dtype, device: y.device }).tril(-1);
      const uHypersphere = uNormal.div(torch.linalg.vectorNorm(uNormal, 2, -1, true));
      uHypersphere.select(-2, 0).fill_(0); // row 0 is 0/0 above
      const w = torch.sqrt(y).mul(uHypersphere);
      // the diagonal makes each row unit length; clamped so rounding never takes a square root of <= 0
      const diag = torch.clamp(torch.sum(w.pow(2), -1).neg().add(1), { min: finfo(w.dtype).tiny }).sqrt();
      return w.add_(torch.diagEmbed(diag));
    });
  }

  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    // log of prod_i L_ii^(2 (concentration - 1) + dim - i) for i >= 2 (1-based), the density of L
    // (the correlation density times the Jacobian of L -> L L^T), over the normaliser of the paper
    const diagElems = value.diagonal({ dim1: -1, dim2: -2 }).index('...', torch.slice(1, null));
    const order = torch.arange(2, this.dim + 1, { device: this.concentration.device });
    const orders = this.concentration.sub(1).unsqueeze(-1).mul(2).add(this.dim).sub(order);
    const unnormalized = torch.sum(orders.mul(diagElems.log()), -1);
    const dm1 = this.dim - 1;
    const alpha = this.concentration.add(0.5 * dm1);
    const denominator = torch.lgamma(alpha).mul(dm1);
    const numerator = torch.mvlgamma(alpha.sub(0.5), dm1);
    // the paper's pi constant is dim (dim-1)/4 log(pi), mvlgamma's (dim-1)(dim-2)/4 log(pi)
    const piConstant = 0.5 * dm1 * Math.log(Math.PI);
    return unnormalized.sub(numerator.sub(denominator).add(piConstant));
  }
}
