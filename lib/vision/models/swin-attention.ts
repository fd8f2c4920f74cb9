// torchvision.models.swin_transformer's attention: shifted_window_attention and the
// ShiftedWindowAttention (V1, a learned bias table) and V2 (cosine attention, a bias from an MLP) modules.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { arange, ones, tensor, zeros } from '../../tensor/create';
import { cat, stack } from '../../tensor/functions';
import { slice } from '../../tensor/indexing';
import { int64, float32 } from '../../tensor/dtype';
import { noGrad } from '../../autograd/grad-mode';
import { meshgrid } from '../../ops/generated/functions';
import * as nn from '../../nn';
import { pad } from '../../nn/functional/vision';
import { linear } from '../../nn/functional/linear';
import { dropout as dropoutFn } from '../../nn/functional/dropout';
import { normalize } from '../../nn/functional/normalization';
import { softmax } from '../../nn/functional/activation';
import { Module } from '../../nn/module';
import { Parameter } from '../../nn/parameter';
import { checkKeywords, keysOf } from '../../keywords';

/** torchvision's _patch_merging_pad: (..., H, W, C) -> (..., H/2, W/2, 4C), an odd H or W padded by one. */
export function patchMergingPad(x: Tensor): Tensor {
  const [h, w] = x.shape.slice(-3, -1);
  x = pad(x, [0, 0, 0, w % 2, 0, h % 2]);
  const even = slice(0, null, 2);
  const odd = slice(1, null, 2);
  return cat([x.index('...', even, even, ':'), x.index('...', odd, even, ':'), x.index('...', even, odd, ':'), x.index('...', odd, odd, ':')], -1);
}

/** Python's a[start:stop] bounds for a length n (negative counted from the end, null the end). */
function pySlice(start: number, stop: number | null, n: number): [number, number] {
  const at = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  return [at(start), stop === null ? n : at(stop)];
}

/**
 * The shifted windows' attention mask (numWindows, N, N): -100 between tokens from different regions
 * of the rolled map, 0 within one. Built with Python's slice semantics, so that a zero shift along one
 * axis gives torchvision's regions exactly.
 */
function shiftMask(padH: number, padW: number, windowSize: number[], shift: number[], like: Tensor): Tensor {
  const [wh, ww] = windowSize;
  const region = new Int32Array(padH * padW);
  const hs = [pySlice(0, -wh, padH), pySlice(-wh, -shift[0], padH), pySlice(-shift[0], null, padH)];
  const ws = [pySlice(0, -ww, padW), pySlice(-ww, -shift[1], padW), pySlice(-shift[1], null, padW)];
  let count = 0;
  for (const [h0, h1] of hs) {
    for (const [w0, w1] of ws) {
      for (let r = h0; r < h1; r++) for (let c = w0; c < w1; c++) region[r * padW + c] = count;
      count++;
    }
  }
  const nH = padH / wh;
  const nW = padW / ww;
  const n = wh * ww;
  const mask = new Float32Array(nH * nW * n * n);
  for (let wi = 0; wi < nH * nW; wi++) {
    const ids: number[] = [];
    const [bh, bw] = [Math.floor(wi / nW) * wh, (wi % nW) * ww];
    for (let t = 0; t < n; t++) ids.push(region[(bh + Math.floor(t / ww)) * padW + bw + (t % ww)]);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mask[(wi * n + i) * n + j] = ids[i] !== ids[j] ? -100 : 0;
  }
  return tensor(mask).view([nH * nW, n, n]).to({ dtype: like.dtype, device: like.device });
}

export interface ShiftedWindowAttentionFnOptions {
  attentionDropout?: number;
  dropout?: number;
  qkvBias?: Tensor | null;
  projBias?: Tensor | null;
  /** Swin V2's cosine attention */
  logitScale?: Tensor | null;
}
const SWA_FN_KEYS = keysOf<ShiftedWindowAttentionFnOptions>()('attentionDropout', 'dropout', 'qkvBias', 'projBias', 'logitScale');

/**
 * torchvision's shifted_window_attention on an (N, H, W, C) input: padded to whole windows, rolled
 * by the shift, attention within each window (plus the relative position bias and the shift mask),
 * then rolled back and unpadded. Its dropouts apply in eval mode too, as torchvision's F.dropout calls do.
 */
