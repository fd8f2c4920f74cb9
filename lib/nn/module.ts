// nn.Module: the base of every layer and model, as torch.nn.Module.
//
// Callable: the constructor returns (a Proxy over) an arrow closure (deleting its own
// `name`/`length`) whose prototype is the subclass's, so `model(x)` runs hooks and forward as
// Python's __call__, with no eval and no Function constructor; the interface below gives
// TypeScript the call signature.
// Registration: children, parameters and buffers are the instance's own properties, registered
// when assigned, in assignment order, by Python's __setattr__ rules (MEMBER_TRAPS below: only
// defineProperty and deleteProperty are trapped, reads go straight to the instance). A class field
// declared without a value takes no slot until a module, Parameter or buffer is assigned to it;
// assigning a plain tensor to a parameter's name is Python's TypeError; `delete m.x` is __delattr__.
// Properties holding registered tensors keep PyTorch's attribute names (`running_mean`), which are
// also the state_dict keys; configuration properties are camelCase (`inFeatures`).
import { TorchError, pyType, pyTypeName, warn } from '../errors';
import { Tensor } from '../tensor/tensor';
import { DType, DTypeLike, toDType, float32, float64, float16, bfloat16 } from '../tensor/dtype';
import { Device, DeviceLike, toDevice, isDeviceString } from '../tensor/device';
import { aten } from '../tensor/aten';
import { noGrad } from '../autograd/grad-mode';
import { keep } from '../memory/scope';
import { Parameter } from './parameter';
import { isLazy } from './lazy';
import { RemovableHandle, addHook } from './hooks';
import { noteCall } from './intermediates';
import { moduleRepr } from './repr';
import { emptyLike } from '../tensor/create';
import { checkKeywords, keysOf, bind, given, isOptions, Rest } from '../keywords';
import { IncompatibleKeys } from './incompatible-keys';
import { asOrderedDict, orderedDictAttributes } from '../serialization/py-types';
import { callableInstance } from '../callable';
import { native } from '../native';
import { pySize } from '../py-format';

export { IncompatibleKeys } from './incompatible-keys';

const setData = aten('set_data', '');
const hasCompatibleShallowCopyType = aten('_has_compatible_shallow_copy_type', '');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** A state_dict: parameter and buffer names to tensors, in PyTorch's key order. */
export type StateDict = Record<string, Tensor>;

export interface StateDictOptions {
  destination?: StateDict;
  prefix?: string;
  keepVars?: boolean;
}

export interface ModuleToOptions {
  device?: DeviceLike;
  dtype?: DTypeLike;
  nonBlocking?: boolean;
  /** torch.channelsLast (4-d tensors) or channelsLast3d (5-d) */
  memoryFormat?: number;
}

// The keyword (and positional) parameters of Module's methods, as PyTorch 1.13 names them.
export interface NamedMembersOptions {
  prefix?: string;
  recurse?: boolean;
}
export interface NamedModulesOptions {
  memo?: Set<Module> | null;
  prefix?: string;
  removeDuplicate?: boolean;
}
export interface LoadStateDictOptions {
  strict?: boolean;
  /** PyTorch 2.1: take the state_dict's tensors themselves (their dtype, device, storage) instead of copying into the module's */
  assign?: boolean;
}

const STATE_DICT_KEYS = keysOf<StateDictOptions>()('destination', 'prefix', 'keepVars');
const TO_KEYS = keysOf<ModuleToOptions>()('device', 'dtype', 'nonBlocking', 'memoryFormat');
const TO_TENSOR_KEYS = ['nonBlocking', 'memoryFormat'];
const MEMBERS = keysOf<NamedMembersOptions>()('prefix', 'recurse');
const MODULES = keysOf<NamedModulesOptions>()('memo', 'prefix', 'removeDuplicate');
const PRE_HOOK_KEYS = ['prepend', 'withKwargs'];
const HOOK_KEYS = ['prepend', 'withKwargs', 'alwaysCall'];
const STATE_DICT_POSITIONAL_WARNING =
  'Positional args are being deprecated, use kwargs instead. Refer to https://pytorch.org/docs/master/generated/torch.nn.Module.html#torch.nn.Module.state_dict for details.';

/**
 * Binds a method's arguments as Python binds them, `self` counted, so that the arity errors carry
 * Python's numbers ("train() takes from 1 to 2 positional arguments but 3 were given").
 */
function method<A extends object>(fn: string, self: Module, args: readonly unknown[], required: readonly string[], positional: readonly string[], ...kwOnly: (readonly string[])[]): A {
  return bind<A>(fn, [self, ...args], ['self', ...required], positional, ...kwOnly);
}

function* values<T>(entries: Iterable<[string, T]>): Generator<T> {
  for (const [, v] of entries) yield v;
}

export type ForwardPreHook = (module: Module, input: unknown[]) => unknown;
export type ForwardHook = (module: Module, input: unknown[], output: unknown) => unknown;
/** PyTorch 2.0's with_kwargs=True pre-hook: kwargs is the call's trailing options object ({} when none); may return [args, kwargs]. */
export type ForwardPreHookWithKwargs = (module: Module, args: unknown[], kwargs: Record<string, unknown>) => [unknown[], Record<string, unknown>] | undefined | void;
/** PyTorch 2.0's with_kwargs=True forward hook. */
export type ForwardHookWithKwargs = (module: Module, args: unknown[], kwargs: Record<string, unknown>, output: unknown) => unknown;
export interface ForwardPreHookOptions {
  prepend?: boolean;
  withKwargs?: boolean;
}
export interface ForwardHookOptions extends ForwardPreHookOptions {
  /** run even when forward (or a pre-hook) raises, with output null, before the error propagates */
  alwaysCall?: boolean;
}

/** Marks a stored forward hook registered with alwaysCall (a property of the function, so deepcopy keeps it). */
const ALWAYS_CALL = Symbol('alwaysCall');

/** A call's arguments as Python's (args, kwargs): JS passes keyword arguments as a trailing options object. */
function splitKwargs(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  return isOptions(last) ? [args.slice(0, -1), last] : [args, {}];
}

