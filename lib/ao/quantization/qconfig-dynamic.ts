// torch.ao.quantization.QConfigDynamic: the deprecated spelling of QConfig for dynamic quantization
// (both fields default to nn.Identity); constructing one warns, as Python 1.13 does.
import { ValueError, warn } from '../../errors';
import { Module } from '../../nn/module';
import { Identity } from '../../nn/layers/linear';
import { Factory, ModuleCtor } from './partial';
import { QConfig } from './qconfig';

type Ctor = ModuleCtor | Factory;

export class QConfigDynamic extends QConfig {
  /** QConfigDynamic(activation = nn.Identity, weight = nn.Identity), or QConfigDynamic({ activation, weight }). */
  constructor(...args: [activation?: Ctor, weight?: Ctor] | [options: { activation?: Ctor; weight?: Ctor }]) {
    const named = args.length === 1 && typeof args[0] === 'object' && args[0] !== null && !(args[0] instanceof Module);
    const o = named ? (args[0] as { activation?: Ctor; weight?: Ctor }) : { activation: args[0] as Ctor | undefined, weight: args[1] as Ctor | undefined };
    const activation = o.activation ?? Identity;
    const weight = o.weight ?? Identity;
    if (weight instanceof Module) {
      throw new ValueError(
        'QConfigDynamic received observer instance, please pass observer class instead. Use MyObserver.with_args(x=1) to override arguments to constructor if needed',
      );
    }
    warn('QConfigDynamic is going to be deprecated in PyTorch 1.12, please use QConfig instead');
    super(activation, weight);
  }

  toString(): string {
    return `QConfigDynamic(activation=${String(this.activation)}, weight=${String(this.weight)})`;
  }
}
