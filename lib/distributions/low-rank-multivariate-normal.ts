// LowRankMultivariateNormal(loc, covFactor, covDiag): covariance W W^T + diag(D), scored through the
// small "capacitance" matrix I + W^T D^-1 W (Woodbury identity, matrix determinant lemma).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { batchMahalanobis, batchMv } from './multivariate-normal';
import { ValueError } from '../errors';
import { sameShape, standardNormal, Size } from './utils';
import { ArgsOf, signature } from '../keywords';
import { pySize } from '../py-format';

interface LowRankMultivariateNormalArgs {
  loc: Tensor;
  covFactor: Tensor;
  covDiag: Tensor;
  validateArgs?: boolean | null;
}
const LOW_RANK_MVN = signature<LowRankMultivariateNormalArgs>()(['loc', 'covFactor', 'covDiag'], ['validateArgs']);

/** The identity added to a batch of m x m matrices. */
const plusIdentity = (K: Tensor): Tensor => K.add(torch.eye(K.size(-1), { dtype: K.dtype, device: K.device }));

/** Cholesky factor of I + W^T D^-1 W. */
export function batchCapacitanceTril(W: Tensor, D: Tensor): Tensor {
  const WtDinv = W.mT.div(D.unsqueeze(-2));
  return torch.linalg.cholesky(plusIdentity(torch.matmul(WtDinv, W)));
}

/** log |W W^T + D| = log |C| + log |D|. */
export function batchLowrankLogdet(W: Tensor, D: Tensor, capacitanceTril: Tensor): Tensor {
  return capacitanceTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1).mul(2).add(D.log().sum(-1));
}

/** x^T (W W^T + D)^-1 x by the Woodbury identity. */
export function batchLowrankMahalanobis(W: Tensor, D: Tensor, x: Tensor, capacitanceTril: Tensor): Tensor {
  const WtDinv = W.mT.div(D.unsqueeze(-2));
  const WtDinvX = batchMv(WtDinv, x);
  const term1 = x.pow(2).div(D).sum(-1);
  return term1.sub(batchMahalanobis(capacitanceTril, WtDinvX));
}

export class LowRankMultivariateNormal extends Distribution {
  loc!: Tensor;
  covFactor!: Tensor;
  covDiag!: Tensor;
  _unbroadcastedCovFactor!: Tensor;
  _unbroadcastedCovDiag!: Tensor;
  _capacitanceTril!: Tensor;

  constructor(...args: ArgsOf<typeof LOW_RANK_MVN>) {
    super();
    const { loc, covFactor, covDiag, validateArgs } = LOW_RANK_MVN.bind('LowRankMultivariateNormal', args);
    if (loc.dim() < 1) throw new ValueError('loc must be at least one-dimensional.');
    const eventShape = loc.shape.slice(-1);
    if (covFactor.dim() < 2) throw new ValueError('cov_factor must be at least two-dimensional, with optional leading batch dimensions');
    if (!sameShape(covFactor.shape.slice(-2, -1), eventShape)) throw new ValueError(`cov_factor must be a batch of matrices with shape ${eventShape[0]} x m`);
    if (!sameShape(covDiag.shape.slice(-1), eventShape)) throw new ValueError(`cov_diag must be a batch of vectors with shape ${pySize(eventShape)}`);
    let loc_: Tensor;
    let covDiag_: Tensor;
    try {
      [loc_, this.covFactor, covDiag_] = torch.broadcastTensors([loc.unsqueeze(-1), covFactor, covDiag.unsqueeze(-1)]);
    } catch (e) {
      if (!(e instanceof torch.TorchError)) throw e;
      throw new ValueError(`Incompatible batch shapes: loc ${pySize(loc.shape)}, cov_factor ${pySize(covFactor.shape)}, cov_diag ${pySize(covDiag.shape)}`);
    }
    this.loc = loc_.select(-1, 0);
    this.covDiag = covDiag_.select(-1, 0);
    this._unbroadcastedCovFactor = covFactor;
    this._unbroadcastedCovDiag = covDiag;
    this._capacitanceTril = batchCapacitanceTril(covFactor, covDiag);
    this.init(this.loc.shape.slice(0, -1), eventShape, validateArgs);
  }

