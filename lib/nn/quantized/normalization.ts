// torch.ao.nn.quantized LayerNorm, GroupNorm, InstanceNorm1d/2d/3d: the float layers (same settings,
// repr and parameters, taken over from the float module) with the output's scale/zero_point as
// buffers and a quantized forward.
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { ArgsOf, signature } from '../../keywords';
import { LayerNorm as FloatLayerNorm, GroupNorm as FloatGroupNorm } from '../layers/normalization';
import { InstanceNormBase, InstanceNorm1d as FloatIN1d, InstanceNorm2d as FloatIN2d, InstanceNorm3d as FloatIN3d } from '../layers/instancenorm';
import { FactoryOptions } from '../layers/linear';
import { activationObserver, scaleZeroPoint } from './utils';
import { qop } from './ops';

type Factory = FactoryOptions;

/** The float module's weight and bias taken over as they are (Python's self.weight = weight). */
function takeAffine(mod: Module & { weight: Parameter | null; bias: Parameter | null }, weight: Tensor | null, bias: Tensor | null): void {
  mod.weight = weight as Parameter | null;
  mod.bias = bias as Parameter | null;
}

function registerQparams(mod: Module, scale: number, zeroPoint: number, factory: Factory): void {
  mod.registerBuffer('scale', tensor(scale, factory));
  mod.registerBuffer('zero_point', tensor(zeroPoint, factory));
}

const LAYER_NORM = signature<{ normalizedShape: number | number[]; weight: Tensor | null; bias: Tensor | null; scale: number; zeroPoint: number; eps?: number; elementwiseAffine?: boolean } & Factory>()(
  ['normalizedShape', 'weight', 'bias', 'scale', 'zeroPoint'], ['eps', 'elementwiseAffine', 'device', 'dtype'],
);
export class LayerNorm extends FloatLayerNorm {
  declare scale: Tensor;
  declare zero_point: Tensor;
  /** LayerNorm(normalizedShape, weight, bias, scale, zeroPoint, eps = 1e-5, elementwiseAffine = true, { device, dtype }) */
  constructor(...args: ArgsOf<typeof LAYER_NORM>) {
    const { normalizedShape, weight, bias, scale, zeroPoint, eps = 1e-5, elementwiseAffine = true, device, dtype } = LAYER_NORM.bind('LayerNorm', args);
    super(normalizedShape, { eps, elementwiseAffine, device, dtype });
    takeAffine(this, weight, bias);
    registerQparams(this, scale, zeroPoint, { device, dtype });
  }
  forward(input: Tensor): Tensor {
    return qop('quantized::layer_norm', input, this.normalizedShape, this.weight, this.bias, this.eps, this.scale.item(), this.zero_point.item());
  }
  _getName(): string {
    return 'QuantizedLayerNorm';
  }
  static fromFloat(mod: Module): LayerNorm {
    const m = mod as FloatLayerNorm;
    return new LayerNorm(m.normalizedShape, m.weight, m.bias, ...scaleZeroPoint(activationObserver(mod)), m.eps, m.elementwiseAffine);
  }
}

const GROUP_NORM = signature<{ numGroups: number; numChannels: number; weight: Tensor | null; bias: Tensor | null; scale: number; zeroPoint: number; eps?: number; affine?: boolean } & Factory>()(
  ['numGroups', 'numChannels', 'weight', 'bias', 'scale', 'zeroPoint'], ['eps', 'affine', 'device', 'dtype'],
);
export class GroupNorm extends FloatGroupNorm {
  declare scale: Tensor;
  declare zero_point: Tensor;
  /** GroupNorm(numGroups, numChannels, weight, bias, scale, zeroPoint, eps = 1e-5, affine = true, { device, dtype }) */
  constructor(...args: ArgsOf<typeof GROUP_NORM>) {
    const { numGroups, numChannels, weight, bias, scale, zeroPoint, eps = 1e-5, affine = true, device, dtype } = GROUP_NORM.bind('GroupNorm', args);
    super(numGroups, numChannels, { eps, affine, device, dtype });
    takeAffine(this, weight, bias);
    registerQparams(this, scale, zeroPoint, { device, dtype });
  }
  forward(input: Tensor): Tensor {
    return qop('quantized::group_norm', input, this.numGroups, this.weight, this.bias, this.eps, this.scale.item(), this.zero_point.item());
  }
  _getName(): string {
    return 'QuantizedGroupNorm';
  }
  static fromFloat(mod: Module): GroupNorm {
    const m = mod as FloatGroupNorm;
    return new GroupNorm(m.numGroups, m.numChannels, m.weight, m.bias, ...scaleZeroPoint(activationObserver(mod)), m.eps, m.affine);
  }
}

