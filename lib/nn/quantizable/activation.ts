// torch.ao.nn.quantizable.MultiheadAttention (1.13): nn.MultiheadAttention with its projections as
// separate Linears (linear_Q/K/V, out_proj), the query scaling as a FloatFunctional and stubs around
// the float softmax(QK^T)V core, so eager-mode prepare can observe each part and convert can quantize
// them (nn.quantized.MultiheadAttention). batch_first is not carried by fromFloat, as in Python.
import { AssertionError, NotImplementedError, TorchError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { bool, float16, float32, float64, uint8 } from '../../tensor/dtype';
import { cat } from '../../tensor/functions';
import { quantizePerTensor } from '../../ops/generated/functions';
import { ArgsOf, Rest, parse, signature } from '../../keywords';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Linear, FACTORY_KEYS } from '../layers/linear';
import { MultiheadAttention as FloatMultiheadAttention, MultiheadAttentionArgs, MultiheadAttentionForwardOptions } from '../layers/multihead-attention';
import { FloatFunctional } from '../quantized/functional-modules';
import { softmax } from '../functional/activation';
import { dropout } from '../functional/dropout';
import { pad } from '../functional/vision';
import { QuantStub, DeQuantStub } from '../../ao/quantization/stubs';
import { prepareInPlace } from './prepare-lazy';
import type { QConfig } from '../../ao/quantization/qconfig';
import '../../ao/quantization/tensor-methods';

const MHA = signature<MultiheadAttentionArgs>()(
  ['embedDim', 'numHeads'],
  ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', ...FACTORY_KEYS],
);
const FORWARD_POSITIONAL = ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights'] as const;

export class MultiheadAttention extends FloatMultiheadAttention {
  declare out_proj: Linear;
  linear_Q: Linear;
  linear_K: Linear;
  linear_V: Linear;
  q_scaling_product: FloatFunctional;
  quant_attn_output: QuantStub;
  quant_attn_output_weights: QuantStub;
  dequant_q: DeQuantStub;
  dequant_k: DeQuantStub;
  dequant_v: DeQuantStub;
  declare qconfig?: QConfig | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static _FLOAT_MODULE: abstract new (...args: any[]) => Module = FloatMultiheadAttention;

  /** MultiheadAttention(embedDim, numHeads, dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, kdim?, vdim?, batchFirst = false, device?, dtype?), any by name */
  constructor(...args: ArgsOf<typeof MHA>) {
    const o = MHA.bind('MultiheadAttention', args);
    super(o);
    const { bias = true, device, dtype } = o;
    const f = { bias, device, dtype };
    this.linear_Q = new Linear(this.embedDim, this.embedDim, f);
    this.linear_K = new Linear(this.kdim, this.embedDim, f);
    this.linear_V = new Linear(this.vdim, this.embedDim, f);
    // a plain Linear (the float class keeps a NonDynamicallyQuantizableLinear), in the same slot
    this.out_proj = new Linear(this.embedDim, this.embedDim, f);
    this.q_scaling_product = new FloatFunctional();
    this.quant_attn_output = new QuantStub();
    this.quant_attn_output_weights = new QuantStub();
    this.dequant_q = new DeQuantStub();
    this.dequant_k = new DeQuantStub();
    this.dequant_v = new DeQuantStub();
  }

  _getName(): string {
    return 'QuantizableMultiheadAttention';
  }

