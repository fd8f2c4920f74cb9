// torchvision.models.googlenet: GoogLeNet (Inception v1) with torchvision's module names (state_dict
// keys), options, initialisation order and outputs: in training mode with aux logits, forward returns
// GoogLeNetOutputs [logits, auxLogits2, auxLogits1]; otherwise the logits alone. Its BasicConv2d is
// Inception v3's (the same class in torchvision, defined twice there).
import { TorchError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import * as nn from '../../nn';
import * as F from '../../nn/functional';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { BuilderOptions, build, builderKeys, overwrite } from './builder';
import { WEIGHTS, Weights } from './weights';
import { checkKeywords, keysOf } from '../../keywords';
import { BasicConv2d, ConvBlock } from './inception';
import { outputsTuple, transformInputOf, warnDefaultInit } from './inception-common';

/** GoogLeNet's inception block: 1x1; 1x1 then 3x3; 1x1 then 3x3 (torchvision's "5x5"); 3x3 max pool then 1x1. */
export class Inception extends Module {
  branch1: Module;
  branch2: nn.Sequential;
  branch3: nn.Sequential;
  branch4: nn.Sequential;

  constructor(
    inChannels: number,
    ch1x1: number,
    ch3x3red: number,
    ch3x3: number,
    ch5x5red: number,
    ch5x5: number,
    poolProj: number,
    convBlock: ConvBlock | null = null,
  ) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.branch1 = new Conv(inChannels, ch1x1, { kernelSize: 1 });
    this.branch2 = new nn.Sequential(new Conv(inChannels, ch3x3red, { kernelSize: 1 }), new Conv(ch3x3red, ch3x3, { kernelSize: 3, padding: 1 }));
    this.branch3 = new nn.Sequential(new Conv(inChannels, ch5x5red, { kernelSize: 1 }), new Conv(ch5x5red, ch5x5, { kernelSize: 3, padding: 1 }));
    this.branch4 = new nn.Sequential(new nn.MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new Conv(inChannels, poolProj, { kernelSize: 1 }));
  }

  forward(x: Tensor): Tensor {
    const outs = [this.branch1, this.branch2, this.branch3, this.branch4].map((b) => b(x) as Tensor);
    const out = cat(outs, 1);
    for (const t of outs) release(t, x, out);
    return out;
  }
}

/** GoogLeNet's auxiliary classifier (torchvision's googlenet.InceptionAux; exported as GoogLeNetAux beside Inception v3's). */
class InceptionAux extends Module {
  conv: Module;
  fc1: nn.Linear;
  fc2: nn.Linear;
  dropout: nn.Dropout;

  constructor(inChannels: number, numClasses: number, convBlock: ConvBlock | null = null, dropout = 0.7) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.conv = new Conv(inChannels, 128, { kernelSize: 1 });
    this.fc1 = new nn.Linear(2048, 1024);
    this.fc2 = new nn.Linear(1024, numClasses);
    this.dropout = new nn.Dropout(dropout);
  }

  forward(x: Tensor): Tensor {
    const pooled = F.adaptiveAvgPool2d(x, [4, 4]);
    const y = this.conv(pooled) as Tensor;
    const flat = y.flatten(1);
    release(y, x, flat);
    const h = F.relu(this.fc1(flat), { inplace: true });
    return chain(h, [this.dropout, this.fc2]) as Tensor;
  }
}
export { InceptionAux as GoogLeNetAux };

/** torchvision's GoogLeNetOutputs named tuple: [logits, auxLogits2, auxLogits1], also by name. */
export type GoogLeNetOutputs = [logits: Tensor, auxLogits2: Tensor | null, auxLogits1: Tensor | null] & {
  readonly logits: Tensor;
  readonly auxLogits2: Tensor | null;
  readonly auxLogits1: Tensor | null;
};

/** GoogLeNetOutputs(logits, auxLogits2, auxLogits1), printed as Python's namedtuple. */
export function GoogLeNetOutputs(logits: Tensor, auxLogits2: Tensor | null, auxLogits1: Tensor | null): GoogLeNetOutputs {
  return outputsTuple('GoogLeNetOutputs', ['logits', 'aux_logits2', 'aux_logits1'], [logits, auxLogits2, auxLogits1]) as GoogLeNetOutputs;
}

