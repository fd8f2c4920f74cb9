// The legacy storage class of each dtype (torch.FloatStorage for float32), as pickles name them.
import { DType, DTypeName } from '../dtype';

const NAMES = [
  ['DoubleStorage', 'float64'],
  ['FloatStorage', 'float32'],
  ['HalfStorage', 'float16'],
  ['LongStorage', 'int64'],
  ['IntStorage', 'int32'],
  ['ShortStorage', 'int16'],
  ['CharStorage', 'int8'],
  ['ByteStorage', 'uint8'],
  ['BoolStorage', 'bool'],
  ['BFloat16Storage', 'bfloat16'],
  ['ComplexDoubleStorage', 'complex128'],
  ['ComplexFloatStorage', 'complex64'],
  ['QInt8Storage', 'qint8'],
  ['QInt32Storage', 'qint32'],
  ['QUInt8Storage', 'quint8'],
  ['QUInt4x2Storage', 'quint4x2'],
  ['QUInt2x4Storage', 'quint2x4'],
] as const satisfies readonly (readonly [string, DTypeName])[];

/** 'FloatStorage' | 'LongStorage' | ...: the names the legacy classes are exported under. */
export type LegacyStorageName = (typeof NAMES)[number][0];

export const LEGACY_STORAGE_NAMES: [LegacyStorageName, DTypeName][] = NAMES.map(([name, dtype]) => [name, dtype]);

const BY_DTYPE = new Map<string, string>(LEGACY_STORAGE_NAMES.map(([name, dtype]) => [dtype, name]));

/** 'FloatStorage' for float32; undefined for a dtype without one. */
export function legacyStorageName(dtype: DType): string | undefined {
  return BY_DTYPE.get(dtype.name);
}
