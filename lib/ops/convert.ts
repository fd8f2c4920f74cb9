// JS argument values -> what native opCall takes, per schema argument type; native results -> JS.
import { native, Handle, Result } from '../native';
import { Tensor } from '../tensor/tensor';
import { wrapHandle } from '../tensor/aten';
import { DType, toDType, dtypeFromCode, getDefaultDtype, bool, int64, DTypeLike } from '../tensor/dtype';
import { Device } from '../tensor/device';
import { ArgSchema, ArgType } from './schema';

let scalarTensorOp = -1;

/**
 * A number passed where an op takes a Tensor (x.mul(2)): PyTorch wraps it as a 0-dim "wrapped
 * number" tensor that never wins type promotion against tensors of its category. Made here as a 0-dim
 * tensor of the dtype that promotion would give: the partner tensor's dtype when the number's category
 * (bool < int < float) is not higher, else the default dtype of the number's category. The value
 * is cast to that dtype, as TensorIterator casts the wrapped scalar to the common dtype.
 */
export function wrappedNumber(v: number | boolean | bigint, partner: DType | undefined): Handle {
  let dt: DType;
  if (typeof v === 'boolean') dt = partner ?? bool;
  else if (typeof v === 'bigint' || Number.isInteger(v)) dt = partner && partner !== bool ? partner : int64;
  else dt = partner && (partner.isFloatingPoint || partner.isComplex) ? partner : getDefaultDtype();
  if (scalarTensorOp < 0) scalarTensorOp = native.opFind('aten::scalar_tensor', '');
  return native.opCall(scalarTensorOp, [typeof v === 'bigint' ? Number(v) : v], { dtype: dt.code }) as Handle;
}

/** The dtype a wrapped number promotes against: the first tensor among the arguments. */
export function partnerDtype(values: unknown[]): DType | undefined {
  for (const v of values) if (v instanceof Tensor) return v.dtype;
  return undefined;
}

function convertElement(v: unknown, base: string): unknown {
  if (v instanceof Tensor) return v._h;
  if (base === 'ScalarType' && (v instanceof DType || typeof v === 'string')) return toDType(v as DTypeLike).code;
  if (v instanceof DType) return v.code;
  if (v instanceof Device) return v.toString();
  return v;
}

/** One argument value for the native side; `partner` is called only when a number stands for a tensor. */
export function toNativeValue(v: unknown, arg: ArgSchema, partner: () => DType | undefined): unknown {
  const t: ArgType = arg.type;
  if (t.base === 'Tensor' && !t.list && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')) {
    return wrappedNumber(v, partner());
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
