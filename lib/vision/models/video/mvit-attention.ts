// torchvision.models.video.mvit's attention: Pool (pooling a token sequence as a T x H x W grid,
// the class token kept aside) and MultiscaleAttention (pooled queries, keys and values; MViTv2's
// decomposed relative positions and residual pooling), with torchvision's names and construction order.
import { ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { arange, zeros } from '../../../tensor/create';
import { cat } from '../../../tensor/functions';
import { float32 } from '../../../tensor/dtype';
import { slice } from '../../../tensor/indexing';
import { einsum } from '../../../ops/generated/functions';
import * as nn from '../../../nn';
import { interpolate } from '../../../nn/functional/vision';
import { Module } from '../../../nn/module';
import { Parameter } from '../../../nn/parameter';
import { ArgsOf, signature } from '../../../keywords';
import { NormLayer } from '../ops';
import { pySize } from '../../../py-format';

export type THW = [number, number, number];

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** x with a dimension added at `dim` when it has one less than `target` (torchvision's _unsqueeze). */
export function unsqueezeTo(x: Tensor, target: number, dim: number): [Tensor, number] {
  const d = x.dim();
  if (d === target - 1) return [x.unsqueeze(dim), d];
  if (d !== target) throw new ValueError(`Unsupported input dimension ${pySize(x.shape)}`);
  return [x, d];
}

interface PoolArgs {
  pool: Module;
  norm: Module | null;
  activation?: Module | null;
  normBeforePool?: boolean;
}
const POOL = signature<PoolArgs>()(['pool', 'norm'], ['activation', 'normBeforePool']);

/** Pools (B, [heads,] 1 + T*H*W, C) tokens over their T x H x W grid; the class token passes untouched. */
export class Pool extends Module {
  pool: Module;
  norm_act: nn.Sequential | null;
  readonly normBeforePool: boolean;

  constructor(...args: ArgsOf<typeof POOL>) {
    super();
    const { pool, norm, activation = null, normBeforePool = false } = POOL.bind('Pool', args);
    this.pool = pool;
    const layers = [norm, activation].filter((m): m is Module => m !== null);
    this.norm_act = layers.length ? new nn.Sequential(...layers) : null;
    this.normBeforePool = normBeforePool;
  }

  forward(input: Tensor, thw: THW): [Tensor, THW] {
    const [x4, tensorDim] = unsqueezeTo(input, 4, 1);
    const [classToken, tokens] = x4.tensorSplit([1], 2);
    let x = tokens.transpose(2, 3);
    const [b, n, c] = x.shape;
    x = x.reshape([b * n, c, ...thw]).contiguous();
    // a norm before pooling (BatchNorm) could be folded into the pooling conv
    if (this.normBeforePool && this.norm_act) x = this.norm_act(x);
    x = this.pool(x) as Tensor;
    const [t, h, w] = x.shape.slice(2);
    x = cat([classToken, x.reshape(b, n, c, -1).transpose(2, 3)], 2);
    if (!this.normBeforePool && this.norm_act) x = this.norm_act(x);
    if (tensorDim === 3) x = x.squeeze(1);
    return [x, [t, h, w]];
  }
}

/** A relative-position table resized (linearly) to d rows where the sizes differ from the ones it was made for. */
function resizeTable(table: Tensor, d: number): Tensor {
  if (table.shape[0] === d) return table;
  return interpolate(table.permute(1, 0).unsqueeze(0), { size: d, mode: 'linear' }).squeeze(0).permute(1, 0);
}

/** The table rows for each (query, key) pair along one axis: distances scaled when q and k grids differ. */
function relativeRows(table: Tensor, q: number, k: number): Tensor {
  const qRatio = Math.max(k / q, 1);
  const kRatio = Math.max(q / k, 1);
  const dist = arange(q, { dtype: float32 }).unsqueeze(1).mul(qRatio).sub(arange(k, { dtype: float32 }).unsqueeze(0).add(1 - k).mul(kRatio));
  return resizeTable(table, 2 * Math.max(q, k) - 1).index(dist.long());
}

/** MViTv2's decomposed relative positions (per axis t, h, w) added to attn's token-to-token block, in place. */
export function addRelPos(attn: Tensor, q: Tensor, qThw: THW, kThw: THW, relPosH: Tensor, relPosW: Tensor, relPosT: Tensor): Tensor {
  const [qT, qH, qW] = qThw;
  const [kT, kH, kW] = kThw;
  const rh = relativeRows(relPosH, qH, kH);
  const rw = relativeRows(relPosW, qW, kW);
  const rt = relativeRows(relPosT, qT, kT);
  const [b, heads, , dim] = q.shape;
  const rq = q.index(':', ':', slice(1, null)).reshape(b, heads, qT, qH, qW, dim);
  const relH = einsum('bythwc,hkc->bythwk', [rq, rh]);
  const relW = einsum('bythwc,wkc->bythwk', [rq, rw]);
  // time: one batched matmul per query frame, (B*heads*qH*qW, dim) x (dim, kT)
  const rqT = rq.permute(2, 0, 1, 3, 4, 5).reshape(qT, b * heads * qH * qW, dim);
  const relT = rqT.matmul(rt.transpose(1, 2)).transpose(0, 1).view(b, heads, qH, qW, qT, kT).permute(0, 1, 4, 2, 3, 5);
  const all = ':';
  const relPos = relH
    .index(all, all, all, all, all, null, all, null)
    .add(relW.index(all, all, all, all, all, null, null, all))
    .add(relT.index(all, all, all, all, all, all, null, null))
    .reshape(b, heads, qT * qH * qW, kT * kH * kW);
  attn.index(all, all, slice(1, null), slice(1, null)).add_(relPos);
  return attn;
}

export interface MultiscaleAttentionArgs {
  inputSize: readonly number[];
  embedDim: number;
  outputDim: number;
  numHeads: number;
  kernelQ: readonly number[];
  kernelKv: readonly number[];
  strideQ: readonly number[];
  strideKv: readonly number[];
  residualPool: boolean;
  residualWithClsEmbed: boolean;
  relPosEmbed: boolean;
  dropout?: number;
  normLayer?: NormLayer;
}
const MULTISCALE_ATTENTION = signature<MultiscaleAttentionArgs>()(
  ['inputSize', 'embedDim', 'outputDim', 'numHeads', 'kernelQ', 'kernelKv', 'strideQ', 'strideKv', 'residualPool', 'residualWithClsEmbed', 'relPosEmbed'],
  ['dropout', 'normLayer'],
);

const layerNorm: NormLayer = (c) => new nn.LayerNorm(c);

export class MultiscaleAttention extends Module {
  readonly embedDim: number;
  readonly outputDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly scaler: number;
  readonly residualPool: boolean;
  readonly residualWithClsEmbed: boolean;
  qkv: nn.Linear;
  project: nn.Sequential;
  pool_q: Pool | null;
  pool_k: Pool | null;
  pool_v: Pool | null;
  rel_pos_h: Parameter | null;
  rel_pos_w: Parameter | null;
  rel_pos_t: Parameter | null;

  constructor(...args: ArgsOf<typeof MULTISCALE_ATTENTION>) {
    super();
    const a = MULTISCALE_ATTENTION.bind('MultiscaleAttention', args);
    const { inputSize, embedDim, outputDim, numHeads, kernelQ, kernelKv, strideQ, strideKv, dropout = 0, normLayer = layerNorm } = a;
    this.embedDim = embedDim;
    this.outputDim = outputDim;
    this.numHeads = numHeads;
    this.headDim = Math.floor(outputDim / numHeads);
    this.scaler = 1 / Math.sqrt(this.headDim);
    this.residualPool = a.residualPool;
    this.residualWithClsEmbed = a.residualWithClsEmbed;
    this.qkv = new nn.Linear(embedDim, 3 * outputDim);
    const layers: Module[] = [new nn.Linear(outputDim, outputDim)];
    if (dropout > 0) layers.push(new nn.Dropout(dropout, { inplace: true }));
    this.project = new nn.Sequential(...layers);
    this.pool_q = this.pool_k = this.pool_v = null;
    this.rel_pos_h = this.rel_pos_w = this.rel_pos_t = null;

    const hd = this.headDim;
    const pooling = (kernel: readonly number[], stride: readonly number[]) =>
      new Pool(new nn.Conv3d(hd, hd, [...kernel], { stride: [...stride], padding: kernel.map((k) => Math.floor(k / 2)), groups: hd, bias: false }), normLayer(hd));
    if (prod(kernelQ) > 1 || prod(strideQ) > 1) this.pool_q = pooling(kernelQ, strideQ);
    if (prod(kernelKv) > 1 || prod(strideKv) > 1) {
      this.pool_k = pooling(kernelKv, strideKv);
      this.pool_v = pooling(kernelKv, strideKv);
    }
    if (a.relPosEmbed) {
      const size = Math.max(...inputSize.slice(1));
      const qSize = strideQ.length > 0 ? Math.floor(size / strideQ[1]) : size;
      const kvSize = strideKv.length > 0 ? Math.floor(size / strideKv[1]) : size;
      const spatialDim = 2 * Math.max(qSize, kvSize) - 1;
      const temporalDim = 2 * inputSize[0] - 1;
      this.rel_pos_h = new Parameter(zeros(spatialDim, hd));
      this.rel_pos_w = new Parameter(zeros(spatialDim, hd));
      this.rel_pos_t = new Parameter(zeros(temporalDim, hd));
      for (const p of [this.rel_pos_h, this.rel_pos_w, this.rel_pos_t]) nn.init.truncNormal_(p, { std: 0.02 });
    }
  }

  forward(x: Tensor, thw: THW): [Tensor, THW] {
    const [b, n] = x.shape;
    let [q, k, v] = (this.qkv(x) as Tensor).reshape(b, n, 3, this.numHeads, this.headDim).transpose(1, 3).unbind(2);
    let kThw = thw;
    if (this.pool_k) [k, kThw] = this.pool_k(k, thw) as [Tensor, THW];
    if (this.pool_v) v = (this.pool_v(v, thw) as [Tensor, THW])[0];
    if (this.pool_q) [q, thw] = this.pool_q(q, thw) as [Tensor, THW];

    let attn = q.mul(this.scaler).matmul(k.transpose(2, 3));
    if (this.rel_pos_h && this.rel_pos_w && this.rel_pos_t) attn = addRelPos(attn, q, thw, kThw, this.rel_pos_h, this.rel_pos_w, this.rel_pos_t);
    let out = attn.softmax(-1).matmul(v);
    // MViTv2's residual pooling: the pooled queries added back (with or without the class token)
    if (this.residualPool) {
      if (this.residualWithClsEmbed) out.add_(q);
      else out.index(':', ':', slice(1, null), ':').add_(q.index(':', ':', slice(1, null), ':'));
    }
    out = out.transpose(1, 2).reshape(b, -1, this.outputDim);
    return [this.project(out) as Tensor, thw];
  }
}
