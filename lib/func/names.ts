// How torch.func's messages name things: the function as Python's _get_name does, and argument
// values (inDims, outDims, argnums) as Python's repr would print the tuples and dicts they stand for.
import { pyRepr, pyStrRepr } from '../py-format';
import { isPlainObject } from './pytree';

/** Python's _get_name(func): its name; an anonymous function is Python's `<lambda>`; a callable object (a Module) its repr. */
export function funcName(fn: unknown): string {
  if (typeof fn === 'function' && typeof fn.name === 'string' && Object.prototype.hasOwnProperty.call(fn, 'name')) {
    return fn.name === '' ? '<lambda>' : fn.name;
  }
  return String(fn);
}

/** Python's repr of a nested in_dims/out_dims/argnums value: arrays as tuples, plain objects as dicts. */
export function treeRepr(v: unknown): string {
  if (Array.isArray(v)) return v.length === 1 ? `(${treeRepr(v[0])},)` : `(${v.map(treeRepr).join(', ')})`;
  if (isPlainObject(v)) return `{${Object.keys(v).map((k) => `${pyStrRepr(k)}: ${treeRepr(v[k])}`).join(', ')}}`;
  return pyRepr(v);
}

/** functools.wraps: the transformed function keeps fn's name (messages of outer transforms use it). */
export function keepName<W extends (...args: never[]) => unknown>(wrapper: W, fn: unknown): W {
  if (typeof fn === 'function' && typeof fn.name === 'string' && Object.prototype.hasOwnProperty.call(fn, 'name')) {
    Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  }
  return wrapper;
}
