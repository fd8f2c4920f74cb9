// The grad-based transforms' handling of pytrees: wrapping every tensor for a grad level, marking the
// differentiated ones, unwrapping results, and autograd.grad with zeros for unused inputs.
import { TorchError, ValueError, pyType } from '../errors';
import { Tensor } from '../tensor/tensor';
import * as torch from '../nn/functional/torch';
import { grad as autogradGrad } from '../autograd/grad';
import { unwrapForGrad, withInplaceRequiresGrad, wrapForGrad } from './layers';
import { treeFlatten, treeMap } from './pytree';

/** Python's _wrap_all_tensors: every tensor of the tree wrapped for the grad level. */
export function wrapAllTensors(tree: unknown, level: number): unknown {
  return treeMap((x) => (x instanceof Tensor ? wrapForGrad(x, level) : x), tree);
}

/** Python's _create_differentiable: marks every tensor of the tree requiresGrad; anything else is an error. */
export function createDifferentiable(tree: unknown): void {
  const [leaves] = treeFlatten(tree);
  for (const x of leaves) {
    if (!(x instanceof Tensor)) throw new ValueError(`Thing passed to transform API must be Tensor, got ${pyType(x)}`);
    withInplaceRequiresGrad(() => x.requiresGrad_());
  }
}

/** Python's _undo_create_differentiable: every tensor of the tree unwrapped from the level. */
export function undoCreateDifferentiable(tree: unknown, level: number): unknown {
  return treeMap((x) => {
    if (x instanceof Tensor) return unwrapForGrad(x, level);
    throw new TorchError(`Expected tensors, got unsupported type ${pyType(x)}`);
  }, tree);
}

/** Python's _autograd_grad: gradients of the differentiable outputs, zeros where an input is unused. */
export function autogradGradOrZeros(
  outputs: readonly Tensor[],
  inputs: readonly Tensor[],
  gradOutputs: readonly Tensor[] | null,
  retainGraph: boolean,
  createGraph: boolean,
): Tensor[] {
  const keep = outputs.map((o) => o.requiresGrad);
  const diffOutputs = outputs.filter((_, i) => keep[i]);
  if (diffOutputs.length === 0) return inputs.map((x) => torch.zerosLike(x));
  const diffGradOutputs = gradOutputs === null ? null : gradOutputs.filter((_, i) => keep[i]);
  const grads = autogradGrad(diffOutputs, [...inputs], { gradOutputs: diffGradOutputs, retainGraph, createGraph, allowUnused: true });
  return grads.map((g, i) => g ?? torch.zerosLike(inputs[i]));
}
