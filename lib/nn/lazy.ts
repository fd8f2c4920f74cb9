// Lazy modules (torch/nn/modules/lazy.py, torch/nn/parameter.py): UninitializedParameter and
// UninitializedBuffer hold an empty tensor until materialize(shape) gives them their data and makes
// them a plain Parameter / Tensor (Python's cls_to_become). A lazy layer (nn.LazyLinear, ...)
// registers, as LazyModuleMixin does, a forward pre-hook that infers the shapes from the first
// input, materialises and initialises the parameters as the concrete layer would, and turns the
// module into that class; loading a state_dict into it first materialises from the loaded shapes.
import { Tensor } from '../tensor/tensor';
import { empty } from '../tensor/create';
import { DTypeLike } from '../tensor/dtype';
import { DeviceLike } from '../tensor/device';
import { aten } from '../tensor/aten';
import { noGrad } from '../autograd/grad-mode';
import { TorchError, warn } from '../errors';
import { keep, untrack } from '../memory/scope';
import { bind } from '../keywords';
import { Parameter } from './parameter';
import type { Module, LocalMetadata } from './module';

const detach = aten('detach', '');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

type UninitializedArgs = { requiresGrad?: boolean; device?: DeviceLike | null; dtype?: DTypeLike | null };
type UninitializedRest = [requiresGrad?: boolean, device?: DeviceLike | null, dtype?: DTypeLike | null, options?: UninitializedArgs] | [options?: UninitializedArgs];
const UNINIT_NAMES = ['requiresGrad', 'device', 'dtype'];

function materializeInto(t: Tensor, shape: readonly number[], device: DeviceLike | null | undefined, dtype: DTypeLike | null | undefined): void {
  const data = empty([...shape], { device: device ?? t.device, dtype: dtype ?? t.dtype });
  noGrad(() => {
    t.data = data;
  });
}

/** nn.UninitializedParameter(requires_grad=True, device=None, dtype=None): a parameter whose shape is not known yet. */
export class UninitializedParameter extends Parameter {
  constructor(...args: UninitializedRest) {
    const o = bind<UninitializedArgs>('UninitializedParameter', args, [], UNINIT_NAMES);
    super(empty([0], { device: o.device ?? undefined, dtype: o.dtype ?? undefined }), o.requiresGrad ?? true);
  }

  /** Python's cls_to_become */
  static readonly clsToBecome = Parameter;

  /** Gives the parameter its data (uninitialised memory of `shape`) and makes it a Parameter. */
  materialize(shape: readonly number[], device?: DeviceLike | null, dtype?: DTypeLike | null): void {
    materializeInto(this, shape, device, dtype);
    Object.setPrototypeOf(this, Parameter.prototype);
  }

  toString(): string {
    return '<UninitializedParameter>';
  }
  [inspectSymbol](): string {
    return this.toString();
  }
}

/** nn.UninitializedBuffer(requires_grad=False, device=None, dtype=None): a buffer whose shape is not known yet. */
export class UninitializedBuffer extends Tensor {
  constructor(...args: UninitializedRest) {
    const o = bind<UninitializedArgs>('UninitializedBuffer', args, [], UNINIT_NAMES);
    const alias = detach([empty([0], { device: o.device ?? undefined, dtype: o.dtype ?? undefined })]) as Tensor;
    super(alias._h);
    untrack(alias);
    keep(this);
    if (o.requiresGrad) this.requiresGrad_(true);
  }

  /** Python's cls_to_become */
  static readonly clsToBecome = Tensor;

  /** Gives the buffer its data (uninitialised memory of `shape`) and makes it a plain Tensor. */
  materialize(shape: readonly number[], device?: DeviceLike | null, dtype?: DTypeLike | null): void {
    materializeInto(this, shape, device, dtype);
    Object.setPrototypeOf(this, Tensor.prototype);
  }

  toString(): string {
    return '<UninitializedBuffer>';
  }
  [inspectSymbol](): string {
    return this.toString();
  }
}

/** torch.nn.parameter.is_lazy(param) */
export function isLazy(x: unknown): x is UninitializedParameter | UninitializedBuffer {
  return x instanceof UninitializedParameter || x instanceof UninitializedBuffer;
}

/** A lazy layer: LazyModuleMixin's methods. */
export interface LazyModule extends Module {
  initializeParameters(...inputs: unknown[]): void;
  hasUninitializedParams(): boolean;
}

/** LazyModuleMixin.has_uninitialized_params: any own parameter or buffer still lazy. */
export function hasUninitializedParams(m: Module): boolean {
  return m._ownParameters().some(([, p]) => isLazy(p)) || m._ownBuffers().some(([, b]) => isLazy(b));
}

