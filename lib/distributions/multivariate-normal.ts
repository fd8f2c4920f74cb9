// MultivariateNormal(loc, covarianceMatrix | precisionMatrix | scaleTril): everything goes through
// the Cholesky factor of the covariance, kept unbroadcast so batched solves stay small.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { ValueError } from '../errors';
import { broadcastShapes, standardNormal, Size } from './utils';
import { ArgsOf, signature } from '../keywords';

/** Matrix times vector over batches. */
export const batchMv = (bmat: Tensor, bvec: Tensor): Tensor => torch.matmul(bmat, bvec.unsqueeze(-1)).squeeze(-1);

/**
 * The squared Mahalanobis distance x^T (L L^T)^-1 x, for a batch of lower-triangular L whose batch
 * shape broadcasts against x's: x is regrouped so one triangular solve serves every L.
 */
export function batchMahalanobis(bL: Tensor, bx: Tensor): Tensor {
  const n = bx.size(-1);
  const bxBatchShape = bx.shape.slice(0, -1);
  const bxBatchDims = bxBatchShape.length;
  const bLBatchDims = bL.dim() - 2;
  const outer = bxBatchDims - bLBatchDims;
  const oldDims = outer + bLBatchDims;
  const newDims = outer + 2 * bLBatchDims;
  const newShape = bx.shape.slice(0, outer);
  bL.shape.slice(0, -2).forEach((sL, i) => newShape.push(Math.floor(bx.shape[outer + i] / sL), sL));
  newShape.push(n);
  let x = bx.reshape(newShape);
  const range = (a: number, b: number, step = 1): number[] => {
    const r: number[] = [];
    for (let i = a; i < b; i += step) r.push(i);
    return r;
  };
  x = x.permute([...range(0, outer), ...range(outer, newDims, 2), ...range(outer + 1, newDims, 2), newDims]);
  const flatL = bL.reshape(-1, n, n);
  const flatX = x.reshape(-1, flatL.size(0), n);
  const flatXSwap = flatX.permute(1, 2, 0);
  const mSwap = torch.linalg.solveTriangular(flatL, flatXSwap, { upper: false }).pow(2).sum(-2);
  const permutedM = mSwap.t().reshape(x.shape.slice(0, -1));
  const inv = range(0, outer);
  for (let i = 0; i < bLBatchDims; i++) inv.push(outer + i, oldDims + i);
  return permutedM.permute(inv).reshape(bxBatchShape);
}

/** The Cholesky factor of P^-1, from a Cholesky of the flipped P (no explicit inverse). */
export function precisionToScaleTril(P: Tensor): Tensor {
  const Lf = torch.linalg.cholesky(torch.flip(P, [-2, -1]));
  const LInv = torch.transpose(torch.flip(Lf, [-2, -1]), -2, -1);
  const Id = torch.eye(P.size(-1), { dtype: P.dtype, device: P.device });
  return torch.linalg.solveTriangular(LInv, Id, { upper: false });
}

interface MultivariateNormalArgs {
  loc: Tensor;
  covarianceMatrix?: Tensor | null;
  precisionMatrix?: Tensor | null;
  scaleTril?: Tensor | null;
  validateArgs?: boolean | null;
}
const MVN = signature<MultivariateNormalArgs>()(['loc'], ['covarianceMatrix', 'precisionMatrix', 'scaleTril', 'validateArgs']);

export class MultivariateNormal extends Distribution {
  loc!: Tensor;
  _unbroadcastedScaleTril!: Tensor;

  constructor(...args: ArgsOf<typeof MVN>) {
    super();
    const a = MVN.bind('MultivariateNormal', args);
    const loc = a.loc;
    if (loc.dim() < 1) throw new ValueError('loc must be at least one-dimensional.');
    const given = (['covarianceMatrix', 'scaleTril', 'precisionMatrix'] as const).filter((k) => a[k] !== undefined && a[k] !== null);
    if (given.length !== 1) throw new ValueError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.');
    const name = given[0];
    const matrix = a[name]!;
    if (matrix.dim() < 2) {
      const what = name === 'scaleTril' ? 'scale_tril matrix' : name === 'covarianceMatrix' ? 'covariance_matrix' : 'precision_matrix';
      throw new ValueError(`${what} must be at least two-dimensional, with optional leading batch dimensions`);
    }
    const batchShape = broadcastShapes(matrix.shape.slice(0, -2), loc.shape.slice(0, -1));
    this._lazy[name] = matrix.expand([...batchShape, -1, -1]);
    this.loc = loc.expand([...batchShape, -1]);
    this.init(batchShape, this.loc.shape.slice(-1), a.validateArgs);
    if (name === 'scaleTril') this._unbroadcastedScaleTril = matrix;
    else if (name === 'covarianceMatrix') this._unbroadcastedScaleTril = torch.linalg.cholesky(matrix);
    else this._unbroadcastedScaleTril = precisionToScaleTril(matrix);
  }

  get argConstraints() {
    return {
      loc: constraints.realVector,
      covarianceMatrix: constraints.positiveDefinite,
      precisionMatrix: constraints.positiveDefinite,
      scaleTril: constraints.lowerCholesky,
    };
  }
  protected _lazyNames(): string[] {
    return ['covarianceMatrix', 'precisionMatrix', 'scaleTril'];
  }
  get support(): constraints.Constraint {
    return constraints.realVector;
  }
  get hasRsample(): boolean {
    return true;
  }
  private get _matrixShape(): Size {
    return [...this._batchShape, ...this._eventShape, ...this._eventShape];
  }
  get scaleTril(): Tensor {
    return this._lazyGet('scaleTril', () => this._unbroadcastedScaleTril.expand(this._matrixShape));
  }
  get covarianceMatrix(): Tensor {
    const L = this._unbroadcastedScaleTril;
    return this._lazyGet('covarianceMatrix', () => torch.matmul(L, L.mT).expand(this._matrixShape));
  }
  get precisionMatrix(): Tensor {
    return this._lazyGet('precisionMatrix', () => torch.choleskyInverse(this._unbroadcastedScaleTril).expand(this._matrixShape));
  }
  get mean(): Tensor {
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return this._unbroadcastedScaleTril.pow(2).sum(-1).expand([...this._batchShape, ...this._eventShape]);
  }

  expand(batchShape: Size): MultivariateNormal {
    const n = this._newInstance();
    const covShape = [...batchShape, ...this._eventShape, ...this._eventShape];
    n.loc = this.loc.expand([...batchShape, ...this._eventShape]);
    n._unbroadcastedScaleTril = this._unbroadcastedScaleTril;
    for (const k of this._lazyNames()) if (k in this._lazy) n._lazy[k] = this._lazy[k].expand(covShape);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const eps = standardNormal(this._extendedShape(sampleShape), this.loc);
    return this.loc.add(batchMv(this._unbroadcastedScaleTril, eps));
  }
  private _halfLogDet(): Tensor {
    return this._unbroadcastedScaleTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const M = batchMahalanobis(this._unbroadcastedScaleTril, value.sub(this.loc));
    return M.add(this._eventShape[0] * Math.log(2 * Math.PI)).mul(-0.5).sub(this._halfLogDet());
  }
  entropy(): Tensor {
    const H = this._halfLogDet().add(0.5 * this._eventShape[0] * (1.0 + Math.log(2 * Math.PI)));
    return this._batchShape.length === 0 ? H : H.expand(this._batchShape);
  }
}
