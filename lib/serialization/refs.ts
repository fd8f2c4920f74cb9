// Placeholders the unpickler produces before any storage bytes are read: a storage (by its record key)
// and a tensor (a strided view of one). Checked here, so a bad view never reaches libtorch.
import { DType, valuesPerByte } from '../tensor/dtype';
import { unpicklingError } from './unpickler';
import { LIMITS } from './limits';

export class StorageRef {
  constructor(
    /** record key ('0', '1', ... in zip files; an id string in legacy files) */
    readonly key: string,
    readonly dtype: DType,
    /** elements of dtype */
    readonly numel: number,
    /** 'cpu', 'cuda:0', ... as saved */
    readonly location: string,
  ) {}
  get nbytes(): number {
    return this.numel * this.dtype.itemsize;
  }
}

export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly dtype: DType,
    readonly offset: number,
    readonly size: number[],
    readonly stride: number[],
    readonly requiresGrad: boolean,
  ) {}
  withRequiresGrad(on: boolean): TensorRef {
    return new TensorRef(this.storage, this.dtype, this.offset, this.size, this.stride, on);
  }
}

function intList(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw unpicklingError(`tensor ${what} must be a tuple of ints`);
  if (v.length > LIMITS.maxDims) throw unpicklingError(`tensor has ${v.length} dimensions (cap ${LIMITS.maxDims})`);
  return v.map((x) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x)) throw unpicklingError(`tensor ${what} must be a tuple of ints, got ${String(x)}`);
    return x;
  });
}

/** _rebuild_tensor(_v2/_v3) arguments -> a checked view of the storage. */
export function tensorRef(storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: unknown, dtype?: DType): TensorRef {
  if (!(storage instanceof StorageRef)) throw unpicklingError('a tensor must be rebuilt from a storage');
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw unpicklingError(`invalid storage offset ${String(offset)}`);
  const sizes = intList(size, 'size');
  const strides = intList(stride, 'stride');
  if (sizes.length !== strides.length) throw unpicklingError(`size has ${sizes.length} dimensions but stride has ${strides.length}`);
  const dt = dtype ?? storage.dtype;
  let numel = 1;
  let lastElement = offset;
  for (let d = 0; d < sizes.length; d++) {
    if (sizes[d] < 0) throw unpicklingError(`negative size ${sizes[d]} in dimension ${d}`);
    if (strides[d] < 0) throw unpicklingError(`negative stride ${strides[d]} in dimension ${d}`);
    numel *= sizes[d];
    lastElement += (sizes[d] - 1) * strides[d];
  }
  // sub-byte quantized dtypes pack several values in each byte of their storage
  const available = Math.floor(storage.nbytes / dt.itemsize) * valuesPerByte(dt);
  if (numel > 0 && (!Number.isSafeInteger(lastElement) || lastElement >= available)) {
    throw unpicklingError(
      `tensor of size [${sizes}] with stride [${strides}] at offset ${offset} needs ${lastElement + 1} elements but its storage has ${available}`,
    );
  }
  return new TensorRef(storage, dt, offset, sizes, strides, requiresGrad === true);
}

/**
 * Storage slices of older files (the legacy formats of torch < 1.6): a view is a storage of its own
 * key that aliases elements [offset, offset + numel) of its root, so writes through one show in both.
 */
export class StorageViews {
  private readonly views = new Map<StorageRef, { root: StorageRef; offset: number }>();

  /** A new view of root; fail(message) builds the error for a view outside its root. */
  add(key: string, root: StorageRef, offset: unknown, numel: unknown, fail: (message: string) => Error): StorageRef {
    if (this.views.has(root)) throw fail(`storage view ${key} has a view as its root`);
    if (typeof offset !== 'number' || typeof numel !== 'number' || !Number.isSafeInteger(offset) || !Number.isSafeInteger(numel) || offset < 0 || numel < 0 || offset + numel > root.numel) {
      throw fail(`storage view ${key} [${String(offset)}, +${String(numel)}) lies outside its root of ${root.numel} elements`);
    }
    const ref = new StorageRef(key, root.dtype, numel, root.location);
    this.views.set(ref, { root, offset });
    return ref;
  }

  has(ref: StorageRef): boolean {
    return this.views.has(ref);
  }

  /** The bytes of any storage, given those of the roots; a view's are a subarray of its root's. */
  bytesOf(roots: Map<StorageRef, Uint8Array>): (ref: StorageRef) => Uint8Array {
    return (ref) => {
      const view = this.views.get(ref);
      if (!view) return roots.get(ref)!;
      const width = ref.dtype.itemsize;
      return roots.get(view.root)!.subarray(view.offset * width, (view.offset + ref.numel) * width);
    };
  }
}
