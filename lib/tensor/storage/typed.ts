// torch.TypedStorage: an UntypedStorage read as elements of one dtype (what x.storage() returns).
// Elements are read and written through a tensor of that dtype over the whole storage, as Python's
// TypedStorage does, so indexing, slices and fill_ follow tensor indexing.
import { TorchError, IndexError, PyTypeError, pyType } from '../../errors';
import { checkKeywords, keysOf, parse, Rest } from '../../keywords';
import { Tensor, Scalar } from '../tensor';
import { Device, DeviceLike, toDevice } from '../device';
import { DType, DTypeLike, DTypeName, getDefaultDtype, toDType, intReprDtype } from '../dtype';
import { tensor } from '../create';
import { TensorData } from '../nested';
import { Slice } from '../indexing';
import { viewOf, storageRepr } from './elements';
import { StorageKey, parseKey, withIndexing } from './indexing';
import { UntypedStorage, FromBufferOptions } from './untyped';
import { bufferStorage } from './from-buffer';
import { legacyStorageName } from './legacy-names';
import type { StorageClassLike } from './storage-type';

export interface TypedStorageOptions {
  dtype?: DTypeLike;
  device?: DeviceLike;
  /** the UntypedStorage to read as dtype (no copy) */
  wrapStorage?: UntypedStorage;
}
const TYPED_KEYS = keysOf<TypedStorageOptions>()('dtype', 'device', 'wrapStorage');

const ARG_ERROR =
  'TypedStorage.__init__ received an invalid combination of arguments. Expected one of:\n' +
  ' * (*, torch.device device, torch.dtype dtype)\n' +
  ' * (int size, *, torch.device device, torch.dtype dtype)\n' +
  ' * (Sequence data, *, torch.device device, torch.dtype dtype)\n' +
  ' * (*, UntypedStorage wrap_storage, torch.dtype dtype)';

/** Python's <class 'torch.storage.TypedStorage'> and the like, for messages. */
export function pyClassOf(v: unknown): string {
  if (v instanceof TypedStorage) return "<class 'torch.storage.TypedStorage'>";
  if (v instanceof UntypedStorage) return "<class 'torch.storage.UntypedStorage'>";
  return pyType(v);
}

export class TypedStorage {
  /** s[i] and s[i] = v: Python's storage[i] (negative i counts from the end) */
  [index: number]: number | boolean | [number, number];
  readonly dtype!: DType;
  /** @internal the bytes */
  readonly _storage!: UntypedStorage;

  /**
   * Python's TypedStorage(size?, { dtype, device }) (uninitialised), TypedStorage([values], { dtype,
   * device }), or TypedStorage({ wrapStorage, dtype }) over an UntypedStorage without a copy.
   */
  constructor(sizeOrData?: number | TensorData, options: TypedStorageOptions = {}) {
    checkKeywords('TypedStorage', options, TYPED_KEYS);
    const { wrapStorage } = options;
    if (wrapStorage !== undefined) {
      if (sizeOrData !== undefined) throw new TorchError(`${ARG_ERROR}\nNo positional arguments should be given when using 'wrap_storage'`);
      if (options.dtype === undefined) throw new TorchError(`${ARG_ERROR}\nArgument 'dtype' must be specified`);
      if (options.device !== undefined) throw new TorchError(`${ARG_ERROR}\nArgument 'device' should not be specified when 'wrap_storage' is given`);
      if (!(wrapStorage instanceof UntypedStorage)) throw new PyTypeError(`${ARG_ERROR}\nArgument 'wrap_storage' must be UntypedStorage, but got ${pyClassOf(wrapStorage)}`);
      return TypedStorage._wrap(wrapStorage, toDType(options.dtype));
    }
    const dtype = options.dtype === undefined ? getDefaultDtype() : toDType(options.dtype);
    const device = toDevice(options.device ?? 'cpu');
    if (intReprDtype(dtype) && device.type === 'cuda') throw new TorchError('Cannot create CUDA storage with quantized dtype');
    let untyped: UntypedStorage;
    if (sizeOrData === undefined) untyped = new UntypedStorage(0, { device });
    else if (typeof sizeOrData === 'number' && Number.isInteger(sizeOrData)) untyped = new UntypedStorage(sizeOrData * dtype.itemsize, { device });
    else if (Array.isArray(sizeOrData)) untyped = UntypedStorage._of(tensor(sizeOrData, { dtype: intReprDtype(dtype) ?? dtype, device }));
    // a str is a Sequence to Python, which then fails to make a tensor of it
    else if (typeof sizeOrData === 'string') throw new PyTypeError("new(): invalid data type 'str'");
    else throw new PyTypeError(`${ARG_ERROR}\nArgument type not recognized: ${pyType(sizeOrData)}`);
    return TypedStorage._wrap(untyped, dtype);
  }

