// JS argument values -> what native opCall takes, per schema argument type; native results -> JS.
import { Handle, Result } from '../native';
import { Tensor } from '../tensor/tensor';
import { wrapHandle } from '../tensor/aten';
import { DType, toDType, dtypeFromCode, DTypeLike } from '../tensor/dtype';
import { Device } from '../tensor/device';
import { ArgSchema, ArgType } from './schema';

function convertElement(v: unknown, base: string): unknown {
  if (v instanceof Tensor) return v._h;
  if (base === 'Generator' && v !== null && typeof v === 'object' && '_h' in v) return (v as { _h: unknown })._h; // torch.Generator
  if (base === 'ScalarType' && (v instanceof DType || typeof v === 'string')) return toDType(v as DTypeLike).code;
  if (v instanceof DType) return v.code;
  if (v instanceof Device) return v.toString();
  return v;
}

/**
 * One argument value for the native side. A number where the op takes a Tensor (x.mul(2)) passes
 * as it is: the native side wraps it as a 0-dim "wrapped number" tensor, exactly as Python's
 * argument parser does, so type promotion and grad_fn names are PyTorch's.
 */
export function toNativeValue(v: unknown, arg: ArgSchema): unknown {
  const t: ArgType = arg.type;
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

/**
 * Python's named tuples (torch.max(x, 1).indices): the array also answers to the return names. The
 * names are non-enumerable, so the array still destructures, spreads and compares as before.
 */
export function namedTuple<T extends unknown[]>(values: T, names: readonly string[], op: string, pyNames: readonly string[]): T {
  names.forEach((name, i) => Object.defineProperty(values, name, { value: values[i], enumerable: false }));
  // Python's repr: torch.return_types.max(\nvalues=tensor(...),\nindices=tensor(...))
  const repr = (): string => `torch.return_types.${op}(\n${pyNames.map((n, i) => `${n}=${String(values[i])}`).join(',\n')})`;
  Object.defineProperty(values, 'toString', { value: repr, enumerable: false });
  Object.defineProperty(values, Symbol.for('nodejs.util.inspect.custom'), { value: repr, enumerable: false });
  return values;
}
