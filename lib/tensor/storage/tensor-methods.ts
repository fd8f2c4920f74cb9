// The storage side of Tensor: x.storage() (a TypedStorage), x._storage() (the UntypedStorage),
// x.storageType() (the legacy class) and x.set_(storage, offset, size, stride); torch.isStorage.
import { TorchError } from '../../errors';
import { isOptions } from '../../keywords';
import { Tensor } from '../tensor';
import { DType } from '../dtype';
import { TypedStorage } from './typed';
import { UntypedStorage } from './untyped';
import { LegacyStorageClass, legacyStorageClass } from './legacy';
import { viewOf } from './elements';

declare module '../tensor' {
  interface Tensor {
    /** Python's x.storage(): the TypedStorage under x (no copy: writes through it show in x). */
    storage(): TypedStorage;
    /** Python's x._storage(): the UntypedStorage (bytes) under x. */
    _storage(): UntypedStorage;
    /** The UntypedStorage under x (PyTorch 2's name for x._storage()). */
    untypedStorage(): UntypedStorage;
    /** Python's x.storage_type(): the legacy storage class of x's dtype (torch.FloatStorage). */
    storageType(): LegacyStorageClass | null;
    /** x.set_(storage, storageOffset?, size?, stride?): x views the storage (a Tensor source as before). */
    set_(source: TypedStorage | UntypedStorage, storageOffset?: number, size?: number[], stride?: number[]): this;
  }
}

/** torch.isStorage(obj): whether obj is a TypedStorage or an UntypedStorage. */
export function isStorage(obj: unknown): boolean {
  return obj instanceof TypedStorage || obj instanceof UntypedStorage;
}

function define(name: string, value: (this: Tensor, ...args: never[]) => unknown): void {
  Object.defineProperty(Tensor.prototype, name, { value, writable: true, configurable: true });
}

define('storage', function storage(this: Tensor): TypedStorage {
  return TypedStorage._wrap(UntypedStorage._of(this), this.dtype);
});
define('_storage', function _storage(this: Tensor): UntypedStorage {
  return UntypedStorage._of(this);
});
define('untypedStorage', function untypedStorage(this: Tensor): UntypedStorage {
  return UntypedStorage._of(this);
});
define('storageType', function storageType(this: Tensor): LegacyStorageClass | null {
  return legacyStorageClass(this.storage());
});

// C++'s type names, as Python's argument parser prints the dtype a storage must have
const CPP_TYPE_NAMES: Record<string, string> = {
  float32: 'float',
  float64: 'double',
  float16: 'c10::Half',
  bfloat16: 'c10::BFloat16',
  int64: 'long int',
  int32: 'int',
  int16: 'short int',
  int8: 'signed char',
  uint8: 'unsigned char',
  bool: 'bool',
  complex64: 'c10::complex<float>',
  complex128: 'c10::complex<double>',
};
// ATen's ScalarType names
const SCALAR_TYPE_NAMES: Record<string, string> = {
  float32: 'Float',
  float64: 'Double',
  float16: 'Half',
  bfloat16: 'BFloat16',
  int64: 'Long',
  int32: 'Int',
  int16: 'Short',
  int8: 'Char',
  uint8: 'Byte',
  bool: 'Bool',
  complex64: 'ComplexFloat',
  complex128: 'ComplexDouble',
  qint8: 'QInt8',
  quint8: 'QUInt8',
  qint32: 'QInt32',
  quint4x2: 'QUInt4x2',
  quint2x4: 'QUInt2x4',
};

/**
 * The storage as a 1-D tensor of dtype, sharing its memory (an UntypedStorage takes any dtype; a
 * TypedStorage must match). The error names the expected type as set_ does (C++ type names) or,
 * for the legacy constructors (torch.FloatTensor(storage)), by ATen's ScalarType name.
 */
export function storageSource(storage: TypedStorage | UntypedStorage, dtype: DType, expectedNames: 'cpp' | 'scalar' = 'cpp'): Tensor {
  if (storage instanceof TypedStorage && storage.dtype !== dtype) {
    const expected = (expectedNames === 'cpp' ? CPP_TYPE_NAMES : SCALAR_TYPE_NAMES)[dtype.name] ?? dtype.name;
    throw new TorchError(
      `Expected a Storage of type ${expected} or an UntypedStorage, but got type ${SCALAR_TYPE_NAMES[storage.dtype.name] ?? storage.dtype.name} for argument 1 'storage'`,
    );
  }
  return viewOf(storage.untyped()._holder, dtype);
}

// The generated set_ (source a Tensor) stays in charge; storages become a tensor over them first.
// Marked wrapsGenerated: codegen keeps generating the set_ this calls (it skips other hand-written names).
function set_(this: Tensor, ...args: unknown[]): Tensor {
  const generated = (Object.getPrototypeOf(Tensor.prototype) as { set_: (...a: unknown[]) => Tensor }).set_;
  const first = args[0];
  if (isStorage(first)) args[0] = storageSource(first as TypedStorage | UntypedStorage, this.dtype);
  else if (isOptions(first) && isStorage(first.source)) args[0] = { ...first, source: storageSource(first.source as TypedStorage, this.dtype) };
  return generated.apply(this, args);
}
Object.defineProperty(set_, 'wrapsGenerated', { value: true });
define('set_', set_);
