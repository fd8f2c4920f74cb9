// Regression and probabilistic losses, with PyTorch's reduction ('mean' | 'sum' | 'none') and
// arguments: l1, mse, smooth_l1, huber, kl_div, poisson_nll, gaussian_nll, binary cross entropy.
import { Tensor, TorchError, aten, noGrad } from './torch';
import { Rest, parse } from './args';
import { Reduction, LegacyReduction, reductionEnum, reductionOf } from './enums';
import { warn } from '../../errors';

const op = {
  l1: aten('l1_loss'),
  mse: aten('mse_loss'),
  smoothL1: aten('smooth_l1_loss'),
  huber: aten('huber_loss'),
  klDiv: aten('kl_div'),
  poissonNll: aten('poisson_nll_loss'),
  bce: aten('binary_cross_entropy'),
  bceWithLogits: aten('binary_cross_entropy_with_logits'),
  broadcastTensors: aten('broadcast_tensors'),
  any: aten('any'),
  lt: aten('lt', 'Scalar'),
};

export type ReductionOptions = LegacyReduction & { reduction?: Reduction };
const REDUCTION = ['sizeAverage', 'reduce', 'reduction'] as const;
const sameShape = (a: Tensor, b: Tensor): boolean => JSON.stringify(a.shape) === JSON.stringify(b.shape);

