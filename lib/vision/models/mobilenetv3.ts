// torchvision.models.mobilenetv3: MobileNetV3 small and large.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { Seq, seq, Conv2dNormActivation, NormLayer, SqueezeExcitation, batchNorm2d, hardsigmoid, hardswish, relu, makeDivisible, initMobileWeights, classify } from './ops';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

export class InvertedResidualConfig {
  readonly inputChannels: number;
  readonly expandedChannels: number;
  readonly outChannels: number;
  readonly useHs: boolean;

  constructor(
    inputChannels: number,
    readonly kernel: number,
    expandedChannels: number,
    outChannels: number,
    readonly useSe: boolean,
    activation: 'RE' | 'HS',
    readonly stride: number,
    readonly dilation: number,
    widthMult: number,
  ) {
    this.inputChannels = InvertedResidualConfig.adjustChannels(inputChannels, widthMult);
    this.expandedChannels = InvertedResidualConfig.adjustChannels(expandedChannels, widthMult);
    this.outChannels = InvertedResidualConfig.adjustChannels(outChannels, widthMult);
    this.useHs = activation === 'HS';
  }

  static adjustChannels(channels: number, widthMult: number): number {
    return makeDivisible(channels * widthMult, 8);
  }
}

/** What builds a block's Squeeze-Excitation (torchvision's se_layer): (inputChannels, squeezeChannels). */
export type SeLayer = (inputChannels: number, squeezeChannels: number) => Module;
const hardsigmoidSe: SeLayer = (i, s) => new SqueezeExcitation(i, s, { scaleActivation: hardsigmoid });

export class InvertedResidualV3 extends Module {
  block: nn.Sequential;
  readonly useResConnect: boolean;
  readonly outChannels: number;

  constructor(cnf: InvertedResidualConfig, normLayer: NormLayer, seLayer: SeLayer = hardsigmoidSe) {
    super();
    if (cnf.stride < 1 || cnf.stride > 2) throw new TorchError('illegal stride value');
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const activationLayer = cnf.useHs ? hardswish : relu;
    const layers: Module[] = [];
    if (cnf.expandedChannels !== cnf.inputChannels) {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, cnf.expandedChannels, { kernelSize: 1, normLayer, activationLayer }));
    }
    const stride = cnf.dilation > 1 ? 1 : cnf.stride;
    layers.push(new Conv2dNormActivation(cnf.expandedChannels, cnf.expandedChannels, { kernelSize: cnf.kernel, stride, dilation: cnf.dilation, groups: cnf.expandedChannels, normLayer, activationLayer }));
    if (cnf.useSe) {
      layers.push(seLayer(cnf.expandedChannels, makeDivisible(Math.floor(cnf.expandedChannels / 4), 8)));
    }
    layers.push(new Conv2dNormActivation(cnf.expandedChannels, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    this.block = new nn.Sequential(...layers);
    this.outChannels = cnf.outChannels;
  }

  forward(input: Tensor): Tensor {
    const result = this.block(input) as Tensor;
    return this.useResConnect ? result.add_(input) : result;
  }
}
// printed as torchvision's class name
Object.defineProperty(InvertedResidualV3, 'name', { value: 'InvertedResidual' });

/** What builds MobileNetV3's blocks (torchvision's `block` argument): (cnf, normLayer). */
export type MobileNetV3Block = new (cnf: InvertedResidualConfig, normLayer: NormLayer) => Module;

export interface MobileNetV3Options {
  numClasses?: number;
  block?: MobileNetV3Block;
  normLayer?: NormLayer;
  dropout?: number;
}
const MOBILENET_V3_KEYS = keysOf<MobileNetV3Options>()('numClasses', 'block', 'normLayer', 'dropout');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface MobileNetV3 {
  /** Linear, Hardswish, Dropout, Linear */
  get classifier(): Seq<{ 0: nn.Linear; 3: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class MobileNetV3 extends Module {
  features: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;

  constructor(setting: InvertedResidualConfig[], lastChannel: number, options: MobileNetV3Options = {}) {
    super();
    checkKeywords('MobileNetV3', options, MOBILENET_V3_KEYS);
    if (!setting.length) throw new TorchError('The inverted_residual_setting should not be empty');
    const { numClasses = 1000, block = InvertedResidualV3, normLayer = batchNorm2d({ eps: 0.001, momentum: 0.01 }), dropout = 0.2 } = options;
    const layers: Module[] = [new Conv2dNormActivation(3, setting[0].inputChannels, { kernelSize: 3, stride: 2, normLayer, activationLayer: hardswish })];
    for (const cnf of setting) layers.push(new block(cnf, normLayer));
    const lastIn = setting[setting.length - 1].outChannels;
    const lastOut = 6 * lastIn;
    layers.push(new Conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, normLayer, activationLayer: hardswish }));
    this.features = new nn.Sequential(...layers);
    this.avgpool = new nn.AdaptiveAvgPool2d(1);
    this.classifier = seq(new nn.Sequential(
      new nn.Linear(lastOut, lastChannel),
      new nn.Hardswish({ inplace: true }),
      new nn.Dropout(dropout, { inplace: true }),
      new nn.Linear(lastChannel, numClasses),
    ));
    initMobileWeights(this, (l) => {
      nn.init.normal_(l.weight, 0, 0.01);
      nn.init.zeros_(l.bias!);
    });
  }

  forward(x: Tensor): Tensor {
    return classify(x, this.features, this.avgpool, this.classifier);
  }
}

