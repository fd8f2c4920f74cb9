// The Tensor class: a thin JS object over one native handle. Ops beyond the core set come from
// the generated op surface (issue: all ATen ops); this file keeps properties, data access,
// conversions, autograd entry points and lifetime.
import { TorchError } from '../errors';
import { checkKeywords, given, isOptions, parse } from '../keywords';
import { native, Handle } from '../native';
import { track, Disposable } from '../memory/scope';
import { aten, setHandleWrapper, Op } from './aten';
import { DType, DTypeLike, dtypeFromCode, toDType, TypedArray, float32, float64, float16, bfloat16 } from './dtype';
import { int64, int32, int16, int8, uint8, bool } from './dtype';
import { Device, DeviceLike, deviceFromString, toDevice, isDeviceString } from './device';
import { Layout, layoutFromCode, sparseCoo, strided } from './layout';
import { formatTensor } from './format';
import { norm as normOf, NormOptions } from './norm';
import { typeName, parseTypeName } from './type-names';
import { indexGet, indexSet, IndexItem } from './indexing';
import { GradFn, gradFnOf } from '../autograd/grad-fn';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export interface BackwardOptions {
  /** keep the graph for another backward; defaults to createGraph */
  retainGraph?: boolean;
  /** record the backward pass itself, for higher-order gradients */
  createGraph?: boolean;
  /** accumulate into these tensors' .grad only (all leaves when left out) */
  inputs?: Tensor | Tensor[];
}

export interface ToOptions {
  dtype?: DTypeLike | null;
  device?: DeviceLike | null;
  nonBlocking?: boolean;
  copy?: boolean;
  /** torch.channelsLast etc.; preserve_format by default */
  memoryFormat?: number;
}

/** Tensor.gradFn: a node of the autograd graph (torch.autograd.graph.Node). */
export type { GradFn };

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;
export type NestedList = number | boolean | NestedList[];

const ops = {
  sum: aten('sum', ''),
  sumDim: aten('sum', 'dim_IntList'),
  mean: aten('mean', ''),
  meanDim: aten('mean', 'dim'),
  view: aten('view', ''),
  viewDtype: aten('view', 'dtype'),
  numpyT: aten('numpy_T', ''),
  mT: aten('mT', ''),
  matrixH: aten('matrix_H', ''),
  mH: aten('mH', ''),
  reshape: aten('reshape', ''),
  clone: aten('clone', ''),
  contiguous: aten('contiguous', ''),
  detach: aten('detach', ''),
  argmax: aten('argmax', ''),
  eq: aten('eq', 'Tensor'),
  eqScalar: aten('eq', 'Scalar'),
  transpose: aten('transpose', 'int'),
  flatten: aten('flatten', 'using_ints'),
  squeezeDim: aten('squeeze', 'dim'),
  unsqueeze: aten('unsqueeze', ''),
  permute: aten('permute', ''),
  pow: aten('pow', 'Tensor_Scalar'),
  powTensor: aten('pow', 'Tensor_Tensor'),
  softmax: aten('softmax', 'int'),
  logSoftmax: aten('log_softmax', 'int'),
  zero_: aten('zero_', ''),
  fill_: aten('fill_', 'Scalar'),
  fillTensor_: aten('fill_', 'Tensor'),
  _nnz: aten('_nnz', ''),
  _indices: aten('_indices', ''),
  _values: aten('_values', ''),
  copy_: aten('copy_', ''),
  select: aten('select', 'int'),
  narrow: aten('narrow', ''),
  abs: aten('abs', ''),
  divMode: aten('div', 'Tensor_mode'),
  divScalarMode: aten('div', 'Scalar_mode'),
  unbind: aten('unbind', 'int'),
  isConj: aten('is_conj', ''),
  isNeg: aten('is_neg', ''),
  setData: aten('set_data', ''),
  real: aten('real', ''),
  imag: aten('imag', ''),
  unique2: aten('_unique2', ''),
  uniqueDim: aten('unique_dim', ''),
  uniqueConsecutive: aten('unique_consecutive', ''),
};

// The options the hand-written methods take: any other key is a TorchError, as Python's TypeError.
const ALPHA = ['alpha'];
const ROUNDING_MODE = ['roundingMode'];
const DIM_KEEPDIM = ['dim', 'keepdim'];
const DIM_DTYPE = ['dim', 'dtype'];
const MEMORY_FORMAT = ['memoryFormat'];
const NON_BLOCKING = ['nonBlocking'];
const ACCUMULATE = ['accumulate'];
const DTYPE = ['dtype'];
const DIM = ['dim'];
const FLATTEN_ARGS = ['startDim', 'endDim'];

