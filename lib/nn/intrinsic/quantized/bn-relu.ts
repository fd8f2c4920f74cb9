// torch.nn.intrinsic.quantized.BNReLU2d/3d: quantized::batch_norm*d_relu, from a calibrated nni.BNReLU*d.
import { ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { BatchNorm2d, BatchNorm3d } from '../../quantized/batchnorm';
import { qop } from '../../quantized/ops';

function bnReluForward(bn: BatchNorm2d | BatchNorm3d, dims: 2 | 3, input: Tensor): Tensor {
  if (input.dim() !== dims + 2) throw new ValueError(`Input shape must be \`${dims === 2 ? '(N, C, H, W)' : '(N, C, D, H, W)'}\`!`);
  return qop(`quantized::batch_norm${dims}d_relu`, input, bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.eps, bn.scale.item(), bn.zero_point.item());
}

export class BNReLU2d extends BatchNorm2d {
  forward(input: Tensor): Tensor {
    return bnReluForward(this, 2, input);
  }
  _getName(): string {
    return 'QuantizedBNReLU2d';
  }
}

export class BNReLU3d extends BatchNorm3d {
  forward(input: Tensor): Tensor {
    return bnReluForward(this, 3, input);
  }
  _getName(): string {
    return 'QuantizedBNReLU3d';
  }
}
