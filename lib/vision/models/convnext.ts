// torchvision.models.convnext: ConvNeXt-Tiny/Small/Base/Large (the ConvNeXt class takes any block setting).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { ones } from '../../tensor/create';
import * as nn from '../../nn';
import { layerNorm } from '../../nn/functional/normalization';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { Parameter } from '../../nn/parameter';
import { Seq, seq, Conv2dNormActivation, NormLayer, Permute, StochasticDepth } from './ops';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

/** LayerNorm over the channels of an (N, C, H, W) tensor. */
export class LayerNorm2d extends nn.LayerNorm {
  forward(x: Tensor): Tensor {
    const y = layerNorm(x.permute([0, 2, 3, 1]), this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
    return y.permute([0, 3, 1, 2]);
  }
}

export class CNBlock extends Module {
  block: nn.Sequential;
  layer_scale: Parameter;
  stochastic_depth: StochasticDepth;

  constructor(dim: number, layerScale: number, stochasticDepthProb: number, normLayer?: NormLayer) {
    super();
    const norm = normLayer ?? ((c: number) => new nn.LayerNorm(c, { eps: 1e-6 }));
    this.block = new nn.Sequential(
      new nn.Conv2d(dim, dim, 7, { padding: 3, groups: dim, bias: true }),
      new Permute([0, 2, 3, 1]),
      norm(dim),
      new nn.Linear(dim, 4 * dim, { bias: true }),
      new nn.GELU(),
      new nn.Linear(4 * dim, dim, { bias: true }),
      new Permute([0, 3, 1, 2]),
    );
    this.layer_scale = new Parameter(ones([dim, 1, 1]).mul(layerScale));
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
  }

  forward(input: Tensor): Tensor {
    const branch = this.block(input) as Tensor;
    const result = this.layer_scale.mul(branch);
    release(branch, input, result);
    return this.stochastic_depth(result).add_(input);
  }
}

export class CNBlockConfig {
  constructor(readonly inputChannels: number, readonly outChannels: number | null, readonly numLayers: number) {}
}

export interface ConvNeXtOptions {
  stochasticDepthProb?: number;
  layerScale?: number;
  numClasses?: number;
  normLayer?: NormLayer;
}
const CONVNEXT_KEYS = keysOf<ConvNeXtOptions>()('stochasticDepthProb', 'layerScale', 'numClasses', 'normLayer');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface ConvNeXt {
  /** normLayer, Flatten, Linear */
  get classifier(): Seq<{ 2: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class ConvNeXt extends Module {
  features: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;

  constructor(blockSetting: CNBlockConfig[], options: ConvNeXtOptions = {}) {
    super();
    checkKeywords('ConvNeXt', options, CONVNEXT_KEYS);
    if (!blockSetting.length) throw new TorchError('The block_setting should not be empty');
    const { stochasticDepthProb = 0, layerScale = 1e-6, numClasses = 1000 } = options;
    const normLayer = options.normLayer ?? ((c: number) => new LayerNorm2d(c, { eps: 1e-6 }));
    const layers: Module[] = [
      new Conv2dNormActivation(3, blockSetting[0].inputChannels, { kernelSize: 4, stride: 4, padding: 0, normLayer, activationLayer: null, bias: true }),
    ];
    const total = blockSetting.reduce((s, c) => s + c.numLayers, 0);
    let id = 0;
    for (const cnf of blockSetting) {
      const stage: Module[] = [];
      for (let i = 0; i < cnf.numLayers; i++) {
        stage.push(new CNBlock(cnf.inputChannels, layerScale, (stochasticDepthProb * id) / (total - 1)));
        id++;
      }
      layers.push(new nn.Sequential(...stage));
      if (cnf.outChannels !== null) {
        layers.push(new nn.Sequential(normLayer(cnf.inputChannels), new nn.Conv2d(cnf.inputChannels, cnf.outChannels, 2, { stride: 2 })));
      }
    }
    this.features = new nn.Sequential(...layers);
    this.avgpool = new nn.AdaptiveAvgPool2d(1);
    const last = blockSetting[blockSetting.length - 1];
    const lastOut = last.outChannels ?? last.inputChannels;
    this.classifier = seq(new nn.Sequential(normLayer(lastOut), new nn.Flatten(1), new nn.Linear(lastOut, numClasses)));
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
        nn.init.truncNormal_(m.weight, 0, 0.02);
        if (m.bias) nn.init.zeros_(m.bias);
      }
    }
  }

  forward(x: Tensor): Tensor {
    return chain(x, [this.features, this.avgpool, this.classifier]) as Tensor;
  }
}

export const ConvNeXt_Tiny_Weights = WEIGHTS.ConvNeXt_Tiny_Weights;
export const ConvNeXt_Small_Weights = WEIGHTS.ConvNeXt_Small_Weights;
export const ConvNeXt_Base_Weights = WEIGHTS.ConvNeXt_Base_Weights;
export const ConvNeXt_Large_Weights = WEIGHTS.ConvNeXt_Large_Weights;

/** torchvision's _convnext: stages of [channels, next stage's channels, blocks]; stochasticDepthProb defaults per size. */
function convnext(fn: string, enumName: keyof typeof WEIGHTS, stages: [number, number | null, number][], stochasticDepthProb: number, o: ConvNeXtOptions & BuilderOptions): ConvNeXt {
  return build(fn, enumName, CONVNEXT_KEYS, o, (numClasses, rest) =>
    new ConvNeXt(stages.map(([i, out, n]) => new CNBlockConfig(i, out, n)), { stochasticDepthProb, ...rest, numClasses }),
  );
}

export const convnextTiny = (o: ConvNeXtOptions & BuilderOptions = {}) =>
  convnext('convnextTiny', 'ConvNeXt_Tiny_Weights', [[96, 192, 3], [192, 384, 3], [384, 768, 9], [768, null, 3]], 0.1, o);
export const convnextSmall = (o: ConvNeXtOptions & BuilderOptions = {}) =>
  convnext('convnextSmall', 'ConvNeXt_Small_Weights', [[96, 192, 3], [192, 384, 3], [384, 768, 27], [768, null, 3]], 0.4, o);
export const convnextBase = (o: ConvNeXtOptions & BuilderOptions = {}) =>
  convnext('convnextBase', 'ConvNeXt_Base_Weights', [[128, 256, 3], [256, 512, 3], [512, 1024, 27], [1024, null, 3]], 0.5, o);
export const convnextLarge = (o: ConvNeXtOptions & BuilderOptions = {}) =>
  convnext('convnextLarge', 'ConvNeXt_Large_Weights', [[192, 384, 3], [384, 768, 3], [768, 1536, 27], [1536, null, 3]], 0.5, o);
