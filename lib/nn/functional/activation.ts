// nn.functional activations: each calls the ATen op Python's F calls (torch/nn/functional.py,
// 1.13), the in-place variant when { inplace: true }.
import { Tensor, TorchError, DTypeLike, aten, toDType } from './torch';
import { Rest, parse } from './args';
import { checkKeywords, keysOf } from '../../keywords';
import { warn } from '../../errors';

const op = {
  relu: aten('relu'),
  relu_: aten('relu_'),
  threshold: aten('threshold'),
  threshold_: aten('threshold_'),
  hardtanh: aten('hardtanh'),
  hardtanh_: aten('hardtanh_'),
  relu6: aten('relu6'),
  relu6_: aten('relu6_'),
  elu: aten('elu'),
  elu_: aten('elu_'),
  selu: aten('selu'),
  selu_: aten('selu_'),
  celu: aten('celu'),
  celu_: aten('celu_'),
  leakyRelu: aten('leaky_relu'),
  leakyRelu_: aten('leaky_relu_'),
  prelu: aten('prelu'),
  rrelu: aten('rrelu'),
  rrelu_: aten('rrelu_'),
  glu: aten('glu'),
  gelu: aten('gelu'),
  logSigmoid: aten('log_sigmoid'),
  hardshrink: aten('hardshrink'),
  softshrink: aten('softshrink'),
  softplus: aten('softplus'),
  softmax: aten('softmax', 'int'),
  logSoftmax: aten('log_softmax', 'int'),
  neg: aten('neg'),
  tanh: aten('tanh'),
  sigmoid: aten('sigmoid'),
  hardsigmoid: aten('hardsigmoid'),
  hardsigmoid_: aten('hardsigmoid_'),
  silu: aten('silu'),
  silu_: aten('silu_'),
  mish: aten('mish'),
  mish_: aten('mish_'),
  hardswish: aten('hardswish'),
  hardswish_: aten('hardswish_'),
  exponential_: aten('exponential_'),
  emptyLike: aten('empty_like'),
  zerosLike: aten('zeros_like'),
  scatter_: aten('scatter_', 'value'),
  maxDim: aten('max', 'dim'),
};

type Inplace = { inplace?: boolean };
const INPLACE = ['inplace'] as const;

function t(x: unknown): Tensor {
  return x as Tensor;
}

/** Runs the plain or the in-place op; the in-place one returns `input` itself, as PyTorch does. */
function apply(inplace: boolean | undefined, plain: (a: unknown[]) => unknown, inPlace: (a: unknown[]) => unknown, args: unknown[]): Tensor {
  if (!inplace) return plain(args) as Tensor;
  inPlace(args);
  return args[0] as Tensor;
}

/** F.threshold(input, threshold, value, inplace=False) */
export function threshold(input: Tensor, threshold: number, value: number, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  const o = parse<Inplace>('threshold', rest, INPLACE);
  return apply(o.inplace, op.threshold, op.threshold_, [input, threshold, value]);
}
export const threshold_ = (input: Tensor, thresholdValue: number, value: number): Tensor => apply(true, op.threshold_, op.threshold_, [input, thresholdValue, value]);

/** F.relu(input, inplace=False) */
export function relu(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  // the native fast path (Tensor.relu) unless in place
  if (rest.length === 0 || !parse<Inplace>('relu', rest, INPLACE).inplace) return input.relu();
  return apply(true, op.relu, op.relu_, [input]);
}
export const relu_ = (input: Tensor): Tensor => apply(true, op.relu_, op.relu_, [input]);

/** F.glu(input, dim=-1) */
export function glu(input: Tensor, dim = -1): Tensor {
  if (input.dim() === 0) throw new TorchError('glu does not support scalars because halving size must be even');
  return t(op.glu([input, dim]));
}

type HardtanhOptions = { minVal?: number; maxVal?: number; inplace?: boolean };
const HARDTANH = ['minVal', 'maxVal', 'inplace'] as const;
/** F.hardtanh(input, min_val=-1, max_val=1, inplace=False) */
export function hardtanh(input: Tensor, ...rest: Rest<HardtanhOptions, typeof HARDTANH>): Tensor {
  const { minVal = -1, maxVal = 1, inplace } = parse<HardtanhOptions>('hardtanh', rest, HARDTANH);
  return apply(inplace, op.hardtanh, op.hardtanh_, [input, minVal, maxVal]);
}
export const hardtanh_ = (input: Tensor, minVal = -1, maxVal = 1): Tensor => apply(true, op.hardtanh_, op.hardtanh_, [input, minVal, maxVal]);

