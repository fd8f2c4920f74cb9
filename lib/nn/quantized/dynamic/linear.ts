// torch.ao.nn.quantized.dynamic.Linear (DynamicQuantizedLinear): float in, float out, the weight
// stored as qint8 and packed for the quantized engine; each forward quantizes the input on the fly
// (quantized::linear_dynamic, with reduce_range from format version 4 on, as Python).
import { TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { tensor } from '../../../tensor/create';
import { DTypeLike, qint8, toDType } from '../../../tensor/dtype';
import { aten } from '../../../tensor/aten';
import { Module, StateDict, LocalMetadata } from '../../module';
import { moduleRepr } from '../../repr';
import { ArgsOf, signature } from '../../../keywords';
import { LinearPackedParams } from '../linear-packed-params';
import { qop } from '../ops';
import { Linear as FloatLinear } from '../../layers/linear';
import { NonDynamicallyQuantizableLinear } from '../../layers/multihead-attention';
import { MinMaxObserver } from '../../../ao/quantization/observer';
import { perTensorSymmetric } from '../../../ao/quantization/qscheme';
import '../../../ao/quantization/tensor-methods';

interface DynamicLinearArgs {
  inFeatures: number;
  outFeatures: number;
  bias_?: boolean;
  dtype?: DTypeLike;
}
const DYNAMIC_LINEAR = signature<DynamicLinearArgs>()(['inFeatures', 'outFeatures'], ['bias_', 'dtype']);
const emptyAffineQuantized = aten('_empty_affine_quantized', '');
const quantizePerTensor = aten('quantize_per_tensor', '');

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** the output qparams Python's quantized Linear keeps (unused by the dynamic forward) */
  scale = 1.0;
  zeroPoint = 0;
  /** the state_dict format version this module was loaded from (Python's self.version) */
  version: number | undefined = 4;
  _packed_params: LinearPackedParams;

  /** Linear(inFeatures, outFeatures, bias_ = true, dtype = torch.qint8), any by name. */
  constructor(...args: ArgsOf<typeof DYNAMIC_LINEAR>) {
    super();
    const { inFeatures, outFeatures, bias_ = true, dtype = qint8 } = DYNAMIC_LINEAR.bind('Linear', args);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bias = bias_ ? tensor(new Float32Array(outFeatures)) : null;
    const qweight = emptyAffineQuantized([[outFeatures, inFeatures]], { scale: 1, zeroPoint: 0, dtype: qint8.code }) as Tensor;
    this._packed_params = new LinearPackedParams(toDType(dtype));
    this._packed_params.setWeightBias(qweight, bias);
  }

  /** Python's from_float: the weight observed by a per-tensor symmetric qint8 MinMaxObserver, then quantized. */
  static fromFloat(mod: Module): Linear {
    if (mod.constructor !== FloatLinear && mod.constructor !== NonDynamicallyQuantizableLinear) {
      throw new TorchError(`nn.quantized.dynamic.Linear.from_float only works for one of['Linear', 'NonDynamicallyQuantizableLinear', 'LinearReLU', 'Linear']`);
    }
    const observer = new MinMaxObserver({ dtype: qint8, qscheme: perTensorSymmetric });
    const float = mod as FloatLinear;
    const weight = float.weight.detach().float();
    observer.forward(weight);
    const [scale, zeroPoint] = observer.calculateQparams();
    const qweight = quantizePerTensor([weight, scale.item() as number, zeroPoint.item() as number, qint8.code]) as Tensor;
    const qlinear = new Linear(float.inFeatures, float.outFeatures, { dtype: observer.dtype });
    qlinear.setWeightBias(qweight, float.bias);
    return qlinear;
  }

  forward(x: Tensor): Tensor {
    const reduceRange = this.version !== undefined && this.version >= 4;
    const y = qop('quantized::linear_dynamic', x, this._packed_params._packed_params, reduceRange);
    return y.dtype === x.dtype ? y : y.to(x.dtype);
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
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    const version = localMetadata.version as number | undefined;
    this.version = version;
    for (const [key, set] of [
      ['scale', (v: number) => (this.scale = v)],
      ['zero_point', (v: number) => (this.zeroPoint = Math.trunc(v))],
    ] as const) {
      const v = stateDict.get(prefix + key);
      if (v === undefined) missingKeys.push(prefix + key);
      else set(v instanceof Tensor ? (v.item() as number) : Number(v));
      stateDict.delete(prefix + key);
    }
    if (version === undefined || version === 1) {
      // version 1 kept weight and bias here; they moved into _packed_params
      for (const key of ['weight', 'bias']) {
        if (!stateDict.has(prefix + key)) continue;
        stateDict.set(`${prefix}_packed_params.${key}`, stateDict.get(prefix + key));
        stateDict.delete(prefix + key);
      }
    }
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

  /** Python's hide_packed_params_repr: the packed params child is not printed. */
  toString(): string {
    const children = this._ownModules().filter(([, m]) => !(m instanceof LinearPackedParams));
    return moduleRepr(this._getName(), this.extraRepr(), children);
  }
}
Linear.prototype._version = 4;