/** The three block classes GoogLeNet is made of (torchvision's blocks), in this order. */
export type GoogLeNetBlocks = [
  convBlock: ConvBlock,
  inceptionBlock: new (inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number) => Module,
  inceptionAuxBlock: new (inChannels: number, numClasses: number, convBlock: ConvBlock | null, dropout: number) => Module,
];

export interface GoogLeNetOptions {
  numClasses?: number;
  auxLogits?: boolean;
  transformInput?: boolean;
  /** null (the default): true, with torchvision's FutureWarning about the default changing */
  initWeights?: boolean | null;
  blocks?: GoogLeNetBlocks | null;
  dropout?: number;
  dropoutAux?: number;
}
const GOOGLENET_KEYS = keysOf<GoogLeNetOptions>()('numClasses', 'auxLogits', 'transformInput', 'initWeights', 'blocks', 'dropout', 'dropoutAux');

export class GoogLeNet extends Module {
  auxLogits: boolean;
  transformInput: boolean;
  conv1: Module;
  maxpool1: nn.MaxPool2d;
  conv2: Module;
  conv3: Module;
  maxpool2: nn.MaxPool2d;
  inception3a: Module;
  inception3b: Module;
  maxpool3: nn.MaxPool2d;
  inception4a: Module;
  inception4b: Module;
  inception4c: Module;
  inception4d: Module;
  inception4e: Module;
  maxpool4: nn.MaxPool2d;
  inception5a: Module;
  inception5b: Module;
  /** the auxiliary classifiers on inception4a's and inception4d's outputs (training mode only); null without auxLogits */
  aux1: InceptionAux | null;
  aux2: InceptionAux | null;
  avgpool: nn.AdaptiveAvgPool2d;
  dropout: nn.Dropout;
  fc: nn.Linear;

  constructor(options: GoogLeNetOptions = {}) {
    super();
    checkKeywords('GoogLeNet', options, GOOGLENET_KEYS);
    const { numClasses = 1000, auxLogits = true, transformInput = false, dropout = 0.2, dropoutAux = 0.7 } = options;
    const blocks = options.blocks ?? [BasicConv2d, Inception, InceptionAux];
    let initWeights = options.initWeights;
    if (initWeights === undefined || initWeights === null) {
      warnDefaultInit('GoogleNet');
      initWeights = true;
    }
    if (blocks.length !== 3) throw new TorchError(`blocks length should be 3 instead of ${blocks.length}`);
    const [Conv, Block, Aux] = blocks;
    // assigned in torchvision's order, which is the registration order (state_dict keys, repr)
    this.auxLogits = auxLogits;
    this.transformInput = transformInput;
    this.conv1 = new Conv(3, 64, { kernelSize: 7, stride: 2, padding: 3 });
    this.maxpool1 = new nn.MaxPool2d(3, { stride: 2, ceilMode: true });
    this.conv2 = new Conv(64, 64, { kernelSize: 1 });
    this.conv3 = new Conv(64, 192, { kernelSize: 3, padding: 1 });
    this.maxpool2 = new nn.MaxPool2d(3, { stride: 2, ceilMode: true });
    this.inception3a = new Block(192, 64, 96, 128, 16, 32, 32);
    this.inception3b = new Block(256, 128, 128, 192, 32, 96, 64);
    this.maxpool3 = new nn.MaxPool2d(3, { stride: 2, ceilMode: true });
    this.inception4a = new Block(480, 192, 96, 208, 16, 48, 64);
    this.inception4b = new Block(512, 160, 112, 224, 24, 64, 64);
    this.inception4c = new Block(512, 128, 128, 256, 24, 64, 64);
    this.inception4d = new Block(512, 112, 144, 288, 32, 64, 64);
    this.inception4e = new Block(528, 256, 160, 320, 32, 128, 128);
    this.maxpool4 = new nn.MaxPool2d(2, { stride: 2, ceilMode: true });
    this.inception5a = new Block(832, 256, 160, 320, 32, 128, 128);
    this.inception5b = new Block(832, 384, 192, 384, 48, 128, 128);
    this.aux1 = auxLogits ? (new Aux(512, numClasses, null, dropoutAux) as InceptionAux) : null;
    this.aux2 = auxLogits ? (new Aux(528, numClasses, null, dropoutAux) as InceptionAux) : null;
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.dropout = new nn.Dropout(dropout);
    this.fc = new nn.Linear(1024, numClasses);
    if (initWeights) {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d || m instanceof nn.Linear) nn.init.truncNormal_(m.weight, 0, 0.01, -2, 2);
        else if (m instanceof nn.BatchNorm2d) {
          nn.init.constant_(m.weight!, 1);
          nn.init.constant_(m.bias!, 0);
        }
      }
    }
  }

  _transformInput(x: Tensor): Tensor {
    return transformInputOf(x, this.transformInput);
  }

  /** [logits, aux2's logits, aux1's logits] (the aux ones in training mode only, else null) */
  _forward(x: Tensor): [Tensor, Tensor | null, Tensor | null] {
    const stem = [this.conv1, this.maxpool1, this.conv2, this.conv3, this.maxpool2, this.inception3a, this.inception3b, this.maxpool3, this.inception4a];
    const h4a = chain(x, stem) as Tensor;
    const aux1 = this.aux1 !== null && this.training ? this.aux1(h4a) : null;
    const h4d = chain(h4a, [this.inception4b, this.inception4c, this.inception4d]) as Tensor;
    release(h4a, x, h4d);
    const aux2 = this.aux2 !== null && this.training ? this.aux2(h4d) : null;
    const pooled = chain(h4d, [this.inception4e, this.maxpool4, this.inception5a, this.inception5b, this.avgpool]) as Tensor;
    release(h4d, x, pooled);
    const flat = pooled.flatten(1);
    release(pooled, x, flat);
    return [chain(flat, [this.dropout, this.fc]) as Tensor, aux2, aux1];
  }

  /** GoogLeNetOutputs in training mode with auxLogits, else the logits. */
  eagerOutputs(x: Tensor, aux2: Tensor | null, aux1: Tensor | null): Tensor | GoogLeNetOutputs {
    return this.training && this.auxLogits ? GoogLeNetOutputs(x, aux2, aux1) : x;
  }

  forward(x: Tensor): Tensor | GoogLeNetOutputs {
    const input = this._transformInput(x);
    // as torchvision: _forward's (x, aux2, aux1) unpacked as (x, aux1, aux2), so the outputs' aux_logits2
    // holds aux1's logits and aux_logits1 aux2's
    const [logits, aux1, aux2] = this._forward(input);
    return this.eagerOutputs(logits, aux2, aux1);
  }
}

