// torch.load of a whole module (Python's torch.save(model)): the class GLOBALs resolve only to the
// library's registered classes and to those the caller passes ({ classes }); NEWOBJ (or copyreg's
// _reconstructor) gives a placeholder, BUILD its instance __dict__; after the tensors exist, the
// placeholder becomes an instance of the JS class, built without running its constructor (no random
// init): members, training, then the other attributes under our camelCase names. Objects of other
// registered Python classes (a prepared model's QConfig and observer factories) are built from their
// NEWOBJ arguments and BUILD state once everything is read; hooks with Python names come back.
import { TorchError } from '../../errors';
import { PyGlobal, unpicklingError } from '../unpickler';
import { ModuleClass, ObjectClass, attributeConverter, hookPath, moduleSupport, objectClass, registeredClass, registeredFunction, tupleState } from './registry';
import { isTuple, asTuple } from '../py-types';
import { DType } from '../../tensor/dtype';
import { QScheme } from '../../ao/quantization/qscheme';
import { jsAttributeName, PYTHON_ONLY, TEMPLATE_ARGS } from './fixups';
import { findLazyGlobal, restoreLazyHook } from './lazy-module';

/** Module.__init__'s own attributes: members and hooks, never copied as plain attributes. */
export const MODULE_BASE_ATTRIBUTES = [
  'training',
  '_parameters',
  '_buffers',
  '_non_persistent_buffers_set',
  '_backward_hooks',
  '_is_full_backward_hook',
  '_forward_hooks',
  '_forward_pre_hooks',
  '_state_dict_hooks',
  '_load_state_dict_pre_hooks',
  '_load_state_dict_post_hooks',
  '_modules',
] as const;
const BASE = new Set<string>(MODULE_BASE_ATTRIBUTES);

/** A module between NEWOBJ and the end of loading: its class and (after BUILD) its __dict__. */
export class ModuleRef {
  private moduleState: unknown = undefined;
  constructor(
    readonly cls: ModuleClass,
    readonly path: string,
  ) {}
  get state(): unknown {
    return this.moduleState;
  }
  set state(s: unknown) {
    this.moduleState = s;
  }
}

/** A class GLOBAL: NEWOBJ makes a placeholder; as a value (torchvision's _norm_layer) it is the JS class. */
export class PyClass implements PyGlobal {
  constructor(
    readonly qualifiedName: string,
    readonly cls: ModuleClass,
  ) {}
  call(args: unknown[]): unknown {
    // a class whose state is a tuple is saved as cls(*args) + BUILD (save-module.ts): the arguments
    // are dropped here, the module is rebuilt from that tuple alone
    if (tupleState(this.qualifiedName)) return new ModuleRef(this.cls, this.qualifiedName);
    throw unpicklingError(`calling ${this.qualifiedName} is not allowed (a module is rebuilt from its state, never by running its constructor)`);
  }
  newObj(args: unknown[]): ModuleRef {
    if (args.length !== 0) throw unpicklingError(`${this.qualifiedName}.__new__ takes no arguments here`);
    return new ModuleRef(this.cls, this.qualifiedName);
  }
}

/**
 * A Python object that is no module (a QConfig, an observer factory): kept as read (NEWOBJ arguments,
 * BUILD state) and built when first asked for, after the whole pickle is read. It passes for a
 * ModuleRef so that BUILD is accepted on it; its state stays hidden from the tensor pass (it holds none).
 */
export class ObjectRef extends ModuleRef {
  private raw: unknown = undefined;
  private hasState = false;
  private building = false;
  private built = false;
  private value: unknown;
  constructor(
    readonly kind: ObjectClass,
    path: string,
    readonly args: unknown[],
  ) {
    super(Object, path);
  }
  override get state(): unknown {
    return undefined;
  }
  override set state(s: unknown) {
    if (this.hasState) throw unpicklingError(`${this.path}: BUILD twice`);
    this.raw = s;
    this.hasState = true;
  }
  resolve(): unknown {
    if (this.built) return this.value;
    if (this.building) throw new TorchError(`cannot load ${this.path}: it contains itself`);
    this.building = true;
    this.value = this.kind.build(this.args.map(resolveRaw), resolveRaw(this.raw), this.path);
    this.built = true;
    return this.value;
  }
}

