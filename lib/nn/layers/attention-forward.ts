// F.multi_head_attention_forward of PyTorch 1.13 (torch/nn/functional.py), ported step by step for
// nn.MultiheadAttention: packed or separate in-projections, bias_k/bias_v, add_zero_attn, bool or
// float attn_mask and key_padding_mask, dropout on the weights, averaged or per-head weights.
// (Lives beside the layer; nn.functional may re-export it.)
import { TorchError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { bool, uint8 } from '../../tensor/dtype';
import { zeros, zerosLike } from '../../tensor/create';
import { cat } from '../../tensor/functions';
import { baddbmm, bmm, constantPadNd } from '../../ops/generated/functions';
import { linear } from '../functional/linear';
import { softmax } from '../functional/activation';
import { dropout } from '../functional/dropout';
import { pyTuple, pySize } from '../../py-format';

export interface MultiHeadAttentionOptions {
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function check(ok: boolean, message: () => string): void {
  if (!ok) throw new TorchError(message());
}

/** _mha_shape_check: whether the query is batched (3-D) or not (2-D), with PyTorch's messages. */
function isBatched(query: Tensor, key: Tensor, value: Tensor, kpm: Tensor | null, mask: Tensor | null, numHeads: number): boolean {
  if (query.dim() === 3) {
    check(key.dim() === 3 && value.dim() === 3, () => `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
    if (kpm) check(kpm.dim() === 2, () => `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.dim()}-D tensor instead`);
    if (mask) check(mask.dim() === 2 || mask.dim() === 3, () => `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.dim()}-D tensor instead`);
    return true;
  }
  if (query.dim() === 2) {
    check(key.dim() === 2 && value.dim() === 2, () => `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
    if (kpm) check(kpm.dim() === 1, () => `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.dim()}-D tensor instead`);
    if (mask) {
      check(mask.dim() === 2 || mask.dim() === 3, () => `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.dim()}-D tensor instead`);
      if (mask.dim() === 3) {
        const expected = [numHeads, query.shape[0], key.shape[0]];
        check(sameShape(mask.shape, expected), () => `Expected \`attn_mask\` shape to be ${pyTuple(expected)} but got ${pySize(mask.shape)}`);
      }
    }
    return false;
  }
  throw new TorchError(`query should be unbatched 2D or batched 3D tensor but received ${query.dim()}-D query tensor`);
}

/** _in_projection_packed: one weight for q, k, v; fewer matmuls when the inputs are the same tensor. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): Tensor[] {
  const E = q.size(-1) as number;
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1);
    const [wQ, wKV] = w.split([E, E * 2]);
    const [bQ, bKV] = b ? b.split([E, E * 2]) : [null, null];
    return [linear(q, wQ, bQ), ...linear(k, wKV, bKV).chunk(2, -1)];
  }
  const [wQ, wK, wV] = w.chunk(3);
  const [bQ, bK, bV] = b ? b.chunk(3) : [null, null, null];
  return [linear(q, wQ, bQ), linear(k, wK, bK), linear(v, wV, bV)];
}

/** _in_projection: separate q, k, v weights (kdim/vdim differ from embed_dim). */
function inProjection(q: Tensor, k: Tensor, v: Tensor, w: Tensor[], b: (Tensor | null)[]): Tensor[] {
  const [Eq, Ek, Ev] = [q.size(-1) as number, k.size(-1) as number, v.size(-1) as number];
  const names = ['query', 'key', 'value'];
  [[Eq, Eq], [Eq, Ek], [Eq, Ev]].forEach((shape, i) => {
    check(sameShape(w[i].shape, shape), () => `expecting ${names[i]} weights shape of ${pyTuple(shape)}, but got ${pySize(w[i].shape)}`);
    const bi = b[i];
    if (bi) check(sameShape(bi.shape, [Eq]), () => `expecting ${names[i]} bias shape of ${pyTuple([Eq])}, but got ${pySize(bi.shape)}`);
  });
  return [linear(q, w[0], b[0]), linear(k, w[1], b[1]), linear(v, w[2], b[2])];
}

/**
 * F.multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
 * in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, ...)
 * -> [attn_output, attn_weights or null]. Inputs are (L, N, E) or unbatched (L, E).
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  inProjWeight: Tensor | null,
  inProjBias: Tensor | null,
  biasK: Tensor | null,
  biasV: Tensor | null,
  addZeroAttn: boolean,
  dropoutP: number,
  outProjWeight: Tensor,
  outProjBias: Tensor | null,
  options: MultiHeadAttentionOptions = {},
): [Tensor, Tensor | null] {
  const { training = true, needWeights = true, useSeparateProjWeight = false, averageAttnWeights = true } = options;
  let keyPaddingMask = options.keyPaddingMask ?? null;
  let attnMask = options.attnMask ?? null;
  const staticK = options.staticK ?? null;
  const staticV = options.staticV ?? null;

  const batched = isBatched(query, key, value, keyPaddingMask, attnMask, numHeads);
  if (!batched) {
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (keyPaddingMask) keyPaddingMask = keyPaddingMask.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = query.shape;
  let srcLen = key.shape[0];
  if (keyPaddingMask && keyPaddingMask.dtype !== bool && !keyPaddingMask.dtype.isFloatingPoint) {
    throw new TorchError('only bool and floating types of key_padding_mask are supported');
  }
  check(embedDim === embedDimToCheck, () => `was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / numHeads);
  check(headDim * numHeads === embedDim, () => `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
  if (useSeparateProjWeight) {
    check(sameShape(key.shape.slice(0, 2), value.shape.slice(0, 2)), () => `key's sequence and batch dims ${pySize(key.shape.slice(0, 2))} do not match value's ${pySize(value.shape.slice(0, 2))}`);
  } else {
    check(sameShape(key.shape, value.shape), () => `key shape ${pySize(key.shape)} does not match value shape ${pySize(value.shape)}`);
  }

  // input projections
  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  if (!useSeparateProjWeight) {
    check(inProjWeight !== null, () => 'use_separate_proj_weight is False but in_proj_weight is None');
    [q, k, v] = inProjectionPacked(query, key, value, inProjWeight!, inProjBias);
  } else {
    const w = [options.qProjWeight, options.kProjWeight, options.vProjWeight];
    ['q', 'k', 'v'].forEach((n, i) => check(!!w[i], () => `use_separate_proj_weight is True but ${n}_proj_weight is None`));
    const b = inProjBias ? inProjBias.chunk(3) : [null, null, null];
    [q, k, v] = inProjection(query, key, value, w as Tensor[], b);
  }

  // attn_mask: bool (uint8 deprecated) or float, 2-D broadcast over batch*heads or 3-D
  if (attnMask) {
    if (attnMask.dtype === uint8) {
      warn('Byte tensor for attn_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.');
      attnMask = attnMask.to(bool);
    } else {
      check(attnMask.dtype.isFloatingPoint || attnMask.dtype === bool, () => `Only float, byte, and bool types are supported for attn_mask, not ${attnMask!.dtype}`);
    }
    if (attnMask.dim() === 2) {
      if (!sameShape(attnMask.shape, [tgtLen, srcLen])) {
        throw new TorchError(`The shape of the 2D attn_mask is ${pySize(attnMask.shape)}, but should be ${pyTuple([tgtLen, srcLen])}.`);
      }
      attnMask = attnMask.unsqueeze(0);
    } else if (attnMask.dim() === 3) {
      if (!sameShape(attnMask.shape, [bsz * numHeads, tgtLen, srcLen])) {
        throw new TorchError(`The shape of the 3D attn_mask is ${pySize(attnMask.shape)}, but should be ${pyTuple([bsz * numHeads, tgtLen, srcLen])}.`);
      }
    } else {
      throw new TorchError(`attn_mask's dimension ${attnMask.dim()} is not supported`);
    }
  }

  // bias_k / bias_v: one more key and value position
  if (biasK && biasV) {
    check(staticK === null, () => 'bias cannot be added to static key.');
    check(staticV === null, () => 'bias cannot be added to static value.');
    k = cat([k, biasK.repeat([1, bsz, 1])]);
    v = cat([v, biasV.repeat([1, bsz, 1])]);
    if (attnMask) attnMask = constantPadNd(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = constantPadNd(keyPaddingMask, [0, 1]);
  } else {
    check(biasK === null, () => '');
    check(biasV === null, () => '');
  }

  // heads into the batch dimension: (batch * heads, length, head_dim)
  q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
  if (staticK === null) {
    k = k.contiguous().view(k.shape[0], bsz * numHeads, headDim).transpose(0, 1);
  } else {
    check(staticK.size(0) === bsz * numHeads, () => `expecting static_k.size(0) of ${bsz * numHeads}, but got ${staticK.size(0)}`);
    check(staticK.size(2) === headDim, () => `expecting static_k.size(2) of ${headDim}, but got ${staticK.size(2)}`);
    k = staticK;
  }
  if (staticV === null) {
    v = v.contiguous().view(v.shape[0], bsz * numHeads, headDim).transpose(0, 1);
  } else {
    check(staticV.size(0) === bsz * numHeads, () => `expecting static_v.size(0) of ${bsz * numHeads}, but got ${staticV.size(0)}`);
    check(staticV.size(2) === headDim, () => `expecting static_v.size(2) of ${headDim}, but got ${staticV.size(2)}`);
    v = staticV;
  }

  if (addZeroAttn) {
    const shape = [bsz * numHeads, 1, headDim];
    k = cat([k, zeros(shape, { dtype: k.dtype, device: k.device })], 1);
    v = cat([v, zeros(shape, { dtype: v.dtype, device: v.device })], 1);
    if (attnMask) attnMask = constantPadNd(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = constantPadNd(keyPaddingMask, [0, 1]);
  }
  srcLen = k.size(1) as number;

  // merge key_padding_mask into attn_mask, then bool masks become -inf additive masks
  if (keyPaddingMask) {
    check(sameShape(keyPaddingMask.shape, [bsz, srcLen]), () => `expecting key_padding_mask shape of ${pyTuple([bsz, srcLen])}, but got ${pySize(keyPaddingMask!.shape)}`);
    keyPaddingMask = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
    if (attnMask === null) attnMask = keyPaddingMask;
    else if (attnMask.dtype === bool) attnMask = attnMask.logicalOr(keyPaddingMask);
    else attnMask = attnMask.maskedFill(keyPaddingMask, -Infinity);
  }
  if (attnMask && attnMask.dtype === bool) {
    const additive = zerosLike(attnMask, { dtype: q.dtype });
    additive.maskedFill_(attnMask, -Infinity);
    attnMask = additive;
  }
  const p = training ? dropoutP : 0;

  // scaled dot product attention
  const E = q.shape[2];
  const qScaled = q.div(Math.sqrt(E));
  const kT = k.transpose(-2, -1);
  let weights = attnMask ? baddbmm(attnMask, qScaled, kT) : bmm(qScaled, kT);
  weights = softmax(weights, -1);
  if (p > 0) weights = dropout(weights, { p });
  let out = bmm(weights, v);
  out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
  out = linear(out, outProjWeight, outProjBias);
  out = out.view(tgtLen, bsz, out.size(1) as number);

  if (!needWeights) return [batched ? out : out.squeeze(1), null];
  weights = weights.view(bsz, numHeads, tgtLen, srcLen);
  if (averageAttnWeights) weights = weights.sum(1).div(numHeads);
  if (!batched) {
    out = out.squeeze(1);
    weights = weights.squeeze(0);
  }
  return [out, weights];
}
