// torchvision.models.efficientnet: EfficientNet-B0..B7 and EfficientNetV2-S/M/L (the EfficientNet class
// takes any setting of MBConv and FusedMBConv stages).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { release } from '../../nn/intermediates';
import { Seq, seq, Conv2dNormActivation, NormLayer, SqueezeExcitation, StochasticDepth, batchNorm2d, silu, makeDivisible, initMobileWeights, classify } from './ops';
import { BuilderOptions, build, builderKeys } from './builder';
import { checkKeywords, keysOf } from '../../keywords';
import { WEIGHTS } from './weights';

/** The block a stage's configuration builds (torchvision's _MBConvConfig.block). */
export type EfficientNetBlock = new (cnf: MBConvConfig | FusedMBConvConfig, stochasticDepthProb: number, normLayer: NormLayer) => Module;

export class MBConvConfig {
  inputChannels: number;
  outChannels: number;
  readonly numLayers: number;
  /** the block this stage is made of: MBConv unless given */
  block: EfficientNetBlock;

  constructor(
    readonly expandRatio: number,
    readonly kernel: number,
    public stride: number,
    inputChannels: number,
    outChannels: number,
    numLayers: number,
    widthMult = 1,
    depthMult = 1,
    block: EfficientNetBlock | null = null,
  ) {
    this.inputChannels = MBConvConfig.adjustChannels(inputChannels, widthMult);
    this.outChannels = MBConvConfig.adjustChannels(outChannels, widthMult);
    this.numLayers = Math.ceil(numLayers * depthMult);
    this.block = block ?? MBConv;
  }

  static adjustChannels(channels: number, widthMult: number, minValue?: number): number {
    return makeDivisible(channels * widthMult, 8, minValue);
  }
}

/** An EfficientNetV2 fused stage (Table 4 of the EfficientNetV2 paper): channels and depth as given. */
export class FusedMBConvConfig {
  block: EfficientNetBlock;

  constructor(
    readonly expandRatio: number,
    readonly kernel: number,
    public stride: number,
    public inputChannels: number,
    public outChannels: number,
    readonly numLayers: number,
    block: EfficientNetBlock | null = null,
  ) {
    this.block = block ?? FusedMBConv;
  }

  static adjustChannels(channels: number, widthMult: number, minValue?: number): number {
    return MBConvConfig.adjustChannels(channels, widthMult, minValue);
  }
}

/** What MBConv and FusedMBConv share: their layers as `block`, stochastic depth, the residual add. */
abstract class MBConvBlock extends Module {
  block: nn.Sequential;
  stochastic_depth: StochasticDepth;
  readonly useResConnect: boolean;
  readonly outChannels: number;

  protected constructor(cnf: { stride: number; inputChannels: number; outChannels: number }, layers: Module[], stochasticDepthProb: number) {
    super();
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
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

function checkStride(stride: number): void {
  if (stride < 1 || stride > 2) throw new TorchError('illegal stride value');
}

export class MBConv extends MBConvBlock {
  constructor(cnf: MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer) {
    checkStride(cnf.stride);
    const layers: Module[] = [];
    const expanded = MBConvConfig.adjustChannels(cnf.inputChannels, cnf.expandRatio);
    if (expanded !== cnf.inputChannels) layers.push(new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: 1, normLayer, activationLayer: silu }));
    layers.push(new Conv2dNormActivation(expanded, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, groups: expanded, normLayer, activationLayer: silu }));
    const squeeze = Math.max(1, Math.floor(cnf.inputChannels / 4));
    layers.push(new SqueezeExcitation(expanded, squeeze, { activation: () => new nn.SiLU({ inplace: true }) }));
    layers.push(new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    super(cnf, layers, stochasticDepthProb);
  }
}