export interface ReduceOptions {
  dim?: number | number[] | null;
  keepdim?: boolean;
  dtype?: DTypeLike;
}

/** sum and mean: sum(dim, keepdim, *, dtype); over every element unless a dim (or keepdim) is given. */
function reduce(self: Tensor, name: string, all: Op, byDim: Op, args: unknown[]): Tensor {
  const o = parse<ReduceOptions>(name, given(args), DIM_KEEPDIM, DTYPE);
  const dtype = o.dtype != null ? toDType(o.dtype) : undefined;
  if (o.dim === undefined && !o.keepdim) return all([self], { dtype }) as Tensor;
  return byDim([self, o.dim ?? null, o.keepdim ?? false], { dtype }) as Tensor;
}

/** softmax and logSoftmax: (dim, dtype), positionally or as options. */
function softmaxLike(self: Tensor, name: string, op: Op, args: unknown[]): Tensor {
  const o = parse<{ dim?: number; dtype?: DTypeLike }>(name, given(args), DIM_DTYPE);
  if (o.dim === undefined) throw new TorchError(`${name}() missing required argument 'dim'`);
  return op([self, o.dim], o.dtype == null ? undefined : { dtype: toDType(o.dtype) }) as Tensor;
}

const BACKWARD_OPTIONS = ['retainGraph', 'createGraph', 'inputs'];
const TO_OPTIONS = ['dtype', 'device', 'nonBlocking', 'copy', 'memoryFormat'];

/** One engine pass from `roots`, each seeded by its gradient (null: ones for a scalar), as torch.autograd.backward. */
export function runBackward(roots: (Tensor | null)[], grads: (Tensor | null)[], options: BackwardOptions): void {
  checkKeywords('backward', options, BACKWARD_OPTIONS);
  let inputs: Handle[] | undefined;
  if (options.inputs !== undefined) {
    const list: unknown[] = options.inputs instanceof Tensor ? [options.inputs] : options.inputs;
    if (!Array.isArray(list) || !list.every(isTensor)) throw new TorchError("backward(): 'inputs' must be a Tensor or an array of Tensors");
    if (list.length === 0) throw new TorchError("'inputs' argument to backward() cannot be empty.");
    inputs = (list as Tensor[]).map((t) => t._h);
  }
  native.backward(roots.map((t) => t?._h ?? null) as Handle[], grads.map((t) => t?._h ?? null), options.retainGraph ?? null, options.createGraph ?? false, inputs);
}

/** x.real = v, x.imag = v: as Python, a tensor is copied into the view (broadcast), a number fills it. */
function assignInto(view: Tensor, value: Tensor | Scalar): void {
  if (value instanceof Tensor) view.copy_(value);
  else view.fill_(value);
}

function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/** unique's keyword arguments (Python's sorted, return_inverse, return_counts, dim). */
export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}
/** unique_consecutive's keyword arguments. */
export type UniqueConsecutiveOptions = Omit<UniqueOptions, 'sorted'>;
/** What unique returns: the values, then the inverse indices and/or counts when asked for (Python's tuple). */
export type UniqueResult = Tensor | [Tensor, Tensor] | [Tensor, Tensor, Tensor];
const UNIQUE = ['sorted', 'returnInverse', 'returnCounts', 'dim'];
const UNIQUE_CONSECUTIVE = ['returnInverse', 'returnCounts', 'dim'];

/** Python's return shape: the output alone, or a tuple with the inverse and/or counts asked for. */
function uniqueResult(r: Tensor[], inverse: boolean, counts: boolean): UniqueResult {
  const [output, inverseIndices, countsOut] = r;
  // the (empty) tensors not asked for are freed now rather than at the next collection
  if (!inverse) inverseIndices.dispose();
  if (!counts) countsOut.dispose();
  if (inverse && counts) return [output, inverseIndices, countsOut];
  if (inverse) return [output, inverseIndices];
  if (counts) return [output, countsOut];
  return output;
}

/** Splits PyTorch's varargs shapes: f(2, 3) and f([2, 3]) are the same. */
export function shapeArgs(args: (number | number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as number[]);
}

function allNumbers(xs: unknown[]): boolean {
  for (const x of xs) if (typeof x !== 'number') return false;
  return true;
}

export class Tensor implements Disposable {
  /** @internal the native handle; never use it after dispose() */
  readonly _h: Handle;

  /** @internal use torch.tensor(), torch.zeros(), ... to make tensors */
  constructor(handle: Handle) {
    this._h = handle;
    track(this);
  }

