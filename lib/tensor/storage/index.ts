// torch.UntypedStorage, torch.TypedStorage, the legacy storage classes (torch.FloatStorage, ...),
// torch.isStorage, and the storage methods of Tensor (storage(), _storage(), storageType(), set_).
// torch.cuda.FloatStorage and the rest: ./cuda-classes, for torch.cuda to export.
export { UntypedStorage } from './untyped';
export type { UntypedStorageOptions } from './untyped';
export { TypedStorage } from './typed';
export type { TypedStorageOptions } from './typed';
export * from './cpu-classes';
export type { LegacyStorageClass } from './legacy';
export { isStorage } from './tensor-methods';
