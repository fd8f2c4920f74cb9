// torch.finfo / torch.iinfo: the numerical limits of a floating-point or integer dtype, with
// Python's values and reprs (C's %g, as PyTorch's __repr__).
import { PyTypeError } from '../errors';
import { DType, DTypeLike, toDType, getDefaultDtype } from './dtype';
import { printfG } from './printf-g';

const inspect = Symbol.for('nodejs.util.inspect.custom');

// The IEEE-style layout of each floating dtype: mantissa and exponent bits; complex dtypes use
// their real part's.
const FLOAT_LAYOUT: Record<string, { real: string; bits: number; mantissa: number; exponent: number }> = {
  float32: { real: 'float32', bits: 32, mantissa: 23, exponent: 8 },
  float64: { real: 'float64', bits: 64, mantissa: 52, exponent: 11 },
  float16: { real: 'float16', bits: 16, mantissa: 10, exponent: 5 },
  bfloat16: { real: 'bfloat16', bits: 16, mantissa: 7, exponent: 8 },
  complex64: { real: 'float32', bits: 32, mantissa: 23, exponent: 8 },
  complex128: { real: 'float64', bits: 64, mantissa: 52, exponent: 11 },
};

/** torch.finfo(dtype): the limits of a floating-point dtype (a complex one's real part). */
export class FInfo {
  readonly bits: number;
  /** the gap between 1 and the next representable number */
  readonly eps: number;
  readonly max: number;
  readonly min: number;
  /** the smallest positive normal number */
  readonly tiny: number;
  readonly smallestNormal: number;
  /** 10^-(decimal digits the type holds exactly) */
  readonly resolution: number;
  /** the real dtype's name, a string as in Python ('float32') */
  readonly dtype: string;

  /** @internal use torch.finfo(dtype) */
  constructor(d: DType) {
    const layout = FLOAT_LAYOUT[d.name];
    const maxExponent = 2 ** (layout.exponent - 1) - 1;
    this.bits = layout.bits;
    this.eps = 2 ** -layout.mantissa;
    this.max = (2 - this.eps) * 2 ** maxExponent;
    this.min = -this.max;
    this.tiny = this.smallestNormal = 2 ** (1 - maxExponent);
    // std::numeric_limits<T>::digits10, written as a literal so it is the double Python's is
    this.resolution = Number(`1e-${Math.floor(layout.mantissa * Math.log10(2))}`);
    this.dtype = layout.real;
    Object.freeze(this);
  }
  toString(): string {
    const g = printfG;
    return `finfo(resolution=${g(this.resolution)}, min=${g(this.min)}, max=${g(this.max)}, eps=${g(this.eps)}, smallest_normal=${g(this.smallestNormal)}, tiny=${g(this.tiny)}, dtype=${this.dtype})`;
  }
  [inspect](): string {
    return this.toString();
  }
}

/** torch.iinfo(dtype): the limits of an integer dtype (int64's are the nearest JavaScript numbers). */
export class IInfo {
  readonly bits: number;
  readonly max: number;
  readonly min: number;
  /** the dtype's name, a string as in Python ('int64') */
  readonly dtype: string;

  /** @internal use torch.iinfo(dtype) */
  constructor(d: DType) {
    this.bits = d.itemsize * 8;
    this.min = d.isSigned ? -(2 ** (this.bits - 1)) : 0;
    this.max = d.isSigned ? 2 ** (this.bits - 1) - 1 : 2 ** this.bits - 1;
    this.dtype = d.name;
    Object.freeze(this);
  }
  toString(): string {
    return `iinfo(min=${printfG(this.min)}, max=${printfG(this.max)}, dtype=${this.dtype})`;
  }
  [inspect](): string {
    return this.toString();
  }
}

/** torch.finfo(dtype = the default dtype) */
export function finfo(dtype?: DTypeLike): FInfo {
  const d = dtype === undefined ? getDefaultDtype() : toDType(dtype);
  if (!d.isFloatingPoint && !d.isComplex) {
    throw new PyTypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
  }
  return new FInfo(d);
}

/** torch.iinfo(dtype) */
export function iinfo(dtype: DTypeLike): IInfo {
  if (dtype === undefined) throw new PyTypeError('iinfo() missing 1 required positional arguments: "type"');
  const d = toDType(dtype);
  if (d.name === 'bool') throw new PyTypeError('torch.bool is not supported by torch.iinfo');
  if (d.isFloatingPoint || d.isComplex) {
    throw new PyTypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
  }
  return new IInfo(d);
}
