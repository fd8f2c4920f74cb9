// torchvision.models.densenet: DenseNet-121/161/169/201 (and the DenseNet class for other configurations).
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import { checkpoint } from '../../utils/checkpoint';
import * as nn from '../../nn';
import * as F from '../../nn/functional';
import { Module, StateDict } from '../../nn/module';
import { BuilderOptions, build, builderKeys } from './builder';
import { Seq, seq } from './ops';
import { checkKeywords, keysOf } from '../../keywords';
import { WEIGHTS } from './weights';

export class _DenseLayer extends Module {
  norm1: nn.BatchNorm2d;
  relu1: nn.ReLU;
  conv1: nn.Conv2d;
  norm2: nn.BatchNorm2d;
  relu2: nn.ReLU;
  conv2: nn.Conv2d;
  readonly dropRate: number;
  /** recompute the bottleneck in backward instead of keeping its activations (torch.utils.checkpoint) */
  readonly memoryEfficient: boolean;

  constructor(numInputFeatures: number, growthRate: number, bnSize: number, dropRate: number, memoryEfficient = false) {
    super();
    this.norm1 = new nn.BatchNorm2d(numInputFeatures);
    this.relu1 = new nn.ReLU({ inplace: true });
    this.conv1 = new nn.Conv2d(numInputFeatures, bnSize * growthRate, 1, { stride: 1, bias: false });
    this.norm2 = new nn.BatchNorm2d(bnSize * growthRate);
    this.relu2 = new nn.ReLU({ inplace: true });
    this.conv2 = new nn.Conv2d(bnSize * growthRate, growthRate, 3, { stride: 1, padding: 1, bias: false });
    this.dropRate = dropRate;
    this.memoryEfficient = memoryEfficient;
  }

  bnFunction(inputs: Tensor[]): Tensor {
    return this.conv1(this.relu1(this.norm1(cat(inputs, 1))));
  }

  forward(input: Tensor | Tensor[]): Tensor {
    const prev = Array.isArray(input) ? input : [input];
    // as torchvision: only checkpoint when a backward will come (some input requires grad)
    const bottleneck =
      this.memoryEfficient && prev.some((t) => t.requiresGrad)
        ? checkpoint((...inputs: Tensor[]) => this.bnFunction(inputs), ...prev)
        : this.bnFunction(prev);
    const out = this.conv2(this.relu2(this.norm2(bottleneck)));
    return this.dropRate > 0 ? F.dropout(out, { p: this.dropRate, training: this.training }) : out;
  }
}

// torchvision subclasses ModuleDict; a Module with the same named children has the same keys and repr
export class _DenseBlock extends Module {
  constructor(numLayers: number, numInputFeatures: number, bnSize: number, growthRate: number, dropRate: number, memoryEfficient = false) {
    super();
    for (let i = 0; i < numLayers; i++) {
      this.addModule(`denselayer${i + 1}`, new _DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize, dropRate, memoryEfficient));
    }
  }

  forward(initFeatures: Tensor): Tensor {
    const features = [initFeatures];
    for (const [, layer] of this._ownModules()) features.push((layer as _DenseLayer)(features));
    return cat(features, 1);
  }
}

_DenseBlock.prototype._version = 2; // torchvision's, saved in state_dict metadata

export class _Transition extends nn.Sequential {
  constructor(numInputFeatures: number, numOutputFeatures: number) {
    super();
    this.addModule('norm', new nn.BatchNorm2d(numInputFeatures));
    this.addModule('relu', new nn.ReLU({ inplace: true }));
    this.addModule('conv', new nn.Conv2d(numInputFeatures, numOutputFeatures, 1, { stride: 1, bias: false }));
    this.addModule('pool', new nn.AvgPool2d(2, { stride: 2 }));
  }
}

export interface DenseNetOptions {
  growthRate?: number;
  blockConfig?: [number, number, number, number];
  numInitFeatures?: number;
  bnSize?: number;
  dropRate?: number;
  numClasses?: number;
  memoryEfficient?: boolean;
}
const DENSENET_KEYS = keysOf<DenseNetOptions>()('growthRate', 'blockConfig', 'numInitFeatures', 'bnSize', 'dropRate', 'numClasses', 'memoryEfficient');

export class DenseNet extends Module {
  /** conv0, norm0, relu0, pool0, the dense blocks and transitions, norm5 */
  features: Seq<{ conv0: nn.Conv2d; norm0: nn.BatchNorm2d; norm5: nn.BatchNorm2d }>;
  classifier: nn.Linear;

