// The legacy typed constructors older tutorials still use: torch.FloatTensor([1, 2]) copies data
// into that dtype, torch.LongTensor(2, 3) makes an uninitialized 2x3 tensor, torch.FloatTensor()
// an empty one. In Python they are classes; here they are functions (called without new).
import { TorchError } from '../errors';
import { DType, float32, float64, float16, bfloat16, uint8, int8, int16, int32, int64, bool } from './dtype';
import { Tensor, NestedList } from './tensor';
import { empty, tensor } from './create';

type LegacyConstructor = {
  (data: NestedList | ArrayBufferView | Tensor): Tensor;
  (...size: number[]): Tensor;
};

function legacy(name: string, dtype: DType): LegacyConstructor {
  const make = (...args: unknown[]): Tensor => {
    if (args.length === 1 && args[0] instanceof Tensor) {
      // Python returns a tensor of this type as is and refuses any other
      if (args[0].dtype !== dtype) throw new TorchError(`expected torch.${name} (got ${args[0].type()})`);
      return args[0];
    }
    if (args.length === 1 && (Array.isArray(args[0]) || ArrayBuffer.isView(args[0]))) {
      return tensor(args[0] as NestedList | ArrayBufferView, { dtype });
    }
    if (!args.every((a) => Number.isInteger(a) && (a as number) >= 0)) {
      throw new TorchError(`${name}(): expected a list of data or sizes (non-negative integers), got (${args.map((a) => typeof a).join(', ')})`);
    }
    return empty(args.length === 0 ? [0] : (args as number[]), { dtype });
  };
  Object.defineProperty(make, 'name', { value: name });
  return make as LegacyConstructor;
}

export const FloatTensor = legacy('FloatTensor', float32);
export const DoubleTensor = legacy('DoubleTensor', float64);
export const HalfTensor = legacy('HalfTensor', float16);
export const BFloat16Tensor = legacy('BFloat16Tensor', bfloat16);
export const ByteTensor = legacy('ByteTensor', uint8);
export const CharTensor = legacy('CharTensor', int8);
export const ShortTensor = legacy('ShortTensor', int16);
export const IntTensor = legacy('IntTensor', int32);
export const LongTensor = legacy('LongTensor', int64);
export const BoolTensor = legacy('BoolTensor', bool);
