// The addon's c10d functions, or a clear error where the addon was built without them.
import { native, Native } from '../native';
import { TorchError } from '../errors';

/** torch.distributed.is_available(): whether this build has c10d (libtorch 1.x with gloo's headers). */
export function isAvailable(): boolean {
  return native.distributedAvailable();
}

/** The addon, checked to have torch.distributed. */
export function c10d(): Native {
  if (!native.distributedAvailable()) {
    throw new TorchError(
      'torch.distributed is not available in this build of torch-node: it needs libtorch 1.x built with gloo and ' +
        "gloo's headers at build time (Debian: libgloo-dev; scripts/setup.sh installs it)",
    );
  }
  return native;
}
