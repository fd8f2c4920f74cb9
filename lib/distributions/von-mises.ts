// VonMises(loc, concentration): a circular distribution of angles; sampled by Best & Fisher's
// rejection scheme with Python's draws (three uniforms per round until every entry accepts).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface VonMisesArgs {
  loc: TensorLike;
  concentration: TensorLike;
  validateArgs?: boolean | null;
}
const VON_MISES = signature<VonMisesArgs>()(['loc', 'concentration'], ['validateArgs']);

// Polynomial approximations of the modified Bessel functions I0 and I1 (Abramowitz & Stegun 9.8).
const COEF_SMALL = [
  [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2],
  [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3],
];
const COEF_LARGE = [
  [0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1, 0.2635537e-1, -0.1647633e-1, 0.392377e-2],
  [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2],
];

/** Horner's rule from the highest coefficient down. */
function evalPoly(y: Tensor, coef: number[]): Tensor {
  let result = y.mul(coef[coef.length - 1]).add(coef[coef.length - 2]);
  for (let i = coef.length - 3; i >= 0; i--) result = y.mul(result).add(coef[i]);
  return result;
}

/** log(I_order(x)) for x > 0, order 0 or 1. */
export function logModifiedBesselFn(x: Tensor, order: 0 | 1 = 0): Tensor {
  let y = x.div(3.75);
  y = y.mul(y);
  let small = evalPoly(y, COEF_SMALL[order]);
  if (order === 1) small = x.abs().mul(small);
  small = small.log();
  const yLarge = x.reciprocal().mul(3.75);
  const large = x.sub(x.log().mul(0.5)).add(evalPoly(yLarge, COEF_LARGE[order]).log());
  return torch.where(x.lt(3.75), small, large);
}

function rejectionSample(loc: Tensor, concentration: Tensor, proposalR: Tensor, x: Tensor): Tensor {
  let done = torch.zeros(x.shape, { dtype: torch.bool, device: loc.device });
  while (!done.all().item<boolean>()) {
    const u = torch.rand([3, ...x.shape], { dtype: loc.dtype, device: loc.device });
    const [u1, u2, u3] = u.unbind();
    const z = torch.cos(u1.mul(Math.PI));
    const f = proposalR.mul(z).add(1).div(proposalR.add(z));
    const c = concentration.mul(proposalR.sub(f));
    const accept = c.mul(c.neg().add(2)).sub(u2).gt(0).logicalOr(c.div(u2).log().add(1).sub(c).ge(0));
    if (accept.any().item<boolean>()) {
      x = torch.where(accept, u3.sub(0.5).sign().mul(f.acos()), x);
      done = done.logicalOr(accept);
    }
  }
  return torch.remainder(x.add(Math.PI).add(loc), 2 * Math.PI).sub(Math.PI);
}

export class VonMises extends Distribution {
  loc!: Tensor;
  concentration!: Tensor;
  _proposalR!: Tensor;

  constructor(...args: ArgsOf<typeof VON_MISES>) {
    super();
    const a = VON_MISES.bind('VonMises', args);
    [this.loc, this.concentration] = broadcastAll(a.loc, a.concentration);
    // parameters of the rejection sampler
    const tau = this.concentration.pow(2).mul(4).add(1).sqrt().add(1);
    const rho = tau.sub(tau.mul(2).sqrt()).div(this.concentration.mul(2));
    this._proposalR = rho.pow(2).add(1).div(rho.mul(2));
    this.init(this.loc.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { loc: constraints.real, concentration: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  /** The circular mean. */
  get mean(): Tensor {
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  /** The circular variance. */
  get variance(): Tensor {
    return this._lazyGet('variance', () =>
      logModifiedBesselFn(this.concentration, 1).sub(logModifiedBesselFn(this.concentration, 0)).exp().neg().add(1),
    );
  }

  /** As Python's fallback: a new VonMises over the expanded parameters. */
  expand(batchShape: Size): VonMises {
    return new VonMises(this.loc.expand(batchShape), this.concentration.expand(batchShape), { validateArgs: this._ownValidateArgs });
  }

  sample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return torch.noGrad(() => {
      const x = torch.empty(shape, { dtype: this.loc.dtype, device: this.loc.device });
      return rejectionSample(this.loc, this.concentration, this._proposalR, x);
    });
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const logProb = this.concentration.mul(torch.cos(value.sub(this.loc)));
    return logProb.sub(Math.log(2 * Math.PI)).sub(logModifiedBesselFn(this.concentration, 0));
  }
}
