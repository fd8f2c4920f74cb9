// torchvision.models.vgg: VGG-11/13/16/19, with and without batch norm.
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { classify, Seq, seq } from './ops';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

export interface VGGOptions {
  numClasses?: number;
  initWeights?: boolean;
  dropout?: number;
}
const VGG_KEYS = keysOf<VGGOptions>()('numClasses', 'initWeights', 'dropout');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface VGG<F extends Module = Seq<{ 0: nn.Conv2d }>> {
  /** Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear */
  get classifier(): Seq<{ 0: nn.Linear; 3: nn.Linear; 6: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class VGG<F extends Module = Seq<{ 0: nn.Conv2d }>> extends Module {
  features: F;
  avgpool: nn.AdaptiveAvgPool2d;

  constructor(features: F, options: VGGOptions = {}) {
    super();
    checkKeywords('VGG', options, VGG_KEYS);
    const { numClasses = 1000, initWeights = true, dropout = 0.5 } = options;
    this.features = features;
    this.avgpool = new nn.AdaptiveAvgPool2d([7, 7]);
    this.classifier = seq(new nn.Sequential(
      new nn.Linear(512 * 7 * 7, 4096),
      new nn.ReLU(true),
      new nn.Dropout(dropout),
      new nn.Linear(4096, 4096),
      new nn.ReLU(true),
      new nn.Dropout(dropout),
      new nn.Linear(4096, numClasses),
    ));
    if (initWeights) {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d) {
          nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
          if (m.bias) nn.init.constant_(m.bias, 0);
        } else if (m instanceof nn.BatchNorm2d) {
          nn.init.constant_(m.weight!, 1);
          nn.init.constant_(m.bias!, 0);
        } else if (m instanceof nn.Linear) {
          nn.init.normal_(m.weight, 0, 0.01);
          nn.init.constant_(m.bias!, 0);
        }
      }
    }
  }

  forward(x: Tensor): Tensor {
    return classify(x, this.features, this.avgpool, this.classifier);
  }
}

/** The configurations: channel counts, 'M' for a max pool. */
export const cfgs: Record<'A' | 'B' | 'D' | 'E', (number | 'M')[]> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

/** The feature layers of a configuration; the first is a Conv2d. */
export function makeLayers(cfg: (number | 'M')[], batchNorm = false): Seq<{ 0: nn.Conv2d }> {
  const layers: Module[] = [];
  let inChannels = 3;
  for (const v of cfg) {
    if (v === 'M') {
      layers.push(new nn.MaxPool2d(2, { stride: 2 }));
    } else {
      layers.push(new nn.Conv2d(inChannels, v, 3, { padding: 1 }));
      if (batchNorm) layers.push(new nn.BatchNorm2d(v));
      layers.push(new nn.ReLU({ inplace: true }));
      inChannels = v;
    }
  }
  return seq(new nn.Sequential(...layers));
}

export type VGGBuilderOptions = VGGOptions & BuilderOptions;

function vgg(fn: string, enumName: keyof typeof WEIGHTS, cfg: keyof typeof cfgs, batchNorm: boolean, o: VGGBuilderOptions): VGG {
  // with weights torchvision skips the (overwritten) initialisation
  return build(fn, enumName, VGG_KEYS, o, (numClasses, rest, weights) =>
    new VGG(makeLayers(cfgs[cfg], batchNorm), { ...rest, initWeights: weights ? false : rest.initWeights, numClasses }));
}

export const VGG11_Weights = WEIGHTS.VGG11_Weights;
export const VGG11_BN_Weights = WEIGHTS.VGG11_BN_Weights;
export const VGG13_Weights = WEIGHTS.VGG13_Weights;
export const VGG13_BN_Weights = WEIGHTS.VGG13_BN_Weights;
export const VGG16_Weights = WEIGHTS.VGG16_Weights;
export const VGG16_BN_Weights = WEIGHTS.VGG16_BN_Weights;
export const VGG19_Weights = WEIGHTS.VGG19_Weights;
export const VGG19_BN_Weights = WEIGHTS.VGG19_BN_Weights;

export const vgg11 = (o: VGGBuilderOptions = {}) => vgg('vgg11', 'VGG11_Weights', 'A', false, o);
export const vgg11_bn = (o: VGGBuilderOptions = {}) => vgg('vgg11_bn', 'VGG11_BN_Weights', 'A', true, o);
export const vgg13 = (o: VGGBuilderOptions = {}) => vgg('vgg13', 'VGG13_Weights', 'B', false, o);
export const vgg13_bn = (o: VGGBuilderOptions = {}) => vgg('vgg13_bn', 'VGG13_BN_Weights', 'B', true, o);
export const vgg16 = (o: VGGBuilderOptions = {}) => vgg('vgg16', 'VGG16_Weights', 'D', false, o);
export const vgg16_bn = (o: VGGBuilderOptions = {}) => vgg('vgg16_bn', 'VGG16_BN_Weights', 'D', true, o);
export const vgg19 = (o: VGGBuilderOptions = {}) => vgg('vgg19', 'VGG19_Weights', 'E', false, o);
export const vgg19_bn = (o: VGGBuilderOptions = {}) => vgg('vgg19_bn', 'VGG19_BN_Weights', 'E', true, o);
