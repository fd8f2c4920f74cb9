import { native } from './native';

/** Every error raised by torch-node: libtorch's own message, without the C++ backtrace. */
export class TorchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchError';
  }
}

native.setErrorClass(TorchError);
