import { native } from './native';

/** Every error raised by torch-node: libtorch's own message, without the C++ backtrace. */
export class TorchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchError';
  }
}

native.setErrorClass(TorchError);

// A full GC the native side runs once before retrying an allocation that failed: unreachable
// tensors are freed by their finalizers during it. Obtained without the --expose-gc command flag.
function fullGc(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('v8').setFlagsFromString('--expose-gc');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('vm').runInNewContext('gc') as () => void;
}
native.setGcFunction(fullGc());
