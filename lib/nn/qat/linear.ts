// nn.qat.Linear (torch/ao/nn/qat/modules/linear.py): nn.Linear whose forward sees the weight
// through weight_fake_quant, so training learns weights that survive quantization.
import { AssertionError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { _FusedModule } from '../intrinsic/modules/fused';
import { Linear as FloatLinear, LinearArgs } from '../layers/linear';
import { linear } from '../functional/linear';
import { isParametrized, transferParametrizationsAndParams, typeBeforeParametrizations } from '../utils/parametrize';
import { ArgsOf, signature } from '../../keywords';
import { QConfigLike, floatQconfig, readQconfig, requireQconfig, weightFakeQuant } from './qconfig';

/** qat.Linear's parameters by name: Linear(in_features, out_features, bias=True, qconfig=None, device=None, dtype=None). */
export interface QatLinearArgs extends LinearArgs {
  qconfig?: QConfigLike | null;
}
const QAT_LINEAR = signature<QatLinearArgs>()(['inFeatures', 'outFeatures'], ['bias', 'qconfig', 'device', 'dtype']);

export class Linear extends FloatLinear {
  /** the float class fromFloat accepts (Python's _FLOAT_MODULE) */
  static _FLOAT_MODULE: Function = FloatLinear;

  qconfig: QConfigLike;
  weight_fake_quant: Module;

  /** Linear(inFeatures, outFeatures, bias = true, qconfig, { device, dtype }); qconfig is required, best given by name. */
  constructor(...args: ArgsOf<typeof QAT_LINEAR>) {
    const { inFeatures, outFeatures, bias = true, qconfig, device = null, dtype = null } = QAT_LINEAR.bind(new.target.name, args);
    super(inFeatures, outFeatures, { bias, device, dtype });
    this.qconfig = requireQconfig(qconfig);
    this.weight_fake_quant = weightFakeQuant(this.qconfig, { device, dtype });
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight_fake_quant(this.weight), this.bias);
  }

  /**
   * Python's from_float: a QAT Linear over the float module's own Parameters (parametrizations
   * moved over with them), with the float module's qconfig. A fused LinearReLU gives its Linear.
   */
  static fromFloat<T extends Linear>(this: { new (...args: any[]): T; _FLOAT_MODULE: Function; name: string }, mod: Module): T {
    if (typeBeforeParametrizations(mod) !== this._FLOAT_MODULE) {
      throw new AssertionError(` qat.${this.name}.from_float only works for ${this._FLOAT_MODULE.name}`);
    }
    floatQconfig(mod);
    const float = (mod instanceof _FusedModule ? mod[0] : mod) as FloatLinear;
    const qconfig = readQconfig(float);
    const qat = new this(float.inFeatures, float.outFeatures, { bias: float.bias !== null, qconfig });
    for (const name of ['weight', 'bias'] as const) {
      if (isParametrized(float, name)) transferParametrizationsAndParams(float, qat, name);
      else qat[name] = float[name] as Parameter;
    }
    return qat;
  }

  /** Python's to_float: an nn.Linear with copies of the weights, in the same training mode. */
  toFloat(): Module {
    const float = new FloatLinear(this.inFeatures, this.outFeatures, this.bias !== null);
    float.weight = new Parameter(this.weight.detach());
    if (this.bias !== null) float.bias = new Parameter(this.bias.detach());
    float.train(this.training);
    return float;
  }
}
