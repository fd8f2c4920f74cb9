// Options objects are Python's keyword arguments: a key the function does not take is an error,
// as Python's TypeError, never silently ignored. A ported `{ batch_size: 64 }` would otherwise run
// with the default batch size; the error names the camelCase key that was meant.
// parse() binds Python-style calls: after the required arguments, any prefix of the optional ones
// positionally and the rest in one trailing options object — F.leakyRelu(x, 0.2),
// F.leakyRelu(x, { negativeSlope: 0.2, inplace: true }) and F.leakyRelu(x, 0.2, { inplace: true }).
import { PyTypeError } from './errors';

const squash = (key: string): string => key.replace(/_/g, '').toLowerCase();

/** Raises for any key of `options` that is in none of `allowed` (null and undefined pass). */
export function checkKeywords(fn: string, options: object | null | undefined, ...allowed: (readonly string[])[]): void {
  if (options === null || typeof options !== 'object') return;
  for (const key of Object.keys(options)) {
    if (allowed.some((names) => names.includes(key))) continue;
    const meant = allowed.flat().find((name) => squash(name) === squash(key));
    throw new PyTypeError(`${fn}() got an unexpected keyword argument '${key}'${meant ? ` (did you mean '${meant}'?)` : ''}`);
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
export function given(args: readonly unknown[]): unknown[] {
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
 * come in the options object. Unknown or doubly given arguments raise Python's TypeError
 * (PyTypeError, a TorchError).
 */
export function parse<O extends object>(fn: string, rest: readonly unknown[], names: readonly string[], kwOnly: readonly string[] = []): O {
  let n = rest.length;
  const last = n > 0 ? rest[n - 1] : undefined;
  const options = isOptions(last) ? last : undefined;
  if (options) n--;
  if (n > names.length) throw new PyTypeError(`${fn}() takes at most ${names.length} optional positional arguments but ${n} were given`);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) out[names[i]] = rest[i];
  if (options) {
    checkKeywords(fn, options, names, kwOnly);
    for (const key of Object.keys(options)) {
      if (names.indexOf(key) >= 0 && names.indexOf(key) < n) throw new PyTypeError(`${fn}() got multiple values for argument '${key}'`);
      out[key] = options[key];
    }
  }
  return out as O;
}

// bind() and Call<> extend parse() and Rest<> to signatures with required parameters, such as the
// nn layers' constructors: Python's Linear(in_features, out_features, bias=True, *, device, dtype)
// takes Linear(784, 20), Linear(784, 20, False), Linear(784, { outFeatures: 20 }) and
// Linear({ inFeatures: 784, outFeatures: 20, bias: false }) alike.

type PositionalOf<A, N extends readonly PropertyKey[]> = { -readonly [I in keyof N]: Exclude<A[N[I] & keyof A], undefined> | undefined };

/**
 * The arguments of a Python signature over the parameters `A` (required ones non-optional): the
 * required names `R` in order, then the optional positional ones `P`; from any point on, the rest
 * come in one trailing options object, which must then hold the required ones not given yet.
 */
export type Call<A, R extends readonly (keyof A)[], P extends readonly (keyof A)[], G extends keyof A = never> = R extends readonly [
  infer H extends keyof A,
  ...infer T extends readonly (keyof A)[],
]
  ? [options: Omit<A, G>] | [A[H], ...Call<A, T, P, G | H>]
  : WithOptions<PositionalOf<A, P>, Omit<A, G>>;

/** Python's list of missing argument names: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
function pyNames(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 2) return q.join(' and ');
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/**
 * Binds `args` to a signature with `required` parameters, then the optional `positional` ones,
 * then `kwOnly` ones only accepted by keyword: any prefix positionally and the rest in a trailing
 * options object (trailing undefined arguments count as not given). Python's TypeErrors, as
 * PyTypeError: an unknown keyword (with the name meant), a parameter given both ways ("multiple
 * values"), a required one given neither way ("missing"), too many positional arguments.
 * Returns the given parameters by name (absent when not given).
 */
export function bind<A extends object>(fn: string, allArgs: readonly unknown[], required: readonly string[], positional: readonly string[] = [], ...kwOnly: (readonly string[])[]): A {
  const args = given(allArgs);
  let n = args.length;
  const last = n > 0 ? args[n - 1] : undefined;
  const options = isOptions(last) ? last : undefined;
  if (options) n--;
  const names = [...required, ...positional];
  if (n > names.length) {
    const takes = positional.length === 0 ? `${names.length}` : `from ${required.length} to ${names.length}`;
    throw new PyTypeError(`${fn}() takes ${takes} positional argument${takes === '1' ? '' : 's'} but ${n} ${n === 1 ? 'was' : 'were'} given`);
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) out[names[i]] = args[i];
  if (options) {
    checkKeywords(fn, options, names, ...kwOnly);
    for (const key of Object.keys(options)) {
      const at = names.indexOf(key);
      if (at >= 0 && at < n) throw new PyTypeError(`${fn}() got multiple values for argument '${key}'`);
      out[key] = options[key];
    }
  }
  const missing = required.filter((k) => out[k] === undefined);
  if (missing.length) {
    throw new PyTypeError(`${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${pyNames(missing)}`);
  }
  return out as A;
}

/** A signature for bind(), named once: its lists of names and, through ArgsOf, its argument types. */
export interface Signature<A, R extends readonly (keyof A)[], P extends readonly (keyof A)[]> {
  readonly required: R;
  readonly positional: P;
  readonly kwOnly: readonly (readonly string[])[];
  /** bind(fn, args, required, positional, ...kwOnly) */
  bind(fn: string, args: readonly unknown[]): A;
}

/** The rest parameters of a function with signature `S` (a Signature). */
export type ArgsOf<S> = S extends Signature<infer A, infer R, infer P> ? Call<A, R, P> : never;

/**
 * `signature<LinearArgs>()(['inFeatures', 'outFeatures'], ['bias', 'device', 'dtype'])`: the required
 * names, the optional positional ones (both checked against A's keys), then lists of keyword-only ones.
 */
export function signature<A extends object>() {
  return <const R extends readonly (keyof A & string)[], const P extends readonly (keyof A & string)[]>(
    required: R,
    positional: P,
    ...kwOnly: (readonly string[])[]
  ): Signature<A, R, P> => ({
    required,
    positional,
    kwOnly,
    bind: (fn, args) => bind<A>(fn, args, required, positional, ...kwOnly),
  });
}
