// Python's storage.type(dtype) (torch._utils._type) for both storage kinds: the storage as another
// storage class, named ('torch.DoubleStorage', 'torch.cuda.FloatStorage', 'torch.UntypedStorage') or
// given as the class. Python makes `cls(untyped.size())` and copies the untyped bytes into it, so only
// classes of 1-byte elements (ByteStorage, CharStorage, BoolStorage, ...) take a storage of another
// size; the others raise 'size does not match', as they do in PyTorch 1.13.
import { PyTypeError, TorchError } from '../../errors';
import { cpuStorageClasses, cudaStorageClasses, LegacyStorageClass } from './legacy';
import { UntypedStorage } from './untyped';
import { TypedStorage } from './typed';

/** A storage class, or its dotted name as Python's type() takes it. */
export type StorageClassLike = string | LegacyStorageClass | typeof UntypedStorage | typeof TypedStorage;

/** The class a dotted name imports in Python, or Python's error for a name that is no storage class. */
function importStorageClass(name: string): Exclude<StorageClassLike, string> {
  if (name === 'torch.UntypedStorage' || name === 'torch.storage.UntypedStorage') return UntypedStorage;
  if (name === 'torch.TypedStorage' || name === 'torch.storage.TypedStorage') return TypedStorage;
  const legacy = /^torch\.(cuda\.)?(\w+)$/.exec(name);
  if (legacy) {
    const table: Record<string, LegacyStorageClass> = legacy[1] ? cudaStorageClasses : cpuStorageClasses;
    if (Object.hasOwn(table, legacy[2])) return table[legacy[2]];
    // a tensor type imports fine, then the copy of a storage into a tensor fails
    if (legacy[2].endsWith('Tensor')) throw new PyTypeError("copy_(): argument 'other' (position 1) must be Tensor, not torch.storage.UntypedStorage");
    throw new TorchError(`module '${legacy[1] ? 'torch.cuda' : 'torch'}' has no attribute '${legacy[2]}'`);
  }
  throw new TorchError(`No module named '${name.split('.')[0]}'`);
}

/** untyped.type(cls): itself for UntypedStorage, else a new storage of that class holding its bytes. */
export function convertStorage(untyped: UntypedStorage, target: StorageClassLike, nonBlocking: boolean): UntypedStorage | TypedStorage {
  const cls = typeof target === 'string' ? importStorageClass(target) : target;
  if (cls === UntypedStorage) return untyped;
  const fresh = new (cls as new (size: number) => UntypedStorage | TypedStorage)(untyped.size());
  return fresh.copy_(untyped, nonBlocking);
}
