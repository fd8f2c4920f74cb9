// torch.ao.nn.quantized.reference's shared part (modules/utils.py): a reference quantized module keeps
// its float weight and the weight's qparams (buffers weight_scale / weight_zero_point / weight_axis,
// attributes weight_qscheme / weight_dtype); forward quantizes and dequantizes the weight, so a
// backend can pattern-match "dequant -> float op -> quant" into its own quantized kernel.
import { AssertionError, TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { tensor } from '../../../tensor/create';
import { DType, float16, float32, int32, qint32, qint8, quint4x2, quint8 } from '../../../tensor/dtype';
import { DeviceLike } from '../../../tensor/device';
import { quantizePerChannel, quantizePerTensor } from '../../../ops/generated/functions';
import { QScheme, perChannelAffine, perChannelAffineFloatQparams, perTensorAffine } from '../../../ao/quantization/qscheme';
import { Module, StateDict, LocalMetadata } from '../../module';

/**
 * A weight's quantization parameters (Python's weight_qparams dict, its keys kept): qscheme (null
 * keeps the weight float), dtype, then for a quantized dtype scale and zero_point (numbers or
 * tensors) and, per channel, axis. `zeroPoint` is taken for `zero_point`.
 */
export interface WeightQparams {
  qscheme: QScheme | null;
  dtype: DType;
  scale?: number | Tensor;
  zero_point?: number | Tensor;
  zeroPoint?: number | Tensor;
  axis?: number | Tensor;
}

/** The default when none is given: per-tensor quint8 with scale 1 and zero point 0. */
export function defaultWeightQparams(): WeightQparams {
  return { qscheme: perTensorAffine, dtype: quint8, scale: 1.0, zero_point: 0 };
}

const QUANTIZED_WEIGHT_DTYPES: DType[] = [quint8, qint8, quint4x2, qint32];

/** A qparam as a buffer: a given tensor cloned (and detached), a number as a 0-dim tensor. */
function asBuffer(v: number | Tensor, dtype: DType, device: DeviceLike | null | undefined): Tensor {
  return v instanceof Tensor ? v.clone().detach() : tensor(v, { dtype, device: device ?? undefined });
}

export const zeroPointOf = (q: WeightQparams): number | Tensor | undefined => q.zero_point ?? q.zeroPoint;

/** What a reference module keeps of its weight's qparams. */
export interface WeightQparamsHolder extends Module {
  weight_qscheme: QScheme | null;
  weight_dtype: DType;
  weight_scale: Tensor;
  weight_zero_point: Tensor;
  weight_axis: Tensor;
}

/** Python's ReferenceQuantizedModule._init_weight_qparams: the attributes and the three buffers. */
export function initWeightQparams(mod: Module, weightQparams: WeightQparams | null | undefined, device?: DeviceLike | null): void {
  const q = weightQparams ?? defaultWeightQparams();
  const self = mod as WeightQparamsHolder;
  self.weight_qscheme = q.qscheme;
  self.weight_dtype = q.dtype;
  const supported = [null, perTensorAffine, perChannelAffine, perChannelAffineFloatQparams];
  if (!supported.includes(q.qscheme)) throw new AssertionError(`qscheme: ${String(q.qscheme)} is not support in reference quantized ${mod._getName()}`);
  if (QUANTIZED_WEIGHT_DTYPES.includes(q.dtype)) {
    const zp = zeroPointOf(q) as number | Tensor;
    mod.registerBuffer('weight_scale', asBuffer(q.scale as number | Tensor, float32, device));
    mod.registerBuffer('weight_zero_point', asBuffer(zp, zp instanceof Tensor ? zp.dtype : int32, device));
    // per tensor, the axis is kept only so every module has the same buffers
    const perChannel = q.qscheme === perChannelAffine || q.qscheme === perChannelAffineFloatQparams;
    mod.registerBuffer('weight_axis', asBuffer(perChannel ? (q.axis as number | Tensor) : 0, int32, device));
  } else {
    mod.registerBuffer('weight_scale', asBuffer(1.0, float32, device));
    mod.registerBuffer('weight_zero_point', asBuffer(0, int32, device));
    mod.registerBuffer('weight_axis', asBuffer(0, int32, device));
  }
}

/** Python's _quantize_weight: the weight as a quantized tensor with its qparams (float16: cast). */
export function quantizeWeight(weight: Tensor, qscheme: QScheme | null, dtype: DType, scale: Tensor, zeroPoint: Tensor, axis: Tensor): Tensor {
  if (dtype === float16) return weight.to(dtype);
  if (qscheme === perTensorAffine && [quint8, qint8, qint32].includes(dtype)) {
    return quantizePerTensor(weight, scale, zeroPoint, dtype);
  }
  if ((qscheme === perChannelAffine || qscheme === perChannelAffineFloatQparams) && QUANTIZED_WEIGHT_DTYPES.includes(dtype)) {
    return quantizePerChannel(weight, scale, zeroPoint, axis.item() as number, dtype);
  }
  throw new TorchError(`Unsupported dtype and qscheme: ${String(dtype)}, ${qscheme === null ? "None" : String(qscheme)}`);
}

/** Python's _quantize_and_dequantize_weight: the weight as the quantized kernel would see it. */
export function quantizeAndDequantizeWeight(weight: Tensor, qscheme: QScheme | null, dtype: DType, scale: Tensor, zeroPoint: Tensor, axis: Tensor): Tensor {
  if (qscheme === perTensorAffine || qscheme === perChannelAffine || qscheme === perChannelAffineFloatQparams) {
    return quantizeWeight(weight, qscheme, dtype, scale, zeroPoint, axis).dequantize();
  }
  return weight;
}

/** get_weight() of a module holding `weight` and its qparams. */
export function getWeight(mod: WeightQparamsHolder & { weight: Tensor }): Tensor {
  return quantizeAndDequantizeWeight(mod.weight, mod.weight_qscheme, mod.weight_dtype, mod.weight_scale, mod.weight_zero_point, mod.weight_axis);
}

/** get_quantized_weight() of a module holding `weight` and its qparams. */
export function getQuantizedWeight(mod: WeightQparamsHolder & { weight: Tensor }): Tensor {
  return quantizeWeight(mod.weight, mod.weight_qscheme, mod.weight_dtype, mod.weight_scale, mod.weight_zero_point, mod.weight_axis);
}

/** Python's _save_weight_qparams: the qscheme and dtype join the state_dict (the buffers are already in). */
export function saveWeightQparams(dest: StateDict, prefix: string, mod: WeightQparamsHolder): void {
  const sd = dest as unknown as Record<string, unknown>;
  sd[prefix + 'weight_qscheme'] = mod.weight_qscheme;
  sd[prefix + 'weight_dtype'] = mod.weight_dtype;
}

/**
 * Python's _load_from_state_dict of a reference module: weight_qscheme, weight_dtype and (quantized)
 * weight_scale / weight_zero_point are taken as they are (their shapes may differ from the defaults)
 * and removed; the rest loads as usual, with this module's missing and unexpected keys not reported
 * (Python passes strict=False down).
 */
export function loadWeightQparams(mod: WeightQparamsHolder, stateDict: Map<string, unknown>, prefix: string): void {
  const keys = ['weight_qscheme', 'weight_dtype'];
  if (!stateDict.has(prefix + 'weight_qscheme')) throw new TorchError(`KeyError: '${prefix}weight_qscheme'`);
  if (stateDict.get(prefix + 'weight_qscheme') !== null) keys.push('weight_scale', 'weight_zero_point');
  const self = mod as unknown as Record<string, unknown>;
  for (const key of keys) {
    if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
    self[key] = stateDict.get(prefix + key);
    stateDict.delete(prefix + key);
  }
}

/** What every weight-holding reference module adds to its float class (installed by installReferenceMembers). */
export interface ReferenceMembers {
  weight_qscheme: QScheme | null;
  weight_dtype: DType;
  weight_scale: Tensor;
  weight_zero_point: Tensor;
  weight_axis: Tensor;
  /** The weight quantized and dequantized: what the quantized kernel would compute with. */
  getWeight(): Tensor;
  /** The weight as a quantized tensor. */
  getQuantizedWeight(): Tensor;
}

type Overridable = {
  _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void;
  _loadFromStateDict(sd: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], meta?: LocalMetadata): void;
};

