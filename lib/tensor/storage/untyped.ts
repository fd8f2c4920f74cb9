// torch.UntypedStorage: the bytes under tensors. It holds a byte tensor on the storage (its
// holder) and reads sizes and addresses from the storage itself, so the object views the tensors'
// memory: writes through it show in every tensor on the storage and the other way round.
import { Handle, native } from '../../native';
import { TorchError, IndexError, PyTypeError, AssertionError } from '../../errors';
import { checkKeywords, keysOf, parse, Rest } from '../../keywords';
import { Tensor } from '../tensor';
import { Device, DeviceLike, toDevice } from '../device';
import { DType, DTypeLike, toDType, uint8 } from '../dtype';
import { empty, tensor } from '../create';
import { Slice } from '../indexing';
import { holderOf, viewOf, storageRepr } from './elements';
import { StorageKey, keyTypeName, parseKey, sliceIndices, withIndexing } from './indexing';
import { castStorage, TypedStorage } from './typed';
import { bufferStorage, ByteOrder } from './from-buffer';
import { convertStorage, StorageClassLike } from './storage-type';

/** from_buffer's optional arguments, positional or by name. */
export interface FromBufferOptions {
  byteOrder?: ByteOrder;
  count?: number;
  offset?: number;
}

/** from_file's optional arguments, positional or by name. */
export interface FromFileOptions {
  shared?: boolean;
  nbytes?: number;
}

export interface UntypedStorageOptions {
  device?: DeviceLike;
}
const UNTYPED_KEYS = keysOf<UntypedStorageOptions>()('device');

/** The items of a sequence as bytes (Python keeps the low 8 bits of each int). */
function byteValues(items: ArrayLike<unknown>): number[] {
  const sequence = typeof items === 'string' ? 'str' : 'list';
  return Array.from(items, (b) => {
    if (typeof b !== 'number' || !Number.isInteger(b)) {
      throw new TorchError(`torch.UntypedStorage(): tried to construct a storage from a sequence (${sequence}), but one of the items was of type ${keyTypeName(b)} instead of int`);
    }
    return ((b % 256) + 256) % 256;
  });
}

export class UntypedStorage {
  /** s[i] and s[i] = v: Python's storage[i] (negative i counts from the end) */
  [index: number]: number;
  /** @internal a byte tensor on the storage; only its storage is used */
  readonly _holder: Tensor;

  /**
   * Python's torch.UntypedStorage(), UntypedStorage(nbytes) (uninitialised) or UntypedStorage([bytes]),
   * each with { device }.
   */
  constructor(sizeOrData?: number | number[], options: UntypedStorageOptions = {}) {
    checkKeywords('UntypedStorage', options, UNTYPED_KEYS);
    const device = options.device === undefined ? 'cpu' : toDevice(options.device);
    let bytes: Tensor;
    if (sizeOrData === undefined) bytes = empty([0], { dtype: uint8, device });
    else if (typeof sizeOrData === 'number' && Number.isInteger(sizeOrData)) {
      if (sizeOrData < 0) throw new TorchError(`alloc_cpu() seems to have been called with negative number: ${2n ** 64n + BigInt(sizeOrData)}`);
      bytes = empty([sizeOrData], { dtype: uint8, device });
    } else if (Array.isArray(sizeOrData) || typeof sizeOrData === 'string') bytes = tensor(byteValues(sizeOrData), { dtype: uint8, device });
    else throw new TorchError(`torch.UntypedStorage(): Expected a sequence type, but got ${keyTypeName(sizeOrData)}`);
    this._holder = holderOf(bytes._h);
    return withIndexing(this);
  }

  /**
   * Python's UntypedStorage.from_buffer(buffer, byteOrder?, count = -1, offset = 0, { dtype }): a copy
   * of the bytes of count elements of dtype (all when negative), byte-swapped from big-endian.
   */
  static fromBuffer(buffer: ArrayBufferView | ArrayBuffer, ...rest: Rest<FromBufferOptions & { dtype?: DTypeLike }, ['byteOrder', 'count', 'offset']>): UntypedStorage {
    const o = parse<FromBufferOptions & { dtype?: DTypeLike }>('from_buffer', rest, ['byteOrder', 'count', 'offset'], ['dtype']);
    if (o.dtype === undefined || o.dtype === null) throw new TorchError("argument 'dtype' cannot be None");
    return bufferStorage(buffer, o.byteOrder, o.count ?? -1, o.offset ?? 0, toDType(o.dtype));
  }