/** functools.partial as read, its parts resolved (an observer factory's inside). */
export class ResolvedPartial {
  constructor(
    readonly func: unknown,
    readonly args: unknown[],
    readonly keywords: Map<unknown, unknown>,
  ) {}
}

/** Unpickled values with the placeholders inside made real: classes, objects, partials. */
export function resolveRaw(v: unknown): unknown {
  if (v instanceof PyClass) return v.cls;
  if (v instanceof ObjectRef) return v.resolve();
  if (v instanceof PartialRef) return new ResolvedPartial(resolveRaw(v.func), v.args.map(resolveRaw), resolveRaw(v.keywords ?? new Map()) as Map<unknown, unknown>);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [resolveRaw(k), resolveRaw(x)]));
  if (Array.isArray(v)) return isTuple(v) ? asTuple(v.map(resolveRaw)) : v.map(resolveRaw);
  return v;
}

/** A module attribute as loaded: the objects in it built (materialize leaves them as placeholders). */
function resolveObjects(v: unknown): unknown {
  if (v instanceof ObjectRef) return v.resolve();
  if (Array.isArray(v) && v.some((x) => x instanceof ObjectRef)) return isTuple(v) ? asTuple(v.map(resolveObjects)) : v.map(resolveObjects);
  return v;
}

/** The NEWOBJ / REDUCE of a registered object class. */
function objectGlobal(path: string, kind: ObjectClass): PyGlobal {
  const make = (args: unknown[]) => new ObjectRef(kind, path, args);
  return { qualifiedName: path, call: make, newObj: make };
}

const OBJECT = { qualifiedName: 'builtins.object', value: Symbol('builtins.object') };

/** Python's copyreg._reconstructor(cls, object, None): protocols 0 and 1 build objects through it. */
const RECONSTRUCTOR: PyGlobal = {
  qualifiedName: 'copyreg._reconstructor',
  call(args) {
    const [cls, base, state] = args;
    if (!(cls instanceof PyClass) || base !== OBJECT.value || state !== null) throw unpicklingError('copyreg._reconstructor is only allowed for module classes');
    return new ModuleRef(cls.cls, cls.qualifiedName);
  },
};

/** functools.partial of an allowed class (torchvision's norm_layer = partial(nn.LayerNorm, eps=1e-6)). */
export class PartialRef {
  args: unknown[] = [];
  keywords: Map<unknown, unknown> | null = null;
  constructor(readonly func: PyClass | ObjectRef) {}
}

const PARTIAL: PyGlobal = {
  qualifiedName: 'functools.partial',
  call(args) {
    if (args.length !== 1 || !(args[0] instanceof PyClass || args[0] instanceof ObjectRef)) throw unpicklingError('functools.partial is only allowed of a module class or an observer factory');
    return new PartialRef(args[0]);
  },
};

/** BUILD of a partial: (func, args, keywords, __dict__), plain values only. */
export function buildPartial(target: PartialRef, state: unknown): boolean {
  if (!Array.isArray(state) || state.length !== 4) return false;
  const sameFunc = state[0] === target.func || (state[0] instanceof PyClass && target.func instanceof PyClass && state[0].qualifiedName === target.func.qualifiedName);
  if (!sameFunc) return false;
  const [, args, keywords, dict] = state as unknown[];
  // keyword values: plain data, and the classes, dtypes, qschemes and factories of observer factories
  const plain = (v: unknown): boolean =>
    v === null || ['number', 'string', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.every(plain)) || v instanceof PyClass || v instanceof ObjectRef || isNamedValue(v);
  if (!Array.isArray(args) || !args.every(plain)) return false;
  if (keywords !== null && !(keywords instanceof Map && [...keywords].every(([k, v]) => typeof k === 'string' && plain(v)))) return false;
  if (dict !== null && !(dict instanceof Map && dict.size === 0)) return false;
  target.args = args;
  target.keywords = keywords;
  return true;
}

/** dtypes and qschemes: GLOBALs the allowlist gives as values. */
function isNamedValue(v: unknown): boolean {
  return v instanceof DType || v instanceof QScheme;
}