type InstanceNormArgs = {
  numFeatures: number; weight: Tensor | null; bias: Tensor | null; scale: number; zeroPoint: number; eps?: number; momentum?: number; affine?: boolean; trackRunningStats?: boolean;
} & Factory;
const INSTANCE_NORM = signature<InstanceNormArgs>()(['numFeatures', 'weight', 'bias', 'scale', 'zeroPoint'], ['eps', 'momentum', 'affine', 'trackRunningStats', 'device', 'dtype']);
type FloatInstanceNorm = InstanceNormBase;

type BoundInstanceNorm = ReturnType<typeof INSTANCE_NORM.bind>;

/** The float InstanceNorm's arguments from the quantized one's. */
function floatArgs(a: BoundInstanceNorm): [number, { eps: number; momentum: number; affine: boolean; trackRunningStats: boolean } & Factory] {
  const { numFeatures, eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, device, dtype } = a;
  return [numFeatures, { eps, momentum, affine, trackRunningStats, device, dtype }];
}

function instanceForward(m: FloatInstanceNorm, input: Tensor): Tensor {
  const { scale, zero_point } = m as unknown as { scale: Tensor; zero_point: Tensor };
  return qop('quantized::instance_norm', input, m.weight, m.bias, m.eps, scale.item(), zero_point.item());
}

/** The float repr, except that Python's from_float leaves a bool in momentum (printed True/False). */
function instanceRepr(m: FloatInstanceNorm, floatRepr: string): string {
  const momentum = m.momentum as unknown;
  return typeof momentum === 'boolean' ? floatRepr.replace(/momentum=[^,]*/, `momentum=${momentum ? 'True' : 'False'}`) : floatRepr;
}

function instanceFromFloat<T>(cls: new (...args: ArgsOf<typeof INSTANCE_NORM>) => T, mod: Module): T {
  const m = mod as FloatInstanceNorm;
  const [scale, zeroPoint] = scaleZeroPoint(activationObserver(mod));
  // Python passes affine in momentum's place (the quantized module's affine stays False)
  return new cls(m.numFeatures, m.weight, m.bias, scale, zeroPoint, m.eps, m.affine as unknown as number);
}

/**
 * The body Python writes out three times (quantized InstanceNorm1d/2d/3d): the float class of that
 * rank with the output's qparams as buffers and quantized::instance_norm as forward. Each exported
 * class below still extends its own float class, as in Python.
 */
function quantizedInstanceNorm<F extends typeof FloatIN1d | typeof FloatIN2d | typeof FloatIN3d>(Float: F, pythonName: string) {
  // the three float classes differ only in their input rank, so one instance type stands for them
  const FloatBase = Float as unknown as new (...args: unknown[]) => FloatIN1d;
  class QuantizedInstanceNorm extends FloatBase {
    declare scale: Tensor;
    declare zero_point: Tensor;
    constructor(...args: any[]) {
      const a = INSTANCE_NORM.bind(new.target.name, args as ArgsOf<typeof INSTANCE_NORM>);
      super(...floatArgs(a));
      takeAffine(this, a.weight, a.bias);
      registerQparams(this, a.scale, a.zeroPoint, { device: a.device, dtype: a.dtype });
    }
    forward(input: Tensor): Tensor {
      return instanceForward(this, input);
    }
    extraRepr(): string {
      return instanceRepr(this, super.extraRepr());
    }
    _getName(): string {
      return pythonName;
    }
    static fromFloat<T>(this: new (...args: ArgsOf<typeof INSTANCE_NORM>) => T, mod: Module): T {
      return instanceFromFloat(this, mod);
    }
  }
  type Quantized = InstanceType<F> & { scale: Tensor; zero_point: Tensor };
  return QuantizedInstanceNorm as unknown as (new (...args: ArgsOf<typeof INSTANCE_NORM>) => Quantized) & { fromFloat: typeof QuantizedInstanceNorm.fromFloat };
}

/** InstanceNorm1d(numFeatures, weight, bias, scale, zeroPoint, eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, { device, dtype }) */
export class InstanceNorm1d extends quantizedInstanceNorm(FloatIN1d, 'QuantizedInstanceNorm1d') {}
/** InstanceNorm2d(numFeatures, weight, bias, scale, zeroPoint, eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, { device, dtype }) */
export class InstanceNorm2d extends quantizedInstanceNorm(FloatIN2d, 'QuantizedInstanceNorm2d') {}
/** InstanceNorm3d(numFeatures, weight, bias, scale, zeroPoint, eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, { device, dtype }) */
export class InstanceNorm3d extends quantizedInstanceNorm(FloatIN3d, 'QuantizedInstanceNorm3d') {}
