// Sparse COO tensors in torch.save files, as PyTorch 1.13 writes them (Tensor._reduce_ex_internal):
// _rebuild_sparse_tensor(_get_layout('torch.sparse_coo'), (indices, values, torch.Size(size))),
// indices and values being ordinary saved tensors. Loading checks the parts (libtorch's
// _validate_sparse_coo_tensor_args: shapes, dtypes, indices within size) before building.
import { Tensor } from '../tensor/tensor';
import { aten } from '../tensor/aten';
import { int64 } from '../tensor/dtype';
import { Layout, layoutByName, sparseCoo } from '../tensor/layout';
import { PyGlobal, unpicklingError, describe } from './unpickler';
import { Pickler } from './pickler';
import { TensorRef } from './refs';
import { LIMITS } from './limits';

/** A sparse tensor to be built once its parts are tensors. */
export class SparseRef {
  constructor(
    readonly indices: TensorRef,
    readonly values: TensorRef,
    readonly size: number[],
  ) {}
}

function rebuildSparse(args: unknown[]): SparseRef {
  if (args.length !== 2) throw unpicklingError(`_rebuild_sparse_tensor takes 2 arguments, got ${args.length}`);
  const [layout, data] = args;
  if (layout !== sparseCoo) throw unpicklingError(`torch-node can only load sparse tensors of layout torch.sparse_coo, got ${layout instanceof Layout ? String(layout) : describe(layout)}`);
  if (!Array.isArray(data) || data.length !== 3) throw unpicklingError('a sparse tensor is rebuilt from (indices, values, size)');
  const [indices, values, size] = data as unknown[];
  if (!(indices instanceof TensorRef) || !(values instanceof TensorRef)) throw unpicklingError('sparse tensor indices and values must be tensors');
  if (!Array.isArray(size) || size.length > LIMITS.maxDims || !size.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
    throw unpicklingError('sparse tensor size must be a tuple of non-negative ints');
  }
  if (indices.dtype !== int64) throw unpicklingError(`sparse tensor indices must be int64, got ${indices.dtype}`);
  return new SparseRef(indices, values, size as number[]);
}

/** The globals a sparse COO tensor needs: the rebuild function and layouts by name. */
export function sparseGlobals(): PyGlobal[] {
  return [
    { qualifiedName: 'torch._utils._rebuild_sparse_tensor', call: rebuildSparse },
    {
      qualifiedName: 'torch.serialization._get_layout',
      call(args) {
        const layout = args.length === 1 && typeof args[0] === 'string' ? layoutByName(args[0]) : undefined;
        if (!layout) throw unpicklingError(`unknown layout ${JSON.stringify(String(args[0]).slice(0, 40))}`);
        return layout;
      },
    },
  ];
}

const validate = aten('_validate_sparse_coo_tensor_args', '');
const unsafeCoo = aten('_sparse_coo_tensor_unsafe', '');

/** The sparse tensor of checked parts (Python: _sparse_coo_tensor_unsafe, then validation). */
export function buildSparse(ref: SparseRef, tensor: (part: TensorRef) => Tensor): Tensor {
  const indices = tensor(ref.indices);
  const values = tensor(ref.values);
  if (indices.dim() !== 2) throw unpicklingError(`sparse tensor indices must be 2-D, got ${indices.dim()}-D`);
  if (values.dim() < 1) throw unpicklingError('sparse tensor values must have at least 1 dimension');
  try {
    validate([indices, values, ref.size]);
    return unsafeCoo([indices, values, ref.size]) as Tensor;
  } catch (e) {
    const message = (e as Error).message.split('\n')[0].replace(/^aten::\w+: /, '');
    throw unpicklingError(`invalid sparse tensor: ${message}`);
  }
}

/** Pickles a sparse COO tensor as PyTorch does; its parts go through the pickler's tensor hook. */
export function pickleSparse(t: Tensor, p: Pickler): void {
  p.global('torch._utils', '_rebuild_sparse_tensor');
  p.mark(); // (layout, (indices, values, size))
  p.global('torch.serialization', '_get_layout');
  p.writeTuple([sparseCoo.toString()]);
  p.reduce();
  p.mark();
  p.write(t._indices());
  p.write(t._values());
  p.global('torch', 'Size');
  p.mark();
  p.writeTuple(t.shape);
  p.tuple();
  p.reduce();
  p.tuple();
  p.tuple();
  p.reduce();
}