/** What a loaded partial was, so that torch.save writes it back as one. */
export interface PartialInfo {
  path: string;
  args: unknown[];
  keywords: [string, unknown][];
}
const partials = new WeakMap<Function, PartialInfo>();

export function partialInfo(fn: Function): PartialInfo | undefined {
  return partials.get(fn);
}

/** Declares a library function to be Python's functools.partial `info` (torchvision's default norm layers), so it saves as one. */
export function registerPartial(fn: Function, info: PartialInfo): void {
  partials.set(fn, info);
}

/** A loaded partial as a JS function: new Class(...callArgs, ...args, { camelCase keywords }). */
export function partialFunction(ref: PartialRef): Function {
  if (!(ref.func instanceof PyClass)) throw new TorchError(`cannot load functools.partial of ${ref.func.path} here`);
  const keywords = [...(ref.keywords ?? [])].map(([k, v]) => [k, resolveRaw(v)]) as [string, unknown][];
  const options = Object.fromEntries(keywords.map(([k, v]) => [jsAttributeName(k), v]));
  const cls = ref.func.cls as unknown as new (...a: unknown[]) => object;
  const fn = (...a: unknown[]): object => new cls(...a, ...ref.args, ...(keywords.length ? [options] : []));
  partials.set(fn, { path: ref.func.qualifiedName, args: ref.args, keywords });
  return fn;
}

/** Whole-module loading: { 'python.path.Name': JSClass } the caller allows beyond the library's classes. */
export type ModuleClasses = Record<string, ModuleClass>;

/** Resolves the globals of whole-module pickles (undefined: not one of them). */
export function findModuleGlobal(path: string, classes: ModuleClasses | undefined): PyGlobal | undefined {
  const own = classes && Object.prototype.hasOwnProperty.call(classes, path) ? classes[path] : undefined;
  const cls = own ?? registeredClass(path);
  if (cls) return new PyClass(path, cls);
  const kind = objectClass(path);
  if (kind) return objectGlobal(path, kind);
  const fn = registeredFunction(path);
  if (fn) return { qualifiedName: path, value: fn };
  if (path === 'copyreg._reconstructor') return RECONSTRUCTOR;
  if (path === 'functools.partial') return PARTIAL;
  if (path === 'builtins.object' || path === '__builtin__.object') return OBJECT;
  return findLazyGlobal(path);
}

function entriesOf(v: unknown, what: string): [string, unknown][] {
  if (v === undefined || v === null) return [];
  if (v instanceof Map) return [...v.entries()] as [string, unknown][];
  if (typeof v === 'object' && !Array.isArray(v)) return Object.entries(v as object);
  throw new TorchError(`cannot load a module: its ${what} is not a dict`);
}

/** The module instance a placeholder becomes: the JS class's prototype, no constructor body run. */
export function newModuleShell(ref: ModuleRef): object {
  if (ref instanceof ObjectRef) return ref; // a placeholder, built on demand (resolveObjects)
  const support = moduleSupport();
  if (!support) throw new TorchError('cannot load a module: torch-node/nn is not loaded');
  if (!(ref.cls === support.Module || ref.cls.prototype instanceof support.Module)) {
    throw new TorchError(`cannot load ${ref.path}: its class is not an nn.Module subclass`);
  }
  return Reflect.construct(support.Module, [], ref.cls);
}

/** Per class, an instance built once by its constructor: the attributes only the JS class has (pooling's kernel function). */
const templates = new Map<ModuleClass, Record<string, unknown>>();
function template(ref: ModuleRef): Record<string, unknown> | undefined {
  const args = TEMPLATE_ARGS[ref.path];
  if (!args) return undefined;
  let t = templates.get(ref.cls);
  if (!t) {
    t = (new (ref.cls as unknown as new (...a: unknown[]) => { _rawTarget(): Record<string, unknown> })(...args))._rawTarget();
    templates.set(ref.cls, t);
  }
  return t;
}

