// nn.Transformer, TransformerEncoder/Decoder and their layers (torch/nn/modules/transformer.py,
// 1.13): post- or pre-norm (norm_first), relu/gelu or any activation, batch_first, masks. Stacks
// hold deep copies of the layer they are given, so every layer starts with the same weights.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { bool } from '../../tensor/dtype';
import { DeviceLike } from '../../tensor/device';
import { full } from '../../tensor/create';
import { triu } from '../../ops/generated/functions';
import { Module } from '../module';
import { ModuleList } from '../containers';
import * as init from '../init';
import { deepcopy } from '../clone';
import { Rest, parse } from '../functional/args';
import { ArgsOf, signature } from '../../keywords';
import { relu, gelu } from '../functional/activation';
import { FACTORY_KEYS, FactoryOptions, Linear } from './linear';
import { Dropout } from './dropout';
import { LayerNorm } from './normalization';
import { MultiheadAttention } from './multihead-attention';
import { aten } from '../../tensor/aten';
import { inferenceKernelsAllowed } from './fast-path';

const kernels = {
  encoderLayer: aten('_transformer_encoder_layer_fwd'),
  nestedFromMask: aten('_nested_tensor_from_mask'),
  leftAligned: aten('_nested_tensor_from_mask_left_aligned'),
  toPadded: aten('to_padded_tensor'),
};

/** 'relu', 'gelu', a function of a tensor, or a module (then registered as a child, as in PyTorch). */
export type Activation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

function activationFn(activation: Activation): (x: Tensor) => Tensor {
  if (activation === 'relu') return relu;
  if (activation === 'gelu') return gelu;
  if (typeof activation === 'string') throw new TorchError(`activation should be relu/gelu, not ${String(activation)}`);
  return activation as (x: Tensor) => Tensor;
}

/** PyTorch's activation_relu_or_gelu flag: 1 relu, 2 gelu, 0 anything else. */
function reluOrGelu(fn: (x: Tensor) => Tensor): number {
  const name = fn instanceof Module ? fn._getName() : '';
  if (fn === relu || name === 'ReLU') return 1;
  if (fn === gelu || name === 'GELU') return 2;
  return 0;
}

function checkKeyPaddingMask(mask: Tensor | null): void {
  if (mask && mask.dtype !== bool && !mask.dtype.isFloatingPoint) {
    throw new TorchError('only bool and floating types of key_padding_mask are supported');
  }
}

export interface TransformerLayerOptions extends FactoryOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: Activation;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
}
/** The encoder and decoder layers' parameters by name: (d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu, layer_norm_eps=1e-05, batch_first=False, norm_first=False). */
export interface TransformerLayerArgs extends TransformerLayerOptions {
  dModel: number;
  nhead: number;
}
const LAYER = signature<TransformerLayerArgs>()(
  ['dModel', 'nhead'],
  ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', ...FACTORY_KEYS],
);

export interface EncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}
const ENCODER_LAYER_FORWARD = ['srcMask', 'srcKeyPaddingMask'] as const;

/** Self-attention and a feed-forward block, each with a residual connection and a LayerNorm. */
export class TransformerEncoderLayer extends Module {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly activationReluOrGelu: number;
  activation: (x: Tensor) => Tensor;