/** EfficientNetV2's fused block: the expansion and depthwise convolutions fused into one. */
export class FusedMBConv extends MBConvBlock {
  constructor(cnf: FusedMBConvConfig, stochasticDepthProb: number, normLayer: NormLayer) {
    checkStride(cnf.stride);
    const layers: Module[] = [];
    const expanded = FusedMBConvConfig.adjustChannels(cnf.inputChannels, cnf.expandRatio);
    if (expanded !== cnf.inputChannels) {
      // fused expand, then project
      layers.push(new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, normLayer, activationLayer: silu }));
      layers.push(new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    } else {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, cnf.outChannels, { kernelSize: cnf.kernel, stride: cnf.stride, normLayer, activationLayer: silu }));
    }
    super(cnf, layers, stochasticDepthProb);
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

  constructor(setting: (MBConvConfig | FusedMBConvConfig)[], dropout: number, options: EfficientNetOptions = {}) {
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
        // a shallow copy (torchvision's copy.copy), of the same class
        const blockCnf = Object.assign(Object.create(Object.getPrototypeOf(cnf) as object), cnf) as MBConvConfig | FusedMBConvConfig;
        if (stage.length) {
          blockCnf.inputChannels = blockCnf.outChannels;
          blockCnf.stride = 1;
        }
        const sdProb = (stochasticDepthProb * stageBlockId) / totalStageBlocks;
        stage.push(new blockCnf.block(blockCnf, sdProb, normLayer));
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

/** EfficientNetV2-S/M/L's stages. */
export function efficientnetV2Conf(arch: 's' | 'm' | 'l'): (MBConvConfig | FusedMBConvConfig)[] {
  const f = (e: number, k: number, s: number, i: number, o: number, n: number) => new FusedMBConvConfig(e, k, s, i, o, n);
  const b = (e: number, k: number, s: number, i: number, o: number, n: number) => new MBConvConfig(e, k, s, i, o, n);
  if (arch === 's') return [f(1, 3, 1, 24, 24, 2), f(4, 3, 2, 24, 48, 4), f(4, 3, 2, 48, 64, 4), b(4, 3, 2, 64, 128, 6), b(6, 3, 1, 128, 160, 9), b(6, 3, 2, 160, 256, 15)];
  if (arch === 'm') return [f(1, 3, 1, 24, 24, 3), f(4, 3, 2, 24, 48, 5), f(4, 3, 2, 48, 80, 5), b(4, 3, 2, 80, 160, 7), b(6, 3, 1, 160, 176, 14), b(6, 3, 2, 176, 304, 18), b(6, 3, 1, 304, 512, 5)];
  if (arch === 'l') return [f(1, 3, 1, 32, 32, 4), f(4, 3, 2, 32, 64, 7), f(4, 3, 2, 64, 96, 7), b(4, 3, 2, 96, 192, 10), b(6, 3, 1, 192, 224, 19), b(6, 3, 2, 224, 384, 25), b(6, 3, 1, 384, 640, 7)];
  throw new TorchError(`Unsupported model type efficientnet_v2_${arch}`);
}

export const EfficientNet_B0_Weights = WEIGHTS.EfficientNet_B0_Weights;
export const EfficientNet_B1_Weights = WEIGHTS.EfficientNet_B1_Weights;
export const EfficientNet_B2_Weights = WEIGHTS.EfficientNet_B2_Weights;
export const EfficientNet_B3_Weights = WEIGHTS.EfficientNet_B3_Weights;
export const EfficientNet_B4_Weights = WEIGHTS.EfficientNet_B4_Weights;
export const EfficientNet_B5_Weights = WEIGHTS.EfficientNet_B5_Weights;
export const EfficientNet_B6_Weights = WEIGHTS.EfficientNet_B6_Weights;
export const EfficientNet_B7_Weights = WEIGHTS.EfficientNet_B7_Weights;
export const EfficientNet_V2_S_Weights = WEIGHTS.EfficientNet_V2_S_Weights;
export const EfficientNet_V2_M_Weights = WEIGHTS.EfficientNet_V2_M_Weights;
export const EfficientNet_V2_L_Weights = WEIGHTS.EfficientNet_V2_L_Weights;
/** the builders' options: the last channel count is fixed (and normLayer for B5..B7 and V2, as torchvision fixes it) */
export type EfficientNetBuilderOptions = BuilderOptions & Omit<EfficientNetOptions, 'numClasses' | 'lastChannel'> & { dropout?: number };
const EFFICIENTNET_BUILDER_KEYS = builderKeys<EfficientNetBuilderOptions>()('stochasticDepthProb', 'normLayer', 'dropout');

/** torchvision's _efficientnet; `fixedNorm`: the norm layer the builder passes itself (B5..B7, V2). */
function efficientnet(
  fn: string,
  enumName: keyof typeof WEIGHTS,
  setting: () => (MBConvConfig | FusedMBConvConfig)[],
  defaultDropout: number,
  lastChannel: number | null,
  fixedNorm: NormLayer | null,
  o: EfficientNetBuilderOptions,
): EfficientNet {
  if (fixedNorm && o.normLayer !== undefined) throw new TorchError(`${fn}() got multiple values for keyword argument 'normLayer'`);
  return build(fn, enumName, EFFICIENTNET_BUILDER_KEYS, o, (numClasses, { dropout = defaultDropout, ...rest }) =>
    new EfficientNet(setting(), dropout, { ...rest, ...(fixedNorm ? { normLayer: fixedNorm } : {}), numClasses, lastChannel }),
  );
}

const b = (w: number, d: number) => () => efficientnetBConf(w, d);
/** B5..B7: BatchNorm2d(eps=0.001, momentum=0.01) */
const bnB5 = batchNorm2d({ eps: 0.001, momentum: 0.01 });
/** V2: BatchNorm2d(eps=0.001) */
const bnV2 = batchNorm2d({ eps: 0.001 });
type Opts = EfficientNetBuilderOptions;

export const efficientnetB0 = (o: Opts = {}) => efficientnet('efficientnetB0', 'EfficientNet_B0_Weights', b(1, 1), 0.2, null, null, o);
export const efficientnetB1 = (o: Opts = {}) => efficientnet('efficientnetB1', 'EfficientNet_B1_Weights', b(1, 1.1), 0.2, null, null, o);
export const efficientnetB2 = (o: Opts = {}) => efficientnet('efficientnetB2', 'EfficientNet_B2_Weights', b(1.1, 1.2), 0.3, null, null, o);
export const efficientnetB3 = (o: Opts = {}) => efficientnet('efficientnetB3', 'EfficientNet_B3_Weights', b(1.2, 1.4), 0.3, null, null, o);
export const efficientnetB4 = (o: Opts = {}) => efficientnet('efficientnetB4', 'EfficientNet_B4_Weights', b(1.4, 1.8), 0.4, null, null, o);
export const efficientnetB5 = (o: Opts = {}) => efficientnet('efficientnetB5', 'EfficientNet_B5_Weights', b(1.6, 2.2), 0.4, null, bnB5, o);
export const efficientnetB6 = (o: Opts = {}) => efficientnet('efficientnetB6', 'EfficientNet_B6_Weights', b(1.8, 2.6), 0.5, null, bnB5, o);
export const efficientnetB7 = (o: Opts = {}) => efficientnet('efficientnetB7', 'EfficientNet_B7_Weights', b(2, 3.1), 0.5, null, bnB5, o);
export const efficientnetV2S = (o: Opts = {}) => efficientnet('efficientnetV2S', 'EfficientNet_V2_S_Weights', () => efficientnetV2Conf('s'), 0.2, 1280, bnV2, o);
export const efficientnetV2M = (o: Opts = {}) => efficientnet('efficientnetV2M', 'EfficientNet_V2_M_Weights', () => efficientnetV2Conf('m'), 0.3, 1280, bnV2, o);
export const efficientnetV2L = (o: Opts = {}) => efficientnet('efficientnetV2L', 'EfficientNet_V2_L_Weights', () => efficientnetV2Conf('l'), 0.4, 1280, bnV2, o);