  /**
   * Python's TypedStorage.from_buffer(buffer, byteOrder?, count = -1, offset = 0, { dtype, device }):
   * a CPU copy of count elements of dtype (the default dtype unless given) from the buffer.
   */
  static fromBuffer(buffer: ArrayBufferView | ArrayBuffer, ...rest: Rest<FromBufferOptions & { dtype?: DTypeLike; device?: DeviceLike }, ['byteOrder', 'count', 'offset']>): TypedStorage {
    const o = parse<FromBufferOptions & { dtype?: DTypeLike; device?: DeviceLike }>('from_buffer', rest, ['byteOrder', 'count', 'offset'], ['dtype', 'device']);
    const dtype = o.dtype === undefined || o.dtype === null ? getDefaultDtype() : toDType(o.dtype);
    const device = toDevice(o.device ?? 'cpu');
    if (device.type !== 'cpu') throw new TorchError(`TypedStorage.from_buffer: Not available for device ${device.type}`);
    return TypedStorage._wrap(bufferStorage(buffer, o.byteOrder, o.count ?? -1, o.offset ?? 0, dtype), dtype);
  }

  /** @internal untyped read as dtype, no copy */
  static _wrap(untyped: UntypedStorage, dtype: DType): TypedStorage {
    const s = Object.create(TypedStorage.prototype) as { dtype: DType; _storage: UntypedStorage };
    s.dtype = dtype;
    s._storage = untyped;
    return withIndexing(s as TypedStorage);
  }

  /** @internal the elements as a 1-D tensor over the whole storage (quantized: their integers) */
  _elements(): Tensor {
    return viewOf(this._storage._holder, this.dtype);
  }

  /** The UntypedStorage underneath (the same bytes). */
  untyped(): UntypedStorage {
    return this._storage;
  }
  nbytes(): number {
    return this._storage.nbytes();
  }
  /** Python's size(): the number of elements. */
  size(): number {
    return Math.floor(this._storage.nbytes() / this.dtype.itemsize);
  }
  /** Python's len(storage). */
  get length(): number {
    return this.size();
  }
  elementSize(): number {
    return this.dtype.itemsize;
  }
  get device(): Device {
    return this._storage.device;
  }
  get isCuda(): boolean {
    return this._storage.isCuda;
  }
  get isSparse(): boolean {
    return false;
  }
  getDevice(): number | null {
    return this._storage.getDevice();
  }
  dataPtr(): number {
    return this._storage.dataPtr();
  }
  /** Python's is_shared(): whether its untyped storage is (see UntypedStorage.isShared). */
  isShared(): boolean {
    return this._storage.isShared();
  }
  /** Python's share_memory_(): its untyped storage moves into shared memory (CPU); returns this. */
  shareMemory_(): this {
    this._storage.shareMemory_();
    return this;
  }
  isPinned(): boolean {
    return this._storage.isPinned();
  }
  /** The legacy class name pickles use: 'FloatStorage' for float32. */
  pickleStorageType(): string {
    const name = legacyStorageName(this.dtype);
    if (!name) throw new TorchError(`dtype ${this.dtype} is not recognized`);
    return name;
  }
  /**
   * Python's type(): the legacy class's name ('torch.FloatStorage', 'torch.cuda.LongStorage');
   * type(cls): the untyped storage's type(cls), as Python delegates it (see storage-type.ts).
   */
  type(): string;
  type(dtype: StorageClassLike, nonBlocking?: boolean): UntypedStorage | TypedStorage;
  type(dtype?: StorageClassLike, nonBlocking = false): string | UntypedStorage | TypedStorage {
    if (dtype !== undefined) return this._storage.type(dtype, nonBlocking);
    const name = legacyStorageName(this.dtype);
    const type = this.device.type;
    if (!name || (type !== 'cpu' && type !== 'cuda')) return 'torch.storage.TypedStorage';
    return type === 'cpu' ? `torch.${name}` : `torch.cuda.${name}`;
  }

