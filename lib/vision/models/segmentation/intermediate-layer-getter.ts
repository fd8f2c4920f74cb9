// torchvision.models._utils.IntermediateLayerGetter: a model's direct children, up to the last one
// named in returnLayers, run in registration order; forward returns the named children's outputs.
import { ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { ModuleDict } from '../../../nn/containers/module-dict';
import { release } from '../../../nn/intermediates';

export class IntermediateLayerGetter extends ModuleDict {
  /** child name -> the key its output gets in forward's result */
  readonly returnLayers: Readonly<Record<string, string>>;

  constructor(model: Module, returnLayers: Record<string, string>) {
    const children = [...model.namedChildren()];
    const names = new Set(children.map(([name]) => name));
    if (!Object.keys(returnLayers).every((k) => names.has(k))) throw new ValueError('return_layers are not present in model');
    // children after the last returned one (a classifier's pooling and fc) are left out
    const pending = new Set(Object.keys(returnLayers));
    const kept: [string, Module][] = [];
    for (const [name, child] of children) {
      kept.push([name, child]);
      pending.delete(name);
      if (!pending.size) break;
    }
    super(kept);
    this.returnLayers = { ...returnLayers };
  }

  forward(x: Tensor): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    const input = x;
    for (const [name, module] of this.items()) {
      const y = module(x) as Tensor;
      // an intermediate not returned is freed once consumed (nn/intermediates.ts)
      if (!Object.values(out).includes(x)) release(x, input, y);
      x = y;
      if (Object.prototype.hasOwnProperty.call(this.returnLayers, name)) out[this.returnLayers[name]] = x;
    }
    return out;
  }
}
IntermediateLayerGetter.prototype._version = 2; // torchvision's, saved in state_dict metadata
