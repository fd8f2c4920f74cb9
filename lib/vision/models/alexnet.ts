// torchvision.models.alexnet
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { classify, Seq, seq } from './ops';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

export interface AlexNetOptions {
  numClasses?: number;
  dropout?: number;
}
const ALEXNET_KEYS = keysOf<AlexNetOptions>()('numClasses', 'dropout');

// `classifier` is typed with the children fine-tuning code reaches (classifier[i].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface AlexNet {
  /** Dropout, Linear, ReLU, Dropout, Linear, ReLU, Linear */
  get classifier(): Seq<{ 1: nn.Linear; 4: nn.Linear; 6: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class AlexNet extends Module {
  features: Seq<{ 0: nn.Conv2d; 3: nn.Conv2d; 6: nn.Conv2d; 8: nn.Conv2d; 10: nn.Conv2d }> = seq(new nn.Sequential(
    new nn.Conv2d(3, 64, 11, { stride: 4, padding: 2 }),
    new nn.ReLU({ inplace: true }),
    new nn.MaxPool2d(3, { stride: 2 }),
    new nn.Conv2d(64, 192, 5, { padding: 2 }),
    new nn.ReLU({ inplace: true }),
    new nn.MaxPool2d(3, { stride: 2 }),
    new nn.Conv2d(192, 384, 3, { padding: 1 }),
    new nn.ReLU({ inplace: true }),
    new nn.Conv2d(384, 256, 3, { padding: 1 }),
    new nn.ReLU({ inplace: true }),
    new nn.Conv2d(256, 256, 3, { padding: 1 }),
    new nn.ReLU({ inplace: true }),
    new nn.MaxPool2d(3, { stride: 2 }),
  ));
  avgpool = new nn.AdaptiveAvgPool2d([6, 6]);

  constructor(options: AlexNetOptions = {}) {
    super();
    checkKeywords('AlexNet', options, ALEXNET_KEYS);
    const { numClasses = 1000, dropout = 0.5 } = options;
    this.classifier = seq(new nn.Sequential(
      new nn.Dropout(dropout),
      new nn.Linear(256 * 6 * 6, 4096),
      new nn.ReLU({ inplace: true }),
      new nn.Dropout(dropout),
      new nn.Linear(4096, 4096),
      new nn.ReLU({ inplace: true }),
      new nn.Linear(4096, numClasses),
    ));
  }

  forward(x: Tensor): Tensor {
    return classify(x, this.features, this.avgpool, this.classifier);
  }
}

export const AlexNet_Weights = WEIGHTS.AlexNet_Weights;
export const alexnet = (o: AlexNetOptions & BuilderOptions = {}) => build('alexnet', 'AlexNet_Weights', ALEXNET_KEYS, o, (numClasses, rest) => new AlexNet({ ...rest, numClasses }));