/** Whether the prototype chain defines `key` as a method (descriptors only: no getter runs). */
function isMethod(proto: object | null, key: string): boolean {
  for (; proto; proto = Object.getPrototypeOf(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (d) return typeof d.value === 'function';
  }
  return false;
}

interface Shell {
  training: boolean;
  registerParameter(name: string, p: unknown): void;
  registerBuffer(name: string, t: unknown, options: { persistent: boolean }): void;
  addModule(name: string, m: unknown): void;
  _memberKind(name: string): unknown;
  _rawTarget(): Record<string, unknown>;
}

/**
 * Fills a shell from its materialized __dict__: parameters (as nn.Parameter; one per loaded tensor,
 * so tied weights stay tied), buffers (persistence kept), children, training, then the attributes.
 */
export function fillModule(shell: object, state: unknown, ref: ModuleRef, parameters: Map<object, object>): void {
  if (ref instanceof ObjectRef) {
    ref.resolve();
    return;
  }
  const support = moduleSupport()!;
  const m = shell as Shell;
  const tuple = tupleState(ref.path);
  if (tuple && Array.isArray(state)) return tuple.load(shell, state, ref.path);
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new TorchError(`cannot load ${ref.path}: its state is not a dict`);
  const dict = new Map(entriesOf(state, 'state'));
  const training = dict.get('training');
  if (typeof training === 'boolean') m.training = training;
  for (const [name, value] of entriesOf(dict.get('_parameters'), '_parameters')) {
    let p = value;
    if (value !== null && !(value instanceof support.Parameter)) {
      p = parameters.get(value as object);
      if (!p) {
        const made = new support.Parameter(value, (value as { requiresGrad: boolean }).requiresGrad);
        parameters.set(value as object, made);
        p = made;
      }
    }
    m.registerParameter(name, p);
  }
  const nonPersistent = dict.get('_non_persistent_buffers_set');
  for (const [name, value] of entriesOf(dict.get('_buffers'), '_buffers')) {
    m.registerBuffer(name, value, { persistent: !(nonPersistent instanceof Set && nonPersistent.has(name)) });
  }
  for (const [name, value] of entriesOf(dict.get('_modules'), '_modules')) m.addModule(name, value);
  const raw = m._rawTarget();
  for (const [name, value] of dict) {
    if (BASE.has(name) || PYTHON_ONLY.has(name)) continue;
    const key = jsAttributeName(name);
    if (m._memberKind(key) !== undefined) continue;
    // data from a file never replaces the class's methods (forward, constructor, ...)
    if (!Object.prototype.hasOwnProperty.call(raw, key) && isMethod(ref.cls.prototype, key)) {
      throw new TorchError(`cannot load ${ref.path}: its attribute '${name}' would replace the method ${key} of ${ref.cls.name}`);
    }
    const converter = attributeConverter(ref.path, name);
    const own = converter ? converter.load(value, `${ref.path}.${name}`) : resolveObjects(value);
    Reflect.defineProperty(raw, key, { value: own, writable: true, enumerable: true, configurable: true });
  }
  restoreLazyHook(shell, dict.get('_forward_pre_hooks'), ref);
  restoreNamedHooks(m, dict.get('_forward_pre_hooks'), dict.get('_forward_hooks'));
  const t = template(ref);
  if (t) {
    for (const key of Reflect.ownKeys(t)) {
      if (typeof key === 'string' && !Object.prototype.hasOwnProperty.call(raw, key) && m._memberKind(key) === undefined) {
        Reflect.defineProperty(raw, key, Reflect.getOwnPropertyDescriptor(t!, key)!);
      }
    }
  }
}

/** Forward (pre-)hooks the pickle names (eager quantization's observer hooks): registered again, in order. */
function restoreNamedHooks(m: Shell, preHooks: unknown, hooks: unknown): void {
  const named = (d: unknown): Function[] => entriesOf(d, 'hooks').map(([, fn]) => fn).filter((fn): fn is Function => hookPath(fn) !== undefined);
  const target = m as unknown as { registerForwardPreHook(fn: Function): void; registerForwardHook(fn: Function): void };
  for (const fn of named(preHooks)) target.registerForwardPreHook(fn);
  for (const fn of named(hooks)) target.registerForwardHook(fn);
}
