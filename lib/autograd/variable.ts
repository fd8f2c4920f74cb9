// torch.autograd.Variable, from before tensors and variables merged (PyTorch 0.4), still in older
// tutorials: Variable(t) is a new leaf over t's data, with requires_grad as asked; volatile is gone.
import { TorchError, warn } from '../errors';
import { checkKeywords } from '../keywords';
import { Tensor } from '../tensor/tensor';

export interface VariableOptions {
  requiresGrad?: boolean;
  /** removed in PyTorch 0.4: a warning, no effect (use torch.noGrad) */
  volatile?: boolean;
}

export function Variable(data: Tensor, options: VariableOptions = {}): Tensor {
  checkKeywords('Variable', options, ['requiresGrad', 'volatile']);
  if (!(data instanceof Tensor)) throw new TorchError(`Variable data has to be a tensor, but got ${data === null ? 'null' : typeof data}`);
  if (options.volatile !== undefined) warn('volatile was removed and now has no effect. Use `with torch.no_grad():` instead.');
  const v = data.detach();
  if (options.requiresGrad) v.requiresGrad_(true);
  return v;
}
