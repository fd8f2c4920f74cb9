// Tensor.isShared() / shareMemory_(): as in Python, about the tensor's storage. shareMemory_() moves
// a CPU storage into a shared mapping (libtorch's own allocator, as Python's does); Node's worker
// threads and spawned processes still receive copies, so this matters for what Python reports,
// not for passing tensors between Node processes.
import { Tensor } from './tensor';

declare module './tensor' {
  interface Tensor {
    /** Python's is_shared(): whether the storage is in shared memory (or on CUDA). */
    isShared(): boolean;
    /** Python's share_memory_(): moves the storage into shared memory; returns this. */
    shareMemory_(): this;
  }
}

Object.defineProperty(Tensor.prototype, 'isShared', {
  value: function isShared(this: Tensor): boolean {
    return this.untypedStorage().isShared();
  },
  writable: true,
  configurable: true,
});

Object.defineProperty(Tensor.prototype, 'shareMemory_', {
  value: function shareMemory_(this: Tensor): Tensor {
    this.untypedStorage().shareMemory_();
    return this;
  },
  writable: true,
  configurable: true,
});
