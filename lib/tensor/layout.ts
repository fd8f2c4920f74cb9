// torch.layout: how a tensor's elements are stored (c10::Layout). Dense tensors are strided; the
// sparse layouts hold (indices, values) pairs.
import { TorchConstant } from './torch-constant';

/** torch.layout (c10::Layout codes) */
export class Layout extends TorchConstant {}

/** torch.strided: dense tensors. */
export const strided = new Layout('strided', 0);
/** torch.sparse_coo: sparse tensors of (indices, values) pairs. */
export const sparseCoo = new Layout('sparse_coo', 1);
/** torch.sparse_csr and the other compressed layouts (refused by this library's sparse functions). */
export const sparseCsr = new Layout('sparse_csr', 2);
const mkldnn = new Layout('_mkldnn', 3);
export const sparseCsc = new Layout('sparse_csc', 4);
export const sparseBsr = new Layout('sparse_bsr', 5);
export const sparseBsc = new Layout('sparse_bsc', 6);

const BY_CODE = [strided, sparseCoo, sparseCsr, mkldnn, sparseCsc, sparseBsr, sparseBsc];
const BY_NAME = new Map(BY_CODE.map((l) => [l.toString(), l]));

/** The Layout of a native layout code. */
export function layoutFromCode(code: number): Layout {
  return BY_CODE[code] ?? new Layout(`layout_${code}`, code);
}

/** torch.serialization._get_layout: a layout by its str() ('torch.sparse_coo'), for loading. */
export function layoutByName(name: string): Layout | undefined {
  return BY_NAME.get(name);
}
