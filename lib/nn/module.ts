// nn.Module: the base of every layer and model, as torch.nn.Module.
//
// Callable: the constructor returns an arrow closure (deleting its own `name`/`length`) whose
// prototype is the subclass's, so `model(x)` runs hooks and forward as Python's __call__, with no
// eval and no Function constructor; the interface below gives TypeScript the call signature.
// Registration: children, parameters and buffers are the instance's own properties, found in
// definition order (class fields or constructor assignments), as PyTorch's __setattr__ records them.
// Properties holding registered tensors keep PyTorch's attribute names (`running_mean`), which are
// also the state_dict keys; configuration properties are camelCase (`inFeatures`).
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { DType, DTypeLike, toDType, float32, float64, float16, bfloat16 } from '../tensor/dtype';
import { Device, DeviceLike, toDevice, isDeviceString } from '../tensor/device';
import { aten } from '../tensor/aten';
import { noGrad } from '../autograd/grad-mode';
import { keep } from '../memory/scope';
import { Parameter } from './parameter';
import { RemovableHandle, addHook } from './hooks';
import { noteCall } from './intermediates';
import { moduleRepr } from './repr';
import { checkKeywords, keysOf } from '../keywords';

const setData = aten('set_data', '');
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

const STATE_DICT_KEYS = keysOf<StateDictOptions>()('destination', 'prefix', 'keepVars');
const TO_KEYS = keysOf<ModuleToOptions>()('device', 'dtype', 'nonBlocking', 'memoryFormat');
const STRICT = ['strict'];
const PERSISTENT = ['persistent'];
const PREPEND = ['prepend'];
const SET_TO_NONE = ['setToNone'];

export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export type ForwardPreHook = (module: Module, input: unknown[]) => unknown;
export type ForwardHook = (module: Module, input: unknown[], output: unknown) => unknown;

/** Per-instance bookkeeping that is not a member (kept out of own-property discovery). */
interface ModuleState {
  training: boolean;
  /** names of registered buffers (own properties holding Tensor or null) */
  buffers: Set<string>;
  nonPersistent: Set<string>;
  preHooks: Map<number, ForwardPreHook>;
  hooks: Map<number, ForwardHook>;
}

const STATE = Symbol('torch-node module state');