  // ---- properties -------------------------------------------------------------------------
  get shape(): number[] {
    return native.shape(this._h);
  }
  /** Python's len(x): the size of the first dimension (a 0-d tensor has none). */
  get length(): number {
    const shape = native.shape(this._h);
    if (shape.length === 0) throw new TorchError('len() of a 0-d tensor');
    return shape[0];
  }
  /** for (const row of x), [...x], Array.from(x): the slices along dim 0, as iterating a tensor in Python. */
  [Symbol.iterator](): Iterator<Tensor> {
    if (this.dim() === 0) throw new TorchError('iteration over a 0-d tensor');
    return (ops.unbind([this, 0]) as Tensor[])[Symbol.iterator]();
  }
  /** size() is the shape; size(dim) one extent (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const s = native.shape(this._h);
    if (dim === undefined) return s;
    const d = dim < 0 ? dim + s.length : dim;
    if (d < 0 || d >= s.length) {
      throw new TorchError(`Dimension out of range (expected to be in range of [${-s.length}, ${s.length - 1}], but got ${dim})`);
    }
    return s[d];
  }
  stride(): number[] {
    return native.strides(this._h);
  }
  dim(): number {
    return native.dim(this._h);
  }
  get ndim(): number {
    return native.dim(this._h);
  }
  /** Python's x.ndimension(): dim(). */
  ndimension(): number {
    return native.dim(this._h);
  }
  /** Python's x.storage_offset(): the first element's offset in its storage, in elements. */
  storageOffset(): number {
    // sparse tensors have no storage of their own: Python's 0
    return native.layout(this._h) === strided.code ? native.storageInfo(this._h)[2] : 0;
  }
  /** Python's x.data_ptr(): the address of the first element (0 when empty), to tell whether two tensors share memory. */
  dataPtr(): number {
    return native.dataPtr(this._h);
  }
  /** Python's x.element_size(): bytes per element. */
  elementSize(): number {
    return this.dtype.itemsize;
  }
  numel(): number {
    return native.numel(this._h);
  }
  get dtype(): DType {
    return dtypeFromCode(native.dtype(this._h));
  }
  get device(): Device {
    return deviceFromString(native.device(this._h));
  }
  get isCuda(): boolean {
    return this.device.type === 'cuda';
  }
  /** Python's x.is_cpu */
  get isCpu(): boolean {
    return this.device.type === 'cpu';
  }
  /** Python's x.is_meta */
  get isMeta(): boolean {
    return this.device.type === 'meta';
  }
  /** Python's x.is_xpu, x.is_mps, x.is_ipu: scripts test them beside is_cuda (pytorch/examples' dcgan) */
  get isXpu(): boolean {
    return this.device.type === 'xpu';
  }
  get isMps(): boolean {
    return this.device.type === 'mps';
  }
  get isIpu(): boolean {
    return this.device.type === 'ipu';
  }
  /** Python's x.get_device(): the CUDA device index, -1 on the CPU (and meta). */
  getDevice(): number {
    const device = this.device;
    return device.type === 'cpu' ? -1 : device.index ?? (device.type === 'cuda' ? 0 : -1);
  }
  isContiguous(): boolean {
    return native.isContiguous(this._h);
  }
  /** Python's t.layout: torch.strided, or torch.sparseCoo for a sparse tensor. */
  get layout(): Layout {
    return layoutFromCode(native.layout(this._h));
  }
  /** Python's t.is_sparse: a sparse COO tensor (the compressed sparse layouts are not). */
  get isSparse(): boolean {
    return native.layout(this._h) === sparseCoo.code;
  }
  /** A sparse tensor's stored (index, value) pairs (Python's t._nnz()). */
  _nnz(): number {
    return ops._nnz([this]) as number;
  }
  /** A sparse tensor's indices as stored, uncoalesced too (Python's t._indices()). */
  _indices(): Tensor {
    return ops._indices([this]) as Tensor;
  }
  /** A sparse tensor's values as stored (Python's t._values()). */
  _values(): Tensor {
    return ops._values([this]) as Tensor;
  }
  isFloatingPoint(): boolean {
    return this.dtype.isFloatingPoint;
  }

