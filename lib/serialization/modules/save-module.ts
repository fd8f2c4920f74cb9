// torch.save of a whole module, as Python pickles one: its class by Python path (GLOBAL), NEWOBJ,
// then BUILD with the instance __dict__ Python's instances of that class have: nn.Module's own
// entries (members in OrderedDicts, hooks empty) and the class's attributes, taken from our
// camelCase properties with the Python kinds of the generated table (tuple or list, int or float).
// A class of the caller's is written as `__main__.<Name>` unless the caller names its path.
import { TorchError } from '../../errors';
import { Pickler } from '../pickler';
import { asOrderedDict, asTuple, withFloatKeys } from '../py-types';
import { ModuleClass, attributeConverter, hookPath, moduleSupport, pythonAttributes, registeredFunctionPath, registeredPath, savedValue, tupleState } from './registry';
import { jsAttributeName, pythonAttributeName } from './fixups';
import { PartialInfo, partialInfo } from './load-module';
import { PyValue } from './py-value';
import { addLazyState, lazyMember } from './lazy-module';

export { PyValue };

/** A Python name written as a value (a GLOBAL): a class or function an attribute holds. */
export class GlobalRef extends PyValue {
  constructor(readonly path: string) {
    super();
  }
  write(p: Pickler): void {
    const dot = this.path.lastIndexOf('.');
    p.global(this.path.slice(0, dot), this.path.slice(dot + 1));
  }
}

/** functools.partial(cls, *args, **keywords), as Python pickles one: REDUCE of (cls,), then BUILD. */
class PartialValue extends PyValue {
  constructor(readonly info: PartialInfo) {
    super();
  }
  write(p: Pickler): void {
    const cls = new GlobalRef(this.info.path);
    new GlobalRef('functools.partial').write(p);
    p.mark();
    cls.write(p);
    p.tuple();
    p.reduce();
    p.mark();
    cls.write(p);
    p.writeTuple(this.info.args);
    p.write(this.info.keywords.length ? new Map(this.info.keywords) : new Map());
    p.write(null);
    p.tuple();
    p.byte(0x62); // BUILD
  }
}

interface SavedModule {
  constructor: Function;
  training: boolean;
  _ownEntries(): [string, unknown][];
  _memberKind(name: string): string | undefined;
  _nonPersistentBuffers(): ReadonlySet<string>;
  _rawTarget(): Record<string, unknown>;
}

export function isModule(v: unknown): boolean {
  const Module = moduleSupport()?.Module;
  return Module !== undefined && v instanceof Module;
}

export function isParameter(v: unknown): boolean {
  const Parameter = moduleSupport()?.Parameter;
  return Parameter !== undefined && v instanceof Parameter;
}

/** The Python path a class is saved under: the caller's, the library's, else __main__.<Name>. */
export function savedClassPath(cls: Function, classes: ReadonlyMap<Function, string>): string {
  return classes.get(cls) ?? registeredPath(cls) ?? `__main__.${cls.name}`;
}

/** Attributes Python's instances have and ours compute another way. */
const COMPUTED: Record<string, (m: SavedModule) => unknown> = {
  // RNN's forward reads the parameters in _flat_weights_names' order from this list
  // ParameterList's length and ParameterDict's key order (a dict of key -> None)
  _size: (m) => m._ownEntries().filter(([k]) => m._memberKind(k) === 'parameter').length,
  _keys: (m) => new Map(m._ownEntries().filter(([k]) => m._memberKind(k) === 'parameter').map(([k]) => [k, null])),
  _flat_weights: (m) => ((m._rawTarget()._flatWeightsNames as string[] | undefined) ?? []).map((n) => m._rawTarget()[n] ?? null),
};

/** A value as Python's instance would hold it (the kind from the generated table). */
function pythonValue(v: unknown, kind: string | undefined, where: string): unknown {
  const own = savedValue(v, where);
  if (own !== undefined) return own;
  if (typeof v === 'function') {
    const path = registeredPath(v) ?? registeredFunctionPath(v);
    const partial = partialInfo(v);
    if (!path && partial) return new PartialValue(partial);
    if (!path) throw new TorchError(`cannot save ${where}: the function or class it holds (${v.name || 'anonymous'}) has no Python name`);
    return new GlobalRef(path);
  }
  if (Array.isArray(v) && !isModuleLike(v)) {
    const items = v.map((x) => (typeof x === 'function' || savedValue(x, where) !== undefined ? pythonValue(x, undefined, where) : x));
    return kind === 'list' ? items : asTuple(items);
  }
  return v;
}

function isModuleLike(v: unknown[]): boolean {
  return v.some((x) => isModule(x) || isParameter(x));
}

function members(m: SavedModule, kind: string): Map<string, unknown> {
  return asOrderedDict(new Map(m._ownEntries().filter(([k]) => m._memberKind(k) === kind).map(([k, v]) => [k, lazyMember(v ?? null)])));
}

/** Buffers Python registers as None when running stats are off; other None slots are parameters. */
const NONE_BUFFERS = new Set(['running_mean', 'running_var', 'num_batches_tracked']);

/**
 * A library class keeps Python's None member slots (Linear(bias=False).bias) as plain null
 * properties: those not in Python's attribute table go back into _parameters / _buffers.
 */
