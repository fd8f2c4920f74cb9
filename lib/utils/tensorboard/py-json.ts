// Python's json.dumps(obj, sort_keys=True): its ', ' and ': ' separators, keys sorted, non-ASCII
// escaped (ensure_ascii), floats as Python's repr. JS has one number type: a whole number is an int.
import { PyTypeError } from '../../errors';
import { pyNumber } from '../../py-format';

/** json's float: repr, and NaN / Infinity for the values JSON lacks. */
function number(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return pyNumber(x);
}

/** A JSON string with every character outside ' '..'~' as \uXXXX, as ensure_ascii writes it. */
function string(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** null, booleans, numbers, strings, arrays and plain objects (keys whose value is undefined left out, as JSON.stringify does). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return number(value);
  if (typeof value === 'string') return string(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${string(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
  }
  const type = (proto as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? typeof value;
  throw new PyTypeError(`Object of type ${type} is not JSON serializable`);
}