function warnBroadcast(input: Tensor, target: Tensor): void {
  if (!sameShape(input, target)) {
    warn(`Using a target size (${JSON.stringify(target.shape)}) that is different to the input size (${JSON.stringify(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
  }
}

function pointwise(f: ReturnType<typeof aten>, input: Tensor, target: Tensor, reduction: Reduction | undefined, extra: unknown[] = []): Tensor {
  warnBroadcast(input, target);
  const [i, t] = op.broadcastTensors([[input, target]]) as Tensor[];
  return f([i, t, reductionEnum(reduction), ...extra]) as Tensor;
}

/** F.l1_loss(input, target, size_average=None, reduce=None, reduction='mean') */
export function l1Loss(input: Tensor, target: Tensor, ...rest: Rest<ReductionOptions, typeof REDUCTION>): Tensor {
  return pointwise(op.l1, input, target, reductionOf(parse<ReductionOptions>('l1Loss', rest, REDUCTION)));
}

/** F.mse_loss(input, target, size_average=None, reduce=None, reduction='mean') */
export function mseLoss(input: Tensor, target: Tensor, ...rest: Rest<ReductionOptions, typeof REDUCTION>): Tensor {
  return pointwise(op.mse, input, target, reductionOf(parse<ReductionOptions>('mseLoss', rest, REDUCTION)));
}

type SmoothL1Options = LegacyReduction & { reduction?: Reduction; beta?: number };
const SMOOTH_L1 = ['sizeAverage', 'reduce', 'reduction', 'beta'] as const;
/** F.smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0) */
export function smoothL1Loss(input: Tensor, target: Tensor, ...rest: Rest<SmoothL1Options, typeof SMOOTH_L1>): Tensor {
  const o = parse<SmoothL1Options>('smoothL1Loss', rest, SMOOTH_L1);
  return pointwise(op.smoothL1, input, target, reductionOf(o), [o.beta ?? 1.0]);
}

type HuberOptions = { reduction?: Reduction; delta?: number };
const HUBER = ['reduction', 'delta'] as const;
/** F.huber_loss(input, target, reduction='mean', delta=1.0) */
export function huberLoss(input: Tensor, target: Tensor, ...rest: Rest<HuberOptions, typeof HUBER>): Tensor {
  const o = parse<HuberOptions>('huberLoss', rest, HUBER);
  return pointwise(op.huber, input, target, o.reduction, [o.delta ?? 1.0]);
}

type KlDivOptions = LegacyReduction & { reduction?: Reduction | 'batchmean'; logTarget?: boolean };
const KL_DIV = ['sizeAverage', 'reduce', 'reduction', 'logTarget'] as const;
/** F.kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False); 'batchmean' divides the sum by the batch size */
export function klDiv(input: Tensor, target: Tensor, ...rest: Rest<KlDivOptions, typeof KL_DIV>): Tensor {
  const o = parse<KlDivOptions>('klDiv', rest, KL_DIV);
  const legacy = (o.sizeAverage ?? null) !== null || (o.reduce ?? null) !== null;
  const reduction = legacy ? reductionOf(o as ReductionOptions) : o.reduction ?? 'mean';
  if (!legacy && reduction === 'mean') {
    warn("reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.");
  }
  const reduced = op.klDiv([input, target, reductionEnum(reduction === 'batchmean' ? 'sum' : reduction)], { logTarget: o.logTarget ?? false }) as Tensor;
  return reduction === 'batchmean' && input.dim() !== 0 ? reduced.div(input.size(0)) : reduced;
}

type PoissonOptions = LegacyReduction & { logInput?: boolean; full?: boolean; eps?: number; reduction?: Reduction };
const POISSON = ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'] as const;
/** F.poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None, reduction='mean') */
export function poissonNllLoss(input: Tensor, target: Tensor, ...rest: Rest<PoissonOptions, typeof POISSON>): Tensor {
  const o = parse<PoissonOptions>('poissonNllLoss', rest, POISSON);
  return op.poissonNll([input, target, o.logInput ?? true, o.full ?? false, o.eps ?? 1e-8, reductionEnum(reductionOf(o))]) as Tensor;
}

type GaussianOptions = { full?: boolean; eps?: number; reduction?: Reduction };
const GAUSSIAN = ['full', 'eps', 'reduction'] as const;
/** F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean') */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, ...rest: Rest<GaussianOptions, typeof GAUSSIAN>): Tensor {
  const o = parse<GaussianOptions>('gaussianNllLoss', rest, GAUSSIAN);
  const inShape = input.shape;
  let varShape = variance.shape;
  const eq = (a: number[], b: number[]): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (!eq(varShape, inShape)) {
    if (eq(inShape.slice(0, -1), varShape)) variance = variance.unsqueeze(-1);
    else if (!(eq(inShape.slice(0, -1), varShape.slice(0, -1)) && varShape[varShape.length - 1] === 1)) throw new TorchError('var is of incorrect size');
  }
  const reduction = o.reduction ?? 'mean';
  reductionEnum(reduction);
  if ((op.any([op.lt([variance, 0])]) as Tensor).item()) throw new TorchError('var has negative entry/entries');
  variance = variance.clone();
  noGrad(() => variance.clampMin_(o.eps ?? 1e-6));
  let loss = variance.log().add(input.sub(target).pow(2).div(variance)).mul(0.5);
  if (o.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

type BceOptions = LegacyReduction & { weight?: Tensor | null; reduction?: Reduction };
const BCE = ['weight', 'sizeAverage', 'reduce', 'reduction'] as const;
/** F.binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean') */
export function binaryCrossEntropy(input: Tensor, target: Tensor, ...rest: Rest<BceOptions, typeof BCE>): Tensor {
  const o = parse<BceOptions>('binaryCrossEntropy', rest, BCE);
  if (!sameShape(input, target)) {
    throw new TorchError(`Using a target size (${JSON.stringify(target.shape)}) that is different to the input size (${JSON.stringify(input.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  let weight = o.weight ?? null;
  if (weight) weight = weight.expand((op.broadcastTensors([[target, weight]]) as Tensor[])[0].shape);
  return op.bce([input, target, weight, reductionEnum(reductionOf(o))]) as Tensor;
}

type BceLogitsOptions = LegacyReduction & { weight?: Tensor | null; reduction?: Reduction; posWeight?: Tensor | null };
const BCE_LOGITS = ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'] as const;
/** F.binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None) */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, ...rest: Rest<BceLogitsOptions, typeof BCE_LOGITS>): Tensor {
  const o = parse<BceLogitsOptions>('binaryCrossEntropyWithLogits', rest, BCE_LOGITS);
  if (!sameShape(input, target)) {
    throw new TorchError(`Target size (${JSON.stringify(target.shape)}) must be the same as input size (${JSON.stringify(input.shape)})`);
  }
  return op.bceWithLogits([input, target, o.weight ?? null, o.posWeight ?? null, reductionEnum(reductionOf(o))]) as Tensor;
}
