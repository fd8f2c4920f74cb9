// Library objects that DataLoader worker threads rebuild by themselves, so that the library's own
// datasets need no data.fromModule: a dataset (TensorDataset, datasets.FashionMNIST, ImageFolder,
// ...) from the constructor arguments it recorded; a transform from its fields, as pickle copies an
// object; a library function or class by its export name; a dtype by its code; a tensor over shared
// memory, copied there once. Each is named by the compiled module that defines it (its __filename
// at runtime, mapped to dist/ when running from the TypeScript sources), which a worker thread
// require()s to build its own copy. Anything else that cannot cross threads (a user's function or
// class instance) has no encoding: NotRebuildable says where it sits among the arguments.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../tensor/tensor';
import { frombuffer, empty } from '../tensor/create';
import { DType, dtypeFromCode } from '../tensor/dtype';
import { aten } from '../tensor/aten';
import { isMap, isPlainObject, isTensor, isTypedArray } from './kinds';
import { ModuleRef, moduleRefOf, instantiate } from './module-ref';
import { TorchError } from '../errors';

const equalOp = aten('equal', '');

/** A value as it crosses to a worker thread (structured-cloneable). */
export type Encoded =
  | null
  | undefined
  | boolean
  | number
  | string
  | bigint
  | Encoded[]
  /** a library export itself (class, function) */
  | { $lib: 'export'; module: string; export: string }
  /** new (module[export])(...args): a library object that recorded its constructor arguments */
  | { $lib: 'new'; module: string; export: string; args: Encoded[] }
  /** module[export]._fromState(state), else an object of that class with these fields */
  | { $lib: 'state'; module: string; export: string; state: Record<string, Encoded> }
  /** a fromModule / moduleFunction value (its arguments encoded) */
  | { $lib: 'ref'; ref: EncodedRef }
  | { $lib: 'dtype'; code: number }
  /** a tensor over shared memory (null: no elements) */
  | { $lib: 'tensor'; buffer: SharedArrayBuffer | null; dtype: number; shape: number[]; device: string }
  | { $lib: 'object'; nullProto: boolean; value: Record<string, Encoded> }
  | { $lib: 'map'; entries: [Encoded, Encoded][] }
  | { $lib: 'set'; values: Encoded[] }
  /** copied by structured clone as it is (typed arrays, ArrayBuffers, Dates, RegExps) */
  | { $lib: 'clone'; value: unknown };

/** A ModuleRef whose constructor arguments are encoded, as it crosses to a worker thread. */
export type EncodedRef = Omit<ModuleRef, 'args'> & { args: Encoded[] };

// ---- what the library declares ----------------------------------------------------------------

interface LibraryExport {
  file: string;
  name: string;
}
/** class / function -> the module that exports it and the export's name */
const exportsByValue = new WeakMap<object, LibraryExport>();

/**
 * Declares a library module's exports rebuildable by name: call it at the end of the module with
 * (__filename, module.exports). Values already declared keep their first module.
 */
export function registerLibraryExports(file: string, exports: Record<string, unknown>): void {
  for (const name of Object.keys(exports)) {
    const value = exports[name];
    if (typeof value === 'function' && !exportsByValue.has(value)) exportsByValue.set(value, { file, name });
  }
}

interface Construction {
  cls: object;
  args: readonly unknown[];
}
const constructions = new WeakMap<object, Construction>();

/**
 * Records how a library object was built, `new cls(...args)` (its constructor calls it; a subclass's
 * later call replaces its base's). Only used when `cls` is the object's own class and a declared
 * library export: a user's subclass is not rebuilt as its library base.
 */
export function recordConstruction(obj: object, cls: object, args: readonly unknown[]): void {
  constructions.set(obj, { cls, args });
}

// ---- module paths -----------------------------------------------------------------------------

/** lib/ when running from the TypeScript sources (ts-jest, ts-node), dist/lib when compiled */
const LIB_ROOT = path.resolve(__dirname, '..');
const compiled = new Map<string, string>();

