// What nn.utils.prune / parametrize / weightNorm / spectralNorm do to a module's members, as
// Python's getattr / setattr / delattr and module._parameters / _buffers / _forward_pre_hooks.
import { Tensor, TorchError } from '../functional/torch';
import { keep } from '../../memory/scope';
import { Module, ForwardPreHook } from '../module';
import { Parameter } from '../parameter';

type Bag = Record<string, unknown>;

/** Python's getattr(module, name): AttributeError (as TorchError) when it has no such attribute. */
export function getattr(module: Module, name: string): unknown {
  const v = (module as unknown as Bag)[name];
  if (v === undefined) throw new TorchError(`'${module._getName()}' object has no attribute '${name}'`);
  return v;
}

/** Python's hasattr(module, name). */
export function hasattr(module: object, name: string): boolean {
  return (module as Bag)[name] !== undefined;
}

/**
 * Python's setattr(module, name, value) for a value that is no parameter (a recomputed `weight`,
 * as pruning and weight norm set before each forward): a plain attribute, kept out of scopes (a
 * tidy around a forward must not dispose the module's attribute).
 */
export function setPlain(module: Module, name: string, value: Tensor): void {
  (module as unknown as Bag)[name] = keep(value);
}

/** name in module._parameters (a null slot, Python's None parameter, included when `withNone`). */
export function isParameterName(module: Module, name: string, withNone = false): boolean {
  if (module._ownParameters().some(([k]) => k === name)) return true;
  if (!withNone || !Object.prototype.hasOwnProperty.call(module, name)) return false;
  return (module as unknown as Bag)[name] === null && !isBufferName(module, name);
}

/** name in module._buffers */
export function isBufferName(module: Module, name: string): boolean {
  return module._ownBuffers().some(([k]) => k === name);
}

/** Python's delattr(module, name): a parameter, buffer, submodule or plain attribute (Module's delete is __delattr__). */
export function delattr(module: Module, name: string): void {
  if (!Object.prototype.hasOwnProperty.call(module, name)) {
    throw new TorchError(`'${module._getName()}' object has no attribute '${name}'`);
  }
  delete (module as unknown as Bag)[name];
}

/** Python's `del module._parameters[name]`: KeyError (its text is the quoted name) when not one. */
export function delParameter(module: Module, name: string): void {
  if (!isParameterName(module, name, true)) throw new TorchError(`'${name}'`);
  delete (module as unknown as Bag)[name];
}

/** Python's `del module._buffers[name]` */
export function delBuffer(module: Module, name: string): void {
  if (!isBufferName(module, name)) throw new TorchError(`'${name}'`);
  delete (module as unknown as Bag)[name];
}

/** Python's _register_parameter_or_buffer: a Parameter as a parameter, any other tensor as a buffer. */
export function registerParameterOrBuffer(module: Module, name: string, t: Tensor): void {
  if (t instanceof Parameter) module.registerParameter(name, t);
  else module.registerBuffer(name, t);
}

/** module._forward_pre_hooks: id to hook, in call order (deleting an id removes the hook). */
export function forwardPreHooks(module: Module): Map<number, ForwardPreHook> {
  return module._forwardPreHooks;
}

/** Undoes and drops the hook under `tag` that handles tensor `name` (weight/spectral norm's remove); false when there is none. */
export function removeTaggedHook(module: Module, tag: symbol, name: string): boolean {
  for (const [k, hook] of taggedHooks<{ name: string; remove(module: Module): void }>(module, tag)) {
    if (hook.name !== name) continue;
    hook.remove(module);
    module._forwardPreHooks.delete(k);
    return true;
  }
  return false;
}

/** The forward pre-hooks that carry an object under `tag` (weight norm's, spectral norm's), by hook id. */
export function taggedHooks<T>(module: Module, tag: symbol): [number, T][] {
  const out: [number, T][] = [];
  for (const [k, hook] of module._forwardPreHooks) {
    const value = (hook as unknown as Record<symbol, T | undefined>)[tag];
    if (value !== undefined) out.push([k, value]);
  }
  return out;
}
