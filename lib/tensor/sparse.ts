// Sparse COO tensors (pytorch/examples gcn): torch.sparse_coo_tensor as Python's constructor builds
// it (indices cast to int64, values to the dtype, both on the values' device), torch.spmm,
// torch.sparse.mm / sum, and the layouts torch.strided and torch.sparse_coo (lib/tensor/layout.ts;
// t.layout, t.isSparse, t._nnz(), t._indices(), t._values() are Tensor members).
import { PyTypeError } from '../errors';
import { aten } from './aten';
import { Tensor } from './tensor';
import { DTypeLike, toDType } from './dtype';
import { DeviceLike } from './device';
import { tensor, TensorOptions } from './create';
import { TensorData } from './nested';
import { ArgsOf, signature } from '../keywords';

export { Layout, layoutByName, strided, sparseCoo } from './layout';

// ---- torch.sparse_coo_tensor -----------------------------------------------------------------

type Data = Tensor | TensorData;

interface SparseCooArgs extends TensorOptions {
  indices: Data;
  values?: Data;
  size?: number[] | null;
}

const SPARSE_COO = signature<SparseCooArgs>()(['indices'], ['values', 'size'], ['dtype', 'device', 'requiresGrad']);
const emptySparse = aten('sparse_coo_tensor', 'size');
const fromIndices = aten('sparse_coo_tensor', 'indices');
const fromIndicesSize = aten('sparse_coo_tensor', 'indices_size');

/** Python's internal_new_from_data: a tensor (converted) or nested data (a new tensor). */
function fromData(data: Data, dtype: DTypeLike | null | undefined, device: DeviceLike | null | undefined): Tensor {
  let t = data instanceof Tensor ? data : tensor(data, dtype != null ? { dtype } : {});
  if (dtype != null && t.dtype !== toDType(dtype)) t = t.to(toDType(dtype));
  if (device != null) t = t.to(device);
  return t;
}

/**
 * torch.sparse_coo_tensor(indices, values, size?, { dtype, device, requiresGrad }), or
 * torch.sparse_coo_tensor(size, { ... }) for an empty one. As in Python, indices become int64 on the
 * values' device; values take dtype when given (otherwise their own, or the one their data infers:
 * JavaScript integers infer int64, so pass { dtype: torch.float32 } for [1, 2]).
 */
export function sparseCooTensor(indices: Data, values: Data, size?: number[] | null, options?: TensorOptions): Tensor;
export function sparseCooTensor(...args: ArgsOf<typeof SPARSE_COO>): Tensor;
export function sparseCooTensor(...args: unknown[]): Tensor {
  const a = SPARSE_COO.bind('sparse_coo_tensor', args);
  let t: Tensor;
  if (a.values === undefined) {
    // sparse_coo_tensor(size): an empty sparse tensor of that size
    if (!Array.isArray(a.indices) || !a.indices.every((n) => typeof n === 'number')) {
      throw new PyTypeError('sparse_coo_tensor() missing 1 required positional argument: values (or pass only a size)');
    }
    t = emptySparse([a.indices], { dtype: a.dtype != null ? toDType(a.dtype) : undefined, device: a.device ?? undefined }) as Tensor;
  } else {
    const values = fromData(a.values, a.dtype, a.device);
    const indices = fromData(a.indices, 'int64', values.device);
    t = (a.size == null ? fromIndices([indices, values]) : fromIndicesSize([indices, values, a.size])) as Tensor;
  }
  if (a.requiresGrad) t.requiresGrad_(true);
  return t;
}

// ---- products and sums -----------------------------------------------------------------------

const mmOp = aten('mm', '');
const sparseMmOp = aten('_sparse_mm', '');
const sparseSumOps = {
  all: aten('_sparse_sum', ''),
  dtype: aten('_sparse_sum', 'dtype'),
  dim: aten('_sparse_sum', 'dim'),
  dimDtype: aten('_sparse_sum', 'dim_dtype'),
};

/** torch.spmm(sparse, dense): the matrix product (Python's spmm is mm; gradients reach the dense side). */
export function spmm(mat1: Tensor, mat2: Tensor): Tensor {
  return mmOp([mat1, mat2]) as Tensor;
}

/** torch.sparse.mm(mat1, mat2): sparse @ dense (or sparse), with gradients for a sparse mat1 too. */
function mm(mat1: Tensor, mat2: Tensor): Tensor {
  return sparseMmOp([mat1, mat2]) as Tensor;
}

interface SparseSumArgs {
  input: Tensor;
  dim?: number | number[] | null;
  dtype?: DTypeLike | null;
}
const SPARSE_SUM = signature<SparseSumArgs>()(['input'], ['dim', 'dtype']);

/** torch.sparse.sum(input, dim?, { dtype }): all elements (a dense scalar) or over dims (sparse). */
function sum(...args: ArgsOf<typeof SPARSE_SUM>): Tensor {
  const { input, dim, dtype } = SPARSE_SUM.bind('sum', args);
  if (!(input instanceof Tensor)) throw new PyTypeError(`sum(): argument 'input' must be Tensor, not ${typeof input}`);
  const kw = dtype != null ? { dtype: toDType(dtype) } : undefined;
  if (dim == null) return (kw ? sparseSumOps.dtype([input], kw) : sparseSumOps.all([input])) as Tensor;
  const dims = Array.isArray(dim) ? dim : [dim];
  return (kw ? sparseSumOps.dimDtype([input, dims], kw) : sparseSumOps.dim([input, dims])) as Tensor;
}

/** torch.sparse: mm and sum. */
export const sparse = Object.freeze({ mm, sum });
