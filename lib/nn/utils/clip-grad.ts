// nn.utils.clip_grad_norm_ / clip_grad_value_: rescale or clamp gradients in place, as PyTorch 1.13.
import { Tensor, TorchError, aten, tensor, stack, getDefaultDtype } from '../functional/torch';
import { Rest, parse } from '../functional/args';
import { bind } from '../../keywords';
import { pyFloat } from '../../py-format';

const op = { norm: aten('norm', 'Scalar'), max: aten('max', ''), clamp_: aten('clamp_', '') };

export type TensorOrTensors = Tensor | Iterable<Tensor>;

function list(parameters: TensorOrTensors): Tensor[] {
  return parameters instanceof Tensor ? [parameters] : [...parameters];
}

export type ClipGradNormOptions = { normType?: number; errorIfNonfinite?: boolean };
const CLIP_NORM = ['normType', 'errorIfNonfinite'] as const;

/**
 * nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2, error_if_nonfinite=False): scales
 * all gradients together so their joint norm is at most maxNorm; returns that total norm.
 */
export function clipGradNorm_(parameters: TensorOrTensors, maxNorm: number, ...rest: Rest<ClipGradNormOptions, typeof CLIP_NORM>): Tensor {
  const o = parse<ClipGradNormOptions>('clipGradNorm_', rest, CLIP_NORM);
  const normType = o.normType ?? 2.0;
  const grads = list(parameters).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0, { dtype: getDefaultDtype() }); // Python's torch.tensor(0.)
  const device = grads[0].device;
  let totalNorm: Tensor;
  if (normType === Infinity) {
    const norms = grads.map((g) => (op.max([g.detach().abs()]) as Tensor).to(device));
    totalNorm = norms.length === 1 ? norms[0] : (op.max([stack(norms)]) as Tensor);
  } else {
    const norms = grads.map((g) => (op.norm([g.detach(), normType]) as Tensor).to(device));
    totalNorm = op.norm([stack(norms), normType]) as Tensor;
  }
  if (o.errorIfNonfinite && !Number.isFinite(totalNorm.item() as number)) {
    throw new TorchError(`The total norm of order ${pyFloat(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
  }
  const clipCoef = totalNorm.add(1e-6).reciprocal().mul(maxNorm);
  const clamped = clipCoef.clampMax(1.0);
  for (const g of grads) g.detach().mul_(clamped.to(g.device));
  return totalNorm;
}

/** nn.utils.clip_grad_value_(parameters, clip_value): clamps every gradient to [-clipValue, clipValue] in place. */
export function clipGradValue_(parameters: TensorOrTensors, ...args: [clipValue: number] | [options: { clipValue: number }]): void {
  const { clipValue } = bind<{ clipValue: number }>('clipGradValue_', args, ['clipValue']);
  for (const p of list(parameters)) {
    const g = p.grad;
    if (g !== null) op.clamp_([g.detach(), -clipValue, clipValue]);
  }
}
