// Lazy modules (nn.LazyLinear, ...) in whole-module pickles. Before its first forward, Python's lazy
// module pickles its UninitializedParameters as REDUCE(UninitializedParameter, (requires_grad,)) and
// its two hooks: a forward pre-hook getattr(module, '_infer_parameters') and a load_state_dict
// pre-hook _WrappedHook(getattr(module, '_lazy_load_hook')), with RemovableHandles that point into
// those hook dicts. Loading keeps none of those Python objects: a lazy module gets our own lazy hook
// back; saving writes them as Python's instance has them, so Python's copy initialises on its forward.
import { TorchError } from '../../errors';
import { Pickler } from '../pickler';
import { PyGlobal, unpicklingError } from '../unpickler';
import { asOrderedDict } from '../py-types';
import { moduleSupport } from './registry';
import { ModuleRef } from './load-module';
import { PyValue } from './py-value';

/** getattr(module, name) of one of LazyModuleMixin's hook methods, as a value. */
export class LazyHookRef {
  constructor(readonly method: string) {}
}

const HOOK_METHODS = new Set(['_infer_parameters', '_lazy_load_hook']);

const GETATTR: PyGlobal = {
  qualifiedName: 'builtins.getattr',
  call(args) {
    const [obj, name] = args;
    if (!(obj instanceof ModuleRef) || typeof name !== 'string' || !HOOK_METHODS.has(name)) {
      throw unpicklingError('getattr is only allowed for the hook methods of lazy modules (_infer_parameters, _lazy_load_hook)');
    }
    return new LazyHookRef(name);
  },
};

/**
 * _WrappedHook and RemovableHandle: rebuilt as empty dicts (their BUILD is then accepted and
 * dropped), since loading reinstalls our own hook instead of Python's.
 */
function hookObject(qualifiedName: string): PyGlobal {
  return {
    qualifiedName,
    call() {
      throw unpicklingError(`calling ${qualifiedName} is not allowed`);
    },
    newObj(args) {
      if (args.length !== 0) throw unpicklingError(`${qualifiedName}.__new__ takes no arguments here`);
      return new Map();
    },
  };
}

function uninitialized(qualifiedName: string, kind: 'UninitializedParameter' | 'UninitializedBuffer'): PyGlobal {
  return {
    qualifiedName,
    call(args) {
      const lazy = moduleSupport()?.lazy;
      if (!lazy) throw unpicklingError(`${qualifiedName}: torch-node/nn is not loaded`);
      if (args.length > 1 || (args.length === 1 && typeof args[0] !== 'boolean')) throw unpicklingError(`${qualifiedName} takes (requires_grad,) here`);
      return new lazy[kind](args.length ? (args[0] as boolean) : kind === 'UninitializedParameter');
    },
  };
}

const LAZY_GLOBALS: Record<string, PyGlobal> = {
  'builtins.getattr': GETATTR,
  '__builtin__.getattr': GETATTR,
  'torch.nn.modules.module._WrappedHook': hookObject('torch.nn.modules.module._WrappedHook'),
  'torch.utils.hooks.RemovableHandle': hookObject('torch.utils.hooks.RemovableHandle'),
  'torch.nn.parameter.UninitializedParameter': uninitialized('torch.nn.parameter.UninitializedParameter', 'UninitializedParameter'),
  'torch.nn.parameter.UninitializedBuffer': uninitialized('torch.nn.parameter.UninitializedBuffer', 'UninitializedBuffer'),
};

export function findLazyGlobal(path: string): PyGlobal | undefined {
  return Object.prototype.hasOwnProperty.call(LAZY_GLOBALS, path) ? LAZY_GLOBALS[path] : undefined;
}

/** A class that turns into another after its first forward (LazyModuleMixin's cls_to_become). */
function becomes(cls: Function): Function | undefined {
  const to = (cls as { clsToBecome?: unknown }).clsToBecome;
  return typeof to === 'function' ? to : undefined;
}