  // ---- autograd ---------------------------------------------------------------------------
  get requiresGrad(): boolean {
    return native.requiresGrad(this._h);
  }
  set requiresGrad(on: boolean) {
    native.setRequiresGrad(this._h, on);
  }
  requiresGrad_(on = true): this {
    native.setRequiresGrad(this._h, on);
    return this;
  }
  get grad(): Tensor | null {
    const g = native.grad(this._h);
    return g === null ? null : new Tensor(g);
  }
  set grad(g: Tensor | null) {
    if (g !== null && !(g instanceof Tensor)) {
      throw new TorchError(`assigned grad expected to be a Tensor or None but got grad of type ${g === undefined ? 'undefined' : typeof g}`);
    }
    native.setGrad(this._h, g === null ? null : g._h);
  }
  get isLeaf(): boolean {
    return native.isLeaf(this._h);
  }
  /** Python's grad_fn: the graph node that made this tensor, null for leaves; the same object each time. */
  get gradFn(): GradFn | null {
    return gradFnOf(this._h);
  }
  retainGrad(): void {
    native.retainGrad(this._h);
  }
  /** Calls hook(grad) each time this tensor's gradient is computed; a returned tensor replaces it. */
  registerHook(hook: (grad: Tensor) => Tensor | null | undefined | void): { remove(): void } {
    const id = native.registerHook(this._h, (g) => {
      const r = hook(new Tensor(g));
      return r instanceof Tensor ? r._h : null;
    });
    let removed = false;
    return {
      remove: () => {
        if (!removed && !this.isDisposed) native.removeHook(this._h, id);
        removed = true;
      },
    };
  }
  /** Whether this tensor was made in inference mode. */
  isInference(): boolean {
    return native.isInference(this._h);
  }
  /** backward(gradient?, { retainGraph, createGraph, inputs }), or all by name: backward({ gradient }). */
  backward(gradient?: Tensor | null, options?: BackwardOptions): void;
  backward(options: BackwardOptions & { gradient?: Tensor | null }): void;
  backward(gradient?: Tensor | null | (BackwardOptions & { gradient?: Tensor | null }), options?: BackwardOptions): void {
    const { gradient: g = null, ...rest } = parse<BackwardOptions & { gradient?: unknown }>('backward', given([gradient, options]), ['gradient'], BACKWARD_OPTIONS);
    if (g !== null && !(g instanceof Tensor)) throw new TorchError(`backward(): argument 'gradient' must be a Tensor or null, not ${typeof g}`);
    runBackward([this], [g], rest);
  }
  /** A new tensor sharing storage, cut from the graph. */
  detach(): Tensor {
    return ops.detach([this]) as Tensor;
  }
  /** Python's `.data`: the same storage, outside autograd. */
  get data(): Tensor {
    return this.detach();
  }
  /** Python's `x.data = t`: x now holds t's data (shape, dtype and device included), outside autograd. */
  set data(value: Tensor) {
    if (!(value instanceof Tensor)) throw new TorchError(`Tensor.data must be a Tensor, not ${value === null ? 'null' : typeof value}`);
    ops.setData([this, value]);
  }
  /**
   * Number(x), x < 0, x + 1 with a one-element tensor: its value, as Python's float(x) and the
   * comparisons through bool(); String(x) and `${x}` are its repr. Number() of a larger tensor is
   * Python's error; 'text ' + x of one is still its repr, as JavaScript joins objects.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | boolean | string {
    if (hint === 'string') return this.toString();
    if (this.numel() === 1) return this.item<number | boolean>();
    if (hint === 'default') return this.toString();
    throw new TorchError('only one element tensors can be converted to Python scalars');
  }

  // ---- data out ---------------------------------------------------------------------------
  /**
   * The single value of a one-element tensor: a number (a boolean for bool tensors, [re, im] for
   * complex ones). Typed number, as it nearly always is (`total += loss.item()`, `a.add(t.item())`);
   * say `item<boolean>()` where it is a bool tensor's. Two overloads, so that a call without a type
   * argument is number whatever its context expects (a lone generic would infer T from it).
   */
  item(): number;
  item<T extends number | boolean | [number, number]>(): T;
  item(): number | boolean | [number, number] {
    return native.item(this._h);
  }
  /** A copy of the elements in row-major order: int64 -> BigInt64Array, float16 -> Uint16Array bits. */
  toTypedArray(): TypedArray {
    return native.toTypedArray(this._h) as TypedArray;
  }
  /**
   * Python's numpy(): a TypedArray over this tensor's own memory, no copy: writes through either are
   * seen by both, and the array keeps the memory alive. As in Python the tensor must be on the CPU and
   * outside autograd; it must also be contiguous, since a TypedArray has no strides.
   */
  numpy(): TypedArray {
    if (this.requiresGrad) throw new TorchError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    if (this.device.type !== 'cpu') {
      throw new TorchError(`can't convert ${this.device} device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.`);
    }
    if (ops.isConj([this]) || ops.isNeg([this])) throw new TorchError("Can't call numpy() on Tensor that has a conjugate or negative bit set. Use tensor.resolveConj().resolveNeg().numpy() instead.");
    if (!this.isContiguous()) throw new TorchError('numpy() shares memory with a contiguous tensor only (a TypedArray has no strides): use x.contiguous().numpy(), a copy');
    return native.sharedTypedArray(this._h) as TypedArray;
  }
  /** Nested arrays of numbers (booleans for bool tensors), as Python's tolist(). */
  tolist(): NestedList {
    const shape = this.shape;
    const flat = elementsOf(this);
    if (shape.length === 0) return flat[0];
    let pos = 0;
    const build = (d: number): NestedList[] => {
      const out: NestedList[] = new Array(shape[d]);
      for (let i = 0; i < shape[d]; i++) out[i] = d === shape.length - 1 ? flat[pos++] : build(d + 1);
      return out;
    };
    return build(0);
  }

