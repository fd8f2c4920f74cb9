// The packed weights of one direction of one dynamic quantized RNN layer: libtorch's
// QuantizedCellParamsDynamic (qint8 weights, quantized::linear_prepack, activations quantized per
// call, reduce_range from format version 2 on) or QuantizedCellParamsFP16 (float16 weights,
// quantized::linear_prepack_fp16). Their state is what CellParamsBase.__getstate__ returns:
// ('quantized_dynamic', [b_ih, b_hh], [], [reduce_range], [packed_ih, packed_hh]) or
// ('quantized_fp16', [], [], [], [packed_ih, packed_hh]).
import { TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { DType, float16, qint8 } from '../../../tensor/dtype';
import { asTuple } from '../../../serialization/py-types';
import { PackedParams, prepack, qop } from '../ops';
import { CELL_PARAMS_CLASS, ScriptObject, linearPackedObject, linearPackedState, scriptObjectState } from './script-object';

/** Python's pack_weight_bias: a qint8 weight for quantized::linear_prepack, any other (float) for linear_prepack_fp16. */
export function packWeightBias(weight: Tensor, bias: Tensor | null, dtype: DType): PackedParams {
  return dtype === qint8 ? prepack('quantized::linear_prepack', weight, bias) : prepack('quantized::linear_prepack_fp16', weight, bias);
}

/** (weight, bias) of packed linear params of either kind. */
export function unpackWeightBias(packed: PackedParams, dtype: DType): [Tensor, Tensor | null] {
  return qop<[Tensor, Tensor | null]>(dtype === qint8 ? 'quantized::linear_unpack' : 'quantized::linear_unpack_fp16', packed);
}

/** packed(x): the dynamic linear of packed weights (its bias included). */
export function applyDynamic(x: Tensor, packed: PackedParams, dtype: DType, reduceRange: boolean): Tensor {
  return dtype === qint8 ? qop('quantized::linear_dynamic', x, packed, reduceRange) : qop('quantized::linear_dynamic_fp16', x, packed);
}

export class CellParams {
  private constructor(
    /** qint8 (quantized_dynamic) or float16 (quantized_fp16) */
    readonly dtype: DType,
    readonly packedIh: PackedParams,
    readonly packedHh: PackedParams,
    /** the float biases the qint8 kind keeps beside its packed weights (its state carries them) */
    readonly bIh: Tensor | null,
    readonly bHh: Tensor | null,
    readonly reduceRange: boolean,
  ) {
    // shared, never changed: module copies (nn.deepcopy) keep the same packed weights
    Object.freeze(this);
  }

  /** make_quantized_cell_params_dynamic(packed_ih, packed_hh, b_ih, b_hh, reduce_range) */
  static dynamic(packedIh: PackedParams, packedHh: PackedParams, bIh: Tensor | null, bHh: Tensor | null, reduceRange: boolean): CellParams {
    return new CellParams(qint8, packedIh, packedHh, bIh, bHh, reduceRange);
  }

  /** make_quantized_cell_params_fp16(packed_ih, packed_hh) */
  static fp16(packedIh: PackedParams, packedHh: PackedParams, dtype: DType): CellParams {
    return new CellParams(dtype, packedIh, packedHh, null, null, false);
  }

  /** Weights and biases packed for dtype, as RNNBase's __init__, set_weight_bias and from_float do. */
  static pack(wIh: Tensor, wHh: Tensor, bIh: Tensor | null, bHh: Tensor | null, dtype: DType, version: number | undefined): CellParams {
    const packedIh = packWeightBias(wIh, bIh, dtype);
    const packedHh = packWeightBias(wHh, bHh, dtype);
    if (dtype !== qint8) return CellParams.fp16(packedIh, packedHh, dtype);
    return CellParams.dynamic(packedIh, packedHh, bIh, bHh, version !== undefined && version >= 2);
  }

  linearIh(x: Tensor): Tensor {
    return applyDynamic(x, this.packedIh, this.dtype, this.reduceRange);
  }

  linearHh(h: Tensor): Tensor {
    return applyDynamic(h, this.packedHh, this.dtype, this.reduceRange);
  }

  /** [[w_ih, b_ih], [w_hh, b_hh]] unpacked. */
  weightBias(): [[Tensor, Tensor | null], [Tensor, Tensor | null]] {
    return [unpackWeightBias(this.packedIh, this.dtype), unpackWeightBias(this.packedHh, this.dtype)];
  }

  /** The CellParamsBase object Python's state_dict holds. */
  toScriptObject(): ScriptObject {
    const [[wIh, bIh], [wHh, bHh]] = this.weightBias();
    const packed = [linearPackedObject(wIh, bIh), linearPackedObject(wHh, bHh)];
    if (this.dtype !== qint8) return new ScriptObject(CELL_PARAMS_CLASS, asTuple(['quantized_fp16', [], [], [], packed]));
    return new ScriptObject(CELL_PARAMS_CLASS, asTuple(['quantized_dynamic', [this.bIh, this.bHh], [], [this.reduceRange ? 1 : 0], packed]));
  }

  /** CellParamsBase.__setstate__: the packed weights rebuilt from a state_dict's object. */
  static fromScriptObject(v: unknown, where: string): CellParams {
    const state = scriptObjectState(v, CELL_PARAMS_CLASS, where);
    const [kind, tensors, , ints, packed] = state as [string, (Tensor | null)[], number[], number[], unknown[]];
    if (state.length !== 5 || !Array.isArray(packed) || packed.length !== 2) throw new TorchError(`${where}: malformed CellParamsBase state`);
    const [wbIh, wbHh] = packed.map((p) => linearPackedState(p, where));
    if (kind === 'quantized_dynamic') {
      if (!Array.isArray(tensors) || tensors.length !== 2) throw new TorchError(`${where}: quantized_dynamic cell params hold two biases`);
      const reduceRange = Array.isArray(ints) && ints.length > 0 && Boolean(ints[0]);
      return CellParams.dynamic(packWeightBias(...wbIh, qint8), packWeightBias(...wbHh, qint8), tensors[0], tensors[1], reduceRange);
    }
    if (kind === 'quantized_fp16') {
      return CellParams.fp16(packWeightBias(...wbIh, float16), packWeightBias(...wbHh, float16), float16);
    }
    throw new TorchError(`${where}: torch-node cannot rebuild '${String(kind)}' cell params`);
  }
}
