// nn.intrinsic.qat.ConvBn1d/2d/3d and ConvBnReLU1d/2d/3d (torch/nn/intrinsic/qat/modules/conv_fused.py):
// the convBnNd mixin over each convolution, with Python's class attributes; freeze_bn_stats and
// update_bn_stats for Module.apply.
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../module';
import { Conv1d, Conv2d, Conv3d } from '../../layers/conv';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../layers/batchnorm';
import { ReLU } from '../../layers/activation';
import { relu } from '../../functional/activation';
import { ArgsOf } from '../../../keywords';
import { CONV_BN, convBnNd } from './conv-bn';
import * as nni from '../modules';

export class ConvBn1d extends convBnNd(Conv1d, 1) {
  static _FLOAT_MODULE: Function = nni.ConvBn1d;
  static _FLOAT_CONV_MODULE = Conv1d;
  static _FLOAT_BN_MODULE = BatchNorm1d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = null;

  /** ConvBn1d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = false, paddingMode = 'zeros', eps = 1e-5, momentum = 0.1, freezeBn = false, qconfig) */
  constructor(...args: ArgsOf<typeof CONV_BN>) {
    super(...args);
  }
}

export class ConvBn2d extends convBnNd(Conv2d, 2) {
  static _FLOAT_MODULE: Function = nni.ConvBn2d;
  static _FLOAT_CONV_MODULE = Conv2d;
  static _FLOAT_BN_MODULE = BatchNorm2d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = null;

  /** ConvBn2d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = false, paddingMode = 'zeros', eps = 1e-5, momentum = 0.1, freezeBn = false, qconfig) */
  constructor(...args: ArgsOf<typeof CONV_BN>) {
    super(...args);
  }
}

export class ConvBn3d extends convBnNd(Conv3d, 3) {
  static _FLOAT_MODULE: Function = nni.ConvBn3d;
  static _FLOAT_CONV_MODULE = Conv3d;
  static _FLOAT_BN_MODULE = BatchNorm3d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = null;

  /** ConvBn3d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = false, paddingMode = 'zeros', eps = 1e-5, momentum = 0.1, freezeBn = false, qconfig) */
  constructor(...args: ArgsOf<typeof CONV_BN>) {
    super(...args);
  }
}

export class ConvBnReLU1d extends ConvBn1d {
  static _FLOAT_MODULE: Function = nni.ConvBnReLU1d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = ReLU;
  static _FUSED_FLOAT_MODULE = nni.ConvReLU1d;

  forward(input: Tensor): Tensor {
    return relu(this._forward(input));
  }
}

export class ConvBnReLU2d extends ConvBn2d {
  static _FLOAT_MODULE: Function = nni.ConvBnReLU2d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = ReLU;
  static _FUSED_FLOAT_MODULE = nni.ConvReLU2d;

  forward(input: Tensor): Tensor {
    return relu(this._forward(input));
  }
}

export class ConvBnReLU3d extends ConvBn3d {
  static _FLOAT_MODULE: Function = nni.ConvBnReLU3d;
  static _FLOAT_RELU_MODULE: (new () => Module) | null = ReLU;
  static _FUSED_FLOAT_MODULE = nni.ConvReLU3d;

  forward(input: Tensor): Tensor {
    return relu(this._forward(input));
  }
}

const CONV_BN_CLASSES: Function[] = [ConvBnReLU1d, ConvBnReLU2d, ConvBnReLU3d, ConvBn1d, ConvBn2d, ConvBn3d];

/** update_bn_stats(mod): for Module.apply; only the ConvBn classes themselves (Python's type check) are switched. */
export function updateBnStats(mod: Module): void {
  if (CONV_BN_CLASSES.includes(mod.constructor)) (mod as ConvBn2d).updateBnStats();
}

/** freeze_bn_stats(mod): for Module.apply; only the ConvBn classes themselves (Python's type check) are switched. */
export function freezeBnStats(mod: Module): void {
  if (CONV_BN_CLASSES.includes(mod.constructor)) (mod as ConvBn2d).freezeBnStats();
}