  /** from_float(nn.MultiheadAttention with a qconfig): the observed module over its weights, prepared. */
  static fromFloat(other: Module): MultiheadAttention {
    if (other.constructor !== this._FLOAT_MODULE) throw new AssertionError('');
    if (!('qconfig' in other)) throw new AssertionError("The float module must have 'qconfig'");
    const f = other as FloatMultiheadAttention & { qconfig?: QConfig | null };
    const observed = new this(f.embedDim, f.numHeads, f.dropout, f.in_proj_bias !== null, f.bias_k !== null, f.addZeroAttn, f.kdim, f.vdim);
    observed.bias_k = f.bias_k;
    observed.bias_v = f.bias_v;
    observed.qconfig = f.qconfig;
    observed.out_proj.weight = f.out_proj.weight;
    observed.out_proj.bias = f.out_proj.bias;
    const E = f.embedDim;
    const linears = [observed.linear_Q, observed.linear_K, observed.linear_V];
    if (f._qkvSameEmbedDim) {
      const w = f.in_proj_weight!;
      const b = f.in_proj_bias;
      linears.forEach((lin, i) => {
        lin.weight = new Parameter(w.narrow(0, i * E, E), w.requiresGrad);
        lin.bias = b === null ? null : new Parameter(b.narrow(0, i * E, E), b.requiresGrad);
      });
    } else {
      [f.q_proj_weight!, f.k_proj_weight!, f.v_proj_weight!].forEach((w, i) => {
        linears[i].weight = new Parameter(w);
      });
      const b = f.in_proj_bias;
      linears.forEach((lin, i) => {
        lin.bias = b === null ? null : new Parameter(b.narrow(0, i * E, E));
      });
    }
    observed.eval();
    return prepareInPlace(observed);
  }

  /** The observed module is made from a float one; converting it is nn.quantized.MultiheadAttention's job. */
  static fromObserved(_other: Module): Module {
    throw new NotImplementedError('It looks like you are trying to prepare an MHA module. Please, see the examples on quantizable MHAs.');
  }

