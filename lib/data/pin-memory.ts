// pin_memory: page-locks batch tensors so host-to-GPU copies can be asynchronous. Without a
// pinMemoryDevice PyTorch does it only when CUDA is available (silently a no-op otherwise); with
// one it pins for that device, and warns when pinMemory itself is off. So does this.
import { aten } from '../tensor/aten';
import { cuda } from '../runtime';
import { mapTensors } from './kinds';
import { warn } from '../errors';

const pinOp = aten('pin_memory', '');

export function pinMemoryAvailable(): boolean {
  return cuda.isAvailable();
}

/** What an epoch's iterator does with batches: null (leave them) or the device to pin for ('' = CUDA). */
export function pinTarget(loader: { pinMemory: boolean; pinMemoryDevice: string }): string | null {
  if (loader.pinMemoryDevice === '') return loader.pinMemory && pinMemoryAvailable() ? '' : null;
  if (!loader.pinMemory) {
    warn(
      "pin memory device is set and pin_memory flag is not used then device pinned memory won't be usedplease set pin_memory to true, if you need to use the device pin memory",
    );
    return null;
  }
  return loader.pinMemoryDevice;
}

export function pinMemory(data: unknown, device = ''): unknown {
  return mapTensors(data, (t) => pinOp([t, device === '' ? null : device]));
}
