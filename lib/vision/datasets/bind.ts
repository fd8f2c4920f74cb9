// Python-style arguments for the dataset constructors: ImageFolder(root, transform) as well as
// ImageFolder(root, { transform }) and ImageFolder({ root, transform }), as parse() binds them.
import { isOptions, parse } from '../../keywords';
import { PyTypeError } from '../../data/errors';

/**
 * Binds a dataset constructor's arguments: the `required` ones (root, ...) positionally or in the
 * trailing options object, then any prefix of `optional` positionally and the rest by keyword
 * (trailing undefined arguments count as not given). Python's TypeErrors: an unknown keyword, one
 * given twice, a required one missing, too many positional arguments.
 */
export function bindDatasetArgs<O>(fn: string, args: readonly unknown[], required: readonly string[], optional: readonly string[]): O {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const positional = n > 0 && isOptions(args[n - 1]) ? n - 1 : n;
  const most = required.length + optional.length;
  if (positional > most) {
    const takes = required.length === most ? `${most}` : `from ${required.length} to ${most}`;
    throw new PyTypeError(`${fn}() takes ${takes} positional arguments but ${positional} were given`);
  }
  const out = parse<Record<string, unknown>>(fn, args.slice(0, n), [...required, ...optional]);
  const missing = required.filter((k) => out[k] === undefined);
  if (missing.length) {
    const names = missing.map((k) => `'${k}'`).join(' and ');
    throw new PyTypeError(`${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${names}`);
  }
  return out as O;
}
