// Classification, ranking and embedding losses, with PyTorch's reduction ('mean' | 'sum' | 'none')
// and arguments: cross_entropy, nll, ctc, margin/hinge/soft-margin families, triplet, cosine.
import { Tensor, TorchError, aten } from './torch';
import { Rest, parse } from './args';
import { Reduction, LegacyReduction, reductionEnum, reductionOf } from './enums';
import { logsigmoid } from './activation';
import { pairwiseDistance } from './distance';

const op = {
  crossEntropy: aten('cross_entropy_loss'),
  nllLossNd: aten('nll_loss_nd'),
  ctcLoss: aten('ctc_loss', 'Tensor'),
  ctcLossList: aten('ctc_loss', 'IntList'),
  marginRanking: aten('margin_ranking_loss'),
  hingeEmbedding: aten('hinge_embedding_loss'),
  multilabelMargin: aten('multilabel_margin_loss'),
  softMargin: aten('soft_margin_loss'),
  cosineEmbedding: aten('cosine_embedding_loss'),
  multiMargin: aten('multi_margin_loss'),
  tripletMargin: aten('triplet_margin_loss'),
  minimum: aten('minimum'),
};

export type CrossEntropyOptions = LegacyReduction & { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction; labelSmoothing?: number };
const CROSS_ENTROPY = ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing'] as const;

/** F.cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0); target: class indices or probabilities */
export function crossEntropy(input: Tensor, target: Tensor, ...rest: Rest<CrossEntropyOptions, typeof CROSS_ENTROPY>): Tensor {
  if (rest.length === 0) return op.crossEntropy([input, target]) as Tensor;
  const o = parse<CrossEntropyOptions>('crossEntropy', rest, CROSS_ENTROPY);
  return op.crossEntropy([input, target, o.weight ?? null, reductionEnum(reductionOf(o)), o.ignoreIndex ?? -100, o.labelSmoothing ?? 0.0]) as Tensor;
}

export type NllLossOptions = LegacyReduction & { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction };
const NLL = ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'] as const;

/** F.nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean') */
export function nllLoss(input: Tensor, target: Tensor, ...rest: Rest<NllLossOptions, typeof NLL>): Tensor {
  const o = parse<NllLossOptions>('nllLoss', rest, NLL);
  return op.nllLossNd([input, target, o.weight ?? null, reductionEnum(reductionOf(o)), o.ignoreIndex ?? -100]) as Tensor;
}

type CtcOptions = { blank?: number; reduction?: Reduction; zeroInfinity?: boolean };
const CTC = ['blank', 'reduction', 'zeroInfinity'] as const;

/** F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean', zero_infinity=False) */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[], targetLengths: Tensor | number[], ...rest: Rest<CtcOptions, typeof CTC>): Tensor {
  const o = parse<CtcOptions>('ctcLoss', rest, CTC);
  const f = Array.isArray(inputLengths) ? op.ctcLossList : op.ctcLoss;
  return f([logProbs, targets, inputLengths, targetLengths, o.blank ?? 0, reductionEnum(o.reduction), o.zeroInfinity ?? false]) as Tensor;
}

type MarginOptions = LegacyReduction & { margin?: number; reduction?: Reduction };
const MARGIN = ['margin', 'sizeAverage', 'reduce', 'reduction'] as const;

