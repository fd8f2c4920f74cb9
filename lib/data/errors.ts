// The Python exceptions PyTorch's data utilities raise (defined in lib/errors.ts), with their
// messages word for word, and pyRepr for the messages that print a value.
export { PyTypeError, ValueError, AssertionError } from '../errors';

/** Python's repr of a JS value, for messages that print one (e.g. `shuffle=True`). */
export function pyRepr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'object' || typeof v === 'function') return `<${(v as object).constructor?.name ?? 'object'} object>`;
  return String(v);
}
