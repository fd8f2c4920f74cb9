// Which JS classes and functions stand for which Python names in a whole-module pickle
// (torch.save(model)). The layers that own them (nn, vision) register them when they load, so the
// serialization layer never imports the layers above it; nothing else ever resolves.
import { PYTHON_ATTRIBUTES } from './python-attributes';

/** A JS class as the registry and the loader see it (nn.Module subclasses). */
export type ModuleClass = abstract new (...args: any[]) => object;

/** What the nn layer lends the loader and the saver: its base classes and member registration. */
export interface ModuleSupport {
  Module: ModuleClass;
  Parameter: new (data: any, requiresGrad?: boolean) => object;
  /** lazy modules' tensors and hook (nn/lazy.ts) */
  lazy?: {
    UninitializedParameter: new (requiresGrad?: boolean) => object;
    UninitializedBuffer: new (requiresGrad?: boolean) => object;
    isLazy(v: unknown): boolean;
    lazyInit(m: object, clsToBecome: Function): void;
  };
}

const classByPath = new Map<string, ModuleClass>();
const pathByClass = new Map<ModuleClass, string>();
const functionByPath = new Map<string, Function>();
const pathByFunction = new Map<Function, string>();
let support: ModuleSupport | undefined;

/** @internal nn registers its base classes once. */
export function setModuleSupport(s: ModuleSupport): void {
  support = s;
}

export function moduleSupport(): ModuleSupport | undefined {
  return support;
}

/** Whether Python 1.13 / torchvision 0.14 have a module class at this path (the generated table). */
export function isPythonModulePath(path: string): boolean {
  return Object.prototype.hasOwnProperty.call(PYTHON_ATTRIBUTES, path);
}

/** The attributes Python's instances of the class at `path` have beyond nn.Module's, with their kinds. */
export function pythonAttributes(path: string): readonly (readonly [string, string])[] | undefined {
  return isPythonModulePath(path) ? PYTHON_ATTRIBUTES[path] : undefined;
}

/** Registers cls as Python's `path`; the first registration of a class or path wins (aliases). */
export function registerPythonClass(path: string, cls: ModuleClass): void {
  if (!classByPath.has(path)) classByPath.set(path, cls);
  if (!pathByClass.has(cls)) pathByClass.set(cls, path);
}

/** Registers a function that module attributes may hold (a transformer layer's activation). */
export function registerPythonFunction(path: string, fn: Function): void {
  if (!functionByPath.has(path)) functionByPath.set(path, fn);
  if (!pathByFunction.has(fn)) pathByFunction.set(fn, path);
}

/**
 * Registers the module classes of `namespaces` (file name -> exports) under `prefix.<file>.<Name>`,
 * where the generated table says Python has that class; files' names map by `fileName`.
 */
export function registerPythonModules(prefix: string, namespaces: Record<string, unknown>, fileName: (file: string) => string = (f) => f): void {
  const base = support?.Module;
  for (const [file, ns] of Object.entries(namespaces)) {
    if (!ns || typeof ns !== 'object') continue;
    for (const [name, value] of Object.entries(ns)) {
      if (typeof value !== 'function' || !base || !(value === base || value.prototype instanceof base)) continue;
      const path = `${prefix}.${fileName(file)}.${name}`;
      if (isPythonModulePath(path)) registerPythonClass(path, value as ModuleClass);
    }
  }
}

/** An attribute whose value Python and torch-node hold differently (a packed weight: Python's ScriptObject, our native handle). */
export interface AttributeConverter {
  load(value: unknown, where: string): unknown;
  save(value: unknown, where: string): unknown;
}
const converters = new Map<string, AttributeConverter>();

/** Registers how attribute `name` of Python's class `path` converts when loaded and saved. */
export function registerAttributeConverter(path: string, name: string, converter: AttributeConverter): void {
  converters.set(`${path}\0${name}`, converter);
}

export function attributeConverter(path: string, name: string): AttributeConverter | undefined {
  return converters.get(`${path}\0${name}`);
}

/**
 * A class whose Python instances pickle a tuple (__getstate__ / __setstate__: quantized convs) rather
 * than their __dict__. Python's __setstate__ then runs on an object nn.Module.__init__ never saw, so we
 * save such a module as a constructor call (REDUCE of `args`) followed by that tuple.
 */
export interface TupleState {
  /** Python's __setstate__, on a module shell that has nn.Module's own state */
  load(shell: object, state: unknown[], where: string): void;
  /** the constructor arguments, and Python's __getstate__ written by `writeState` */
  save(m: object): { args: unknown[]; state: unknown[]; floats: number[] };
}
const tupleStates = new Map<string, TupleState>();

export function registerTupleState(path: string, t: TupleState): void {
  tupleStates.set(path, t);
}

export function tupleState(path: string): TupleState | undefined {
  return tupleStates.get(path);
}

export function registeredClass(path: string): ModuleClass | undefined {
  return classByPath.get(path);
}

export function registeredPath(cls: unknown): string | undefined {
  return typeof cls === 'function' ? pathByClass.get(cls as ModuleClass) : undefined;
}

export function registeredFunction(path: string): Function | undefined {
  return functionByPath.get(path);
}

export function registeredFunctionPath(fn: unknown): string | undefined {
  return typeof fn === 'function' ? pathByFunction.get(fn) : undefined;
}

/**
 * A Python object other than a module that module attributes hold (a prepared model's QConfig and
 * its observer factories): rebuilt from its NEWOBJ arguments and BUILD state once the pickle is read,
 * those given as resolved values (classes as JS classes, nested objects already built).
 */
export interface ObjectClass {
  build(args: unknown[], state: unknown, where: string): unknown;
}
const objectClasses = new Map<string, ObjectClass>();

export function registerObjectClass(path: string, c: ObjectClass): void {
  objectClasses.set(path, c);
}

export function objectClass(path: string): ObjectClass | undefined {
  return objectClasses.get(path);
}

/** What torch.save writes for a JS value that Python holds as an object of its own (a QConfig), or undefined. */
export type ValueSaver = (v: unknown, where: string) => unknown;
const valueSavers: ValueSaver[] = [];

export function registerValueSaver(saver: ValueSaver): void {
  valueSavers.push(saver);
}

export function savedValue(v: unknown, where: string): unknown {
  for (const saver of valueSavers) {
    const out = saver(v, where);
    if (out !== undefined) return out;
  }
  return undefined;
}

// forward hooks a pickle may hold by Python name (eager quantization's _observer_forward_hook):
// loading registers them again, saving writes them back by name
const hookByPath = new Map<string, Function>();
const hookPaths = new Map<Function, string>();

export function registerPythonHook(path: string, fn: Function): void {
  registerPythonFunction(path, fn);
  hookByPath.set(path, fn);
  hookPaths.set(fn, path);
}

/** The Python name of a hook function torch.save may write, or undefined. */
export function hookPath(fn: unknown): string | undefined {
  return typeof fn === 'function' ? hookPaths.get(fn) : undefined;
}
