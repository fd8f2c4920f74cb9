// argnums: which positional arguments a transform differentiates (an index, or an array of them
// standing for Python's tuple), checked with functorch's messages.
import { TorchError, pyType } from '../errors';
import { treeRepr } from './names';

export type Argnums = number | readonly number[];

function wrapArgnum(argnum: unknown, numArgs: number): number {
  if (!Number.isInteger(argnum)) throw new TorchError(`argnum must be int, got: ${pyType(argnum)}`);
  const a = argnum as number;
  if (a >= 0 && a < numArgs) return a;
  if (a < 0 && a >= -numArgs) return a + numArgs;
  throw new TorchError(`Got argnum=${a}, but only ${numArgs} positional inputs`);
}

/** Python's _validate_and_wrap_argnums with _check_unique_non_empty: the indices, negatives wrapped. */
export function checkArgnums(argnums: unknown, numArgs: number): number | number[] {
  if (!Number.isInteger(argnums) && !Array.isArray(argnums)) {
    throw new TorchError(`argnums must be int or Tuple[int, ...], got: ${pyType(argnums)}`);
  }
  if (!Array.isArray(argnums)) return wrapArgnum(argnums, numArgs);
  const wrapped = argnums.map((a) => wrapArgnum(a, numArgs));
  if (wrapped.length === 0) throw new TorchError('argnums must be non-empty');
  if (new Set(wrapped).size !== wrapped.length) throw new TorchError(`argnums elements must be unique, got ${treeRepr(wrapped)}`);
  return wrapped;
}

/** Python's _slice_argnums: the selected argument (an int argnums, asTuple false) or an array of them. */
export function sliceArgnums(args: readonly unknown[], argnums: unknown, asTuple = true): unknown {
  const picked = checkArgnums(argnums, args.length);
  if (typeof picked === 'number') return asTuple ? [args[picked]] : args[picked];
  return picked.map((i) => args[i]);
}

/** Python's _replace_args: args with the selected ones replaced by newArgs (one per selected index). */
export function replaceArgs(oldArgs: readonly unknown[], newArgs: readonly unknown[], argnums: Argnums): unknown[] {
  const picked = checkArgnums(argnums, oldArgs.length);
  if (typeof picked === 'number') return oldArgs.map((a, i) => (i === picked ? newArgs[0] : a));
  return oldArgs.map((a, i) => (picked.includes(i) ? newArgs[picked.indexOf(i)] : a));
}
