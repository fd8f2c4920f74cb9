// Wishart(df, covarianceMatrix | precisionMatrix | scaleTril): the distribution of sum_k x_k x_k^T
// for df normal vectors x_k of covariance L L^T; everything goes through L, and samples through
// the Bartlett decomposition (sqrt chi-square diagonal, normal strict lower triangle).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { Chi2 } from './chi2';
import { precisionToScaleTril } from './multivariate-normal';
import { AssertionError, ValueError } from '../errors';
import { broadcastShapes, finfo, pyFormat, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

const LOG_2 = Math.log(2);

/** The multivariate digamma function: sum over i < p of digamma(x - i/2). */
function mvdigamma(x: Tensor, p: number): Tensor {
  if (!x.gt((p - 1) / 2).all().item<boolean>()) throw new AssertionError('Wrong domain for multivariate digamma function.');
  const halves = torch.arange(p, { dtype: x.dtype, device: x.device }).div(2).expand([...x.shape, -1]);
  return torch.digamma(x.unsqueeze(-1).sub(halves)).sum(-1);
}

const clampAboveEps = (x: Tensor): Tensor => x.clamp({ min: finfo(x.dtype).eps });

interface WishartArgs {
  df: TensorLike;
  covarianceMatrix?: Tensor | null;
  precisionMatrix?: Tensor | null;
  scaleTril?: Tensor | null;
  validateArgs?: boolean | null;
}
const WISHART = signature<WishartArgs>()(['df'], ['covarianceMatrix', 'precisionMatrix', 'scaleTril', 'validateArgs']);

export class Wishart extends ExponentialFamily {
  df!: Tensor;
  _unbroadcastedScaleTril!: Tensor;
  _distChi2!: Chi2;
  _batchDims!: number[];
  /** df > dim - 1 (Python writes it into the class's arg_constraints at each construction). */
  private _dfConstraint!: constraints.Constraint;

  constructor(...args: ArgsOf<typeof WISHART>) {
    super();
    const a = WISHART.bind('Wishart', args);
    const given = (['covarianceMatrix', 'precisionMatrix', 'scaleTril'] as const).filter((k) => a[k] !== undefined && a[k] !== null);
    if (given.length !== 1) throw new AssertionError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.');
    const name = given[0];
    const param = a[name]!;
    if (param.dim() < 2) throw new ValueError('scale_tril must be at least two-dimensional, with optional leading batch dimensions');
    let batchShape: Size;
    if (typeof a.df === 'number') {
      batchShape = param.shape.slice(0, -2);
      this.df = torch.tensor(a.df, { dtype: param.dtype, device: param.device });
    } else {
      batchShape = broadcastShapes(param.shape.slice(0, -2), a.df.shape);
      this.df = a.df.expand(batchShape);
    }
    const eventShape = param.shape.slice(-2);
    const p = eventShape[1];
    if (this.df.le(p - 1).any().item<boolean>()) {
      throw new ValueError(`Value of df=${typeof a.df === 'number' ? pyFormat(a.df) : String(a.df)} expected to be greater than ndim - 1 = ${p - 1}.`);
    }
    this._lazy[name] = param.expand([...batchShape, -1, -1]);
    this._dfConstraint = constraints.greaterThan(torch.tensor(p - 1)); // an int bound, repr'd as Python's int
    if (this.df.lt(p).any().item<boolean>()) {
      torch.warn('Low df values detected. Singular samples are highly likely to occur for ndim - 1 < df < ndim.');
    }
    this.init(batchShape, eventShape, a.validateArgs);
    this._batchDims = batchShape.map((_, i) => -(i + 1));
    if (name === 'scaleTril') this._unbroadcastedScaleTril = param;
    else if (name === 'covarianceMatrix') this._unbroadcastedScaleTril = torch.linalg.cholesky(param);
    else this._unbroadcastedScaleTril = precisionToScaleTril(param);
    this._distChi2 = this._chi2Of(this.df, batchShape);
  }

  /** The Bartlett diagonal's squares: chi-square with df - i degrees of freedom in row i. */
  private _chi2Of(df: Tensor, batchShape: Size): Chi2 {
    const L = this._unbroadcastedScaleTril;
    const rows = torch.arange(this._eventShape[1], { dtype: L.dtype, device: L.device }).expand([...batchShape, -1]);
    return new Chi2(df.unsqueeze(-1).sub(rows));
  }

  get argConstraints() {
    return {
      covarianceMatrix: constraints.positiveDefinite,
      precisionMatrix: constraints.positiveDefinite,
      scaleTril: constraints.lowerCholesky,
      df: this._dfConstraint ?? constraints.greaterThan(0),
    };
  }
  protected _lazyNames(): string[] {
    return ['covarianceMatrix', 'precisionMatrix', 'scaleTril'];
  }
  get support(): constraints.Constraint {
    return constraints.positiveDefinite;
  }
  get hasRsample(): boolean {
    return true;
  }
  get _meanCarrierMeasure(): number {
    return 0;
  }

  expand(batchShape: Size): Wishart {
    const n = this._newInstance();
    const covShape = [...batchShape, ...this._eventShape];
    n._unbroadcastedScaleTril = this._unbroadcastedScaleTril.expand(covShape);
    n.df = this.df.expand(batchShape);
    n._batchDims = batchShape.map((_, i) => -(i + 1));
    n._dfConstraint = this._dfConstraint;
    for (const k of this._lazyNames()) if (k in this._lazy) n._lazy[k] = this._lazy[k].expand(covShape);
    n._eventShape = this._eventShape;
    n._distChi2 = n._chi2Of(n.df, batchShape);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  private get _matrixShape(): Size {
    return [...this._batchShape, ...this._eventShape];
  }
  get scaleTril(): Tensor {
    return this._lazyGet('scaleTril', () => this._unbroadcastedScaleTril.expand(this._matrixShape));
  }
  get covarianceMatrix(): Tensor {
    return this._lazyGet('covarianceMatrix', () => {
      const L = this._unbroadcastedScaleTril;
      return torch.matmul(L, L.transpose(-2, -1)).expand(this._matrixShape);
    });
  }
  get precisionMatrix(): Tensor {
    return this._lazyGet('precisionMatrix', () => {
      const L = this._unbroadcastedScaleTril;
      const identity = torch.eye(this._eventShape[1], { device: L.device, dtype: L.dtype });
      return torch.choleskySolve(identity, L).expand(this._matrixShape);
    });
  }
  private _dfAsMatrix(df: Tensor): Tensor {
    return df.view([...this._batchShape, 1, 1]);
  }
  get mean(): Tensor {
    return this._dfAsMatrix(this.df).mul(this.covarianceMatrix);
  }
  get mode(): Tensor {
    const factor = this.df.sub(this.covarianceMatrix.size(-1) + 1);
    factor.indexPut_([factor.le(0)], NaN);
    return this._dfAsMatrix(factor).mul(this.covarianceMatrix);
  }
  get variance(): Tensor {
    const V = this.covarianceMatrix;
    const diagV = V.diagonal({ dim1: -2, dim2: -1 });
    return this._dfAsMatrix(this.df).mul(V.pow(2).add(diagV.unsqueeze(-1).mul(diagV.unsqueeze(-2))));
  }

  private _bartlettSampling(sampleShape: Size): Tensor {
    const p = this._eventShape[1];
    const noise = clampAboveEps(this._distChi2.rsample(sampleShape).sqrt()).diagEmbed({ dim1: -2, dim2: -1 });
    const [i, j] = torch.trilIndices(p, p, -1).unbind(0);
    const below = torch.randn([...sampleShape, ...this._batchShape, (p * (p - 1)) / 2], { dtype: noise.dtype, device: noise.device });
    noise.indexPut_(['...', i, j], below);
    const chol = torch.matmul(this._unbroadcastedScaleTril, noise);
    return torch.matmul(chol, chol.transpose(-2, -1));
  }

  private _anyBatch(check: Tensor): Tensor {
    return this._batchShape.length ? check.amax(this._batchDims) : check;
  }

  /**
   * Bartlett samples; those flagged are redrawn up to maxTryCorrection times. PyTorch 1.13 flags
   * with the support check itself, i.e. the valid samples, so (with a warning) every draw is made
   * twice; kept as is so that a seed gives PyTorch's samples.
   */
  rsample(sampleShape: Size = [], maxTryCorrection: number | null = null): Tensor {
    const tries = maxTryCorrection ?? 10;
    // a 0-dim mask would need Python's sample[True]; a leading 1 draws the same numbers
    const scalar = sampleShape.length === 0;
    const shape = scalar ? [1] : sampleShape;
    let sample = this._bartlettSampling(shape);
    const flagged = this._anyBatch(this.support.check(sample));
    if (flagged.any().item<boolean>()) {
      torch.warn('Singular sample detected.');
      for (let t = 0; t < tries; t++) {
        const sampleNew = this._bartlettSampling(flagged.index(flagged).shape);
        // a copy of the mask: autograd keeps the index, and PyTorch's own in-place update of it
        // below makes its backward raise ('modified by an inplace operation')
        sample = sample.indexPut_([flagged.clone()], sampleNew);
        const singularNew = this._anyBatch(this.support.check(sampleNew).logicalNot());
        flagged.indexPut_([flagged.clone()], singularNew);
        if (!flagged.any().item<boolean>()) break;
      }
    }
    return scalar ? sample.squeeze(0) : sample;
  }

  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const nu = this.df;
    const p = this._eventShape[1];
    const L = this._unbroadcastedScaleTril;
    const halfLogDet = L.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    return nu
      .neg()
      .mul(halfLogDet.add((p * LOG_2) / 2))
      .sub(torch.mvlgamma(nu.div(2), p))
      .add(nu.sub(p + 1).div(2).mul(torch.linalg.slogdet(value).logabsdet))
      .sub(torch.choleskySolve(value, L).diagonal({ dim1: -2, dim2: -1 }).sum(-1).div(2));
  }

  entropy(): Tensor {
    const nu = this.df;
    const p = this._eventShape[1];
    const L = this._unbroadcastedScaleTril;
    const halfLogDet = L.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    return halfLogDet
      .add((p * LOG_2) / 2)
      .mul(p + 1)
      .add(torch.mvlgamma(nu.div(2), p))
      .sub(nu.sub(p + 1).div(2).mul(mvdigamma(nu.div(2), p)))
      .add(nu.mul(p).div(2));
  }

  get _naturalParams(): Tensor[] {
    const p = this._eventShape[1];
    return [this.precisionMatrix.div(-2), this.df.sub(p + 1).div(2)];
  }
  _logNormalizer(x: Tensor, y: Tensor): Tensor {
    const p = this._eventShape[1];
    const shifted = y.add((p + 1) / 2);
    return shifted.mul(torch.linalg.slogdet(x.mul(-2)).logabsdet.neg().add(LOG_2 * p)).add(torch.mvlgamma(shifted, p));
  }
}
