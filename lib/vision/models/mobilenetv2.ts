// torchvision.models.mobilenetv2: MobileNetV2.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import * as F from '../../nn/functional';
import { Module } from '../../nn/module';
import { release } from '../../nn/intermediates';
import { Seq, seq, Conv2dNormActivation, NormLayer, batchNorm2d, relu6, makeDivisible, initMobileWeights } from './ops';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

export class InvertedResidual extends Module {
  conv: nn.Sequential;
  readonly useResConnect: boolean;
  readonly outChannels: number;

  constructor(inp: number, oup: number, readonly stride: number, expandRatio: number, normLayer: NormLayer = batchNorm2d()) {
    super();
    if (stride !== 1 && stride !== 2) throw new TorchError(`stride should be 1 or 2 insted of ${stride}`);
    const hiddenDim = Math.round(inp * expandRatio);
    this.useResConnect = stride === 1 && inp === oup;
    const layers: Module[] = [];
    if (expandRatio !== 1) layers.push(new Conv2dNormActivation(inp, hiddenDim, { kernelSize: 1, normLayer, activationLayer: relu6 }));
    layers.push(
      new Conv2dNormActivation(hiddenDim, hiddenDim, { stride, groups: hiddenDim, normLayer, activationLayer: relu6 }),
      new nn.Conv2d(hiddenDim, oup, 1, { stride: 1, padding: 0, bias: false }),
      normLayer(oup),
    );
    this.conv = new nn.Sequential(...layers);
    this.outChannels = oup;
  }

  forward(x: Tensor): Tensor {
    const y = this.conv(x) as Tensor;
    if (!this.useResConnect) return y;
    const out = x.add(y);
    release(y, x, out);
    return out;
  }
}

/** What builds MobileNetV2's blocks (torchvision's `block` argument): (inp, oup, stride, expandRatio, normLayer). */
export type MobileNetV2Block = new (inp: number, oup: number, stride: number, expandRatio: number, normLayer: NormLayer) => Module;

export interface MobileNetV2Options {
  numClasses?: number;
  block?: MobileNetV2Block;
  widthMult?: number;
  invertedResidualSetting?: [number, number, number, number][];
  roundNearest?: number;
  normLayer?: NormLayer;
  dropout?: number;
}
const MOBILENET_V2_KEYS = keysOf<MobileNetV2Options>()('numClasses', 'block', 'widthMult', 'invertedResidualSetting', 'roundNearest', 'normLayer', 'dropout');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface MobileNetV2 {
  /** Dropout, Linear */
  get classifier(): Seq<{ 1: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class MobileNetV2 extends Module {
  features: nn.Sequential;
  readonly lastChannel: number;

  constructor(options: MobileNetV2Options = {}) {
    super();
    checkKeywords('MobileNetV2', options, MOBILENET_V2_KEYS);
    const { numClasses = 1000, block = InvertedResidual, widthMult = 1, roundNearest = 8, normLayer = batchNorm2d(), dropout = 0.2 } = options;
    const setting = options.invertedResidualSetting ?? [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
    if (setting.length === 0 || setting[0].length !== 4) throw new TorchError(`inverted_residual_setting should be non-empty or a 4-element list, got ${JSON.stringify(setting)}`);
    let inputChannel = makeDivisible(32 * widthMult, roundNearest);
    this.lastChannel = makeDivisible(1280 * Math.max(1, widthMult), roundNearest);
    const features: Module[] = [new Conv2dNormActivation(3, inputChannel, { stride: 2, normLayer, activationLayer: relu6 })];
    for (const [t, c, n, s] of setting) {
      const outputChannel = makeDivisible(c * widthMult, roundNearest);
      for (let i = 0; i < n; i++) {
        features.push(new block(inputChannel, outputChannel, i === 0 ? s : 1, t, normLayer));
        inputChannel = outputChannel;
      }
    }
    features.push(new Conv2dNormActivation(inputChannel, this.lastChannel, { kernelSize: 1, normLayer, activationLayer: relu6 }));
    this.features = new nn.Sequential(...features);
    this.classifier = seq(new nn.Sequential(new nn.Dropout(dropout), new nn.Linear(this.lastChannel, numClasses)));
    initMobileWeights(this, (l) => {
      nn.init.normal_(l.weight, 0, 0.01);
      nn.init.zeros_(l.bias!);
    });
  }

  forward(x: Tensor): Tensor {
    const features = this.features(x) as Tensor;
    const f = F.adaptiveAvgPool2d(features, [1, 1]);
    release(features, x, f);
    return this.classifier(f.flatten(1));
  }
}

export const MobileNet_V2_Weights = WEIGHTS.MobileNet_V2_Weights;
export const mobilenetV2 = (o: MobileNetV2Options & BuilderOptions = {}) =>
  build('mobilenetV2', 'MobileNet_V2_Weights', MOBILENET_V2_KEYS, o, (numClasses, rest) => new MobileNetV2({ ...rest, numClasses }));
