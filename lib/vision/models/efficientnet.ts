// torchvision.models.efficientnet: EfficientNet-B0 (the EfficientNet class takes any MBConv setting).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { release } from '../../nn/intermediates';
import { Seq, seq, Conv2dNormActivation, NormLayer, SqueezeExcitation, StochasticDepth, batchNorm2d, silu, makeDivisible, initMobileWeights, classify } from './ops';
import { BuilderOptions, build, builderKeys } from './builder';
import { checkKeywords, keysOf } from '../../keywords';
import { WEIGHTS } from './weights';

export class MBConvConfig {
  inputChannels: number;
  outChannels: number;
  readonly numLayers: number;

  constructor(
    readonly expandRatio: number,
    readonly kernel: number,
    public stride: number,
    inputChannels: number,
    outChannels: number,
    numLayers: number,
    widthMult = 1,
    depthMult = 1,
  ) {
    this.inputChannels = MBConvConfig.adjustChannels(inputChannels, widthMult);
    this.outChannels = MBConvConfig.adjustChannels(outChannels, widthMult);
    this.numLayers = Math.ceil(numLayers * depthMult);
  }

  static adjustChannels(channels: number, widthMult: number, minValue?: number): number {
    return makeDivisible(channels * widthMult, 8, minValue);
  }
}

export class MBConv extends Module {
  block: nn.Sequential;
  stochastic_depth: StochasticDepth;
  readonly useResConnect: boolean;
  readonly outChannels: number;

  constructor(cnf: MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer) {
    super();
    if (cnf.stride < 1 || cnf.stride > 2) throw new TorchError('illegal stride value');
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const layers: Module[] = [];
    const expanded = MBConvConfig.adjustChannels(cnf.inputChannels, cnf.expandRatio);
    if (expanded !== cnf.inputChannels) layers.push(new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: 1, normLayer, activationLayer: silu }));
    layers.push(new Conv2dNormActivation(expanded, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, groups: expanded, normLayer, activationLayer: silu }));
    const squeeze = Math.max(1, Math.floor(cnf.inputChannels / 4));
    layers.push(new SqueezeExcitation(expanded, squeeze, { activation: () => new nn.SiLU({ inplace: true }) }));
    layers.push(new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    this.block = new nn.Sequential(...layers);
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
    this.outChannels = cnf.outChannels;
  }

  forward(input: Tensor): Tensor {
    const result = this.block(input) as Tensor;
    if (!this.useResConnect) return result;
    const dropped = this.stochastic_depth(result) as Tensor;
    release(result, input, dropped);
    return dropped.add_(input);
  }
}

export interface EfficientNetOptions {
  stochasticDepthProb?: number;
  numClasses?: number;
  normLayer?: NormLayer;
  lastChannel?: number | null;
}
const EFFICIENTNET_KEYS = keysOf<EfficientNetOptions>()('stochasticDepthProb', 'numClasses', 'normLayer', 'lastChannel');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface EfficientNet {
  /** Dropout, Linear */
  get classifier(): Seq<{ 1: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class EfficientNet extends Module {
  features: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;

  constructor(setting: MBConvConfig[], dropout: number, options: EfficientNetOptions = {}) {
    super();
    checkKeywords('EfficientNet', options, EFFICIENTNET_KEYS);
    if (!setting.length) throw new TorchError('The inverted_residual_setting should not be empty');
    const { stochasticDepthProb = 0.2, numClasses = 1000, normLayer = batchNorm2d(), lastChannel = null } = options;
    const layers: Module[] = [new Conv2dNormActivation(3, setting[0].inputChannels, { kernelSize: 3, stride: 2, normLayer, activationLayer: silu })];
    const totalStageBlocks = setting.reduce((s, c) => s + c.numLayers, 0);
    let stageBlockId = 0;
    for (const cnf of setting) {
      const stage: Module[] = [];
      for (let i = 0; i < cnf.numLayers; i++) {
        const blockCnf = Object.assign(Object.create(MBConvConfig.prototype), cnf) as MBConvConfig;
        if (stage.length) {
          blockCnf.inputChannels = blockCnf.outChannels;
          blockCnf.stride = 1;
        }
        const sdProb = (stochasticDepthProb * stageBlockId) / totalStageBlocks;
        stage.push(new MBConv(blockCnf, sdProb, normLayer));
        stageBlockId++;
      }
      layers.push(new nn.Sequential(...stage));
    }
    const lastIn = setting[setting.length - 1].outChannels;
    const lastOut = lastChannel ?? 4 * lastIn;
    layers.push(new Conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, normLayer, activationLayer: silu }));
    this.features = new nn.Sequential(...layers);
    this.avgpool = new nn.AdaptiveAvgPool2d(1);
    this.classifier = seq(new nn.Sequential(new nn.Dropout(dropout, { inplace: true }), new nn.Linear(lastOut, numClasses)));
    initMobileWeights(this, (l) => {
      const range = 1 / Math.sqrt(l.outFeatures);
      nn.init.uniform_(l.weight, -range, range);
      nn.init.zeros_(l.bias!);
    });
  }

  forward(x: Tensor): Tensor {
    return classify(x, this.features, this.avgpool, this.classifier);
  }
}

/** The B0..B7 block table scaled by width and depth multipliers. */
export function efficientnetBConf(widthMult: number, depthMult: number): MBConvConfig[] {
  const b = (e: number, k: number, s: number, i: number, o: number, n: number) => new MBConvConfig(e, k, s, i, o, n, widthMult, depthMult);
  return [b(1, 3, 1, 32, 16, 1), b(6, 3, 2, 16, 24, 2), b(6, 5, 2, 24, 40, 2), b(6, 3, 2, 40, 80, 3), b(6, 5, 1, 80, 112, 3), b(6, 5, 2, 112, 192, 4), b(6, 3, 1, 192, 320, 1)];
}

export const EfficientNet_B0_Weights = WEIGHTS.EfficientNet_B0_Weights;
/** efficientnetB0's options: the last channel count is fixed */
export type EfficientNetBuilderOptions = BuilderOptions & Omit<EfficientNetOptions, 'numClasses' | 'lastChannel'> & { dropout?: number };
const EFFICIENTNET_BUILDER_KEYS = builderKeys<EfficientNetBuilderOptions>()('stochasticDepthProb', 'normLayer', 'dropout');

export const efficientnetB0 = (o: EfficientNetBuilderOptions = {}) =>
  build('efficientnetB0', 'EfficientNet_B0_Weights', EFFICIENTNET_BUILDER_KEYS, o, (numClasses, { dropout = 0.2, ...rest }) => new EfficientNet(efficientnetBConf(1, 1), dropout, { ...rest, numClasses }));
