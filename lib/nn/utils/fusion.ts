// torch.nn.utils.fusion: folding an eval-mode BatchNorm into the convolution or linear layer before it.
import { Tensor } from '../../tensor/tensor';
import { zerosLike, onesLike } from '../../tensor/create';
import { AssertionError } from '../../errors';
import { Parameter } from '../parameter';
import { Module } from '../module';
import { deepcopy } from '../clone';

type ConvLike = Module & { weight: Tensor; bias: Tensor | null };
type BatchNormLike = Module & { running_mean: Tensor | null; running_var: Tensor | null; eps: number; weight: Tensor | null; bias: Tensor | null };

/** fuse_conv_bn_eval(conv, bn, transpose=False): a copy of `conv` whose output is bn(conv(x)) (both in eval mode). */
export function fuseConvBnEval<T extends ConvLike>(conv: T, bn: BatchNormLike, transpose = false): T {
  if (conv.training || bn.training) throw new AssertionError('Fusion only for eval!');
  const fused = deepcopy(conv);
  [fused.weight, fused.bias] = fuseConvBnWeights(fused.weight, fused.bias, bn.running_mean!, bn.running_var!, bn.eps, bn.weight, bn.bias, transpose);
  return fused;
}

/** fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False): the fused [weight, bias] Parameters */
export function fuseConvBnWeights(
  convW: Tensor, convB: Tensor | null, bnRm: Tensor, bnRv: Tensor, bnEps: number, bnW: Tensor | null, bnB: Tensor | null, transpose = false,
): [Parameter, Parameter] {
  const b = convB ?? zerosLike(bnRm);
  const w = bnW ?? onesLike(bnRm);
  const bias = bnB ?? zerosLike(bnRm);
  const varRsqrt = bnRv.add(bnEps).rsqrt();
  const rest = new Array<number>(convW.shape.length - 2).fill(1);
  const shape = transpose ? [1, -1, ...rest] : [-1, 1, ...rest];
  const fusedW = convW.mul(w.mul(varRsqrt).reshape(shape));
  const fusedB = b.sub(bnRm).mul(varRsqrt).mul(w).add(bias);
  return [new Parameter(fusedW), new Parameter(fusedB)];
}

/** fuse_linear_bn_eval(linear, bn) (torch.nn.utils.fusion): a copy of `linear` whose output is bn(linear(x)) (both in eval mode). */
export function fuseLinearBnEval<T extends ConvLike>(linear: T, bn: BatchNormLike): T {
  if (linear.training || bn.training) throw new AssertionError('Fusion only for eval!');
  const fused = deepcopy(linear);
  [fused.weight, fused.bias] = fuseLinearBnWeights(fused.weight, fused.bias, bn.running_mean!, bn.running_var!, bn.eps, bn.weight!, bn.bias!);
  return fused;
}

/** fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b) (torch.nn.utils.fusion) */
export function fuseLinearBnWeights(linearW: Tensor, linearB: Tensor | null, bnRm: Tensor, bnRv: Tensor, bnEps: number, bnW: Tensor, bnB: Tensor): [Parameter, Parameter] {
  const b = linearB ?? zerosLike(bnRm);
  const scale = bnW.mul(bnRv.add(bnEps).rsqrt());
  const fusedW = linearW.mul(scale.unsqueeze(-1));
  const fusedB = b.sub(bnRm).mul(scale).add(bnB);
  return [new Parameter(fusedW), new Parameter(fusedB)];
}