  /** TransformerEncoderLayer(dModel, nhead, dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false, normFirst = false, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof LAYER>) {
    super();
    const o = LAYER.bind('TransformerEncoderLayer', args);
    const { dModel, nhead, dimFeedforward = 2048, dropout = 0.1, activation = relu, layerNormEps = 1e-5, batchFirst = false, normFirst = false, device, dtype } = o;
    const factory = { device, dtype };
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, ...factory });
    this.linear1 = new Linear(dModel, dimFeedforward, factory);
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, factory);
    this.normFirst = normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    const fn = activationFn(activation);
    this.activationReluOrGelu = reluOrGelu(fn);
    this.activation = fn;
  }

  /** forward(src, srcMask?, srcKeyPaddingMask?) */
  forward(src: Tensor, ...rest: Rest<EncoderLayerForwardOptions, typeof ENCODER_LAYER_FORWARD>): Tensor {
    const o = parse<EncoderLayerForwardOptions>('TransformerEncoderLayer.forward', rest, ENCODER_LAYER_FORWARD);
    const mask = o.srcMask ?? null;
    const kpm = o.srcKeyPaddingMask ?? null;
    checkKeyPaddingMask(kpm);
    if (this._fastPathApplies(src, mask)) return this.fusedForward(src, kpm);
    let x = src;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1(x), mask, kpm));
      x = x.add(this.ffBlock(this.norm2(x)));
    } else {
      x = this.norm1(x.add(this.saBlock(x, mask, kpm)));
      x = this.norm2(x.add(this.ffBlock(x)));
    }
    return x;
  }

  /** @internal the tensors PyTorch's fused kernel takes, in its order */
  _fusedTensors(): (Tensor | null)[] {
    const sa = this.self_attn;
    return [
      sa.in_proj_weight,
      sa.in_proj_bias,
      sa.out_proj.weight,
      sa.out_proj.bias,
      this.norm1.weight,
      this.norm1.bias,
      this.norm2.weight,
      this.norm2.bias,
      this.linear1.weight,
      this.linear1.bias,
      this.linear2.weight,
      this.linear2.bias,
    ];
  }

  /** @internal PyTorch's conditions for the fused inference kernel (eval, batch_first, no grad). */
  _fastPathApplies(src: Tensor, srcMask: Tensor | null, checkTensors = true): boolean {
    const sa = this.self_attn;
    if (src.dim() !== 3 || this.training || !sa.batchFirst || !sa._qkvSameEmbedDim || !this.activationReluOrGelu) return false;
    if (this.norm1.eps !== this.norm2.eps || srcMask || sa.numHeads % 2 === 1) return false;
    return !checkTensors || inferenceKernelsAllowed([src, ...this._fusedTensors()]);
  }

  private fusedForward(src: Tensor, kpm: Tensor | null): Tensor {
    const t = this._fusedTensors();
    const sa = this.self_attn;
    return kernels.encoderLayer([
      src,
      sa.embedDim,
      sa.numHeads,
      ...t.slice(0, 4),
      this.activationReluOrGelu === 2,
      this.normFirst,
      this.norm1.eps,
      ...t.slice(4),
      kpm,
      kpm ? 1 : null,
    ]) as Tensor;
  }

  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.self_attn(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1(out);
  }

  private ffBlock(x: Tensor): Tensor {
    return this.dropout2(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }
}

export interface DecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}
const DECODER_FORWARD = ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'] as const;

/** Self-attention, attention over the encoder's memory, and a feed-forward block. */
export class TransformerDecoderLayer extends Module {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: (x: Tensor) => Tensor;