export function shiftedWindowAttention(
  input: Tensor,
  qkvWeight: Tensor,
  projWeight: Tensor,
  relativePositionBias: Tensor,
  windowSize: number[],
  numHeads: number,
  shiftSize: number[],
  options: ShiftedWindowAttentionFnOptions = {},
): Tensor {
  checkKeywords('shiftedWindowAttention', options, SWA_FN_KEYS);
  const { attentionDropout = 0, dropout = 0, projBias = null, logitScale = null } = options;
  let qkvBias = options.qkvBias ?? null;
  const [B, H, W, C] = input.shape;
  const [wh, ww] = windowSize;
  let x = pad(input, [0, 0, 0, (ww - (W % ww)) % ww, 0, (wh - (H % wh)) % wh]);
  const [, padH, padW] = x.shape;
  // no shift along an axis the window already covers
  const shift = [wh >= padH ? 0 : shiftSize[0], ww >= padW ? 0 : shiftSize[1]];
  const shifted = shift[0] + shift[1] > 0;
  if (shifted) x = x.roll([-shift[0], -shift[1]], [1, 2]);

  const nH = padH / wh;
  const nW = padW / ww;
  const numWindows = nH * nW;
  const n = wh * ww;
  x = x.view([B, nH, wh, nW, ww, C]).permute([0, 1, 3, 2, 4, 5]).reshape([B * numWindows, n, C]);

  if (logitScale !== null && qkvBias !== null) {
    // V2 has no key bias
    qkvBias = qkvBias.clone();
    const length = qkvBias.numel() / 3;
    qkvBias.narrow(0, length, length).zero_();
  }
  const qkv = linear(x, qkvWeight, qkvBias).reshape([x.size(0), x.size(1), 3, numHeads, C / numHeads]).permute([2, 0, 3, 1, 4]);
  const [q, k, v] = [qkv.select(0, 0), qkv.select(0, 1), qkv.select(0, 2)];
  let attn: Tensor;
  if (logitScale !== null) {
    attn = normalize(q, { dim: -1 }).matmul(normalize(k, { dim: -1 }).transpose(-2, -1));
    attn = attn.mul(logitScale.clamp({ max: Math.log(100) }).exp());
  } else {
    attn = q.mul(Math.floor(C / numHeads) ** -0.5).matmul(k.transpose(-2, -1));
  }
  attn = attn.add(relativePositionBias);
  if (shifted) {
    const mask = shiftMask(padH, padW, windowSize, shift, x);
    attn = attn.view([x.size(0) / numWindows, numWindows, numHeads, n, n]).add(mask.unsqueeze(1).unsqueeze(0)).view([-1, numHeads, n, n]);
  }
  attn = dropoutFn(softmax(attn, { dim: -1 }), { p: attentionDropout });

  x = attn.matmul(v).transpose(1, 2).reshape([x.size(0), x.size(1), C]);
  x = dropoutFn(linear(x, projWeight, projBias), { p: dropout });
  x = x.view([B, nH, nW, wh, ww, C]).permute([0, 1, 3, 2, 4, 5]).reshape([B, padH, padW, C]);
  if (shifted) x = x.roll([shift[0], shift[1]], [1, 2]);
  return x.index(':', slice(null, H), slice(null, W), ':').contiguous();
}

/** torchvision's _get_relative_position_bias: the table's rows for each token pair, as (1, heads, N, N). */
export function relativePositionBias(table: Tensor, index: Tensor, windowSize: number[]): Tensor {
  const n = windowSize[0] * windowSize[1];
  return table.index(index).view([n, n, -1]).permute([2, 0, 1]).contiguous().unsqueeze(0);
}

/** For each token pair of an h x w window, the row of its offset in a (2h-1)(2w-1) table; shape (h*w, h*w). */
export function relativePositionIndex(h: number, w: number): Tensor {
  const n = h * w;
  const out = new Array<number>(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dh = Math.floor(i / w) - Math.floor(j / w) + h - 1;
      const dw = (i % w) - (j % w) + w - 1;
      out[i * n + j] = dh * (2 * w - 1) + dw;
    }
  }
  return tensor(out, { dtype: int64 }).view([n, n]);
}

export interface ShiftedWindowAttentionOptions {
  qkvBias?: boolean;
  projBias?: boolean;
  attentionDropout?: number;
  dropout?: number;
}
const SWA_KEYS = keysOf<ShiftedWindowAttentionOptions>()('qkvBias', 'projBias', 'attentionDropout', 'dropout');

/** Window attention with a learned relative position bias table (Swin V1). */
export class ShiftedWindowAttention extends Module {
  declare relative_position_bias_table: Parameter;
  declare relative_position_index: Tensor;
  readonly attentionDropout: number;
  readonly dropout: number;
  qkv: nn.Linear;
  proj: nn.Linear;

