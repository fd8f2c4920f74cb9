// torch.ao.nn.quantized.Linear (QuantizedLinear): quantized input, quantized output, the qint8 weight
// and float bias packed for the current engine (quantized::linear); scale/zero_point are the output's.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor, zeros } from '../../tensor/create';
import { DTypeLike, float16, qint8, toDType } from '../../tensor/dtype';
import { aten } from '../../tensor/aten';
import { Module, StateDict, LocalMetadata } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { Linear as FloatLinear } from '../layers/linear';
import { NonDynamicallyQuantizableLinear } from '../layers/multihead-attention';
import { Sequential } from '../containers/sequential';
import { fuseLinearBnWeights } from '../utils/fusion';
import { LinearPackedParams } from './linear-packed-params';
import { qop } from './ops';
import { ModuleClass, ObserverLike, classRepr, hidePackedParamsRepr, observed, qconfigOf, quantizeWeight, scaleZeroPoint, scalarOf, activationObserver } from './utils';
import { pyFloat } from '../../py-format';

interface LinearArgs {
  inFeatures: number;
  outFeatures: number;
  bias_?: boolean;
  dtype?: DTypeLike;
}
const LINEAR = signature<LinearArgs>()(['inFeatures', 'outFeatures'], ['bias_', 'dtype']);
const emptyAffineQuantized = aten('_empty_affine_quantized', '');

type FloatClass = ModuleClass;
type LinearLike = Module & { weight: Tensor; bias: Tensor | null; inFeatures: number; outFeatures: number };
type BnLike = { running_mean: Tensor; running_var: Tensor; eps: number; weight: Tensor; bias: Tensor };

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  scale = 1.0;
  zeroPoint = 0;
  _packed_params: LinearPackedParams;

  /** the float classes fromFloat takes (Python's _FLOAT_MODULE) */
  static _FLOAT_MODULE: FloatClass[] = [FloatLinear, NonDynamicallyQuantizableLinear];
  /** what the intrinsic subclass calls for its op (quantized::linear_relu there) */
  protected static readonly _OP: string = 'quantized::linear';

  /** Linear(inFeatures, outFeatures, bias_ = true, dtype = torch.qint8), any by name. */
  constructor(...args: ArgsOf<typeof LINEAR>) {
    super();
    const { inFeatures, outFeatures, bias_ = true, dtype = qint8 } = LINEAR.bind(new.target.name, args);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    // float16: the dynamic subclass's half-precision weights (packing them needs FBGEMM)
    if (toDType(dtype) !== qint8 && toDType(dtype) !== float16) throw new TorchError('Unsupported dtype specified for quantized Linear!');
    const bias = bias_ ? zeros([outFeatures]) : null;
    const qweight =
      toDType(dtype) === qint8
        ? (emptyAffineQuantized([[outFeatures, inFeatures]], { scale: 1, zeroPoint: 0, dtype: qint8.code }) as Tensor)
        : zeros([outFeatures, inFeatures]);
    this._packed_params = new LinearPackedParams(dtype);
    this._packed_params.setWeightBias(qweight, bias);
  }

  _getName(): string {
    return 'QuantizedLinear';
  }

  extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, scale=${pyFloat(this.scale)}, zero_point=${this.zeroPoint}, qscheme=${this.weight().qscheme()}`;
  }

  toString(): string {
    return hidePackedParamsRepr(this, LinearPackedParams);
  }

  forward(x: Tensor): Tensor {
    return qop((this.constructor as typeof Linear)._OP, x, this._packed_params._packed_params, this.scale, this.zeroPoint);
  }

  _weightBias(): [Tensor, Tensor | null] {
    return this._packed_params._weightBias();
  }
  weight(): Tensor {
    return this._weightBias()[0];
  }
  bias(): Tensor | null {
    return this._weightBias()[1];
  }
  setWeightBias(w: Tensor, b: Tensor | null): void {
    this._packed_params.setWeightBias(w, b);
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    dest[prefix + 'scale'] = tensor(this.scale, { dtype: 'float32' });
    dest[prefix + 'zero_point'] = tensor(this.zeroPoint, { dtype: 'int64' });
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {},
  ): void {
    for (const key of ['scale', 'zero_point']) {
      if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
    }
    this.scale = scalarOf(stateDict.get(prefix + 'scale'));
    this.zeroPoint = Math.trunc(scalarOf(stateDict.get(prefix + 'zero_point')));
    stateDict.delete(prefix + 'scale');
    stateDict.delete(prefix + 'zero_point');
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version === 1) {
      // version 1 kept weight and bias here; they moved into _packed_params
      for (const key of ['weight', 'bias']) {
        if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
        stateDict.set(`${prefix}_packed_params.${key}`, stateDict.get(prefix + key));
        stateDict.delete(prefix + key);
      }
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  /**
   * Python's from_float: an observed float Linear (or LinearReLU for the intrinsic subclass), or a
   * QAT one (it has weight_fake_quant; LinearBn1d's bn is folded into its weight first).
   */
  static fromFloat<T extends Linear>(this: (new (...args: never) => T) & { _FLOAT_MODULE: FloatClass[]; name: string }, mod: Module): T {
    const m = observed(mod);
    let weightObserver: ObserverLike;
    let actObserver: ObserverLike;
    let float = mod as LinearLike;
    if (m.weight_fake_quant !== undefined) {
      if ('bn' in mod) {
        const bn = (mod as unknown as { bn: BnLike }).bn;
        [float.weight, float.bias] = fuseLinearBnWeights(float.weight, float.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias);
      }
      weightObserver = m.weight_fake_quant;
      actObserver = activationObserver(mod);
    } else {
      const supported = this._FLOAT_MODULE.map((c) => c.name).join(', ');
      if (!this._FLOAT_MODULE.some((c) => mod.constructor === c)) {
        throw new TorchError(`nnq.${this.name}.from_float only works for ${supported}, but got: ${classRepr(mod)}`);
      }
      if (!m.qconfig) throw new TorchError('Input float module must have qconfig defined');
      actObserver = activationObserver(mod);
      // a fused LinearReLU: the Linear is its first child
      // a fused LinearReLU: its Linear, whose qconfig (prepare gives every child one) makes the observer
      if (mod instanceof Sequential) float = mod.at(0) as LinearLike;
      weightObserver = qconfigOf(float).weight();
    }
    weightObserver(float.weight);
    if (weightObserver.dtype !== qint8) throw new TorchError('Weight observer must have dtype torch.qint8');
    const [scale, zeroPoint] = scaleZeroPoint(actObserver);
    const qweight = quantizeWeight(float.weight.float(), weightObserver);
    const qlinear = new (this as unknown as new (...args: ArgsOf<typeof LINEAR>) => T)(float.inFeatures, float.outFeatures, { dtype: weightObserver.dtype });
    qlinear.setWeightBias(qweight, float.bias);
    qlinear.scale = scale;
    qlinear.zeroPoint = zeroPoint;
    return qlinear;
  }
}
Linear.prototype._version = 3;