  /** TransformerDecoderLayer(dModel, nhead, dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false, normFirst = false, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof LAYER>) {
    super();
    const o = LAYER.bind('TransformerDecoderLayer', args);
    const { dModel, nhead, dimFeedforward = 2048, dropout = 0.1, activation = relu, layerNormEps = 1e-5, batchFirst = false, normFirst = false, device, dtype } = o;
    const factory = { device, dtype };
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, ...factory });
    this.multihead_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, ...factory });
    this.linear1 = new Linear(dModel, dimFeedforward, factory);
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, factory);
    this.normFirst = normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
    this.norm3 = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = activationFn(activation);
  }

  /** forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?) */
  forward(tgt: Tensor, memory: Tensor, ...rest: Rest<DecoderLayerForwardOptions, typeof DECODER_FORWARD>): Tensor {
    const o = parse<DecoderLayerForwardOptions>('TransformerDecoderLayer.forward', rest, DECODER_FORWARD);
    const [tgtMask, memoryMask] = [o.tgtMask ?? null, o.memoryMask ?? null];
    const [tgtKpm, memoryKpm] = [o.tgtKeyPaddingMask ?? null, o.memoryKeyPaddingMask ?? null];
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1(x), tgtMask, tgtKpm));
      x = x.add(this.mhaBlock(this.norm2(x), memory, memoryMask, memoryKpm));
      x = x.add(this.ffBlock(this.norm3(x)));
    } else {
      x = this.norm1(x.add(this.saBlock(x, tgtMask, tgtKpm)));
      x = this.norm2(x.add(this.mhaBlock(x, memory, memoryMask, memoryKpm)));
      x = this.norm3(x.add(this.ffBlock(x)));
    }
    return x;
  }

  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.self_attn(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1(out);
  }

  private mhaBlock(x: Tensor, mem: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.multihead_attn(x, mem, mem, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout2(out);
  }

  private ffBlock(x: Tensor): Tensor {
    return this.dropout3(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }
}

/** Python's _get_clones: N deep copies of a layer in a ModuleList. */
function clones<M extends Module>(layer: M, n: number): ModuleList<M> {
  return new ModuleList(Array.from({ length: n }, () => deepcopy(layer)));
}

/** TransformerEncoder's parameters by name: TransformerEncoder(encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True). */
export interface TransformerEncoderArgs {
  encoderLayer: TransformerEncoderLayer;
  numLayers: number;
  norm?: Module | null;
  enableNestedTensor?: boolean;
  maskCheck?: boolean;
}
const ENCODER = signature<TransformerEncoderArgs>()(['encoderLayer', 'numLayers'], ['norm', 'enableNestedTensor', 'maskCheck']);

/** TransformerDecoder's parameters by name: TransformerDecoder(decoder_layer, num_layers, norm=None). */
export interface TransformerDecoderArgs {
  decoderLayer: TransformerDecoderLayer;
  numLayers: number;
  norm?: Module | null;
}
const DECODER = signature<TransformerDecoderArgs>()(['decoderLayer', 'numLayers'], ['norm']);

export interface EncoderForwardOptions {
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}
const ENCODER_FORWARD = ['mask', 'srcKeyPaddingMask'] as const;

/** A stack of N copies of an encoder layer, then an optional norm. */
export class TransformerEncoder extends Module {
  layers: ModuleList<TransformerEncoderLayer>;
  readonly numLayers: number;
  norm: Module | null;
  readonly enableNestedTensor: boolean;
  readonly maskCheck: boolean;

  /** TransformerEncoder(encoderLayer, numLayers, norm?, enableNestedTensor = true, maskCheck = true), any of them by name */
  constructor(...args: ArgsOf<typeof ENCODER>) {
    super();
    const o = ENCODER.bind('TransformerEncoder', args);
    this.layers = clones(o.encoderLayer, o.numLayers);
    this.numLayers = o.numLayers;
    this.norm = o.norm ?? null;
    this.enableNestedTensor = o.enableNestedTensor ?? true;
    this.maskCheck = o.maskCheck ?? true;
  }

  private nestedPathApplies(src: Tensor, mask: Tensor | null, kpm: Tensor | null): boolean {
    return nestedPathAppliesTo(this, src, mask, kpm);
  }

  /** forward(src, mask?, srcKeyPaddingMask?) */
  forward(src: Tensor, ...rest: Rest<EncoderForwardOptions, typeof ENCODER_FORWARD>): Tensor {
    const o = parse<EncoderForwardOptions>('TransformerEncoder.forward', rest, ENCODER_FORWARD);
    const kpm = o.srcKeyPaddingMask ?? null;
    checkKeyPaddingMask(kpm);
    const mask = o.mask ?? null;
    let output = src;
    // PyTorch's inference path: padded positions dropped (nested tensor), zeros there afterwards
    const nested = this.nestedPathApplies(src, mask, kpm);
    if (nested) output = kernels.nestedFromMask([output, kpm!.logicalNot()], { mask_check: false }) as Tensor;
    for (const mod of this.layers) output = mod(output, { srcMask: mask, srcKeyPaddingMask: nested ? null : kpm });
    if (nested) output = kernels.toPadded([output, 0]) as Tensor;
    if (this.norm) output = (this.norm as (x: Tensor) => Tensor)(output);
    return output;
  }
}

/** TransformerEncoder's conditions for running the layers on a nested tensor. */
function nestedPathAppliesTo(enc: TransformerEncoder, src: Tensor, mask: Tensor | null, kpm: Tensor | null): boolean {
  const first = enc.layers.at(0);
  if (!(first instanceof TransformerEncoderLayer) || first.normFirst) return false;
  if (!first._fastPathApplies(src, null, false) || !enc.enableNestedTensor || kpm === null) return false;
  if (enc.maskCheck && !(kernels.leftAligned([src, kpm.logicalNot()]) as boolean)) return false;
  if (mask) return false;
  return inferenceKernelsAllowed([src, ...first._fusedTensors()]);
}

/** A stack of N copies of a decoder layer, then an optional norm. */
export class TransformerDecoder extends Module {
  layers: ModuleList<TransformerDecoderLayer>;
  readonly numLayers: number;
  norm: Module | null;

  /** TransformerDecoder(decoderLayer, numLayers, norm?), any of them by name */
  constructor(...args: ArgsOf<typeof DECODER>) {
    super();
    const { decoderLayer, numLayers, norm = null } = DECODER.bind('TransformerDecoder', args);
    this.layers = clones(decoderLayer, numLayers);
    this.numLayers = numLayers;
    this.norm = norm;
  }

  /** forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?) */
  forward(tgt: Tensor, memory: Tensor, ...rest: Rest<DecoderLayerForwardOptions, typeof DECODER_FORWARD>): Tensor {
    const o = parse<DecoderLayerForwardOptions>('TransformerDecoder.forward', rest, DECODER_FORWARD);
    let output = tgt;
    for (const mod of this.layers) output = mod(output, memory, o);
    if (this.norm) output = (this.norm as (x: Tensor) => Tensor)(output);
    return output;
  }
}

export interface TransformerOptions extends TransformerLayerOptions {
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
}
const TRANSFORMER_POSITIONAL = [
  'dModel',
  'nhead',
  'numEncoderLayers',
  'numDecoderLayers',
  'dimFeedforward',
  'dropout',
  'activation',
  'customEncoder',
  'customDecoder',
  'layerNormEps',
  'batchFirst',
  'normFirst',
  ...FACTORY_KEYS,
] as const;

export interface TransformerForwardOptions extends DecoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}
const TRANSFORMER_FORWARD = ['srcMask', 'tgtMask', 'memoryMask', 'srcKeyPaddingMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'] as const;

