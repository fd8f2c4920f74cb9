// JS value kinds and which schema types accept them, the way Python's arg parser matches a
// call against one signature (a number is an int only when it has no fractional part).
import { Tensor } from '../tensor/tensor';
import { DType } from '../tensor/dtype';
import { Device } from '../tensor/device';
import { ArgType } from './schema';

// A trailing plain object is the options (keyword arguments) object.
export { isOptions } from '../keywords';

/**
 * One letter per value: T tensor, i integral number, f other number, b boolean, s string,
 * n null/undefined, d dtype, v device, x other object; arrays are `a` + their element kinds.
 */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'i' : 'f';
    case 'boolean':
      return 'b';
    case 'string':
      return 's';
    case 'bigint':
      return 'i';
  }
  if (v instanceof Tensor) return 'T';
  if (Array.isArray(v)) {
    let k = 'a';
    for (const e of v) {
      const ek = kindOf(e);
      if (!k.includes(ek)) k += ek;
    }
    return k;
  }
  if (v instanceof DType) return 'd';
  if (v instanceof Device) return 'v';
  return 'x';
}

const NUMBER = 'ifb';

/** Does one element kind fit a (non-list) base type? `wrap`: numbers may stand for tensors. */
function fitsBase(k: string, base: string, wrap: boolean): boolean {
  switch (base) {
    case 'Tensor':
      return k === 'T' || (wrap && NUMBER.includes(k));
    case 'Scalar':
      return NUMBER.includes(k);
    case 'int':
    case 'SymInt':
      return k === 'i';
    case 'float':
      return k === 'i' || k === 'f';
    case 'bool':
      return k === 'b';
    case 'str':
      return k === 's';
    case 'ScalarType':
      return k === 'd' || k === 's';
    case 'Device':
      return k === 'v' || k === 's';
    case 'Layout':
    case 'MemoryFormat':
      return k === 'i';
    case 'Generator':
      return k === 'x';
    default:
      return false;
  }
}

/** Does a value of kind `k` fit an argument of type `t`? */
export function fits(k: string, t: ArgType, wrap: boolean): boolean {
  if (k === 'n') return t.optional;
  if (t.mutable) wrap = false; // never a number where the op writes (self of add_, out=)
  if (!t.list) return fitsBase(k, t.base, wrap);
  if (k[0] !== 'a') return t.size > 0 && t.base !== 'Tensor' && fitsBase(k, t.base, false); // int[2] takes 3
  for (let i = 1; i < k.length; i++) {
    if (!(k[i] === 'n' ? t.elemOptional : fitsBase(k[i], t.base, false))) return false;
  }
  return true;
}