/** A withKwargs pre-hook in the stored (module, args) form. */
function kwargsPreHook(hook: ForwardPreHookWithKwargs): ForwardPreHook {
  return (module, args) => {
    const [positional, kwargs] = splitKwargs(args);
    const r = hook(module, positional, kwargs);
    if (r === undefined) return undefined;
    if (!Array.isArray(r) || r.length !== 2 || !Array.isArray(r[0])) {
      throw new TorchError(`forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${String(r)}.`);
    }
    const [newArgs, newKwargs] = r;
    return newKwargs && Object.keys(newKwargs).length > 0 ? [...newArgs, newKwargs] : newArgs;
  };
}

/** What a registered name holds: Python's _parameters, _buffers or _modules. */
export type MemberKind = 'parameter' | 'buffer' | 'module';

/** Per-instance bookkeeping that is not a member (kept out of own-property discovery). */
interface ModuleState {
  training: boolean;
  /** names of registered buffers (own properties holding Tensor or null) */
  buffers: Set<string>;
  nonPersistent: Set<string>;
  preHooks: Map<number, ForwardPreHook>;
  hooks: Map<number, ForwardHook>;
  /**
   * The registered names in the order Python's __setattr__ gives them (its _parameters, _buffers
   * and _modules in one map: a name that changes kind moves to the end, as it does there), None
   * slots included. Values live in the instance's own properties.
   */
  members: Map<string, MemberKind>;
  /** the instance behind the Proxy (writes to it skip registration) and the Proxy itself */
  target: Module;
  self: Module;
}

const STATE = Symbol('torch-node module state');
const NONE = { toString: () => 'None' };

// Registration traps. A module is a Proxy over its callable with only these two traps (reads and
// calls go straight to the target): every definition or assignment of a string-keyed property,
// class fields included, and every delete goes through the module's _defineOwn/_deleteOwn, which
// apply Python's __setattr__/__delattr__ rules. Holding the order in state.members lets a field
// declared without a value (`decoder: nn.Linear;`, defined as undefined before the constructor
// body under ES2022 class fields) take its slot only when a module is assigned to it.
const MEMBER_TRAPS: ProxyHandler<Module> = {
  defineProperty(target, key, desc) {
    if (typeof key === 'symbol') return Reflect.defineProperty(target, key, desc);
    const s = (target as unknown as Record<symbol, ModuleState>)[STATE];
    return target._defineOwn.call(s.self, key, desc);
  },
  deleteProperty(target, key) {
    if (typeof key === 'symbol') return Reflect.deleteProperty(target, key);
    const s = (target as unknown as Record<symbol, ModuleState>)[STATE];
    return target._deleteOwn.call(s.self, key);
  },
};

/** Python's torch.typename(value), for the assignment errors. */
function torchTypename(v: unknown): string {
  if (v instanceof Tensor) return v.type() as string;
  return pyTypeName(v);
}

/** Python's `self._parameters[name] = v` (and _buffers, _modules), or forgetting the name (kind undefined). */
function place(s: ModuleState, key: string, next: MemberKind | undefined, value: unknown, desc?: PropertyDescriptor): boolean {
  const target = s.target as unknown as Record<string, unknown>;
  const registered = s.members.get(key);
  const old = Reflect.getOwnPropertyDescriptor(target, key);
  let d: PropertyDescriptor = desc ?? { value, writable: true, enumerable: true, configurable: true };
  if (next !== undefined && next !== registered && old !== undefined && old.configurable) {
    // a new slot: the property moves to the end of the own keys as well (deepcopy copies in that order)
    Reflect.deleteProperty(target, key);
    d = { value, writable: d.writable ?? old.writable ?? true, enumerable: d.enumerable ?? old.enumerable ?? true, configurable: d.configurable ?? true };
  }
  if (!Reflect.defineProperty(target, key, d)) return false;
  const enumerable = Reflect.getOwnPropertyDescriptor(target, key)?.enumerable ?? false;
  if (next === undefined || !enumerable) {
    s.members.delete(key);
    s.buffers.delete(key);
    s.nonPersistent.delete(key);
    return true;
  }
  if (next !== registered) {
    s.members.delete(key);
    s.members.set(key, next);
  }
  if (next === 'buffer') {
    s.buffers.add(key);
  } else {
    s.buffers.delete(key);
    s.nonPersistent.delete(key);
  }
  return true;
}

/** model(...args): forward pre-hooks, forward, forward hooks (Python's __call__); `this` is the Proxy. */
/** While torch.jit.trace runs: each submodule's scope name (Python's _trace_module_map), else null. */
let traceScopes: ReadonlyMap<Module, string> | null = null;

/** @internal torch.jit.trace sets the scope names for the length of a trace. */
export function _setTraceScopes(scopes: ReadonlyMap<Module, string> | null): void {
  traceScopes = scopes;
}

/** forward, inside its module's trace scope when a trace is recording (Python's _slow_forward). */
function runForward(s: ModuleState, args: unknown[]): unknown {
  // forward looked up on the target (no trap on the way), called on the module itself
  const forward = s.target.forward as (...a: unknown[]) => unknown;
  const scope = traceScopes?.get(s.self);
  if (scope === undefined) return forward.apply(s.self, args);
  native.jitTraceScope(scope);
  try {
    return forward.apply(s.self, args);
  } finally {
    native.jitTraceScope(null);
  }
}

function callModule(s: ModuleState, args: unknown[]): unknown {
  if (s.hooks.size === 0 || ![...s.hooks.values()].some((h) => ALWAYS_CALL in h)) return runCall(s, args);
  const call = { args, ran: new Set<ForwardHook>() };
  try {
    return runCall(s, args, call);
  } catch (e) {
    // Python runs the alwaysCall hooks that forward's failure skipped, output None, then re-raises
    for (const hook of [...s.hooks.values()]) {
      if (!(ALWAYS_CALL in hook) || call.ran.has(hook)) continue;
      try {
        hook(s.self, call.args, null);
      } catch (inner) {
        warn(`module forward hook with \`\`always_call=True\`\` raised an exception that was silenced as another error was raised in forward: ${(inner as Error).message}`);
      }
    }
    throw e;
  }
}

