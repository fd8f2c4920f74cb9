// torch.ao.nn.quantized.Embedding and EmbeddingBag: rows quantized per row (quint8 or quint4x2,
// per_channel_affine_float_qparams) and packed (quantized::embedding_bag_prepack); lookups return
// float. The state_dict holds the unpacked weight under _packed_params, as Python saves it.
import { AssertionError, NotImplementedError, TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { ones, zeros } from '../../tensor/create';
import { DType, DTypeLike, quint4x2, quint8, toDType } from '../../tensor/dtype';
import { aten } from '../../tensor/aten';
import { Module, StateDict, LocalMetadata } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { Embedding as FloatEmbedding, EmbeddingBag as FloatEmbeddingBag } from '../layers/embedding';
import { perChannelAffineFloatQparams } from '../../ao/quantization/qscheme';
import { floatQparamsWeightOnlyQconfig } from '../../ao/quantization/qconfig';
import { PackedParams, prepack, qop } from './ops';
import { ObserverLike, hidePackedParamsRepr, observed, quantizeWeight } from './utils';

const emptyPerChannel = aten('_empty_per_channel_affine_quantized', '');

/** A [num, dim] quantized weight of ones scales and zero offsets: the placeholder until setWeight. */
function placeholderWeight(numEmbeddings: number, embeddingDim: number, dtype: DType): Tensor {
  return emptyPerChannel([[numEmbeddings, embeddingDim]], { scales: ones([numEmbeddings]), zeroPoints: zeros([numEmbeddings]), axis: 0, dtype: dtype.code }) as Tensor;
}

export class EmbeddingPackedParams extends Module {
  dtype: DType;
  _packed_weight!: PackedParams;

  /** EmbeddingPackedParams(numEmbeddings, embeddingDim, dtype = torch.quint8) */
  constructor(numEmbeddings: number, embeddingDim: number, dtype: DTypeLike = quint8) {
    super();
    this.dtype = toDType(dtype);
    if (this.dtype !== quint8 && this.dtype !== quint4x2) {
      throw new NotImplementedError(`Unsupported dtype on quantized embedding! Supports quint8 and quint4x2. Got dtype: ${this.dtype}`);
    }
    this.setWeight(placeholderWeight(numEmbeddings, embeddingDim, this.dtype));
  }

  setWeight(weight: Tensor): void {
    this._packed_weight = prepack('quantized::embedding_bag_prepack', weight);
  }
  _weight(): Tensor {
    return qop('quantized::embedding_bag_unpack', this._packed_weight);
  }
  forward(x: Tensor): Tensor {
    return x;
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    const entries = dest as Record<string, unknown>;
    entries[prefix + 'dtype'] = this.dtype;
    entries[prefix + '_packed_weight'] = this._weight();
  }
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {},
  ): void {
    for (const key of ['dtype', '_packed_weight']) if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
    this.dtype = toDType(stateDict.get(prefix + 'dtype') as DType);
    this.setWeight(stateDict.get(prefix + '_packed_weight') as Tensor);
    stateDict.delete(prefix + 'dtype');
    stateDict.delete(prefix + '_packed_weight');
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  toString(): string {
    return String(this._weight());
  }
}

interface EmbeddingArgs {
  numEmbeddings: number; embeddingDim: number; paddingIdx?: number | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean;
  sparse?: boolean; _weight?: Tensor | null; dtype?: DTypeLike;
}
const EMBEDDING = signature<EmbeddingArgs>()(['numEmbeddings', 'embeddingDim'], ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', '_weight', 'dtype']);

/** The weight observer of from_float: it must be per_channel_affine_float_qparams, quint8 or quint4x2. */
function embeddingWeightObserver(mod: Module, cls: string, floatClass: { name: string }): ObserverLike {
  const m = observed(mod);
  let observer: ObserverLike;
  if (m.weight_fake_quant !== undefined) {
    observer = m.weight_fake_quant;
  } else {
    if (mod.constructor !== floatClass) throw new TorchError(`nnq.${cls}.from_float only works for ${floatClass.name}`);
    if (m.qconfig === undefined) throw new AssertionError(`${cls} input float module must have qconfig defined`);
    // a qconfig of None (or without a weight) falls back to float_qparams_weight_only_qconfig, as in Python
    observer = m.qconfig?.weight ? m.qconfig.weight() : (floatQparamsWeightOnlyQconfig.weight() as unknown as ObserverLike);
  }
  if (observer.qscheme !== perChannelAffineFloatQparams) throw new TorchError(`${cls} quantization is only supported with float_qparams_weight_only_qconfig.`);
  if (observer.dtype !== quint8 && observer.dtype !== quint4x2) {
    throw new TorchError(`The only supported dtype for nnq.${cls} is torch.quint8 and torch.quint4x2, got ${observer.dtype}`);
  }
  return observer;
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  dtype: DType;
  _packed_params: EmbeddingPackedParams;

  /** Embedding(numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, scaleGradByFreq, sparse, _weight = null, dtype = torch.quint8) */
  constructor(...args: ArgsOf<typeof EMBEDDING>) {
    super();
    const { numEmbeddings, embeddingDim, _weight = null, dtype = quint8 } = EMBEDDING.bind(new.target.name, args);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.dtype = toDType(dtype);
    let qweight: Tensor;
    if (_weight === null) {
      qweight = placeholderWeight(numEmbeddings, embeddingDim, quint8);
    } else {
      if (_weight.shape.length !== 2 || _weight.shape[0] !== numEmbeddings || _weight.shape[1] !== embeddingDim) {
        throw new TorchError('Shape of weight does not match num_embeddings and embedding_dim');
      }
      qweight = _weight;
    }
    this._packed_params = new EmbeddingPackedParams(numEmbeddings, embeddingDim, this.dtype);
    this._packed_params.setWeight(qweight);
  }

  forward(indices: Tensor): Tensor {
    const op = this.dtype === quint4x2 ? 'quantized::embedding_4bit' : 'quantized::embedding_byte';
    return qop(op, this._packed_params._packed_weight, indices);
  }

  _getName(): string {
    return 'QuantizedEmbedding';
  }
  extraRepr(): string {
    return `num_embeddings=${this.numEmbeddings}, embedding_dim=${this.embeddingDim}, dtype=${this._packed_params.dtype}, qscheme=${this.weight().qscheme()}`;
  }
  toString(): string {
    return hidePackedParamsRepr(this, EmbeddingPackedParams);
  }

  setWeight(w: Tensor): void {
    this._packed_params.setWeight(w);
  }
  weight(): Tensor {
    return this._packed_params._weight();
  }

  /** Python's from_float: rows quantized by the qconfig's (or a QAT module's) float-qparams observer. */
  static fromFloat(mod: Module): Embedding {
    const observer = embeddingWeightObserver(mod, 'Embedding', FloatEmbedding);
    const float = mod as Module & { weight: Tensor; numEmbeddings: number; embeddingDim: number };
    observer(float.weight);
    const q = new Embedding(float.numEmbeddings, float.embeddingDim);
    q.setWeight(quantizeWeight(float.weight.float(), observer));
    return q;
  }
}
Embedding.prototype._version = 1;

interface EmbeddingBagArgs {
  numEmbeddings: number; embeddingDim: number; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean; mode?: 'sum' | 'mean' | 'max';
  sparse?: boolean; _weight?: Tensor | null; includeLastOffset?: boolean; dtype?: DTypeLike;
}
const EMBEDDING_BAG = signature<EmbeddingBagArgs>()(
  ['numEmbeddings', 'embeddingDim'], ['maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', '_weight', 'includeLastOffset', 'dtype'],
);

export class EmbeddingBag extends Embedding {
  mode: string;
  prunedWeights = false;
  includeLastOffset: boolean;

  /** EmbeddingBag(numEmbeddings, embeddingDim, maxNorm, normType, scaleGradByFreq, mode = 'sum', sparse, _weight = null, includeLastOffset = false, dtype = torch.quint8) */
  constructor(...args: ArgsOf<typeof EMBEDDING_BAG>) {
    const { numEmbeddings, embeddingDim, mode = 'sum', _weight = null, includeLastOffset = false, dtype = quint8 } = EMBEDDING_BAG.bind('EmbeddingBag', args);
    super(numEmbeddings, embeddingDim, { _weight, dtype });
    this.mode = mode;
    this.includeLastOffset = includeLastOffset;
  }

  /** forward(indices, offsets, perSampleWeights, compressedIndicesMapping): sums per bag (Python passes mode 0 whatever `mode` says) */
  forward(indices: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null, compressedIndicesMapping: Tensor | null = null): Tensor {
    const op = this.dtype === quint4x2 ? 'quantized::embedding_bag_4bit' : 'quantized::embedding_bag_byte';
    return qop(op, this._packed_params._packed_weight, indices, offsets, false, 0, this.prunedWeights, perSampleWeights, compressedIndicesMapping, this.includeLastOffset);
  }

  _getName(): string {
    return 'QuantizedEmbeddingBag';
  }

  static fromFloat(mod: Module): EmbeddingBag {
    const observer = embeddingWeightObserver(mod, 'EmbeddingBag', FloatEmbeddingBag);
    const float = mod as Module & { weight: Tensor; numEmbeddings: number; embeddingDim: number };
    observer(float.weight);
    const q = new EmbeddingBag(float.numEmbeddings, float.embeddingDim, { dtype: observer.dtype });
    q.setWeight(quantizeWeight(float.weight.float(), observer));
    return q;
  }
}
EmbeddingBag.prototype._version = 1;