  /**
   * Python's UntypedStorage.from_file(filename, shared = false, nbytes = 0): nbytes of the file mapped
   * into memory. shared: writes reach the file (created or grown as needed); otherwise they stay
   * private and the file must hold nbytes.
   */
  static fromFile(filename: string, ...rest: Rest<FromFileOptions, ['shared', 'nbytes']>): UntypedStorage {
    const o = parse<FromFileOptions>('from_file', rest, ['shared', 'nbytes']);
    return UntypedStorage._onHandle(native.storageFromFile(filename, o.shared ?? false, o.nbytes ?? 0));
  }

  /** @internal the storage a tensor views (no copy) */
  static _of(t: Tensor): UntypedStorage {
    return UntypedStorage._onHandle(t._h);
  }

  /** @internal the storage the tensor handle h is on */
  static _onHandle(h: Handle): UntypedStorage {
    const s = Object.create(UntypedStorage.prototype) as { _holder: Tensor };
    s._holder = holderOf(h);
    return withIndexing(s as UntypedStorage);
  }

  /** @internal the bytes as a 1-D uint8 tensor over the whole storage */
  _bytes(): Tensor {
    return viewOf(this._holder, uint8);
  }

  nbytes(): number {
    return native.storageInfo(this._holder._h)[1];
  }
  /** Python's size() of an UntypedStorage: its bytes. */
  size(): number {
    return this.nbytes();
  }
  /** Python's len(storage). */
  get length(): number {
    return this.nbytes();
  }
  elementSize(): number {
    return 1;
  }
  get device(): Device {
    return this._holder.device;
  }
  get isCuda(): boolean {
    return this.device.type === 'cuda';
  }
  get isSparse(): boolean {
    return false;
  }
  /** The CUDA device index; null on the CPU (as Python's None). */
  getDevice(): number | null {
    return this.isCuda ? (this.device.index ?? 0) : null;
  }
  /** The address of the first byte (0 for a storage without memory). */
  dataPtr(): number {
    return native.storageDataPtr(this._holder._h);
  }
  /** Python's is_shared(): a CUDA storage, or CPU memory that is a mapping (shareMemory_, fromFile). */
  isShared(): boolean {
    return native.storageIsShared(this._holder._h);
  }
  /**
   * Python's share_memory_(): CPU bytes move into POSIX shared memory (every tensor on the storage
   * follows; it can no longer be resized); CUDA and already shared storages stay as they are.
   */
  shareMemory_(): this {
    native.storageShareMemory(this._holder._h);
    return this;
  }
  isPinned(): boolean {
    return this.isCuda ? false : this._bytes().isPinned();
  }
  untyped(): UntypedStorage {
    return this;
  }
  /** Python's type(): the class's name; type(cls) this storage as cls (see storage-type.ts). */
  type(): string;
  type(dtype: StorageClassLike, nonBlocking?: boolean): UntypedStorage | TypedStorage;
  type(dtype?: StorageClassLike, nonBlocking = false): string | UntypedStorage | TypedStorage {
    return dtype === undefined ? 'torch.storage.UntypedStorage' : convertStorage(this, dtype, nonBlocking);
  }

  /** Python's storage[i] (an int from 0 to 255) or storage[a:b] (an UntypedStorage viewing those bytes). */
  get(key: number): number;
  get(key: Slice | string): UntypedStorage;
  get(key: StorageKey): number | UntypedStorage;
  get(key: StorageKey): number | UntypedStorage {
    const k = parseKey(key);
    const n = this.nbytes();
    if (k instanceof Slice) {
      const [start, stop, step] = sliceIndices(k, n);
      if (step !== 1) throw new TorchError(`Trying to slice with a step of ${step}, but only a step of 1 is supported`);
      return UntypedStorage._onHandle(native.storageSlice(this._holder._h, start, Math.max(stop - start, 0)));
    }
    if (k === undefined) throw new PyTypeError(`can't index a torch.UntypedStorage with ${keyTypeName(key)}`);
    const i = k < 0 ? k + n : k;
    if (i < 0 || i >= n) throw new IndexError(`index ${i} out of range for storage of size ${n}`);
    return this._bytes().index(i).item();
  }

