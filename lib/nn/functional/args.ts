// Python-style argument passing for nn.functional: after the required arguments, any prefix of the
// optional ones may be given positionally, and the rest in one trailing options object with
// camelCase keys — F.leakyRelu(x, 0.2), F.leakyRelu(x, { negativeSlope: 0.2, inplace: true }) and
// F.leakyRelu(x, 0.2, { inplace: true }) are the same call, as in Python.
import { TorchError } from '../../errors';
import { checkKeywords } from '../../keywords';

type Positional<O, N extends readonly (keyof O)[]> = { -readonly [I in keyof N]: Exclude<O[N[I] & keyof O], undefined> | undefined };

type WithOptions<P extends readonly unknown[], O> = P extends readonly [infer H, ...infer T]
  ? [options?: O] | [H, ...WithOptions<T, O>]
  : [options?: O];

/** The rest parameters of a function whose optional arguments are `N`, in order, with options `O`. */
export type Rest<O, N extends readonly (keyof O)[]> = WithOptions<Positional<O, N>, O>;

function isOptions(v: unknown): v is Record<string, unknown> {
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

/** Python's _single/_pair/_triple: a number repeated n times, a list as is. */
export function ntuple(v: number | readonly number[], n: number): number[] {
  return typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
}
