// torch.testing's deprecated dtype-group getters (torch/testing/_legacy.py, public in 1.13): the
// dtype lists of PyTorch's C++ dispatch macros, each call warning with the literal to use instead.
import { AssertionError, TorchError } from '../errors';
import { DType, bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128, qint8, quint8, qint32, quint4x2, quint2x4 } from '../tensor/dtype';
import { DeviceLike, toDevice } from '../tensor/device';
import { isAvailable } from '../cuda/runtime';
import { signature, ArgsOf } from '../keywords';
import { pyList, pyTuple } from '../py-format';
import { warnDeprecated } from './deprecated-warning';

const FLOATING = [float32, float64];
const INTEGRAL = [uint8, int8, int16, int32, int64];
const COMPLEX = [complex64, complex128];
const ALL = [...FLOATING, ...INTEGRAL];

const str = (d: DType): string => String(d);

/** A macro group (Python's _dispatch_dtypes tuple): warns with its tuple literal, returns a fresh array. */
function group(pythonName: string, dtypes: readonly DType[]): DType[] {
  warnDeprecated(pythonName, `This call can be replaced with ${pyTuple(dtypes, str)}.`);
  return [...dtypes];
}

/** A group plus the extra dtypes given (each must be a dtype, as Python asserts). */
function groupAnd(pythonName: string, base: readonly DType[], extra: unknown[]): DType[] {
  for (const d of extra) if (!(d instanceof DType)) throw new AssertionError();
  return group(pythonName, [...base, ...(extra as DType[])]);
}

/** A getter returning a list (Python's list literal in the warning). */
function list(pythonName: string, dtypes: DType[]): DType[] {
  warnDeprecated(pythonName, `This call can be replaced with ${pyList(dtypes, str)}.`);
  return dtypes;
}

export const emptyTypes = (): DType[] => group('empty_types', []);
export const floatingTypes = (): DType[] => group('floating_types', FLOATING);
export const floatingTypesAndHalf = (): DType[] => group('floating_types_and_half', [...FLOATING, float16]);
export const floatingTypesAnd = (...dtypes: DType[]): DType[] => groupAnd('floating_types_and', FLOATING, dtypes);
export const floatingAndComplexTypes = (): DType[] => group('floating_and_complex_types', [...FLOATING, ...COMPLEX]);
export const floatingAndComplexTypesAnd = (...dtypes: DType[]): DType[] => groupAnd('floating_and_complex_types_and', [...FLOATING, ...COMPLEX], dtypes);
export const doubleTypes = (): DType[] => group('double_types', [float64, complex128]);
export const integralTypes = (): DType[] => group('integral_types', INTEGRAL);
export const integralTypesAnd = (...dtypes: DType[]): DType[] => groupAnd('integral_types_and', INTEGRAL, dtypes);
export const allTypes = (): DType[] => group('all_types', ALL);
export const allTypesAnd = (...dtypes: DType[]): DType[] => groupAnd('all_types_and', ALL, dtypes);
export const complexTypes = (): DType[] => group('complex_types', COMPLEX);
export const allTypesAndComplex = (): DType[] => group('all_types_and_complex', [...ALL, ...COMPLEX]);
export const allTypesAndComplexAnd = (...dtypes: DType[]): DType[] => groupAnd('all_types_and_complex_and', [...ALL, ...COMPLEX], dtypes);
export const allTypesAndHalf = (): DType[] => group('all_types_and_half', [...ALL, float16]);

// The list getters call each other in Python without warning (they are the undeprecated internals);
// only the outer, public call warns.
function fpDtypes(includeHalf = true, includeBfloat16 = true): DType[] {
  return [...FLOATING, ...(includeHalf ? [float16] : []), ...(includeBfloat16 ? [bfloat16] : [])];
}
function complexDtypes(includeComplex32 = false): DType[] {
  // torch-node has no complex32 (ComplexHalf) dtype
  if (includeComplex32) throw new TorchError('torch-node has no complex32 dtype: get_all_complex_dtypes(include_complex32=True) cannot be given');
  return [...COMPLEX];
}

const FP = signature<{ includeHalf?: boolean; includeBfloat16?: boolean }>()([], ['includeHalf', 'includeBfloat16']);
const COMPLEX_ARGS = signature<{ includeComplex32?: boolean }>()([], ['includeComplex32']);
const ALL_DTYPES = signature<{
  includeHalf?: boolean;
  includeBfloat16?: boolean;
  includeBool?: boolean;
  includeComplex?: boolean;
  includeComplex32?: boolean;
  includeQint?: boolean;
}>()([], ['includeHalf', 'includeBfloat16', 'includeBool', 'includeComplex', 'includeComplex32', 'includeQint']);
const MATH = signature<{ device: DeviceLike }>()(['device'], []);

export const getAllIntDtypes = (): DType[] => list('get_all_int_dtypes', [...INTEGRAL]);

/** get_all_fp_dtypes(include_half=True, include_bfloat16=True) */
export function getAllFpDtypes(...args: ArgsOf<typeof FP>): DType[] {
  const o = FP.bind('get_all_fp_dtypes', args);
  return list('get_all_fp_dtypes', fpDtypes(o.includeHalf, o.includeBfloat16));
}

/** get_all_complex_dtypes(include_complex32=False) */
export function getAllComplexDtypes(...args: ArgsOf<typeof COMPLEX_ARGS>): DType[] {
  const o = COMPLEX_ARGS.bind('get_all_complex_dtypes', args);
  return list('get_all_complex_dtypes', complexDtypes(o.includeComplex32));
}

/** get_all_dtypes(include_half=True, include_bfloat16=True, include_bool=True, include_complex=True, include_complex32=False, include_qint=False) */
export function getAllDtypes(...args: ArgsOf<typeof ALL_DTYPES>): DType[] {
  const o = ALL_DTYPES.bind('get_all_dtypes', args);
  const dtypes = [...INTEGRAL, ...fpDtypes(o.includeHalf, o.includeBfloat16)];
  if (o.includeBool ?? true) dtypes.push(bool);
  if (o.includeComplex ?? true) dtypes.push(...complexDtypes(o.includeComplex32));
  if (o.includeQint) dtypes.push(qint8, quint8, qint32, quint4x2, quint2x4);
  return list('get_all_dtypes', dtypes);
}

/** get_all_math_dtypes(device): half counts only on CUDA (a device string starting with 'cuda'). */
export function getAllMathDtypes(...args: ArgsOf<typeof MATH>): DType[] {
  const { device } = MATH.bind('get_all_math_dtypes', args);
  const onCuda = String(typeof device === 'string' ? device : toDevice(device)).startsWith('cuda');
  return list('get_all_math_dtypes', [...INTEGRAL, ...fpDtypes(onCuda, false), ...COMPLEX]);
}

/** get_all_device_types(): ['cpu'], and 'cuda' when CUDA is available. */
export function getAllDeviceTypes(): string[] {
  const types = isAvailable() ? ['cpu', 'cuda'] : ['cpu'];
  warnDeprecated('get_all_device_types', `This call can be replaced with ${pyList(types)}.`);
  return types;
}
