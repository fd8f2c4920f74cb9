// What the dynamic recurrent layers' from_float share (RNNBase and RNNCellBase in Python): the
// weight observer of the float module's qconfig (or the default dynamic one), the supported dtypes,
// and a float weight observed and quantized (qint8) or kept float (float16 packing).
import { AssertionError, TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { DType, float16, qint8 } from '../../../tensor/dtype';
import { Module } from '../../module';
import { ObserverLike, observed, quantizeWeight } from '../utils';
import { defaultDynamicQconfig } from '../../../ao/quantization/qconfig';

/** from_float's weight observers: mod.qconfig.weight, else default_dynamic_qconfig's; an assertion without a qconfig. */
export function weightObserverFactory(mod: Module): () => ObserverLike {
  const qconfig = observed(mod).qconfig;
  if (qconfig === undefined) throw new AssertionError('Input float module must have qconfig defined');
  if (qconfig !== null && qconfig.weight) return () => qconfig.weight();
  return () => defaultDynamicQconfig.weight() as unknown as ObserverLike;
}

/** Dynamic recurrent layers pack qint8 or float16 weights only. */
export function checkDynamicRNNDtype(dtype: DType): void {
  if (dtype !== qint8 && dtype !== float16) throw new TorchError(`Unsupported dtype for dynamic RNN quantization: ${dtype}`);
}

/** Python's quantize_and_pack / fp16 packing of a float weight for from_float. */
export function observeAndQuantize(weight: Tensor, dtype: DType, makeObserver: () => ObserverLike): Tensor {
  if (dtype !== qint8) return weight.float();
  const observer = makeObserver();
  observer(weight);
  return quantizeWeight(weight.float(), observer);
}