  // ---- conversions ------------------------------------------------------------------------
  /** to(dtype) | to(device) | to(device, dtype) | to(other) | to({ dtype, device, nonBlocking, copy, memoryFormat }) */
  to(target: DTypeLike | DeviceLike | Tensor | ToOptions, dtypeOrOptions?: DTypeLike | ToOptions): Tensor {
    if (target instanceof DType && dtypeOrOptions === undefined) return new Tensor(native.toDtypeFast(this._h, target.code));
    let dtype: DType | null = null;
    let dev: Device | null = null;
    let opts: ToOptions = {};
    if (isTensor(target)) {
      dtype = target.dtype;
      dev = target.device;
    } else if (target instanceof DType) {
      dtype = target;
    } else if (target instanceof Device) {
      dev = target;
    } else if (typeof target === 'string') {
      if (isDeviceString(target)) dev = toDevice(target);
      else dtype = toDType(target as DTypeLike);
    } else {
      opts = target;
    }
    if (dtypeOrOptions instanceof DType || typeof dtypeOrOptions === 'string') dtype = toDType(dtypeOrOptions);
    else if (dtypeOrOptions) opts = { ...opts, ...dtypeOrOptions };
    checkKeywords('to', opts, TO_OPTIONS);
    if (opts.dtype != null) dtype = toDType(opts.dtype);
    if (opts.device != null) dev = toDevice(opts.device);
    const format = opts.memoryFormat === undefined ? null : opts.memoryFormat;
    const h = native.to(this._h, dtype ? dtype.code : null, dev ? dev.toString() : null, opts.nonBlocking ?? false, opts.copy ?? false, format);
    return new Tensor(h);
  }
  cpu(): Tensor {
    return this.to('cpu');
  }
  cuda(deviceIndex?: number): Tensor {
    return this.to(deviceIndex === undefined ? 'cuda' : `cuda:${deviceIndex}`);
  }
  float(): Tensor {
    return this.to(float32);
  }
  double(): Tensor {
    return this.to(float64);
  }
  half(): Tensor {
    return this.to(float16);
  }
  bfloat16(): Tensor {
    return this.to(bfloat16);
  }
  long(): Tensor {
    return this.to(int64);
  }
  int(): Tensor {
    return this.to(int32);
  }
  short(): Tensor {
    return this.to(int16);
  }
  char(): Tensor {
    return this.to(int8);
  }
  byte(): Tensor {
    return this.to(uint8);
  }
  bool(): Tensor {
    return this.to(bool);
  }
  /** x.type(): the legacy type name ('torch.FloatTensor'); x.type(dtype or type name): a cast (and move, for a name). */
  type(): string;
  type(dtype: DTypeLike | string): Tensor;
  type(dtype?: DTypeLike | string): Tensor | string {
    if (dtype === undefined) return typeName(this.dtype, this.device.type);
    const named = typeof dtype === 'string' ? parseTypeName(dtype) : null;
    if (named) return this.to({ dtype: named.dtype, device: named.deviceType === this.device.type ? undefined : named.deviceType });
    return this.to(toDType(dtype));
  }
  /** Python's x.real: the real parts of a complex tensor as a view (the tensor itself when real); assigning copies into them. */
  get real(): Tensor {
    return ops.real([this]) as Tensor;
  }
  set real(value: Tensor | Scalar) {
    assignInto(this.real, value);
  }
  /** Python's x.imag: the imaginary parts of a complex tensor as a view (an error for real dtypes); assigning copies into them. */
  get imag(): Tensor {
    return ops.imag([this]) as Tensor;
  }
  set imag(value: Tensor | Scalar) {
    assignInto(this.imag, value);
  }
  /** Python's x.T: the dims reversed (PyTorch warns beyond 2-D). */
  get T(): Tensor {
    return ops.numpyT([this]) as Tensor;
  }
  /** Python's x.mT: the last two dims swapped (a batch of matrices transposed). */
  get mT(): Tensor {
    return ops.mT([this]) as Tensor;
  }
  /** Python's x.H: the conjugate transpose of a matrix. */
  get H(): Tensor {
    return ops.matrixH([this]) as Tensor;
  }
  /** Python's x.mH: the conjugate transpose of a batch of matrices. */
  get mH(): Tensor {
    return ops.mH([this]) as Tensor;
  }
  /** clone({ memoryFormat }): preserve_format by default, as PyTorch's. */
  clone(options?: { memoryFormat?: number }): Tensor {
    checkKeywords('clone', options, MEMORY_FORMAT);
    return ops.clone([this], options?.memoryFormat === undefined ? undefined : { memoryFormat: options.memoryFormat }) as Tensor;
  }
  /** contiguous({ memoryFormat: torch.channelsLast }) lays the data out NHWC, as PyTorch's. */
  contiguous(options?: { memoryFormat?: number }): Tensor {
    checkKeywords('contiguous', options, MEMORY_FORMAT);
    return ops.contiguous([this], options?.memoryFormat === undefined ? undefined : { memoryFormat: options.memoryFormat }) as Tensor;
  }

