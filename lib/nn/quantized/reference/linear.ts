// torch.ao.nn.quantized.reference.Linear: nn.Linear whose forward uses the weight quantized and
// dequantized with its qparams (the float activation passes through F.linear as it is).
import { PyTypeError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { DTypeLike } from '../../../tensor/dtype';
import { DeviceLike } from '../../../tensor/device';
import { ArgsOf, signature } from '../../../keywords';
import { Module } from '../../module';
import { Parameter } from '../../parameter';
import { Linear as FloatLinear } from '../../layers/linear';
import { linear } from '../../functional/linear';
import { ReferenceMembers, WeightQparams, initWeightQparams, installReferenceMembers } from './utils';

interface RefLinearArgs {
  inFeatures: number;
  outFeatures: number;
  bias_?: boolean;
  device?: DeviceLike | null;
  dtype?: DTypeLike | null;
  weightQparams?: WeightQparams | null;
}
const REF_LINEAR = signature<RefLinearArgs>()(['inFeatures', 'outFeatures'], ['bias_', 'device', 'dtype', 'weightQparams']);

/** Python's TypeError when a reference from_float is called without its qparams. */
export function requireQparams<T>(cls: string, name: string, v: T | undefined): T {
  if (v === undefined) throw new PyTypeError(`${cls}.from_float() missing 1 required positional argument: '${name}'`);
  return v;
}

export interface Linear extends ReferenceMembers {}
export class Linear extends FloatLinear {
  /** convert() hands reference classes the weight observer's qparams (Python's _IS_REFERENCE) */
  static readonly _IS_REFERENCE = true;

  /** Linear(inFeatures, outFeatures, bias_ = true, device = null, dtype = null, weightQparams = null), any by name. */
  constructor(...args: ArgsOf<typeof REF_LINEAR>) {
    const { inFeatures, outFeatures, bias_ = true, device, dtype, weightQparams } = REF_LINEAR.bind('Linear', args);
    super(inFeatures, outFeatures, bias_, { device, dtype });
    initWeightQparams(this, weightQparams, device);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.getWeight(), this.bias);
  }

  /** from_float(floatLinear, weightQparams): the float module's weight and bias (detached) with those qparams. */
  static fromFloat(mod: Module, weightQparams?: WeightQparams): Linear {
    const qparams = requireQparams('Linear', 'weight_qparams', weightQparams);
    const float = mod as FloatLinear;
    const ref = new Linear(float.inFeatures, float.outFeatures, float.bias !== null, { device: float.weight.device, dtype: float.weight.dtype, weightQparams: qparams });
    ref.weight = new Parameter(float.weight.detach());
    if (float.bias !== null) ref.bias = new Parameter(float.bias.detach());
    return ref;
  }
}
installReferenceMembers(Linear, 'QuantizedLinear(Reference)');