/** pre-hooks, forward, hooks; `call` (alwaysCall hooks present) tracks the latest args and the hooks that ran. */
function runCall(s: ModuleState, args: unknown[], call?: { args: unknown[]; ran: Set<ForwardHook> }): unknown {
  const self = s.self;
  const hooked = s.preHooks.size > 0 || s.hooks.size > 0;
  if (s.preHooks.size) {
    noteCall(self, args, undefined, true);
    for (const hook of [...s.preHooks.values()]) {
      const r = hook(self, args);
      if (r !== undefined) args = Array.isArray(r) ? r : [r];
      if (call) call.args = args;
    }
  }
  let out = runForward(s, args);
  if (s.hooks.size) {
    for (const hook of [...s.hooks.values()]) {
      call?.ran.add(hook);
      const r = hook(self, args, out);
      if (r !== undefined) out = r;
    }
  }
  noteCall(self, args, out, hooked);
  return out;
}

function validateName(kind: string, name: unknown, owner: Module): string {
  if (typeof name !== 'string') throw new TorchError(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes('.')) throw new TorchError(`${kind} name can't contain ".", got: ${name}`);
  if (name === '') throw new TorchError(`${kind} name can't be empty string ""`);
  if (name in owner && !Object.prototype.hasOwnProperty.call(owner, name)) {
    throw new TorchError(`attribute '${name}' already exists`);
  }
  return name;
}

export interface Module {
  /** model(x): forward pre-hooks, forward, forward hooks (Python's __call__). */
  (...args: Parameters<this['forward']>): ReturnType<this['forward']>;
}

/** One module's entry of a state_dict's _metadata: Python's local_metadata ({ version }). */
export type LocalMetadata = Readonly<Record<string, unknown>>;

/** metadata[key] as a plain record (metadata loaded from a file may be a Map), or {} */
function localMetadata(metadata: unknown, key: string): LocalMetadata {
  const entry = metadata instanceof Map ? metadata.get(key) : metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[key] : undefined;
  if (entry instanceof Map) return Object.fromEntries(entry);
  return entry && typeof entry === 'object' ? (entry as LocalMetadata) : {};
}

/** An empty state_dict: no prototype (any key is safe), and String(sd) is Python's repr of the OrderedDict. */
function newStateDict(): StateDict {
  const sd = Object.create(null) as StateDict;
  const repr = (): string => `OrderedDict([${Object.entries(sd).map(([k, v]) => `('${k}', ${String(v)})`).join(', ')}])`;
  Object.defineProperty(sd, Symbol.toPrimitive, { value: repr, enumerable: false });
  return sd;
}

export class Module {
  /**
   * Python's Module._version: the format version of this module's state_dict entries, saved in the
   * state_dict's _metadata; 1 here (on the prototype), raised by layers whose format changed
   * (BatchNorm: 2), so that loading can tell old checkpoints apart as Python does.
   */
  declare _version: number;

  constructor() {
    const target = callableInstance<Module>(new.target.prototype, (_, args) => callModule(state, args));
    const self = new Proxy(target, MEMBER_TRAPS);
    const state: ModuleState = {
      training: true,
      buffers: new Set(),
      nonPersistent: new Set(),
      preHooks: new Map(),
      hooks: new Map(),
      members: new Map(),
      target,
      self,
    };
    Object.defineProperty(target, STATE, { value: state, enumerable: false });
    return self;
  }

  private get _s(): ModuleState {
    return (this as unknown as Record<symbol, ModuleState>)[STATE];
  }

