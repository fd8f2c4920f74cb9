// Python's ValueError, which PyTorch's data utilities raise for invalid arguments; TypeError and
// RuntimeError map to JS TypeError and Error. Messages are PyTorch's, word for word. ValueError and
// AssertionError are TorchErrors, so one catch covers every invalid argument.
import { TorchError, PyTypeError } from '../errors';

export { PyTypeError };

export class ValueError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** Python's AssertionError, raised where PyTorch asserts (e.g. a timeout without workers). */
export class AssertionError extends TorchError {
  constructor(message = '') {
    super(message);
    this.name = 'AssertionError';
  }
}

/** Python's repr of a JS value, for messages that print one (e.g. `shuffle=True`). */
export function pyRepr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'object' || typeof v === 'function') return `<${(v as object).constructor?.name ?? 'object'} object>`;
  return String(v);
}
