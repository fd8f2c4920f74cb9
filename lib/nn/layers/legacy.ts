// nn classes PyTorch 1.13 keeps only for old code, each warning that it is deprecated when built:
// NLLLoss2d (NLLLoss, which handles any number of spatial dimensions) and Container (what
// nn.Module does now), with Python's warnings.
import { warn } from '../../errors';
import { Module } from '../module';
import { NLLLoss } from './loss';

/** nn.NLLLoss2d(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'): NLLLoss under its old name. */
export class NLLLoss2d extends NLLLoss {
  constructor(...args: ConstructorParameters<typeof NLLLoss>) {
    warn(
      'NLLLoss2d has been deprecated. Please use NLLLoss instead as a drop-in replacement and see ' +
        'https://pytorch.org/docs/master/nn.html#torch.nn.NLLLoss for more details.',
    );
    super(...args);
  }
}

/** nn.Container(**kwargs): a Module holding the given modules by name (Python's keyword arguments). */
export class Container extends Module {
  constructor(modules: Readonly<Record<string, Module | null>> = {}) {
    super();
    warn("nn.Container is deprecated. All of it's functionality is now implemented in nn.Module. Subclass that instead.");
    for (const [name, module] of Object.entries(modules)) this.addModule(name, module);
  }
}
