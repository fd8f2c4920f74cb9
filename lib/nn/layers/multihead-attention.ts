// nn.MultiheadAttention (torch/nn/modules/activation.py, 1.13) and the Linear subclass its out_proj
// is (NonDynamicallyQuantizableLinear, printed under that name).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { bool } from '../../tensor/dtype';
import { empty } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { Rest, parse } from '../functional/args';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions, Linear } from './linear';
import { aten } from '../../tensor/aten';
import { multiHeadAttentionForward } from './attention-forward';
import { inferenceKernelsAllowed } from './fast-path';

const nativeMultiHeadAttention = aten('_native_multi_head_attention');

/** A Linear that quantization tooling leaves alone; otherwise exactly nn.Linear. */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionOptions extends FactoryOptions {
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
}
/** MultiheadAttention's parameters by name: (embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False). */
export interface MultiheadAttentionArgs extends MultiheadAttentionOptions {
  embedDim: number;
  numHeads: number;
}
const MHA = signature<MultiheadAttentionArgs>()(
  ['embedDim', 'numHeads'],
  ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', ...FACTORY_KEYS],
);

export interface MultiheadAttentionForwardOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}
const FORWARD_POSITIONAL = ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights'] as const;

export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly _qkvSameEmbedDim: boolean;
  readonly numHeads: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  q_proj_weight: Parameter | null = null;
  k_proj_weight: Parameter | null = null;
  v_proj_weight: Parameter | null = null;
  in_proj_weight: Parameter | null = null;
  in_proj_bias: Parameter | null;
  out_proj: NonDynamicallyQuantizableLinear;
  bias_k: Parameter | null;
  bias_v: Parameter | null;
  readonly addZeroAttn: boolean;

  /** MultiheadAttention(embedDim, numHeads, dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, kdim?, vdim?, batchFirst = false, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof MHA>) {
    super();
    const o = MHA.bind('MultiheadAttention', args);
    const { embedDim, numHeads, dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, batchFirst = false, device, dtype } = o;
    const factory = { device, dtype };
    this.embedDim = embedDim;
    this.kdim = o.kdim ?? embedDim;
    this.vdim = o.vdim ?? embedDim;
    this._qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.numHeads = numHeads;
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new TorchError('embed_dim must be divisible by num_heads');
    if (!this._qkvSameEmbedDim) {
      this.q_proj_weight = new Parameter(empty([embedDim, embedDim], factory));
      this.k_proj_weight = new Parameter(empty([embedDim, this.kdim], factory));
      this.v_proj_weight = new Parameter(empty([embedDim, this.vdim], factory));
    } else {
      this.in_proj_weight = new Parameter(empty([3 * embedDim, embedDim], factory));
    }
    this.in_proj_bias = bias ? new Parameter(empty([3 * embedDim], factory)) : null;
    // built (and drawn) before the in-projections are initialised, as in PyTorch
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, ...factory });
    this.bias_k = addBiasKv ? new Parameter(empty([1, 1, embedDim], factory)) : null;
    this.bias_v = addBiasKv ? new Parameter(empty([1, 1, embedDim], factory)) : null;
    this.addZeroAttn = addZeroAttn;
    this._resetParameters();
  }

  /** xavier_uniform_ in-projections, zero biases, xavier_normal_ bias_k/bias_v (PyTorch's order). */
  _resetParameters(): void {
    if (this._qkvSameEmbedDim) {
      init.xavierUniform_(this.in_proj_weight!);
    } else {
      init.xavierUniform_(this.q_proj_weight!);
      init.xavierUniform_(this.k_proj_weight!);
      init.xavierUniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k) init.xavierNormal_(this.bias_k);
    if (this.bias_v) init.xavierNormal_(this.bias_v);
  }

  /**
   * forward(query, key, value, keyPaddingMask?, needWeights = true, attnMask?, averageAttnWeights = true)
   * -> [attn_output, attn_weights (null unless needWeights)]
   */
  forward(query: Tensor, key: Tensor, value: Tensor, ...rest: Rest<MultiheadAttentionForwardOptions, typeof FORWARD_POSITIONAL>): [Tensor, Tensor | null] {
    const o = parse<MultiheadAttentionForwardOptions>('MultiheadAttention.forward', rest, FORWARD_POSITIONAL);
    const keyPaddingMask = o.keyPaddingMask ?? null;
    if (keyPaddingMask && keyPaddingMask.dtype !== bool && !keyPaddingMask.dtype.isFloatingPoint) {
      throw new TorchError('only bool and floating types of key_padding_mask are supported');
    }
    const attnMask = o.attnMask ?? null;
    const needWeights = o.needWeights ?? true;
    const averageAttnWeights = o.averageAttnWeights ?? true;
    if (this.fastPathApplies(query, key, value, attnMask)) {
      return nativeMultiHeadAttention([
        query,
        key,
        value,
        this.embedDim,
        this.numHeads,
        this.in_proj_weight,
        this.in_proj_bias,
        this.out_proj.weight,
        this.out_proj.bias,
        keyPaddingMask ?? attnMask,
        needWeights,
        averageAttnWeights,
        keyPaddingMask ? 1 : attnMask ? 0 : null,
      ]) as [Tensor, Tensor | null];
    }
    const batched = query.dim() === 3;
    if (this.batchFirst && batched) {
      // transpose while keeping which of query, key, value are the same tensor
      if (key === value) {
        if (query === key) {
          query = key = value = query.transpose(1, 0);
        } else {
          [query, key] = [query.transpose(1, 0), key.transpose(1, 0)];
          value = key;
        }
      } else {
        [query, key, value] = [query.transpose(1, 0), key.transpose(1, 0), value.transpose(1, 0)];
      }
    }
    const [out, weights] = multiHeadAttentionForward(
      query,
      key,
      value,
      this.embedDim,
      this.numHeads,
      this.in_proj_weight,
      this.in_proj_bias,
      this.bias_k,
      this.bias_v,
      this.addZeroAttn,
      this.dropout,
      this.out_proj.weight,
      this.out_proj.bias,
      {
        training: this.training,
        keyPaddingMask,
        needWeights,
        attnMask,
        averageAttnWeights,
        useSeparateProjWeight: !this._qkvSameEmbedDim,
        qProjWeight: this.q_proj_weight,
        kProjWeight: this.k_proj_weight,
        vProjWeight: this.v_proj_weight,
      },
    );
    return [this.batchFirst && batched ? out.transpose(1, 0) : out, weights];
  }

  /** PyTorch's conditions for the fused inference kernel (batch_first self-attention, no grad). */
  private fastPathApplies(query: Tensor, key: Tensor, value: Tensor, attnMask: Tensor | null): boolean {
    if (query.dim() !== 3 || query !== key || key !== value) return false;
    if (this.in_proj_bias && query.dtype !== this.in_proj_bias.dtype) return false;
    if (this.in_proj_weight && query.dtype !== this.in_proj_weight.dtype) return false;
    if (this.training || !this.batchFirst || this.bias_k || this.bias_v || this.dropout || this.addZeroAttn) return false;
    if (!this._qkvSameEmbedDim || attnMask || this.numHeads % 2 === 1) return false;
    return inferenceKernelsAllowed([query, this.in_proj_weight, this.in_proj_bias, this.out_proj.weight, this.out_proj.bias]);
  }
}