  /** Python's storage[i]: the element as a number (boolean for bool, [re, im] for complex). */
  get(key: StorageKey): number | boolean | [number, number] {
    const k = parseKey(key);
    if (this.device.type === 'meta') throw new TorchError("Not available for 'meta' device type");
    if (k instanceof Slice) throw new TorchError('slices are only supported in UntypedStorage.__getitem__');
    if (k === undefined) throw new TorchError(`can't index a <class 'torch.storage.TypedStorage'> with ${pyType(key)}`);
    const n = this.size();
    if (k >= n || k < -n) throw new IndexError(`index ${k} out of range for storage of size ${n}`);
    return this._elements().index(k < 0 ? k + n : k).item();
  }

  /** Python's storage[i] = v and storage[a:b] = v (a number or a tensor), as tensor indexing assigns. */
  set(key: StorageKey, value: Scalar | Tensor): void {
    const k = parseKey(key);
    if (k === undefined) throw new TorchError(`can't index a <class 'torch.storage.TypedStorage'> with ${pyType(key)}`);
    if (value instanceof TypedStorage || value instanceof UntypedStorage) throw new TorchError(`cannot set item with value type ${pyClassOf(value)}`);
    this._elements().indexPut_([k], value);
  }

  fill_(value: Scalar): this {
    this.set(':', value);
    return this;
  }
  /** Copies the bytes of a storage of as many bytes (whatever its dtype, as Python). */
  copy_(source: TypedStorage | UntypedStorage, nonBlocking = false): this {
    this._storage.copy_(source.untyped(), nonBlocking);
    return this;
  }
  /** Python's resize_(n): n elements, the first ones kept; returns nothing, as Python's. */
  resize_(size: number): void {
    this._storage.resize_(size * this.dtype.itemsize);
  }
  clone(): TypedStorage {
    return TypedStorage._wrap(this._storage.clone(), this.dtype);
  }
  /** The elements, as Python's tolist() (numbers, booleans, [re, im] pairs). */
  tolist(): (number | boolean | [number, number])[] {
    const view = this._elements();
    if (view.dtype.isComplex) {
      const raw = view.toTypedArray() as Float32Array;
      const out: [number, number][] = [];
      for (let i = 0; i < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
      return out;
    }
    return view.tolist() as (number | boolean)[];
  }
  [Symbol.iterator](): Iterator<number | boolean | [number, number]> {
    return this.tolist()[Symbol.iterator]();
  }
  cpu(): TypedStorage {
    return TypedStorage._wrap(this._storage.cpu(), this.dtype);
  }
  cuda(device?: DeviceLike | number, options: { nonBlocking?: boolean } = {}): TypedStorage {
    if (intReprDtype(this.dtype)) throw new TorchError('Cannot create CUDA storage with quantized dtype');
    return TypedStorage._wrap(this._storage.cuda(device, options), this.dtype);
  }
  pinMemory(): TypedStorage {
    return TypedStorage._wrap(this._storage.pinMemory(), this.dtype);
  }

  // casts: each element converted to the dtype (Python's storage._to), always a new storage
  double(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'float64');
  }
  float(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'float32');
  }
  half(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'float16');
  }
  long(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'int64');
  }
  int(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'int32');
  }
  short(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'int16');
  }
  char(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'int8');
  }
  byte(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'uint8');
  }
  bool(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'bool');
  }
  bfloat16(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'bfloat16');
  }
  complexDouble(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'complex128');
  }
  complexFloat(): TypedStorage {
    return castStorage(this._elements(), this.dataPtr(), 'complex64');
  }

  /** Python's str/repr: each element on its own line, then [torch.storage.TypedStorage(dtype=..., device=...) of size n]. */
  toString(): string {
    return storageRepr(this._elements(), `[torch.storage.TypedStorage(dtype=${this.dtype}, device=${this.device}) of size ${this.size()}]`);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Python's storage._to(dtype): the elements converted, in a storage of their own. */
export function castStorage(elements: Tensor, dataPtr: number, dtype: DTypeName): TypedStorage {
  const converted = elements.to(dtype);
  const out = TypedStorage._wrap(UntypedStorage._of(converted), converted.dtype);
  return out.dataPtr() === dataPtr && dataPtr !== 0 ? out.clone() : out;
}
