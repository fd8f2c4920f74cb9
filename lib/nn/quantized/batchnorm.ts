// torch.ao.nn.quantized BatchNorm2d/3d: the float BatchNorm's parameters and running statistics
// (taken over from the float module) with the output's scale/zero_point as buffers.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { ArgsOf, signature } from '../../keywords';
import { BatchNormBase, BatchNorm2d as FloatBatchNorm2d, BatchNorm3d as FloatBatchNorm3d } from '../layers/batchnorm';
import { FactoryOptions } from '../layers/linear';
import { Sequential } from '../containers/sequential';
import { activationObserver } from './utils';
import { qop } from './ops';

const QBN = signature<{ numFeatures: number; eps?: number; momentum?: number } & FactoryOptions>()(['numFeatures'], ['eps', 'momentum', 'device', 'dtype']);
type FloatBn = BatchNormBase;

type QbnArgs = ReturnType<typeof QBN.bind>;
function bindQbn(name: string, args: ArgsOf<typeof QBN>): Required<Pick<QbnArgs, 'numFeatures' | 'eps' | 'momentum'>> & FactoryOptions {
  const { numFeatures, eps = 1e-5, momentum = 0.1, device, dtype } = QBN.bind(name, args);
  return { numFeatures, eps, momentum, device, dtype };
}

/** The output qparams as buffers: scale 1.0 and zero_point 0 until fromFloat. */
function registerQparams(bn: Module, { device, dtype }: FactoryOptions): void {
  bn.registerBuffer('scale', tensor(1.0, { device, dtype }));
  bn.registerBuffer('zero_point', tensor(0, { device, dtype: dtype ?? 'int64' }));
}

/** float(scale), int(zero_point) of the buffers */
function qparams(bn: Module): [number, number] {
  const { scale, zero_point } = bn as unknown as { scale: Tensor; zero_point: Tensor };
  return [scale.item() as number, zero_point.item() as number];
}

function bnForward(bn: FloatBn, dims: 2 | 3, input: Tensor): Tensor {
  return qop(`quantized::batch_norm${dims}d`, input, bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.eps, ...qparams(bn));
}

/** Python's _BatchNorm.from_float: BNReLU's BatchNorm is its first child; tensors are shared, not copied. */
function bnFromFloat<T extends FloatBn>(cls: new (numFeatures: number, eps: number) => T, mod: Module): T {
  const observer = activationObserver(mod);
  const bn = (mod instanceof Sequential ? mod.at(0) : mod) as FloatBn;
  const [scale, zeroPoint] = observer.calculateQparams();
  const q = new cls(bn.numFeatures, bn.eps);
  q.weight = bn.weight as Parameter;
  q.bias = bn.bias as Parameter;
  q.running_mean = bn.running_mean;
  q.running_var = bn.running_var;
  const buffers = q as unknown as { scale: Tensor; zero_point: Tensor };
  buffers.scale = scale;
  buffers.zero_point = zeroPoint;
  return q;
}

export class BatchNorm2d extends FloatBatchNorm2d {
  declare scale: Tensor;
  declare zero_point: Tensor;
  /** BatchNorm2d(numFeatures, eps = 1e-5, momentum = 0.1, { device, dtype }): affine, with running statistics */
  constructor(...args: ArgsOf<typeof QBN>) {
    const a = bindQbn('BatchNorm2d', args);
    super(a.numFeatures, { eps: a.eps, momentum: a.momentum, device: a.device, dtype: a.dtype, affine: true, trackRunningStats: true });
    registerQparams(this, a);
  }
  protected _checkInputDim(input: Tensor): void {
    if (input.dim() !== 4) throw new ValueError('Input shape must be `(N, C, H, W)`!');
  }
  forward(input: Tensor): Tensor {
    return bnForward(this, 2, input);
  }
  _getName(): string {
    return 'QuantizedBatchNorm2d';
  }
  /** Python's from_float (BNReLU2d's BatchNorm is its first child); the intrinsic subclass inherits it */
  static fromFloat<T extends FloatBn>(this: new (numFeatures: number, eps: number) => T, mod: Module): T {
    return bnFromFloat(this, mod);
  }
}

export class BatchNorm3d extends FloatBatchNorm3d {
  declare scale: Tensor;
  declare zero_point: Tensor;
  /** BatchNorm3d(numFeatures, eps = 1e-5, momentum = 0.1, { device, dtype }): affine, with running statistics */
  constructor(...args: ArgsOf<typeof QBN>) {
    const a = bindQbn('BatchNorm3d', args);
    super(a.numFeatures, { eps: a.eps, momentum: a.momentum, device: a.device, dtype: a.dtype, affine: true, trackRunningStats: true });
    registerQparams(this, a);
  }
  protected _checkInputDim(input: Tensor): void {
    if (input.dim() !== 5) throw new ValueError('Input shape must be `(N, C, H, W)`!');
  }
  forward(input: Tensor): Tensor {
    return bnForward(this, 3, input);
  }
  _getName(): string {
    return 'QuantizedBatchNorm3d';
  }
  /** Python's from_float (BNReLU3d's BatchNorm is its first child); the intrinsic subclass inherits it */
  static fromFloat<T extends FloatBn>(this: new (numFeatures: number, eps: number) => T, mod: Module): T {
    return bnFromFloat(this, mod);
  }
}
