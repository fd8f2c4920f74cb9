// torchvision.models.vision_transformer: ViT-B/16, B/32, L/16, L/32, H/14 (the VisionTransformer class takes any size).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty, zeros } from '../../tensor/create';
import { cat } from '../../tensor/functions';
import * as nn from '../../nn';
import { Module, LocalMetadata } from '../../nn/module';
import { Parameter } from '../../nn/parameter';
import { Seq, seq, MLP, NormLayer, gelu } from './ops';
import { BuilderOptions, build, builderKeys } from './builder';
import { WEIGHTS, Weights } from './weights';
import { checkKeywords, keysOf } from '../../keywords';
import { pySize } from '../../py-format';

/** torchvision's partial(nn.LayerNorm, eps=1e-6) */
export const defaultNorm: NormLayer = (c) => new nn.LayerNorm(c, { eps: 1e-6 });

export class MLPBlock extends MLP {
  constructor(inDim: number, mlpDim: number, dropout: number) {
    super(inDim, [mlpDim, inDim], { activationLayer: gelu, inplace: null, dropout });
    for (const m of this.modules()) {
      if (m instanceof nn.Linear) {
        nn.init.xavierUniform_(m.weight);
        if (m.bias) nn.init.normal_(m.bias, 0, 1e-6);
      }
    }
  }

  /** Checkpoints from before torchvision's MLPBlock became an MLP (version < 2) name the linears linear_1/linear_2. */
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version < 2) {
      for (const [i, index] of [[1, 0], [2, 3]]) {
        for (const kind of ['weight', 'bias']) {
          const old = `${prefix}linear_${i}.${kind}`;
          if (!stateDict.has(old)) continue;
          stateDict.set(`${prefix}${index}.${kind}`, stateDict.get(old));
          stateDict.delete(old);
        }
      }
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}
MLPBlock.prototype._version = 2;

export class EncoderBlock extends Module {
  ln_1: Module;
  self_attention: nn.MultiheadAttention;
  dropout: nn.Dropout;
  ln_2: Module;
  mlp: MLPBlock;

  constructor(readonly numHeads: number, hiddenDim: number, mlpDim: number, dropout: number, attentionDropout: number, normLayer: NormLayer = defaultNorm) {
    super();
    this.ln_1 = normLayer(hiddenDim);
    this.self_attention = new nn.MultiheadAttention(hiddenDim, numHeads, { dropout: attentionDropout, batchFirst: true });
    this.dropout = new nn.Dropout(dropout);
    this.ln_2 = normLayer(hiddenDim);
    this.mlp = new MLPBlock(hiddenDim, mlpDim, dropout);
  }

  forward(input: Tensor): Tensor {
    if (input.dim() !== 3) throw new TorchError(`Expected (batch_size, seq_length, hidden_dim) got ${pySize(input.shape)}`);
    let x = this.ln_1(input) as Tensor;
    [x] = this.self_attention(x, x, x, { needWeights: false });
    x = this.dropout(x).add(input);
    const y = this.mlp(this.ln_2(x)) as Tensor;
    return x.add(y);
  }
}

export class Encoder extends Module {
  pos_embedding: Parameter;
  dropout: nn.Dropout;
  layers: nn.Sequential;
  ln: Module;

  constructor(seqLength: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, dropout: number, attentionDropout: number, normLayer: NormLayer = defaultNorm) {
    super();
    this.pos_embedding = new Parameter(empty([1, seqLength, hiddenDim]).normal_(0, 0.02));
    this.dropout = new nn.Dropout(dropout);
    const layers = new Map<string, Module>();
    for (let i = 0; i < numLayers; i++) layers.set(`encoder_layer_${i}`, new EncoderBlock(numHeads, hiddenDim, mlpDim, dropout, attentionDropout, normLayer));
    this.layers = new nn.Sequential(layers);
    this.ln = normLayer(hiddenDim);
  }

  forward(input: Tensor): Tensor {
    if (input.dim() !== 3) throw new TorchError(`Expected (batch_size, seq_length, hidden_dim) got ${pySize(input.shape)}`);
    return this.ln(this.layers(this.dropout(input.add(this.pos_embedding))));
  }
}

export interface VisionTransformerOptions {
  dropout?: number;
  attentionDropout?: number;
  numClasses?: number;
  representationSize?: number | null;
  normLayer?: NormLayer;
}
const VIT_KEYS = keysOf<VisionTransformerOptions>()('dropout', 'attentionDropout', 'numClasses', 'representationSize', 'normLayer');

// `heads` is typed with the children fine-tuning code reaches (heads[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface VisionTransformer {
  /** head (a Linear), after pre_logits and act when representationSize is given */
  get heads(): Seq<{ head: nn.Linear }>;
  set heads(value: nn.Sequential);
}

export class VisionTransformer extends Module {
  conv_proj: nn.Conv2d;
  class_token: Parameter;
  encoder: Encoder;
  readonly seqLength: number;
  readonly attentionDropout: number;
  readonly dropout: number;
  readonly numClasses: number;
  readonly representationSize: number | null;
  readonly normLayer: NormLayer;

