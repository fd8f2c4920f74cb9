// torch.nn.intrinsic.quantized.ConvReLU1d/2d/3d: quantized::conv*_relu, from a calibrated
// nni.ConvReLU*d (or its QAT forms, ConvBnReLU*d's bn folded in first).
import { AssertionError } from '../../../errors';
import { Conv1d, Conv2d, Conv3d } from '../../quantized/conv';
import { ConvReLU1d as FloatConvReLU1d, ConvReLU2d as FloatConvReLU2d, ConvReLU3d as FloatConvReLU3d } from '../modules/fused';

export class ConvReLU1d extends Conv1d {
  static _FLOAT_MODULE = FloatConvReLU1d;
  protected get _op(): string {
    return 'quantized::conv1d_relu';
  }
  _getName(): string {
    return 'QuantizedConvReLU1d';
  }
}

export class ConvReLU2d extends Conv2d {
  static _FLOAT_MODULE = FloatConvReLU2d;
  protected get _op(): string {
    return 'quantized::conv2d_relu.new';
  }
  _getName(): string {
    return 'QuantizedConvReLU2d';
  }
}

export class ConvReLU3d extends Conv3d {
  static _FLOAT_MODULE = FloatConvReLU3d;
  /** ConvReLU3d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros') */
  constructor(...args: ConstructorParameters<typeof Conv3d>) {
    super(...args);
    if (this.paddingMode === 'reflect') throw new AssertionError('Conv3d does not support reflection padding');
  }
  protected get _op(): string {
    return 'quantized::conv3d_relu.new';
  }
  _getName(): string {
    return 'QuantizedConvReLU3d';
  }
}