  constructor(options: DenseNetOptions = {}) {
    super();
    checkKeywords('DenseNet', options, DENSENET_KEYS);
    const { growthRate = 32, blockConfig = [6, 12, 24, 16], numInitFeatures = 64, bnSize = 4, dropRate = 0, numClasses = 1000, memoryEfficient = false } = options;
    this.features = seq(new nn.Sequential(
      new Map<string, Module>([
        ['conv0', new nn.Conv2d(3, numInitFeatures, 7, { stride: 2, padding: 3, bias: false })],
        ['norm0', new nn.BatchNorm2d(numInitFeatures)],
        ['relu0', new nn.ReLU({ inplace: true })],
        ['pool0', new nn.MaxPool2d(3, { stride: 2, padding: 1 })],
      ]),
    ));
    let numFeatures = numInitFeatures;
    blockConfig.forEach((numLayers, i) => {
      this.features.addModule(`denseblock${i + 1}`, new _DenseBlock(numLayers, numFeatures, bnSize, growthRate, dropRate, memoryEfficient));
      numFeatures += numLayers * growthRate;
      if (i !== blockConfig.length - 1) {
        this.features.addModule(`transition${i + 1}`, new _Transition(numFeatures, Math.floor(numFeatures / 2)));
        numFeatures = Math.floor(numFeatures / 2);
      }
    });
    this.features.addModule('norm5', new nn.BatchNorm2d(numFeatures));
    this.classifier = new nn.Linear(numFeatures, numClasses);
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) nn.init.kaimingNormal_(m.weight);
      else if (m instanceof nn.BatchNorm2d) {
        nn.init.constant_(m.weight!, 1);
        nn.init.constant_(m.bias!, 0);
      } else if (m instanceof nn.Linear) nn.init.constant_(m.bias!, 0);
    }
  }

  forward(x: Tensor): Tensor {
    const features = this.features(x) as Tensor;
    const out = F.adaptiveAvgPool2d(features.relu_(), [1, 1]);
    return this.classifier(out.flatten(1));
  }
}

/** Old checkpoints name 'norm.1.weight' what is now 'norm1.weight' (torchvision's _load_state_dict). */
function renameLegacyKeys(sd: StateDict): StateDict {
  const pattern = /^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$/;
  const out: StateDict = {};
  for (const [k, v] of Object.entries(sd)) {
    const m = pattern.exec(k);
    out[m ? m[1] + m[2] : k] = v;
  }
  return out;
}

export const DenseNet121_Weights = WEIGHTS.DenseNet121_Weights;
export const DenseNet161_Weights = WEIGHTS.DenseNet161_Weights;
export const DenseNet169_Weights = WEIGHTS.DenseNet169_Weights;
export const DenseNet201_Weights = WEIGHTS.DenseNet201_Weights;
/** densenet121/161/169/201's options: the growth rate, block configuration and initial features are fixed */
export type DenseNetBuilderOptions = BuilderOptions & Omit<DenseNetOptions, 'growthRate' | 'blockConfig' | 'numInitFeatures'>;
const DENSENET_BUILDER_KEYS = builderKeys<DenseNetBuilderOptions>()('bnSize', 'dropRate', 'memoryEfficient');

/** torchvision's _densenet: one of the fixed configurations, old checkpoints' keys renamed on load. */
function densenet(fn: string, enumName: keyof typeof WEIGHTS, growthRate: number, blockConfig: [number, number, number, number], numInitFeatures: number, o: DenseNetBuilderOptions): DenseNet {
  return build(fn, enumName, DENSENET_BUILDER_KEYS, o, (numClasses, rest) => new DenseNet({ ...rest, growthRate, blockConfig, numInitFeatures, numClasses }), renameLegacyKeys);
}

export const densenet121 = (o: DenseNetBuilderOptions = {}) => densenet('densenet121', 'DenseNet121_Weights', 32, [6, 12, 24, 16], 64, o);
export const densenet161 = (o: DenseNetBuilderOptions = {}) => densenet('densenet161', 'DenseNet161_Weights', 48, [6, 12, 36, 24], 96, o);
export const densenet169 = (o: DenseNetBuilderOptions = {}) => densenet('densenet169', 'DenseNet169_Weights', 32, [6, 12, 32, 32], 64, o);
export const densenet201 = (o: DenseNetBuilderOptions = {}) => densenet('densenet201', 'DenseNet201_Weights', 32, [6, 12, 48, 32], 64, o);
