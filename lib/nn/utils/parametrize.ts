// torch.nn.utils.parametrize, as PyTorch 1.13: registerParametrization(module, 'weight', p) moves
// the parameter (or buffer) to module.parametrizations.weight.original (state_dict key
// 'parametrizations.weight.original') and makes module.weight a property computing
// p(original), whose setter stores p.rightInverse(value) in original. Python swaps the module's
// class for a subclass holding the property (printed as ParametrizedLinear); here the property is
// defined on the instance (not enumerable, so it is no member) and the module prints the same name.
import { Tensor, TorchError, noGrad } from '../functional/torch';
import { keep } from '../../memory/scope';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { ModuleList } from '../containers/module-list';
import { ModuleDict } from '../containers/module-dict';
import { signature } from '../../keywords';
import { delattr, isBufferName, isParameterName, registerParameterOrBuffer } from './members';

import { NotImplementedError } from '../../errors';
import { pySize } from '../../py-format';
export { NotImplementedError };

// ---- caching ------------------------------------------------------------------------------------

let cacheEnabled = 0;
let cache = new Map<Module, Map<string, Tensor>>();

function enterCache(): void {
  cacheEnabled++;
}
function exitCache(): void {
  cacheEnabled--;
  if (!cacheEnabled) cache = new Map();
}

/**
 * parametrize.cached(): while it is open, each parametrized tensor is computed once, on first
 * use, and reused (Python's `with parametrize.cached():`). `cached(() => ...)` runs fn (awaiting it
 * when it returns a promise) inside; `using _ = cached()` opens it until the end of the block.
 */
export function cached(): Disposable;
export function cached<T>(fn: () => T): T;
export function cached<T>(fn?: () => T): T | Disposable {
  enterCache();
  if (fn === undefined) {
    let open = true;
    return {
      [Symbol.dispose]() {
        if (!open) return;
        open = false;
        exitCache();
      },
    };
  }
  let result: T;
  try {
    result = fn();
  } catch (e) {
    exitCache();
    throw e;
  }
  if (result instanceof Promise) return result.finally(exitCache) as T;
  exitCache();
  return result;
}

// ---- ParametrizationList --------------------------------------------------------------------------

/** A parametrization: a module whose forward maps the original tensor(s) to the parametrized one. */
export interface Parametrization extends Module {
  /** Optional: a tensor (or tensors) that forward maps to `value`; without one, assignment is not possible. */
  rightInverse?(value: Tensor): Tensor | Tensor[];
}

function hasRightInverse(m: Module): m is Parametrization & { rightInverse(value: Tensor): Tensor | Tensor[] } {
  return typeof (m as Parametrization).rightInverse === 'function';
}

/** Python's type(x).__name__ for the values a parametrization may return. */
function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (v instanceof Tensor) return 'Tensor';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  return (v as object).constructor?.name ?? typeof v;
}

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.dim() === b.dim() && a.shape.every((s, i) => s === b.shape[i]);
}

/**
 * The parametrizations of one tensor, in order, with the original tensor(s): `original` (a
 * parameter when the tensor was one, else a buffer) or, when the first rightInverse returns several
 * tensors, `original0`, `original1`, ...; calling it computes the parametrized tensor.
 */
export class ParametrizationList extends ModuleList {
  unsafe: boolean;
  /** whether there is one original tensor (`original`), not a sequence */
  isTensor: boolean;
  ntensors: number;
  declare original: Tensor;

