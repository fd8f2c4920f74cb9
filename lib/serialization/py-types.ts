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

const orderedDicts = new WeakMap<object, Readonly<Record<string, unknown>>>();

/**
 * Marks a dict as a Python OrderedDict with these instance attributes (a state_dict's `_metadata`,
 * or none): torch.save writes it as one, as Python's torch.save(model.state_dict()) does. Returns obj.
 */
export function asOrderedDict<T extends object>(obj: T, attributes: Record<string, unknown> = {}): T {
  orderedDicts.set(obj, attributes);
  return obj;
}

/** The instance attributes of a dict marked as an OrderedDict, or undefined for a plain dict. */
export function orderedDictAttributes(obj: object): Readonly<Record<string, unknown>> | undefined {
  return orderedDicts.get(obj);
}

/** Gives `copy` the Python types `original` has (tuple, float keys, OrderedDict with its attributes, each through copyValue), for deep copies. */
export function copyPyTypes<T extends object>(original: object, copy: T, copyValue: (v: unknown) => unknown): T {
  if (Array.isArray(original) && tuples.has(original)) tuples.add(copy as unknown as unknown[]);
  const floats = floatKeys.get(original);
  if (floats) floatKeys.set(copy, floats);
  const attributes = orderedDicts.get(original);
  if (attributes) orderedDicts.set(copy, Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, copyValue(v)])));
  return copy;
}
