// Tensor creation: torch.tensor, zeros/ones/full/empty/arange/linspace/eye, *Like, frombuffer.
import { TorchError, PyTypeError, warn } from '../errors';
import { native } from '../native';
import { aten } from './aten';
import { DType, DTypeLike, toDType, dtypeOfTypedArray, typedArrayClassOf, typedArrayKind, getDefaultDtype } from './dtype';
import { int64, float64 } from './dtype';
import { DeviceLike, toDevice } from './device';
import { Tensor, shapeArgs } from './tensor';
import { readNested, TensorData } from './nested';
import { Generator, implicitGenerator } from './random';
import { ArgsOf, checkKeywords, isOptions, keysOf, signature } from '../keywords';

export interface TensorOptions {
  /** null is Python's None: the default */
  dtype?: DTypeLike | null;
  device?: DeviceLike | null;
  requiresGrad?: boolean;
}

/** Options of the random factories: a Generator instead of the default one. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

type ShapeAndOptions = (number | number[] | (TensorOptions & SizeOption))[];

/** Python's size=(2, 3) keyword of the sized factories. */
export interface SizeOption {
  size?: number[];
}

/** f(2, 3, { dtype }) / f([2, 3], { dtype }) / f({ size: [2, 3], dtype }) -> [[2, 3], { dtype }] */
export function splitShapeOptions(args: ShapeAndOptions, fn = 'factory'): [number[], TensorOptions] {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && typeof last === 'object' && !Array.isArray(last);
  const { size, ...opts } = (hasOptions ? last : {}) as TensorOptions & SizeOption;
  const dims = (hasOptions ? args.slice(0, -1) : args) as (number | number[])[];
  if (size === undefined) return [shapeArgs(dims), opts];
  if (dims.length > 0) throw new TorchError(`${fn}() got multiple values for argument 'size'`);
  if (!Array.isArray(size)) throw new TorchError(`${fn}(): argument 'size' must be an array of ints`);
  return [size, opts];
}

const TENSOR_KEYS = keysOf<TensorOptions>()('dtype', 'device', 'requiresGrad');

/** `fn`'s options in the native kwargs form (dtype code, device string); other keys are an error. */
export function factoryKwargs(fn: string, opts: TensorOptions, fallbackDtype?: DType): Record<string, unknown> {
  checkKeywords(fn, opts, TENSOR_KEYS);
  const dtype = opts.dtype != null ? toDType(opts.dtype) : fallbackDtype;
  return {
    dtype: dtype?.code,
    device: opts.device != null ? toDevice(opts.device).toString() : undefined,
  };
}

