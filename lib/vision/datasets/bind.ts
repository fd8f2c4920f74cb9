// Python-style arguments for the dataset constructors: ImageFolder(root, transform) as well as
// ImageFolder(root, { transform }) and ImageFolder({ root, transform }), as bind() binds them.
import { bind } from '../../keywords';

/**
 * Binds a dataset constructor's arguments: the `required` ones (root, ...) positionally or in the
 * trailing options object, then any prefix of `optional` positionally and the rest by keyword, with
 * Python's TypeErrors (keywords.bind).
 */
export function bindDatasetArgs<O>(fn: string, args: readonly unknown[], required: readonly string[], optional: readonly string[]): O {
  return bind<O & object>(fn, args, required, optional);
}