/** The JavaScript file a worker thread can require() for a library module (the file itself once compiled). */
export function compiledModule(file: string): string {
  let js = compiled.get(file);
  if (js !== undefined) return js;
  js = file;
  if (/\.ts$/.test(file) && !file.endsWith('.d.ts')) {
    const rel = path.relative(LIB_ROOT, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new TorchError(`${file} is not a module of this library`);
    js = path.join(LIB_ROOT, '..', 'dist', 'lib', rel.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(js)) {
      throw new TorchError(`DataLoader worker threads load the compiled library, and ${js} (the build of ${file}) is missing: build the TypeScript sources first (npm run build:ts)`);
    }
  }
  compiled.set(file, js);
  return js;
}

// ---- encoding (main thread) -------------------------------------------------------------------

/** A value that worker threads cannot rebuild: `where` is its path among the arguments. */
export class NotRebuildable extends Error {
  constructor(
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where || 'the value'} is ${what}`);
  }
}

const classOf = (v: object): object | undefined => (Object.getPrototypeOf(v) as { constructor?: object } | null)?.constructor;
const nameOf = (cls: unknown): string => (typeof cls === 'function' && cls.name) || '(anonymous class)';

/** The nearest class up the chain of `cls` that the library exports. */
function libraryBase(cls: object | undefined): object | undefined {
  for (let c = cls; c && c !== Function.prototype && c !== Object; c = Object.getPrototypeOf(c)) {
    if (exportsByValue.has(c)) return c;
  }
  return undefined;
}

/** How an error names a value: "an arrow function ((x) => x.mul(2))", "a MyDataset object". */
export function describeValue(v: unknown): string {
  if (typeof v === 'symbol') return `a symbol (${String(v.description)})`;
  if (typeof v === 'function' && /^(Async)?(Generator)?Function$/.test(nameOf(classOf(v)))) {
    const src = Function.prototype.toString.call(v).replace(/\s+/g, ' ');
    const short = src.length > 60 ? `${src.slice(0, 57)}...` : src;
    if (/^class[\s{]/.test(src)) return `the class ${nameOf(v)}, defined outside the library`;
    if (!/^(async\s+)?function\b/.test(src) && !/^[\w$]+\s*\(/.test(src.replace(/^async\s+/, ''))) return `an arrow function (${short})`;
    return v.name ? `the function ${v.name} (${short})` : `a function (${short})`;
  }
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return `${typeof v} ${String(v)}`;
  const cls = classOf(v);
  const base = libraryBase(cls);
  if (base && base !== cls) return `a ${nameOf(cls)} object (its class extends ${nameOf(base)} outside the library)`;
  return `a ${nameOf(cls)} object`;
}

const join = (where: string, key: string | number): string =>
  typeof key === 'number' ? `${where}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (where ? `${where}.${key}` : key) : `${where}[${JSON.stringify(key)}]`;

function isDType(v: unknown): v is DType {
  return v instanceof DType || (typeof v === 'object' && v !== null && classOf(v) !== undefined && nameOf(classOf(v)) === 'DType' && typeof (v as DType).code === 'number');
}

interface SharedCopy {
  buffer: SharedArrayBuffer;
  view: Tensor;
}
/** Each tensor's copy in shared memory, made once and reused while the tensor's contents are unchanged. */
const sharedCopies = new WeakMap<Tensor, SharedCopy>();

function sameContents(copy: Tensor, t: Tensor): boolean {
  if (copy.dtype.code !== t.dtype.code || copy.shape.length !== t.shape.length || copy.shape.some((d, i) => d !== t.shape[i])) return false;
  return equalOp([copy, t.device.type === 'cpu' ? t.detach() : t.detach().cpu()]) as boolean;
}

/** A tensor for worker threads: its values in a SharedArrayBuffer that every worker reads, no copy per worker. */
function encodeTensor(t: Tensor): Encoded {
  const dtype = t.dtype;
  const shape = [...t.shape];
  const device = t.device.toString();
  if (t.numel() === 0) return { $lib: 'tensor', buffer: null, dtype: dtype.code, shape, device };
  let copy = sharedCopies.get(t);
  if (!copy || !sameContents(copy.view, t)) {
    const buffer = new SharedArrayBuffer(t.numel() * dtype.itemsize);
    const view = frombuffer(buffer, { dtype }).view(shape);
    view.copy_(t.detach());
    copy = { buffer, view };
    sharedCopies.set(t, copy);
  }
  return { $lib: 'tensor', buffer: copy.buffer, dtype: dtype.code, shape, device };
}

function exportRef(v: object): { module: string; export: string } | undefined {
  const e = exportsByValue.get(v);
  return e && { module: compiledModule(e.file), export: e.name };
}

/**
 * The encoding of `value` for a worker thread, or NotRebuildable naming the first part that has
 * none (`where`: the path of `value` among the arguments, '' at the top).
 */
export function encodeLibraryValue(value: unknown, where = '', seen = new Set<object>()): Encoded {
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') {
    return value;
  }
  if (typeof value !== 'object' && typeof value !== 'function') throw new NotRebuildable(where, describeValue(value));
  if (seen.has(value)) throw new NotRebuildable(where, 'a value that contains itself');
  seen.add(value);
  try {
    return encodeObject(value, where, seen);
  } finally {
    seen.delete(value);
  }
}

function encodeObject(v: object, where: string, seen: Set<object>): Encoded {
  if (isTensor(v)) return encodeTensor(v);
  const ref = moduleRefOf(v);
  if (ref) return { $lib: 'ref', ref: encodeModuleRef(ref, where, seen) };
  const exported = exportRef(v);
  if (exported) return { $lib: 'export', ...exported };
  if (isDType(v)) return { $lib: 'dtype', code: v.code };
  const cls = classOf(v);
  const built = constructions.get(v);
  if (built && cls && built.cls === cls) {
    const at = exportRef(cls);
    if (at) {
      // A single options object names the arguments (ImageFolder({ root, transform })).
      const args = built.args.length === 1 && isPlainObject(built.args[0])
        ? [encodeFields(built.args[0], where, seen, 'object')]
        : built.args.map((a, i) => encodeLibraryValue(a, join(where, i), seen));
      return { $lib: 'new', ...at, args };
    }
  }
  if (cls && typeof (cls as { _fromState?: unknown })._fromState === 'function') {
    const at = exportRef(cls);
    if (at) return { $lib: 'state', ...at, state: (encodeFields(v as Record<string, unknown>, where, seen, 'fields') as { value: Record<string, Encoded> }).value };
  }
  if (typeof v === 'function') throw new NotRebuildable(where, describeValue(v));
  if (Array.isArray(v)) return v.map((x, i) => encodeLibraryValue(x, join(where, i), seen));
  if (isPlainObject(v)) return encodeFields(v, where, seen, 'object');
  if (isMap(v)) return { $lib: 'map', entries: [...v].map(([k, x], i) => [encodeLibraryValue(k, `${where}<key ${i}>`, seen), encodeLibraryValue(x, join(where, String(k)), seen)]) };
  if (Object.prototype.toString.call(v) === '[object Set]') return { $lib: 'set', values: [...(v as Set<unknown>)].map((x, i) => encodeLibraryValue(x, `${where}<item ${i}>`, seen)) };
  const tag = Object.prototype.toString.call(v);
  if (isTypedArray(v) || v instanceof DataView || tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]' || tag === '[object Date]' || tag === '[object RegExp]') {
    return { $lib: 'clone', value: v };
  }
  throw new NotRebuildable(where, describeValue(v));
}

