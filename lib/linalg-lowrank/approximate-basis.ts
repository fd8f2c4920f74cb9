// getApproximateBasis (torch._lowrank.get_approximate_basis): q orthonormal columns Q with
// Q Q^H (A - M) close to A - M, by randomised subspace iteration (Halko et al. 2009, Algorithm 4.4).
import { Tensor } from '../tensor/tensor';
import { randn } from '../tensor/create';
import { linalgQr } from '../ops/generated/functions';
import { floatingDtypeOf, matmul, transjugate } from './utils';

/** niter rounds of power iteration from a normal random start (drawn from the default generator). */
export function getApproximateBasis(A: Tensor, q: number, niter: number | null = 2, M: Tensor | null = null): Tensor {
  const rounds = niter ?? 2;
  const n = A.shape[A.dim() - 1];
  const R = randn([n, q], { dtype: floatingDtypeOf(A), device: A.device });
  const AH = transjugate(A);
  const qr = (X: Tensor): Tensor => linalgQr(X).Q;
  // (A - M) X without forming A - M, which may be sparse minus dense
  const times = (X: Tensor, P: Tensor, MP: Tensor | null): Tensor => (MP === null ? matmul(P, X) : matmul(P, X).sub(matmul(MP, X)));
  const MH = M === null ? null : transjugate(M);
  let Q = qr(times(R, A, M));
  for (let i = 0; i < rounds; i++) {
    Q = qr(times(Q, AH, MH));
    Q = qr(times(Q, A, M));
  }
  return Q;
}