  /** Python's storage[i] = v and storage[a:b] = v (the value is stored as a byte, modulo 256). */
  set(key: StorageKey, value: number): void {
    const k = parseKey(key);
    const n = this.nbytes();
    const byte = ((Math.trunc(Number(value)) % 256) + 256) % 256;
    if (k instanceof Slice) {
      const [start, stop] = sliceIndices(k, n);
      if (stop > start) this._bytes().narrow(0, start, stop - start).fill_(byte);
      return;
    }
    if (k === undefined) throw new TorchError(`can't index a torch.UntypedStorage with ${keyTypeName(key)}`);
    const i = k < 0 ? k + n : k;
    if (i < 0 || i >= n) throw new TorchError('out of bounds');
    this._bytes().index(i).fill_(byte);
  }

  /** Copies the bytes of another storage of as many bytes into this one. */
  copy_(source: UntypedStorage | TypedStorage, nonBlocking = false): this {
    const src = source.untyped();
    if (src.nbytes() !== this.nbytes()) throw new TorchError('size does not match');
    if (this.nbytes() > 0) this._bytes().copy_(src._bytes(), { nonBlocking });
    return this;
  }
  /** Sets every byte to value. */
  fill_(value: number): this {
    this.set(':', value);
    return this;
  }
  /** Python's resize_: new memory of nbytes keeping the first bytes (it may shrink); tensors on it see the new memory. */
  resize_(nbytes: number): this {
    native.storageResize(this._holder._h, nbytes);
    return this;
  }
  clone(): UntypedStorage {
    return new UntypedStorage(this.nbytes(), { device: this.device }).copy_(this);
  }
  tolist(): number[] {
    return Array.from(this._bytes().toTypedArray() as Uint8Array);
  }
  [Symbol.iterator](): Iterator<number> {
    return this.tolist()[Symbol.iterator]();
  }
  /** This storage on the CPU: itself there, else a copy. */
  cpu(): UntypedStorage {
    return this.device.type === 'cpu' ? this : UntypedStorage._of(this._bytes().to('cpu'));
  }
  /** This storage on a CUDA device: itself when already there, else a copy. */
  cuda(device?: DeviceLike | number, options: { nonBlocking?: boolean } = {}): UntypedStorage {
    const target = toDevice(typeof device === 'number' ? `cuda:${device}` : (device ?? 'cuda'));
    if (target.type !== 'cuda') throw new TorchError('Invalid device, must be cuda device');
    if (this.isCuda && (device === undefined || (target.index ?? 0) === (this.device.index ?? 0))) return this;
    return UntypedStorage._of(this._bytes().to(target, { nonBlocking: options.nonBlocking ?? false }));
  }
  /** A copy in page-locked memory (CUDA builds only, as in Python). */
  pinMemory(): UntypedStorage {
    if (this.isCuda) throw new PyTypeError(`cannot pin '${this.type()}' only CPU memory can be pinned`);
    if (!native.cudaIsBuilt()) throw new AssertionError('Torch not compiled with CUDA enabled');
    return UntypedStorage._of(this._bytes().pinMemory());
  }

  // casts: every byte becomes one element of the dtype (Python's storage._to)
  double(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'float64');
  }
  float(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'float32');
  }
  half(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'float16');
  }
  long(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'int64');
  }
  int(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'int32');
  }
  short(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'int16');
  }
  char(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'int8');
  }
  byte(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'uint8');
  }
  bool(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'bool');
  }
  bfloat16(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'bfloat16');
  }
  complexDouble(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'complex128');
  }
  complexFloat(): TypedStorage {
    return castStorage(this._bytes(), this.dataPtr(), 'complex64');
  }

  /** Python's str/repr: each byte on its own line, then [torch.storage.UntypedStorage(device=cpu) of size n]. */
  toString(): string {
    return storageRepr(this._bytes(), `[torch.storage.UntypedStorage(device=${this.device}) of size ${this.nbytes()}]`);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** @internal the dtype an untyped storage is saved and loaded as */
export const UNTYPED_DTYPE: DType = uint8;
