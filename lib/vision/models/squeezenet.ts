// torchvision.models.squeezenet: SqueezeNet 1.0 and 1.1.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';
import { Seq, seq } from './ops';

export class Fire extends Module {
  squeeze: nn.Conv2d;
  squeeze_activation: nn.ReLU;
  expand1x1: nn.Conv2d;
  expand1x1_activation: nn.ReLU;
  expand3x3: nn.Conv2d;
  expand3x3_activation: nn.ReLU;

  constructor(readonly inplanes: number, squeezePlanes: number, expand1x1Planes: number, expand3x3Planes: number) {
    super();
    this.squeeze = new nn.Conv2d(inplanes, squeezePlanes, 1);
    this.squeeze_activation = new nn.ReLU({ inplace: true });
    this.expand1x1 = new nn.Conv2d(squeezePlanes, expand1x1Planes, 1);
    this.expand1x1_activation = new nn.ReLU({ inplace: true });
    this.expand3x3 = new nn.Conv2d(squeezePlanes, expand3x3Planes, 3, { padding: 1 });
    this.expand3x3_activation = new nn.ReLU({ inplace: true });
  }

  forward(x: Tensor): Tensor {
    const s = chain(x, [this.squeeze, this.squeeze_activation]) as Tensor;
    const a = chain(s, [this.expand1x1, this.expand1x1_activation]) as Tensor;
    const b = chain(s, [this.expand3x3, this.expand3x3_activation]) as Tensor;
    const out = cat([a, b], 1);
    for (const t of [s, a, b]) release(t, x, out);
    return out;
  }
}

export interface SqueezeNetOptions {
  numClasses?: number;
  dropout?: number;
}
const SQUEEZENET_KEYS = keysOf<SqueezeNetOptions>()('numClasses', 'dropout');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface SqueezeNet {
  /** Dropout, the final Conv2d (numClasses channels), ReLU, AdaptiveAvgPool2d */
  get classifier(): Seq<{ 1: nn.Conv2d }>;
  set classifier(value: nn.Sequential);
}

export class SqueezeNet extends Module {
  features: nn.Sequential;
  numClasses: number;

  constructor(readonly version: '1_0' | '1_1' = '1_0', options: SqueezeNetOptions = {}) {
    super();
    checkKeywords('SqueezeNet', options, SQUEEZENET_KEYS);
    const { numClasses = 1000, dropout = 0.5 } = options;
    this.numClasses = numClasses;
    const pool = () => new nn.MaxPool2d(3, { stride: 2, ceilMode: true });
    const relu = () => new nn.ReLU({ inplace: true });
    if (version === '1_0') {
      this.features = new nn.Sequential(
        new nn.Conv2d(3, 96, 7, { stride: 2 }), relu(), pool(),
        new Fire(96, 16, 64, 64), new Fire(128, 16, 64, 64), new Fire(128, 32, 128, 128), pool(),
        new Fire(256, 32, 128, 128), new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), pool(),
        new Fire(512, 64, 256, 256),
      );
    } else if (version === '1_1') {
      this.features = new nn.Sequential(
        new nn.Conv2d(3, 64, 3, { stride: 2 }), relu(), pool(),
        new Fire(64, 16, 64, 64), new Fire(128, 16, 64, 64), pool(),
        new Fire(128, 32, 128, 128), new Fire(256, 32, 128, 128), pool(),
        new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), new Fire(512, 64, 256, 256),
      );
    } else {
      throw new TorchError(`Unsupported SqueezeNet version ${version}: 1_0 or 1_1 expected`);
    }
    const finalConv = new nn.Conv2d(512, numClasses, 1);
    this.classifier = seq(new nn.Sequential(new nn.Dropout(dropout), finalConv, relu(), new nn.AdaptiveAvgPool2d([1, 1])));
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        if (m === finalConv) nn.init.normal_(m.weight, 0, 0.01);
        else nn.init.kaimingUniform_(m.weight);
        if (m.bias) nn.init.constant_(m.bias, 0);
      }
    }
  }

  forward(x: Tensor): Tensor {
    return (chain(x, [this.features, this.classifier]) as Tensor).flatten(1);
  }
}

export const SqueezeNet1_0_Weights = WEIGHTS.SqueezeNet1_0_Weights;
export const SqueezeNet1_1_Weights = WEIGHTS.SqueezeNet1_1_Weights;
type Options = SqueezeNetOptions & BuilderOptions;
export const squeezenet1_0 = (o: Options = {}) => build('squeezenet1_0', 'SqueezeNet1_0_Weights', SQUEEZENET_KEYS, o, (numClasses, rest) => new SqueezeNet('1_0', { ...rest, numClasses }));
export const squeezenet1_1 = (o: Options = {}) => build('squeezenet1_1', 'SqueezeNet1_1_Weights', SQUEEZENET_KEYS, o, (numClasses, rest) => new SqueezeNet('1_1', { ...rest, numClasses }));
