// torch.cuda.FloatStorage, torch.cuda.LongStorage, ...: the legacy classes of CUDA storages, for
// torch.cuda to export (new torch.cuda.FloatStorage(3) makes a float32 TypedStorage on the GPU).
import { cudaStorageClasses } from './legacy';

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
} = cudaStorageClasses;