/**
 * A fromModule ref for a worker thread: its constructor arguments may be what library datasets'
 * may hold (library transforms, tensors, dtypes, ...), which structured clone alone cannot copy.
 */
export function encodeModuleRef(ref: ModuleRef, where = '', seen = new Set<object>()): EncodedRef {
  return { ...ref, args: ref.args.map((a, i) => encodeLibraryValue(a, join(where ? `${where}.args` : 'args', i), seen)) };
}

/** Builds, in this thread, the value an encoded ref names. */
export function instantiateEncodedRef<T>(ref: EncodedRef): T {
  return instantiate<T>({ ...ref, args: ref.args.map(decodeLibraryValue) });
}

/** A plain object's keys (undefined values left out), or an object's own fields. */
function encodeFields(v: Record<string, unknown>, where: string, seen: Set<object>, kind: 'object' | 'fields'): Encoded {
  const value: Record<string, Encoded> = {};
  for (const key of Object.keys(v)) {
    if (kind === 'object' && v[key] === undefined) continue;
    value[key] = encodeLibraryValue(v[key], join(where, key), seen);
  }
  return { $lib: 'object', nullProto: Object.getPrototypeOf(v) === null, value };
}

// ---- decoding (worker thread) -----------------------------------------------------------------

function loadExport(module: string, name: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const value = (require(module) as Record<string, unknown>)[name];
  if (value === undefined) throw new TorchError(`${module} has no export '${name}'`);
  return value;
}

/** Builds, in this thread, the value an encoding describes. */
export function decodeLibraryValue(e: Encoded): unknown {
  if (e === null || typeof e !== 'object') return e;
  if (Array.isArray(e)) return e.map(decodeLibraryValue);
  switch (e.$lib) {
    case 'export':
      return loadExport(e.module, e.export);
    case 'new': {
      const cls = loadExport(e.module, e.export) as new (...a: unknown[]) => unknown;
      return new cls(...e.args.map(decodeLibraryValue));
    }
    case 'state': {
      const cls = loadExport(e.module, e.export) as { prototype: object; _fromState?: (s: Record<string, unknown>) => unknown };
      const state: Record<string, unknown> = {};
      for (const key of Object.keys(e.state)) state[key] = decodeLibraryValue(e.state[key]);
      return typeof cls._fromState === 'function' ? cls._fromState(state) : Object.assign(Object.create(cls.prototype), state);
    }
    case 'ref':
      return instantiateEncodedRef(e.ref);
    case 'dtype':
      return dtypeFromCode(e.code);
    case 'tensor': {
      const dtype = dtypeFromCode(e.dtype);
      const t = e.buffer === null ? empty(e.shape, { dtype }) : frombuffer(e.buffer, { dtype }).view(e.shape);
      return e.device === 'cpu' ? t : t.to(e.device);
    }
    case 'object': {
      const out: Record<string, unknown> = e.nullProto ? Object.create(null) : {};
      for (const key of Object.keys(e.value)) out[key] = decodeLibraryValue(e.value[key]);
      return out;
    }
    case 'map':
      return new Map(e.entries.map(([k, v]) => [decodeLibraryValue(k), decodeLibraryValue(v)]));
    case 'set':
      return new Set(e.values.map(decodeLibraryValue));
    case 'clone':
      return e.value;
  }
  throw new TorchError(`unknown encoded value kind ${String((e as { $lib?: unknown }).$lib)}`);
}
