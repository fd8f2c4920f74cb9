// torchvision.models.alexnet
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { classify } from './ops';
import { BuilderOptions, build } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

export interface AlexNetOptions {
  numClasses?: number;
  dropout?: number;
}
const ALEXNET_KEYS = keysOf<AlexNetOptions>()('numClasses', 'dropout');

export class AlexNet extends Module {
  features = new nn.Sequential(
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
  );
  avgpool = new nn.AdaptiveAvgPool2d([6, 6]);
  classifier: nn.Sequential;

  constructor(options: AlexNetOptions = {}) {
    super();
    checkKeywords('AlexNet', options, ALEXNET_KEYS);
    const { numClasses = 1000, dropout = 0.5 } = options;
    this.classifier = new nn.Sequential(
      new nn.Dropout(dropout),
      new nn.Linear(256 * 6 * 6, 4096),
      new nn.ReLU({ inplace: true }),
      new nn.Dropout(dropout),
      new nn.Linear(4096, 4096),
      new nn.ReLU({ inplace: true }),
      new nn.Linear(4096, numClasses),
    );
  }

  forward(x: Tensor): Tensor {
    return classify(x, this.features, this.avgpool, this.classifier);
  }
}

export const AlexNet_Weights = WEIGHTS.AlexNet_Weights;
export const alexnet = (o: AlexNetOptions & BuilderOptions = {}) => build('alexnet', 'AlexNet_Weights', ALEXNET_KEYS, o, (numClasses, rest) => new AlexNet({ ...rest, numClasses }));
