// torch.nn.utils.stateless.functional_call: calls a module with some parameters and buffers
// replaced by given tensors, leaving the module itself unchanged (meta-learning, ensembles, Jacobians
// with respect to the weights). As in Python, reads of a replaced name see the given tensor and
// assignments to it inside forward land in the given dict; the originals come back afterwards, also
// when forward throws or (for an async forward) once its promise settles.
import { Tensor } from '../functional/torch';
import { warn } from '../../errors';
import { thenCleanUp } from '../../settle';
import { Module } from '../module';
import { getattr, hasattr } from './members';

export type ParametersAndBuffers = Record<string, Tensor> | Map<string, Tensor>;

/** One name on one module made to read and write the entry `path` of the given dict. */
function swapIn(owner: Module, name: string, read: () => unknown, write: (v: unknown) => void): () => void {
  const raw = owner._rawTarget();
  const before = Object.getOwnPropertyDescriptor(raw, name);
  // defined on the instance behind the Proxy: no registration, and an accessor shadows any
  // parametrization's property, as Python's class swap does
  Reflect.defineProperty(raw, name, { get: read, set: write, configurable: true, enumerable: before?.enumerable ?? true });
  return () => (before ? Reflect.defineProperty(raw, name, before) : Reflect.deleteProperty(raw, name));
}

/**
 * functionalCall(module, parametersAndBuffers, args, kwargs?): module(...args) with each
 * 'dotted.name' of the dict (or Map) standing for that parameter or buffer. `args` is an array of
 * positional arguments (a single non-array value is one argument); kwargs, when given, is passed
 * as the trailing options object.
 */
export function functionalCall(module: Module, parametersAndBuffers: ParametersAndBuffers, args: unknown, kwargs?: Record<string, unknown>): unknown {
  const given = parametersAndBuffers;
  const isMap = given instanceof Map;
  const entries: [string, Tensor][] = isMap ? [...given] : Object.entries(given);
  const read = (path: string) => (isMap ? given.get(path) : given[path]);
  const write = (path: string, v: unknown) => (isMap ? given.set(path, v as Tensor) : (given[path] = v as Tensor));
  const replacedBy = new Map<unknown, unknown>();
  const restores: (() => void)[] = [];
  const restoreAll = () => restores.reverse().forEach((restore) => restore());
  try {
    for (const [path] of entries) {
      const parts = path.split('.');
      const name = parts.pop()!;
      const owner = parts.reduce((m, part) => getattr(m, part) as Module, module);
      if (hasattr(owner, name)) {
        const old = (owner as unknown as Record<string, unknown>)[name];
        if (!replacedBy.has(old)) replacedBy.set(old, read(path));
        else if (replacedBy.get(old) !== read(path)) {
          warn('functional_call was passed multiple values for tied weights. This behavior is deprecated and will be an error in future versions');
        }
      }
      restores.push(swapIn(owner, name, () => read(path), (v) => write(path, v)));
    }
  } catch (e) {
    restoreAll();
    throw e;
  }
  const positional = Array.isArray(args) ? args : [args];
  const call = module as unknown as (...a: unknown[]) => unknown;
  return thenCleanUp(() => (kwargs === undefined ? call(...positional) : call(...positional, kwargs)), restoreAll);
}