/** After loading: a module whose Python forward pre-hooks held _infer_parameters gets our lazy hook. */
export function restoreLazyHook(shell: object, forwardPreHooks: unknown, ref: ModuleRef): void {
  const hooks = forwardPreHooks instanceof Map ? [...forwardPreHooks.values()] : forwardPreHooks && typeof forwardPreHooks === 'object' ? Object.values(forwardPreHooks) : [];
  if (!hooks.some((h) => h instanceof LazyHookRef && h.method === '_infer_parameters')) return;
  const to = becomes(ref.cls);
  const lazy = moduleSupport()?.lazy;
  if (!to || !lazy) throw new TorchError(`cannot load ${ref.path}: it is not a lazy module, but its state holds a lazy module's hook`);
  lazy.lazyInit(shell, to);
}

/** An uninitialised parameter or buffer as Python pickles it: REDUCE(cls, (requires_grad,)). */
class UninitializedValue extends PyValue {
  constructor(
    readonly kind: 'UninitializedParameter' | 'UninitializedBuffer',
    readonly requiresGrad: boolean,
  ) {
    super();
  }
  write(p: Pickler): void {
    p.global('torch.nn.parameter', this.kind);
    p.mark();
    p.write(this.requiresGrad);
    p.tuple();
    p.reduce();
  }
}

/** A member as saved: an uninitialised tensor as its class, anything else as itself. */
export function lazyMember(v: unknown): unknown {
  const support = moduleSupport();
  if (!support?.lazy?.isLazy(v)) return v;
  const kind = v instanceof support.Parameter ? 'UninitializedParameter' : 'UninitializedBuffer';
  return new UninitializedValue(kind, (v as { requiresGrad: boolean }).requiresGrad);
}

/** getattr(module, method): the module is memoized before its state, so this refers back to it. */
class BoundHook extends PyValue {
  constructor(
    readonly module: object,
    readonly method: string,
  ) {
    super();
  }
  write(p: Pickler): void {
    p.global('__builtin__', 'getattr');
    p.mark();
    p.write(this.module);
    p.write(this.method);
    p.tuple();
    p.reduce();
  }
}

/** NEWOBJ of a hook class, then BUILD with `state`. */
class HookObject extends PyValue {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly state: unknown,
  ) {
    super();
  }
  write(p: Pickler): void {
    p.global(this.module, this.name);
    p.writeTuple([]);
    p.byte(0x81); // NEWOBJ
    p.write(this.state);
    p.byte(0x62); // BUILD
  }
}

/** A RemovableHandle's state: the hooks dict it points into (the same object, memoized) and its id. */
class HandleState extends PyValue {
  constructor(
    readonly hooks: Map<number, unknown>,
    readonly id: number,
  ) {
    super();
  }
  write(p: Pickler): void {
    p.mark();
    p.write(this.hooks);
    p.write(this.id);
    p.tuple();
  }
}

// hook ids as a fresh Python process numbers them for one lazy module
const LOAD_HOOK_ID = 0;
const INITIALIZE_HOOK_ID = 1;

/**
 * A still-lazy module's Python state: its hooks as LazyModuleMixin.__init__ registers them, the
 * handles at the end of the __dict__ (after the class's other attributes).
 */
export function addLazyState(m: object, state: Record<string, unknown>): void {
  if (!becomes(m.constructor)) return;
  const loadHooks = asOrderedDict(new Map<number, unknown>([[LOAD_HOOK_ID, new HookObject('torch.nn.modules.module', '_WrappedHook', new Map<string, unknown>([['hook', new BoundHook(m, '_lazy_load_hook')], ['with_module', false]]))]]));
  const forwardHooks = asOrderedDict(new Map<number, unknown>([[INITIALIZE_HOOK_ID, new BoundHook(m, '_infer_parameters')]]));
  state._forward_pre_hooks = forwardHooks;
  state._load_state_dict_pre_hooks = loadHooks;
  state._load_hook = new HookObject('torch.utils.hooks', 'RemovableHandle', new HandleState(loadHooks, LOAD_HOOK_ID));
  state._initialize_hook = new HookObject('torch.utils.hooks', 'RemovableHandle', new HandleState(forwardHooks, INITIALIZE_HOOK_ID));
}