/**
 * Python's ReferenceQuantizedModule, mixed into a float layer class (Python inherits from both):
 * its repr name, getWeight / getQuantizedWeight, and the state_dict with the weight's qparams.
 * The float class's own _saveToStateDict / _loadFromStateDict run underneath.
 */
export function installReferenceMembers(cls: { prototype: object }, name: string): void {
  const base = Object.getPrototypeOf(cls.prototype) as Overridable;
  Object.assign(cls.prototype, {
    _getName: () => name,
    getWeight(this: WeightQparamsHolder & { weight: Tensor }): Tensor {
      return getWeight(this);
    },
    getQuantizedWeight(this: WeightQparamsHolder & { weight: Tensor }): Tensor {
      return getQuantizedWeight(this);
    },
    _saveToStateDict(this: WeightQparamsHolder, dest: StateDict, prefix: string, keepVars: boolean): void {
      base._saveToStateDict.call(this, dest, prefix, keepVars);
      saveWeightQparams(dest, prefix, this);
    },
    _loadFromStateDict(this: WeightQparamsHolder, sd: Map<string, unknown>, prefix: string, _m: string[], _u: string[], errors: string[], meta: LocalMetadata = {}): void {
      loadWeightQparams(this, sd, prefix);
      // Python loads the rest with strict=False: this module's own missing/unexpected keys go unreported
      base._loadFromStateDict.call(this, sd, prefix, [], [], errors, meta);
    },
  });
}
