// Python's Observer.with_args / with_callable_args (observer.py's _PartialWrapper over
// functools.partial): a factory that builds a fresh observer or fake-quant on every call, with
// keyword arguments fixed ahead. A QConfig holds two of them; qconfig.weight() calls one.
// Their repr is Python's (`functools.partial(<class '...MinMaxObserver'>, quant_min=0){}`),
// so a printed QConfig reads the same in both languages.
import type { Module } from '../../nn/module';
import { pyRepr } from '../../py-format';

export type Kwargs = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModuleCtor<T extends Module = Module> = new (...args: any[]) => T;

/** A callable that builds a fresh module per call, with keywords fixed ahead (overridable per call). */
export interface Factory<T extends Module = Module> {
  (overrides?: Kwargs): T;
  /** What gets built: the class, or the factory this one wraps (Python's partial.func). */
  readonly func: ModuleCtor<T> | Factory<T>;
  /** The keywords fixed by this factory (Python's partial.keywords). */
  readonly keywords: Readonly<Kwargs>;
  /** Keywords computed by calling a function at each construction (with_callable_args). */
  readonly callableArgs: Readonly<Record<string, () => unknown>>;
  /** True for a class used as it is (Python passes the class itself, e.g. default_placeholder_observer). */
  readonly bare: boolean;
  /** with_args(**kwargs): a factory of this one with more keywords. */
  withArgs(kwargs: Kwargs): Factory<T>;
  /** with_callable_args(**kwargs): keywords whose values come from calling a function at each construction. */
  withCallableArgs(kwargs: Record<string, () => unknown>): Factory<T>;
}

// the Python module each class lives in, for `<class 'torch.ao.quantization.observer.MinMaxObserver'>`
const PY_MODULES = new WeakMap<object, string>();

/** Records the Python module path of a class, for reprs. */
export function setPyModule(cls: object, module: string): void {
  PY_MODULES.set(cls, module);
}

/** Python's repr of a class: <class 'torch.ao.quantization.observer.MinMaxObserver'>. */
export function pyClassRepr(cls: { name: string }): string {
  const module = PY_MODULES.get(cls);
  return `<class '${module ? `${module}.` : ''}${cls.name}'>`;
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function kwargRepr(v: unknown): string {
  if (isFactory(v)) return String(v);
  if (typeof v === 'function') return pyClassRepr(v);
  return pyRepr(v);
}

function make<T extends Module>(func: ModuleCtor<T> | Factory<T>, keywords: Kwargs, callableArgs: Record<string, () => unknown>, bare: boolean): Factory<T> {
  const build = (overrides: Kwargs = {}): T => {
    const computed: Kwargs = {};
    for (const [k, f] of Object.entries(callableArgs)) if (!(k in overrides)) computed[k] = f();
    const kwargs = { ...keywords, ...computed, ...overrides };
    return isFactory(func) ? func(kwargs) : new func(kwargs);
  };
  const factory = Object.assign(build, {
    func,
    keywords,
    callableArgs,
    bare,
    withArgs: (kwargs: Kwargs): Factory<T> => (bare ? make(func, { ...kwargs }, {}, false) : make(factory as Factory<T>, { ...kwargs }, {}, false)),
    withCallableArgs: (kwargs: Record<string, () => unknown>): Factory<T> =>
      bare ? make(func, {}, { ...kwargs }, false) : make(func, keywords, { ...callableArgs, ...kwargs }, false),
    toString: (): string => {
      if (bare) return pyClassRepr(func);
      const head = isFactory(func) ? String(func) : pyClassRepr(func);
      const kw = Object.entries(keywords).map(([k, v]) => `, ${snake(k)}=${kwargRepr(v)}`).join('');
      // Python prints a function with its address: '<function name at 0x...>'; there is none here
      const callables = Object.keys(callableArgs).map((k) => `'${snake(k)}': <function ${callableArgs[k].name || '<lambda>'}>`);
      return `functools.partial(${head}${kw}){${callables.join(', ')}}`;
    },
  });
  Object.defineProperty(factory, Symbol.for('nodejs.util.inspect.custom'), { value: () => factory.toString() });
  FACTORIES.add(factory);
  return factory as Factory<T>;
}

const FACTORIES = new WeakSet<object>();

/** Whether v is a factory made by withArgs/classFactory (not a class). */
export function isFactory(v: unknown): v is Factory {
  return typeof v === 'function' && FACTORIES.has(v);
}

/** Cls.with_args(**kwargs) */
export function withArgs<T extends Module>(cls: ModuleCtor<T>, kwargs: Kwargs): Factory<T> {
  return make(cls, { ...kwargs }, {}, false);
}

/** Cls.with_callable_args(**kwargs) */
export function withCallableArgs<T extends Module>(cls: ModuleCtor<T>, kwargs: Record<string, () => unknown>): Factory<T> {
  return make(cls, {}, { ...kwargs }, false);
}

/** A class used where Python passes the class itself: calling it builds one with no arguments. */
export function classFactory<T extends Module>(cls: ModuleCtor<T>): Factory<T> {
  return make(cls, {}, {}, true);
}

/** A class or a factory, as a factory (QConfig's fields, FakeQuantize's observer). */
export function asFactory<T extends Module>(ctor: ModuleCtor<T> | Factory<T>): Factory<T> {
  return isFactory(ctor) ? (ctor as Factory<T>) : classFactory(ctor as ModuleCtor<T>);
}

/** The class a factory finally builds. */
export function factoryClass(f: Factory): ModuleCtor {
  return isFactory(f.func) ? factoryClass(f.func) : (f.func as ModuleCtor);
}
