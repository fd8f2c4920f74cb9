// nn.intrinsic.qat.ConvReLU1d/2d/3d (torch/nn/intrinsic/qat/modules/conv_fused.py): a qat
// convolution followed by ReLU, trained as one layer (convert makes it one quantized kernel).
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../module';
import { ReLU } from '../../layers/activation';
import { relu } from '../../functional/activation';
import { ArgsOf, signature } from '../../../keywords';
import { Conv1d, Conv2d, Conv3d, QatConvArgs } from '../../qat/conv';
import * as nni from '../modules';

/** ConvReLU's parameters by name: ConvReLU2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', qconfig=None). */
export type ConvReLUArgs = Omit<QatConvArgs, 'device' | 'dtype'>;
const CONV_RELU = signature<ConvReLUArgs>()(
  ['inChannels', 'outChannels', 'kernelSize'],
  ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'qconfig'],
);

export class ConvReLU1d extends Conv1d {
  static _FLOAT_MODULE: Function = nni.ConvReLU1d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = ReLU;

  /** ConvReLU1d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', qconfig) */
  constructor(...args: ArgsOf<typeof CONV_RELU>) {
    super(CONV_RELU.bind(new.target.name, args));
  }

  forward(input: Tensor): Tensor {
    return relu(this._convForward(input, this.weight_fake_quant(this.weight), this.bias));
  }
}

export class ConvReLU2d extends Conv2d {
  static _FLOAT_MODULE: Function = nni.ConvReLU2d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = ReLU;

  /** ConvReLU2d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', qconfig) */
  constructor(...args: ArgsOf<typeof CONV_RELU>) {
    super(CONV_RELU.bind(new.target.name, args));
  }

  forward(input: Tensor): Tensor {
    return relu(this._convForward(input, this.weight_fake_quant(this.weight), this.bias));
  }
}

export class ConvReLU3d extends Conv3d {
  static _FLOAT_MODULE: Function = nni.ConvReLU3d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = ReLU;

  /** ConvReLU3d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', qconfig) */
  constructor(...args: ArgsOf<typeof CONV_RELU>) {
    super(CONV_RELU.bind(new.target.name, args));
  }

  forward(input: Tensor): Tensor {
    return relu(this._convForward(input, this.weight_fake_quant(this.weight), this.bias));
  }
}
