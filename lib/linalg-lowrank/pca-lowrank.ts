// torch.pca_lowrank(A, q=None, center=True, niter=2): principal component analysis of the rows of A
// (or of batches, or of a sparse COO matrix) through the low-rank SVD of the centred matrix.
import { Tensor } from '../tensor/tensor';
import { ValueError } from '../errors';
import { ones, zeros } from '../tensor/create';
import { sparse, sparseCooTensor } from '../tensor/sparse';
import { ArgsOf, signature } from '../keywords';
import { svdLowrankImpl } from './svd-lowrank';
import { floatingDtypeOf, transpose } from './utils';

interface PcaLowrankArgs {
  A: Tensor;
  q?: number | null;
  center?: boolean;
  niter?: number;
}
const PCA_LOWRANK = signature<PcaLowrankArgs>()(['A'], ['q', 'center', 'niter']);

/** [U, S, V] with A - mean ~ U diag(S) V^T; V's columns are the principal directions. */
export function pcaLowrank(...args: ArgsOf<typeof PCA_LOWRANK>): [Tensor, Tensor, Tensor] {
  const { A, q: given, center = true, niter = 2 } = PCA_LOWRANK.bind('pca_lowrank', args);
  const [m, n] = A.shape.slice(-2);
  let q: number;
  if (given === undefined || given === null) q = Math.min(6, m, n);
  else if (!(given >= 0 && given <= Math.min(m, n))) {
    throw new ValueError(`q(=${given}) must be non-negative integer and not greater than min(m, n)=${Math.min(m, n)}`);
  } else q = given;
  if (!(niter >= 0)) throw new ValueError(`niter(=${niter}) must be non-negative integer`);
  const dtype = floatingDtypeOf(A);
  if (!center) return svdLowrankImpl(A, q, niter, null);
  if (A.isSparse) {
    if (A.dim() !== 2) throw new ValueError('pca_lowrank input is expected to be 2-dimensional tensor');
    // the column means as a sparse n x 1 matrix, spread over the m rows by one product
    const c = sparse.sum(A, [-2]).div(m);
    const columnIndices = c._indices().select(0, 0);
    const indices = zeros([2, columnIndices.shape[0]], { dtype: columnIndices.dtype, device: columnIndices.device });
    indices.select(0, 0).copy_(columnIndices);
    const Ct = sparseCooTensor(indices, c._values(), [n, 1], { dtype, device: A.device });
    const onesM1t = ones([...A.shape.slice(0, -2), 1, m], { dtype, device: A.device });
    return svdLowrankImpl(A, q, niter, transpose(sparse.mm(Ct, onesM1t)));
  }
  const C = A.mean([-2], { keepdim: true });
  return svdLowrankImpl(A.sub(C), q, niter, null);
}
