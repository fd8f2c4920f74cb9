// nn.Parameter: a Tensor that a Module registers as trainable. Like PyTorch's, it shares storage with
// the tensor it is made from (a detached alias) and requires grad unless told otherwise.
import { Tensor } from '../tensor/tensor';
import { empty } from '../tensor/create';
import { aten } from '../tensor/aten';

const detach = aten('detach', '');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Parameter extends Tensor {
  constructor(data?: Tensor | null, requiresGrad = true) {
    const source = data ?? empty([0]);
    super((detach([source]) as Tensor)._h);
    this.requiresGrad_(requiresGrad);
  }

  toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
  [inspectSymbol](): string {
    return this.isDisposed ? 'Parameter(<disposed>)' : this.toString();
  }
}

/** Parameter-ness survives only on the object; ops return plain Tensors, as in PyTorch. */
export function isParameter(x: unknown): x is Parameter {
  return x instanceof Parameter;
}
