// F.scaled_dot_product_attention (PyTorch 2.1): libtorch 2.x's own operator when the running
// registry has it (with the 2.1 `scale` keyword), else the documented composite of 1.13 ops.
import { Tensor, TorchError, aten, zerosLike, ones, bool } from './torch';
import { Rest, parse } from './args';
import { schemaTexts } from '../../ops/registry';

export type ScaledDotProductAttentionOptions = {
  attnMask?: Tensor | null;
  dropoutP?: number;
  isCausal?: boolean;
  /** keyword-only in Python; default 1 / sqrt(query.size(-1)) */
  scale?: number | null;
};
const SDPA = ['attnMask', 'dropoutP', 'isCausal'] as const;

const nativeSdpa = aten('scaled_dot_product_attention');
const dropout = aten('dropout');
let hasNative: boolean | undefined;

/** Whether libtorch registers aten::scaled_dot_product_attention with 2.1's `scale` keyword (not 1.13, not 2.0). */
function nativeAvailable(): boolean {
  hasNative ??= (schemaTexts().get('scaled_dot_product_attention') ?? []).some((s) => /\bfloat\? scale\b/.test(s));
  return hasNative;
}

/** A boolean mask (true = attend) as the additive bias 2.x uses: 0 where kept, -inf where masked. */
function additive(mask: Tensor, like: Tensor): Tensor {
  if (mask.dtype !== bool) return mask;
  return zerosLike(mask, { dtype: like.dtype }).maskedFill(mask.logicalNot(), -Infinity);
}

/**
 * F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, *, scale=None):
 * softmax(query @ key^T * scale + mask) @ value, dropout (global generator) on the weights when dropoutP > 0.
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, ...rest: Rest<ScaledDotProductAttentionOptions, typeof SDPA>): Tensor {
  const o = parse<ScaledDotProductAttentionOptions>('scaledDotProductAttention', rest, SDPA, ['scale']);
  const attnMask = o.attnMask ?? null;
  const dropoutP = o.dropoutP ?? 0;
  const isCausal = o.isCausal ?? false;
  if (isCausal && attnMask !== null) {
    throw new TorchError('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  }
  if (nativeAvailable()) return nativeSdpa([query, key, value, attnMask, dropoutP, isCausal], { scale: o.scale ?? null }) as Tensor;
  const scale = o.scale ?? 1 / Math.sqrt(query.size(-1));
  let scores = query.matmul(key.transpose(-2, -1)).mul(scale);
  if (isCausal) {
    const [l, s] = [query.size(-2), key.size(-2)];
    scores = scores.maskedFill(ones([l, s], { dtype: bool, device: query.device }).tril().logicalNot(), -Infinity);
  }
  if (attnMask !== null) scores = scores.add(additive(attnMask, query));
  let weights = scores.softmax(-1);
  if (dropoutP > 0) weights = dropout([weights, dropoutP, true]) as Tensor;
  return weights.matmul(value);
}
