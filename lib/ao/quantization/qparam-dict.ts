// torch.ao.quantization.utils.get_qparam_dict: an observer's (or fake-quant's) qparams as the dict
// reference modules take (symmetric schemes become affine: quantized tensors have no symmetric kind).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import type { DType } from '../../tensor/dtype';
import type { Module } from '../../nn/module';
import type { WeightQparams } from '../../nn/quantized/reference/utils';
import { QScheme, perChannelAffine, perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric } from './qscheme';

type Observed = Module & { qscheme?: QScheme; dtype: DType; chAxis?: number; calculateQparams(): [Tensor, Tensor] };

/** get_qparam_dict(observerOrFakeQuant): { qscheme, dtype[, axis], scale, zero_point }; { qscheme: null, dtype } without a qscheme. */
export function getQparamDict(observerOrFakeQuant: Module): WeightQparams {
  const obs = observerOrFakeQuant as Observed;
  const qscheme = obs.qscheme ?? null;
  const qparams: WeightQparams = { qscheme, dtype: obs.dtype };
  if (qscheme === null) return qparams;
  if (qscheme === perTensorAffine || qscheme === perTensorSymmetric) {
    qparams.qscheme = perTensorAffine;
  } else if (qscheme === perChannelAffine || qscheme === perChannelSymmetric || qscheme === perChannelAffineFloatQparams) {
    qparams.qscheme = qscheme === perChannelSymmetric ? perChannelAffine : qscheme;
    qparams.axis = obs.chAxis;
  } else {
    throw new TorchError(`Unrecognized qscheme: ${String(qscheme)}`);
  }
  const [scale, zeroPoint] = obs.calculateQparams();
  qparams.scale = scale;
  qparams.zero_point = zeroPoint;
  return qparams;
}
