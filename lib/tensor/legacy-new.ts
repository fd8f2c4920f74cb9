// Tensor.new (Python's legacy x.new(...)): a tensor of x's dtype and device, from sizes
// (uninitialised), from nested data (a copy), or an alias of a tensor of exactly x's type.
import { PyTypeError, TorchError } from '../errors';
import { checkKeywords } from '../keywords';
import { aten } from './aten';
import { DType } from './dtype';
import { Device, DeviceLike, toDevice } from './device';
import { Tensor } from './tensor';
import { empty, tensor } from './create';
import { TensorData } from './nested';
import { strided } from './layout';

interface NewOptions {
  device?: DeviceLike | null;
  size?: number[];
}

declare module './tensor' {
  interface Tensor {
    /**
     * Legacy x.new(): x.new() (empty), x.new(2, 3) or x.new({ size: [2, 3] }) (uninitialised),
     * x.new([[1, 2]]) (a copy of the data), x.new(other) (an alias of other, which must have x's
     * dtype and device); { device } must be x's device type. Prefer newEmpty / newTensor.
     */
    'new'(...args: (number | number[] | TensorData | Tensor | NewOptions)[]): Tensor;
  }
}

const alias = aten('alias', '');

/** C++'s names of the dtypes, as TensorOptions prints them in libtorch's messages. */
const CPP_NAMES: Record<string, string> = {
  float32: 'float', float64: 'double', float16: 'c10::Half', bfloat16: 'c10::BFloat16', bool: 'bool', uint8: 'unsigned char',
  int8: 'signed char', int16: 'short int', int32: 'int', int64: 'long int', complex64: 'c10::complex<float>', complex128: 'c10::complex<double>',
};
const optionsText = (dtype: DType, device: Device): string =>
  `TensorOptions(dtype=${CPP_NAMES[dtype.name] ?? dtype.name}, device=${device.type === 'cpu' ? 'cpu' : device.toString()}, layout=Strided, ` +
  'requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt))';

const pyTypeName = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v);

function legacyNew(this: Tensor, ...args: unknown[]): Tensor {
  const last = args[args.length - 1];
  const hasOptions = last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof Tensor);
  const options = (hasOptions ? args.pop() : {}) as NewOptions;
  checkKeywords('new', options, ['device', 'size']);
  if (options.device != null) {
    const wanted = toDevice(options.device);
    if (wanted.type !== this.device.type) throw new TorchError(`legacy constructor expects device type: ${this.device.type} but device type: ${wanted.type} was passed`);
  }
  const like = { dtype: this.dtype, device: options.device ?? this.device };
  if (options.size !== undefined) {
    if (args.length) throw new PyTypeError("new() got multiple values for argument 'size'");
    return empty(options.size, like);
  }
  if (args.length === 0) return empty([0], like);
  const [first] = args;
  if (first instanceof Tensor) {
    if (args.length > 1) throw new PyTypeError('new() takes 1 positional argument when given a Tensor');
    if (first.dtype !== this.dtype || first.device.toString() !== this.device.toString() || first.layout !== strided) {
      throw new PyTypeError(`expected ${optionsText(this.dtype, this.device)} (got ${optionsText(first.dtype, first.device)})`);
    }
    return alias([first]) as Tensor;
  }
  if (Array.isArray(first)) {
    if (args.length > 1) throw new PyTypeError('new() takes 1 positional argument when given data');
    return tensor(first as TensorData, like);
  }
  if (args.every((a) => typeof a === 'number' && Number.isInteger(a))) return empty(args as number[], like);
  const bad = args.find((a) => typeof a !== 'number' || !Number.isInteger(a));
  if (typeof bad === 'string') throw new PyTypeError(`new(): invalid data type 'str'`);
  throw new PyTypeError(`new(): data must be a sequence (got ${pyTypeName(bad)})`);
}

Object.defineProperty(Tensor.prototype, 'new', { value: legacyNew, writable: true, configurable: true });
