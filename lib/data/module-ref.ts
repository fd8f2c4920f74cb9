// Worker threads share no JS objects with the main thread, so a dataset (or a collate / init
// function) that workers use is named by where it comes from: a module path, an export name and
// constructor arguments (structured-cloneable). Each thread then builds its own copy.
import * as path from 'path';
import { TorchError } from '../errors';
import { PyTypeError } from './errors';
import type { Dataset } from './dataset';

export interface ModuleRef {
  module: string;
  export: string;
  args: unknown[];
  /** 'construct': new the export (a class) or call it (a factory); 'function': the export itself */
  kind: 'construct' | 'function';
}

const REF = Symbol.for('torch-node.data.moduleRef');

function load(ref: ModuleRef): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(ref.module);
  const value = ref.export === 'default' && mod.default === undefined ? mod : mod[ref.export];
  if (value === undefined) throw new TorchError(`${ref.module} has no export '${ref.export}'`);
  if (ref.kind === 'function') {
    if (typeof value !== 'function') throw new PyTypeError(`${ref.module}: export '${ref.export}' is not a function`);
    return value;
  }
  if (typeof value !== 'function') throw new PyTypeError(`${ref.module}: export '${ref.export}' is neither a class nor a factory function`);
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
  return isClass ? new (value as new (...a: unknown[]) => unknown)(...ref.args) : (value as (...a: unknown[]) => unknown)(...ref.args);
}

/** Builds the value a ref names (in this thread) and remembers the ref on it. */
export function instantiate<T>(ref: ModuleRef): T {
  const value = load(ref) as T;
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    Object.defineProperty(value, REF, { value: ref, enumerable: false, configurable: true });
  }
  return value;
}

/**
 * A dataset that DataLoader worker threads can rebuild: `new (require(module)[exportName])(...args)`,
 * or `require(module)[exportName](...args)` when the export is a factory function. The module must be
 * JavaScript (compiled), since worker threads load it with require(). Its type is T
 * (`fromModule<MyDataset>(path, 'MyDataset', 10)`), a map-style Dataset unless told; the arguments
 * may hold what library datasets may (library transforms, tensors, dtypes: library-ref.ts).
 */
export function fromModule<T = Dataset<any>>(module: string, exportName?: string, ...args: unknown[]): NoInfer<T>;
/**
 * Typed from the module itself: `fromModule<typeof import('./squares'), 'Squares'>(path, 'Squares', 10)`
 * checks the arguments against the class's constructor and gives its instance type.
 */
export function fromModule<M, K extends keyof M & string>(
  module: string,
  exportName: K,
  ...args: M[K] extends abstract new (...a: infer A) => unknown ? A : M[K] extends (...a: infer A) => unknown ? A : never
): M[K] extends abstract new (...a: any[]) => infer R ? R : M[K] extends (...a: any[]) => infer R ? R : never;
export function fromModule(module: string, exportName = 'default', ...args: unknown[]): unknown {
  return instantiate({ module: path.resolve(module), export: exportName, args, kind: 'construct' });
}

/** A function (collateFn, workerInitFn) that worker threads can load: require(module)[exportName]. */
export function moduleFunction<F extends (...a: any[]) => unknown>(module: string, exportName = 'default'): F {
  return instantiate<F>({ module: path.resolve(module), export: exportName, args: [], kind: 'function' });
}

export function moduleRefOf(x: unknown): ModuleRef | undefined {
  return x !== null && (typeof x === 'object' || typeof x === 'function') ? (x as Record<symbol, ModuleRef>)[REF] : undefined;
}