export interface MobileNetV3ConfOptions {
  widthMult?: number;
  reducedTail?: boolean;
  dilated?: boolean;
}
const CONF_KEYS = keysOf<MobileNetV3ConfOptions>()('widthMult', 'reducedTail', 'dilated');

/** torchvision's _mobilenet_v3_conf: the block settings and last channel of 'mobilenet_v3_large' / '_small'. */
export function mobilenetV3Conf(arch: 'mobilenet_v3_large' | 'mobilenet_v3_small', o: MobileNetV3ConfOptions = {}): [InvertedResidualConfig[], number] {
  checkKeywords('mobilenetV3Conf', o, CONF_KEYS);
  const { widthMult = 1, reducedTail = false, dilated = false } = o;
  const r = reducedTail ? 2 : 1;
  const d = dilated ? 2 : 1;
  const b = (i: number, k: number, e: number, out: number, se: boolean, act: 'RE' | 'HS', s: number, dil: number) => new InvertedResidualConfig(i, k, e, out, se, act, s, dil, widthMult);
  const q = (v: number) => Math.floor(v / r);
  if (arch === 'mobilenet_v3_large') {
    return [[
      b(16, 3, 16, 16, false, 'RE', 1, 1), b(16, 3, 64, 24, false, 'RE', 2, 1), b(24, 3, 72, 24, false, 'RE', 1, 1),
      b(24, 5, 72, 40, true, 'RE', 2, 1), b(40, 5, 120, 40, true, 'RE', 1, 1), b(40, 5, 120, 40, true, 'RE', 1, 1),
      b(40, 3, 240, 80, false, 'HS', 2, 1), b(80, 3, 200, 80, false, 'HS', 1, 1), b(80, 3, 184, 80, false, 'HS', 1, 1),
      b(80, 3, 184, 80, false, 'HS', 1, 1), b(80, 3, 480, 112, true, 'HS', 1, 1), b(112, 3, 672, 112, true, 'HS', 1, 1),
      b(112, 5, 672, q(160), true, 'HS', 2, d), b(q(160), 5, q(960), q(160), true, 'HS', 1, d), b(q(160), 5, q(960), q(160), true, 'HS', 1, d),
    ], InvertedResidualConfig.adjustChannels(q(1280), widthMult)];
  }
  if (arch === 'mobilenet_v3_small') {
    return [[
      b(16, 3, 16, 16, true, 'RE', 2, 1), b(16, 3, 72, 24, false, 'RE', 2, 1), b(24, 3, 88, 24, false, 'RE', 1, 1),
      b(24, 5, 96, 40, true, 'HS', 2, 1), b(40, 5, 240, 40, true, 'HS', 1, 1), b(40, 5, 240, 40, true, 'HS', 1, 1),
      b(40, 5, 120, 48, true, 'HS', 1, 1), b(48, 5, 144, 48, true, 'HS', 1, 1), b(48, 5, 288, q(96), true, 'HS', 2, d),
      b(q(96), 5, q(576), q(96), true, 'HS', 1, d), b(q(96), 5, q(576), q(96), true, 'HS', 1, d),
    ], InvertedResidualConfig.adjustChannels(q(1024), widthMult)];
  }
  throw new TorchError(`Unsupported model type ${arch}`);
}

type Options = MobileNetV3ConfOptions & MobileNetV3Options & BuilderOptions;
const V3_BUILDER_KEYS = [...CONF_KEYS, ...MOBILENET_V3_KEYS];
function mobilenetV3(fn: string, arch: 'mobilenet_v3_large' | 'mobilenet_v3_small', enumName: keyof typeof WEIGHTS, o: Options): MobileNetV3 {
  return build(fn, enumName, V3_BUILDER_KEYS, o, (numClasses, { widthMult, reducedTail, dilated, ...rest }) => {
    const [setting, lastChannel] = mobilenetV3Conf(arch, { widthMult, reducedTail, dilated });
    return new MobileNetV3(setting, lastChannel, { ...rest, numClasses });
  });
}

export const MobileNet_V3_Large_Weights = WEIGHTS.MobileNet_V3_Large_Weights;
export const MobileNet_V3_Small_Weights = WEIGHTS.MobileNet_V3_Small_Weights;
export const mobilenetV3Large = (o: Options = {}) => mobilenetV3('mobilenetV3Large', 'mobilenet_v3_large', 'MobileNet_V3_Large_Weights', o);
export const mobilenetV3Small = (o: Options = {}) => mobilenetV3('mobilenetV3Small', 'mobilenet_v3_small', 'MobileNet_V3_Small_Weights', o);
