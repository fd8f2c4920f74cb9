// Python's pickle.load(f, encoding='latin1') for the data-only pickles datasets ship (CIFAR's
// batches: dicts of lists, strings and numpy arrays), through torch.load's restricted unpickler and
// allowlist: nothing in the file can run code, and numpy arrays become tensors. Python 2 pickles
// hold an array's raw bytes as a str, which encoding='latin1' turns into a str that numpy encodes
// back to latin1 bytes; the same is done here before the array takes its state.
import { unpickle, unpicklingError, UnpicklerHooks } from '../../../serialization/unpickler';
import { restrictedHooks } from '../../../serialization/allowlist';
import { NumpyArray } from '../../../serialization/numpy';
import { isTuple, asTuple } from '../../../serialization/py-types';

/** Python values: null, boolean, number, bigint, string, Uint8Array, arrays, Maps, Sets, tensors. */
export type PlainValue = unknown;

const hooks: UnpicklerHooks = (() => {
  const restricted = restrictedHooks(() => {
    throw unpicklingError('a plain pickle has no persistent ids (is this a torch.save file? use torch.load)');
  });
  return {
    ...restricted,
    build(target, state) {
      if (target instanceof NumpyArray && Array.isArray(state) && typeof state[state.length - 1] === 'string') {
        const raw = state[state.length - 1] as string;
        const copy = [...state.slice(0, -1), new Uint8Array(Buffer.from(raw, 'latin1'))];
        state = isTuple(state) ? asTuple(copy) : copy;
      }
      return restricted.build!(target, state);
    },
  };
})();

/** Numpy arrays -> tensors, everywhere in the value (dicts stay Maps, as their keys may be any). */
function arraysToTensors(v: PlainValue, seen = new Map<object, unknown>()): PlainValue {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (v instanceof NumpyArray) {
    const t = v.toTensor();
    seen.set(v, t);
    return t;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const item of v) out.push(arraysToTensors(item, seen));
    return isTuple(v) ? asTuple(out) : out;
  }
  if (v instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(v, out);
    for (const [k, item] of v) out.set(k, arraysToTensors(item, seen));
    return out;
  }
  return v;
}

/** pickle.loads(data, encoding='latin1') of a data-only pickle. */
export function loadPlainPickle(data: Uint8Array): PlainValue {
  return arraysToTensors(unpickle(data, hooks).value);
}
