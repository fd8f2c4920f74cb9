// torch.autograd.grad: gradients of outputs with respect to inputs, without touching .grad;
// torch.autograd.backward: one backward pass from several outputs, accumulating into .grad.
import { TorchError } from '../errors';
import { checkKeywords } from '../keywords';
import { native, Handle } from '../native';
import { Tensor, BackwardOptions, runBackward } from '../tensor/tensor';

export interface GradOptions {
  /** the vector in the vector-Jacobian product, one per output (null: ones for scalar outputs) */
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  /** keep the graph for another backward; defaults to createGraph */
  retainGraph?: boolean;
  /** record the backward pass itself, for higher-order gradients */
  createGraph?: boolean;
  /** return null for inputs the outputs do not depend on, instead of raising */
  allowUnused?: boolean;
}

const GRAD_OPTIONS = ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused'];

function list(x: Tensor | (Tensor | null)[], what: string): (Tensor | null)[] {
  const items = x instanceof Tensor ? [x] : x;
  if (!Array.isArray(items)) throw new TorchError(`${what} must be a Tensor or an array of Tensors`);
  for (const t of items) {
    if (t !== null && !(t instanceof Tensor)) throw new TorchError(`${what} must be a Tensor or an array of Tensors`);
  }
  return items;
}

/** Returns one gradient per input (null for unused inputs when allowUnused). */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  checkKeywords('grad', options, GRAD_OPTIONS);
  const outs = list(outputs, 'autograd.grad: outputs');
  const ins = list(inputs, 'autograd.grad: inputs');
  const gradOutputs = options.gradOutputs == null ? null : list(options.gradOutputs, 'autograd.grad: gradOutputs');
  if (gradOutputs !== null && gradOutputs.length !== outs.length) {
    throw new TorchError(`grad requires one gradOutput per output: got ${gradOutputs.length} gradOutputs and ${outs.length} outputs`);
  }
  const result = native.autogradGrad(
    outs.map((t) => t?._h ?? null),
    ins.map((t) => t?._h ?? null),
    gradOutputs === null ? null : gradOutputs.map((t) => t?._h ?? null),
    options.retainGraph ?? null,
    options.createGraph ?? false,
    options.allowUnused ?? false,
  );
  return result.map((h) => (h === null ? null : new Tensor(h)));
}

/** torch.autograd.backward(tensors, gradTensors): one engine pass seeded by each tensor's gradient. */
export function backward(tensors: Tensor | Tensor[], gradTensors?: Tensor | (Tensor | null)[] | null, options: BackwardOptions = {}): void {
  const roots = list(tensors, 'autograd.backward: tensors');
  const grads = gradTensors == null ? roots.map(() => null) : list(gradTensors, 'autograd.backward: gradTensors');
  if (grads.length !== roots.length) {
    throw new TorchError(`backward requires one gradient per tensor: got ${grads.length} gradients and ${roots.length} tensors`);
  }
  runBackward(roots, grads, options);
}
