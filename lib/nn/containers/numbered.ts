// Shared by Sequential, ModuleList and ParameterList. Their members are own properties under their
// names ('0', '1', ... or, in a Sequential, any name), registered through Module's traps. What
// Python reads positionally (seq[i], list[-1]) is kept in non-enumerable own data properties beside
// them, rewritten after every change of members (_membersChanged): reading `seq[1]` or `ml[-1]`
// stays a plain property read, with no get trap; assigning or deleting one goes through the
// container's _defineOwn/_deleteOwn (Python's __setitem__/__delitem__).
import { TorchError } from '../../errors';
import type { Module } from '../module';

/** The numbered own keys in index order. */
export function numberedKeys(owner: object): string[] {
  return Object.keys(owner).filter((k) => /^(0|[1-9]\d*)$/.test(k));
}

/** A property key that JavaScript's `x[i]` makes from an integer i, negative ones included. */
export function isIndexKey(key: string): boolean {
  return /^-?(0|[1-9]\d*)$/.test(key);
}

/**
 * [[Set]] on an existing property (`seq[1] = m`) hands the defineProperty trap the value alone; a
 * new property or Object.defineProperty (a deepcopy filling in a copy) comes with its attributes.
 */
export function isAssignment(desc: PropertyDescriptor): boolean {
  return 'value' in desc && !('writable' in desc) && !('enumerable' in desc) && !('configurable' in desc);
}

/** A derived index property being defined (an accessor, or non-enumerable: deepcopy copies them too). */
export function isDerived(desc: PropertyDescriptor): boolean {
  return !('value' in desc) || desc.enumerable === false;
}

// Containers whose constructor ran: for them a new index key is Python's __setitem__ (an
// IndexError past the end); a copy made by deepcopy (no constructor) registers it by name instead.
const built = new WeakSet<object>();

export function markBuilt(owner: object): void {
  built.add(owner);
}

export function isBuilt(owner: object): boolean {
  return built.has(owner);
}

// Containers in the middle of a batch of registrations (constructor, extend): their index
// properties are rebuilt once at the end instead of after every member.
const deferred = new WeakSet<object>();

/** Runs fn with the index properties' upkeep deferred to its end. */
export function batch<T>(owner: Module, fn: () => T): T {
  if (deferred.has(owner)) return fn();
  deferred.add(owner);
  try {
    return fn();
  } finally {
    deferred.delete(owner);
    owner._membersChanged();
  }
}

export function isDeferred(owner: object): boolean {
  return deferred.has(owner);
}

/** Python's index rules: negatives count from the end; out of range is an IndexError. */
export function normalizeIndex(i: number, length: number, kind: string): number {
  if (!Number.isInteger(i)) throw new TorchError(`${kind} indices must be integers, not ${typeof i}`);
  const j = i < 0 ? i + length : i;
  if (j < 0 || j >= length) throw new TorchError(`index ${i} is out of range`);
  return j;
}

/**
 * Makes the non-enumerable index properties of `owner` exactly `want` (key to value): stale ones
 * go, changed ones are rewritten. A member under such a key (an enumerable property) is left alone.
 */
export function syncIndexProperties(owner: Module, want: Map<string, unknown>): void {
  const raw = owner._rawTarget();
  for (const k of Object.getOwnPropertyNames(raw)) {
    if (!isIndexKey(k) || want.has(k)) continue;
    const d = Reflect.getOwnPropertyDescriptor(raw, k)!;
    if (!d.enumerable) Reflect.deleteProperty(raw, k);
  }
  for (const [k, v] of want) {
    const d = Reflect.getOwnPropertyDescriptor(raw, k);
    if (d !== undefined && (d.enumerable || d.value === v)) continue;
    Reflect.defineProperty(raw, k, { value: v, writable: true, enumerable: false, configurable: true });
  }
}

/** Python's `self._modules = OrderedDict(zip(str_indices, self._modules.values()))` after a deletion. */
export function renumberModules(owner: Module): void {
  const slots = owner._ownModuleSlots();
  for (const [k] of slots) owner._forget(k);
  slots.forEach(([, m], i) => owner._place(String(i), 'module', m));
  owner._membersChanged();
}

/** Python slice semantics for (start, stop) with negatives and clamping. */
export function sliceRange(length: number, start = 0, stop = length): [number, number] {
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + length : v, 0), length);
  return [clamp(start), clamp(stop)];
}
