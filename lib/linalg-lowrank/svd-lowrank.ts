// torch.svd_lowrank(A, q=6, niter=2, M=None): an approximate rank-q SVD (U, S, V) of A - M, with
// A ~ U diag(S) V^H (Halko et al. 2009, Algorithm 5.1); A may be sparse COO. Differentiable through
// the QR and SVD steps, as in Python.
import { Tensor } from '../tensor/tensor';
import { linalgSvd } from '../ops/generated/functions';
import { ArgsOf, signature } from '../keywords';
import { AssertionError } from '../errors';
import { pySize } from '../py-format';
import { getApproximateBasis } from './approximate-basis';
import { conjugate, matmul, transpose } from './utils';

interface SvdLowrankArgs {
  A: Tensor;
  q?: number | null;
  niter?: number | null;
  M?: Tensor | null;
}
const SVD_LOWRANK = signature<SvdLowrankArgs>()(['A'], ['q', 'niter', 'M']);

/** A - M applied to X on the right, without forming A - M. */
const minus = (A: Tensor, M: Tensor | null, X: Tensor): Tensor => (M === null ? matmul(A, X) : matmul(A, X).sub(matmul(M, X)));

/** Python's asserts on the projected matrix (a q above min(m, n) fails here), with their messages. */
function checkShape(Bt: Tensor, rows: number, cols: number): void {
  const [r, c] = Bt.shape.slice(-2);
  if (r !== rows) throw new AssertionError(`(${pySize(Bt.shape)}, ${rows})`);
  if (c !== cols) throw new AssertionError(`(${pySize(Bt.shape)}, ${cols})`);
  if (c > r) throw new AssertionError(pySize(Bt.shape));
}

export function svdLowrankImpl(A: Tensor, q: number | null = 6, niter: number | null = 2, M: Tensor | null = null): [Tensor, Tensor, Tensor] {
  const rank = q ?? 6;
  const [m, n] = A.shape.slice(-2);
  const Mt = M === null ? null : transpose(M);
  const At = transpose(A);
  if (m < n || n > rank) {
    // the basis of the row space of A, then the SVD of the m x q product
    const Q = getApproximateBasis(At, rank, niter, Mt);
    const Bt = minus(A, M, conjugate(Q));
    checkShape(Bt, m, rank);
    const { U, S, Vh } = linalgSvd(Bt, { fullMatrices: false });
    return [U, S, Q.matmul(Vh.mH)];
  }
  const Q = getApproximateBasis(A, rank, niter, M);
  const Bt = transpose(minus(At, Mt, conjugate(Q)));
  checkShape(Bt, rank, n);
  const { U, S, Vh } = linalgSvd(Bt, { fullMatrices: false });
  return [Q.matmul(U), S, Vh.mH];
}

/** torch.svd_lowrank: [U, S, V] of the q largest singular triplets, random start from the default generator. */
export function svdLowrank(...args: ArgsOf<typeof SVD_LOWRANK>): [Tensor, Tensor, Tensor] {
  const { A, q, niter, M } = SVD_LOWRANK.bind('svd_lowrank', args);
  return svdLowrankImpl(A, q, niter, M);
}
