// torchvision.models.video.mvit: MViT (v1 base, v2 small), MultiscaleBlock, PositionalEncoding and
// MSBlockConfig, with torchvision's names, construction order and initialisation (truncated normal
// Linear weights and positional parameters).
import { PyTypeError, TorchError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { zeros } from '../../../tensor/create';
import { cat } from '../../../tensor/functions';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { Parameter } from '../../../nn/parameter';
import { ArgsOf, signature } from '../../../keywords';
import { asPyList } from '../../../py-format';
import { MLP, NormLayer, StochasticDepth, gelu } from '../ops';
import { MultiscaleAttention, Pool, THW, unsqueezeTo } from './mvit-attention';
import { VideoBuilderOptions, buildVideo } from './video-builder';

export interface MSBlockConfigArgs {
  numHeads: number;
  inputChannels: number;
  outputChannels: number;
  kernelQ: readonly number[];
  kernelKv: readonly number[];
  strideQ: readonly number[];
  strideKv: readonly number[];
}
const MS_BLOCK_CONFIG = signature<MSBlockConfigArgs>()(['numHeads', 'inputChannels', 'outputChannels', 'kernelQ', 'kernelKv', 'strideQ', 'strideKv'], []);

/** One block's heads, channels, and query / key-value pooling kernels and strides (torchvision's dataclass). */
export class MSBlockConfig implements MSBlockConfigArgs {
  readonly numHeads: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly kernelQ: readonly number[];
  readonly kernelKv: readonly number[];
  readonly strideQ: readonly number[];
  readonly strideKv: readonly number[];

  constructor(...args: ArgsOf<typeof MS_BLOCK_CONFIG>) {
    const c = MS_BLOCK_CONFIG.bind('MSBlockConfig', args);
    this.numHeads = c.numHeads;
    this.inputChannels = c.inputChannels;
    this.outputChannels = c.outputChannels;
    this.kernelQ = c.kernelQ;
    this.kernelKv = c.kernelKv;
    this.strideQ = c.strideQ;
    this.strideKv = c.strideKv;
  }
}

export interface MultiscaleBlockArgs {
  inputSize: readonly number[];
  cnf: MSBlockConfigArgs;
  residualPool: boolean;
  residualWithClsEmbed: boolean;
  relPosEmbed: boolean;
  projAfterAttn: boolean;
  dropout?: number;
  stochasticDepthProb?: number;
  normLayer?: NormLayer;
}
const MULTISCALE_BLOCK = signature<MultiscaleBlockArgs>()(
  ['inputSize', 'cnf', 'residualPool', 'residualWithClsEmbed', 'relPosEmbed', 'projAfterAttn'],
  ['dropout', 'stochasticDepthProb', 'normLayer'],
);

const layerNorm: NormLayer = (c) => new nn.LayerNorm(c);

/** norm(x) over the channels, (B, N, C) -> (B, N, C), transposing around a BatchNorm1d. */
const normTokens = (norm: Module, x: Tensor, transpose: boolean): Tensor =>
  transpose ? (norm(x.transpose(1, 2)) as Tensor).transpose(1, 2) : (norm(x) as Tensor);

export class MultiscaleBlock extends Module {
  readonly projAfterAttn: boolean;
  pool_skip: Pool | null;
  norm1: Module;
  norm2: Module;
  readonly needsTransposal: boolean;
  attn: MultiscaleAttention;
  mlp: MLP;
  stochastic_depth: StochasticDepth;
  project: nn.Linear | null;

  constructor(...args: ArgsOf<typeof MULTISCALE_BLOCK>) {
    super();
    const a = MULTISCALE_BLOCK.bind('MultiscaleBlock', args);
    const { cnf, dropout = 0, stochasticDepthProb = 0, normLayer = layerNorm } = a;
    this.projAfterAttn = a.projAfterAttn;
    this.pool_skip = null;
    if (cnf.strideQ.reduce((p, s) => p * s, 1) > 1) {
      const kernelSkip = cnf.strideQ.map((s) => (s > 1 ? s + 1 : s));
      const paddingSkip = kernelSkip.map((k) => Math.floor(k / 2));
      // torchvision passes lists, which MaxPool3d keeps and prints as lists
      this.pool_skip = new Pool(new nn.MaxPool3d(asPyList(kernelSkip), { stride: asPyList([...cnf.strideQ]), padding: asPyList(paddingSkip) }), null);
    }
    const attnDim = a.projAfterAttn ? cnf.outputChannels : cnf.inputChannels;
    this.norm1 = normLayer(cnf.inputChannels);
    this.norm2 = normLayer(attnDim);
    this.needsTransposal = this.norm1 instanceof nn.BatchNorm1d;
    this.attn = new MultiscaleAttention(a.inputSize, cnf.inputChannels, attnDim, cnf.numHeads, {
      kernelQ: cnf.kernelQ,
      kernelKv: cnf.kernelKv,
      strideQ: cnf.strideQ,
      strideKv: cnf.strideKv,
      relPosEmbed: a.relPosEmbed,
      residualPool: a.residualPool,
      residualWithClsEmbed: a.residualWithClsEmbed,
      dropout,
      normLayer,
    });
    this.mlp = new MLP(attnDim, [4 * attnDim, cnf.outputChannels], { activationLayer: gelu, dropout, inplace: null });
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
    this.project = cnf.inputChannels !== cnf.outputChannels ? new nn.Linear(cnf.inputChannels, cnf.outputChannels) : null;
  }

  forward(input: Tensor, thw: THW): [Tensor, THW] {
    const xNorm1 = normTokens(this.norm1, input, this.needsTransposal);
    const [xAttn, thwNew] = this.attn(xNorm1, thw) as [Tensor, THW];
    let x = this.project && this.projAfterAttn ? (this.project(xNorm1) as Tensor) : input;
    const xSkip = this.pool_skip ? (this.pool_skip(x, thw) as [Tensor, THW])[0] : x;
    x = xSkip.add(this.stochastic_depth(xAttn) as Tensor);
    const xNorm2 = normTokens(this.norm2, x, this.needsTransposal);
    const xProj = this.project && !this.projAfterAttn ? (this.project(xNorm2) as Tensor) : x;
    return [xProj.add(this.stochastic_depth(this.mlp(xNorm2)) as Tensor), thwNew];
  }
}

interface PositionalEncodingArgs {
  embedSize: number;
  spatialSize: readonly [number, number];
  temporalSize: number;
  relPosEmbed: boolean;
}
const POSITIONAL_ENCODING = signature<PositionalEncodingArgs>()(['embedSize', 'spatialSize', 'temporalSize', 'relPosEmbed'], []);

/** The class token, prepended; with absolute positions (MViTv1), separable spatial + temporal embeddings added. */
export class PositionalEncoding extends Module {
  readonly spatialSize: [number, number];
  readonly temporalSize: number;
  class_token: Parameter;
  spatial_pos: Parameter | null;
  temporal_pos: Parameter | null;
  class_pos: Parameter | null;

  constructor(...args: ArgsOf<typeof POSITIONAL_ENCODING>) {
    super();
    const { embedSize, spatialSize, temporalSize, relPosEmbed } = POSITIONAL_ENCODING.bind('PositionalEncoding', args);
    this.spatialSize = [spatialSize[0], spatialSize[1]];
    this.temporalSize = temporalSize;
    this.class_token = new Parameter(zeros(embedSize));
    this.spatial_pos = this.temporal_pos = this.class_pos = null;
    if (!relPosEmbed) {
      this.spatial_pos = new Parameter(zeros(spatialSize[0] * spatialSize[1], embedSize));
      this.temporal_pos = new Parameter(zeros(temporalSize, embedSize));
      this.class_pos = new Parameter(zeros(embedSize));
    }
  }

  forward(input: Tensor): Tensor {
    const classToken = this.class_token.expand(input.size(0), -1).unsqueeze(1);
    const x = cat([classToken, input], 1);
    if (this.spatial_pos && this.temporal_pos && this.class_pos) {
      const [hw, embed] = this.spatial_pos.shape;
      const pos = this.temporal_pos.repeatInterleave(hw, 0);
      pos.add_(this.spatial_pos.unsqueeze(0).expand(this.temporalSize, -1, -1).reshape(-1, embed));
      x.add_(cat([this.class_pos.unsqueeze(0), pos], 0).unsqueeze(0));
    }
    return x;
  }
}

/** A block class (MultiscaleBlock) or a factory; torchvision calls block(input_size=..., cnf=..., ...). */
export type MViTBlock = (new (args: MultiscaleBlockArgs) => Module) | ((args: MultiscaleBlockArgs) => Module);

export interface MViTArgs {
  spatialSize: readonly [number, number];
  temporalSize: number;
  blockSetting: readonly MSBlockConfigArgs[];
  residualPool: boolean;
  residualWithClsEmbed: boolean;
  relPosEmbed: boolean;
  projAfterAttn: boolean;
  dropout?: number;
  attentionDropout?: number;
  stochasticDepthProb?: number;
  numClasses?: number;
  block?: MViTBlock | null;
  /** default LayerNorm with eps 1e-6 */
  normLayer?: NormLayer | null;
  patchEmbedKernel?: readonly [number, number, number];
  patchEmbedStride?: readonly [number, number, number];
  patchEmbedPadding?: readonly [number, number, number];
}
const MVIT = signature<MViTArgs>()(
  ['spatialSize', 'temporalSize', 'blockSetting', 'residualPool', 'residualWithClsEmbed', 'relPosEmbed', 'projAfterAttn'],
  ['dropout', 'attentionDropout', 'stochasticDepthProb', 'numClasses', 'block', 'normLayer', 'patchEmbedKernel', 'patchEmbedStride', 'patchEmbedPadding'],
);

const mvitLayerNorm: NormLayer = (c) => new nn.LayerNorm(c, { eps: 1e-6 });

export class MViT extends Module {
  conv_proj: nn.Conv3d;
  pos_encoding: PositionalEncoding;
  blocks: nn.ModuleList;
  norm: Module;
  head: nn.Sequential;

  constructor(...args: ArgsOf<typeof MVIT>) {
    super();
    const a = MVIT.bind('MViT', args);
    const { blockSetting, dropout = 0.5, attentionDropout = 0, stochasticDepthProb = 0, numClasses = 400 } = a;
    const total = blockSetting.length;
    if (total === 0) throw new ValueError("The configuration parameter can't be empty.");
    // torchvision divides by (blocks - 1) for the stochastic depth schedule: one block is Python's ZeroDivisionError
    if (total === 1) throw new TorchError('float division by zero');
    const block = a.block ?? MultiscaleBlock;
    const normLayer = a.normLayer ?? mvitLayerNorm;
    const makeBlock = (args: MultiscaleBlockArgs): Module =>
      block.prototype instanceof Module ? new (block as new (args: MultiscaleBlockArgs) => Module)(args) : (block as (args: MultiscaleBlockArgs) => Module)(args);

    this.conv_proj = new nn.Conv3d({
      inChannels: 3,
      outChannels: blockSetting[0].inputChannels,
      kernelSize: [...(a.patchEmbedKernel ?? [3, 7, 7])],
      stride: [...(a.patchEmbedStride ?? [2, 4, 4])],
      padding: [...(a.patchEmbedPadding ?? [1, 3, 3])],
    });
    const stride = this.conv_proj.stride;
    let inputSize = [a.temporalSize, ...a.spatialSize].map((s, i) => Math.floor(s / stride[i]));
    this.pos_encoding = new PositionalEncoding({
      embedSize: blockSetting[0].inputChannels,
      spatialSize: [inputSize[1], inputSize[2]],
      temporalSize: inputSize[0],
      relPosEmbed: a.relPosEmbed,
    });
    this.blocks = new nn.ModuleList();
    blockSetting.forEach((cnf, i) => {
      this.blocks.append(
        makeBlock({
          inputSize,
          cnf,
          residualPool: a.residualPool,
          residualWithClsEmbed: a.residualWithClsEmbed,
          relPosEmbed: a.relPosEmbed,
          projAfterAttn: a.projAfterAttn,
          dropout: attentionDropout,
          // deeper blocks are dropped more often: linearly from 0 to stochasticDepthProb
          stochasticDepthProb: (stochasticDepthProb * i) / (total - 1),
          normLayer,
        }),
      );
      if (cnf.strideQ.length > 0) inputSize = inputSize.map((s, d) => Math.floor(s / cnf.strideQ[d]));
    });
    this.norm = normLayer(blockSetting[total - 1].outputChannels);
    this.head = new nn.Sequential(new nn.Dropout(dropout, { inplace: true }), new nn.Linear(blockSetting[total - 1].outputChannels, numClasses));

    for (const m of this.modules()) {
      if (m instanceof nn.Linear) {
        nn.init.truncNormal_(m.weight, { std: 0.02 });
        if (m.bias) nn.init.constant_(m.bias, 0);
      } else if (m instanceof nn.LayerNorm) {
        if (m.weight) nn.init.constant_(m.weight, 1);
        if (m.bias) nn.init.constant_(m.bias, 0);
      } else if (m instanceof PositionalEncoding) {
        for (const p of m.parameters()) nn.init.truncNormal_(p, { std: 0.02 });
      }
    }
  }

  forward(input: Tensor): Tensor {
    // a single frame batch (B, C, H, W) is a clip of length 1
    let x = (this.conv_proj(unsqueezeTo(input, 5, 2)[0]) as Tensor).flatten(2).transpose(1, 2);
    x = this.pos_encoding(x) as Tensor;
    let thw: THW = [this.pos_encoding.temporalSize, ...this.pos_encoding.spatialSize];
    for (const block of this.blocks) [x, thw] = block(x, thw) as [Tensor, THW];
    x = (this.norm(x) as Tensor).select(1, 0);
    return this.head(x) as Tensor;
  }
}

/** What a builder lets through to MViT (torchvision's **kwargs); the fixed ones are the builder's. */
export interface MViTBuilderOptions extends VideoBuilderOptions {
  dropout?: number;
  attentionDropout?: number;
  stochasticDepthProb?: number;
  block?: MViTBlock | null;
  normLayer?: NormLayer | null;
  patchEmbedKernel?: readonly [number, number, number];
  patchEmbedStride?: readonly [number, number, number];
  patchEmbedPadding?: readonly [number, number, number];
  /** mvit_v1_b only (mvit_v2_s fixes them) */
  relPosEmbed?: boolean;
  projAfterAttn?: boolean;
}
const MVIT_BUILDER_KEYS = ['dropout', 'attentionDropout', 'stochasticDepthProb', 'block', 'normLayer', 'patchEmbedKernel', 'patchEmbedStride', 'patchEmbedPadding', 'relPosEmbed', 'projAfterAttn'];

type Column = readonly (number | readonly number[])[];
/** The per-block settings, one column per MSBlockConfig field. */
function blockSettings(c: Record<keyof MSBlockConfigArgs, Column>): MSBlockConfig[] {
  return c.numHeads.map((_, i) => new MSBlockConfig({
    numHeads: c.numHeads[i] as number,
    inputChannels: c.inputChannels[i] as number,
    outputChannels: c.outputChannels[i] as number,
    kernelQ: c.kernelQ[i] as number[],
    kernelKv: c.kernelKv[i] as number[],
    strideQ: c.strideQ[i] as number[],
    strideKv: c.strideKv[i] as number[],
  }));
}

const K3 = [3, 3, 3];
const NONE: number[] = [];
const S1 = [1, 1, 1];
const S2 = [1, 2, 2];
const HEADS = [1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8];
const STRIDE_KV = [[1, 8, 8], [1, 4, 4], [1, 4, 4], ...Array(11).fill(S2), S1, S1];
const at = (n: number, picks: Record<number, number[]>, otherwise: number[]) => Array.from({ length: n }, (_, i) => picks[i] ?? otherwise);
const c384 = (n: number) => Array(n).fill(384);

function mvit(fn: string, enumName: 'MViT_V1_B_Weights' | 'MViT_V2_S_Weights', blockSetting: MSBlockConfig[], fixed: Partial<MViTArgs>, o: MViTBuilderOptions): MViT {
  // torchvision passes these to _mvit itself: given again, Python's "multiple values" TypeError
  for (const key of Object.keys(fixed)) if (key in o) throw new PyTypeError(`_mvit() got multiple values for keyword argument '${key}'`);
  // an entry would fix the clip size to its min_size and min_temporal_size: 224 and 16, as fixed here
  return buildVideo(fn, enumName, MVIT_BUILDER_KEYS, o, (numClasses, rest) =>
    new MViT({
      spatialSize: [224, 224],
      temporalSize: 16,
      blockSetting,
      residualPool: false,
      residualWithClsEmbed: true,
      relPosEmbed: false,
      projAfterAttn: false,
      stochasticDepthProb: 0.2,
      ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<MViTArgs>),
      ...fixed,
      numClasses,
    }),
  );
}

