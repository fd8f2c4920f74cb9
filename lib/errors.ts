import { native } from './native';

/** Every error raised by torch-node: libtorch's own message, without the C++ backtrace. */
export class TorchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchError';
  }
}

native.setErrorClass(TorchError);

// The native side runs a full GC once before retrying an allocation that failed (unreachable tensors
// are freed by their finalizers during it), and a minor GC every few MB of new tensors, which frees
// short-lived tensors far more cheaply than the full collections V8 would otherwise run.
// Obtained without the --expose-gc command-line flag.
function gcFunction(): (options?: { type: 'minor' | 'major' }) => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('v8').setFlagsFromString('--expose-gc');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('vm').runInNewContext('gc');
}
const gc = gcFunction();
native.setGcFunctions(
  () => gc(),
  () => gc({ type: 'minor' }),
);
