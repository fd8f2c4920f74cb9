// nn.utils.weight_norm / remove_weight_norm, as PyTorch 1.13: module.<name> becomes
// <name>_g (the norm, over every dim but `dim`) and <name>_v (the direction), both parameters
// (state_dict keys 'weight_g', 'weight_v'), recombined into the plain attribute <name> by
// torch._weight_norm in a forward pre-hook.
import { Tensor, TorchError, aten } from '../functional/torch';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { signature } from '../../keywords';
import { delattr, delParameter, getattr, removeTaggedHook, setPlain, taggedHooks } from './members';

const op = { weightNorm: aten('_weight_norm', ''), normExceptDim: aten('norm_except_dim', '') };

const FN = Symbol('torch-node weight norm');
type Hook = ((module: Module, inputs: unknown[]) => undefined) & { [FN]: WeightNorm };

const weightNormHooks = (module: Module): [number, WeightNorm][] => taggedHooks<WeightNorm>(module, FN);

/** The weight-norm hook of one tensor (Python's WeightNorm). */
export class WeightNorm {
  readonly name: string;
  readonly dim: number;

  constructor(name: string, dim: number | null) {
    this.name = name;
    this.dim = dim === null || dim === undefined ? -1 : dim;
  }

  /** torch._weight_norm(<name>_v, <name>_g, dim) */
  computeWeight(module: Module): Tensor {
    const g = getattr(module, `${this.name}_g`);
    const v = getattr(module, `${this.name}_v`);
    return op.weightNorm([v, g, this.dim]) as Tensor;
  }

  /** Python's WeightNorm.apply(module, name, dim) */
  static apply(module: Module, name: string, dim: number | null): WeightNorm {
    for (const [, hook] of weightNormHooks(module)) {
      if (hook.name === name) throw new TorchError(`Cannot register two weight_norm hooks on the same parameter ${name}`);
    }
    const fn = new WeightNorm(name, dim);
    const weight = getattr(module, name) as Tensor;
    delParameter(module, name);
    module.registerParameter(`${name}_g`, new Parameter((op.normExceptDim([weight, 2, fn.dim]) as Tensor).detach()));
    module.registerParameter(`${name}_v`, new Parameter(weight.detach()));
    setPlain(module, name, fn.computeWeight(module));
    const hook = ((m: Module) => {
      fn.call(m);
      return undefined;
    }) as unknown as Hook;
    hook[FN] = fn;
    module.registerForwardPreHook(hook);
    return fn;
  }

  /** module.<name> a parameter again, holding the current normalised weight. */
  remove(module: Module): void {
    const weight = this.computeWeight(module);
    delattr(module, this.name);
    delParameter(module, `${this.name}_g`);
    delParameter(module, `${this.name}_v`);
    module.registerParameter(this.name, new Parameter(weight.detach()));
  }

  /** Python's __call__(module, inputs), the forward pre-hook. */
  call(module: Module, inputs?: unknown[]): void {
    setPlain(module, this.name, this.computeWeight(module));
  }
}

interface WeightNormArgs {
  name?: string;
  dim?: number | null;
}
const WEIGHT_NORM = signature<WeightNormArgs>()([], ['name', 'dim']);

/**
 * nn.utils.weight_norm(module, name='weight', dim=0): module.<name> = g * v / ||v||, with g
 * (<name>_g) and v (<name>_v) the parameters; dim null normalises over the whole tensor.
 */
export function weightNorm<M extends Module>(module: M, ...rest: [name?: string, dim?: number | null] | [options: WeightNormArgs] | [string, { dim?: number | null }]): M {
  const { name = 'weight', dim = 0 } = WEIGHT_NORM.bind('weightNorm', rest);
  WeightNorm.apply(module, name, dim);
  return module;
}

/** nn.utils.remove_weight_norm(module, name='weight') */
export function removeWeightNorm<M extends Module>(module: M, ...rest: [name?: string] | [options: { name?: string }]): M {
  const { name = 'weight' } = signature<{ name?: string }>()([], ['name']).bind('removeWeightNorm', rest);
  if (!removeTaggedHook(module, FN, name)) throw new TorchError(`weight_norm of '${name}' not found in ${module}`);
  return module;
}
