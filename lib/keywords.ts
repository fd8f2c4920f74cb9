// Options objects are Python's keyword arguments: a key the function does not take is an error,
// as Python's TypeError, never silently ignored. A ported `{ batch_size: 64 }` would otherwise run
// with the default batch size; the error names the camelCase key that was meant.
import { TorchError } from './errors';

const squash = (key: string): string => key.replace(/_/g, '').toLowerCase();

/** Raises for any key of `options` that is in none of `allowed` (null and undefined pass). */
export function checkKeywords(fn: string, options: object | null | undefined, ...allowed: (readonly string[])[]): void {
  if (options === null || typeof options !== 'object') return;
  for (const key of Object.keys(options)) {
    if (allowed.some((names) => names.includes(key))) continue;
    const meant = allowed.flat().find((name) => squash(name) === squash(key));
    throw new TorchError(`${fn}() got an unexpected keyword argument '${key}'${meant ? ` (did you mean '${meant}'?)` : ''}`);
  }
}

/**
 * The keys of an options type, listed once for checkKeywords: leaving one out, or naming one the
 * type does not have, fails to compile. `keysOf<SGDOptions>()('lr', 'momentum', ...)`
 */
export function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(...keys: K & (Exclude<keyof T, K[number]> extends never ? unknown : { missing: Exclude<keyof T, K[number]> })): readonly string[] => keys;
}
