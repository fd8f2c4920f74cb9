// torch.ao.nn.quantized.modules.linear.LinearPackedParams: a quantized weight and float bias packed
// for the current quantized engine (quantized::linear_prepack). Packed weights never leave the
// process: the state_dict holds (weight, bias) unpacked, under Python's keys and version 3.
import { NotImplementedError, TorchError } from '../../errors';
import { PackedParams, prepack, qop } from './ops';
import { Tensor } from '../../tensor/tensor';
import { aten } from '../../tensor/aten';
import { DType, qint8, toDType, DTypeLike } from '../../tensor/dtype';
import { Module, StateDict, LocalMetadata } from '../module';
import { asTuple } from '../../serialization/py-types';

const emptyAffineQuantized = aten('_empty_affine_quantized', '');

function checkDtype(dtype: DType): void {
  if (dtype !== qint8) throw new NotImplementedError(`torch-node's quantized linear layers support dtype torch.qint8 only, got ${dtype}`);
}

export { PackedParams };

export class LinearPackedParams extends Module {
  dtype: DType;
  /** the packed LinearPackedParamsBase (Python's self._packed_params) */
  _packed_params!: PackedParams;

  /** LinearPackedParams(dtype = torch.qint8): a 1x1 placeholder weight until setWeightBias. */
  constructor(dtype: DTypeLike = qint8) {
    super();
    this.dtype = toDType(dtype);
    checkDtype(this.dtype);
    const wq = emptyAffineQuantized([[1, 1]], { scale: 1.0, zeroPoint: 0, dtype: qint8.code }) as Tensor;
    this.setWeightBias(wq, null);
  }

  setWeightBias(weight: Tensor, bias: Tensor | null): void {
    checkDtype(this.dtype);
    this._packed_params = prepack('quantized::linear_prepack', weight, bias);
  }

  /** [weight (quantized), bias | null], unpacked. */
  _weightBias(): [Tensor, Tensor | null] {
    return qop<[Tensor, Tensor | null]>('quantized::linear_unpack', this._packed_params);
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    const entries = dest as Record<string, unknown>;
    entries[prefix + 'dtype'] = this.dtype;
    entries[prefix + '_packed_params'] = asTuple(this._weightBias());
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
    const take = (key: string): unknown => {
      if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
      const v = stateDict.get(prefix + key);
      stateDict.delete(prefix + key);
      return v;
    };
    // version 1 had no dtype entry, versions 1-2 kept weight and bias as separate entries
    this.dtype = version === undefined || version < 2 ? qint8 : toDType(take('dtype') as DType);
    if (version === undefined || version < 3) {
      const weight = take('weight') as Tensor;
      this.setWeightBias(weight, (take('bias') as Tensor | null) ?? null);
    } else if (version === 3) {
      const packed = take('_packed_params');
      if (!Array.isArray(packed) || packed.length !== 2 || !(packed[0] instanceof Tensor)) {
        errorMsgs.push(`While loading "${prefix}_packed_params", expected a (weight, bias) tuple`);
      } else {
        this.setWeightBias(packed[0], (packed[1] as Tensor | null) ?? null);
      }
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  /** Python's repr: the (weight, bias) tuple. */
  toString(): string {
    const [w, b] = this._weightBias();
    return `(${String(w)}, ${b === null ? 'None' : String(b)})`;
  }
}
LinearPackedParams.prototype._version = 3;