  /** The computation; every subclass defines it. Call the module (`model(x)`) to run hooks too. */
  forward(...args: any[]): any {
    throw new TorchError(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  /** @internal what model(...) runs */
  _callImpl(args: unknown[]): unknown {
    return callModule(this._s, args);
  }

  // ---- members ------------------------------------------------------------------------------
  /**
   * @internal (name, value) of this module's own members (parameters, buffers and submodules, None
   * slots included) in registration order. Containers that keep their items elsewhere override it.
   */
  _ownEntries(): [string, unknown][] {
    const s = this._s;
    const target = s.target as unknown as Record<string, unknown>;
    const out: [string, unknown][] = [];
    for (const k of s.members.keys()) out.push([k, target[k]]);
    return out;
  }

  /** @internal own parameters (a None slot, `bias = null`, is skipped as PyTorch skips None) */
  _ownParameters(): [string, Parameter][] {
    const buffers = this._s.buffers;
    return this._ownEntries().filter(([k, v]) => v instanceof Parameter && !buffers.has(k)) as [string, Parameter][];
  }

  /** @internal own buffers, null ones included */
  _ownBuffers(): [string, Tensor | null][] {
    const buffers = this._s.buffers;
    if (buffers.size === 0) return [];
    return this._ownEntries().filter(([k]) => buffers.has(k)) as [string, Tensor | null][];
  }

  /** @internal own child modules */
  _ownModules(): [string, Module][] {
    return this._ownEntries().filter(([, v]) => v instanceof Module) as [string, Module][];
  }

  /** @internal Python's _modules.items(): the child-module slots, None ones (null) included. */
  _ownModuleSlots(): [string, Module | null][] {
    const s = this._s;
    const target = s.target as unknown as Record<string, Module | null>;
    const out: [string, Module | null][] = [];
    for (const [k, kind] of s.members) if (kind === 'module') out.push([k, target[k] ?? null]);
    return out;
  }

  /** @internal which of Python's _parameters, _buffers or _modules holds `name` (undefined: none). */
  _memberKind(name: string): MemberKind | undefined {
    return this._s.members.get(name);
  }

  /**
   * @internal Python's `self._modules[name] = value` (and _parameters, _buffers): registers without
   * __setattr__'s checks and without _membersChanged (callers batch, then call it).
   */
  _place(name: string, kind: MemberKind, value: unknown): void {
    place(this._s, name, kind, value);
  }

  /** @internal Python's `del self._modules[name]` (or _parameters, _buffers): no hooks, no checks. */
  _forget(name: string): void {
    const s = this._s;
    s.members.delete(name);
    s.buffers.delete(name);
    s.nonPersistent.delete(name);
    Reflect.deleteProperty(s.target, name);
  }

  /** @internal Python's _non_persistent_buffers_set (torch.save of a whole module writes it). */
  _nonPersistentBuffers(): ReadonlySet<string> {
    return this._s.nonPersistent;
  }

  /** @internal the instance without its Proxy: properties defined on it are never members. */
  _rawTarget(): Record<string, unknown> {
    return this._s.target as unknown as Record<string, unknown>;
  }

  /** @internal after a member was registered, replaced or removed (containers keep their index properties). */
  _membersChanged(): void {}

  /** @internal Python's hasattr(self, name), for the registration errors (an undefined class field does not count). */
  private _hasAttr(name: string): boolean {
    const s = this._s;
    if (s.members.has(name) || s.buffers.has(name)) return true;
    const own = Reflect.getOwnPropertyDescriptor(s.target, name);
    if (own === undefined) return name in s.target;
    return own.enumerable === true && ('get' in own || own.value !== undefined);
  }

  /**
   * @internal The defineProperty trap: an assignment (`m.fc = new nn.Linear(2, 2)`), a class field or
   * Object.defineProperty. A data property follows Python's __setattr__: a Parameter is registered as
   * a parameter, a Module as a child, a tensor or null assigned to a buffer's name replaces the
   * buffer, anything else assigned to a parameter's or child's name (null aside) is Python's
   * TypeError; a new name takes its slot at the end, a known one keeps its place. Accessors and
   * non-enumerable properties are never members. Containers override it for their index keys.
   */
  _defineOwn(key: string, desc: PropertyDescriptor): boolean {
    const s = this._s;
    if (!('value' in desc) || desc.enumerable === false) {
      const was = s.members.has(key);
      const member = !('get' in desc || 'set' in desc || desc.enumerable === false);
      if (!Reflect.defineProperty(s.target, key, desc)) return false;
      if (was && !member) {
        s.members.delete(key);
        s.buffers.delete(key);
        s.nonPersistent.delete(key);
        this._membersChanged();
      }
      return true;
    }
    const value = desc.value;
    const registered = s.members.get(key);
    const kind = s.buffers.has(key) ? 'buffer' : registered;
    const none = value === null || value === undefined;
    let next: MemberKind | undefined;
    if (value instanceof Parameter) {
      next = 'parameter';
    } else if (kind === 'parameter') {
      if (!none) throw new TorchError(`cannot assign '${torchTypename(value)}' as parameter '${key}' (torch.nn.Parameter or None expected)`);
      next = 'parameter';
    } else if (value instanceof Module) {
      next = 'module';
    } else if (kind === 'module') {
      if (!none) throw new TorchError(`cannot assign '${torchTypename(value)}' as child module '${key}' (torch.nn.Module or None expected)`);
      next = 'module';
    } else if (kind === 'buffer') {
      if (!none && !(value instanceof Tensor)) throw new TorchError(`cannot assign '${torchTypename(value)}' as buffer '${key}' (torch.Tensor or None expected)`);
      if (value instanceof Tensor) keep(value); // module state, as registerBuffer's
      next = 'buffer';
    }
    if (next === undefined && registered === undefined) return Reflect.defineProperty(s.target, key, desc); // a plain attribute
    if (!place(s, key, next, value, desc)) return false;
    this._membersChanged();
    return true;
  }

  /** @internal The deleteProperty trap: Python's __delattr__ (a member is forgotten). Containers override it for index keys. */
  _deleteOwn(key: string): boolean {
    const s = this._s;
    const was = s.members.has(key) || s.buffers.has(key);
    s.members.delete(key);
    s.buffers.delete(key);
    s.nonPersistent.delete(key);
    const ok = Reflect.deleteProperty(s.target, key);
    if (was) this._membersChanged();
    return ok;
  }

  registerParameter(name: string, param: Parameter | null, ...none: []): void {
    method('registerParameter', this, [name, param, ...none], ['name', 'param'], []);
    validateName('parameter', name, this);
    if (this._hasAttr(name) && this._memberKind(name) !== 'parameter') throw new TorchError(`attribute '${name}' already exists`);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TorchError(`cannot assign '${torchTypename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    place(this._s, name, 'parameter', param);
    this._membersChanged();
  }

  /** registerBuffer(name, tensor, persistent = true), the optional one positionally or as { persistent } */
  registerBuffer(name: string, tensor: Tensor | null, ...rest: Rest<{ persistent?: boolean }, ['persistent']>): void {
    const options = method<{ persistent?: boolean }>('registerBuffer', this, [name, tensor, ...rest], ['name', 'tensor'], ['persistent']);
    validateName('buffer', name, this);
    if (this._hasAttr(name) && this._memberKind(name) !== 'buffer') throw new TorchError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchError(`cannot assign '${torchTypename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    if (tensor !== null) keep(tensor); // module state, like parameters: scopes leave it alone
    const s = this._s;
    place(s, name, 'buffer', tensor);
    if (options.persistent === false) s.nonPersistent.add(name);
    else s.nonPersistent.delete(name);
    this._membersChanged();
  }

  addModule(name: string, module: Module | null, ...none: []): void {
    method('addModule', this, [name, module, ...none], ['name', 'module'], []);
    if (module !== null && !(module instanceof Module)) throw new TorchError(`${torchTypename(module)} is not a Module subclass`);
    validateName('module', name, this);
    if (this._hasAttr(name) && this._memberKind(name) !== 'module') throw new TorchError(`attribute '${name}' already exists`);
    place(this._s, name, 'module', module);
    this._membersChanged();
  }

  registerModule(name: string, module: Module | null, ...none: []): void {
    method('registerModule', this, [name, module, ...none], ['name', 'module'], []);
    this.addModule(name, module);
  }

  /** The submodule at a dotted path ('layer1.0.conv1'); '' is this module. */
  getSubmodule(target: string, ...none: []): Module {
    method('getSubmodule', this, [target, ...none], ['target'], []);
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      // Python's hasattr/getattr: a member (a None slot too) or another attribute
      if (!mod._hasAttr(item)) throw new TorchError(`${mod._getName()} has no attribute \`${item}\``);
      const next = (mod as unknown as Record<string, unknown>)[item];
      if (!(next instanceof Module)) throw new TorchError(`\`${item}\` is not an nn.Module`);
      mod = next;
    }
    return mod;
  }

  getParameter(target: string, ...none: []): Parameter {
    method('getParameter', this, [target, ...none], ['target'], []);
    const [path, name] = splitLast(target);
    const mod = this.getSubmodule(path);
    const p = mod._ownParameters().find(([k]) => k === name);
    if (!p) throw new TorchError(`${mod._getName()} has no parameter \`${name}\``);
    if (p[1] === null) throw new TorchError(`\`${name}\` is not an nn.Parameter`);
    return p[1];
  }

  getBuffer(target: string, ...none: []): Tensor {
    method('getBuffer', this, [target, ...none], ['target'], []);
    const [path, name] = splitLast(target);
    const mod = this.getSubmodule(path);
    const b = mod._ownBuffers().find(([k]) => k === name);
    if (!b || b[1] === null) throw new TorchError(`\`${name}\` is not a buffer`);
    return b[1];
  }

  // ---- traversal (generators, as Python's iterators; arguments are checked on the call) -------
  /** namedModules(memo = null, prefix = '', removeDuplicate = true) */
  namedModules(...args: Rest<NamedModulesOptions, ['memo', 'prefix', 'removeDuplicate']>): Generator<[string, Module]> {
    const { memo, prefix = '', removeDuplicate = true } = method<NamedModulesOptions>('namedModules', this, args, [], MODULES);
    return this._walkModules(memo ?? new Set<Module>(), prefix, removeDuplicate);
  }

  private *_walkModules(seen: Set<Module>, prefix: string, removeDuplicate: boolean): Generator<[string, Module]> {
    if (removeDuplicate) {
      if (seen.has(this)) return;
      seen.add(this);
    }
    yield [prefix, this];
    for (const [name, child] of this._ownModules()) {
      yield* child._walkModules(seen, prefix ? `${prefix}.${name}` : name, removeDuplicate);
    }
  }

  modules(...none: []): Generator<Module> {
    method('modules', this, none, [], []);
    return values(this._walkModules(new Set(), '', true));
  }

  namedChildren(...none: []): Generator<[string, Module]> {
    method('namedChildren', this, none, [], []);
    return this._namedChildren();
  }

  private *_namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [name, child] of this._ownModules()) {
      if (seen.has(child)) continue;
      seen.add(child);
      yield [name, child];
    }
  }

