import { native } from './native';
import { gc } from './memory/gc';

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
native.setGcFunctions(
  () => gc(),
  () => gc({ type: 'minor' }),
);
