// Transforms onto Cholesky factors: LowerCholeskyTransform (exp on the diagonal) and
// CorrCholeskyTransform (vectors of D(D-1)/2 to Cholesky factors of D x D correlation matrices).
import * as torch from '../torch';
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { ValueError } from '../../errors';
import { pad } from '../../nn/functional';
import { finfo, Size } from '../utils';
import { Transform } from './transform';

const LOG2 = Math.log(2);

/** The n x n mask of the entries on and below the `diag`-th diagonal (Python's tril_mask). */
function trilMask(n: number, diag: number, device: Tensor['device']): Tensor {
  const arange = torch.arange(n, { device });
  return arange.lt(arange.view(-1, 1).add(diag + 1));
}

/** torch.distributions.utils.tril_matrix_to_vec: the lower triangle, row by row. */
function trilMatrixToVec(mat: Tensor, diag = 0): Tensor {
  const n = mat.shape[mat.dim() - 1];
  if (diag < -n || diag >= n) throw new ValueError(`diag (${diag}) provided is outside [${-n}, ${n - 1}].`);
  return mat.index('...', trilMask(n, diag, mat.device));
}

/** torch.distributions.utils.vec_to_tril_matrix: the inverse of trilMatrixToVec. */
function vecToTrilMatrix(vec: Tensor, diag = 0): Tensor {
  const len = vec.shape[vec.dim() - 1];
  const b = 1 + 2 * diag;
  const n = (-b + Math.sqrt(b * b + 8 * len + 4 * Math.abs(diag) * (diag + 1))) / 2;
  if (Math.round(n) - n > finfo(vec.dtype).eps) {
    throw new ValueError(`The size of last dimension is ${len} which cannot be expressed as the lower triangular part of a square D x D matrix.`);
  }
  const d = Math.round(n);
  const mat = vec.newZeros([...vec.shape.slice(0, -1), d, d]);
  mat.indexPut_(['...', trilMask(d, diag, vec.device)], vec);
  return mat;
}

/** Unconstrained matrices to lower triangular ones with a positive (exp) diagonal. */
export class LowerCholeskyTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, 2);
  }
  get codomain(): constraints.Constraint {
    return constraints.lowerCholesky;
  }
  equals(other: unknown): boolean {
    return other instanceof LowerCholeskyTransform;
  }
  _call(x: Tensor): Tensor {
    return x.tril(-1).add(x.diagonal({ dim1: -2, dim2: -1 }).exp().diagEmbed());
  }
  _inverse(y: Tensor): Tensor {
    return y.tril(-1).add(y.diagonal({ dim1: -2, dim2: -1 }).log().diagEmbed());
  }
}

/**
 * Each row of the lower triangle (tanh of x, in (-1, 1)) goes through a signed stick breaking onto
 * a unit-norm row; the diagonal takes what is left, so the factor's rows have norm 1.
 */
export class CorrCholeskyTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  get codomain(): constraints.Constraint {
    return constraints.corrCholesky;
  }
  get bijective(): boolean {
    return true;
  }
  _call(x: Tensor): Tensor {
    const eps = finfo(x.dtype).eps;
    let r = vecToTrilMatrix(torch.tanh(x).clamp(-1 + eps, 1 - eps), -1);
    // y = sign(r) sqrt(z * cumprod(1 - z)) = r * sqrt(cumprod(1 - z)), z = r²
    const z1mCumprodSqrt = r.pow(2).neg().add(1).sqrt().cumprod(-1);
    const d = r.shape[r.dim() - 1];
    r = r.add(torch.eye(d, { dtype: r.dtype, device: r.device }));
    return r.mul(pad(z1mCumprodSqrt.index('...', torch.slice(null, -1)), [1, 0], { value: 1 }));
  }
  _inverse(y: Tensor): Tensor {
    // inverse stick breaking, then atanh
    const yCumsum = torch.cumsum(y.mul(y), -1).neg().add(1);
    const yCumsumShifted = pad(yCumsum.index('...', torch.slice(null, -1)), [1, 0], { value: 1 });
    const t = trilMatrixToVec(y, -1).div(trilMatrixToVec(yCumsumShifted, -1).sqrt());
    return t.add(1).div(t.neg().add(1)).log().div(2);
  }
  /** log |det J| of x and the flattened strict lower triangle of y (their dims differ). */
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    // diag -2: the cumsum needs no shift, and 2 x 2 matrices work too
    const y1mCumsumTril = trilMatrixToVec(y.mul(y).cumsum(-1).neg().add(1), -2);
    const stickBreakingLogdet = y1mCumsumTril.log().sum(-1).mul(0.5);
    const tanhLogdet = x.add(torch.softplus(x.mul(-2))).sub(LOG2).sum(-1).mul(-2);
    return stickBreakingLogdet.add(tanhLogdet);
  }
  forwardShape(shape: Size): Size {
    if (shape.length < 1) throw new ValueError('Too few dimensions on input');
    const n = shape[shape.length - 1];
    const d = Math.round(Math.sqrt(0.25 + 2 * n) + 0.5);
    if ((d * (d - 1)) / 2 !== n) throw new ValueError('Input is not a flattend lower-diagonal number');
    return [...shape.slice(0, -1), d, d];
  }
  inverseShape(shape: Size): Size {
    if (shape.length < 2) throw new ValueError('Too few dimensions on input');
    const d = shape[shape.length - 1];
    if (shape[shape.length - 2] !== d) throw new ValueError('Input is not square');
    return [...shape.slice(0, -2), (d * (d - 1)) / 2];
  }
}
