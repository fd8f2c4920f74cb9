// torchvision's QuantizableBasicConv2d (googlenet.py and inception.py define the same class twice):
// BasicConv2d whose ReLU is a module, so that fusion can fold it into the convolution.
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { ReLU } from '../../../nn/layers/activation';
import { BasicConv2d, BasicConv2dOptions } from '../inception';
import { fuseModulesOf } from './utils';

export class QuantizableBasicConv2d extends BasicConv2d {
  relu: Module;

  constructor(inChannels: number, outChannels: number, options: BasicConv2dOptions) {
    super(inChannels, outChannels, options);
    this.relu = new ReLU();
  }

  forward(x: Tensor): Tensor {
    return this.relu(this.bn(this.conv(x))) as Tensor;
  }

  /** Fuses conv+bn+relu. */
  fuseModel(isQat: boolean | null = null): void {
    fuseModulesOf(this, ['conv', 'bn', 'relu'], isQat);
  }
}