function pyShape(t: Tensor): string {
  return `torch.Size([${t.shape.join(', ')}])`;
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

export class Module {
  constructor() {
    const self = ((...args: unknown[]) => self._callImpl(args)) as unknown as Module;
    delete (self as { name?: unknown }).name;
    delete (self as { length?: unknown }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    const state: ModuleState = {
      training: true,
      buffers: new Set(),
      nonPersistent: new Set(),
      preHooks: new Map(),
      hooks: new Map(),
    };
    Object.defineProperty(self, STATE, { value: state, enumerable: false });
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
    const s = this._s;
    const hooked = s.preHooks.size > 0 || s.hooks.size > 0;
    if (s.preHooks.size) {
      noteCall(this, args, undefined, true);
      for (const hook of [...s.preHooks.values()]) {
        const r = hook(this, args);
        if (r !== undefined) args = Array.isArray(r) ? r : [r];
      }
    }
    let out = (this.forward as (...a: unknown[]) => unknown)(...args);
    if (s.hooks.size) {
      for (const hook of [...s.hooks.values()]) {
        const r = hook(this, args, out);
        if (r !== undefined) out = r;
      }
    }
    noteCall(this, args, out, hooked);
    return out;
  }

  // ---- members ------------------------------------------------------------------------------
  /**
   * @internal (name, value) of this module's own members in registration order. Containers that
   * keep their items elsewhere override it.
   */
  _ownEntries(): [string, unknown][] {
    const self = this as unknown as Record<string, unknown>;
    return Object.keys(self).map((k) => [k, self[k]]);
  }

  /** @internal own parameters (a `bias = null` slot is just a property, skipped like PyTorch skips None) */
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

  registerParameter(name: string, param: Parameter | null): void {
    validateName('parameter', name, this);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TorchError(`cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (this._s.buffers.has(name)) throw new TorchError(`attribute '${name}' already exists`);
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): void {
    checkKeywords('registerBuffer', options, PERSISTENT);
    validateName('buffer', name, this);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    if (tensor !== null) keep(tensor); // module state, like parameters: scopes leave it alone
    const s = this._s;
    s.buffers.add(name);
    if (options.persistent === false) s.nonPersistent.add(name);
    else s.nonPersistent.delete(name);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  addModule(name: string, module: Module | null): void {
    validateName('module', name, this);
    if (module !== null && !(module instanceof Module)) throw new TorchError(`${typeName(module)} is not a Module subclass`);
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  /** The submodule at a dotted path ('layer1.0.conv1'); '' is this module. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      const next = mod._ownEntries().find(([k]) => k === item)?.[1];
      if (next === undefined) throw new TorchError(`${mod._getName()} has no attribute \`${item}\``);
      if (!(next instanceof Module)) throw new TorchError(`\`${item}\` is not an nn.Module`);
      mod = next;
    }
    return mod;
  }

  getParameter(target: string): Parameter {
    const [path, name] = splitLast(target);
    const mod = this.getSubmodule(path);
    const p = mod._ownParameters().find(([k]) => k === name);
    if (!p) throw new TorchError(`${mod._getName()} has no parameter \`${name}\``);
    if (p[1] === null) throw new TorchError(`\`${name}\` is not an nn.Parameter`);
    return p[1];
  }

  getBuffer(target: string): Tensor {
    const [path, name] = splitLast(target);
    const mod = this.getSubmodule(path);
    const b = mod._ownBuffers().find(([k]) => k === name);
    if (!b || b[1] === null) throw new TorchError(`\`${name}\` is not a buffer`);
    return b[1];
  }

  // ---- traversal (generators, as Python's iterators) ----------------------------------------
  *namedModules(memo?: Set<Module>, prefix = '', removeDuplicate = true): Generator<[string, Module]> {
    const seen = memo ?? new Set<Module>();
    if (removeDuplicate) {
      if (seen.has(this)) return;
      seen.add(this);
    }
    yield [prefix, this];
    for (const [name, child] of this._ownModules()) {
      yield* child.namedModules(seen, prefix ? `${prefix}.${name}` : name, removeDuplicate);
    }
  }

  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [name, child] of this._ownModules()) {
      if (seen.has(child)) continue;
      seen.add(child);
      yield [name, child];
    }
  }

  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  private *namedMembers<T extends Tensor>(
    members: (m: Module) => [string, T | null][],
    prefix: string,
    recurse: boolean,
    removeDuplicate: boolean,
  ): Generator<[string, T]> {
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module]> = recurse ? this.namedModules(undefined, prefix, removeDuplicate) : [[prefix, this]];
    for (const [modPrefix, mod] of modules) {
      for (const [k, v] of members(mod)) {
        if (v === null || (removeDuplicate && seen.has(v))) continue;
        seen.add(v);
        yield [modPrefix ? `${modPrefix}.${k}` : k, v];
      }
    }
  }

  /** namedParameters(prefix = '', recurse = true, removeDuplicate = true) */
  namedParameters(prefix = '', recurse = true, removeDuplicate = true): Generator<[string, Parameter]> {
    return this.namedMembers((m) => m._ownParameters(), prefix, recurse, removeDuplicate);
  }

  *parameters(recurse = true): Generator<Parameter> {
    for (const [, p] of this.namedParameters('', recurse)) yield p;
  }

  namedBuffers(prefix = '', recurse = true, removeDuplicate = true): Generator<[string, Tensor]> {
    return this.namedMembers((m) => m._ownBuffers(), prefix, recurse, removeDuplicate);
  }

  *buffers(recurse = true): Generator<Tensor> {
    for (const [, b] of this.namedBuffers('', recurse)) yield b;
  }

  // ---- state_dict ------------------------------------------------------------------------------
  /** Parameters and persistent buffers, detached (unless keepVars), keyed exactly as PyTorch. */
  stateDict(options: StateDictOptions = {}): StateDict {
    checkKeywords('stateDict', options, STATE_DICT_KEYS);
    const dest = options.destination ?? (Object.create(null) as StateDict);
    this._stateDictInto(dest, options.prefix ?? '', options.keepVars ?? false);
    return dest;
  }

  private _stateDictInto(dest: StateDict, prefix: string, keepVars: boolean): void {
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

  /** Copies matching entries into parameters and buffers; PyTorch's errors when strict. */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, options: { strict?: boolean } = {}): IncompatibleKeys {
    checkKeywords('loadStateDict', options, STRICT);
    const strict = options.strict ?? true;
    const entries = stateDict instanceof Map ? [...stateDict] : Object.keys(stateDict).map((k) => [k, stateDict[k]] as [string, Tensor]);
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errorMsgs: string[] = [];
    const load = (mod: Module, local: Map<string, unknown>, prefix: string) => {
      mod._loadFromStateDict(local, prefix, missingKeys, unexpectedKeys, errorMsgs);
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
    return { missingKeys, unexpectedKeys };
  }

  /** Loads this module's own entries from `stateDict` (keys still prefixed); layers may override. */
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
  ): void {
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
        errorMsgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClass(input)}`);
        continue;
      }
      if (param.dim() === 0 && input.dim() === 1) input = input.select(0, 0);
      const src = input as Tensor;
      if (src.shape.join() !== param.shape.join() || src.dim() !== param.dim()) {
        errorMsgs.push(`size mismatch for ${key}: copying a param with shape ${pyShape(src)} from checkpoint, the shape in current model is ${pyShape(param)}.`);
        continue;
      }
      try {
        noGrad(() => param.copy_(src));
      } catch (e) {
        errorMsgs.push(`While copying the parameter named "${key}", whose dimensions in the model are ${pyShape(param)} and whose dimensions in the checkpoint are ${pyShape(src)}, an exception occurred : ${(e as Error).message}.`);
      }
    }
    const children = new Set(this._ownModules().map(([k]) => k));
    for (const key of stateDict.keys()) {
      if (!key.startsWith(prefix)) continue;
      const head = key.slice(prefix.length).split('.', 1)[0];
      if (!children.has(head) && !local.has(head)) unexpectedKeys.push(key);
    }
  }

  // ---- modes -------------------------------------------------------------------------------
  get training(): boolean {
    return this._s.training;
  }
  set training(mode: boolean) {
    this._s.training = mode;
  }

  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TorchError('training mode is expected to be boolean');
    this._s.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Resets parameter grads: to null by default (PyTorch 2's default), else to zeros. */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = true): void {
    if (typeof setToNone === 'object') checkKeywords('zeroGrad', setToNone, SET_TO_NONE);
    const toNone = typeof setToNone === 'boolean' ? setToNone : setToNone.setToNone ?? true;
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
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- conversions --------------------------------------------------------------------------
  /**
   * Applies fn to every parameter, its grad and every buffer, recursively. Parameters keep their
   * identity (their data is swapped in place, as PyTorch does), so optimizers keep working.
   */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const child of this.children()) child._apply(fn);
    noGrad(() => {
      for (const [, p] of this._ownParameters()) {
        if (p === null) continue;
        const applied = fn(p);
        if (applied !== p) setData([p, applied]);
        const g = p.grad;
        if (g !== null) {
          const ga = fn(g);
          if (ga !== g) p.grad = ga;
        }
      }
      const self = this as unknown as Record<string, unknown>;
      for (const [name, b] of this._ownBuffers()) if (b !== null) self[name] = keep(fn(b));
    });
    return this;
  }

  /** to(device) | to(dtype) | to(device, dtype) | to(tensor) | to({device, dtype, nonBlocking}) */
  to(
    target: DeviceLike | DTypeLike | Tensor | ModuleToOptions,
    dtypeArg?: DTypeLike,
  ): this {
    let dev: Device | undefined;
    let dtype: DType | undefined;
    let nonBlocking = false;
    let memoryFormat: number | undefined;
    if (target instanceof Tensor) {
      dev = target.device;
      dtype = target.dtype;
    } else if (target instanceof Device) {
      dev = target;
    } else if (target instanceof DType) {
      dtype = target;
    } else if (typeof target === 'string') {
      if (isDeviceString(target)) dev = toDevice(target);
      else dtype = toDType(target as DTypeLike);
    } else if (target && typeof target === 'object') {
      checkKeywords('to', target, TO_KEYS);
      if (target.device !== undefined) dev = toDevice(target.device);
      if (target.dtype !== undefined) dtype = toDType(target.dtype);
      nonBlocking = target.nonBlocking ?? false;
      memoryFormat = target.memoryFormat;
    }
    if (dtypeArg !== undefined) dtype = toDType(dtypeArg);
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

  cuda(device?: number | DeviceLike): this {
    return this.to(device === undefined ? 'cuda' : typeof device === 'number' ? `cuda:${device}` : device);
  }
  cpu(): this {
    return this.to('cpu');
  }
  /** Casts floating-point parameters and buffers. */
  type(dtype: DTypeLike): this {
    const dt = toDType(dtype);
    return this._apply((t) => (t.dtype.isFloatingPoint ? t.to(dt) : t));
  }
  float(): this {
    return this.type(float32);
  }
  double(): this {
    return this.type(float64);
  }
  half(): this {
    return this.type(float16);
  }
  bfloat16(): this {
    return this.type(bfloat16);
  }

  // ---- hooks --------------------------------------------------------------------------------
  /** hook(module, inputs) runs before forward; a returned value replaces the inputs. */
  registerForwardPreHook(hook: ForwardPreHook, options: { prepend?: boolean } = {}): RemovableHandle {
    checkKeywords('registerForwardPreHook', options, PREPEND);
    return addHook(this._s.preHooks, hook, options.prepend);
  }

  /** hook(module, inputs, output) runs after forward; a returned value replaces the output. */
  registerForwardHook(hook: ForwardHook, options: { prepend?: boolean } = {}): RemovableHandle {
    checkKeywords('registerForwardHook', options, PREPEND);
    return addHook(this._s.hooks, hook, options.prepend);
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
    return moduleRepr(this._getName(), this.extraRepr(), this._ownEntries().filter(([, v]) => v instanceof Module) as [string, Module][]);
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'object' || typeof v === 'function') return (v as object).constructor?.name ?? typeof v;
  return typeof v;
}

/** How Python would print the type of a value read from a checkpoint: <class 'int'>. */
function pyClass(v: unknown): string {
  const name =
    v === null || v === undefined ? 'NoneType'
    : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float')
    : typeof v === 'string' ? 'str'
    : typeof v === 'boolean' ? 'bool'
    : Array.isArray(v) ? 'list'
    : v instanceof Map || (typeof v === 'object' && Object.getPrototypeOf(v) === null) ? 'dict'
    : typeName(v);
  return `<class '${name}'>`;
}

function splitLast(target: string): [string, string] {
  const i = target.lastIndexOf('.');
  return i < 0 ? ['', target] : [target.slice(0, i), target.slice(i + 1)];
}
