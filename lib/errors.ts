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

// Python's exception classes where PyTorch raises them, as TorchErrors named as in Python: one catch
// covers every invalid argument, and `e.name` says what a ported `except ValueError` caught.

/** Python's TypeError (an argument of the wrong kind or an unknown keyword), named so in messages such as "Caught TypeError in DataLoader worker". */
export class PyTypeError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'TypeError';
  }
}

/** Python's ValueError: an argument of the right kind with an invalid value. */
export class ValueError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** Python's IndexError, as a list lookup raises it. */
export class IndexError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}

/** Python's AssertionError, raised where PyTorch asserts (e.g. a timeout without workers). */
export class AssertionError extends TorchError {
  constructor(message = '') {
    super(message);
    this.name = 'AssertionError';
  }
}

/** Python's FileNotFoundError (a file or folder that is not there). */
export class FileNotFoundError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'FileNotFoundError';
  }
}

/** Python's NotImplementedError (a method a subclass must provide, a parametrization without a right inverse). */
export class NotImplementedError extends TorchError {
  constructor(message = '') {
    super(message);
    this.name = 'NotImplementedError';
  }
}

/**
 * Python's type(x) in messages, `<class 'int'>`: numbers are int or float, arrays lists (or tuples
 * where arrays stand for them: `arrayName`), Maps and plain objects dicts, others their class name.
 */
export function pyType(x: unknown, arrayName: 'list' | 'tuple' = 'list'): string {
  const proto = x !== null && typeof x === 'object' ? Object.getPrototypeOf(x) : undefined;
  const name =
    x === null || x === undefined ? 'NoneType'
    : typeof x === 'number' ? (Number.isInteger(x) ? 'int' : 'float')
    : typeof x === 'string' ? 'str'
    : typeof x === 'boolean' ? 'bool'
    : Array.isArray(x) ? arrayName
    : typeof x === 'function' ? 'function'
    : x instanceof Promise ? 'coroutine'
    : x instanceof Map || proto === null || proto === Object.prototype ? 'dict'
    : ((x as object).constructor?.name ?? 'object');
  return `<class '${name}'>`;
}

/** Python's type(x).__name__ ('int', 'str', 'NoneType', ...), as in "must be real number, not str". */
export function pyTypeName(x: unknown, arrayName: 'list' | 'tuple' = 'list'): string {
  return pyType(x, arrayName).slice("<class '".length, -"'>".length);
}

// libtorch's warnings become process warnings of type UserWarning, as PyTorch's become Python's; each
// message once per thread, as Python's default filter shows a warning once per place it is raised.
const warned = new Set<string>();

/** Python's warnings.warn(message, category): a process warning, each message once. */
export function warn(message: string, category: 'UserWarning' | 'DeprecationWarning' | 'FutureWarning' = 'UserWarning'): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, category);
}

native.setWarningFunction((message) => warn(message));

// The native side runs a full GC once before retrying an allocation that failed (unreachable tensors
// are freed by their finalizers during it), and a minor GC every few MB of new tensors, which frees
// short-lived tensors far more cheaply than the full collections V8 would otherwise run.
native.setGcFunctions(
  () => gc(),
  () => gc({ type: 'minor' }),
);
