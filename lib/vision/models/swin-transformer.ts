// torchvision.models.swin_transformer: Swin-T/S/B and Swin V2-T/S/B (the SwinTransformer class takes any
// configuration). Layers torchvision takes as classes (block, downsample_layer, attn_layer) are classes here
// too; the norm layer is a factory, (channels) => Module, as elsewhere in these models.
import { PyTypeError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { MLP, NormLayer, Permute, StochasticDepth, gelu } from './ops';
import { AttentionLayer, ShiftedWindowAttention, ShiftedWindowAttentionV2, patchMergingPad } from './swin-attention';
import { BuilderOptions, build, builderKeys } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

export { ShiftedWindowAttention, ShiftedWindowAttentionV2, shiftedWindowAttention } from './swin-attention';
export type { AttentionLayer, ShiftedWindowAttentionOptions, ShiftedWindowAttentionFnOptions } from './swin-attention';

const layerNorm: NormLayer = (c) => new nn.LayerNorm(c);

/** Halves H and W of an (..., H, W, C) map, doubling C: 2x2 patches concatenated, normalised, projected. */
export class PatchMerging extends Module {
  reduction: nn.Linear;
  norm: Module;

  constructor(readonly dim: number, normLayer: NormLayer = layerNorm) {
    super();
    this.reduction = new nn.Linear(4 * dim, 2 * dim, { bias: false });
    this.norm = normLayer(4 * dim);
  }

  forward(x: Tensor): Tensor {
    return this.reduction(this.norm(patchMergingPad(x)));
  }
}

/** Swin V2's patch merging: projected first, then normalised (over 2C). */
export class PatchMergingV2 extends Module {
  reduction: nn.Linear;
  norm: Module;

  constructor(readonly dim: number, normLayer: NormLayer = layerNorm) {
    super();
    this.reduction = new nn.Linear(4 * dim, 2 * dim, { bias: false });
    this.norm = normLayer(2 * dim);
  }

  forward(x: Tensor): Tensor {
    return this.norm(this.reduction(patchMergingPad(x)));
  }
}

export interface SwinTransformerBlockOptions {
  mlpRatio?: number;
  dropout?: number;
  attentionDropout?: number;
  stochasticDepthProb?: number;
  normLayer?: NormLayer;
  attnLayer?: AttentionLayer;
}
const BLOCK_KEYS = keysOf<SwinTransformerBlockOptions>()('mlpRatio', 'dropout', 'attentionDropout', 'stochasticDepthProb', 'normLayer', 'attnLayer');

/** Pre-norm window attention and MLP, each a residual branch with stochastic depth. */
export class SwinTransformerBlock extends Module {
  norm1: Module;
  attn: Module;
  stochastic_depth: StochasticDepth;
  norm2: Module;
  mlp: MLP;

  constructor(dim: number, numHeads: number, windowSize: number[], shiftSize: number[], options: SwinTransformerBlockOptions = {}) {
    super();
    checkKeywords(new.target.name, options, BLOCK_KEYS);
    const { mlpRatio = 4, dropout = 0, attentionDropout = 0, stochasticDepthProb = 0, normLayer = layerNorm } = options;
    const AttnLayer = options.attnLayer ?? ShiftedWindowAttention;
    this.norm1 = normLayer(dim);
    this.attn = new AttnLayer(dim, windowSize, shiftSize, numHeads, { attentionDropout, dropout });
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
    this.norm2 = normLayer(dim);
    this.mlp = new MLP(dim, [Math.trunc(dim * mlpRatio), dim], { activationLayer: gelu, inplace: null, dropout });
    for (const m of this.mlp.modules()) {
      if (m instanceof nn.Linear) {
        nn.init.xavierUniform_(m.weight);
        if (m.bias) nn.init.normal_(m.bias, { std: 1e-6 });
      }
    }
  }

  forward(x: Tensor): Tensor {
    x = x.add(this.stochastic_depth(this.attn(this.norm1(x))));
    return x.add(this.stochastic_depth(this.mlp(this.norm2(x))));
  }
}

/** Swin V2's block: post-norm residual branches (norm after attention and after the MLP). */
export class SwinTransformerBlockV2 extends SwinTransformerBlock {
  constructor(dim: number, numHeads: number, windowSize: number[], shiftSize: number[], options: SwinTransformerBlockOptions = {}) {
    super(dim, numHeads, windowSize, shiftSize, { ...options, attnLayer: options.attnLayer ?? ShiftedWindowAttentionV2 });
  }

  forward(x: Tensor): Tensor {
    x = x.add(this.stochastic_depth(this.norm1(this.attn(x))));
    return x.add(this.stochastic_depth(this.norm2(this.mlp(x))));
  }
}

/** What SwinTransformer's block and downsampleLayer take: the classes above or ones built like them. */
export type SwinBlock = new (dim: number, numHeads: number, windowSize: number[], shiftSize: number[], options?: SwinTransformerBlockOptions) => Module;
export type DownsampleLayer = new (dim: number, normLayer?: NormLayer) => Module;

export interface SwinTransformerOptions {
  mlpRatio?: number;
  dropout?: number;
  attentionDropout?: number;
  stochasticDepthProb?: number;
  numClasses?: number;
  normLayer?: NormLayer | null;
  block?: SwinBlock | null;
  downsampleLayer?: DownsampleLayer;
}
const SWIN_KEYS = keysOf<SwinTransformerOptions>()('mlpRatio', 'dropout', 'attentionDropout', 'stochasticDepthProb', 'numClasses', 'normLayer', 'block', 'downsampleLayer');

export class SwinTransformer extends Module {
  readonly numClasses: number;
  features: nn.Sequential;
  norm: Module;
  permute: Permute;
  avgpool: nn.AdaptiveAvgPool2d;
  flatten: nn.Flatten;
  head: nn.Linear;

  constructor(patchSize: number[], embedDim: number, depths: number[], numHeads: number[], windowSize: number[], options: SwinTransformerOptions = {}) {
    super();
    checkKeywords('SwinTransformer', options, SWIN_KEYS);
    const { mlpRatio = 4, dropout = 0, attentionDropout = 0, stochasticDepthProb = 0.1, numClasses = 1000, downsampleLayer: Downsample = PatchMerging } = options;
    const Block = options.block ?? SwinTransformerBlock;
    const normLayer = options.normLayer ?? ((c: number) => new nn.LayerNorm(c, { eps: 1e-5 }));
    this.numClasses = numClasses;

    // the patch embedding: non-overlapping patches, channels last from here on
    const layers: Module[] = [
      new nn.Sequential(new nn.Conv2d(3, embedDim, [patchSize[0], patchSize[1]], { stride: [patchSize[0], patchSize[1]] }), new Permute([0, 2, 3, 1]), normLayer(embedDim)),
    ];
    const totalBlocks = depths.reduce((a, b) => a + b, 0);
    let blockId = 0;
    depths.forEach((depth, iStage) => {
      const dim = embedDim * 2 ** iStage;
      const stage: Module[] = [];
      for (let iLayer = 0; iLayer < depth; iLayer++) {
        // the stochastic depth probability grows linearly with the block's depth
        const sdProb = (stochasticDepthProb * blockId) / (totalBlocks - 1);
        const shiftSize = windowSize.map((w) => (iLayer % 2 === 0 ? 0 : Math.floor(w / 2)));
        stage.push(new Block(dim, numHeads[iStage], windowSize, shiftSize, { mlpRatio, dropout, attentionDropout, stochasticDepthProb: sdProb, normLayer }));
        blockId++;
      }
      layers.push(new nn.Sequential(...stage));
      if (iStage < depths.length - 1) layers.push(new Downsample(dim, normLayer));
    });
    this.features = new nn.Sequential(...layers);

    const numFeatures = embedDim * 2 ** (depths.length - 1);
    this.norm = normLayer(numFeatures);
    this.permute = new Permute([0, 3, 1, 2]);
    this.avgpool = new nn.AdaptiveAvgPool2d(1);
    this.flatten = new nn.Flatten(1);
    this.head = new nn.Linear(numFeatures, numClasses);

    for (const m of this.modules()) {
      if (m instanceof nn.Linear) {
        nn.init.truncNormal_(m.weight, { std: 0.02 });
        if (m.bias) nn.init.zeros_(m.bias);
      }
    }
  }

  forward(x: Tensor): Tensor {
    x = this.norm(this.features(x));
    return this.head(this.flatten(this.avgpool(this.permute(x))));
  }
}

export const Swin_T_Weights = WEIGHTS.Swin_T_Weights;
export const Swin_S_Weights = WEIGHTS.Swin_S_Weights;
export const Swin_B_Weights = WEIGHTS.Swin_B_Weights;
export const Swin_V2_T_Weights = WEIGHTS.Swin_V2_T_Weights;
export const Swin_V2_S_Weights = WEIGHTS.Swin_V2_S_Weights;
export const Swin_V2_B_Weights = WEIGHTS.Swin_V2_B_Weights;

/** The swin builders' options: SwinTransformer's, but for what each builder fixes. */
export type SwinTransformerBuilderOptions = Omit<SwinTransformerOptions, 'numClasses'> & BuilderOptions;
const SWIN_BUILDER_KEYS = builderKeys<SwinTransformerBuilderOptions>()('mlpRatio', 'dropout', 'attentionDropout', 'stochasticDepthProb', 'normLayer', 'block', 'downsampleLayer');

interface SwinConfig {
  embedDim: number;
  depths: number[];
  numHeads: number[];
  windowSize: number;
  stochasticDepthProb: number;
  v2: boolean;
}

/** torchvision's _swin_transformer: 4x4 patches; the V2 builders also fix the block and the patch merging. */
function swinTransformer(fn: string, enumName: keyof typeof WEIGHTS, c: SwinConfig, o: SwinTransformerBuilderOptions): SwinTransformer {
  const fixed = ['stochasticDepthProb', ...(c.v2 ? ['block', 'downsampleLayer'] : [])];
  for (const key of fixed) {
    if ((o as Record<string, unknown>)[key] !== undefined) throw new PyTypeError(`${fn}() got multiple values for keyword argument '${key}'`);
  }
  const v2 = c.v2 ? { block: SwinTransformerBlockV2, downsampleLayer: PatchMergingV2 } : {};
  return build(fn, enumName, SWIN_BUILDER_KEYS, o, (numClasses, rest) =>
    new SwinTransformer([4, 4], c.embedDim, c.depths, c.numHeads, [c.windowSize, c.windowSize], { ...rest, ...v2, stochasticDepthProb: c.stochasticDepthProb, numClasses }),
  );
}

type Opts = SwinTransformerBuilderOptions;
const T = { embedDim: 96, depths: [2, 2, 6, 2], numHeads: [3, 6, 12, 24] };
const S = { embedDim: 96, depths: [2, 2, 18, 2], numHeads: [3, 6, 12, 24] };
const B = { embedDim: 128, depths: [2, 2, 18, 2], numHeads: [4, 8, 16, 32] };
export const swinT = (o: Opts = {}) => swinTransformer('swinT', 'Swin_T_Weights', { ...T, windowSize: 7, stochasticDepthProb: 0.2, v2: false }, o);
export const swinS = (o: Opts = {}) => swinTransformer('swinS', 'Swin_S_Weights', { ...S, windowSize: 7, stochasticDepthProb: 0.3, v2: false }, o);
export const swinB = (o: Opts = {}) => swinTransformer('swinB', 'Swin_B_Weights', { ...B, windowSize: 7, stochasticDepthProb: 0.5, v2: false }, o);
export const swinV2T = (o: Opts = {}) => swinTransformer('swinV2T', 'Swin_V2_T_Weights', { ...T, windowSize: 8, stochasticDepthProb: 0.2, v2: true }, o);
export const swinV2S = (o: Opts = {}) => swinTransformer('swinV2S', 'Swin_V2_S_Weights', { ...S, windowSize: 8, stochasticDepthProb: 0.3, v2: true }, o);
export const swinV2B = (o: Opts = {}) => swinTransformer('swinV2B', 'Swin_V2_B_Weights', { ...B, windowSize: 8, stochasticDepthProb: 0.5, v2: true }, o);