  get argConstraints() {
    return { loc: constraints.realVector, covFactor: constraints.independent(constraints.real, 2), covDiag: constraints.independent(constraints.positive, 1) };
  }
  get support(): constraints.Constraint {
    return constraints.realVector;
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
    return this._lazyGet('variance', () =>
      this._unbroadcastedCovFactor.pow(2).sum(-1).add(this._unbroadcastedCovDiag).expand([...this._batchShape, ...this._eventShape]),
    );
  }
  /** Cholesky of D^1/2 (I + D^-1/2 W W^T D^-1/2) D^1/2, whose middle factor is well conditioned. */
  get scaleTril(): Tensor {
    return this._lazyGet('scaleTril', () => {
      const covDiagSqrt = this._unbroadcastedCovDiag.sqrt().unsqueeze(-1);
      const dinvsqrtW = this._unbroadcastedCovFactor.div(covDiagSqrt);
      const K = plusIdentity(torch.matmul(dinvsqrtW, dinvsqrtW.mT));
      const n = this._eventShape[0];
      return covDiagSqrt.mul(torch.linalg.cholesky(K)).expand([...this._batchShape, n, n]);
    });
  }
  get covarianceMatrix(): Tensor {
    return this._lazyGet('covarianceMatrix', () => {
      const W = this._unbroadcastedCovFactor;
      const n = this._eventShape[0];
      return torch.matmul(W, W.mT).add(torch.diagEmbed(this._unbroadcastedCovDiag)).expand([...this._batchShape, n, n]);
    });
  }
  /** inv(D) - inv(D) W inv(C) W^T inv(D) (Woodbury). */
  get precisionMatrix(): Tensor {
    return this._lazyGet('precisionMatrix', () => {
      const WtDinv = this._unbroadcastedCovFactor.mT.div(this._unbroadcastedCovDiag.unsqueeze(-2));
      const A = torch.linalg.solveTriangular(this._capacitanceTril, WtDinv, { upper: false });
      const n = this._eventShape[0];
      return torch.diagEmbed(this._unbroadcastedCovDiag.reciprocal()).sub(A.mT.matmul(A)).expand([...this._batchShape, n, n]);
    });
  }

  expand(batchShape: Size): LowRankMultivariateNormal {
    const n = this._newInstance();
    const locShape = [...batchShape, ...this._eventShape];
    n.loc = this.loc.expand(locShape);
    n.covDiag = this.covDiag.expand(locShape);
    n.covFactor = this.covFactor.expand([...locShape, this.covFactor.size(-1)]);
    n._unbroadcastedCovFactor = this._unbroadcastedCovFactor;
    n._unbroadcastedCovDiag = this._unbroadcastedCovDiag;
    n._capacitanceTril = this._capacitanceTril;
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const epsW = standardNormal([...shape.slice(0, -1), this.covFactor.size(-1)], this.loc);
    const epsD = standardNormal(shape, this.loc);
    return this.loc.add(batchMv(this._unbroadcastedCovFactor, epsW)).add(this._unbroadcastedCovDiag.sqrt().mul(epsD));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const diff = value.sub(this.loc);
    const M = batchLowrankMahalanobis(this._unbroadcastedCovFactor, this._unbroadcastedCovDiag, diff, this._capacitanceTril);
    const logDet = batchLowrankLogdet(this._unbroadcastedCovFactor, this._unbroadcastedCovDiag, this._capacitanceTril);
    return logDet.add(M).add(this._eventShape[0] * Math.log(2 * Math.PI)).mul(-0.5);
  }
  entropy(): Tensor {
    const logDet = batchLowrankLogdet(this._unbroadcastedCovFactor, this._unbroadcastedCovDiag, this._capacitanceTril);
    const H = logDet.add(this._eventShape[0] * (1.0 + Math.log(2 * Math.PI))).mul(0.5);
    return this._batchShape.length === 0 ? H : H.expand(this._batchShape);
  }
}
