// torch.nn.intrinsic.quantized.dynamic.LinearReLU (DynamicQuantizedLinearReLU): the dynamic Linear
// fused with a ReLU, one quantized::linear_relu_dynamic call (reduce_range, as Python); fromFloat
// (inherited) takes a fused nn.intrinsic.LinearReLU.
import { Tensor } from '../../../tensor/tensor';
import { qop } from '../ops';
import { Linear } from './linear';

export class LinearReLU extends Linear {
  forward(x: Tensor): Tensor {
    const y = qop('quantized::linear_relu_dynamic', x, this._packed_params._packed_params, true);
    return y.dtype === x.dtype ? y : y.to(x.dtype);
  }

  _getName(): string {
    return 'DynamicQuantizedLinearReLU';
  }
}