type ModuleClass = { prototype: Module };

/**
 * LazyModuleMixin.__init__, called at the end of a lazy layer's constructor: the forward pre-hook
 * that initialises on the first call and then turns the module into `clsToBecome`, and Python's warning.
 */
export function lazyInit(m: LazyModule, clsToBecome: ModuleClass): void {
  const hook = (module: Module, input: unknown[]): undefined => {
    const lazy = module as LazyModule;
    lazy.initializeParameters(...input);
    if (lazy.hasUninitializedParams()) throw new TorchError(`module ${module._getName()} has not been fully initialized`);
    // removed from this module's hooks (a deepcopy carries the hook too, and initialises on its own)
    const hooks = module._forwardPreHooks;
    for (const [id, h] of hooks) if (h === hook) hooks.delete(id);
    Object.setPrototypeOf(module, clsToBecome.prototype);
    return undefined;
  };
  m.registerForwardPreHook(hook);
  warn('Lazy modules are a new feature under heavy development so changes to the API or functionality can happen at any moment.');
}

/** LazyModuleMixin._lazy_load_hook: lazy entries the state_dict has concrete tensors for take their shapes. */
export function lazyLoad(m: Module, stateDict: Map<string, unknown>, prefix: string): void {
  const entries: [string, Tensor | null][] = [...m._ownParameters(), ...m._ownBuffers()];
  for (const [name, param] of entries) {
    const input = stateDict.get(prefix + name);
    if (param !== null && isLazy(param) && input instanceof Tensor && !isLazy(input)) param.materialize(input.shape);
  }
}

/** LazyModuleMixin._save_to_state_dict: lazy entries go into the state_dict as they are (not detached). */
export function lazySave(m: Module, dest: Record<string, Tensor>, prefix: string): void {
  const entries: [string, Tensor | null][] = [...m._ownParameters(), ...m._ownBuffers()];
  for (const [name, t] of entries) if (t !== null && isLazy(t) && prefix + name in dest) dest[prefix + name] = t;
}

/** What a lazy layer family supplies to lazyLayer: how to build it, when it is shaped, how to shape it. */
export interface LazySpec<T extends Module> {
  /** the concrete layer's constructor arguments (shapes 0), and the setup to run on the instance after it */
  construct(name: string, args: readonly unknown[]): [unknown, (m: T) => void];
  /** whether the concrete resetParameters may run: the shapes are known */
  shaped(m: T): boolean;
  /** initialize_parameters: materialise from the first input (no-op once done) */
  initialize(m: T, input: Tensor): void;
}

type LayerClass<T extends Module> = abstract new (...args: any[]) => T;
type Resettable = Module & { resetParameters(): void };
type StateDictLike = Record<string, Tensor>;

/**
 * LazyModuleMixin over a concrete layer class `Base`: the members every lazy layer shares. A lazy
 * class is `class LazyConv2d extends lazyLayer(Conv2d, spec) { constructor(...args: Typed) { super(...args); } }`;
 * it turns into `Base` (Python's cls_to_become) after its first forward.
 */
export function lazyLayer<T extends Resettable>(Base: LayerClass<T>, spec: LazySpec<T>) {
  const Concrete = Base as unknown as new (...args: unknown[]) => Resettable;
  class Lazy extends Concrete implements LazyModule {
    static readonly clsToBecome = Base;
    constructor(...args: any[]) {
      const [concrete, setup] = spec.construct(new.target.name, args);
      super(concrete);
      setup(this as unknown as T);
      lazyInit(this, Base);
    }
    resetParameters(): void {
      if (!this.hasUninitializedParams() && spec.shaped(this as unknown as T)) super.resetParameters();
    }
    hasUninitializedParams(): boolean {
      return hasUninitializedParams(this);
    }
    initializeParameters(input: Tensor): void {
      noGrad(() => spec.initialize(this as unknown as T, input));
    }
    /** @internal LazyModuleMixin._save_to_state_dict */
    _saveToStateDict(dest: StateDictLike, prefix: string, keepVars: boolean): void {
      super._saveToStateDict(dest, prefix, keepVars);
      lazySave(this, dest, prefix);
    }
    /** @internal LazyModuleMixin._lazy_load_hook, then the concrete load */
    _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {}): void {
      lazyLoad(this, stateDict, prefix);
      super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
    }
  }
  return Lazy as unknown as (new (...args: any[]) => T & LazyModule) & { readonly clsToBecome: LayerClass<T> };
}
