// nn.Parameter: a Tensor that a Module registers as trainable. Like PyTorch's, it shares storage with
// the tensor it is made from (a detached alias) and requires grad unless told otherwise.
import { Tensor } from '../tensor/tensor';
import { empty } from '../tensor/create';
import { aten } from '../tensor/aten';
import { keep, untrack } from '../memory/scope';

const detach = aten('detach', '');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Parameter extends Tensor {
  constructor(data?: Tensor | null, requiresGrad = true) {
    const source = data ?? empty([0]);
    const alias = detach([source]) as Tensor;
    super(alias._h);
    // module state: a tidy/scope around the module's construction must not dispose it (nor, through
    // the alias object whose handle this now is, its memory)
    untrack(alias);
    keep(this);
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