export const GoogLeNet_Weights = WEIGHTS.GoogLeNet_Weights;

/** googlenet's options: GoogLeNet's (an enum entry fixes auxLogits and initWeights, and defaults transformInput to true) */
export type GoogLeNetBuilderOptions = GoogLeNetOptions & BuilderOptions;
const GOOGLENET_BUILDER_KEYS = builderKeys<GoogLeNetBuilderOptions>()('auxLogits', 'transformInput', 'initWeights', 'blocks', 'dropout', 'dropoutAux');

/**
 * torchvision's googlenet: GoogLeNet; with an enum entry, transformInput true unless given, and the
 * model built with its aux heads and no init, then loaded; the aux heads are then removed (aux1, aux2
 * null) unless auxLogits: true was given, which warns that they are not pretrained. A weights file
 * loads into the model the options describe (no init unless initWeights is given).
 */
export function googlenet(o: GoogLeNetBuilderOptions = {}): GoogLeNet {
  let entry: Weights | null = null;
  const model = build('googlenet', 'GoogLeNet_Weights', GOOGLENET_BUILDER_KEYS, o, (numClasses, rest, weights) => {
    if (weights === null) return new GoogLeNet({ ...rest, numClasses });
    if (typeof weights === 'string') return new GoogLeNet({ ...rest, initWeights: rest.initWeights ?? false, numClasses });
    entry = weights;
    const r = rest as Record<string, unknown>;
    return new GoogLeNet({
      ...rest,
      transformInput: rest.transformInput ?? true,
      auxLogits: overwrite(r, 'auxLogits', 'aux_logits', true),
      initWeights: overwrite(r, 'initWeights', 'init_weights', false),
      numClasses,
    });
  });
  if (entry !== null) {
    if (!o.auxLogits) {
      model.auxLogits = false;
      model.aux1 = null;
      model.aux2 = null;
    } else {
      warn('auxiliary heads in the pretrained googlenet model are NOT pretrained, so make sure to train them');
    }
  }
  return model;
}
