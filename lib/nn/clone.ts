// copy.deepcopy for modules: a new module of the same class with copies of every parameter, buffer
// and submodule (shared ones stay shared in the copy, as with deepcopy's memo), the same training
// mode and hooks, and the same configuration. The constructor is not run again, so no random
// numbers are drawn: the copy's weights equal the original's (nn.TransformerEncoder's layers).
import { Tensor } from '../tensor/tensor';
import { Module } from './module';
import { Parameter } from './parameter';
import { UninitializedBuffer, UninitializedParameter } from './lazy';
import { copyPyTypes } from '../serialization/py-types';

/** The bookkeeping module.ts keeps per instance (training flag, buffer names, hooks). */
interface ModuleStateLike {
  training: boolean;
  buffers: Set<string>;
  nonPersistent: Set<string>;
  preHooks: Map<number, unknown>;
  hooks: Map<number, unknown>;
}

function stateOf(m: Module): ModuleStateLike {
  return (m as unknown as { _s: ModuleStateLike })._s;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function copyModule(src: Module, memo: Map<unknown, unknown>): Module {
  // Module's own constructor only: a fresh callable of the same class, with no fields set yet.
  const ctor = src.constructor as new () => Module;
  const out = Reflect.construct(Module, [], ctor) as Module;
  memo.set(src, out);
  const from = stateOf(src);
  const to = stateOf(out);
  to.training = from.training;
  to.buffers = new Set(from.buffers);
  to.nonPersistent = new Set(from.nonPersistent);
  to.preHooks = new Map(from.preHooks);
  to.hooks = new Map(from.hooks);
  for (const key of Reflect.ownKeys(src)) {
    if (typeof key === 'symbol') continue;
    const d = Object.getOwnPropertyDescriptor(src, key)!;
    if ('value' in d) d.value = deepcopy(d.value, memo);
    Object.defineProperty(out, key, d);
  }
  return out;
}

/**
 * Python's copy.deepcopy over modules, tensors (leaf tensors: data copied, requires_grad kept;
 * Parameters stay Parameters), arrays and plain objects; functions and other class instances
 * (dtypes, devices) are kept as they are.
 */
export function deepcopy<T>(value: T, memo: Map<unknown, unknown> = new Map()): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (memo.has(value)) return memo.get(value) as T;
  let out: unknown;
  if (value instanceof Module) {
    out = copyModule(value, memo);
  } else if (value instanceof UninitializedParameter) {
    // Python's UninitializedParameter.__deepcopy__: a new uninitialised one alike
    out = new UninitializedParameter(value.requiresGrad, value.device, value.dtype);
  } else if (value instanceof UninitializedBuffer) {
    out = new UninitializedBuffer(value.requiresGrad, value.device, value.dtype);
  } else if (value instanceof Parameter) {
    out = new Parameter(value.detach().clone(), value.requiresGrad);
  } else if (value instanceof Tensor) {
    out = value.detach().clone().requiresGrad_(value.requiresGrad);
  } else if (Array.isArray(value)) {
    const arr: unknown[] = [];
    memo.set(value, arr);
    for (const v of value) arr.push(deepcopy(v, memo));
    out = arr;
  } else if (value instanceof Map) {
    const m = new Map();
    memo.set(value, m);
    for (const [k, v] of value) m.set(deepcopy(k, memo), deepcopy(v, memo));
    out = m;
  } else if (value instanceof Set) {
    const s = new Set();
    memo.set(value, s);
    for (const v of value) s.add(deepcopy(v, memo));
    out = s;
  } else if (typeof value === 'object' && isPlainObject(value)) {
    const o = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    memo.set(value, o);
    for (const [k, v] of Object.entries(value)) o[k] = deepcopy(v, memo);
    out = o;
  } else {
    out = value;
  }
  // a state_dict stays an OrderedDict with its _metadata, a tuple a tuple (as Python's deepcopy keeps them)
  if (out !== value) copyPyTypes(value, out as object, (v) => deepcopy(v, memo));
  memo.set(value, out);
  return out as T;
}