  constructor(modules: Module[], original: Tensor, unsafe = false) {
    if (modules.length === 0) throw new TorchError('ParametrizationList requires one or more modules.');
    super(modules);
    this.unsafe = unsafe;
    const originalShape = original.shape;
    const originalDtype = original.dtype;
    let created: unknown = original;
    noGrad(() => {
      for (const module of [...this].reverse()) {
        if (!hasRightInverse(module)) continue;
        try {
          created = module.rightInverse(created as Tensor);
        } catch (e) {
          if (!(e instanceof NotImplementedError)) throw e;
        }
      }
    });
    if (!(created instanceof Tensor) && !Array.isArray(created)) {
      throw new TorchError(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got ${pyTypeName(created)}`);
    }
    this.isTensor = created instanceof Tensor;
    this.ntensors = created instanceof Tensor ? 1 : (created as unknown[]).length;
    if (created instanceof Tensor) {
      if (original.dtype !== created.dtype) {
        throw new TorchError(
          'When `right_inverse` outputs one tensor, it may not change the dtype.\n' +
            `original.dtype: ${original.dtype}\n` +
            `right_inverse(original).dtype: ${created.dtype}`,
        );
      }
      const source = created;
      if (source !== original) noGrad(() => original.set_(source));
      registerParameterOrBuffer(this, 'original', original);
    } else {
      (created as unknown[]).forEach((item, i) => {
        if (!(item instanceof Tensor)) {
          throw new TorchError(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got element ${i} of the sequence with type ${pyTypeName(item)}.`);
        }
        let originali: Tensor = item;
        if (original instanceof Parameter) originali = new Parameter(originali);
        originali.requiresGrad_(original.requiresGrad);
        registerParameterOrBuffer(this, `original${i}`, originali);
      });
    }
    if (!this.unsafe) {
      const Z: unknown = (this as unknown as () => unknown)();
      if (!(Z instanceof Tensor)) throw new TorchError(`A parametrization must return a tensor. Got ${pyTypeName(Z)}.`);
      if (Z.dtype !== originalDtype) {
        throw new TorchError(
          'Registering a parametrization may not change the dtype of the tensor, unless `unsafe` flag is enabled.\n' +
            `unparametrized dtype: ${originalDtype}\n` +
            `parametrized dtype: ${Z.dtype}`,
        );
      }
      if (Z.shape.join() !== originalShape.join() || Z.dim() !== originalShape.length) {
        throw new TorchError(
          'Registering a parametrization may not change the shape of the tensor, unless `unsafe` flag is enabled.\n' +
            `unparametrized shape: ${pySize(originalShape)}\n` +
            `parametrized shape: ${pySize(Z.shape)}`,
        );
      }
    }
  }

  /** The original tensors, in order (one, or original0, original1, ...). */
  private originals(): Tensor[] {
    const self = this as unknown as Record<string, Tensor>;
    if (this.isTensor) return [self.original];
    return Array.from({ length: this.ntensors }, (_, i) => self[`original${i}`]);
  }

  /**
   * Stores in the original tensor(s) what the parametrizations, inverted last to first, make of
   * `value` (in place, so optimizers keep the parameter): what assigning module.<name> does.
   */
  rightInverse(value: Tensor): void {
    noGrad(() => {
      let v: unknown = value;
      for (const module of [...this].reverse()) {
        if (!hasRightInverse(module)) throw new TorchError(`parametrization ${module._getName()} does not implement right_inverse.`);
        v = module.rightInverse(v as Tensor);
      }
      if (this.isTensor) {
        const original = this.originals()[0];
        if (!(v instanceof Tensor)) throw new TorchError(`\`right_inverse\` should return a tensor. Got ${pyTypeName(v)}`);
        if (v.dtype !== original.dtype) {
          throw new TorchError(`The tensor returned by \`right_inverse\` has dtype ${v.dtype} while \`original\` has dtype ${original.dtype}`);
        }
        original.set_(v);
      } else {
        if (!Array.isArray(v)) throw new TorchError(`'right_inverse' must return a sequence of tensors. Got ${pyTypeName(v)}.`);
        if (v.length !== this.ntensors) {
          throw new TorchError(`'right_inverse' must return a sequence of tensors of length ${this.ntensors}. Got a sequence of lenght ${v.length}.`);
        }
        const originals = this.originals();
        v.forEach((t, i) => {
          if (!(t instanceof Tensor)) throw new TorchError(`\`right_inverse\` must return a sequence of tensors. Got element ${i} of type ${pyTypeName(t)}`);
          if (originals[i].dtype !== t.dtype) {
            throw new TorchError(`Tensor ${i} returned by \`right_inverse\` has dtype ${t.dtype} while \`original${i}\` has dtype ${originals[i].dtype}`);
          }
          originals[i].set_(t);
        });
      }
    });
  }

  /** The parametrized tensor: the first parametrization of the original(s), then the others in turn. */
  forward(): Tensor {
    const [first, ...rest] = [...this] as ((...a: unknown[]) => unknown)[];
    let x = first(...this.originals()) as Tensor;
    for (const m of rest) x = m(x) as Tensor;
    return x;
  }
}

// ---- registration -------------------------------------------------------------------------------

type Bag = Record<string, unknown>;
/** The own property that makes a parametrized module print (and raise) as Python's Parametrized<Class>. */
const NAME_KEY = '_getName';

/** module.parametrizations, when the module has any (a ModuleDict). */
function parametrizationsOf(module: Module): ModuleDict<ParametrizationList> | undefined {
  const p = (module as unknown as Bag).parametrizations;
  return p instanceof ModuleDict ? (p as ModuleDict<ParametrizationList>) : undefined;
}

function listOf(module: Module, tensorName: string): ParametrizationList {
  return parametrizationsOf(module)!.get(tensorName);
}