  /**
   * forward(query, key, value, keyPaddingMask?, needWeights = true, attnMask?, averageAttnWeights = true)
   * -> [attn_output, attn_weights (null unless needWeights)]; (seq, batch, feature) unless batchFirst.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, ...rest: Rest<MultiheadAttentionForwardOptions, typeof FORWARD_POSITIONAL>): [Tensor, Tensor | null] {
    const o = parse<MultiheadAttentionForwardOptions>('MultiheadAttention.forward', rest, FORWARD_POSITIONAL);
    return this._forwardImpl(query, key, value, o.keyPaddingMask ?? null, o.needWeights ?? true, o.attnMask ?? null, o.averageAttnWeights ?? true);
  }

  private _forwardImpl(
    query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor | null, needWeights: boolean, attnMask: Tensor | null, averageAttnWeights: boolean,
  ): [Tensor, Tensor | null] {
    if (this.batchFirst) [query, key, value] = [query, key, value].map((x) => x.transpose(0, 1));
    const [tgtLen, bsz, embedDimToCheck] = query.shape;
    if (this.embedDim !== embedDimToCheck) throw new AssertionError('');
    if (key.size(0) !== value.size(0) || key.size(1) !== value.size(1)) throw new AssertionError('');
    const headDim = Math.floor(this.embedDim / this.numHeads);
    if (headDim * this.numHeads !== this.embedDim) throw new AssertionError('embed_dim must be divisible by num_heads');
    const scaling = headDim ** -0.5;

    let q = this.linear_Q(query) as Tensor;
    let k = this.linear_K(key) as Tensor;
    let v = this.linear_V(value) as Tensor;
    q = this.q_scaling_product.mulScalar(q, scaling);

    if (attnMask !== null) {
      if (![float32, float64, float16, uint8, bool].includes(attnMask.dtype)) {
        throw new AssertionError(`Only float, byte, and bool types are supported for attn_mask, not ${String(attnMask.dtype)}`);
      }
      if (attnMask.dtype === uint8) {
        warn('Byte tensor for attn_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.');
        attnMask = attnMask.to(bool);
      }
      if (attnMask.dim() === 2) {
        attnMask = attnMask.unsqueeze(0);
        if (attnMask.shape.join() !== [1, query.size(0), key.size(0)].join()) throw new TorchError('The size of the 2D attn_mask is not correct.');
      } else if (attnMask.dim() === 3) {
        if (attnMask.shape.join() !== [bsz * this.numHeads, query.size(0), key.size(0)].join()) throw new TorchError('The size of the 3D attn_mask is not correct.');
      } else {
        throw new TorchError(`attn_mask's dimension ${attnMask.dim()} is not supported`);
      }
    }
    if (keyPaddingMask !== null && keyPaddingMask.dtype === uint8) {
      warn('Byte tensor for key_padding_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.');
      keyPaddingMask = keyPaddingMask.to(bool);
    }
    if (this.bias_k !== null && this.bias_v !== null) {
      k = cat([k, this.bias_k.repeat(1, bsz, 1)]);
      v = cat([v, this.bias_v.repeat(1, bsz, 1)]);
      if (attnMask !== null) attnMask = pad(attnMask, [0, 1]);
      if (keyPaddingMask !== null) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
    } else if (this.bias_k !== null || this.bias_v !== null) {
      throw new AssertionError('');
    }

    q = q.contiguous().view(tgtLen, bsz * this.numHeads, headDim).transpose(0, 1);
    k = k.contiguous().view(-1, bsz * this.numHeads, headDim).transpose(0, 1);
    v = v.contiguous().view(-1, bsz * this.numHeads, headDim).transpose(0, 1);
    let srcLen = k.size(1) as number;
    if (keyPaddingMask !== null && (keyPaddingMask.size(0) !== bsz || keyPaddingMask.size(1) !== srcLen)) throw new AssertionError('');

    if (this.addZeroAttn) {
      srcLen += 1;
      // Python sizes both zero blocks from k
      const zeroShape = [k.size(0) as number, 1, ...k.shape.slice(2)];
      let kZeros = zeros(zeroShape);
      if (k.isQuantized) kZeros = quantizePerTensor(kZeros, k.qScale(), k.qZeroPoint(), k.dtype);
      k = cat([k, kZeros], 1);
      let vZeros = zeros([v.size(0) as number, 1, ...k.shape.slice(2)]);
      if (v.isQuantized) vZeros = quantizePerTensor(vZeros, v.qScale(), v.qZeroPoint(), v.dtype);
      v = cat([v, vZeros], 1);
      if (attnMask !== null) attnMask = pad(attnMask, [0, 1]);
      if (keyPaddingMask !== null) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
    }

    // the float core: out of the quantized zone
    q = this.dequant_q(q) as Tensor;
    k = this.dequant_k(k) as Tensor;
    v = this.dequant_v(v) as Tensor;
    let weights = q.bmm(k.transpose(1, 2));
    if (attnMask !== null) {
      if (attnMask.dtype === bool) weights.maskedFill_(attnMask, -Infinity);
      else weights = weights.add_(attnMask);
    }
    if (keyPaddingMask !== null) {
      weights = weights.view(bsz, this.numHeads, tgtLen, srcLen);
      weights = weights.maskedFill(keyPaddingMask.unsqueeze(1).unsqueeze(2), -Infinity);
      weights = weights.view(bsz * this.numHeads, tgtLen, srcLen);
    }
    weights = softmax(weights, { dim: -1 });
    weights = dropout(weights, { p: this.dropout, training: this.training });
    let out = weights.bmm(v);
    out = this.batchFirst
      ? out.view(bsz, tgtLen, this.embedDim)
      : out.transpose(0, 1).contiguous().view(tgtLen, bsz, this.embedDim);

    // back into the quantized zone
    out = this.quant_attn_output(out) as Tensor;
    out = this.out_proj(out) as Tensor;
    weights = this.quant_attn_output_weights(weights) as Tensor;
    if (!needWeights) return [out, null];
    weights = weights.view(bsz, this.numHeads, tgtLen, srcLen);
    if (averageAttnWeights) weights = weights.mean({ dim: 1 });
    return [out, weights];
  }
}
