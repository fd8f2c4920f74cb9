// torch.ao.nn.quantized.dynamic.Linear (DynamicQuantizedLinear): float in, float out, the weight
// stored as qint8 and packed for the quantized engine; each forward quantizes the input on the fly
// (quantized::linear_dynamic, with reduce_range from format version 4 on, as Python).
import { AssertionError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { DType, float16, qint8 } from '../../../tensor/dtype';
import { Module, StateDict, LocalMetadata } from '../../module';
import { Linear as QuantizedLinear } from '../linear';
import { qop } from '../ops';
import { Linear as FloatLinear } from '../../layers/linear';
import { NonDynamicallyQuantizableLinear } from '../../layers/multihead-attention';
import { LinearReLU } from '../../intrinsic/modules/fused';
import { Linear as QatDynamicLinear } from '../../qat/dynamic/linear';
import { Sequential } from '../../containers/sequential';
import { QConfig, defaultDynamicQconfig } from '../../../ao/quantization/qconfig';
import { ObserverLike, quantizeWeight } from '../utils';
import '../../../ao/quantization/tensor-methods';

/** nnq.Linear whose forward takes and returns floats, quantizing the input on the fly (Python's subclassing too). */
export class Linear extends QuantizedLinear {
  /** the state_dict format version this module was loaded from (Python's self.version) */
  version: number | undefined = 4;

  /**
   * Python's from_float: nn.Linear (or MultiheadAttention's out_proj class, the first half of a fused
   * LinearReLU, a dynamic QAT Linear) with its weight observed by mod.qconfig.weight (else
   * default_dynamic_qconfig's per-tensor symmetric qint8 MinMaxObserver), then quantized.
   */
  static fromFloat<T extends QuantizedLinear>(this: new (...args: never) => T, mod: Module): T {
    const FLOAT_MODULES = [FloatLinear, NonDynamicallyQuantizableLinear, LinearReLU, QatDynamicLinear];
    if (!FLOAT_MODULES.includes(mod.constructor as never)) {
      throw new AssertionError(`nn.quantized.dynamic.Linear.from_float only works for one of['Linear', 'NonDynamicallyQuantizableLinear', 'LinearReLU', 'Linear']`);
    }
    if ((mod as { qconfig?: unknown }).qconfig === undefined) throw new AssertionError('Input float module must have qconfig defined');
    const float = (mod instanceof LinearReLU ? (mod as unknown as Sequential).at(0) : mod) as FloatLinear & { qconfig?: QConfig | null };
    const observer = (float.qconfig?.weight ? float.qconfig.weight() : defaultDynamicQconfig.weight()) as unknown as ObserverLike;
    const dtype = observer.dtype;
    if (dtype !== qint8 && dtype !== float16) throw new AssertionError(`The only supported dtypes for dynamic quantized linear are qint8 and float16 got: ${dtype}`);
    observer(float.weight);
    const qweight = dtype === qint8 ? quantizeWeight(float.weight.float(), observer) : float.weight.float();
    const Cls = this as unknown as new (inFeatures: number, outFeatures: number, options: { dtype: DType }) => T;
    const qlinear = new Cls(float.inFeatures, float.outFeatures, { dtype });
    qlinear.setWeightBias(qweight, float.bias);
    return qlinear;
  }

  forward(x: Tensor): Tensor {
    const reduceRange = this.version !== undefined && this.version >= 4;
    const y = qop('quantized::linear_dynamic', x, this._packed_params._packed_params, reduceRange);
    return y.dtype === x.dtype ? y : y.to(x.dtype);
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    // scale, zero_point and the version-1 weight and bias: nnq.Linear's own handling
    this.version = localMetadata.version as number | undefined;
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  _getName(): string {
    return 'DynamicQuantizedLinear';
  }

  extraRepr(): string {
    const dtype = this._packed_params.dtype;
    let s = `in_features=${this.inFeatures}, out_features=${this.outFeatures}, dtype=${dtype}`;
    if (dtype === qint8) s += `, qscheme=${this.weight().qscheme()}`;
    return s;
  }
}
Linear.prototype._version = 4;
