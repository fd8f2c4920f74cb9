// Reading and printing a storage's elements. A storage is read through a 1-D tensor of its dtype
// over all of its bytes (native storageView), made fresh each time so that a resize is always seen.
import { native } from '../../native';
import { Tensor } from '../tensor';
import { DType, intReprDtype, float16, bfloat16, float64, bool, int64, uint8 } from '../dtype';
import { pyBool, pyFloat, pyInt } from '../../py-format';

/** Anything holding a tensor handle on the storage (the storage's holder tensor). */
export interface HasHandle {
  readonly _h: import('../../native').Handle;
}

/** The dtype elements are read as: quantized storages hold their integer representation. */
export function readDtype(dtype: DType): DType {
  return intReprDtype(dtype) ?? dtype;
}

/**
 * The holder of a storage object: a byte tensor over the storage of h. torch.tidy and torch.scope
 * leave it alone (a storage lives as long as its object, as in Python); GC frees it.
 */
export function holderOf(h: import('../../native').Handle): Tensor {
  const holder = new Tensor(native.storageView(h, uint8.code));
  native.keepHandle(holder._h);
  return holder;
}

/** A 1-D tensor of dtype over every whole element of the storage holder's storage. */
export function viewOf(holder: HasHandle, dtype: DType): Tensor {
  return new Tensor(native.storageView(holder._h, readDtype(dtype).code));
}

/** Python's str() of a component of a complex number: repr without a trailing '.0'. */
function complexPart(x: number): string {
  const s = pyFloat(x);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Python's str(complex): '(1+2j)', '1j', '0j', '(-0-1j)', '(1+nanj)'. */
export function pyComplex(re: number, im: number): string {
  if (re === 0 && !Object.is(re, -0)) return `${complexPart(im)}j`;
  const sign = im < 0 || Object.is(im, -0) ? '' : '+';
  return `(${complexPart(re)}${sign}${complexPart(im)}j)`;
}

/** Python's str() of every element of a 1-D tensor, as storage reprs print them (exact int64s). */
export function elementStrings(view: Tensor): string[] {
  const dtype = view.dtype;
  if (dtype === bool) return Array.from(view.toTypedArray() as Uint8Array, (v) => pyBool(v !== 0));
  if (dtype === float16 || dtype === bfloat16) return Array.from(view.to(float64).toTypedArray() as Float64Array, pyFloat);
  if (dtype === int64) return Array.from(view.toTypedArray() as BigInt64Array, (v) => pyInt(v));
  const values = view.toTypedArray() as Float64Array;
  if (dtype.isComplex) {
    const out: string[] = [];
    for (let i = 0; i < values.length; i += 2) out.push(pyComplex(values[i], values[i + 1]));
    return out;
  }
  return Array.from(values, dtype.isFloatingPoint ? pyFloat : (v) => pyInt(v));
}

/** Python's storage str/repr: one element per line, each after a space, then the info line. */
export function storageRepr(view: Tensor, info: string): string {
  if (view.device.type === 'meta') return `...\n${info}`;
  return ` ${elementStrings(view).join('\n ')}\n${info}`;
}
