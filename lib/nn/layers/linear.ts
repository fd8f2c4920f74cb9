// nn.Identity, nn.Linear, nn.Bilinear (torch/nn/modules/linear.py).
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { DTypeLike } from '../../tensor/dtype';
import { DeviceLike } from '../../tensor/device';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { linear, bilinear } from '../functional/linear';
import { checkKeywords, keysOf } from '../../keywords';

/** Where a layer's parameters are created (PyTorch's factory_kwargs). */
export interface FactoryOptions {
  device?: DeviceLike;
  dtype?: DTypeLike;
}
/** FactoryOptions' keys, for layers whose options extend it (checkKeywords takes several lists). */
export const FACTORY_KEYS = keysOf<FactoryOptions>()('device', 'dtype');

/** Linear's and Bilinear's options. */
export interface LinearOptions extends FactoryOptions {
  bias?: boolean;
}
const LINEAR_KEYS = keysOf<Omit<LinearOptions, keyof FactoryOptions>>()('bias');

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkKeywords('Linear', options, LINEAR_KEYS, FACTORY_KEYS);
    const { bias = true, ...factory } = options;
    this.weight = new Parameter(empty([outFeatures, inFeatures], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    // kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)), then the bias from the same bound
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkKeywords('Bilinear', options, LINEAR_KEYS, FACTORY_KEYS);
    const { bias = true, ...factory } = options;
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