/** F.relu6(input, inplace=False) */
export function relu6(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  return apply(parse<Inplace>('relu6', rest, INPLACE).inplace, op.relu6, op.relu6_, [input]);
}

type AlphaOptions = { alpha?: number; inplace?: boolean };
const ALPHA = ['alpha', 'inplace'] as const;
/** F.elu(input, alpha=1, inplace=False) */
export function elu(input: Tensor, ...rest: Rest<AlphaOptions, typeof ALPHA>): Tensor {
  const { alpha = 1, inplace } = parse<AlphaOptions>('elu', rest, ALPHA);
  return apply(inplace, op.elu, op.elu_, [input, alpha]);
}
export const elu_ = (input: Tensor, alpha = 1): Tensor => apply(true, op.elu_, op.elu_, [input, alpha]);

/** F.selu(input, inplace=False) */
export function selu(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  return apply(parse<Inplace>('selu', rest, INPLACE).inplace, op.selu, op.selu_, [input]);
}
export const selu_ = (input: Tensor): Tensor => apply(true, op.selu_, op.selu_, [input]);

/** F.celu(input, alpha=1, inplace=False) */
export function celu(input: Tensor, ...rest: Rest<AlphaOptions, typeof ALPHA>): Tensor {
  const { alpha = 1, inplace } = parse<AlphaOptions>('celu', rest, ALPHA);
  return apply(inplace, op.celu, op.celu_, [input, alpha]);
}
export const celu_ = (input: Tensor, alpha = 1): Tensor => apply(true, op.celu_, op.celu_, [input, alpha]);

type LeakyOptions = { negativeSlope?: number; inplace?: boolean };
const LEAKY = ['negativeSlope', 'inplace'] as const;
/** F.leaky_relu(input, negative_slope=0.01, inplace=False) */
export function leakyRelu(input: Tensor, ...rest: Rest<LeakyOptions, typeof LEAKY>): Tensor {
  const { negativeSlope = 0.01, inplace } = parse<LeakyOptions>('leakyRelu', rest, LEAKY);
  return apply(inplace, op.leakyRelu, op.leakyRelu_, [input, negativeSlope]);
}
export const leakyRelu_ = (input: Tensor, negativeSlope = 0.01): Tensor => apply(true, op.leakyRelu_, op.leakyRelu_, [input, negativeSlope]);

/** F.prelu(input, weight) */
export const prelu = (input: Tensor, weight: Tensor): Tensor => t(op.prelu([input, weight]));

type RreluOptions = { lower?: number; upper?: number; training?: boolean; inplace?: boolean };
const RRELU = ['lower', 'upper', 'training', 'inplace'] as const;
/** F.rrelu(input, lower=1/8, upper=1/3, training=False, inplace=False) */
export function rrelu(input: Tensor, ...rest: Rest<RreluOptions, typeof RRELU>): Tensor {
  const { lower = 1 / 8, upper = 1 / 3, training = false, inplace } = parse<RreluOptions>('rrelu', rest, RRELU);
  return apply(inplace, op.rrelu, op.rrelu_, [input, lower, upper, training]);
}
export const rrelu_ = (input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false): Tensor => apply(true, op.rrelu_, op.rrelu_, [input, lower, upper, training]);

/** F.logsigmoid(input) */
export const logsigmoid = (input: Tensor): Tensor => t(op.logSigmoid([input]));
export { logsigmoid as logSigmoid };

type GeluOptions = { approximate?: 'none' | 'tanh' };
const GELU_KEYS = keysOf<GeluOptions>()('approximate');
/** F.gelu(input, approximate='none') */
export function gelu(input: Tensor, options?: GeluOptions): Tensor {
  checkKeywords('gelu', options, GELU_KEYS);
  return t(op.gelu([input], options?.approximate ? { approximate: options.approximate } : undefined));
}

type LambdOptions = { lambd?: number };
const LAMBD = ['lambd'] as const;
/** F.hardshrink(input, lambd=0.5) */
export function hardshrink(input: Tensor, ...rest: Rest<LambdOptions, typeof LAMBD>): Tensor {
  return t(op.hardshrink([input, parse<LambdOptions>('hardshrink', rest, LAMBD).lambd ?? 0.5]));
}
/** F.softshrink(input, lambd=0.5) */
export function softshrink(input: Tensor, ...rest: Rest<LambdOptions, typeof LAMBD>): Tensor {
  return t(op.softshrink([input, parse<LambdOptions>('softshrink', rest, LAMBD).lambd ?? 0.5]));
}

/** F.tanhshrink(input) = input - tanh(input) */
export const tanhshrink = (input: Tensor): Tensor => input.sub(input.tanh());
/** F.softsign(input) = input / (|input| + 1) */
export const softsign = (input: Tensor): Tensor => input.div(input.abs().add(1));

