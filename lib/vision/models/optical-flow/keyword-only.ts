// The RAFT parts take keyword-only arguments (Python's `*`): unknown keys and required keys left
// out raise Python's TypeErrors.
import { PyTypeError } from '../../../errors';
import { checkKeywords } from '../../../keywords';

/** Python's "missing required keyword-only argument" for the `required` keys of `given` left undefined. */
export function requireKeywords(fn: string, given: object, required: readonly string[]): void {
  const missing = required.filter((k) => (given as Record<string, unknown>)[k] === undefined);
  if (missing.length === 0) return;
  const names = missing.map((n) => `'${n}'`);
  const list = names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
  throw new PyTypeError(`${fn}() missing ${missing.length} required keyword-only argument${missing.length > 1 ? 's' : ''}: ${list}`);
}

/** An options object of keyword-only arguments: every key among `allowed`, every `required` one given. */
export function keywordOnly(fn: string, options: object, allowed: readonly string[], required: readonly string[] = []): void {
  checkKeywords(fn, options, allowed);
  requireKeywords(fn, options, required);
}
