// The compressed sparse layouts' constructors (torch.sparse_csr_tensor, sparse_csc_tensor,
// sparse_bsr_tensor, sparse_bsc_tensor, sparse_compressed_tensor), as Python builds them: data
// converted (indices int64 by inference, on the values' device), invariants checked, and the Tensor
// members isSparseCsr and toSparseCoo.
import { aten } from './aten';
import { Tensor } from './tensor';
import { DTypeLike, toDType } from './dtype';
import { DeviceLike, toDevice } from './device';
import { tensor, TensorOptions } from './create';
import { TensorData } from './nested';
import { Layout, sparseBsc, sparseBsr, sparseCsc, sparseCsr } from './layout';
import { ArgsOf, signature } from '../keywords';
import { TorchError } from '../errors';

type Data = Tensor | TensorData;

/** Python's internal_new_from_data: a tensor (converted as asked) or nested data (a new tensor). */
function fromData(data: Data, dtype: DTypeLike | null | undefined, device: DeviceLike | null | undefined): Tensor {
  let t = data instanceof Tensor ? data : tensor(data, dtype != null ? { dtype } : {});
  if (dtype != null && t.dtype !== toDType(dtype)) t = t.to(toDType(dtype));
  if (device != null && t.device.toString() !== toDevice(device).toString()) t = t.to(device);
  return t;
}

interface CompressedArgs extends TensorOptions {
  compressedIndices: Data;
  plainIndices: Data;
  values: Data;
  size?: number[] | null;
  layout?: Layout | null;
}

const validate = aten('_validate_sparse_compressed_tensor_args', '');

/** Builds one compressed tensor; `size` is inferred by libtorch when not given. */
function build(fn: string, layout: Layout, a: CompressedArgs): Tensor {
  const values = fromData(a.values, a.dtype, a.device);
  const compressed = fromData(a.compressedIndices, null, values.device);
  const plain = fromData(a.plainIndices, null, values.device);
  const kwargs = { dtype: values.dtype.code, layout: layout.code, device: values.device.toString() };
  let t: Tensor;
  if (a.size != null) {
    validate([compressed, plain, values, a.size, layout.code]);
    t = aten(fn, 'comp_plain_value_size')([compressed, plain, values, a.size], kwargs) as Tensor;
  } else {
    t = aten(fn, 'comp_plain_value')([compressed, plain, values], kwargs) as Tensor;
    validate([compressed, plain, values, t.shape, layout.code]);
  }
  if (a.requiresGrad) t.requiresGrad_(true);
  return t;
}

const COMPRESSED = signature<CompressedArgs>()(['compressedIndices', 'plainIndices', 'values'], ['size'], ['dtype', 'layout', 'device', 'requiresGrad']);

/** torch.sparse_compressed_tensor(compressedIndices, plainIndices, values, size?, { dtype, layout, device, requiresGrad }). */
export function sparseCompressedTensor(...args: ArgsOf<typeof COMPRESSED>): Tensor {
  const a = COMPRESSED.bind('sparse_compressed_tensor', args);
  if (a.layout == null) throw new TorchError('sparse_compressed_tensor expected sparse compressed tensor layout but got Strided');
  return build('sparse_compressed_tensor', a.layout, a);
}

/** One of the four layout-specific constructors, its index arguments under Python's names. */
function layoutConstructor<C extends string, P extends string>(name: string, layout: Layout, compressedName: C, plainName: P) {
  type Args = TensorOptions & { [K in C | P]: Data } & { values: Data; size?: number[] | null };
  const sig = signature<Args>()([compressedName, plainName, 'values'] as unknown as readonly [C, P, 'values'], ['size'] as const, ['dtype', 'device', 'requiresGrad']);
  return (...args: ArgsOf<typeof sig>): Tensor => {
    const a = sig.bind(name, args) as Args;
    const r = a as unknown as Record<string, Data>;
    return build('sparse_compressed_tensor', layout, { ...a, compressedIndices: r[compressedName], plainIndices: r[plainName] });
  };
}

/** torch.sparse_csr_tensor(crowIndices, colIndices, values, size?, { dtype, device, requiresGrad }) */
export const sparseCsrTensor = layoutConstructor('sparse_csr_tensor', sparseCsr, 'crowIndices', 'colIndices');
/** torch.sparse_csc_tensor(ccolIndices, rowIndices, values, size?, { dtype, device, requiresGrad }) */
export const sparseCscTensor = layoutConstructor('sparse_csc_tensor', sparseCsc, 'ccolIndices', 'rowIndices');
/** torch.sparse_bsr_tensor(crowIndices, colIndices, values (blocks), size?, { dtype, device, requiresGrad }) */
export const sparseBsrTensor = layoutConstructor('sparse_bsr_tensor', sparseBsr, 'crowIndices', 'colIndices');
/** torch.sparse_bsc_tensor(ccolIndices, rowIndices, values (blocks), size?, { dtype, device, requiresGrad }) */
export const sparseBscTensor = layoutConstructor('sparse_bsc_tensor', sparseBsc, 'ccolIndices', 'rowIndices');

declare module './tensor' {
  interface Tensor {
    /** Python's x.is_sparse_csr: whether x has the sparse CSR layout. */
    readonly isSparseCsr: boolean;
    /** x.toSparseCoo(): x in the sparse COO layout (Python's to_sparse_coo, which is to_sparse()). */
    toSparseCoo(): Tensor;
  }
}

Object.defineProperty(Tensor.prototype, 'isSparseCsr', {
  get(this: Tensor): boolean {
    return this.layout === sparseCsr;
  },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, 'toSparseCoo', {
  value: function toSparseCoo(this: Tensor): Tensor {
    return this.toSparse();
  },
  writable: true,
  configurable: true,
});