/** Python's _inject_new_class: the module now prints (and reports) as Parametrized<Class>. */
function injectNewClass(module: Module): void {
  const name = `Parametrized${module._getName()}`;
  Object.defineProperty(module, NAME_KEY, { value: () => name, enumerable: false, configurable: true, writable: true });
}

/** Python's _inject_property: module.<tensorName> computes the parametrization; assigning calls rightInverse. */
function injectProperty(module: Module, tensorName: string): void {
  if (tensorName in module) throw new TorchError(`attribute '${tensorName}' already exists`);
  Object.defineProperty(module, tensorName, {
    configurable: true,
    enumerable: false,
    get(this: Module): Tensor {
      const parametrization = listOf(this, tensorName);
      if (!cacheEnabled) return (parametrization as unknown as () => Tensor)();
      let perModule = cache.get(this);
      if (!perModule) cache.set(this, (perModule = new Map()));
      let t = perModule.get(tensorName);
      if (t === undefined) {
        t = keep((parametrization as unknown as () => Tensor)());
        perModule.set(tensorName, t);
      }
      return t;
    },
    set(this: Module, value: Tensor) {
      listOf(this, tensorName).rightInverse(value);
    },
  });
}

interface RegisterArgs {
  module: Module;
  tensorName: string;
  parametrization: Module;
  unsafe?: boolean;
}
const REGISTER = signature<RegisterArgs>()(['module', 'tensorName', 'parametrization'], [], ['unsafe']);

/**
 * parametrize.register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
 * module.<tensorName> becomes parametrization(original); registering another on the same tensor
 * applies it after the earlier ones. Unless unsafe, the parametrization must keep the tensor's
 * shape and dtype. Returns the module.
 */
export function registerParametrization(module: Module, tensorName: string, parametrization: Module, options?: { unsafe?: boolean }): Module {
  const a = REGISTER.bind('registerParametrization', options === undefined ? [module, tensorName, parametrization] : [module, tensorName, parametrization, options]);
  ({ module, tensorName, parametrization } = a);
  const unsafe = a.unsafe ?? false;
  parametrization.train(module.training);
  if (isParametrized(module, tensorName)) {
    if (!unsafe) {
      const Y = (module as unknown as Bag)[tensorName] as Tensor;
      const X: unknown = (parametrization as unknown as (t: Tensor) => unknown)(Y);
      if (!(X instanceof Tensor)) throw new TorchError(`A parametrization must return a tensor. Got ${pyTypeName(X)}.`);
      if (X.dtype !== Y.dtype) {
        throw new TorchError(
          'Registering a parametrization may not change the dtype of the tensor, unless the `unsafe` flag is enabled.\n' +
            `module.${tensorName}.dtype: ${Y.dtype}\n` +
            `parametrization(module.${tensorName}).dtype: ${X.dtype}`,
        );
      }
      if (!sameShape(X, Y)) {
        throw new TorchError(
          'Registering a parametrization may not change the shape of the tensor, unless the `unsafe` flag is enabled.\n' +
            `module.${tensorName}.shape: ${pySize(Y.shape)}\n` +
            `parametrization(module.${tensorName}).shape: ${pySize(X.shape)}`,
        );
      }
      if (hasRightInverse(parametrization)) {
        let Z: unknown;
        let inverted = true;
        try {
          Z = parametrization.rightInverse(X);
        } catch (e) {
          if (!(e instanceof NotImplementedError)) throw e;
          inverted = false;
        }
        if (inverted) {
          if (!(Z instanceof Tensor)) throw new TorchError(`parametrization.right_inverse must return a tensor. Got: ${pyTypeName(Z)}`);
          if (Z.dtype !== Y.dtype) {
            throw new TorchError(
              `The tensor returned by parametrization.right_inverse must have the same dtype as module.${tensorName}, unless the \`unsafe\` flag is enabled.\n` +
                `module.${tensorName}.dtype: ${Y.dtype}\n` +
                `returned dtype: ${Z.dtype}`,
            );
          }
          if (!sameShape(Z, Y)) {
            throw new TorchError(
              `The tensor returned by parametrization.right_inverse must have the same shape as module.${tensorName}, unless the \`unsafe\` flag is enabled.\n` +
                `module.${tensorName}.shape: ${pySize(Y.shape)}\n` +
                `returned shape: ${pySize(Z.shape)}`,
            );
          }
        }
      }
    }
    const list = listOf(module, tensorName);
    list.append(parametrization);
    list.unsafe = list.unsafe || unsafe;
  } else if (isBufferName(module, tensorName) || isParameterName(module, tensorName, true)) {
    const original = (module as unknown as Bag)[tensorName];
    if (!(original instanceof Tensor)) throw new TorchError("'NoneType' object has no attribute 'shape'");
    const parametrizations = new ParametrizationList([parametrization], original, unsafe);
    delattr(module, tensorName);
    if (!isParametrized(module)) {
      injectNewClass(module);
      (module as unknown as Bag).parametrizations = new ModuleDict();
    }
    injectProperty(module, tensorName);
    parametrizationsOf(module)!.set(tensorName, parametrizations);
  } else {
    throw new TorchError(`Module '${module}' does not have a parameter, a buffer, or a parametrized element with name '${tensorName}'`);
  }
  return module;
}

