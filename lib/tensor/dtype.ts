// torch.float32 & co., built from the native dtype table (the one table: native/dtypes.cc).
import { TorchError } from '../errors';
import { native } from '../native';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array
  | BigInt64Array;

export type DTypeName =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool'
  | 'complex64'
  | 'complex128'
  | 'qint8'
  | 'quint8'
  | 'qint32'
  | 'quint4x2'
  | 'quint2x4';

/** A tensor element type, printed as PyTorch prints it (`torch.float32`). */
export class DType {
  /** @internal */
  constructor(
    readonly name: DTypeName,
    /** at::ScalarType code, as the native side knows it */
    readonly code: number,
    readonly itemsize: number,
    readonly isFloatingPoint: boolean,
    readonly isComplex: boolean,
    readonly isSigned: boolean,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

const byName = new Map<string, DType>();
const byCode = new Map<number, DType>();
for (const row of native.dtypes()) {
  const d = new DType(row.name as DTypeName, row.code, row.itemsize, row.isFloatingPoint, row.isComplex, row.isSigned);
  byName.set(d.name, d);
  byCode.set(d.code, d);
}

// PyTorch's aliases: torch.float is float32, torch.long is int64, ...
const ALIASES: Record<string, DTypeName> = {
  float: 'float32',
  double: 'float64',
  half: 'float16',
  long: 'int64',
  int: 'int32',
  short: 'int16',
  cfloat: 'complex64',
  cdouble: 'complex128',
};
for (const [alias, name] of Object.entries(ALIASES)) byName.set(alias, byName.get(name)!);

function get(name: DTypeName): DType {
  return byName.get(name)!;
}

export const float32 = get('float32');
export const float64 = get('float64');
export const float16 = get('float16');
export const bfloat16 = get('bfloat16');
export const int64 = get('int64');
export const int32 = get('int32');
export const int16 = get('int16');
export const int8 = get('int8');
export const uint8 = get('uint8');
export const bool = get('bool');
export const complex64 = get('complex64');
export const complex128 = get('complex128');
export { float32 as float, float64 as double, float16 as half, int64 as long, int32 as int, int16 as short };
export { complex64 as cfloat, complex128 as cdouble };
// Quantized dtypes (torch.quantize_per_tensor & co.): integers with a scale and zero point.
export const qint8 = get('qint8');
export const quint8 = get('quint8');
export const qint32 = get('qint32');
export const quint4x2 = get('quint4x2');
export const quint2x4 = get('quint2x4');

/** The integer dtype holding a quantized dtype's values (Python's int_repr dtype), or undefined. */
export function intReprDtype(d: DType): DType | undefined {
  return d === qint8 ? int8 : d === qint32 ? int32 : d === quint8 || d === quint4x2 || d === quint2x4 ? uint8 : undefined;
}

/** Values per byte of the sub-byte quantized dtypes (quint4x2: 2, quint2x4: 4); 1 for every other dtype. */
export function valuesPerByte(d: DType): number {
  return d === quint4x2 ? 2 : d === quint2x4 ? 4 : 1;
}

export type DTypeLike = DType | DTypeName | 'float' | 'double' | 'half' | 'long' | 'int' | 'short';

/** Accepts a DType or its name ('float32', 'long', ...); anything else is a TorchError. */
export function toDType(d: DTypeLike | string): DType {
  if (d instanceof DType) return d;
  const found = typeof d === 'string' ? byName.get(d.replace(/^torch\./, '')) : undefined;
  if (!found) throw new TorchError(`unknown dtype: ${String(d)} (expected one of ${[...byName.keys()].join(', ')})`);
  return found;
}

export function dtypeFromCode(code: number): DType {
  const d = byCode.get(code);
  if (!d) throw new TorchError(`tensor has a dtype torch-node does not support (ScalarType ${code})`);
  return d;
}

type TypedArrayClass = { new (length: number): TypedArray; readonly BYTES_PER_ELEMENT: number };

const arrayClassOf = new Map<DType, TypedArrayClass>();
const naturalDtypeOf = new Map<string, DType>();
for (const row of native.dtypes()) {
  const cls = (globalThis as unknown as Record<string, TypedArrayClass>)[row.typedArray];
  const d = byCode.get(row.code)!;
  arrayClassOf.set(d, cls);
  // A TypedArray's natural dtype is the first table row using its class; Uint16Array has none
  // (it only carries float16/bfloat16 bits, so those need an explicit dtype).
  if (!naturalDtypeOf.has(row.typedArray) && cls !== Uint16Array) naturalDtypeOf.set(row.typedArray, d);
}
naturalDtypeOf.set('Uint8ClampedArray', uint8);

/** 'Float32Array', ...: by tag, not constructor, so arrays from another realm (vm, jest) work. */
export function typedArrayKind(a: ArrayBufferView): string {
  return Object.prototype.toString.call(a).slice(8, -1);
}

/** The dtype torch.tensor() infers for a TypedArray, as torch.from_numpy does for numpy arrays. */
export function dtypeOfTypedArray(a: ArrayBufferView): DType {
  const d = naturalDtypeOf.get(typedArrayKind(a));
  if (!d) throw new TorchError(`cannot infer a dtype for ${typedArrayKind(a)}; pass { dtype }`);
  return d;
}

/** The TypedArray class holding a dtype's raw elements (halves as bits, complex as pairs). */
export function typedArrayClassOf(d: DType): TypedArrayClass {
  return arrayClassOf.get(d)!;
}

let defaultDtype: DType = float32;
/** torch.get_default_dtype / set_default_dtype (float32 or float64). */
export function getDefaultDtype(): DType {
  return defaultDtype;
}
export function setDefaultDtype(d: DTypeLike): void {
  const dt = toDType(d);
  if (!dt.isFloatingPoint) throw new TorchError('only floating-point types are supported as the default type');
  native.setDefaultDtype(dt.code); // libtorch's factories read it when given no dtype
  defaultDtype = dt;
}
