// Helpers shared by the quantized modules (torch/ao/nn/quantized/modules/utils.py): quantizing an
// observed float weight, the observer contract of from_float, Python's repr that hides packed params.
import { TorchError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { aten } from '../../tensor/aten';
import { DType, float64, int64, qint8, quint8, qint32, float32 } from '../../tensor/dtype';
import { quantizePerChannel, quantizePerTensor } from '../../ops/generated/functions';
import { Module } from '../module';
import { moduleRepr } from '../repr';
import { QScheme, perChannelAffine, perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric } from '../../ao/quantization/qscheme';
import '../../ao/quantization/tensor-methods';

/** What from_float needs of an observer or fake-quantize module (duck typed: they are torch.ao.quantization's). */
export interface ObserverLike {
  (x: Tensor): Tensor;
  calculateQparams(): [Tensor, Tensor];
  readonly dtype: DType;
  readonly qscheme: QScheme;
  readonly quantMin?: number;
  readonly quantMax?: number;
  readonly chAxis?: number;
  /** a fake-quantize module's observer */
  readonly activation_post_process?: ObserverLike;
}

/** A float module prepared for conversion: its qconfig and, once calibrated, its output observer. */
export interface ObservedModule extends Module {
  qconfig?: { weight(): ObserverLike; activation(): ObserverLike } | null;
  activation_post_process?: ObserverLike;
  weight_fake_quant?: ObserverLike;
}

export function observed(mod: Module): ObservedModule {
  return mod as ObservedModule;
}

/** mod.qconfig; Python's AttributeError when the module has none. */
export function qconfigOf(mod: Module): NonNullable<ObservedModule['qconfig']> {
  const qconfig = observed(mod).qconfig;
  if (!qconfig) throw new TorchError(`'${mod.constructor.name}' object has no attribute 'qconfig'`);
  return qconfig;
}

/** The module's output observer; Python's AttributeError when it has none. */
export function activationObserver(mod: Module): ObserverLike {
  const obs = observed(mod).activation_post_process;
  if (!obs) throw new TorchError(`'${mod.constructor.name}' object has no attribute 'activation_post_process'`);
  return obs;
}

/** float(scale), int(zero_point) of an observer's qparams. */
export function scaleZeroPoint(obs: ObserverLike): [number, number] {
  const [scale, zp] = obs.calculateQparams();
  return [scale.item() as number, Math.trunc(zp.item() as number)];
}

/** A new weight observer from mod.qconfig.weight(); Python's assertion when there is no qconfig. */
export function weightObserver(mod: Module, message = 'Input float module must have qconfig defined.'): ObserverLike {
  const qconfig = observed(mod).qconfig;
  if (!qconfig) throw new TorchError(message);
  return qconfig.weight();
}

const INT_RANGES = new Map<DType, [number, number]>([
  [qint8, [-128, 127]],
  [quint8, [0, 255]],
  [qint32, [-2147483648, 2147483647]],
]);

const makePerTensor = aten('_make_per_tensor_quantized_tensor', '');
const makePerChannel = aten('_make_per_channel_quantized_tensor', '');

/** Python's _clamp_weights: the integers clamped to the observer's narrower range, if it has one. */
function clampWeights(qweight: Tensor, observer: ObserverLike, scale: Tensor, zp: Tensor): Tensor {
  const obs = observer.activation_post_process ?? observer;
  const range = INT_RANGES.get(qweight.dtype);
  const min = obs.quantMin;
  const max = obs.quantMax;
  if (!range || min === undefined || max === undefined || (min <= range[0] && max >= range[1])) return qweight;
  const ints = qweight.intRepr().clamp(min, max);
  if (obs.qscheme === perTensorSymmetric || obs.qscheme === perTensorAffine) {
    return makePerTensor([ints, scale.item(), zp.item()]) as Tensor;
  }
  return makePerChannel([ints, scale, zp, obs.chAxis ?? 0]) as Tensor;
}

/** Python's _quantize_weight: the float weight quantized with the observer's qparams (qint8). */
export function quantizeWeight(floatWeight: Tensor, observer: ObserverLike): Tensor {
  const [scale, zp] = observer.calculateQparams();
  const q = observer.qscheme;
  let qweight: Tensor;
  if (q === perTensorSymmetric || q === perTensorAffine) {
    qweight = quantizePerTensor(floatWeight, scale.item() as number, Math.trunc(zp.item() as number), qint8);
  } else if (q === perChannelSymmetric || q === perChannelAffine) {
    qweight = quantizePerChannel(floatWeight, scale.to(float64), zp.to(int64), observer.chAxis ?? 0, qint8);
  } else if (q === perChannelAffineFloatQparams) {
    qweight = quantizePerChannel(floatWeight, scale.to(float32), zp.to(float32), observer.chAxis ?? 0, observer.dtype);
  } else {
    throw new ValueError(`Unexpected qscheme ${String(q)}`);
  }
  return clampWeights(qweight, observer, scale, zp);
}

/** Python's hide_packed_params_repr: children of the packed-params class are not printed. */
export function hidePackedParamsRepr(mod: Module, params: abstract new (...args: never[]) => Module): string {
  const children = mod._ownModules().filter(([, m]) => !(m instanceof params));
  return moduleRepr(mod._getName(), mod.extraRepr(), children);
}

/** Python's type(mod) in from_float's errors, by class name. */
export function classRepr(mod: Module): string {
  return `<class '${mod.constructor.name}'>`;
}

/** A state_dict scalar (a 0-dim tensor or a number) as a JS number. */
export function scalarOf(v: unknown): number {
  return v instanceof Tensor ? (v.item() as number) : Number(v);
}

/** A module class as from_float compares it (Python's _FLOAT_MODULE): by identity and name. */
export type ModuleClass = { readonly name: string; readonly prototype: object };
