// torch.nn.utils.parametrizations (PyTorch 1.13 has orthogonal and spectral_norm): the
// parametrize-based forms, state_dict keys 'parametrizations.weight.original' and the
// parametrization's own buffers ('parametrizations.weight.0._u', '..._v', '....0.base').
import { Tensor, TorchError, noGrad, linalg, geqrf, cat, eye, zerosLike, randn, dot, mv } from '../functional/torch';
import { Module } from '../module';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../layers/conv';
import { normalize } from '../functional/normalization';
import { ArgsOf, signature } from '../../keywords';
import { finfo } from '../../tensor/type-info';
import { NotImplementedError, registerParametrization } from './parametrize';
import { pySize } from '../../py-format';

/** Whether Q's columns are orthonormal: Q^H Q close to the identity. */
function isOrthogonal(Q: Tensor): boolean {
  const n = Q.size(-2);
  const k = Q.size(-1);
  const Id = eye(k, { dtype: Q.dtype, device: Q.device });
  const eps = 10 * n * finfo(Q.dtype).eps;
  return Q.mH.matmul(Q).allclose(Id, { atol: eps });
}

/** The Q of A's QR decomposition, with the signs that make R's diagonal positive. */
function makeOrthogonal(A: Tensor): Tensor {
  const [X, tau] = geqrf(A);
  const Q = linalg.householderProduct(X, tau);
  return Q.mul_(X.diagonal({ dim1: -2, dim2: -1 }).sgn().unsqueeze(-2));
}

export type OrthogonalMap = 'matrix_exp' | 'cayley' | 'householder';
const ORTH_MAPS: readonly string[] = ['matrix_exp', 'cayley', 'householder'];

/** The orthogonal parametrization (Python's _Orthogonal): maps a matrix to an orthogonal one. */
export class _Orthogonal extends Module {
  shape: number[];
  orthogonalMap: OrthogonalMap;
  declare base: Tensor | null;

  constructor(weight: Tensor, orthogonalMap: OrthogonalMap, { useTrivialization = true }: { useTrivialization?: boolean } = {}) {
    super();
    if (weight.isComplex() && orthogonalMap === 'householder') throw new TorchError('The householder parametrization does not support complex tensors.');
    this.shape = weight.shape;
    this.orthogonalMap = orthogonalMap;
    if (useTrivialization) this.registerBuffer('base', null);
  }

  private hasBase(): boolean {
    return this._ownBuffers().some(([k]) => k === 'base');
  }

  forward(X: Tensor): Tensor {
    let n = X.size(-2);
    let k = X.size(-1);
    const transposed = n < k;
    if (transposed) {
      X = X.mT;
      [n, k] = [k, n];
    }
    let Q: Tensor;
    if (this.orthogonalMap === 'matrix_exp' || this.orthogonalMap === 'cayley') {
      X = X.tril();
      if (n !== k) X = cat([X, X.newZeros([n, n - k]).expand([...X.shape.slice(0, -2), -1, -1])], -1);
      const A = X.sub(X.mH);
      if (this.orthogonalMap === 'matrix_exp') {
        Q = linalg.matrixExp(A);
      } else {
        const Id = eye(n, { dtype: A.dtype, device: A.device });
        Q = linalg.solve(Id.add(A, { alpha: -0.5 }), Id.add(A, { alpha: 0.5 }));
      }
      if (n !== k) Q = Q.index('...', `:${k}`);
    } else {
      const A = X.tril(-1);
      const tau = A.mul(A).sum(-2).add(1).reciprocal().mul(2);
      Q = linalg.householderProduct(A, tau);
      Q = Q.mul(X.diagonal({ dim1: -2, dim2: -1 }).int().unsqueeze(-2));
    }
    if (this.hasBase()) Q = (this.base as Tensor).matmul(Q);
    if (transposed) Q = Q.mT;
    return Q;
  }

  rightInverse(Q: Tensor): Tensor {
    return noGrad(() => {
      if (Q.shape.join() !== this.shape.join() || Q.dim() !== this.shape.length) {
        throw new TorchError(`Expected a matrix or batch of matrices of shape ${pySize(this.shape)}. Got a tensor of shape ${pySize(Q.shape)}.`);
      }
      const QInit = Q;
      let n = Q.size(-2);
      let k = Q.size(-1);
      const transpose = n < k;
      if (transpose) {
        Q = Q.mT;
        [n, k] = [k, n];
      }
      if (!this.hasBase()) {
        if (this.orthogonalMap === 'cayley' || this.orthogonalMap === 'matrix_exp') {
          throw new NotImplementedError('It is not possible to assign to the matrix exponential or the Cayley parametrizations when use_trivialization=False.');
        }
        const [A, tau] = geqrf(Q);
        A.diagonal({ dim1: -2, dim2: -1 }).sign_();
        const diag = A.diagonal({ dim1: -2, dim2: -1 });
        const zero = tau.eq(0);
        diag.indexPut_([zero], diag.index(zero).mul(-1));
        return transpose ? A.mT : A;
      }
      if (n === k) {
        Q = isOrthogonal(Q) ? Q.clone() : makeOrthogonal(Q);
      } else {
        const N = randn([...Q.shape.slice(0, -2), n, n - k], { dtype: Q.dtype, device: Q.device });
        Q = makeOrthogonal(cat([Q, N], -1));
      }
      this.registerBuffer('base', Q);
      const negId = zerosLike(QInit);
      negId.diagonal({ dim1: -2, dim2: -1 }).fill_(-1);
      return negId;
    });
  }
}

interface OrthogonalArgs {
  name?: string;
  orthogonalMap?: OrthogonalMap | null;
  useTrivialization?: boolean;
}
const ORTHOGONAL = signature<OrthogonalArgs>()([], ['name', 'orthogonalMap'], ['useTrivialization']);