  children(...none: []): Generator<Module> {
    method('children', this, none, [], []);
    return values(this._namedChildren());
  }

  private *namedMembers<T extends Tensor>(members: (m: Module) => [string, T | null][], prefix: string, recurse: boolean): Generator<[string, T]> {
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module]> = recurse ? this._walkModules(new Set(), prefix, true) : [[prefix, this]];
    for (const [modPrefix, mod] of modules) {
      for (const [k, v] of members(mod)) {
        if (v === null || seen.has(v)) continue;
        seen.add(v);
        yield [modPrefix ? `${modPrefix}.${k}` : k, v];
      }
    }
  }

  /** namedParameters(prefix = '', recurse = true); PyTorch 1.13 has no removeDuplicate here. */
  namedParameters(...args: Rest<NamedMembersOptions, ['prefix', 'recurse']>): Generator<[string, Parameter]> {
    const { prefix = '', recurse = true } = method<NamedMembersOptions>('namedParameters', this, args, [], MEMBERS);
    return this.namedMembers((m) => m._ownParameters(), prefix, recurse);
  }

  /** parameters(recurse = true) */
  parameters(...args: Rest<{ recurse?: boolean }, ['recurse']>): Generator<Parameter> {
    const { recurse = true } = method<{ recurse?: boolean }>('parameters', this, args, [], ['recurse']);
    return values(this.namedMembers((m) => m._ownParameters(), '', recurse));
  }

  /** namedBuffers(prefix = '', recurse = true) */
  namedBuffers(...args: Rest<NamedMembersOptions, ['prefix', 'recurse']>): Generator<[string, Tensor]> {
    const { prefix = '', recurse = true } = method<NamedMembersOptions>('namedBuffers', this, args, [], MEMBERS);
    return this.namedMembers((m) => m._ownBuffers(), prefix, recurse);
  }

  /** buffers(recurse = true) */
  buffers(...args: Rest<{ recurse?: boolean }, ['recurse']>): Generator<Tensor> {
    const { recurse = true } = method<{ recurse?: boolean }>('buffers', this, args, [], ['recurse']);
    return values(this.namedMembers((m) => m._ownBuffers(), '', recurse));
  }

  // ---- state_dict ------------------------------------------------------------------------------
  /**
   * Parameters and persistent buffers, detached (unless keepVars), keyed exactly as PyTorch.
   * stateDict({ destination, prefix, keepVars }); PyTorch 1.13's deprecated positional form
   * stateDict(destination, prefix, keepVars) works too, with its warning (a lone plain-object
   * argument is the options object, so pass a destination by keyword).
   */
  stateDict(options?: StateDictOptions): StateDict;
  stateDict(destination: StateDict | null, prefix?: string, keepVars?: boolean, options?: StateDictOptions): StateDict;
  stateDict(...args: unknown[]): StateDict {
    const a = given(args);
    const options = (a.length > 0 && isOptions(a[a.length - 1]) ? a.pop() : {}) as StateDictOptions;
    checkKeywords('stateDict', options, STATE_DICT_KEYS);
    let { destination = null, prefix = '', keepVars = false } = options;
    if (a.length > 0) {
      // as PyTorch: a positional value fills a parameter still at its default; extra ones are ignored
      if (destination === null) destination = a[0] as StateDict | null;
      if (a.length > 1 && prefix === '') prefix = a[1] as string;
      if (a.length > 2 && keepVars === false) keepVars = a[2] as boolean;
      warn(STATE_DICT_POSITIONAL_WARNING);
    }
    // a new state_dict is Python's OrderedDict with _metadata: each module's format version, by prefix
    const dest = destination ?? asOrderedDict(newStateDict(), { _metadata: asOrderedDict(new Map<string, unknown>()) });
    this._stateDictInto(dest, prefix, keepVars);
    return dest;
  }

  private _stateDictInto(dest: StateDict, prefix: string, keepVars: boolean): void {
    const metadata = orderedDictAttributes(dest)?._metadata;
    if (metadata instanceof Map) metadata.set(prefix.slice(0, -1), { version: this._version });
    this._saveToStateDict(dest, prefix, keepVars);
    for (const [name, child] of this._ownModules()) child._stateDictInto(dest, `${prefix}${name}.`, keepVars);
  }

  /** Writes this module's own entries (no children); layers with extra state override it. */
  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    for (const [name, p] of this._ownParameters()) if (p !== null) dest[prefix + name] = keepVars ? p : p.detach();
    const nonPersistent = this._s.nonPersistent;
    for (const [name, b] of this._ownBuffers()) {
      if (b !== null && !nonPersistent.has(name)) dest[prefix + name] = keepVars ? b : b.detach();
    }
  }

  /**
   * Copies matching entries into parameters and buffers; PyTorch's errors when strict.
   * loadStateDict(stateDict, strict = true, assign = false): positionally (as Python's
   * load_state_dict(sd, False)) or as { strict, assign }. Returns PyTorch's _IncompatibleKeys.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, ...rest: Rest<LoadStateDictOptions, ['strict', 'assign']>): IncompatibleKeys {
    // the state dict itself is a plain object: it is never taken for the options
    const a = given([stateDict, ...rest]);
    const { strict = true, assign = false } = a.length === 1 ? {} : method<LoadStateDictOptions>('loadStateDict', this, a, ['stateDict'], ['strict', 'assign']);
    if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict) || stateDict instanceof Tensor) {
      throw new TorchError(`Expected state_dict to be dict-like, got ${pyType(stateDict)}.`);
    }
    const entries = stateDict instanceof Map ? [...stateDict] : Object.keys(stateDict).map((k) => [k, stateDict[k]] as [string, Tensor]);
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errorMsgs: string[] = [];
    const metadata = orderedDictAttributes(stateDict)?._metadata;
    const load = (mod: Module, local: Map<string, unknown>, prefix: string) => {
      // Python hands `assign` to every module through its local metadata
      const meta = localMetadata(metadata, prefix.slice(0, -1));
      mod._loadFromStateDict(local, prefix, missingKeys, unexpectedKeys, errorMsgs, assign ? { ...meta, assign_to_params_buffers: true } : meta);
      for (const [name, child] of mod._ownModules()) {
        const childPrefix = `${prefix}${name}.`;
        const childLocal = new Map<string, unknown>();
        for (const [k, v] of local) if (k.startsWith(childPrefix)) childLocal.set(k, v);
        load(child, childLocal, childPrefix);
      }
    };
    load(this, new Map(entries), '');
    if (strict) {
      const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
      if (unexpectedKeys.length) errorMsgs.unshift(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}. `);
      if (missingKeys.length) errorMsgs.unshift(`Missing key(s) in state_dict: ${quoted(missingKeys)}. `);
    }
    if (errorMsgs.length) {
      throw new TorchError(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errorMsgs.join('\n\t')}`);
    }
    return new IncompatibleKeys(missingKeys, unexpectedKeys);
  }

  /**
   * Loads this module's own entries from `stateDict` (keys still prefixed); layers may override.
   * localMetadata: this module's entry of the state_dict's _metadata ({ version } when it has one),
   * for layers that load older formats.
   */
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    const assign = localMetadata.assign_to_params_buffers === true;
    const nonPersistent = this._s.nonPersistent;
    const local = new Map<string, Tensor>();
    for (const [k, p] of this._ownParameters()) if (p !== null) local.set(k, p);
    for (const [k, b] of this._ownBuffers()) if (b !== null && !nonPersistent.has(k)) local.set(k, b);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!stateDict.has(key)) {
        missingKeys.push(key);
        continue;
      }
      let input = stateDict.get(key);
      if (!(input instanceof Tensor)) {
        errorMsgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyType(input)}`);
        continue;
      }
      if (param.dim() === 0 && input.dim() === 1) input = input.select(0, 0);
      const src = input as Tensor;
      if (src.shape.join() !== param.shape.join() || src.dim() !== param.dim()) {
        errorMsgs.push(`size mismatch for ${key}: copying a param with shape ${pySize(src.shape)} from checkpoint, the shape in current model is ${pySize(param.shape)}.`);
        continue;
      }
      try {
        if (assign) this._assignLoaded(name, param, src);
        else noGrad(() => param.copy_(src));
      } catch (e) {
        errorMsgs.push(`While copying the parameter named "${key}", whose dimensions in the model are ${pySize(param.shape)} and whose dimensions in the checkpoint are ${pySize(src.shape)}, an exception occurred : ${(e as Error).message}.`);
      }
    }
    const children = new Set(this._ownModules().map(([k]) => k));
    for (const key of stateDict.keys()) {
      if (!key.startsWith(prefix)) continue;
      const head = key.slice(prefix.length).split('.', 1)[0];
      if (!children.has(head) && !local.has(head)) unexpectedKeys.push(key);
    }
  }

  /** loadStateDict's assign: the loaded tensor replaces the member; a parameter stays a Parameter with its requiresGrad. */
  private _assignLoaded(name: string, param: Tensor, loaded: Tensor): void {
    let value = loaded;
    if (param instanceof Parameter) {
      if (loaded instanceof Parameter) loaded.requiresGrad_(param.requiresGrad);
      else value = new Parameter(loaded, param.requiresGrad);
    }
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  // ---- modes -------------------------------------------------------------------------------
  get training(): boolean {
    return this._s.training;
  }
  set training(mode: boolean) {
    this._s.training = mode;
  }

  /** train(mode = true) */
  train(...args: Rest<{ mode?: boolean }, ['mode']>): this {
    const { mode = true } = method<{ mode?: boolean }>('train', this, args, [], ['mode']);
    if (typeof mode !== 'boolean') throw new TorchError('training mode is expected to be boolean');
    this._s.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  eval(...none: []): this {
    method('eval', this, none, [], []);
    return this.train(false);
  }

  /** requiresGrad_(requiresGrad = true) */
  requiresGrad_(...args: Rest<{ requiresGrad?: boolean }, ['requiresGrad']>): this {
    const { requiresGrad = true } = method<{ requiresGrad?: boolean }>('requiresGrad_', this, args, [], ['requiresGrad']);
    for (const p of this.parameters()) {
      // PyTorch's error comes from the first parameter's requires_grad_ (none: no error)
      if (typeof requiresGrad !== 'boolean') {
        throw new TorchError(`requires_grad_(): argument 'requires_grad' (position 1) must be bool, not ${pyTypeName(requiresGrad)}`);
      }
      p.requiresGrad_(requiresGrad);
    }
    return this;
  }

  /** zeroGrad(setToNone = true): grads to null by default (PyTorch 2's default), else to zeros. */
  zeroGrad(...args: Rest<{ setToNone?: boolean }, ['setToNone']>): void {
    const { setToNone: toNone = true } = method<{ setToNone?: boolean }>('zeroGrad', this, args, [], ['setToNone']);
    for (const p of this.parameters()) {
      const g = p.grad;
      if (g === null) continue;
      if (toNone) {
        p.grad = null;
      } else {
        const fresh = g.gradFn !== null ? g.detach() : g;
        fresh.requiresGrad_(false);
        fresh.zero_();
        if (fresh !== g) p.grad = fresh;
      }
    }
  }

  /** Calls fn on every submodule (children first) and then on this one. */
  apply(...args: [fn: (m: Module) => void] | [options: { fn: (m: Module) => void }]): this {
    // fn positionally (as always) or as { fn }, as Python's apply(fn=...)
    const { fn } = method<{ fn: (m: Module) => void }>('apply', this, args, ['fn'], []);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- conversions --------------------------------------------------------------------------
  /**
   * Applies fn to every parameter, its grad and every buffer, recursively, as PyTorch 1.13's
   * Module._apply. Where the result can stand in for the tensor in place
   * (torch._has_compatible_shallow_copy_type: same kind of tensor, e.g. dense CPU to dense CUDA or
   * another dtype), the parameter keeps its identity and takes the new data (`param.data = ...`),
   * so optimizers keep working; otherwise (to('meta'), toEmpty from meta) a new Parameter with the
   * same requiresGrad takes its place, and its grad likewise.
   */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const child of this.children()) child._apply(fn);
    const self = this as unknown as Record<string, unknown>;
    for (const [key, param] of this._ownParameters()) {
      const applied = noGrad(() => fn(param));
      let out = param;
      if (compatible(param, applied)) {
        if (applied !== param) setData([param, applied]);
      } else {
        out = new Parameter(applied, param.requiresGrad);
        self[key] = out;
      }
      const grad = param.grad;
      if (grad !== null) {
        const gradApplied = noGrad(() => fn(grad));
        if (out === param && compatible(grad, gradApplied)) {
          if (gradApplied !== grad) setData([grad, gradApplied]);
        } else {
          out.grad = gradApplied.requiresGrad_(grad.requiresGrad);
        }
      }
    }
    for (const [name, b] of this._ownBuffers()) {
      if (b === null) continue;
      // an UninitializedBuffer stays one (Python's keeps its subclass through the allowed casts)
      const applied = fn(b);
      if (isLazy(b) && compatible(b, applied)) setData([b, applied]);
      else self[name] = keep(applied);
    }
    return this;
  }

  /**
   * PyTorch's to(device=None, dtype=None, nonBlocking=false) | to(dtype, nonBlocking=false) |
   * to(tensor, nonBlocking=false), each with a trailing options object ({ device, dtype,
   * nonBlocking, memoryFormat }) for the rest: to('cuda'), to(torch.float64), to('cpu', torch.float16),
   * to('cuda', { nonBlocking: true }), to({ memoryFormat: torch.channelsLast }).
   */
  to(options?: ModuleToOptions): this;
  to(tensor: Tensor, nonBlocking?: boolean | { nonBlocking?: boolean; memoryFormat?: number }, options?: { memoryFormat?: number }): this;
  to(deviceOrDtype: DeviceLike | DTypeLike | number | null, dtypeOrNonBlocking?: DTypeLike | boolean | null | ModuleToOptions, nonBlocking?: boolean | ModuleToOptions, options?: ModuleToOptions): this;
  to(...args: unknown[]): this {
    const a = given(args);
    const options = (a.length > 0 && isOptions(a[a.length - 1]) ? a.pop() : {}) as ModuleToOptions;
    const first = a[0];
    // which of PyTorch's three forms: the first positional argument decides
    const form: 'tensor' | 'dtype' | 'device' =
      first instanceof Tensor ? 'tensor'
      : first instanceof DType || (typeof first === 'string' && !isDeviceString(first)) ? 'dtype'
      : 'device';
    const names = form === 'device' ? ['device', 'dtype', 'nonBlocking'] : [form, 'nonBlocking'];
    if (a.length > names.length) {
      throw new TorchError(`to() takes from 1 to ${names.length + 1} positional arguments but ${a.length + 1} were given`);
    }
    checkKeywords('to', options, form === 'device' ? TO_KEYS : TO_TENSOR_KEYS);
    const o: Record<string, unknown> = {};
    a.forEach((v, i) => (o[names[i]] = v));
    for (const key of Object.keys(options)) {
      if (key in o) throw new TorchError(`to() got multiple values for argument '${key}'`);
      o[key] = (options as Record<string, unknown>)[key];
    }
    let dev: Device | undefined;
    let dtype: DType | undefined;
    if (form === 'tensor') {
      dev = (first as Tensor).device;
      dtype = (first as Tensor).dtype;
    } else {
      if (o.dtype !== undefined && o.dtype !== null) dtype = toDType(o.dtype as DTypeLike);
      const d = o.device;
      if (d !== undefined && d !== null) dev = typeof d === 'number' ? toDevice(`cuda:${d}`) : toDevice(d as DeviceLike);
    }
    const nonBlocking = o.nonBlocking ?? false;
    if (typeof nonBlocking !== 'boolean') throw new TorchError(`to(): argument 'non_blocking' must be bool, not ${pyTypeName(nonBlocking)}`);
    const memoryFormat = o.memoryFormat as number | undefined;
    if (dtype && !(dtype.isFloatingPoint || dtype.isComplex)) {
      throw new TorchError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype}`);
    }
    return this._apply((t) => {
      const castable = dtype && (t.dtype.isFloatingPoint || t.dtype.isComplex);
      const moved = castable || dev ? t.to({ device: dev, dtype: castable ? dtype : undefined, nonBlocking }) : t;
      // as PyTorch: a memory format applies to the 4-d (channelsLast) or 5-d (channelsLast3d) tensors
      const layout = memoryFormat !== undefined && (t.dim() === 4 || t.dim() === 5) ? memoryFormat : undefined;
      return layout === undefined ? moved : moved.contiguous({ memoryFormat: layout });
    });
  }

  /**
   * PyTorch's to_empty(*, device): parameters and buffers become uninitialised tensors of the same
   * shapes and dtypes on `device` (the way to materialise a model built on, or moved to, 'meta').
   */
  toEmpty(options: { device: DeviceLike }): this {
    const { device } = method<{ device?: DeviceLike }>('toEmpty', this, [options], [], [], ['device']);
    if (device === undefined) throw new TorchError("toEmpty() missing 1 required keyword-only argument: 'device'");
    const dev = toDevice(device);
    return this._apply((t) => emptyLike(t, { device: dev }));
  }

  /** cuda(device = null) */
  cuda(...args: Rest<{ device?: number | DeviceLike | null }, ['device']>): this {
    const { device } = method<{ device?: number | DeviceLike | null }>('cuda', this, args, [], ['device']);
    return this.to(device === undefined || device === null ? 'cuda' : typeof device === 'number' ? `cuda:${device}` : device);
  }
  cpu(...none: []): this {
    method('cpu', this, none, [], []);
    return this.to('cpu');
  }
  /** type(dstType): casts every parameter and buffer, as PyTorch's (integer buffers too). */
  type(...args: [dstType: DTypeLike] | [options: { dstType: DTypeLike }]): this {
    const { dstType } = method<{ dstType: DTypeLike }>('type', this, args, ['dstType'], []);
    return this._apply((t) => t.type(dstType));
  }
  /** Casts the floating-point parameters and buffers (float/double/half/bfloat16). */
  private _castFloating(fn: string, args: unknown[], dt: DType): this {
    method(fn, this, args, [], []);
    return this._apply((t) => (t.dtype.isFloatingPoint ? t.to(dt) : t));
  }
  float(...none: []): this {
    return this._castFloating('float', none, float32);
  }
  double(...none: []): this {
    return this._castFloating('double', none, float64);
  }
  half(...none: []): this {
    return this._castFloating('half', none, float16);
  }
  bfloat16(...none: []): this {
    return this._castFloating('bfloat16', none, bfloat16);
  }

  // ---- hooks --------------------------------------------------------------------------------
  /** @internal Python's module._forward_pre_hooks: id to hook, in call order (nn.utils.prune finds its hooks here). */
  get _forwardPreHooks(): Map<number, ForwardPreHook> {
    return this._s.preHooks;
  }

  /**
   * hook(module, inputs) runs before forward; a returned value replaces the inputs. withKwargs (2.0):
   * hook(module, args, kwargs), kwargs being the call's trailing options object; it may return [args, kwargs].
   */
  registerForwardPreHook(hook: ForwardPreHookWithKwargs, options: ForwardPreHookOptions & { withKwargs: true }): RemovableHandle;
  registerForwardPreHook(hook: ForwardPreHook, options?: ForwardPreHookOptions & { withKwargs?: false }): RemovableHandle;
  registerForwardPreHook(hook: ForwardPreHook | ForwardPreHookWithKwargs, options: ForwardPreHookOptions = {}): RemovableHandle {
    checkKeywords('registerForwardPreHook', options, PRE_HOOK_KEYS);
    const stored = options.withKwargs ? kwargsPreHook(hook as ForwardPreHookWithKwargs) : (hook as ForwardPreHook);
    return addHook(this._s.preHooks, stored, options.prepend);
  }

  /**
   * hook(module, inputs, output) runs after forward; a returned value replaces the output. withKwargs
   * (2.0): hook(module, args, kwargs, output). alwaysCall (2.0): also runs, with output null, when the call raises.
   */
  registerForwardHook(hook: ForwardHookWithKwargs, options: ForwardHookOptions & { withKwargs: true }): RemovableHandle;
  registerForwardHook(hook: ForwardHook, options?: ForwardHookOptions & { withKwargs?: false }): RemovableHandle;
  registerForwardHook(hook: ForwardHook | ForwardHookWithKwargs, options: ForwardHookOptions = {}): RemovableHandle {
    checkKeywords('registerForwardHook', options, HOOK_KEYS);
    let stored = hook as ForwardHook;
    if (options.withKwargs) {
      const withKwargs = hook as ForwardHookWithKwargs;
      stored = (module, args, output) => withKwargs(module, ...splitKwargs(args), output);
    }
    if (options.alwaysCall) {
      // a wrapper of its own: the same function registered twice is two hooks, one of them alwaysCall
      const inner = stored;
      stored = Object.assign((module: Module, args: unknown[], output: unknown) => inner(module, args, output), { [ALWAYS_CALL]: true });
    }
    return addHook(this._s.hooks, stored, options.prepend);
  }

  // ---- printing -----------------------------------------------------------------------------
  /** The layer's own settings, printed inside its parentheses; layers override it. */
  extraRepr(): string {
    return '';
  }

  /** @internal the class name printed in reprs and errors */
  _getName(): string {
    return this.constructor.name;
  }

  toString(): string {
    // a None child slot prints as Python's (name): None
    return moduleRepr(this._getName(), this.extraRepr(), this._ownModuleSlots().map(([k, m]) => [k, m ?? NONE]));
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** torch._has_compatible_shallow_copy_type(tensor, applied): whether `.data =` can take it. */
function compatible(tensor: Tensor, applied: Tensor): boolean {
  return applied === tensor || (hasCompatibleShallowCopyType([tensor, applied]) as boolean);
}

function splitLast(target: string): [string, string] {
  const i = target.lastIndexOf('.');
  return i < 0 ? ['', target] : [target.slice(0, i), target.slice(i + 1)];
}

Module.prototype._version = 1;
