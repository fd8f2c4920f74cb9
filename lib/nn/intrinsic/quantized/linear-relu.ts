// torch.nn.intrinsic.quantized.LinearReLU (QuantizedLinearReLU): quantized::linear_relu, from a
// calibrated nni.LinearReLU (or its QAT form).
import { ArgsOf, signature } from '../../../keywords';
import { DTypeLike, qint8 } from '../../../tensor/dtype';
import { Linear } from '../../quantized/linear';
import { LinearReLU as FloatLinearReLU } from '../modules/fused';

const LINEAR_RELU = signature<{ inFeatures: number; outFeatures: number; bias?: boolean; dtype?: DTypeLike }>()(['inFeatures', 'outFeatures'], ['bias', 'dtype']);

export class LinearReLU extends Linear {
  static _FLOAT_MODULE = [FloatLinearReLU];
  protected static readonly _OP: string = 'quantized::linear_relu';

  /** LinearReLU(inFeatures, outFeatures, bias = true, dtype = torch.qint8) */
  constructor(...args: ArgsOf<typeof LINEAR_RELU>) {
    const { inFeatures, outFeatures, bias = true, dtype = qint8 } = LINEAR_RELU.bind('LinearReLU', args);
    super(inFeatures, outFeatures, bias, dtype);
  }

  _getName(): string {
    return 'QuantizedLinearReLU';
  }
}