type SoftplusOptions = { beta?: number; threshold?: number };
const SOFTPLUS = ['beta', 'threshold'] as const;
/** F.softplus(input, beta=1, threshold=20) */
export function softplus(input: Tensor, ...rest: Rest<SoftplusOptions, typeof SOFTPLUS>): Tensor {
  const { beta = 1, threshold = 20 } = parse<SoftplusOptions>('softplus', rest, SOFTPLUS);
  return t(op.softplus([input, beta, threshold]));
}

/** PyTorch's deprecated implicit dim for softmax-like functions. */
function softmaxDim(name: string, dim: number | null | undefined, ndim: number): number {
  if (dim !== undefined && dim !== null) return dim;
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type SoftmaxOptions = { dim?: number | null; dtype?: DTypeLike | null };
const SOFTMAX = ['dim'] as const;
const dtypeArg = (d: DTypeLike | null | undefined): unknown => (d === undefined || d === null ? null : toDType(d));

/** F.softmax(input, dim, dtype=None) */
export function softmax(input: Tensor, ...rest: Rest<SoftmaxOptions, typeof SOFTMAX>): Tensor {
  if (rest.length === 1 && typeof rest[0] === 'number') return t(op.softmax([input, rest[0]]));
  const o = parse<SoftmaxOptions>('softmax', rest, SOFTMAX, ['dtype']);
  return t(op.softmax([input, softmaxDim('softmax', o.dim, input.dim()), dtypeArg(o.dtype)]));
}
/** F.log_softmax(input, dim, dtype=None) */
export function logSoftmax(input: Tensor, ...rest: Rest<SoftmaxOptions, typeof SOFTMAX>): Tensor {
  if (rest.length === 1 && typeof rest[0] === 'number') return t(op.logSoftmax([input, rest[0]]));
  const o = parse<SoftmaxOptions>('logSoftmax', rest, SOFTMAX, ['dtype']);
  return t(op.logSoftmax([input, softmaxDim('log_softmax', o.dim, input.dim()), dtypeArg(o.dtype)]));
}
/** F.softmin(input, dim, dtype=None) = softmax(-input) */
export function softmin(input: Tensor, ...rest: Rest<SoftmaxOptions, typeof SOFTMAX>): Tensor {
  const o = parse<SoftmaxOptions>('softmin', rest, SOFTMAX, ['dtype']);
  return t(op.softmax([op.neg([input]), softmaxDim('softmin', o.dim, input.dim()), dtypeArg(o.dtype)]));
}

type GumbelOptions = { tau?: number; hard?: boolean; eps?: number; dim?: number };
const GUMBEL = ['tau', 'hard', 'eps', 'dim'] as const;
/** F.gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1): same draws as PyTorch. */
export function gumbelSoftmax(logits: Tensor, ...rest: Rest<GumbelOptions, typeof GUMBEL>): Tensor {
  const { tau = 1, hard = false, dim = -1 } = parse<GumbelOptions>('gumbelSoftmax', rest, GUMBEL);
  const gumbels = t(op.exponential_([op.emptyLike([logits])])).log().neg();
  const ySoft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return ySoft;
  const index = (op.maxDim([ySoft, dim, true]) as Tensor[])[1];
  const yHard = t(op.scatter_([op.zerosLike([logits]), dim, index, 1.0]));
  return yHard.sub(ySoft.detach()).add(ySoft);
}

/** F.tanh(input) */
export const tanh = (input: Tensor): Tensor => t(op.tanh([input]));
/** F.sigmoid(input) */
export const sigmoid = (input: Tensor): Tensor => t(op.sigmoid([input]));

/** F.hardsigmoid(input, inplace=False) */
export function hardsigmoid(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  return apply(parse<Inplace>('hardsigmoid', rest, INPLACE).inplace, op.hardsigmoid, op.hardsigmoid_, [input]);
}
/** F.silu(input, inplace=False) */
export function silu(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  return apply(parse<Inplace>('silu', rest, INPLACE).inplace, op.silu, op.silu_, [input]);
}
/** F.mish(input, inplace=False) */
export function mish(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  return apply(parse<Inplace>('mish', rest, INPLACE).inplace, op.mish, op.mish_, [input]);
}
/** F.hardswish(input, inplace=False) */
export function hardswish(input: Tensor, ...rest: Rest<Inplace, typeof INPLACE>): Tensor {
  return apply(parse<Inplace>('hardswish', rest, INPLACE).inplace, op.hardswish, op.hardswish_, [input]);
}
