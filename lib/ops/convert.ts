// JS argument values -> what native opCall takes, per schema argument type; native results -> JS.
import { native, Handle, Result } from '../native';
import { Tensor } from '../tensor/tensor';
import { wrapHandle } from '../tensor/aten';
import { DType, toDType, dtypeFromCode, getDefaultDtype, bool, int64, float64, DTypeLike } from '../tensor/dtype';
import { Device } from '../tensor/device';
import { ArgSchema, ArgType } from './schema';

let scalarTensorOp = -1;

/** What a wrapped number promotes against: the first tensor argument, and whether all are 0-dim. */
export interface Partner {
  dtype: DType;
  zeroDim: boolean;
}

/**
 * A number passed where an op takes a Tensor (x.mul(2)): PyTorch wraps it as a 0-dim "wrapped
 * number" tensor (int64, float64 or bool) that never wins type promotion within its category.
 * Emulated with a plain 0-dim tensor of a dtype that promotes the same way:
 * - beside dimensioned tensors, 0-dim tensors only win across categories, so the number keeps its
 *   own dtype (int64 / float64 / bool, exact until the op casts it to the common dtype, as
 *   TensorIterator casts the wrapped scalar), except a float beside integer tensors, which must
 *   promote to the default dtype as a wrapped float does;
 * - beside 0-dim tensors only (they would win over int64/float64), it takes the partner's dtype
 *   when of the same category.
 */
export function wrappedNumber(v: number | boolean | bigint, partner: Partner | undefined): Handle {
  let dt: DType;
  const floatPartner = partner !== undefined && (partner.dtype.isFloatingPoint || partner.dtype.isComplex);
  if (typeof v === 'boolean') dt = bool;
  else if (typeof v === 'bigint' || Number.isInteger(v)) {
    dt = partner && partner.zeroDim && partner.dtype !== bool && !floatPartner ? partner.dtype : int64;
  } else if (floatPartner) dt = partner!.zeroDim ? partner!.dtype : float64;
  else dt = getDefaultDtype();
  // A fresh 0-dim tensor per call (~1-2 us). A cache per value would save that but keep native
  // handles alive until process exit; left out until the fast paths cover more ops.
  if (scalarTensorOp < 0) scalarTensorOp = native.opFind('aten::scalar_tensor', '');
  return native.opCall(scalarTensorOp, [typeof v === 'bigint' ? Number(v) : v], { dtype: dt.code }) as Handle;
}

/** The first tensor among the arguments, and whether every tensor among them is 0-dim. */
export function partnerOf(values: unknown[]): Partner | undefined {
  let first: Tensor | undefined;
  let zeroDim = true;
  for (const v of values) {
    if (!(v instanceof Tensor)) continue;
    first ??= v;
    if (zeroDim && v.dim() > 0) zeroDim = false;
  }
  return first && { dtype: first.dtype, zeroDim };
}

function convertElement(v: unknown, base: string): unknown {
  if (v instanceof Tensor) return v._h;
  if (base === 'Generator' && v !== null && typeof v === 'object' && '_h' in v) return (v as { _h: unknown })._h; // torch.Generator
  if (base === 'ScalarType' && (v instanceof DType || typeof v === 'string')) return toDType(v as DTypeLike).code;
  if (v instanceof DType) return v.code;
  if (v instanceof Device) return v.toString();
  return v;
}

/** One argument value for the native side; `partner` matters only when a number stands for a tensor. */
export function toNativeValue(v: unknown, arg: ArgSchema, partner: Partner | undefined): unknown {
  const t: ArgType = arg.type;
  if (t.base === 'Tensor' && !t.list && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')) {
    return wrappedNumber(v, partner);
  }
  if (Array.isArray(v)) return v.map((e) => convertElement(e, t.base));
  return convertElement(v, t.base);
}

/** A native result as JS: tensors wrapped, tuples and lists as arrays, ScalarType as DType. */
export function fromNative(r: Result, ret?: ArgType): unknown {
  if (r === null || r === undefined) return r;
  if (typeof r !== 'object') return ret?.base === 'ScalarType' && typeof r === 'number' ? dtypeFromCode(r) : r;
  if (Array.isArray(r)) return r.map((x) => fromNative(x));
  return wrapHandle(r as Handle);
}