/** Applies requiresGrad after creation, as PyTorch does for factory functions. */
export function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function isTypedArray(x: unknown): x is ArrayBufferView {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * torch.tensor(data, { dtype, device, requiresGrad }): always copies, like PyTorch.
 * data: a number/boolean, nested arrays of them and of one-element tensors, or a TypedArray (1-D;
 * dtype from its kind).
 */
export function tensor(data: TensorData | bigint | ArrayBufferView, options: TensorOptions = {}): Tensor {
  checkKeywords('tensor', options, TENSOR_KEYS);
  let t: Tensor;
  const target = options.dtype != null ? toDType(options.dtype) : undefined;
  if (data instanceof Tensor) {
    warn(COPY_CONSTRUCT_WARNING);
    t = data.detach().clone();
    if (target !== undefined && target !== t.dtype) t = t.to(target);
  } else if (isTypedArray(data)) {
    // With a dtype whose raw form this array is (e.g. Uint16Array bits for float16, Float32Array
    // pairs for complex64), the elements are reinterpreted; otherwise they are converted.
    const raw = target !== undefined && typedArrayClassOf(target).name === typedArrayKind(data);
    t = fromTypedArray(data, [data.byteLength / (raw ? target.itemsize : bytesPerElement(data))], target);
  } else {
    const { shape, flat, dtype } = readNested(data, target);
    // Booleans and integers (up to 2^53) travel exactly through float64; the native cast does the rest.
    const staging = Float64Array.from(flat, Number);
    t = new Tensor(native.fromTypedArray(staging, shape, float64.code));
    if (dtype !== float64) t = t.to(dtype);
  }
  if (options.device != null && toDevice(options.device).type !== t.device.type) t = t.to(options.device);
  if (options.requiresGrad && target === undefined && !t.isFloatingPoint() && !t.dtype.isComplex) {
    // JavaScript has one number type: [1.0, 2.0] is [1, 2] and infers int64, which Python's 1.0 would not
    throw new TorchError(
      `Only Tensors of floating point and complex dtype can require gradients (the data inferred ${t.dtype.name}: ` +
        'JavaScript numbers without a fractional part infer int64; pass { dtype: torch.float32 })',
    );
  }
  return finish(t, options);
}

const COPY_CONSTRUCT_WARNING =
  'To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or ' +
  'sourceTensor.clone().detach().requiresGrad_(true), rather than torch.tensor(sourceTensor).';

/**
 * torch.as_tensor(data, { dtype, device }): a tensor as is when it already has that dtype and
 * device (else converted), a TypedArray's own memory when it has (no copy, as Python's
 * as_tensor shares a NumPy array's), other data copied as torch.tensor does.
 */
export function asTensor(data: TensorData | bigint | ArrayBufferView, options: Omit<TensorOptions, 'requiresGrad'> = {}): Tensor {
  checkKeywords('asTensor', options, AS_TENSOR_KEYS);
  const dtype = options.dtype != null ? toDType(options.dtype) : undefined;
  const device = options.device != null ? toDevice(options.device) : undefined;
  if (data instanceof Tensor) {
    const same = (dtype === undefined || dtype === data.dtype) && (device === undefined || device.toString() === data.device.toString());
    return same ? data : data.to({ dtype: dtype ?? data.dtype, device: device ?? data.device });
  }
  if (isTypedArray(data) && (device === undefined || device.type === 'cpu')) {
    const own = naturalDtype(data);
    if (own !== undefined && (dtype === undefined || dtype === own) && data.byteLength > 0) return frombuffer(data, { dtype: own });
  }
  return tensor(data, options);
}

/**
 * torch.from_numpy: a 1-D tensor over a TypedArray's own memory (writes through either are seen by
 * both), its dtype the array's (Float32Array -> float32, BigInt64Array -> int64, ...).
 */
export function fromNumpy(array: ArrayBufferView): Tensor {
  if (!isTypedArray(array)) {
    const got = array === null ? 'null' : Array.isArray(array) ? 'Array' : typeof array === 'object' ? (array as object).constructor?.name ?? 'object' : typeof array;
    throw new PyTypeError(`expected a TypedArray (got ${got})`);
  }
  const dtype = dtypeOfTypedArray(array);
  // an empty array has no memory to share; frombuffer refuses it
  return array.byteLength === 0 ? empty([0], { dtype }) : frombuffer(array, { dtype });
}

function naturalDtype(a: ArrayBufferView): DType | undefined {
  try {
    return dtypeOfTypedArray(a);
  } catch {
    return undefined; // no dtype of its own (a DataView-like view): copied with the given dtype
  }
}

const AS_TENSOR_KEYS = keysOf<Omit<TensorOptions, 'requiresGrad'>>()('dtype', 'device');

function bytesPerElement(a: ArrayBufferView): number {
  return (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT ?? 1;
}

/** A copy of a TypedArray's elements as a tensor of `shape`; dtype defaults to the array's kind. */
export function fromTypedArray(data: ArrayBufferView, shape: number[], dtype?: DType): Tensor {
  const kind = typedArrayKind(data);
  if (kind === 'Uint8ClampedArray') data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const natural = dtype && typedArrayClassOf(dtype).name === kind ? dtype : undefined;
  const source = natural ?? dtypeOfTypedArray(data);
  const t = new Tensor(native.fromTypedArray(data, shape, source.code));
  return dtype && dtype !== source ? t.to(dtype) : t;
}

const factories = {
  zeros: aten('zeros', ''),
  ones: aten('ones', ''),
  empty: aten('empty', 'memory_format'),
  full: aten('full', ''),
  rand: aten('rand', ''),
  randn: aten('randn', ''),
  randint: aten('randint', 'low'),
  randGen: aten('rand', 'generator'),
  randnGen: aten('randn', 'generator'),
  randintGen: aten('randint', 'low_generator'),
  randperm: aten('randperm', ''),
  randpermGen: aten('randperm', 'generator'),
  arange: aten('arange', 'start_step'),
  linspace: aten('linspace', ''),
  eye: aten('eye', 'm'),
  zerosLike: aten('zeros_like', ''),
  onesLike: aten('ones_like', ''),
  emptyLike: aten('empty_like', ''),
  fullLike: aten('full_like', ''),
  randLike: aten('rand_like', ''),
  randnLike: aten('randn_like', ''),
  randintLike: aten('randint_like', 'low_dtype'),
};

function sized(fn: string, op: (typeof factories)['zeros']) {
  return (...args: ShapeAndOptions): Tensor => {
    const [shape, opts] = splitShapeOptions(args, fn);
    return finish(op([shape], factoryKwargs(fn, opts)) as Tensor, opts);
  };
}

export const zeros = sized('zeros', factories.zeros);
export const ones = sized('ones', factories.ones);
export const empty = sized('empty', factories.empty);

// Random factories take { generator } too, through the operator's generator overload.
function sizedRandom(fn: string, plain: (typeof factories)['zeros'], withGenerator: (typeof factories)['zeros']) {
  return (...args: (number | number[] | (RandomOptions & SizeOption))[]): Tensor => {
    const [shape, { generator: given, ...opts }] = splitShapeOptions(args, fn) as [number[], RandomOptions];
    const generator = given ?? implicitGenerator();
    const t = generator
      ? withGenerator([shape], { generator, ...factoryKwargs(fn, opts) })
      : plain([shape], factoryKwargs(fn, opts));
    return finish(t as Tensor, opts);
  };
}

/** torch.rand(*size): uniform [0, 1); same numbers as PyTorch after the same manualSeed. */
export const rand = sizedRandom('rand', factories.rand, factories.randGen);
/** torch.randn(*size): standard normal; same numbers as PyTorch after the same manualSeed. */
export const randn = sizedRandom('randn', factories.randn, factories.randnGen);

/** torch.randperm(n): a random permutation of 0..n-1 (int64 by default). */
export function randperm(n: number, { generator: given, ...options }: RandomOptions = {}): Tensor {
  const generator = given ?? implicitGenerator();
  const t = generator
    ? factories.randpermGen([n], { generator, ...factoryKwargs('randperm', options, int64) })
    : factories.randperm([n], factoryKwargs('randperm', options, int64));
  return finish(t as Tensor, options);
}

export function full(size: number[], fillValue: number | boolean, options: TensorOptions = {}): Tensor {
  return finish(factories.full([size, fillValue], factoryKwargs('full', options)) as Tensor, options);
}

/** randint's bounds and size by keyword: torch.randint(10, { size: [3] }), randint({ low, high, size }). */
export interface RandintOptions extends RandomOptions, SizeOption {
  low?: number;
  high?: number;
}

/** torch.randint(high, size) or torch.randint(low, high, size); int64 by default. Any of them by keyword. */
export function randint(...args: (number | number[] | RandintOptions)[]): Tensor {
  const last = args[args.length - 1];
  const { generator: given, low: lowKw, high: highKw, size: sizeKw, ...opts } = (isOptions(last) ? args.pop() : {}) as RandintOptions;
  const positional = [...args];
  let size = Array.isArray(positional[positional.length - 1]) ? (positional.pop() as number[]) : undefined;
  if (size !== undefined && sizeKw !== undefined) throw new TorchError("randint() got multiple values for argument 'size'");
  size ??= sizeKw;
  // (high) or (low, high) positionally; a bound given by keyword fills the rest, as Python binds them
  let [low, high] = positional.length === 2 ? positional : positional.length === 1 ? (highKw !== undefined ? [positional[0], highKw] : [lowKw ?? 0, positional[0]]) : [lowKw ?? 0, highKw];
  if (positional.length === 2 && (lowKw !== undefined || highKw !== undefined)) {
    throw new TorchError(`randint() got multiple values for argument '${lowKw !== undefined ? 'low' : 'high'}'`);
  }
  low ??= 0;
  if (typeof low !== 'number' || typeof high !== 'number' || !Array.isArray(size)) {
    throw new TorchError('randint expects (high, size) or (low, high, size) with size an array');
  }
  const generator = given ?? implicitGenerator();
  const t = generator
    ? factories.randintGen([low, high, size], { generator, ...factoryKwargs('randint', opts, int64) })
    : factories.randint([low, high, size], factoryKwargs('randint', opts, int64));
  return finish(t as Tensor, opts);
}

/** arange's bounds by keyword: torch.arange(0, 1.1, { step: 0.1 }), arange({ end: 5 }). */
export interface ArangeOptions extends TensorOptions {
  start?: number;
  end?: number;
  step?: number;
}

/** torch.arange(end) / arange(start, end) / arange(start, end, step); int64 when all are integers. */
export function arange(...args: (number | ArangeOptions)[]): Tensor {
  const { start: startKw, end: endKw, step: stepKw, ...opts } = (isOptions(args[args.length - 1]) ? args.pop() : {}) as ArangeOptions;
  const nums = args as number[];
  const kw = { start: startKw, end: endKw, step: stepKw };
  // Python's overloads: arange(end), arange(start, end), arange(start, end, step); one positional
  // with end= given is the start
  const names = nums.length === 1 && endKw === undefined ? ['end'] : (['start', 'end', 'step'] as const).slice(0, nums.length);
  const bound: Record<string, number | undefined> = { ...kw };
  names.forEach((name, i) => {
    if (kw[name as keyof typeof kw] !== undefined) throw new TorchError(`arange() got multiple values for argument '${name}'`);
    bound[name] = nums[i];
  });
  const { start = 0, end, step = 1 } = bound;
  if (end === undefined) throw new TorchError("arange() missing required argument 'end'");
  const integral = [start, end, step].every(Number.isInteger);
  const fallback = integral ? int64 : getDefaultDtype();
  return finish(factories.arange([start, end, step], factoryKwargs('arange', opts, fallback)) as Tensor, opts);
}
const LINSPACE = signature<{ start: number; end: number; steps: number } & TensorOptions>()(['start', 'end', 'steps'], [], TENSOR_KEYS);

/** torch.linspace(start, end, steps), any of them by keyword (linspace(0, 1, { steps: 5 })). */
export function linspace(...args: ArgsOf<typeof LINSPACE>): Tensor {
  const { start, end, steps, ...options } = LINSPACE.bind('linspace', args);
  return finish(factories.linspace([start, end, steps], factoryKwargs('linspace', options)) as Tensor, options);
}

/** torch.eye(n) / eye(n, m) */
export function eye(n: number, m?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  if (typeof m === 'object') [m, options] = [undefined, m];
  return finish(factories.eye([n, m ?? n], factoryKwargs('eye', options)) as Tensor, options);
}

function like(fn: string, op: (typeof factories)['zeros']) {
  return (input: Tensor, options: TensorOptions = {}): Tensor =>
    finish(op([input], factoryKwargs(fn, options)) as Tensor, options);
}

export const zerosLike = like('zerosLike', factories.zerosLike);
export const onesLike = like('onesLike', factories.onesLike);
export const emptyLike = like('emptyLike', factories.emptyLike);
export const randLike = like('randLike', factories.randLike);
export const randnLike = like('randnLike', factories.randnLike);

export function fullLike(input: Tensor, fillValue: number | boolean, options: TensorOptions = {}): Tensor {
  return finish(factories.fullLike([input, fillValue], factoryKwargs('fullLike', options)) as Tensor, options);
}

/** torch.randint_like(input, high) / (input, low, high) */
export function randintLike(input: Tensor, lowOrHigh: number, high?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  if (typeof high === 'object') [high, options] = [undefined, high];
  const [low, hi] = high === undefined ? [0, lowOrHigh] : [lowOrHigh, high];
  return finish(factories.randintLike([input, low, hi], factoryKwargs('randintLike', options)) as Tensor, options);
}

export interface FromBufferOptions {
  /** element type of the buffer's bytes (required, as in PyTorch) */
  dtype: DTypeLike;
  /** elements to read; -1 (default) reads to the end of the buffer */
  count?: number;
  /** bytes to skip at the start of the buffer */
  offset?: number;
  requiresGrad?: boolean;
}

const FROM_BUFFER_KEYS = keysOf<FromBufferOptions>()('dtype', 'count', 'offset', 'requiresGrad');

/**
 * torch.frombuffer: a 1-D tensor over the buffer's memory, without a copy — writes through either are
 * seen by both. The tensor keeps the buffer alive. As with NumPy/PyTorch buffers, do not transfer
 * (detach) the ArrayBuffer to another thread while the tensor lives; SharedArrayBuffers are fine.
 */
export function frombuffer(buffer: ArrayBufferLike | ArrayBufferView, options: FromBufferOptions): Tensor {
  checkKeywords('frombuffer', options, FROM_BUFFER_KEYS);
  const dtype = toDType(options.dtype);
  const base = ArrayBuffer.isView(buffer) ? buffer.byteOffset : 0;
  const total = buffer.byteLength;
  const offset = options.offset ?? 0;
  const count = options.count ?? -1;
  if (!Number.isInteger(offset) || offset < 0 || offset > total) {
    throw new TorchError(`offset (${offset} bytes) must be non-negative and no greater than buffer length (${total} bytes) minus 1`);
  }
  const available = total - offset;
  if (count === -1 && available % dtype.itemsize !== 0) {
    throw new TorchError(`buffer length (${available} bytes) after offset (${offset} bytes) must be a multiple of element size (${dtype.itemsize})`);
  }
  const elements = count === -1 ? available / dtype.itemsize : count;
  if (!Number.isInteger(elements) || elements <= 0 || elements * dtype.itemsize > available) {
    throw new TorchError(`requested buffer length (${count} * ${dtype.itemsize} bytes) after offset (${offset} bytes) must not be greater than actual buffer length (${total} bytes)`);
  }
  const arrayBuffer = ArrayBuffer.isView(buffer) ? buffer.buffer : buffer;
  const window = new Uint8Array(arrayBuffer, base + offset, elements * dtype.itemsize);
  return finish(new Tensor(native.fromBuffer(window, [elements], dtype.code)), options);
}
