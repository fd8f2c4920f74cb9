// The rest of torch.sparse (PyTorch 1.13): addmm, softmax, log_softmax, sampled_addmm, spdiags,
// and the namespace that joins them to mm and sum.
import { aten } from './aten';
import { Tensor } from './tensor';
import { DTypeLike, toDType } from './dtype';
import { Layout } from './layout';
import { sparse as base } from './sparse';
import { ArgsOf, signature } from '../keywords';

const ops = {
  addmm: aten('_sparse_addmm', ''),
  softmax: aten('_sparse_softmax', 'int'),
  logSoftmax: aten('_sparse_log_softmax', 'int'),
  sampledAddmm: aten('sparse_sampled_addmm', ''),
  sampledAddmmOut: aten('sparse_sampled_addmm', 'out'),
  spdiags: aten('_spdiags', ''),
};

interface AddmmArgs {
  mat: Tensor;
  mat1: Tensor;
  mat2: Tensor;
  beta?: number;
  alpha?: number;
}
const ADDMM = signature<AddmmArgs>()(['mat', 'mat1', 'mat2'], [], ['beta', 'alpha']);

/** torch.sparse.addmm(mat, mat1, mat2, { beta, alpha }): beta mat + alpha mat1 @ mat2, mat1 sparse COO. */
function addmm(...args: ArgsOf<typeof ADDMM>): Tensor {
  const { mat, mat1, mat2, beta = 1, alpha = 1 } = ADDMM.bind('addmm', args);
  return ops.addmm([mat, mat1, mat2], { beta, alpha }) as Tensor;
}

interface SoftmaxArgs {
  input: Tensor;
  dim: number;
  dtype?: DTypeLike | null;
}
const SOFTMAX = signature<SoftmaxArgs>()(['input', 'dim'], ['dtype']);

/** torch.sparse.softmax(input, dim, dtype?): softmax over the specified elements; the others stay unspecified (not zeros). */
function softmax(...args: ArgsOf<typeof SOFTMAX>): Tensor {
  const { input, dim, dtype } = SOFTMAX.bind('softmax', args);
  return ops.softmax([input, dim], { dtype: dtype != null ? toDType(dtype).code : undefined }) as Tensor;
}
/** torch.sparse.log_softmax(input, dim, dtype?) */
function logSoftmax(...args: ArgsOf<typeof SOFTMAX>): Tensor {
  const { input, dim, dtype } = SOFTMAX.bind('log_softmax', args);
  return ops.logSoftmax([input, dim], { dtype: dtype != null ? toDType(dtype).code : undefined }) as Tensor;
}

interface SampledAddmmArgs {
  input: Tensor;
  mat1: Tensor;
  mat2: Tensor;
  beta?: number;
  alpha?: number;
  out?: Tensor;
}
const SAMPLED_ADDMM = signature<SampledAddmmArgs>()(['input', 'mat1', 'mat2'], [], ['beta', 'alpha', 'out']);

/** torch.sparse.sampled_addmm(input, mat1, mat2, { beta, alpha, out }): beta input + alpha (mat1 @ mat2) at input's (CSR) pattern only. */
function sampledAddmm(...args: ArgsOf<typeof SAMPLED_ADDMM>): Tensor {
  const { input, mat1, mat2, beta = 1, alpha = 1, out } = SAMPLED_ADDMM.bind('sampled_addmm', args);
  if (out) {
    (ops.sampledAddmmOut([input, mat1, mat2], { beta, alpha, out }) as Tensor).dispose();
    return out;
  }
  return ops.sampledAddmm([input, mat1, mat2], { beta, alpha }) as Tensor;
}

interface SpdiagsArgs {
  diagonals: Tensor;
  offsets: Tensor;
  shape: number[];
  layout?: Layout | null;
}
const SPDIAGS = signature<SpdiagsArgs>()(['diagonals', 'offsets', 'shape'], ['layout']);

/** torch.sparse.spdiags(diagonals, offsets, shape, layout?): rows of diagonals placed on the offset diagonals (COO, or CSR/CSC). */
function spdiags(...args: ArgsOf<typeof SPDIAGS>): Tensor {
  const { diagonals, offsets, shape, layout } = SPDIAGS.bind('spdiags', args);
  return ops.spdiags([diagonals, offsets, shape], { layout: layout != null ? layout.code : undefined }) as Tensor;
}

/** torch.sparse (1.13): mm, sum, addmm, softmax, logSoftmax, sampledAddmm, spdiags. */
type Extras = { addmm: typeof addmm; softmax: typeof softmax; logSoftmax: typeof logSoftmax; sampledAddmm: typeof sampledAddmm; spdiags: typeof spdiags };
export const sparse: Readonly<typeof base & Extras> = Object.freeze({ ...base, addmm, softmax, logSoftmax, sampledAddmm, spdiags });
