// Helpers the built-in pipes share (Python's datapipes/utils/common.py): argument checks, deep copies
// of wrapped data, and the Python exceptions they raise.
import { TorchError, ValueError, PyTypeError, pyType, warn } from '../../errors';
import { isTensor, isMap, isPlainObject } from '../kinds';
import type { Tensor } from '../../tensor/tensor';

/** Python's BufferError (fork / demux buffers overflowing). */
export class BufferError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'BufferError';
  }
}

/** Python's repr of a str. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** An error Python raises with several arguments: its str() is the tuple of their reprs. The first
 *  (a str) is kept in pyArgs, so that a note appended to it lands inside the tuple, as in Python. */
export function withArgs<E extends Error>(error: E, first: string, ...restReprs: string[]): E {
  const args = [first, ...restReprs];
  Object.defineProperty(error, 'pyArgs', { value: args, enumerable: false });
  error.message = argsMessage(args);
  return error;
}

export function argsMessage(args: readonly string[]): string {
  return `(${[pyStrRepr(args[0]), ...args.slice(1)].join(', ')})`;
}

/** _check_unpickable_fn: the argument must be callable. */
export function checkCallable(fn: unknown): void {
  if (typeof fn !== 'function') throw new PyTypeError(`A callable function is expected, but ${pyType(fn)} is provided.`);
}

/**
 * validate_input_col: the function must take as many positional arguments as input_col selects.
 * A JS function's length counts its parameters before the first default (rest parameters uncounted).
 */
export function validateInputCol(fn: (...a: any[]) => unknown, inputCol: unknown): void {
  const size = Array.isArray(inputCol) ? inputCol.length : 1;
  if (fn.length > size) {
    throw new ValueError(`The function ${fn.name || '<lambda>'} takes ${fn.length} positional parameters, but ${size} are required.`);
  }
}

/** copy.deepcopy of wrapped data: lists, dicts, Maps, Sets and tensors copied; other objects shared. */
export function deepCopy<T>(x: T): T {
  if (x === null || typeof x !== 'object') return x;
  if (isTensor(x)) return (x as unknown as Tensor).clone() as unknown as T;
  if (Array.isArray(x)) return x.map(deepCopy) as unknown as T;
  if (isMap(x)) return new Map([...x].map(([k, v]) => [k, deepCopy(v)])) as unknown as T;
  if (x instanceof Set) return new Set([...x].map(deepCopy)) as unknown as T;
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = Object.getPrototypeOf(x) === null ? Object.create(null) : {};
    for (const key of Object.keys(x)) out[key] = deepCopy((x as Record<string, unknown>)[key]);
    return out as T;
  }
  return x;
}

/** A one-shot iterator (a generator): Python cannot deepcopy those. */
export function isOneShot(x: unknown): boolean {
  return x !== null && typeof x === 'object' && typeof (x as { next?: unknown }).next === 'function';
}

export function deprecatedArgument(cls: string, arg: string): void {
  warn(
    `The argument \`${arg}\` of \`${cls}()\` is deprecated since 1.12 and will be removed in 1.14.\nSee https://github.com/pytorch/data/issues/163 for details.`,
    'FutureWarning',
  );
}
