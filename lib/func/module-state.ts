// torch.func.functional_call and stack_module_state: calling a module with given parameters, and
// stacking the parameters and buffers of same-shaped models so vmap can run them as one ensemble.
//   const [params, buffers] = torch.func.stackModuleState(models);
//   const call = (p, b, x) => torch.func.functionalCall(models[0], [p, b], [x]);
//   torch.vmap(call, [0, 0, null])(params, buffers, x);   // every model on the same x
import { TorchError, ValueError } from '../errors';
import { Tensor } from '../tensor/tensor';
import * as torch from '../nn/functional/torch';
import { Module } from '../nn/module';
import { functionalCall as statelessCall, type ParametersAndBuffers } from '../nn/utils/stateless';

/**
 * torch.func.functional_call(module, parameterAndBufferDicts, args, kwargs?): module(...args) with
 * the named parameters and buffers replaced; the dicts may be one or an array of several (no name
 * in two of them). args is an array of positional arguments (a single non-array is one argument).
 */
export function functionalCall(
  module: Module,
  parameterAndBufferDicts: ParametersAndBuffers | readonly ParametersAndBuffers[],
  args: unknown,
  kwargs?: Record<string, unknown>,
): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!Array.isArray(parameterAndBufferDicts)) return statelessCall(module, parameterAndBufferDicts as ParametersAndBuffers, args, kwargs);
  const merged = new Map<string, Tensor>();
  for (const dict of parameterAndBufferDicts as readonly ParametersAndBuffers[]) {
    const entries = dict instanceof Map ? [...dict] : Object.entries(dict);
    for (const [key, value] of entries) {
      if (merged.has(key)) throw new ValueError(`${key} appeared in multiple dictionaries; behavior of functional call is ambiguous`);
      merged.set(key, value);
    }
  }
  return statelessCall(module, merged, args, kwargs);
}

/** One stacked entry: the models' tensors stacked on a new dim 0, a fresh leaf when they require grad. */
function stackedLeaf(tensors: Tensor[], name: string): Tensor {
  const allRequireGrad = tensors.every((t) => t.requiresGrad);
  const noneRequireGrad = tensors.every((t) => !t.requiresGrad);
  if (!allRequireGrad && !noneRequireGrad) throw new TorchError(`Expected ${name} from each model to have the same .requires_grad`);
  const stacked = torch.stack(tensors);
  return allRequireGrad ? stacked.detach().requiresGrad_() : stacked;
}

function stackNamed(all: Map<string, Tensor>[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const name of all[0].keys()) out[name] = stackedLeaf(all.map((m) => m.get(name)!), name);
  return out;
}

/**
 * torch.func.stack_module_state(models): [params, buffers], each name's tensors of every model
 * stacked along a new leading dimension (the models must be of one class and one train/eval mode).
 */
export function stackModuleState(models: readonly Module[]): [Record<string, Tensor>, Record<string, Tensor>] {
  if (models.length === 0) throw new TorchError('stack_module_state: Expected at least one model, got 0.');
  if (!(models.every((m) => m.training) || models.every((m) => !m.training))) {
    throw new TorchError('stack_module_state: Expected all models to have the same training/eval mode.');
  }
  const cls = Object.getPrototypeOf(models[0]);
  if (!models.every((m) => Object.getPrototypeOf(m) === cls)) throw new TorchError('stack_module_state: Expected all models to be of the same class.');
  const params = stackNamed(models.map((m) => new Map<string, Tensor>(m.namedParameters())));
  const buffers = stackNamed(models.map((m) => new Map<string, Tensor>(m.namedBuffers())));
  return [params, buffers];
}
