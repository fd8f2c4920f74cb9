// The legacy typed constructors older tutorials still use: torch.FloatTensor([1, 2]) copies data
// into that dtype, torch.LongTensor(2, 3) makes an uninitialized 2x3 tensor, torch.FloatTensor()
// an empty one. In Python they are classes; here they are functions (called without new).
import { TorchError, PyTypeError } from '../errors';
import { aten } from './aten';
import { DType, getDefaultDtype, float32, float64, float16, bfloat16, uint8, int8, int16, int32, int64, bool } from './dtype';
import { Tensor as TensorClass } from './tensor';
import { Generator as GeneratorClass } from './random';
import { DeviceLike } from './device';
import { TensorData } from './nested';
import { empty, tensor } from './create';
import { isStorage, storageSource } from './storage/tensor-methods';
import type { TypedStorage } from './storage/typed';
import type { UntypedStorage } from './storage/untyped';

type LegacyConstructor = {
  (data: TensorData | ArrayBufferView): TensorClass;
  /** a tensor over the storage's memory (shared, as in Python) */
  (storage: TypedStorage | UntypedStorage): TensorClass;
  (...size: number[]): TensorClass;
};

function legacy(name: string, dtype: DType): LegacyConstructor {
  const make = (...args: unknown[]): TensorClass => {
    if (args.length === 1 && args[0] instanceof TensorClass) {
      // Python returns a tensor of this type as is and refuses any other
      if (args[0].dtype !== dtype) throw new TorchError(`expected torch.${name} (got ${args[0].type()})`);
      return args[0];
    }
    if (args.length === 1 && isStorage(args[0])) return storageSource(args[0] as TypedStorage, dtype, 'scalar');
    if (args.length === 1 && (Array.isArray(args[0]) || ArrayBuffer.isView(args[0]))) {
      return tensor(args[0] as TensorData | ArrayBufferView, { dtype });
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

// torch.Tensor(2, 3) / torch.Tensor([1, 2]) (nn.Parameter(torch.Tensor(in, out)) in older scripts):
// the class, callable. Python's legacy constructor gives an uninitialised tensor of that size, or a
// copy of the data, in the default dtype; a tensor is returned as an alias. The proxy is only what
// `torch.Tensor` exports: the library makes tensors with the class itself, so no hot path goes
// through it, and `x instanceof torch.Tensor`, subclasses and the type `torch.Tensor` are the class's.
const alias = aten('alias', '');

function legacyTensor(args: unknown[]): TensorClass {
  const dtype = getDefaultDtype();
  const [first] = args;
  if (args.length === 1 && first instanceof TensorClass) return alias([first]) as TensorClass;
  if (args.length === 1 && isStorage(first)) return storageSource(first as TypedStorage, dtype, 'scalar');
  if (args.length === 1 && (Array.isArray(first) || ArrayBuffer.isView(first))) return tensor(first as TensorData | ArrayBufferView, { dtype });
  if (args.every((a) => Number.isInteger(a))) {
    const size = args.length === 0 ? [0] : (args as number[]);
    // Python's message, without the operator name the empty() call would add
    const negative = size.find((d) => d < 0);
    if (negative !== undefined) throw new TorchError(`Trying to create tensor with negative dimension ${negative}: [${size.join(', ')}]`);
    return empty(size, { dtype });
  }
  const got = args.length === 1 ? (typeof first === 'number' ? 'float' : typeof first) : `(${args.map((a) => typeof a).join(', ')})`;
  throw new PyTypeError(`new(): data must be a sequence (got ${got})`);
}

/** Arguments of the legacy forms; anything else (a native handle, from a subclass) goes to the class. */
const isLegacy = (args: unknown[]): boolean =>
  args.length !== 1 || typeof args[0] === 'number' || Array.isArray(args[0]) || ArrayBuffer.isView(args[0]) || args[0] instanceof TensorClass || isStorage(args[0]);

/** torch.Tensor: the Tensor class, also callable (with or without new) as Python's legacy constructor. */
export type LegacyTensorConstructor = typeof TensorClass & {
  (data: TensorData | ArrayBufferView | TypedStorage | UntypedStorage): TensorClass;
  (...size: number[]): TensorClass;
  new (data: TensorData | ArrayBufferView | TypedStorage | UntypedStorage): TensorClass;
  new (...size: number[]): TensorClass;
};

export const Tensor: LegacyTensorConstructor = new Proxy(TensorClass, {
  apply: (_target, _self, args: unknown[]) => legacyTensor(args),
  construct: (target, args: unknown[], newTarget) =>
    newTarget === Tensor && isLegacy(args) ? legacyTensor(args) : Reflect.construct(target, args, newTarget),
}) as LegacyTensorConstructor;
/** The type torch.Tensor: a tensor (the class's instances). */
export type Tensor = TensorClass;

/** torch.Generator(device='cpu'): the class, also callable without new, as Python's `torch.Generator().manual_seed(0)`. */
export const Generator = new Proxy(GeneratorClass, {
  apply: (target, _self, args: [DeviceLike?]) => new target(...args),
}) as typeof GeneratorClass & ((device?: DeviceLike) => GeneratorClass);
/** The type torch.Generator. */
export type Generator = GeneratorClass;
