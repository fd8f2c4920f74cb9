// Tensor creation: torch.tensor, zeros/ones/full/empty/arange/linspace/eye, *Like, frombuffer.
import { TorchError, PyTypeError, ValueError, warn } from '../errors';
import { native } from '../native';
import { aten } from './aten';
import { DType, DTypeLike, toDType, dtypeOfTypedArray, typedArrayClassOf, typedArrayKind, getDefaultDtype } from './dtype';
import { int64, float64 } from './dtype';
import { Device, DeviceLike, toDevice } from './device';
import { defaultDevice } from './default-device';
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

/**
 * `fn`'s options in the native kwargs form (dtype code, device string); other keys are an error.
 * No device: torch.setDefaultDevice's, unless `fn` follows its input's device (the *Like ones).
 */
export function factoryKwargs(fn: string, opts: TensorOptions, fallbackDtype?: DType, useDefaultDevice = true): Record<string, unknown> {
  const device = opts.device ?? (useDefaultDevice ? defaultDevice() : undefined);
  checkKeywords(fn, opts, TENSOR_KEYS);
  const dtype = opts.dtype != null ? toDType(opts.dtype) : fallbackDtype;
  return {
    dtype: dtype?.code,
    device: device != null ? toDevice(device).toString() : undefined,
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
  const device = options.device ?? defaultDevice();
  if (device != null && toDevice(device).type !== t.device.type) t = t.to(device);
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
  const device = options.device != null ? toDevice(options.device) : defaultDevice();
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
 * both), its dtype the array's (Float32Array -> float32, BigInt64Array -> int64, ...). A CPU tensor
 * is what torch.load gives for a pickled NumPy array, so it stands for one: the result shares its
 * memory (and strides), as Python's from_numpy(data[3:, :-1]) shares the array's.
 */
export function fromNumpy(array: ArrayBufferView | Tensor): Tensor {
  if (array instanceof Tensor && array.device.type === 'cpu') return array.detach();
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
    finish(op([input], factoryKwargs(fn, options, undefined, false)) as Tensor, options);
}

export const zerosLike = like('zerosLike', factories.zerosLike);
export const onesLike = like('onesLike', factories.onesLike);
export const emptyLike = like('emptyLike', factories.emptyLike);
export const randLike = like('randLike', factories.randLike);
export const randnLike = like('randnLike', factories.randnLike);

export function fullLike(input: Tensor, fillValue: number | boolean, options: TensorOptions = {}): Tensor {
  return finish(factories.fullLike([input, fillValue], factoryKwargs('fullLike', options, undefined, false)) as Tensor, options);
}

/** torch.randint_like(input, high) / (input, low, high) */
export function randintLike(input: Tensor, lowOrHigh: number, high?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  if (typeof high === 'object') [high, options] = [undefined, high];
  const [low, hi] = high === undefined ? [0, lowOrHigh] : [lowOrHigh, high];
  return finish(factories.randintLike([input, low, hi], factoryKwargs('randintLike', options, undefined, false)) as Tensor, options);
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

// ---- normal, logspace, tril/triu indices, scalar_tensor, empty_strided, windows, asarray ----------

const moreFactories = {
  normalTT: aten('normal', 'Tensor_Tensor'),
  normalTF: aten('normal', 'Tensor_float'),
  normalFT: aten('normal', 'float_Tensor'),
  normalFF: aten('normal', 'float_float'),
  normalTTOut: aten('normal', 'Tensor_Tensor_out'),
  normalTFOut: aten('normal', 'Tensor_float_out'),
  normalFTOut: aten('normal', 'float_Tensor_out'),
  normalFFOut: aten('normal', 'float_float_out'),
  logspace: aten('logspace', ''),
  logspaceOut: aten('logspace', 'out'),
  trilIndices: aten('tril_indices', ''),
  triuIndices: aten('triu_indices', ''),
  scalarTensor: aten('scalar_tensor', ''),
  emptyStrided: aten('empty_strided', ''),
  hann: aten('hann_window', 'periodic'),
  hamming: aten('hamming_window', 'periodic_alpha_beta'),
  blackman: aten('blackman_window', 'periodic'),
  bartlett: aten('bartlett_window', 'periodic'),
  kaiser: aten('kaiser_window', 'beta'),
};

/** An out= form of an op: the very tensor given comes back, as in Python (not a second handle on it). */
function into(op: (typeof moreFactories)['normalTTOut'], args: unknown[], kwargs: Record<string, unknown>, out: Tensor): Tensor {
  (op(args, { ...kwargs, out }) as Tensor).dispose();
  return out;
}

/** torch.normal's arguments: mean and std (tensors or numbers), size for two numbers, the factory keywords. */
export interface NormalArgs extends RandomOptions, SizeOption {
  mean: Tensor | number;
  std?: Tensor | number;
  out?: Tensor;
}
const NORMAL = signature<NormalArgs>()(['mean'], ['std', 'size'], ['generator', 'out', 'dtype', 'device', 'requiresGrad']);

const NORMAL_OVERLOADS =
  ', but expected one of:\n' +
  ' * (Tensor mean, Tensor std, *, torch.Generator generator, Tensor out)\n' +
  ' * (Tensor mean, float std, *, torch.Generator generator, Tensor out)\n' +
  ' * (float mean, Tensor std, *, torch.Generator generator, Tensor out)\n' +
  ' * (float mean, float std, tuple of ints size, *, torch.Generator generator, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n';

/** Python's name of an argument's type in "invalid combination of arguments" errors. */
function pyTypeName(v: unknown): string {
  if (v instanceof Tensor) return 'Tensor';
  if (v instanceof Generator) return 'torch.Generator';
  if (v instanceof DType) return 'torch.dtype';
  if (v instanceof Device) return 'torch.device';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  return (v as object).constructor?.name ?? 'object';
}

/**
 * torch.normal(mean, std): one draw per element from N(mean, std), mean and std tensors (broadcast)
 * or a tensor and a number; normal(mean, std, size) for two numbers, with dtype/device/requiresGrad.
 * { generator, out } for all. The same draws as PyTorch after the same manualSeed; gradients of
 * mean and std are zero, as in PyTorch.
 */
export function normal(...args: ArgsOf<typeof NORMAL>): Tensor {
  const bound = NORMAL.bind('normal', args);
  const { mean, std, size, generator: given, out, ...opts } = bound;
  // a worker thread's own generator is a CPU one: draws on another device use that device's default
  const onDevice = mean instanceof Tensor ? mean.device : std instanceof Tensor ? std.device : opts.device != null ? toDevice(opts.device) : undefined;
  const generator = given ?? (onDevice === undefined || onDevice.type === 'cpu' ? implicitGenerator() : undefined);
  const factoryKeys = opts.dtype != null || opts.device != null || opts.requiresGrad !== undefined;
  const random = generator ? { generator } : {};
  const meanT = mean instanceof Tensor, stdT = std instanceof Tensor;
  const isNum = (v: unknown): v is number => typeof v === 'number';
  if (meanT && size === undefined && !factoryKeys && (stdT || std === undefined || isNum(std))) {
    if (stdT) return out ? into(moreFactories.normalTTOut, [mean, std], random, out) : (moreFactories.normalTT([mean, std], random) as Tensor);
    const s = std ?? 1;
    return out ? into(moreFactories.normalTFOut, [mean, s], random, out) : (moreFactories.normalTF([mean, s], random) as Tensor);
  }
  if (isNum(mean) && stdT && size === undefined && !factoryKeys) {
    return out ? into(moreFactories.normalFTOut, [mean, std], random, out) : (moreFactories.normalFT([mean, std], random) as Tensor);
  }
  if (isNum(mean) && isNum(std) && Array.isArray(size)) {
    if (out) {
      const dtype = opts.dtype != null ? toDType(opts.dtype) : out.dtype;
      if (dtype !== out.dtype) throw new TorchError(`dtype ${scalarTypeName(dtype)} does not match dtype of out parameter (${scalarTypeName(out.dtype)})`);
      return finish(into(moreFactories.normalFFOut, [mean, std, size], random, out), opts);
    }
    return finish(moreFactories.normalFF([mean, std, size], { ...random, ...factoryKwargs('normal', opts) }) as Tensor, opts);
  }
  // Python's TypeError for a combination no overload takes: the positional types, then the keywords
  const positional = [mean, std, size].filter((v) => v !== undefined).map(pyTypeName);
  const keywords = Object.entries({ generator: given, out, ...opts }).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${pyTypeName(v)}`);
  throw new PyTypeError(`normal() received an invalid combination of arguments - got (${[...positional, ...keywords].join(', ')})${NORMAL_OVERLOADS}`);
}

type LogspaceArgs = { start: number; end: number; steps: number; base?: number; out?: Tensor } & TensorOptions;
const LOGSPACE = signature<LogspaceArgs>()(['start', 'end', 'steps'], ['base'], TENSOR_KEYS, ['out']);

/** torch.logspace(start, end, steps, base=10.0): steps points from base**start to base**end. */
export function logspace(...args: ArgsOf<typeof LOGSPACE>): Tensor {
  const { start, end, steps, base = 10, out, ...options } = LOGSPACE.bind('logspace', args);
  if (out) return into(moreFactories.logspaceOut, [start, end, steps, base], {}, out);
  return finish(moreFactories.logspace([start, end, steps, base], factoryKwargs('logspace', options)) as Tensor, options);
}

type IndicesArgs = { row: number; col: number; offset?: number } & TensorOptions;
const TRIL_INDICES = signature<IndicesArgs>()(['row', 'col'], ['offset'], TENSOR_KEYS);

/** torch.tril_indices(row, col, offset=0, { dtype: torch.long }): the 2 x N coordinates of the lower triangle. */
export function trilIndices(...args: ArgsOf<typeof TRIL_INDICES>): Tensor {
  const { row, col, offset = 0, ...options } = TRIL_INDICES.bind('trilIndices', args);
  return finish(moreFactories.trilIndices([row, col, offset], factoryKwargs('trilIndices', options)) as Tensor, options);
}

/** torch.triu_indices(row, col, offset=0, { dtype: torch.long }): the 2 x N coordinates of the upper triangle. */
export function triuIndices(...args: ArgsOf<typeof TRIL_INDICES>): Tensor {
  const { row, col, offset = 0, ...options } = TRIL_INDICES.bind('triuIndices', args);
  return finish(moreFactories.triuIndices([row, col, offset], factoryKwargs('triuIndices', options)) as Tensor, options);
}

/** torch.scalar_tensor(s): a 0-dim tensor of the default dtype (float32) unless dtype is given. */
export function scalarTensor(s: number | boolean, options: TensorOptions = {}): Tensor {
  return finish(moreFactories.scalarTensor([s], factoryKwargs('scalarTensor', options)) as Tensor, options);
}

/** torch.empty_strided(size, stride): uninitialised memory with the given strides. */
export function emptyStrided(size: number[], stride: number[], options: TensorOptions = {}): Tensor {
  return finish(moreFactories.emptyStrided([size, stride], factoryKwargs('emptyStrided', options)) as Tensor, options);
}

type WindowArgs = { windowLength: number; periodic?: boolean } & TensorOptions;
const WINDOW = signature<WindowArgs>()(['windowLength'], ['periodic'], TENSOR_KEYS);
type HammingArgs = WindowArgs & { alpha?: number; beta?: number };
const HAMMING = signature<HammingArgs>()(['windowLength'], ['periodic', 'alpha', 'beta'], TENSOR_KEYS);
type KaiserArgs = WindowArgs & { beta?: number };
const KAISER = signature<KaiserArgs>()(['windowLength'], ['periodic', 'beta'], TENSOR_KEYS);

function windowFn(fn: string, op: (typeof moreFactories)['hann']) {
  return (...args: ArgsOf<typeof WINDOW>): Tensor => {
    const { windowLength, periodic = true, ...options } = WINDOW.bind(fn, args);
    return finish(op([windowLength, periodic], factoryKwargs(fn, options)) as Tensor, options);
  };
}

/** torch.hann_window(window_length, periodic=True) */
export const hannWindow = windowFn('hannWindow', moreFactories.hann);
/** torch.blackman_window(window_length, periodic=True) */
export const blackmanWindow = windowFn('blackmanWindow', moreFactories.blackman);
/** torch.bartlett_window(window_length, periodic=True) */
export const bartlettWindow = windowFn('bartlettWindow', moreFactories.bartlett);

/** torch.hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46) */
export function hammingWindow(...args: ArgsOf<typeof HAMMING>): Tensor {
  const { windowLength, periodic = true, alpha = 0.54, beta = 0.46, ...options } = HAMMING.bind('hammingWindow', args);
  return finish(moreFactories.hamming([windowLength, periodic, alpha, beta], factoryKwargs('hammingWindow', options)) as Tensor, options);
}

/** torch.kaiser_window(window_length, periodic=True, beta=12.0) */
export function kaiserWindow(...args: ArgsOf<typeof KAISER>): Tensor {
  const { windowLength, periodic = true, beta = 12, ...options } = KAISER.bind('kaiserWindow', args);
  return finish(moreFactories.kaiser([windowLength, periodic, beta], factoryKwargs('kaiserWindow', options)) as Tensor, options);
}

/** torch.asarray's keywords: copy (null: only when needed; true: always; false: never, else a ValueError). */
export interface AsarrayOptions extends TensorOptions {
  copy?: boolean | null;
}
const ASARRAY_KEYS = keysOf<AsarrayOptions>()('dtype', 'device', 'requiresGrad', 'copy');

/**
 * torch.asarray(obj, { dtype, device, copy, requiresGrad }): asTensor with Python's keywords. A tensor
 * or TypedArray is shared when dtype and device allow (copy: true copies always, copy: false raises
 * instead of copying); other data (arrays, numbers) is copied. As in Python, requiresGrad (false by
 * default) is set on a shared tensor itself.
 */
export function asarray(obj: TensorData | bigint | ArrayBufferView, options: AsarrayOptions = {}): Tensor {
  checkKeywords('asarray', options, ASARRAY_KEYS);
  const { copy = null, requiresGrad = false, ...to } = options;
  let t: Tensor;
  if (copy === true) {
    if (obj instanceof Tensor || isTypedArray(obj)) {
      const source = obj instanceof Tensor ? obj : asTensor(obj);
      t = source.to({ dtype: to.dtype ?? source.dtype, device: to.device ?? source.device, copy: true });
    } else {
      t = tensor(obj, to); // a new tensor already
    }
  } else {
    if (copy === false) {
      if (obj instanceof Tensor) {
        const dtype = to.dtype != null ? toDType(to.dtype) : obj.dtype;
        if (dtype !== obj.dtype) throw new ValueError(`can't alias tensor with dtype '${scalarTypeName(obj.dtype)}' into dtype '${scalarTypeName(dtype)}'.`);
        const device = to.device != null ? toDevice(to.device) : obj.device;
        if (device.toString() !== obj.device.toString()) throw new ValueError(`can't alias tensor from device '${obj.device}' to '${device}'.`);
      } else if (!isTypedArray(obj)) {
        throw new ValueError(typeof obj === 'object' ? "can't alias arbitrary sequence into a tensor." : "can't alias scalar into a tensor.");
      }
    }
    t = asTensor(obj, to);
  }
  // as Python's: a leaf (the tensor given itself, when shared) gets the flag; a result carrying
  // autograd history it should not have is detached
  if (t.requiresGrad !== requiresGrad) t = t.isLeaf ? t.requiresGrad_(requiresGrad) : t.detach();
  return t;
}

/** ATen's ScalarType name (Float, Double, Long, ...) as PyTorch's messages print it. */
function scalarTypeName(d: DType): string {
  const names: Record<string, string> = {
    float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int64: 'Long', int32: 'Int',
    int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool', complex64: 'ComplexFloat', complex128: 'ComplexDouble',
  };
  return names[d.name] ?? d.name;
}