  constructor(
    readonly imageSize: number,
    readonly patchSize: number,
    numLayers: number,
    numHeads: number,
    readonly hiddenDim: number,
    readonly mlpDim: number,
    options: VisionTransformerOptions = {},
  ) {
    super();
    checkKeywords('VisionTransformer', options, VIT_KEYS);
    if (imageSize % patchSize !== 0) throw new TorchError('Input shape indivisible by patch size!');
    const { dropout = 0, attentionDropout = 0, numClasses = 1000, representationSize = null, normLayer = defaultNorm } = options;
    this.attentionDropout = attentionDropout;
    this.dropout = dropout;
    this.numClasses = numClasses;
    this.representationSize = representationSize;
    this.normLayer = normLayer;
    this.conv_proj = new nn.Conv2d(3, hiddenDim, patchSize, { stride: patchSize });
    let seqLength = (Math.floor(imageSize / patchSize)) ** 2;
    this.class_token = new Parameter(zeros([1, 1, hiddenDim]));
    seqLength += 1;
    this.encoder = new Encoder(seqLength, numLayers, numHeads, hiddenDim, mlpDim, dropout, attentionDropout, normLayer);
    this.seqLength = seqLength;
    const heads = new Map<string, Module>();
    if (representationSize === null) {
      heads.set('head', new nn.Linear(hiddenDim, numClasses));
    } else {
      heads.set('pre_logits', new nn.Linear(hiddenDim, representationSize));
      heads.set('act', new nn.Tanh());
      heads.set('head', new nn.Linear(representationSize, numClasses));
    }
    this.heads = seq(new nn.Sequential(heads));

    const fanIn = 3 * patchSize * patchSize;
    nn.init.truncNormal_(this.conv_proj.weight, 0, Math.sqrt(1 / fanIn));
    if (this.conv_proj.bias) nn.init.zeros_(this.conv_proj.bias);
    if (representationSize !== null) {
      const pre = this.heads.getSubmodule('pre_logits') as nn.Linear;
      nn.init.truncNormal_(pre.weight, 0, Math.sqrt(1 / pre.inFeatures));
      nn.init.zeros_(pre.bias!);
    }
    const head = this.heads.getSubmodule('head') as nn.Linear;
    nn.init.zeros_(head.weight);
    nn.init.zeros_(head.bias!);
  }

  /** (N, 3, H, W) -> (N, (H/p)*(W/p), hidden) */
  _processInput(x: Tensor): Tensor {
    const [n, , h, w] = x.shape;
    if (h !== this.imageSize) throw new TorchError(`Wrong image height! Expected ${this.imageSize} but got ${h}!`);
    if (w !== this.imageSize) throw new TorchError(`Wrong image width! Expected ${this.imageSize} but got ${w}!`);
    const p = this.patchSize;
    return this.conv_proj(x).reshape([n, this.hiddenDim, (h / p) * (w / p)]).permute([0, 2, 1]);
  }

  forward(x: Tensor): Tensor {
    x = this._processInput(x);
    const n = x.shape[0];
    x = cat([this.class_token.expand([n, -1, -1]), x], 1);
    x = this.encoder(x);
    return this.heads(x.select(1, 0));
  }
}

export const ViT_B_16_Weights = WEIGHTS.ViT_B_16_Weights;
export const ViT_B_32_Weights = WEIGHTS.ViT_B_32_Weights;
export const ViT_L_16_Weights = WEIGHTS.ViT_L_16_Weights;
export const ViT_L_32_Weights = WEIGHTS.ViT_L_32_Weights;
export const ViT_H_14_Weights = WEIGHTS.ViT_H_14_Weights;
/** the vit builders' options: the image size is their own */
export type VisionTransformerBuilderOptions = VisionTransformerOptions & BuilderOptions & { imageSize?: number };
const VIT_BUILDER_KEYS = builderKeys<VisionTransformerBuilderOptions>()('dropout', 'attentionDropout', 'representationSize', 'normLayer', 'imageSize');

/** torchvision's _vision_transformer: patch size, layers, heads, hidden and MLP dimensions fixed per size. */
function visionTransformer(fn: string, enumName: keyof typeof WEIGHTS, patchSize: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, o: VisionTransformerBuilderOptions): VisionTransformer {
  return build(fn, enumName, VIT_BUILDER_KEYS, o, (numClasses, { imageSize, ...rest }, entry) => {
    // an enum entry fixes the image size (its min_size), as torchvision does
    const fixed = entry instanceof Weights && entry.meta.minSize ? entry.meta.minSize[0] : undefined;
    if (fixed !== undefined && imageSize !== undefined && imageSize !== fixed) {
      throw new TorchError(`The parameter 'image_size' expected value ${fixed} but got ${imageSize} instead.`);
    }
    return new VisionTransformer(fixed ?? imageSize ?? 224, patchSize, numLayers, numHeads, hiddenDim, mlpDim, { ...rest, numClasses });
  });
}

type Opts = VisionTransformerBuilderOptions;
export const vitB16 = (o: Opts = {}) => visionTransformer('vitB16', 'ViT_B_16_Weights', 16, 12, 12, 768, 3072, o);
export const vitB32 = (o: Opts = {}) => visionTransformer('vitB32', 'ViT_B_32_Weights', 32, 12, 12, 768, 3072, o);
export const vitL16 = (o: Opts = {}) => visionTransformer('vitL16', 'ViT_L_16_Weights', 16, 24, 16, 1024, 4096, o);
export const vitL32 = (o: Opts = {}) => visionTransformer('vitL32', 'ViT_L_32_Weights', 32, 24, 16, 1024, 4096, o);
/** only SWAG weights (no IMAGENET1K_V1), so `pretrained: true` has none, as in torchvision */
export const vitH14 = (o: Opts = {}) => visionTransformer('vitH14', 'ViT_H_14_Weights', 14, 32, 16, 1280, 5120, o);
