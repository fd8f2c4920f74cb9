// nn.Embedding and nn.EmbeddingBag (torch/nn/modules/sparse.py).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { noGrad } from '../../autograd/grad-mode';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { embedding, embeddingBag } from '../functional/embedding';
import { ArgsOf, checkKeywords, keysOf, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyBool, pyFloat } from '../../py-format';

interface LookupOptions {
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  paddingIdx?: number | null;
}
const LOOKUP_KEYS = keysOf<LookupOptions>()('maxNorm', 'normType', 'scaleGradByFreq', 'sparse', 'paddingIdx');

export interface EmbeddingOptions extends LookupOptions, FactoryOptions {
  /** the weight to use as is (from_pretrained), instead of a fresh N(0, 1) one */
  _weight?: Tensor | null;
}

/** Embedding's parameters by name: Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None). */
export interface EmbeddingArgs extends EmbeddingOptions {
  numEmbeddings: number;
  embeddingDim: number;
}
const EMBEDDING = signature<EmbeddingArgs>()(
  ['numEmbeddings', 'embeddingDim'],
  ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', '_weight', ...FACTORY_KEYS],
);

/** EmbeddingBag's own settings, beside Embedding's. */
interface BagOptions {
  mode?: 'sum' | 'mean' | 'max';
  includeLastOffset?: boolean;
}
const BAG_KEYS = keysOf<BagOptions>()('mode', 'includeLastOffset');

export interface EmbeddingBagOptions extends EmbeddingOptions, BagOptions {}

/** EmbeddingBag's parameters by name: EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False, padding_idx=None). */
export interface EmbeddingBagArgs extends EmbeddingBagOptions {
  numEmbeddings: number;
  embeddingDim: number;
}
const EMBEDDING_BAG = signature<EmbeddingBagArgs>()(
  ['numEmbeddings', 'embeddingDim'],
  ['maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', '_weight', 'includeLastOffset', 'paddingIdx', ...FACTORY_KEYS],
);

/** from_pretrained's options: the lookup settings, and whether the weight stays frozen (default true). */
export interface FromPretrainedOptions extends LookupOptions {
  freeze?: boolean;
}
const FROM_PRETRAINED_KEYS = keysOf<Omit<FromPretrainedOptions, keyof LookupOptions>>()('freeze');

export interface EmbeddingBagForwardOptions {
  offsets?: Tensor | null;
  perSampleWeights?: Tensor | null;
}
const BAG_FORWARD_KEYS = keysOf<EmbeddingBagForwardOptions>()('offsets', 'perSampleWeights');

/** A negative padding index counts from the end; out of range is PyTorch's assertion. */
function resolvePaddingIdx(paddingIdx: number | null | undefined, numEmbeddings: number, what: string): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) throw new TorchError(`${what} must be within num_embeddings`);
  return paddingIdx < 0 ? numEmbeddings + paddingIdx : paddingIdx;
}

abstract class EmbeddingBase extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;

  readonly numEmbeddings: number;
  readonly embeddingDim: number;

  /** `options`: the parameters as bound by EMBEDDING or EMBEDDING_BAG */
  constructor(options: EmbeddingArgs, paddingWhat: string) {
    super();
    const { numEmbeddings, embeddingDim } = options;
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = resolvePaddingIdx(options.paddingIdx, numEmbeddings, paddingWhat);
    this.maxNorm = options.maxNorm ?? null;
    this.normType = options.normType ?? 2;
    this.scaleGradByFreq = options.scaleGradByFreq ?? false;
    this.sparse = options.sparse ?? false;
    const given = options._weight;
    if (given === undefined || given === null) {
      this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { device: options.device, dtype: options.dtype }));
      this.resetParameters();
    } else {
      if (given.shape.join() !== `${numEmbeddings},${embeddingDim}`) {
        throw new TorchError('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(given);
    }
  }

  resetParameters(): void {
    init.normal_(this.weight);
    this._fillPaddingIdxWithZero();
  }

  protected _fillPaddingIdxWithZero(): void {
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }

  /** the optional settings both layers print, in PyTorch's order */
  protected _normRepr(): string {
    let s = '';
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += `, scale_grad_by_freq=${pyBool(this.scaleGradByFreq)}`;
    return s;
  }
}

/** A lookup table: row i of `weight` for each index i of the input. */
export class Embedding extends EmbeddingBase {
  /** Embedding(numEmbeddings, embeddingDim, paddingIdx?, maxNorm?, normType = 2, scaleGradByFreq = false, sparse = false, _weight?, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof EMBEDDING>) {
    super(EMBEDDING.bind('Embedding', args), 'Padding_idx');
  }

  /** An Embedding over `embeddings` (shared, not copied); frozen unless freeze is false. */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    checkKeywords('Embedding.fromPretrained', options, LOOKUP_KEYS, FROM_PRETRAINED_KEYS);
    if (embeddings.dim() !== 2) throw new TorchError('Embeddings parameter is expected to be 2-dimensional');
    const { freeze = true, ...rest } = options;
    const [rows, cols] = embeddings.shape;
    const m = new Embedding(rows, cols, { ...rest, _weight: embeddings });
    m.weight.requiresGrad_(!freeze);
    return m;
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      sparse: this.sparse,
    });
  }

  extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    s += this._normRepr();
    if (this.sparse) s += ', sparse=True';
    return s;
  }
}

/** Sums, averages or takes the max of the embeddings of each bag of indices, without materialising them. */
export class EmbeddingBag extends EmbeddingBase {
  readonly mode: 'sum' | 'mean' | 'max';
  readonly includeLastOffset: boolean;

  /** EmbeddingBag(numEmbeddings, embeddingDim, maxNorm?, normType = 2, scaleGradByFreq = false, mode = 'mean', sparse = false, _weight?, includeLastOffset = false, paddingIdx?, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof EMBEDDING_BAG>) {
    const options = EMBEDDING_BAG.bind('EmbeddingBag', args);
    super(options, 'padding_idx');
    this.mode = options.mode ?? 'mean';
    this.includeLastOffset = options.includeLastOffset ?? false;
  }

  static fromPretrained(
    embeddings: Tensor,
    options: FromPretrainedOptions & BagOptions = {},
  ): EmbeddingBag {
    checkKeywords('EmbeddingBag.fromPretrained', options, LOOKUP_KEYS, FROM_PRETRAINED_KEYS, BAG_KEYS);
    if (embeddings.dim() !== 2) throw new TorchError('Embeddings parameter is expected to be 2-dimensional');
    const { freeze = true, ...rest } = options;
    const [rows, cols] = embeddings.shape;
    const m = new EmbeddingBag(rows, cols, { ...rest, _weight: embeddings });
    m.weight.requiresGrad_(!freeze);
    return m;
  }

  /** forward(input, offsets?, perSampleWeights?) or forward(input, { offsets, perSampleWeights }) */
  forward(
    input: Tensor,
    offsets: Tensor | null | EmbeddingBagForwardOptions = null,
    perSampleWeights: Tensor | null = null,
  ): Tensor {
    if (offsets !== null && !(offsets instanceof Tensor)) {
      checkKeywords('EmbeddingBag.forward', offsets, BAG_FORWARD_KEYS);
      perSampleWeights = offsets.perSampleWeights ?? null;
      offsets = offsets.offsets ?? null;
    }
    return embeddingBag(input, this.weight, {
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

  extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}${this._normRepr()}, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
