// PyTorch's legacy tensor type names ('torch.FloatTensor', 'torch.cuda.LongTensor'): what
// x.type() returns, and what x.type(name) accepts besides a dtype.
import { DType, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool, complex64, complex128 } from './dtype';

const NAMES: [DType, string][] = [
  [float32, 'FloatTensor'], [float64, 'DoubleTensor'], [float16, 'HalfTensor'], [bfloat16, 'BFloat16Tensor'],
  [int64, 'LongTensor'], [int32, 'IntTensor'], [int16, 'ShortTensor'], [int8, 'CharTensor'], [uint8, 'ByteTensor'],
  [bool, 'BoolTensor'], [complex64, 'ComplexFloatTensor'], [complex128, 'ComplexDoubleTensor'],
];
const NAME_OF = new Map(NAMES);
const DTYPE_OF = new Map(NAMES.map(([d, n]) => [n, d]));

/** 'torch.FloatTensor' for a CPU float32 tensor, 'torch.cuda.FloatTensor' on CUDA. */
export function typeName(dtype: DType, deviceType: string): string {
  const base = NAME_OF.get(dtype) ?? `${dtype.name}Tensor`;
  return deviceType === 'cpu' ? `torch.${base}` : `torch.${deviceType}.${base}`;
}

/** The dtype and device type a legacy type name names, or null when `name` is not one. */
export function parseTypeName(name: string): { dtype: DType; deviceType: 'cpu' | 'cuda' } | null {
  const m = /^torch\.(cuda\.)?(\w+Tensor)$/.exec(name);
  const dtype = m ? DTYPE_OF.get(m[2]) : undefined;
  return m && dtype ? { dtype, deviceType: m[1] ? 'cuda' : 'cpu' } : null;
}
