// Tensor.isShared() / shareMemory_(). In Python they concern memory shared with other processes
// (torch.multiprocessing fork/spawn, CUDA IPC). Node has no such sharing of tensor memory: processes
// started by torch.multiprocessing.spawn have their own, and worker threads receive copies. So no
// tensor is ever shared (isShared() is false), and shareMemory_() leaves the tensor where it is,
// returning it as Python does, with a warning that nothing is shared.
import { warn } from '../errors';
import { Tensor } from './tensor';

declare module './tensor' {
  interface Tensor {
    /** Always false: no tensor memory is shared with another process in Node. */
    isShared(): boolean;
    /** Returns this unchanged (with a one-time warning): Node has no cross-process tensor memory. */
    shareMemory_(): this;
  }
}

Object.defineProperty(Tensor.prototype, 'isShared', {
  value: function isShared(this: Tensor): boolean {
    return false;
  },
  writable: true,
  configurable: true,
});

Object.defineProperty(Tensor.prototype, 'shareMemory_', {
  value: function shareMemory_(this: Tensor): Tensor {
    warn('shareMemory_() does nothing in Node: tensor memory cannot be shared with other processes (worker threads and spawned processes get copies); isShared() stays false.');
    return this;
  },
  writable: true,
  configurable: true,
});