  constructor(dim: number, readonly windowSize: number[], readonly shiftSize: number[], readonly numHeads: number, options: ShiftedWindowAttentionOptions = {}) {
    super();
    checkKeywords(new.target.name, options, SWA_KEYS);
    if (windowSize.length !== 2 || shiftSize.length !== 2) throw new ValueError('window_size and shift_size must be of length 2');
    const { qkvBias = true, projBias = true, attentionDropout = 0, dropout = 0 } = options;
    this.attentionDropout = attentionDropout;
    this.dropout = dropout;
    this.qkv = new nn.Linear(dim, dim * 3, { bias: qkvBias });
    this.proj = new nn.Linear(dim, dim, { bias: projBias });
    this.defineRelativePositionBiasTable();
    this.defineRelativePositionIndex();
  }

  defineRelativePositionBiasTable(): void {
    const [h, w] = this.windowSize;
    this.relative_position_bias_table = new Parameter(zeros([(2 * h - 1) * (2 * w - 1), this.numHeads]));
    nn.init.truncNormal_(this.relative_position_bias_table, { std: 0.02 });
  }

  defineRelativePositionIndex(): void {
    this.registerBuffer('relative_position_index', relativePositionIndex(this.windowSize[0], this.windowSize[1]).flatten());
  }

  getRelativePositionBias(): Tensor {
    return relativePositionBias(this.relative_position_bias_table, this.relative_position_index, this.windowSize);
  }

  /** (B, H, W, C) -> (B, H, W, C) */
  forward(x: Tensor): Tensor {
    return shiftedWindowAttention(x, this.qkv.weight, this.proj.weight, this.getRelativePositionBias(), this.windowSize, this.numHeads, this.shiftSize, {
      attentionDropout: this.attentionDropout,
      dropout: this.dropout,
      qkvBias: this.qkv.bias,
      projBias: this.proj.bias,
    });
  }
}

/** Swin V2's window attention: cosine similarity with a learned scale, the bias from an MLP over log-spaced offsets. */
export class ShiftedWindowAttentionV2 extends ShiftedWindowAttention {
  declare relative_coords_table: Tensor;
  logit_scale: Parameter;
  cpb_mlp: nn.Sequential;

  constructor(dim: number, windowSize: number[], shiftSize: number[], numHeads: number, options: ShiftedWindowAttentionOptions = {}) {
    super(dim, windowSize, shiftSize, numHeads, options);
    this.logit_scale = new Parameter(ones([numHeads, 1, 1]).mul(10).log());
    this.cpb_mlp = new nn.Sequential(new nn.Linear(2, 512, { bias: true }), new nn.ReLU({ inplace: true }), new nn.Linear(512, numHeads, { bias: false }));
    const bias = this.qkv.bias;
    if (bias) {
      const length = bias.numel() / 3;
      noGrad(() => bias.narrow(0, length, length).zero_());
    }
  }

  defineRelativePositionBiasTable(): void {
    const [h, w] = this.windowSize;
    const coordsH = arange(-(h - 1), h, { dtype: float32 });
    const coordsW = arange(-(w - 1), w, { dtype: float32 });
    const table = stack(meshgrid([coordsH, coordsW], { indexing: 'ij' })).permute([1, 2, 0]).contiguous().unsqueeze(0);
    table.select(3, 0).div_(h - 1);
    table.select(3, 1).div_(w - 1);
    table.mul_(8); // offsets in [-8, 8], then log-spaced
    this.registerBuffer('relative_coords_table', table.sign().mul(table.abs().add(1).log2()).div(3));
  }

  getRelativePositionBias(): Tensor {
    const table = (this.cpb_mlp(this.relative_coords_table) as Tensor).view([-1, this.numHeads]);
    return relativePositionBias(table, this.relative_position_index, this.windowSize).sigmoid().mul(16);
  }

  forward(x: Tensor): Tensor {
    return shiftedWindowAttention(x, this.qkv.weight, this.proj.weight, this.getRelativePositionBias(), this.windowSize, this.numHeads, this.shiftSize, {
      attentionDropout: this.attentionDropout,
      dropout: this.dropout,
      qkvBias: this.qkv.bias,
      projBias: this.proj.bias,
      logitScale: this.logit_scale,
    });
  }
}

/** What SwinTransformerBlock's attnLayer takes: ShiftedWindowAttention or a class built like it. */
export type AttentionLayer = new (dim: number, windowSize: number[], shiftSize: number[], numHeads: number, options?: ShiftedWindowAttentionOptions) => Module;
