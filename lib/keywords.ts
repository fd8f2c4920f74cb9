// Options objects are Python's keyword arguments: a key the function does not take is an error,
// as Python's TypeError, never silently ignored. A ported `{ batch_size: 64 }` would otherwise run
// with the default batch size; the error names the camelCase key that was meant.
// parse() binds Python-style calls: after the required arguments, any prefix of the optional ones
// positionally and the rest in one trailing options object — F.leakyRelu(x, 0.2),
// F.leakyRelu(x, { negativeSlope: 0.2, inplace: true }) and F.leakyRelu(x, 0.2, { inplace: true }).
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

type Positional<O, N extends readonly (keyof O)[]> = { -readonly [I in keyof N]: Exclude<O[N[I] & keyof O], undefined> | undefined };

type WithOptions<P extends readonly unknown[], O> = P extends readonly [infer H, ...infer T]
  ? [options?: O] | [H, ...WithOptions<T, O>]
  : [options?: O];

/** The rest parameters of a function whose optional arguments are `N`, in order, with options `O`. */
export type Rest<O, N extends readonly (keyof O)[]> = WithOptions<Positional<O, N>, O>;

/** The arguments a fixed-parameter function was given: trailing undefined ones were left out. */
export function given(args: unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return args.slice(0, n);
}

/** A plain object ({ ... }): the trailing options argument, never an array, tensor or other instance. */
export function isOptions(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Binds `rest` (positionals then an optional options object) to `names`; `kwOnly` names may only
 * come in the options object. Unknown or doubly given arguments raise TorchError, as Python's
 * TypeError does.
 */
export function parse<O extends object>(fn: string, rest: readonly unknown[], names: readonly string[], kwOnly: readonly string[] = []): O {
  let n = rest.length;
  const last = n > 0 ? rest[n - 1] : undefined;
  const options = isOptions(last) ? last : undefined;
  if (options) n--;
  if (n > names.length) throw new TorchError(`${fn}() takes at most ${names.length} optional positional arguments but ${n} were given`);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) out[names[i]] = rest[i];
  if (options) {
    checkKeywords(fn, options, names, kwOnly);
    for (const key of Object.keys(options)) {
      if (names.indexOf(key) >= 0 && names.indexOf(key) < n) throw new TorchError(`${fn}() got multiple values for argument '${key}'`);
      out[key] = options[key];
    }
  }
  return out as O;
}
