// torch.ao.nn.quantized.Dropout: the identity in a converted (inference) model.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { DropoutNd } from '../layers/dropout';

export class Dropout extends DropoutNd {
  forward(input: Tensor): Tensor {
    return input;
  }
  _getName(): string {
    return 'QuantizedDropout';
  }
  static fromFloat(mod: Module): Dropout {
    const m = mod as DropoutNd;
    return new Dropout(m.p, m.inplace);
  }
}