/**
 * parametrizations.orthogonal(module, name='weight', orthogonal_map=None, *, use_trivialization=True):
 * module.<name> is kept orthogonal (or unitary) by 'matrix_exp', 'cayley' or 'householder'
 * (default: matrix_exp for square or complex matrices, else householder).
 */
export function orthogonal(
  module: Module,
  ...rest:
    | [name?: string, orthogonalMap?: OrthogonalMap | null, options?: { useTrivialization?: boolean }]
    | [string, { orthogonalMap?: OrthogonalMap | null; useTrivialization?: boolean }]
    | [options: OrthogonalArgs]
): Module {
  const { name = 'weight', orthogonalMap: givenMap = null, useTrivialization = true } = ORTHOGONAL.bind('orthogonal', rest);
  const weight = (module as unknown as Record<string, unknown>)[name];
  if (!(weight instanceof Tensor)) throw new TorchError(`Module '${module}' has no parameter or buffer with name '${name}'`);
  if (weight.dim() < 2) throw new TorchError(`Expected a matrix or batch of matrices. Got a tensor of ${weight.dim()} dimensions.`);
  const orthogonalMap = givenMap ?? (weight.size(-2) === weight.size(-1) || weight.isComplex() ? 'matrix_exp' : 'householder');
  if (!ORTH_MAPS.includes(orthogonalMap)) {
    throw new TorchError(`orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: ${orthogonalMap}`);
  }
  const orth = new _Orthogonal(weight, orthogonalMap, { useTrivialization });
  registerParametrization(module, name, orth, { unsafe: true });
  return module;
}

/** The spectral-norm parametrization (Python's _SpectralNorm): weight / sigma, sigma by power iteration. */
export class _SpectralNorm extends Module {
  dim: number;
  eps: number;
  nPowerIterations?: number;
  declare _u: Tensor;
  declare _v: Tensor;

  constructor(weight: Tensor, nPowerIterations = 1, dim = 0, eps = 1e-12) {
    super();
    const ndim = weight.dim();
    if (dim >= ndim || dim < -ndim) throw new TorchError(`Dimension out of range (expected to be in range of [-${ndim}, ${ndim - 1}] but got ${dim})`);
    if (nPowerIterations <= 0) throw new TorchError(`Expected n_power_iterations to be positive, but got n_power_iterations=${nPowerIterations}`);
    this.dim = dim >= 0 ? dim : dim + ndim;
    this.eps = eps;
    if (ndim > 1) {
      this.nPowerIterations = nPowerIterations;
      const weightMat = this.reshapeWeightToMatrix(weight);
      const [h, w] = weightMat.shape;
      const u = weightMat.newEmpty([h]).normal_(0, 1);
      const v = weightMat.newEmpty([w]).normal_(0, 1);
      this.registerBuffer('_u', normalize(u, { dim: 0, eps: this.eps }));
      this.registerBuffer('_v', normalize(v, { dim: 0, eps: this.eps }));
      this.powerMethod(weightMat, 15);
    }
  }

  private reshapeWeightToMatrix(weight: Tensor): Tensor {
    if (this.dim !== 0) {
      const others = Array.from({ length: weight.dim() }, (_, d) => d).filter((d) => d !== this.dim);
      weight = weight.permute(this.dim, ...others);
    }
    return weight.flatten(1);
  }

  /** nIterations of the power method, updating _u and _v in place (no grad). */
  private powerMethod(weightMat: Tensor, nIterations: number): void {
    noGrad(() => {
      for (let i = 0; i < nIterations; i++) {
        this._u.copy_(normalize(mv(weightMat, this._v), { dim: 0, eps: this.eps }));
        this._v.copy_(normalize(mv(weightMat.t(), this._u), { dim: 0, eps: this.eps }));
      }
    });
  }

  forward(weight: Tensor): Tensor {
    if (weight.dim() === 1) return normalize(weight, { dim: 0, eps: this.eps });
    const weightMat = this.reshapeWeightToMatrix(weight);
    if (this.training) this.powerMethod(weightMat, this.nPowerIterations!);
    const u = this._u.clone({ memoryFormat: 0 });
    const v = this._v.clone({ memoryFormat: 0 });
    const sigma = dot(u, mv(weightMat, v));
    return weight.div(sigma);
  }

  rightInverse(value: Tensor): Tensor {
    return value;
  }
}

/** Python's spectral_norm(module, name, n_power_iterations, eps, dim): both APIs take these. */
export interface SpectralNormArgs {
  name?: string;
  nPowerIterations?: number;
  eps?: number;
  dim?: number | null;
}
export const SPECTRAL_NORM = signature<SpectralNormArgs>()([], ['name', 'nPowerIterations', 'eps', 'dim']);

/** The dim spectral norm works along by default: 1 for transposed convolutions, else 0. */
export function defaultSpectralDim(module: Module): number {
  return module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d ? 1 : 0;
}

/**
 * parametrizations.spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None):
 * module.<name> divided by its spectral norm, estimated by power iteration (one step per training
 * forward; the vectors are buffers, parametrizations.weight.0._u and _v).
 */
export function spectralNorm(
  module: Module,
  ...rest: ArgsOf<typeof SPECTRAL_NORM>
): Module {
  const { name = 'weight', nPowerIterations = 1, eps = 1e-12, dim = null } = SPECTRAL_NORM.bind('spectralNorm', rest);
  const weight = (module as unknown as Record<string, unknown>)[name];
  if (!(weight instanceof Tensor)) throw new TorchError(`Module '${module}' has no parameter or buffer with name '${name}'`);
  const d = dim ?? defaultSpectralDim(module);
  registerParametrization(module, name, new _SpectralNorm(weight, nPowerIterations, d, eps));
  return module;
}
