// nn.utils.parameters_to_vector / vector_to_parameters.
import { Tensor, TorchError, aten, cat } from '../functional/torch';

const setData = aten('set_data', '');

/** PyTorch's _check_param_device: all parameters on one device. */
function checkDevice(param: Tensor, previous: string | null): string {
  const d = param.device.toString();
  if (previous !== null && previous !== d) throw new TorchError('Found two parameters on different devices, this is currently not supported.');
  return d;
}

/** nn.utils.parameters_to_vector(parameters): the parameters flattened into one vector (differentiable). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  let device: string | null = null;
  const parts: Tensor[] = [];
  for (const p of parameters) {
    device = checkDevice(p, device);
    parts.push(p.view(-1));
  }
  return cat(parts);
}

/** nn.utils.vector_to_parameters(vec, parameters): each parameter's data becomes its slice of vec (a view, as in PyTorch). */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TorchError(`expected torch.Tensor, but got: ${typeof vec}`);
  let device: string | null = null;
  let pointer = 0;
  for (const p of parameters) {
    device = checkDevice(p, device);
    const n = p.numel();
    setData([p, vec.narrow(0, pointer, n).viewAs(p).detach()]);
    pointer += n;
  }
}
