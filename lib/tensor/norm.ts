// torch.norm / Tensor.norm with Python's signature (p='fro', dim=None, keepdim=False, out=None,
// dtype=None), which is a Python wrapper over four aten ops, not an aten op itself: the generated
// bindings only offered aten's overloads, so x.norm({ dim: 1 }) and torch.norm(x, 'fro') failed.
import { TorchError } from '../errors';
import { parse, given } from '../keywords';
import { aten } from './aten';
import { DTypeLike, toDType } from './dtype';
import type { Tensor } from './tensor';

export interface NormOptions {
  /** the order: a number (2, 1, Infinity, ...), 'fro' (the default) or 'nuc' */
  p?: number | 'fro' | 'nuc' | null;
  dim?: number | number[] | null;
  keepdim?: boolean;
  out?: Tensor;
  dtype?: DTypeLike;
}

const NAMES = ['p', 'dim', 'keepdim'];
const KW_ONLY = ['out', 'dtype'];

const ops = {
  frobenius: aten('frobenius_norm', 'dim'),
  frobeniusOut: aten('frobenius_norm', 'out'),
  nuclear: aten('nuclear_norm', ''),
  nuclearOut: aten('nuclear_norm', 'out'),
  nuclearDim: aten('nuclear_norm', 'dim'),
  nuclearDimOut: aten('nuclear_norm', 'dim_out'),
  norm: aten('norm', 'ScalarOpt_dim'),
  normOut: aten('norm', 'out'),
  normDtype: aten('norm', 'ScalarOpt_dim_dtype'),
  normDtypeOut: aten('norm', 'dtype_out'),
};

/** Python's torch.norm(input, p, dim, keepdim, out=, dtype=), in its order of cases. */
export function norm(input: Tensor, args: unknown[]): Tensor {
  const o = parse<NormOptions>('norm', given(args), NAMES, KW_ONLY);
  const p = o.p === undefined ? 'fro' : o.p;
  const keepdim = o.keepdim ?? false;
  const out = o.out;
  const all = (): number[] => Array.from({ length: input.dim() }, (_, i) => i);
  let dim = o.dim === undefined || o.dim === null ? null : typeof o.dim === 'number' ? [o.dim] : o.dim;
  const dtype = o.dtype !== undefined && o.dtype !== null ? toDType(o.dtype) : undefined;
  const kw = (extra: Record<string, unknown> = {}) => ({ keepdim, ...extra, ...(out ? { out } : {}) });
  if (typeof p === 'string') {
    if (p === 'fro') {
      if (dtype !== undefined) throw new TorchError('dtype argument is not supported in frobenius norm');
      // Python passes dim=() in the plain case: frobenius over every element
      if (dim === null) dim = out ? all() : [];
      return (out ? ops.frobeniusOut : ops.frobenius)([input, dim], kw()) as Tensor;
    }
    if (p === 'nuc') {
      if (dtype !== undefined) throw new TorchError('dtype argument is not supported in nuclear norm');
      if (dim === null) return (out ? ops.nuclearOut : ops.nuclear)([input], kw()) as Tensor;
      return (out ? ops.nuclearDimOut : ops.nuclearDim)([input, dim], kw()) as Tensor;
    }
    throw new TorchError(`only valid string values are 'fro' and 'nuc', found ${p}`);
  }
  if (dim === null) dim = all();
  if (dtype === undefined) return (out ? ops.normOut : ops.norm)([input, p, dim], kw()) as Tensor;
  return (out ? ops.normDtypeOut : ops.normDtype)([input, p, dim, keepdim], { dtype, ...(out ? { out } : {}) }) as Tensor;
}
