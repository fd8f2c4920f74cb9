// torch.ao.nn.quantized.Quantize and DeQuantize: the float <-> quantized boundary of a converted
// model (what QuantStub and DeQuantStub become).
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { DType, DTypeLike, int64, toDType } from '../../tensor/dtype';
import { quantizePerTensor } from '../../ops/generated/functions';
import { Module } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { activationObserver, scaleZeroPoint } from './utils';
import '../../ao/quantization/tensor-methods';

interface QuantizeArgs {
  scale: number;
  zeroPoint: number;
  dtype: DTypeLike;
  factoryKwargs?: { device?: string; dtype?: DTypeLike } | null;
}
const QUANTIZE = signature<QuantizeArgs>()(['scale', 'zeroPoint', 'dtype'], ['factoryKwargs']);

export class Quantize extends Module {
  declare scale: Tensor;
  declare zero_point: Tensor;
  dtype: DType;

  /** Quantize(scale, zeroPoint, dtype, factoryKwargs = null): scale/zero_point kept as 1-element buffers */
  constructor(...args: ArgsOf<typeof QUANTIZE>) {
    super();
    const { scale, zeroPoint, dtype, factoryKwargs } = QUANTIZE.bind('Quantize', args);
    const device = factoryKwargs?.device;
    this.registerBuffer('scale', tensor([scale], { dtype: factoryKwargs?.dtype ?? 'float32', device }));
    this.registerBuffer('zero_point', tensor([zeroPoint], { dtype: int64, device }));
    this.dtype = toDType(dtype);
  }

  forward(x: Tensor): Tensor {
    return quantizePerTensor(x, this.scale.item() as number, Math.trunc(this.zero_point.item() as number), this.dtype);
  }

  /** Python's from_float: the qparams of the module's output observer (a QuantStub's). */
  static fromFloat(mod: Module): Quantize {
    const obs = activationObserver(mod);
    const [scale, zeroPoint] = scaleZeroPoint(obs);
    return new Quantize(scale, zeroPoint, obs.dtype);
  }

  extraRepr(): string {
    return `scale=${String(this.scale)}, zero_point=${String(this.zero_point)}, dtype=${this.dtype}`;
  }
}

export class DeQuantize extends Module {
  forward(xq: Tensor): Tensor {
    return xq.dequantize();
  }

  static fromFloat(_mod: Module): DeQuantize {
    return new DeQuantize();
  }
}