/** parametrize.is_parametrized(module, tensor_name=None): whether it (or that tensor of it) has parametrizations. */
export function isParametrized(module: Module, tensorName: string | null = null): boolean {
  const parametrizations = parametrizationsOf(module);
  if (parametrizations === undefined) return false;
  if (tensorName === null || tensorName === undefined) return parametrizations.size > 0;
  return parametrizations.has(tensorName);
}

interface RemoveArgs {
  module: Module;
  tensorName: string;
  leaveParametrized?: boolean;
}
const REMOVE = signature<RemoveArgs>()(['module', 'tensorName'], ['leaveParametrized']);

/**
 * parametrize.remove_parametrizations(module, tensor_name, leave_parametrized=True): module.<name>
 * becomes a parameter (or buffer) again, holding the parametrized value (leaveParametrized) or the
 * original one; with no parametrizations left the module is a plain one again.
 */
export function removeParametrizations(
  module: Module,
  tensorName: string,
  ...rest: [leaveParametrized?: boolean] | [options: { leaveParametrized?: boolean }]
): Module {
  const a = REMOVE.bind('removeParametrizations', [module, tensorName, ...rest]);
  ({ module, tensorName } = a);
  const leaveParametrized = a.leaveParametrized ?? true;
  if (!isParametrized(module, tensorName)) throw new TorchError(`Module ${module} does not have a parametrization on ${tensorName}`);
  const parametrizations = listOf(module, tensorName);
  let original: Tensor;
  if (parametrizations.isTensor) {
    original = parametrizations.original;
    if (leaveParametrized) {
      const t = noGrad(() => (module as unknown as Bag)[tensorName] as Tensor);
      noGrad(() => original.set_(t));
    }
  } else {
    if (!leaveParametrized) {
      throw new TorchError('Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms of a sequence of tensors.');
    }
    const t = (module as unknown as Bag)[tensorName] as Tensor;
    original = t.requiresGrad ? new Parameter(t) : t;
  }
  delete (module as unknown as Bag)[tensorName];
  parametrizationsOf(module)!.delete(tensorName);
  registerParameterOrBuffer(module, tensorName, original);
  if (!isParametrized(module)) {
    delattr(module, 'parametrizations');
    delete (module as unknown as Bag)[NAME_KEY];
  }
  return module;
}

/** parametrize.type_before_parametrizations(module): the module's class (Python's class before the swap). */
export function typeBeforeParametrizations(module: Module): Function {
  return module.constructor;
}

/**
 * parametrize.transfer_parametrizations_and_params(from_module, to_module, tensor_name=None): the
 * parametrizations of fromModule (all, or those of tensorName) registered on toModule too, with
 * their original tensors.
 */
export function transferParametrizationsAndParams(fromModule: Module, toModule: Module, tensorName: string | null = null): Module {
  if (isParametrized(fromModule)) {
    const from = parametrizationsOf(fromModule)!;
    const names = tensorName === null || tensorName === undefined ? from.keys() : [tensorName];
    for (const name of names) {
      if ((toModule as unknown as Bag)[name] === undefined) {
        (toModule as unknown as Bag)[name] = new Parameter((fromModule as unknown as Bag)[name] as Tensor);
      }
      for (const fn of from.get(name)) registerParametrization(toModule, name, fn);
      const src = from.get(name) as unknown as Bag;
      const dst = listOf(toModule, name) as unknown as Bag;
      if (src.original !== undefined) {
        setOriginal(dst, 'original', src.original as Tensor);
      } else {
        for (let i = 0; src[`original${i}`] !== undefined; i++) setOriginal(dst, `original${i}`, src[`original${i}`] as Tensor);
      }
    }
  }
  return toModule;
}

/** Python's setattr on a ParametrizationList: a Parameter replaces the parameter, a tensor the buffer. */
function setOriginal(list: Bag, name: string, t: Tensor): void {
  const m = list as unknown as Module;
  if (t instanceof Parameter) {
    if (isBufferName(m, name)) delete list[name];
    list[name] = t;
  } else if (isBufferName(m, name)) {
    m.registerBuffer(name, t);
  } else {
    throw new TorchError(`cannot assign '${pyTypeName(t)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
  }
}
