// nn.qat.Embedding and nn.qat.EmbeddingBag (torch/ao/nn/qat/modules/embedding_ops.py): lookups
// through a fake-quantized weight. Embedding weights are quantized per row with float qparams, so
// the qconfig's weight must use torch.per_channel_affine_float_qparams (Python's assertions).
import { AssertionError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Embedding as FloatEmbedding, EmbeddingBag as FloatEmbeddingBag, EmbeddingArgs, EmbeddingBagArgs, EmbeddingBagForwardOptions } from '../layers/embedding';
import { embedding, embeddingBag } from '../functional/embedding';
import { ArgsOf, checkKeywords, signature } from '../../keywords';
import { perChannelAffineFloatQparams } from '../../ao/quantization/qscheme';
import { QConfigLike, floatQconfig, requireQconfig, weightFakeQuant } from './qconfig';

/** qat.Embedding's parameters by name: Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, device=None, dtype=None, qconfig=None). */
export interface QatEmbeddingArgs extends EmbeddingArgs {
  qconfig?: QConfigLike | null;
}
const QAT_EMBEDDING = signature<QatEmbeddingArgs>()(
  ['numEmbeddings', 'embeddingDim'],
  ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', '_weight', 'device', 'dtype', 'qconfig'],
);

/** qat.EmbeddingBag's parameters by name: EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False, padding_idx=None, qconfig=None, device=None, dtype=None). */
export interface QatEmbeddingBagArgs extends EmbeddingBagArgs {
  qconfig?: QConfigLike | null;
}
const QAT_EMBEDDING_BAG = signature<QatEmbeddingBagArgs>()(
  ['numEmbeddings', 'embeddingDim'],
  ['maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', '_weight', 'includeLastOffset', 'paddingIdx', 'qconfig', 'device', 'dtype'],
);

/** Python's assertion that qconfig.weight() quantizes per row with float qparams. */
function checkFloatQparams(qconfig: QConfigLike, what: string): void {
  const qscheme = (qconfig.weight() as unknown as { qscheme?: unknown }).qscheme;
  if (qscheme !== perChannelAffineFloatQparams) {
    throw new AssertionError(`${what} weights requires a qscheme of torch.per_channel_affine_float_qparams Got ${String(qscheme)}`);
  }
}

/** from_float's checks, common to both: the exact float class, a qconfig, the weight's qscheme. */
function checkFloat(cls: { name: string }, floatCls: { name: string }, mod: Module, what: string): QConfigLike {
  if (mod.constructor !== floatCls) throw new AssertionError(` qat.${cls.name}.from_float only works for ${floatCls.name}`);
  const qconfig = floatQconfig(mod);
  checkFloatQparams(qconfig, what);
  return qconfig;
}

export class Embedding extends FloatEmbedding {
  qconfig: QConfigLike;
  weight_fake_quant: Module;

  /** Embedding(numEmbeddings, embeddingDim, paddingIdx?, maxNorm?, normType = 2, scaleGradByFreq = false, sparse = false, _weight?, { device, dtype, qconfig }) */
  constructor(...args: ArgsOf<typeof QAT_EMBEDDING>) {
    const { qconfig, ...options } = QAT_EMBEDDING.bind(new.target.name, args);
    super(options);
    this.qconfig = requireQconfig(qconfig);
    checkFloatQparams(this.qconfig, 'Embedding');
    this.weight_fake_quant = weightFakeQuant(this.qconfig, { device: options.device, dtype: options.dtype });
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight_fake_quant(this.weight), {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      sparse: this.sparse,
    });
  }

  /** Python's from_float: a QAT Embedding over (a Parameter sharing) the float module's weight. */
  static fromFloat(mod: Module): Embedding {
    const qconfig = checkFloat(Embedding, FloatEmbedding, mod, 'Embedding');
    const m = mod as FloatEmbedding;
    return new Embedding(m.numEmbeddings, m.embeddingDim, {
      paddingIdx: m.paddingIdx, maxNorm: m.maxNorm, normType: m.normType, scaleGradByFreq: m.scaleGradByFreq, sparse: m.sparse, _weight: m.weight, qconfig,
    });
  }

  /** Python's to_float: an nn.Embedding with a copy of the weight, in the same training mode. */
  toFloat(): FloatEmbedding {
    const float = new FloatEmbedding(this.numEmbeddings, this.embeddingDim, {
      paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, sparse: this.sparse,
    });
    float.weight = new Parameter(this.weight.detach());
    float.train(this.training);
    return float;
  }
}

const BAG_FORWARD_KEYS = ['offsets', 'perSampleWeights'];

export class EmbeddingBag extends FloatEmbeddingBag {
  qconfig: QConfigLike;
  weight_fake_quant: Module;

  /** EmbeddingBag(numEmbeddings, embeddingDim, maxNorm?, normType = 2, scaleGradByFreq = false, mode = 'mean', sparse = false, _weight?, includeLastOffset = false, paddingIdx?, qconfig, { device, dtype }) */
  constructor(...args: ArgsOf<typeof QAT_EMBEDDING_BAG>) {
    const { qconfig, ...options } = QAT_EMBEDDING_BAG.bind(new.target.name, args);
    super(options);
    this.qconfig = requireQconfig(qconfig);
    checkFloatQparams(this.qconfig, 'Embedding Bag');
    this.weight_fake_quant = weightFakeQuant(this.qconfig, { device: options.device, dtype: options.dtype });
  }

  /** forward(input, offsets?, perSampleWeights?) or forward(input, { offsets, perSampleWeights }) */
  forward(input: Tensor, offsets: Tensor | null | EmbeddingBagForwardOptions = null, perSampleWeights: Tensor | null = null): Tensor {
    if (offsets !== null && !(offsets instanceof Tensor)) {
      checkKeywords('EmbeddingBag.forward', offsets, BAG_FORWARD_KEYS);
      perSampleWeights = offsets.perSampleWeights ?? null;
      offsets = offsets.offsets ?? null;
    }
    return embeddingBag(input, this.weight_fake_quant(this.weight), {
      offsets,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      mode: this.mode,
      sparse: this.sparse,
      perSampleWeights,
      includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  /** Python's from_float: a QAT EmbeddingBag over (a Parameter sharing) the float module's weight. */
  static fromFloat(mod: Module): EmbeddingBag {
    const qconfig = checkFloat(EmbeddingBag, FloatEmbeddingBag, mod, 'Embedding Bag');
    const m = mod as FloatEmbeddingBag;
    return new EmbeddingBag(m.numEmbeddings, m.embeddingDim, {
      maxNorm: m.maxNorm, normType: m.normType, scaleGradByFreq: m.scaleGradByFreq, mode: m.mode, sparse: m.sparse, _weight: m.weight,
      includeLastOffset: m.includeLastOffset, paddingIdx: m.paddingIdx, qconfig,
    });
  }

  /** Python's to_float: an nn.EmbeddingBag with a copy of the weight, in the same training mode. */
  toFloat(): FloatEmbeddingBag {
    const float = new FloatEmbeddingBag(this.numEmbeddings, this.embeddingDim, {
      maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, mode: this.mode, sparse: this.sparse,
      includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx,
    });
    float.weight = new Parameter(this.weight.detach());
    float.train(this.training);
    return float;
  }
}
