// torch.nn.intrinsic (torch.ao.nn.intrinsic) fused float modules: Sequentials of the layers that
// quantization fuses into one kernel (conv+relu, conv+bn(+relu), linear+relu, ...). They compute what
// their children compute; prepare/convert see one module and swap it for its QAT or quantized form.
import { AssertionError } from '../../../errors';
import { Module } from '../../module';
import { Sequential } from '../../containers/sequential';
import { Conv1d, Conv2d, Conv3d } from '../../layers/conv';
import { Linear } from '../../layers/linear';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../layers/batchnorm';
import { ReLU } from '../../layers/activation';
import { pythonClassPath } from '../../python-class-path';

/** Python's _FusedModule: the base every fused module derives from (a Sequential). */
export class _FusedModule extends Sequential {}

/** Python's assertion: each child of exactly the class named (subclasses are not accepted). */
function checkTypes(mods: Module[], classes: { readonly prototype: object }[]): Module[] {
  if (mods.length !== classes.length || mods.some((m, i) => m.constructor !== classes[i])) {
    throw new AssertionError(`Incorrect types for input modules${mods.map((m) => `<class '${pythonClassPath(m.constructor)}'>`).join('')}`);
  }
  return mods;
}

export class ConvReLU1d extends _FusedModule {
  /** ConvReLU1d(conv: Conv1d, relu: ReLU) */
  constructor(conv: Module, relu: Module) {
    super(...checkTypes([conv, relu], [Conv1d, ReLU]));
  }
}
export class ConvReLU2d extends _FusedModule {
  /** ConvReLU2d(conv: Conv2d, relu: ReLU) */
  constructor(conv: Module, relu: Module) {
    super(...checkTypes([conv, relu], [Conv2d, ReLU]));
  }
}
export class ConvReLU3d extends _FusedModule {
  /** ConvReLU3d(conv: Conv3d, relu: ReLU) */
  constructor(conv: Module, relu: Module) {
    super(...checkTypes([conv, relu], [Conv3d, ReLU]));
  }
}
export class LinearReLU extends _FusedModule {
  /** LinearReLU(linear: Linear, relu: ReLU) */
  constructor(linear: Module, relu: Module) {
    super(...checkTypes([linear, relu], [Linear, ReLU]));
  }
}
export class ConvBn1d extends _FusedModule {
  /** ConvBn1d(conv: Conv1d, bn: BatchNorm1d) */
  constructor(conv: Module, bn: Module) {
    super(...checkTypes([conv, bn], [Conv1d, BatchNorm1d]));
  }
}
export class ConvBn2d extends _FusedModule {
  /** ConvBn2d(conv: Conv2d, bn: BatchNorm2d) */
  constructor(conv: Module, bn: Module) {
    super(...checkTypes([conv, bn], [Conv2d, BatchNorm2d]));
  }
}
export class ConvBn3d extends _FusedModule {
  /** ConvBn3d(conv: Conv3d, bn: BatchNorm3d) */
  constructor(conv: Module, bn: Module) {
    super(...checkTypes([conv, bn], [Conv3d, BatchNorm3d]));
  }
}
export class ConvBnReLU1d extends _FusedModule {
  /** ConvBnReLU1d(conv: Conv1d, bn: BatchNorm1d, relu: ReLU) */
  constructor(conv: Module, bn: Module, relu: Module) {
    super(...checkTypes([conv, bn, relu], [Conv1d, BatchNorm1d, ReLU]));
  }
}
export class ConvBnReLU2d extends _FusedModule {
  /** ConvBnReLU2d(conv: Conv2d, bn: BatchNorm2d, relu: ReLU) */
  constructor(conv: Module, bn: Module, relu: Module) {
    super(...checkTypes([conv, bn, relu], [Conv2d, BatchNorm2d, ReLU]));
  }
}
export class ConvBnReLU3d extends _FusedModule {
  /** ConvBnReLU3d(conv: Conv3d, bn: BatchNorm3d, relu: ReLU) */
  constructor(conv: Module, bn: Module, relu: Module) {
    super(...checkTypes([conv, bn, relu], [Conv3d, BatchNorm3d, ReLU]));
  }
}
export class BNReLU2d extends _FusedModule {
  /** BNReLU2d(batchNorm: BatchNorm2d, relu: ReLU) */
  constructor(batchNorm: Module, relu: Module) {
    super(...checkTypes([batchNorm, relu], [BatchNorm2d, ReLU]));
  }
}
export class BNReLU3d extends _FusedModule {
  /** BNReLU3d(batchNorm: BatchNorm3d, relu: ReLU) */
  constructor(batchNorm: Module, relu: Module) {
    super(...checkTypes([batchNorm, relu], [BatchNorm3d, ReLU]));
  }
}
export class LinearBn1d extends _FusedModule {
  /** LinearBn1d(linear: Linear, bn: BatchNorm1d) */
  constructor(linear: Module, bn: Module) {
    super(...checkTypes([linear, bn], [Linear, BatchNorm1d]));
  }
}
