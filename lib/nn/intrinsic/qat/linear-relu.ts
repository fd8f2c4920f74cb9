// nn.intrinsic.qat.LinearReLU (torch/nn/intrinsic/qat/modules/linear_relu.py): a qat Linear
// followed by ReLU, trained as one layer.
import { Tensor } from '../../../tensor/tensor';
import { Parameter } from '../../parameter';
import { Linear as FloatLinear } from '../../layers/linear';
import { ReLU } from '../../layers/activation';
import { linear } from '../../functional/linear';
import { relu } from '../../functional/activation';
import { ArgsOf, signature } from '../../../keywords';
import { Linear } from '../../qat/linear';
import { QConfigLike } from '../../qat/qconfig';
import * as nni from '../modules';

/** LinearReLU's parameters by name: LinearReLU(in_features, out_features, bias=True, qconfig=None). */
export interface LinearReLUArgs {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  qconfig?: QConfigLike | null;
}
const LINEAR_RELU = signature<LinearReLUArgs>()(['inFeatures', 'outFeatures'], ['bias', 'qconfig']);

export class LinearReLU extends Linear {
  static _FLOAT_MODULE: Function = nni.LinearReLU;

  /** LinearReLU(inFeatures, outFeatures, bias = true, qconfig) */
  constructor(...args: ArgsOf<typeof LINEAR_RELU>) {
    super(LINEAR_RELU.bind(new.target.name, args));
  }

  forward(input: Tensor): Tensor {
    return relu(linear(input, this.weight_fake_quant(this.weight), this.bias));
  }

  /** Python's to_float: the float LinearReLU (a Linear with copies of the weights, and a ReLU). */
  toFloat(): nni.LinearReLU {
    const float = new FloatLinear(this.inFeatures, this.outFeatures, this.bias !== null);
    float.weight = new Parameter(this.weight.detach());
    if (this.bias !== null) float.bias = new Parameter(this.bias.detach());
    return new nni.LinearReLU(float, new ReLU());
  }
}
