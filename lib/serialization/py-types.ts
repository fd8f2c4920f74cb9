// Python types that JS values cannot tell apart, kept beside the values so that torch.save writes
// what Python would: a tuple (a JS array, like a list) and an integral float (1.0 is the number 1).
// Marks live in weak collections, so the values users see stay plain arrays and numbers.

const tuples = new WeakSet<unknown[]>();
const floatKeys = new WeakMap<object, ReadonlySet<string>>();

/** Marks an array as a Python tuple (the unpickler's tuples; optimizers' betas) and returns it. */
export function asTuple<T extends unknown[]>(items: T): T {
  tuples.add(items);
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && tuples.has(v);
}

/** Says that these keys of a plain object hold Python floats, so 1 is saved as 1.0; returns obj. */
export function withFloatKeys<T extends object>(obj: T, keys: Iterable<string>): T {
  floatKeys.set(obj, new Set(keys));
  return obj;
}

/** Whether obj[key] is a Python float by withFloatKeys. */
export function isFloatKey(obj: object, key: unknown): boolean {
  return typeof key === 'string' && (floatKeys.get(obj)?.has(key) ?? false);
}