/** torchvision's mvit_v1_b: MViT base, absolute positions, pooling by strided depthwise convs. */
export const mvitV1B = (o: MViTBuilderOptions = {}): MViT =>
  mvit('mvit_v1_b', 'MViT_V1_B_Weights', blockSettings({
    numHeads: HEADS,
    inputChannels: [96, 192, 192, ...c384(11), 768, 768],
    outputChannels: [192, 192, ...c384(11), 768, 768, 768],
    kernelQ: at(16, { 1: K3, 3: K3, 14: K3 }, NONE),
    kernelKv: Array(16).fill(K3),
    strideQ: at(16, { 1: S2, 3: S2, 14: S2 }, NONE),
    strideKv: STRIDE_KV,
  }), { spatialSize: [224, 224], temporalSize: 16, residualPool: false, residualWithClsEmbed: false }, o);

/** torchvision's mvit_v2_s: MViTv2 small, decomposed relative positions, residual pooling. */
export const mvitV2S = (o: MViTBuilderOptions = {}): MViT =>
  mvit('mvit_v2_s', 'MViT_V2_S_Weights', blockSettings({
    numHeads: HEADS,
    inputChannels: [96, 96, 192, 192, ...c384(11), 768],
    outputChannels: [96, 192, 192, ...c384(11), 768, 768],
    kernelQ: Array(16).fill(K3),
    kernelKv: Array(16).fill(K3),
    strideQ: at(16, { 1: S2, 3: S2, 14: S2 }, S1),
    strideKv: STRIDE_KV,
  }), { spatialSize: [224, 224], temporalSize: 16, residualPool: true, residualWithClsEmbed: false, relPosEmbed: true, projAfterAttn: true }, o);
