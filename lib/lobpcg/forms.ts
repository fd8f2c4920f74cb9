// The bilinear forms and eigen-helpers of torch/_linalg_utils.py that LOBPCG is written with; a
// missing matrix (B = null) is the identity.
import { Tensor } from '../tensor/tensor';
import { flip, geqrf, linalgEigh, linalgQr, orgqr } from '../ops/generated/functions';
import { matmul, transpose } from '../linalg-lowrank/utils';

/** X^T A Y */
export const bform = (X: Tensor, A: Tensor | null, Y: Tensor): Tensor => transpose(X).matmul(matmul(A, Y));
/** S^T A S */
export const qform = (A: Tensor | null, S: Tensor): Tensor => bform(S, A, S);

/** Eigenpairs of a symmetric matrix (upper triangle), ascending, or descending when largest. */
export function symeig(A: Tensor, largest = false): [Tensor, Tensor] {
  let { eigenvalues: E, eigenvectors: Z } = linalgEigh(A, 'U');
  if (largest) [E, Z] = [flip(E, [-1]), flip(Z, [-1])];
  return [E, Z];
}

/** An orthonormal basis of A's columns: Householder QR on CPU, linalg.qr elsewhere, as torch does. */
export function basis(A: Tensor): Tensor {
  if (A.device.type === 'cuda') return linalgQr(A).Q;
  const { a, tau } = geqrf(A);
  return orgqr(a, tau);
}
