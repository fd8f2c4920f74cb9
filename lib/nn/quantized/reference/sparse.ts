// torch.ao.nn.quantized.reference.Embedding / EmbeddingBag: the float lookups computing with their
// weight quantized and dequantized. Python 1.13 gives them no _IS_REFERENCE, so convert() calls
// their from_float without qparams (a TypeError there, and here); both print as
// QuantizedEmbedding(Reference), as Python's do.
import { Tensor } from '../../../tensor/tensor';
import { DTypeLike } from '../../../tensor/dtype';
import { DeviceLike } from '../../../tensor/device';
import { ArgsOf, checkKeywords, keysOf, signature } from '../../../keywords';
import { Module } from '../../module';
import * as nn from '../../layers/embedding';
import { embedding, embeddingBag } from '../../functional/embedding';
import { ReferenceMembers, WeightQparams, initWeightQparams, installReferenceMembers } from './utils';
import { requireQparams } from './linear';

type Extra = { device?: DeviceLike | null; dtype?: DTypeLike | null; weightQparams?: WeightQparams | null };
const REF_EMBEDDING = signature<nn.EmbeddingArgs & Extra>()(
  ['numEmbeddings', 'embeddingDim'],
  ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', '_weight', 'device', 'dtype', 'weightQparams'],
);
const REF_EMBEDDING_BAG = signature<nn.EmbeddingBagArgs & Extra>()(
  ['numEmbeddings', 'embeddingDim'],
  ['maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', '_weight', 'includeLastOffset', 'paddingIdx', 'device', 'dtype', 'weightQparams'],
);

export interface Embedding extends ReferenceMembers {}
export class Embedding extends nn.Embedding {
  /** Embedding(numEmbeddings, embeddingDim, paddingIdx?, maxNorm?, normType = 2, scaleGradByFreq = false, sparse = false, _weight?, device?, dtype?, weightQparams?), any by name */
  constructor(...args: ArgsOf<typeof REF_EMBEDDING>) {
    const { weightQparams, ...rest } = REF_EMBEDDING.bind('Embedding', args);
    super(rest);
    initWeightQparams(this, weightQparams, rest.device);
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.getWeight(), {
      paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, sparse: this.sparse,
    });
  }

  /** from_float(mod, weightQparams): shares mod's weight (Python passes it as _weight). */
  static fromFloat(mod: Module, weightQparams?: WeightQparams): Embedding {
    const qparams = requireQparams('Embedding', 'weight_qparams', weightQparams);
    const m = mod as nn.Embedding;
    return new Embedding(m.numEmbeddings, m.embeddingDim, {
      paddingIdx: m.paddingIdx, maxNorm: m.maxNorm, normType: m.normType, scaleGradByFreq: m.scaleGradByFreq, sparse: m.sparse,
      _weight: m.weight, device: m.weight.device, dtype: m.weight.dtype, weightQparams: qparams,
    });
  }
}

interface BagForwardOptions {
  offsets?: Tensor | null;
  perSampleWeights?: Tensor | null;
}
const BAG_FORWARD_KEYS = keysOf<BagForwardOptions>()('offsets', 'perSampleWeights');

export interface EmbeddingBag extends ReferenceMembers {}
export class EmbeddingBag extends nn.EmbeddingBag {
  /** EmbeddingBag(numEmbeddings, embeddingDim, maxNorm?, normType = 2, scaleGradByFreq = false, mode = 'mean', sparse = false, _weight?, includeLastOffset = false, paddingIdx?, device?, dtype?, weightQparams?), any by name */
  constructor(...args: ArgsOf<typeof REF_EMBEDDING_BAG>) {
    const { weightQparams, ...rest } = REF_EMBEDDING_BAG.bind('EmbeddingBag', args);
    super(rest);
    initWeightQparams(this, weightQparams, rest.device);
  }

  /** forward(input, offsets?, perSampleWeights?) or forward(input, { offsets, perSampleWeights }) */
  forward(input: Tensor, offsets: Tensor | null | BagForwardOptions = null, perSampleWeights: Tensor | null = null): Tensor {
    if (offsets !== null && !(offsets instanceof Tensor)) {
      checkKeywords('EmbeddingBag.forward', offsets, BAG_FORWARD_KEYS);
      perSampleWeights = offsets.perSampleWeights ?? null;
      offsets = offsets.offsets ?? null;
    }
    return embeddingBag(input, this.getWeight(), {
      offsets, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, mode: this.mode, sparse: this.sparse,
      perSampleWeights, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx,
    });
  }

  /** from_float(mod, weightQparams): shares mod's weight (Python passes it as _weight). */
  static fromFloat(mod: Module, weightQparams?: WeightQparams): EmbeddingBag {
    const qparams = requireQparams('EmbeddingBag', 'weight_qparams', weightQparams);
    const m = mod as nn.EmbeddingBag;
    return new EmbeddingBag(m.numEmbeddings, m.embeddingDim, {
      maxNorm: m.maxNorm, normType: m.normType, scaleGradByFreq: m.scaleGradByFreq, mode: m.mode, sparse: m.sparse, _weight: m.weight,
      includeLastOffset: m.includeLastOffset, paddingIdx: m.paddingIdx, device: m.weight.device, dtype: m.weight.dtype, weightQparams: qparams,
    });
  }
}

installReferenceMembers(Embedding, 'QuantizedEmbedding(Reference)');
installReferenceMembers(EmbeddingBag, 'QuantizedEmbedding(Reference)');