function noneSlots(m: SavedModule, table: readonly (readonly [string, string])[], params: Map<string, unknown>, buffers: Map<string, unknown>): void {
  const attributes = new Set(table.map(([name]) => jsAttributeName(name)));
  const raw = m._rawTarget();
  for (const key of Object.keys(raw)) {
    if (raw[key] !== null || attributes.has(key) || m._memberKind(key) !== undefined) continue;
    (NONE_BUFFERS.has(key) ? buffers : params).set(key, null);
  }
}

/** Attributes any module may carry beyond its class's: propagate_qconfig_ gives every module its qconfig. */
const ANY_MODULE = ['qconfig'];

/** The module's forward (pre-)hooks that have Python names (eager quantization's observer hooks), by id. */
function namedHooks(hooks: Map<number, unknown>): Map<number, unknown> {
  const out = new Map<number, unknown>();
  for (const [id, fn] of hooks) {
    const path = hookPath(fn);
    if (path) out.set(id, new GlobalRef(path));
  }
  return asOrderedDict(out);
}

/** The instance __dict__ Python's instance of `path` would have. */
function moduleState(m: SavedModule, path: string): Record<string, unknown> {
  const state: Record<string, unknown> = {
    training: m.training,
    _parameters: members(m, 'parameter'),
    _buffers: members(m, 'buffer'),
    _non_persistent_buffers_set: new Set(m._nonPersistentBuffers()),
    _backward_hooks: asOrderedDict(new Map()),
    _is_full_backward_hook: null,
    _forward_hooks: namedHooks((m as unknown as { _s: { hooks: Map<number, unknown> } })._s.hooks),
    _forward_pre_hooks: namedHooks((m as unknown as { _forwardPreHooks: Map<number, unknown> })._forwardPreHooks),
    _state_dict_hooks: asOrderedDict(new Map()),
    _load_state_dict_pre_hooks: asOrderedDict(new Map()),
    _load_state_dict_post_hooks: asOrderedDict(new Map()),
    _modules: members(m, 'module'),
  };
  const raw = m._rawTarget();
  const floats: string[] = [];
  const table = pythonAttributes(path);
  if (table) {
    noneSlots(m, table, state._parameters as Map<string, unknown>, state._buffers as Map<string, unknown>);
    for (const [name, kind] of table) {
      const key = jsAttributeName(name);
      let v: unknown = Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
      if (v === undefined && COMPUTED[name]) v = COMPUTED[name](m);
      if (v === undefined || m._memberKind(key) !== undefined) continue;
      const converter = attributeConverter(path, name);
      if (converter) v = converter.save(v, `${path}.${name}`);
      state[name] = pythonValue(v, kind, `${path}.${name}`);
      if (kind === 'float' && typeof v === 'number') floats.push(name);
    }
    for (const name of ANY_MODULE) {
      const v = raw[jsAttributeName(name)];
      if (!(name in state) && v !== undefined) state[name] = pythonValue(v, undefined, `${path}.${name}`);
    }
  } else {
    // a class of the caller's: its own plain properties, in snake_case
    for (const key of Object.keys(raw)) {
      const v = raw[key];
      if (v === undefined || m._memberKind(key) !== undefined) continue;
      state[pythonAttributeName(key)] = pythonValue(v, undefined, `${path}.${key}`);
    }
  }
  addLazyState(m, state);
  return withFloatKeys(state, floats);
}

/** Writes module m (memoized, so shared submodules stay shared). */
export function pickleModule(v: unknown, p: Pickler, classes: ReadonlyMap<Function, string>): void {
  const m = v as SavedModule;
  const path = savedClassPath(m.constructor, classes);
  const tuple = tupleState(path);
  if (tuple) return pickleTupleModule(m, p, path, tuple.save(m));
  new GlobalRef(path).write(p);
  p.writeTuple([]);
  p.byte(0x81); // NEWOBJ
  p.memoize(m);
  p.write(moduleState(m, path));
  p.byte(0x62); // BUILD
}

/** cls(*args), then BUILD with the __getstate__ tuple (numbers at `floats` written as floats). */
function pickleTupleModule(m: object, p: Pickler, path: string, saved: { args: unknown[]; state: unknown[]; floats: number[] }): void {
  new GlobalRef(path).write(p);
  p.writeTuple(saved.args);
  p.reduce();
  p.memoize(m);
  p.mark();
  saved.state.forEach((v, i) => (saved.floats.includes(i) ? p.float(v as number) : p.write(v)));
  p.tuple();
  p.byte(0x62); // BUILD
}

/** SaveOptions.classes ({ 'python.path.Name': Class }) as class -> path. */
export function classPaths(classes: Record<string, ModuleClass> | undefined): Map<Function, string> {
  const out = new Map<Function, string>();
  if (classes === undefined) return out;
  if (classes === null || typeof classes !== 'object') throw new TorchError('torch.save: classes must be an object of Python qualified names to module classes');
  for (const [path, cls] of Object.entries(classes)) {
    if (typeof cls !== 'function' || !path.includes('.')) throw new TorchError(`torch.save: classes['${path}'] must be a class and its key a qualified name (module.Name)`);
    out.set(cls, path);
  }
  return out;
}
