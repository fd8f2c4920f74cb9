// torch.FloatStorage, torch.LongStorage, ...: the legacy classes of CPU storages by name, for torch
// to export (new torch.FloatStorage(3) makes a float32 TypedStorage). ES modules need each exported
// name written out; the names are checked against LegacyStorageName, and ./cuda-classes lists the
// same names for torch.cuda's own classes.
import { cpuStorageClasses } from './legacy';

export const {
  DoubleStorage,
  FloatStorage,
  HalfStorage,
  LongStorage,
  IntStorage,
  ShortStorage,
  CharStorage,
  ByteStorage,
  BoolStorage,
  BFloat16Storage,
  ComplexDoubleStorage,
  ComplexFloatStorage,
  QInt8Storage,
  QInt32Storage,
  QUInt8Storage,
  QUInt4x2Storage,
  QUInt2x4Storage,
} = cpuStorageClasses;
