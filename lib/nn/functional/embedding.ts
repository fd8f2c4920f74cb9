// F.embedding, F.embedding_bag and F.one_hot.
import { Tensor, TorchError, aten, noGrad, arange } from './torch';
import { Rest, parse } from './args';

const op = {
  embedding: aten('embedding'),
  embeddingRenorm_: aten('embedding_renorm_'),
  embeddingBag: aten('embedding_bag', 'padding_idx'),
  oneHot: aten('one_hot'),
};

/** max_norm: rows of `weight` used by `input` are rescaled in place (not recorded by autograd). */
function renorm(weight: Tensor, input: Tensor, maxNorm: number, normType: number): void {
  noGrad(() => op.embeddingRenorm_([weight.detach(), input, maxNorm, normType]));
}

export type EmbeddingOptions = { paddingIdx?: number | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean; sparse?: boolean };
const EMBEDDING = ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'] as const;

/** F.embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, sparse=False) */
export function embedding(input: Tensor, weight: Tensor, ...rest: Rest<EmbeddingOptions, typeof EMBEDDING>): Tensor {
  const o = parse<EmbeddingOptions>('embedding', rest, EMBEDDING);
  let paddingIdx = o.paddingIdx ?? -1;
  if (o.paddingIdx !== undefined && o.paddingIdx !== null) {
    const n = weight.size(0);
    if (paddingIdx >= n || paddingIdx < -n) throw new TorchError('Padding_idx must be within num_embeddings');
    if (paddingIdx < 0) paddingIdx += n;
  }
  if (o.maxNorm !== undefined && o.maxNorm !== null) {
    input = input.contiguous();
    renorm(weight, input, o.maxNorm, o.normType ?? 2);
  }
  return op.embedding([weight, input, paddingIdx, o.scaleGradByFreq ?? false, o.sparse ?? false]) as Tensor;
}

export type EmbeddingBagOptions = {
  offsets?: Tensor | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean;
  mode?: 'sum' | 'mean' | 'max'; sparse?: boolean; perSampleWeights?: Tensor | null; includeLastOffset?: boolean; paddingIdx?: number | null;
};
const EMBEDDING_BAG = ['offsets', 'maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', 'perSampleWeights', 'includeLastOffset', 'paddingIdx'] as const;
const BAG_MODES = { sum: 0, mean: 1, max: 2 } as const;

/** F.embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode='mean', sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None) */
export function embeddingBag(input: Tensor, weight: Tensor, ...rest: Rest<EmbeddingBagOptions, typeof EMBEDDING_BAG>): Tensor {
  const o = parse<EmbeddingBagOptions>('embeddingBag', rest, EMBEDDING_BAG);
  let offsets = o.offsets ?? null;
  let perSampleWeights = o.perSampleWeights ?? null;
  const mode = o.mode ?? 'mean';
  if (perSampleWeights && JSON.stringify(input.shape) !== JSON.stringify(perSampleWeights.shape)) {
    throw new TorchError(`embedding_bag: If per_sample_weights (${JSON.stringify(perSampleWeights.shape)}) is not None, then it must have the same shape as the input (${JSON.stringify(input.shape)})`);
  }
  if (input.dim() === 2) {
    if (offsets) throw new TorchError('if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences.');
    offsets = arange(0, input.numel(), input.size(1), { dtype: input.dtype, device: input.device });
    input = input.reshape(-1);
    if (perSampleWeights) perSampleWeights = perSampleWeights.reshape(-1);
  } else if (input.dim() === 1) {
    if (!offsets) throw new TorchError('offsets has to be a 1D Tensor but got None');
    if (offsets.dim() !== 1) throw new TorchError('offsets has to be a 1D Tensor');
  } else {
    throw new TorchError(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
  }
  if (!(mode in BAG_MODES)) throw new TorchError('mode has to be one of sum, mean or max');
  if (mode === 'max' && o.scaleGradByFreq) throw new TorchError('max mode does not support scaling the gradient by the frequency');
  if (mode === 'max' && o.sparse) throw new TorchError('max mode does not support sparse weights');
  if (o.maxNorm !== undefined && o.maxNorm !== null) renorm(weight, input, o.maxNorm, o.normType ?? 2);
  if (perSampleWeights && mode !== 'sum') {
    throw new TorchError(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  }
  const result = op.embeddingBag([weight, input, offsets, o.scaleGradByFreq ?? false, BAG_MODES[mode], o.sparse ?? false,
    perSampleWeights, o.includeLastOffset ?? false, o.paddingIdx ?? null]) as Tensor[];
  return result[0];
}

const ONE_HOT = ['numClasses'] as const;

/** F.one_hot(tensor, num_classes=-1): int64 one-hot rows; numClasses positionally or by name */
export function oneHot(tensor: Tensor, ...rest: Rest<{ numClasses?: number }, typeof ONE_HOT>): Tensor {
  const { numClasses = -1 } = parse<{ numClasses?: number }>('one_hot', rest, ONE_HOT);
  return op.oneHot([tensor, numClasses]) as Tensor;
}