  // ---- core ops (fast path); the full op surface is generated ----------------------------------
  add(other: TensorOrScalar, options?: { alpha?: number }): Tensor {
    if (options !== undefined) checkKeywords('add', options, ALPHA);
    return new Tensor(native.addFast(this._h, isTensor(other) ? other._h : other, options?.alpha));
  }
  sub(other: TensorOrScalar, options?: { alpha?: number }): Tensor {
    if (options !== undefined) checkKeywords('sub', options, ALPHA);
    return new Tensor(native.subFast(this._h, isTensor(other) ? other._h : other, options?.alpha));
  }
  mul(other: TensorOrScalar): Tensor {
    return new Tensor(native.mulFast(this._h, isTensor(other) ? other._h : other));
  }
  /** x / other; {roundingMode: 'trunc' | 'floor'} rounds the quotient as PyTorch's div does. */
  div(other: TensorOrScalar, options?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor {
    if (options !== undefined) checkKeywords('div', options, ROUNDING_MODE);
    if (options?.roundingMode) {
      return (isTensor(other) ? ops.divMode([this, other], options) : ops.divScalarMode([this, other], options)) as Tensor;
    }
    return new Tensor(native.divFast(this._h, isTensor(other) ? other._h : other));
  }
  matmul(other: Tensor): Tensor {
    return new Tensor(native.matmulFast(this._h, other._h));
  }
  mm(other: Tensor): Tensor {
    return new Tensor(native.mmFast(this._h, other._h));
  }
  relu(): Tensor {
    return new Tensor(native.reluFast(this._h));
  }
  neg(): Tensor {
    return new Tensor(native.negFast(this._h));
  }
  exp(): Tensor {
    return new Tensor(native.expFast(this._h));
  }
  log(): Tensor {
    return new Tensor(native.logFast(this._h));
  }
  tanh(): Tensor {
    return new Tensor(native.tanhFast(this._h));
  }
  sigmoid(): Tensor {
    return new Tensor(native.sigmoidFast(this._h));
  }
  sqrt(): Tensor {
    return new Tensor(native.sqrtFast(this._h));
  }
  abs(): Tensor {
    return new Tensor(native.absFast(this._h));
  }
  pow(exponent: TensorOrScalar): Tensor {
    return (isTensor(exponent) ? ops.powTensor([this, exponent]) : ops.pow([this, exponent])) as Tensor;
  }
  /** x.sum(dim?, { keepdim, dtype }); Python's x.sum(dim=1) is x.sum({ dim: 1 }), x.sum(dtype=...) x.sum({ dtype }). */
  sum(dim?: number | number[] | null | ReduceOptions, options?: ReduceOptions): Tensor {
    return reduce(this, 'sum', ops.sum, ops.sumDim, [dim, options]);
  }
  /** x.mean(dim?, { keepdim, dtype }), or all in the options object. */
  mean(dim?: number | number[] | null | ReduceOptions, options?: ReduceOptions): Tensor {
    return reduce(this, 'mean', ops.mean, ops.meanDim, [dim, options]);
  }
  /** x.argmax(dim?, { keepdim }), or x.argmax({ dim, keepdim }). */
  argmax(dim?: number | null | { dim?: number | null; keepdim?: boolean }, options?: { keepdim?: boolean }): Tensor {
    const o = parse<{ dim?: number | null; keepdim?: boolean }>('argmax', given([dim, options]), DIM_KEEPDIM);
    return ops.argmax([this, o.dim ?? null, o.keepdim ?? false]) as Tensor;
  }
  /**
   * Python's x.unique(sorted=True, return_inverse=False, return_counts=False, dim=None): the unique
   * values, and as Python's tuple the inverse indices and/or counts when asked for.
   */
  unique(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(options: UniqueOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
  unique(options: UniqueOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): [Tensor, Tensor];
  unique(sorted?: boolean | UniqueOptions, returnInverse?: boolean | UniqueOptions, returnCounts?: boolean | UniqueOptions, dim?: number | null | UniqueOptions, options?: UniqueOptions): UniqueResult;
  unique(...args: unknown[]): UniqueResult {
    const { sorted = true, returnInverse = false, returnCounts = false, dim = null } = parse<UniqueOptions>('unique', given(args), UNIQUE);
    const r =
      dim === null
        ? ops.unique2([this, sorted, returnInverse, returnCounts])
        : ops.uniqueDim([this, dim, sorted, returnInverse, returnCounts]);
    return uniqueResult(r as Tensor[], returnInverse, returnCounts);
  }
  /** Python's x.unique_consecutive(return_inverse=False, return_counts=False, dim=None): runs of equal values collapsed. */
  uniqueConsecutive(options?: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  uniqueConsecutive(options: UniqueConsecutiveOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
  uniqueConsecutive(options: UniqueConsecutiveOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): [Tensor, Tensor];
  uniqueConsecutive(returnInverse?: boolean | UniqueConsecutiveOptions, returnCounts?: boolean | UniqueConsecutiveOptions, dim?: number | null | UniqueConsecutiveOptions, options?: UniqueConsecutiveOptions): UniqueResult;
  uniqueConsecutive(...args: unknown[]): UniqueResult {
    const { returnInverse = false, returnCounts = false, dim = null } = parse<UniqueConsecutiveOptions>('uniqueConsecutive', given(args), UNIQUE_CONSECUTIVE);
    const r = ops.uniqueConsecutive([this, returnInverse, returnCounts, dim]);
    return uniqueResult(r as Tensor[], returnInverse, returnCounts);
  }
  /** x.norm(p='fro', dim, keepdim, { dtype }) with Python's signature (any of them by name). */
  norm(p?: number | 'fro' | 'nuc' | null | NormOptions, dim?: number | number[] | null | NormOptions, keepdim?: boolean | NormOptions, options?: NormOptions): Tensor {
    return normOf(this, [p, dim, keepdim, options]);
  }
  /** Python's nelement(): numel(). */
  nelement(): number {
    return this.numel();
  }
  eq(other: TensorOrScalar): Tensor {
    return (isTensor(other) ? ops.eq([this, other]) : ops.eqScalar([this, other])) as Tensor;
  }
  // Views and shape changes take ops_fast.cc's direct bindings when every argument is a plain
  // number, the boxed path (0-dim tensors, BigInts, its argument errors) otherwise.
  /** view(...shape), or view(dtype): the same bytes read as another dtype, as PyTorch's. */
  view(dtype: DType): Tensor;
  view(...shape: (number | number[])[]): Tensor;
  view(...shape: (number | number[] | DType)[]): Tensor {
    if (shape.length === 1 && shape[0] instanceof DType) return ops.viewDtype([this, shape[0]]) as Tensor;
    const size = shapeArgs(shape as (number | number[])[]);
    return allNumbers(size) ? new Tensor(native.viewFast(this._h, size)) : (ops.view([this, size]) as Tensor);
  }
  reshape(...shape: (number | number[])[]): Tensor {
    const size = shapeArgs(shape);
    return allNumbers(size) ? new Tensor(native.reshapeFast(this._h, size)) : (ops.reshape([this, size]) as Tensor);
  }
  /** flatten(startDim = 0, endDim = -1), positionally or as { startDim, endDim }. */
  flatten(startDim: number | { startDim?: number; endDim?: number } = 0, endDim = -1): Tensor {
    if (isOptions(startDim)) ({ startDim = 0, endDim = -1 } = parse<{ startDim?: number; endDim?: number }>('flatten', [startDim], FLATTEN_ARGS));
    return typeof startDim === 'number' && typeof endDim === 'number'
      ? new Tensor(native.flattenFast(this._h, startDim, endDim))
      : (ops.flatten([this, startDim, endDim]) as Tensor);
  }
  squeeze(dim?: number | { dim?: number }): Tensor {
    if (isOptions(dim)) dim = parse<{ dim?: number }>('squeeze', [dim], DIM).dim;
    if (dim === undefined || typeof dim === 'number') return new Tensor(native.squeezeFast(this._h, dim));
    return ops.squeezeDim([this, dim]) as Tensor;
  }
  unsqueeze(dim: number | { dim: number }): Tensor {
    if (isOptions(dim)) dim = parse<{ dim: number }>('unsqueeze', [dim], DIM).dim;
    return typeof dim === 'number' ? new Tensor(native.unsqueezeFast(this._h, dim)) : (ops.unsqueeze([this, dim]) as Tensor);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return typeof dim0 === 'number' && typeof dim1 === 'number'
      ? new Tensor(native.transposeFast(this._h, dim0, dim1))
      : (ops.transpose([this, dim0, dim1]) as Tensor);
  }
  t(): Tensor {
    return new Tensor(native.tFast(this._h));
  }
  permute(...dims: (number | number[])[]): Tensor {
    const order = shapeArgs(dims);
    return allNumbers(order) ? new Tensor(native.permuteFast(this._h, order)) : (ops.permute([this, order]) as Tensor);
  }
  select(dim: number, index: number): Tensor {
    return typeof dim === 'number' && typeof index === 'number'
      ? new Tensor(native.selectFast(this._h, dim, index))
      : (ops.select([this, dim, index]) as Tensor);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return typeof dim === 'number' && typeof start === 'number' && typeof length === 'number'
      ? new Tensor(native.narrowFast(this._h, dim, start, length))
      : (ops.narrow([this, dim, start, length]) as Tensor);
  }
  /** Python's x[i, j, ...]: integers, ':' / 'a:b:c' / torch.slice, null, '...', booleans, tensors, arrays. */
  index(...indices: IndexItem[]): Tensor {
    return indexGet(this, indices) as Tensor;
  }
  /** Python's x[indices] = value (value broadcast); indices is the list of items, or one item. */
  indexPut_(indices: IndexItem | IndexItem[], value: Tensor | Scalar, options?: { accumulate?: boolean } | boolean): this {
    if (typeof options === 'object') checkKeywords('indexPut_', options, ACCUMULATE);
    indexSet(this, indices, value, typeof options === 'boolean' ? options : options?.accumulate ?? false);
    return this;
  }
  /** softmax(dim, { dtype }) or softmax({ dim, dtype }): the input is cast to dtype first, as PyTorch's. */
  softmax(dim: number | { dim: number; dtype?: DTypeLike }, options?: { dtype?: DTypeLike }): Tensor {
    return softmaxLike(this, 'softmax', ops.softmax, [dim, options]);
  }
  logSoftmax(dim: number | { dim: number; dtype?: DTypeLike }, options?: { dtype?: DTypeLike }): Tensor {
    return softmaxLike(this, 'logSoftmax', ops.logSoftmax, [dim, options]);
  }
  zero_(): this {
    ops.zero_([this]);
    return this;
  }
  /** fill_(value): a number, or a 0-d tensor as Python's fill_ also takes (its value, autograd included). */
  fill_(value: Scalar | Tensor): this {
    (isTensor(value) ? ops.fillTensor_ : ops.fill_)([this, value]);
    return this;
  }
  copy_(src: Tensor, options?: { nonBlocking?: boolean }): this {
    checkKeywords('copy_', options, NON_BLOCKING);
    ops.copy_([this, src, options?.nonBlocking ?? false]);
    return this;
  }

  // ---- lifetime ---------------------------------------------------------------------------
  /** Frees the native memory now; using the tensor afterwards raises TorchError. */
  dispose(): void {
    native.dispose(this._h);
  }
  get isDisposed(): boolean {
    return native.isDisposed(this._h);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- printing ---------------------------------------------------------------------------
  toString(): string {
    return formatTensor(this);
  }
  [inspectSymbol](): string {
    return this.isDisposed ? 'tensor(<disposed>)' : formatTensor(this);
  }
}

/** Flat row-major elements as JS values: numbers, or booleans for bool tensors. */
export function elementsOf(t: Tensor): (number | boolean)[] {
  const dt = t.dtype;
  if (dt === bool) return Array.from(t.toTypedArray() as Uint8Array, (v) => v !== 0);
  if (dt === float16 || dt === bfloat16) return Array.from(t.to(float32).toTypedArray() as Float32Array);
  if (dt === int64) return Array.from(t.toTypedArray() as BigInt64Array, Number);
  if (dt.isComplex) throw new TorchError('tolist() of complex tensors is not supported yet; use toTypedArray()');
  return Array.from(t.toTypedArray() as Float32Array);
}

setHandleWrapper((h) => new Tensor(h));
