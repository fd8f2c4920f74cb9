// The gradient of k eigenpairs (D, U) of a symmetric A with respect to A (torch/_lobpcg.py's
// _symeig_backward): the classic formula when all n pairs are known, else the partial-eigenspace one,
// which reaches the unknown complement through the characteristic polynomial of D evaluated at A.
import { Tensor } from '../tensor/tensor';
import { eye, randn } from '../tensor/create';
import { Generator } from '../tensor/random';
import { addcmul, choleskySolve, diagEmbed, linalgCholesky } from '../ops/generated/functions';
import { slice } from '../tensor/indexing';

/** dL/dA from all n eigenpairs: U (diag(dD) + (U^T dU) * F) U^T, F_ij = 1 / (D_j - D_i), F_ii = 0. */
function completeEigenspace(DGrad: Tensor, UGrad: Tensor, D: Tensor, U: Tensor): Tensor {
  const F = D.unsqueeze(-2).sub(D.unsqueeze(-1));
  F.diagonal({ dim1: -2, dim2: -1 }).fill_(Infinity);
  F.pow_(-1);
  const Ut = U.mT.contiguous();
  return U.matmul(diagEmbed(DGrad).add(Ut.matmul(UGrad).mul(F)).matmul(Ut));
}

/** The coefficients (constant term first) of prod_i (x - roots_i), over the last dimension. */
function polynomialCoefficientsGivenRoots(roots: Tensor): Tensor {
  const order = roots.shape[roots.dim() - 1];
  const shape = [...roots.shape];
  shape[shape.length - 1] += 2;
  let coeffs = roots.newZeros(shape);
  coeffs.select(-1, 0).fill_(1);
  coeffs.select(-1, -1).fill_(1);
  for (let i = 1; i <= order; i++) {
    const next = coeffs.clone();
    next.narrow(-1, order - i, i + 1).sub_(roots.narrow(-1, i - 1, 1).mul(coeffs.narrow(-1, order - i + 1, i + 1)));
    coeffs = next;
  }
  return coeffs.narrow(-1, 1, order + 1);
}

/** Horner's scheme with a transition step, from zeroPower. */
function polynomialValue(poly: Tensor, x: Tensor, zeroPower: Tensor, transition: (acc: Tensor, x: Tensor, c: Tensor) => Tensor): Tensor {
  let res = zeroPower.clone();
  for (let k = poly.size(-1) - 2; k >= 0; k--) res = transition(res, x, poly.index('...', k));
  return res;
}

function matrixPolynomialValue(poly: Tensor, x: Tensor): Tensor {
  const n = x.size(-1);
  const zeroPower = eye(n, n, { dtype: x.dtype, device: x.device }).view([...x.shape.slice(0, -2).map(() => 1), n, n]);
  return polynomialValue(poly, x, zeroPower, (acc, xx, c) => {
    const res = xx.matmul(acc);
    res.diagonal({ dim1: -2, dim2: -1 }).add_(c.unsqueeze(-1));
    return res;
  });
}

function vectorPolynomialValue(poly: Tensor, x: Tensor): Tensor {
  return polynomialValue(poly, x, x.newOnes([1]).expand(x.shape), (acc, xx, c) => addcmul(c.unsqueeze(-1), xx, acc));
}

function partialEigenspace(DGrad: Tensor, UGrad: Tensor, A: Tensor, D: Tensor, U: Tensor, largest: boolean): Tensor {
  const Ut = U.mT.contiguous();
  const projUOrtho = U.matmul(Ut).neg();
  projUOrtho.diagonal({ dim1: -2, dim2: -1 }).add_(1);
  // a fresh generator: its default seed makes this random complement the same in every run, as torch's
  const gen = new Generator(A.device);
  const UOrtho = projUOrtho.matmul(randn([...A.shape.slice(0, -1), A.size(-1) - D.size(-1)], { dtype: A.dtype, device: A.device, generator: gen }));
  const UOrthoT = UOrtho.mT.contiguous();
  const chrPolyD = polynomialCoefficientsGivenRoots(D);
  let UGradProjected = UGrad;
  const seriesAcc = UGradProjected.newZeros(UGradProjected.shape);
  let k = 1;
  for (k = 1; k < chrPolyD.size(-1); k++) {
    const polyD = vectorPolynomialValue(chrPolyD.index('...', slice(k, null)), D);
    seriesAcc.add_(UGradProjected.mul(polyD.unsqueeze(-2)));
    UGradProjected = A.matmul(UGradProjected);
  }
  k -= 1; // Python's loop variable keeps its last value
  const chrPolyDAtA = matrixPolynomialValue(chrPolyD, A);
  const toUOrtho = UOrthoT.matmul(chrPolyDAtA.matmul(UOrtho));
  const sign = largest && k % 2 === 1 ? -1 : 1;
  const L = linalgCholesky(toUOrtho.mul(sign));
  const res = completeEigenspace(DGrad, UGrad, D, U);
  return res.sub(UOrtho.matmul(choleskySolve(UOrthoT.matmul(seriesAcc), L).mul(sign)).matmul(Ut));
}

/** dL/dA of the eigenpairs (D, U) of A, the k largest or smallest ones. */
export function symeigBackward(DGrad: Tensor, UGrad: Tensor, A: Tensor, D: Tensor, U: Tensor, largest: boolean): Tensor {
  if (U.size(-1) === U.size(-2)) return completeEigenspace(DGrad, UGrad, D, U);
  return partialEigenspace(DGrad, UGrad, A, D, U, largest);
}