/** F.margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean') */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, ...rest: Rest<MarginOptions, typeof MARGIN>): Tensor {
  const o = parse<MarginOptions>('marginRankingLoss', rest, MARGIN);
  if (input1.dim() !== input2.dim() || input1.dim() !== target.dim()) {
    throw new TorchError(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${JSON.stringify(input1.shape)}, input2: ${JSON.stringify(input2.shape)}, target: ${JSON.stringify(target.shape)} `);
  }
  return op.marginRanking([input1, input2, target, o.margin ?? 0, reductionEnum(reductionOf(o))]) as Tensor;
}

/** F.hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean') */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, ...rest: Rest<MarginOptions, typeof MARGIN>): Tensor {
  const o = parse<MarginOptions>('hingeEmbeddingLoss', rest, MARGIN);
  return op.hingeEmbedding([input, target, o.margin ?? 1.0, reductionEnum(reductionOf(o))]) as Tensor;
}

/** F.cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean') */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, ...rest: Rest<MarginOptions, typeof MARGIN>): Tensor {
  const o = parse<MarginOptions>('cosineEmbeddingLoss', rest, MARGIN);
  return op.cosineEmbedding([input1, input2, target, o.margin ?? 0, reductionEnum(reductionOf(o))]) as Tensor;
}

type ReductionOnly = LegacyReduction & { reduction?: Reduction };
const REDUCTION = ['sizeAverage', 'reduce', 'reduction'] as const;

/** F.multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') */
export function multilabelMarginLoss(input: Tensor, target: Tensor, ...rest: Rest<ReductionOnly, typeof REDUCTION>): Tensor {
  return op.multilabelMargin([input, target, reductionEnum(reductionOf(parse<ReductionOnly>('multilabelMarginLoss', rest, REDUCTION)))]) as Tensor;
}

/** F.soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') */
export function softMarginLoss(input: Tensor, target: Tensor, ...rest: Rest<ReductionOnly, typeof REDUCTION>): Tensor {
  return op.softMargin([input, target, reductionEnum(reductionOf(parse<ReductionOnly>('softMarginLoss', rest, REDUCTION)))]) as Tensor;
}

type WeightReduction = LegacyReduction & { weight?: Tensor | null; reduction?: Reduction };
const WEIGHT_REDUCTION = ['weight', 'sizeAverage', 'reduce', 'reduction'] as const;

/** F.multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean') */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, ...rest: Rest<WeightReduction, typeof WEIGHT_REDUCTION>): Tensor {
  const o = parse<WeightReduction>('multilabelSoftMarginLoss', rest, WEIGHT_REDUCTION);
  const reduction = reductionOf(o);
  reductionEnum(reduction);
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (o.weight) loss = loss.mul(o.weight);
  const classDim = input.dim() - 1;
  loss = loss.sum(classDim).div(input.size(classDim));
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

type MultiMarginOptions = LegacyReduction & { p?: number; margin?: number; weight?: Tensor | null; reduction?: Reduction };
const MULTI_MARGIN = ['p', 'margin', 'weight', 'sizeAverage', 'reduce', 'reduction'] as const;

/** F.multi_margin_loss(input, target, p=1, margin=1, weight=None, size_average=None, reduce=None, reduction='mean') */
export function multiMarginLoss(input: Tensor, target: Tensor, ...rest: Rest<MultiMarginOptions, typeof MULTI_MARGIN>): Tensor {
  const o = parse<MultiMarginOptions>('multiMarginLoss', rest, MULTI_MARGIN);
  const p = o.p ?? 1;
  if (p !== 1 && p !== 2) throw new TorchError('only p == 1 and p == 2 supported');
  if (o.weight && o.weight.dim() !== 1) throw new TorchError('weight must be one-dimensional');
  return op.multiMargin([input, target, p, o.margin ?? 1, o.weight ?? null, reductionEnum(reductionOf(o))]) as Tensor;
}

type TripletOptions = LegacyReduction & { margin?: number; p?: number; eps?: number; swap?: boolean; reduction?: Reduction };
const TRIPLET = ['margin', 'p', 'eps', 'swap', 'sizeAverage', 'reduce', 'reduction'] as const;

/** F.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None, reduce=None, reduction='mean') */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, ...rest: Rest<TripletOptions, typeof TRIPLET>): Tensor {
  const o = parse<TripletOptions>('tripletMarginLoss', rest, TRIPLET);
  return op.tripletMargin([anchor, positive, negative, o.margin ?? 1.0, o.p ?? 2, o.eps ?? 1e-6, o.swap ?? false, reductionEnum(reductionOf(o))]) as Tensor;
}

export type TripletWithDistanceOptions = {
  distanceFunction?: ((a: Tensor, b: Tensor) => Tensor) | null; margin?: number; swap?: boolean; reduction?: Reduction;
};

/** F.triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction='mean') */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletWithDistanceOptions = {}): Tensor {
  const o = parse<TripletWithDistanceOptions>('tripletMarginWithDistanceLoss', [options], [], ['distanceFunction', 'margin', 'swap', 'reduction']);
  const distance = o.distanceFunction ?? ((a: Tensor, b: Tensor) => pairwiseDistance(a, b));
  const reduction = reductionEnum(o.reduction);
  const positiveDist = distance(anchor, positive);
  let negativeDist = distance(anchor, negative);
  if (o.swap) negativeDist = op.minimum([negativeDist, distance(positive, negative)]) as Tensor;
  const output = positiveDist.sub(negativeDist).add(o.margin ?? 1.0).clampMin(0.0);
  if (reduction === 1) return output.mean();
  if (reduction === 2) return output.sum();
  return output;
}