/** Transformer.generate_square_subsequent_mask(sz, device='cpu'), PyTorch 1.13's (no dtype yet). */
const SQUARE_MASK = signature<{ sz: number; device?: DeviceLike }>()(['sz'], ['device']);

/** Encoder-decoder Transformer ("Attention Is All You Need"), xavier_uniform_ on every matrix. */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(...rest: Rest<TransformerOptions, typeof TRANSFORMER_POSITIONAL>) {
    super();
    const o = parse<TransformerOptions>('Transformer', rest, TRANSFORMER_POSITIONAL);
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, layerNormEps = 1e-5, batchFirst = false, device, dtype } = o;
    const factory = { device, dtype };
    const layerOptions: TransformerLayerOptions = {
      dimFeedforward: o.dimFeedforward ?? 2048,
      dropout: o.dropout ?? 0.1,
      activation: o.activation ?? relu,
      layerNormEps,
      batchFirst,
      normFirst: o.normFirst ?? false,
      ...factory,
    };
    if (o.customEncoder) {
      this.encoder = o.customEncoder;
    } else {
      const layer = new TransformerEncoderLayer(dModel, nhead, layerOptions);
      const norm = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
      this.encoder = new TransformerEncoder(layer, numEncoderLayers, norm);
    }
    if (o.customDecoder) {
      this.decoder = o.customDecoder;
    } else {
      const layer = new TransformerDecoderLayer(dModel, nhead, layerOptions);
      const norm = new LayerNorm(dModel, { eps: layerNormEps, ...factory });
      this.decoder = new TransformerDecoder(layer, numDecoderLayers, norm);
    }
    this._resetParameters();
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = batchFirst;
  }

  /** forward(src, tgt, srcMask?, tgtMask?, memoryMask?, srcKeyPaddingMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?) */
  forward(src: Tensor, tgt: Tensor, ...rest: Rest<TransformerForwardOptions, typeof TRANSFORMER_FORWARD>): Tensor {
    const o = parse<TransformerForwardOptions>('Transformer.forward', rest, TRANSFORMER_FORWARD);
    const batched = src.dim() === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    if (batched && src.size(batchDim) !== tgt.size(batchDim)) throw new TorchError('the batch number of src and tgt must be equal');
    if (src.size(-1) !== this.dModel || tgt.size(-1) !== this.dModel) {
      throw new TorchError('the feature number of src and tgt must be equal to d_model');
    }
    const encoder = this.encoder as unknown as (src: Tensor, options: EncoderForwardOptions) => Tensor;
    const decoder = this.decoder as unknown as (tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions) => Tensor;
    const memory = encoder(src, { mask: o.srcMask ?? null, srcKeyPaddingMask: o.srcKeyPaddingMask ?? null });
    return decoder(tgt, memory, {
      tgtMask: o.tgtMask ?? null,
      memoryMask: o.memoryMask ?? null,
      tgtKeyPaddingMask: o.tgtKeyPaddingMask ?? null,
      memoryKeyPaddingMask: o.memoryKeyPaddingMask ?? null,
    });
  }

  /**
   * A float mask with -inf above the diagonal (position i may attend to positions <= i). PyTorch
   * 1.13's generate_square_subsequent_mask(sz, device='cpu'), either by keyword:
   * generateSquareSubsequentMask(5, { device: 'cuda' }).
   */
  static generateSquareSubsequentMask(...args: ArgsOf<typeof SQUARE_MASK>): Tensor {
    const { sz, device = 'cpu' } = SQUARE_MASK.bind('Transformer.generateSquareSubsequentMask', args);
    return triu(full([sz, sz], -Infinity, { device }), 1);
  }

  _resetParameters(): void {
    for (const p of this.parameters()) if (p.dim() > 1) init.xavierUniform_(p);
  }
}
