// torchvision.models.inception: Inception v3 (Inception3, its blocks, InceptionOutputs) with
// torchvision's module names (state_dict keys), options, initialisation order and outputs: in
// training mode with aux logits, forward returns InceptionOutputs [logits, auxLogits]; otherwise
// the logits alone.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import * as nn from '../../nn';
import * as F from '../../nn/functional';
import { Module } from '../../nn/module';
import type { ConvOptions } from '../../nn/layers/conv';
import { chain, release } from '../../nn/intermediates';
import { BuilderOptions, build, builderKeys, overwrite } from './builder';
import { outputsTuple, transformInputOf, warnDefaultInit } from './inception-common';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

type Size = number | [number, number];

/** BasicConv2d's keyword arguments, passed to its Conv2d (which has no bias). */
export type BasicConv2dOptions = { kernelSize: Size } & Omit<ConvOptions, 'bias'>;

/** Conv2d (no bias), BatchNorm2d (eps 0.001), ReLU. */
export class BasicConv2d extends Module {
  conv: nn.Conv2d;
  bn: nn.BatchNorm2d;
  /** torchvision sets it on InceptionAux.conv1 (0.01); Inception3's init looks at the Conv2d inside, which has none */
  declare stddev?: number;

  constructor(inChannels: number, outChannels: number, options: BasicConv2dOptions) {
    super();
    this.conv = new nn.Conv2d(inChannels, outChannels, { ...options, bias: false });
    this.bn = new nn.BatchNorm2d(outChannels, { eps: 0.001 });
  }

  forward(x: Tensor): Tensor {
    const y = this.conv(x);
    const z = this.bn(y);
    release(y, x, z);
    return F.relu(z, { inplace: true });
  }
}

/** What Inception3 takes as conv_block: BasicConv2d or a class like it. */
export type ConvBlock = new (inChannels: number, outChannels: number, options: BasicConv2dOptions) => Module;

/** Runs `branches` (each a chain of modules on x) and concatenates their outputs along channels. */
function branches(x: Tensor, paths: (Module[] | ((x: Tensor) => Tensor))[]): Tensor {
  const outs = paths.map((p) => (Array.isArray(p) ? (chain(x, p) as Tensor) : p(x)));
  const out = cat(outs, 1);
  for (const t of outs) release(t, x, out);
  return out;
}

/** avg_pool2d(x, 3, stride 1, padding 1), then the pool branch's conv. */
const poolBranch = (conv: Module) => (x: Tensor): Tensor => conv(F.avgPool2d(x, 3, { stride: 1, padding: 1 })) as Tensor;

/** Two convs on the same input, concatenated (InceptionE's split 1x3 / 3x1 branches). */
function split(x: Tensor, a: Module, b: Module): Tensor {
  return branches(x, [[a], [b]]);
}

export class InceptionA extends Module {
  branch1x1: Module;
  branch5x5_1: Module;
  branch5x5_2: Module;
  branch3x3dbl_1: Module;
  branch3x3dbl_2: Module;
  branch3x3dbl_3: Module;
  branch_pool: Module;

  constructor(inChannels: number, poolFeatures: number, convBlock: ConvBlock | null = null) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.branch1x1 = new Conv(inChannels, 64, { kernelSize: 1 });
    this.branch5x5_1 = new Conv(inChannels, 48, { kernelSize: 1 });
    this.branch5x5_2 = new Conv(48, 64, { kernelSize: 5, padding: 2 });
    this.branch3x3dbl_1 = new Conv(inChannels, 64, { kernelSize: 1 });
    this.branch3x3dbl_2 = new Conv(64, 96, { kernelSize: 3, padding: 1 });
    this.branch3x3dbl_3 = new Conv(96, 96, { kernelSize: 3, padding: 1 });
    this.branch_pool = new Conv(inChannels, poolFeatures, { kernelSize: 1 });
  }

  forward(x: Tensor): Tensor {
    return branches(x, [
      [this.branch1x1],
      [this.branch5x5_1, this.branch5x5_2],
      [this.branch3x3dbl_1, this.branch3x3dbl_2, this.branch3x3dbl_3],
      poolBranch(this.branch_pool),
    ]);
  }
}

export class InceptionB extends Module {
  branch3x3: Module;
  branch3x3dbl_1: Module;
  branch3x3dbl_2: Module;
  branch3x3dbl_3: Module;

  constructor(inChannels: number, convBlock: ConvBlock | null = null) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.branch3x3 = new Conv(inChannels, 384, { kernelSize: 3, stride: 2 });
    this.branch3x3dbl_1 = new Conv(inChannels, 64, { kernelSize: 1 });
    this.branch3x3dbl_2 = new Conv(64, 96, { kernelSize: 3, padding: 1 });
    this.branch3x3dbl_3 = new Conv(96, 96, { kernelSize: 3, stride: 2 });
  }

  forward(x: Tensor): Tensor {
    return branches(x, [
      [this.branch3x3],
      [this.branch3x3dbl_1, this.branch3x3dbl_2, this.branch3x3dbl_3],
      (t) => F.maxPool2d(t, 3, { stride: 2 }),
    ]);
  }
}

export class InceptionC extends Module {
  branch1x1: Module;
  branch7x7_1: Module;
  branch7x7_2: Module;
  branch7x7_3: Module;
  branch7x7dbl_1: Module;
  branch7x7dbl_2: Module;
  branch7x7dbl_3: Module;
  branch7x7dbl_4: Module;
  branch7x7dbl_5: Module;
  branch_pool: Module;

  constructor(inChannels: number, channels7x7: number, convBlock: ConvBlock | null = null) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    const c7 = channels7x7;
    this.branch1x1 = new Conv(inChannels, 192, { kernelSize: 1 });
    this.branch7x7_1 = new Conv(inChannels, c7, { kernelSize: 1 });
    this.branch7x7_2 = new Conv(c7, c7, { kernelSize: [1, 7], padding: [0, 3] });
    this.branch7x7_3 = new Conv(c7, 192, { kernelSize: [7, 1], padding: [3, 0] });
    this.branch7x7dbl_1 = new Conv(inChannels, c7, { kernelSize: 1 });
    this.branch7x7dbl_2 = new Conv(c7, c7, { kernelSize: [7, 1], padding: [3, 0] });
    this.branch7x7dbl_3 = new Conv(c7, c7, { kernelSize: [1, 7], padding: [0, 3] });
    this.branch7x7dbl_4 = new Conv(c7, c7, { kernelSize: [7, 1], padding: [3, 0] });
    this.branch7x7dbl_5 = new Conv(c7, 192, { kernelSize: [1, 7], padding: [0, 3] });
    this.branch_pool = new Conv(inChannels, 192, { kernelSize: 1 });
  }

  forward(x: Tensor): Tensor {
    return branches(x, [
      [this.branch1x1],
      [this.branch7x7_1, this.branch7x7_2, this.branch7x7_3],
      [this.branch7x7dbl_1, this.branch7x7dbl_2, this.branch7x7dbl_3, this.branch7x7dbl_4, this.branch7x7dbl_5],
      poolBranch(this.branch_pool),
    ]);
  }
}

export class InceptionD extends Module {
  branch3x3_1: Module;
  branch3x3_2: Module;
  branch7x7x3_1: Module;
  branch7x7x3_2: Module;
  branch7x7x3_3: Module;
  branch7x7x3_4: Module;

  constructor(inChannels: number, convBlock: ConvBlock | null = null) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.branch3x3_1 = new Conv(inChannels, 192, { kernelSize: 1 });
    this.branch3x3_2 = new Conv(192, 320, { kernelSize: 3, stride: 2 });
    this.branch7x7x3_1 = new Conv(inChannels, 192, { kernelSize: 1 });
    this.branch7x7x3_2 = new Conv(192, 192, { kernelSize: [1, 7], padding: [0, 3] });
    this.branch7x7x3_3 = new Conv(192, 192, { kernelSize: [7, 1], padding: [3, 0] });
    this.branch7x7x3_4 = new Conv(192, 192, { kernelSize: 3, stride: 2 });
  }

  forward(x: Tensor): Tensor {
    return branches(x, [
      [this.branch3x3_1, this.branch3x3_2],
      [this.branch7x7x3_1, this.branch7x7x3_2, this.branch7x7x3_3, this.branch7x7x3_4],
      (t) => F.maxPool2d(t, 3, { stride: 2 }),
    ]);
  }
}

export class InceptionE extends Module {
  branch1x1: Module;
  branch3x3_1: Module;
  branch3x3_2a: Module;
  branch3x3_2b: Module;
  branch3x3dbl_1: Module;
  branch3x3dbl_2: Module;
  branch3x3dbl_3a: Module;
  branch3x3dbl_3b: Module;
  branch_pool: Module;

  constructor(inChannels: number, convBlock: ConvBlock | null = null) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.branch1x1 = new Conv(inChannels, 320, { kernelSize: 1 });
    this.branch3x3_1 = new Conv(inChannels, 384, { kernelSize: 1 });
    this.branch3x3_2a = new Conv(384, 384, { kernelSize: [1, 3], padding: [0, 1] });
    this.branch3x3_2b = new Conv(384, 384, { kernelSize: [3, 1], padding: [1, 0] });
    this.branch3x3dbl_1 = new Conv(inChannels, 448, { kernelSize: 1 });
    this.branch3x3dbl_2 = new Conv(448, 384, { kernelSize: 3, padding: 1 });
    this.branch3x3dbl_3a = new Conv(384, 384, { kernelSize: [1, 3], padding: [0, 1] });
    this.branch3x3dbl_3b = new Conv(384, 384, { kernelSize: [3, 1], padding: [1, 0] });
    this.branch_pool = new Conv(inChannels, 192, { kernelSize: 1 });
  }

  forward(x: Tensor): Tensor {
    return branches(x, [
      [this.branch1x1],
      (t) => {
        const b = this.branch3x3_1(t) as Tensor;
        const out = split(b, this.branch3x3_2a, this.branch3x3_2b);
        release(b, t, out);
        return out;
      },
      (t) => {
        const b = chain(t, [this.branch3x3dbl_1, this.branch3x3dbl_2]) as Tensor;
        const out = split(b, this.branch3x3dbl_3a, this.branch3x3dbl_3b);
        release(b, t, out);
        return out;
      },
      poolBranch(this.branch_pool),
    ]);
  }
}

export class InceptionAux extends Module {
  conv0: Module;
  conv1: Module;
  fc: nn.Linear;

  constructor(inChannels: number, numClasses: number, convBlock: ConvBlock | null = null) {
    super();
    const Conv = convBlock ?? BasicConv2d;
    this.conv0 = new Conv(inChannels, 128, { kernelSize: 1 });
    this.conv1 = new Conv(128, 768, { kernelSize: 5 });
    // as torchvision: on the block, where Inception3's init (which looks at the Conv2d inside) never sees it
    (this.conv1 as Module & { stddev?: number }).stddev = 0.01;
    this.fc = new nn.Linear(768, numClasses);
    (this.fc as nn.Linear & { stddev?: number }).stddev = 0.001;
  }

  forward(x: Tensor): Tensor {
    const pooled = F.avgPool2d(x, 5, { stride: 3 });
    const y = chain(pooled, [this.conv0, this.conv1]) as Tensor;
    const f = F.adaptiveAvgPool2d(y, [1, 1]);
    release(y, x, f);
    return this.fc(f.flatten(1));
  }
}

/** torchvision's InceptionOutputs named tuple: [logits, auxLogits], also by name. */
export type InceptionOutputs = [logits: Tensor, auxLogits: Tensor | null] & { readonly logits: Tensor; readonly auxLogits: Tensor | null };

/** InceptionOutputs(logits, auxLogits): an array that also answers to the names and prints as Python's namedtuple. */
export function InceptionOutputs(logits: Tensor, auxLogits: Tensor | null): InceptionOutputs {
  return outputsTuple('InceptionOutputs', ['logits', 'aux_logits'], [logits, auxLogits]) as InceptionOutputs;
}

/** The seven block classes Inception3 is made of (torchvision's inception_blocks), in this order. */
export type InceptionBlocks = [
  convBlock: ConvBlock,
  inceptionA: new (inChannels: number, poolFeatures: number) => Module,
  inceptionB: new (inChannels: number) => Module,
  inceptionC: new (inChannels: number, channels7x7: number) => Module,
  inceptionD: new (inChannels: number) => Module,
  inceptionE: new (inChannels: number) => Module,
  inceptionAux: new (inChannels: number, numClasses: number) => Module,
];

export interface Inception3Options {
  numClasses?: number;
  auxLogits?: boolean;
  transformInput?: boolean;
  inceptionBlocks?: InceptionBlocks | null;
  /** null (the default): true, with torchvision's FutureWarning about the default changing */
  initWeights?: boolean | null;
  dropout?: number;
}
const INCEPTION3_KEYS = keysOf<Inception3Options>()('numClasses', 'auxLogits', 'transformInput', 'inceptionBlocks', 'initWeights', 'dropout');

export class Inception3 extends Module {
  auxLogits: boolean;
  transformInput: boolean;
  Conv2d_1a_3x3: Module;
  Conv2d_2a_3x3: Module;
  Conv2d_2b_3x3: Module;
  maxpool1: nn.MaxPool2d;
  Conv2d_3b_1x1: Module;
  Conv2d_4a_3x3: Module;
  maxpool2: nn.MaxPool2d;
  Mixed_5b: Module;
  Mixed_5c: Module;
  Mixed_5d: Module;
  Mixed_6a: Module;
  Mixed_6b: Module;
  Mixed_6c: Module;
  Mixed_6d: Module;
  Mixed_6e: Module;
  /** the auxiliary classifier on Mixed_6e's output (training mode only); null without auxLogits */
  AuxLogits: InceptionAux | null;
  Mixed_7a: Module;
  Mixed_7b: Module;
  Mixed_7c: Module;
  avgpool: nn.AdaptiveAvgPool2d;
  dropout: nn.Dropout;
  fc: nn.Linear;

  constructor(options: Inception3Options = {}) {
    super();
    checkKeywords('Inception3', options, INCEPTION3_KEYS);
    const { numClasses = 1000, auxLogits = true, transformInput = false, dropout = 0.5 } = options;
    const blocks = options.inceptionBlocks ?? [BasicConv2d, InceptionA, InceptionB, InceptionC, InceptionD, InceptionE, InceptionAux];
    let initWeights = options.initWeights;
    if (initWeights === undefined || initWeights === null) {
      warnDefaultInit('inception_v3');
      initWeights = true;
    }
    if (blocks.length !== 7) throw new TorchError(`lenght of inception_blocks should be 7 instead of ${blocks.length}`);
    const [Conv, A, B, C, D, E, Aux] = blocks;
    // assigned in torchvision's order, which is the registration order (state_dict keys, repr)
    this.auxLogits = auxLogits;
    this.transformInput = transformInput;
    this.Conv2d_1a_3x3 = new Conv(3, 32, { kernelSize: 3, stride: 2 });
    this.Conv2d_2a_3x3 = new Conv(32, 32, { kernelSize: 3 });
    this.Conv2d_2b_3x3 = new Conv(32, 64, { kernelSize: 3, padding: 1 });
    this.maxpool1 = new nn.MaxPool2d(3, { stride: 2 });
    this.Conv2d_3b_1x1 = new Conv(64, 80, { kernelSize: 1 });
    this.Conv2d_4a_3x3 = new Conv(80, 192, { kernelSize: 3 });
    this.maxpool2 = new nn.MaxPool2d(3, { stride: 2 });
    this.Mixed_5b = new A(192, 32);
    this.Mixed_5c = new A(256, 64);
    this.Mixed_5d = new A(288, 64);
    this.Mixed_6a = new B(288);
    this.Mixed_6b = new C(768, 128);
    this.Mixed_6c = new C(768, 160);
    this.Mixed_6d = new C(768, 160);
    this.Mixed_6e = new C(768, 192);
    this.AuxLogits = auxLogits ? (new Aux(768, numClasses) as InceptionAux) : null;
    this.Mixed_7a = new D(768);
    this.Mixed_7b = new E(1280);
    this.Mixed_7c = new E(2048);
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.dropout = new nn.Dropout(dropout);
    this.fc = new nn.Linear(2048, numClasses);
    if (initWeights) {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
          const stddev = 'stddev' in m ? Number((m as { stddev?: unknown }).stddev) : 0.1;
          nn.init.truncNormal_(m.weight, 0, stddev, -2, 2);
        } else if (m instanceof nn.BatchNorm2d) {
          nn.init.constant_(m.weight!, 1);
          nn.init.constant_(m.bias!, 0);
        }
      }
    }
  }

  /** transformInput: re-normalises ImageNet-normalised input to the [-1, 1] scaling the ported weights expect */
  _transformInput(x: Tensor): Tensor {
    return transformInputOf(x, this.transformInput);
  }

  /** [logits, aux logits (training mode with AuxLogits only, else null)] */
  _forward(x: Tensor): [Tensor, Tensor | null] {
    const stem = [this.Conv2d_1a_3x3, this.Conv2d_2a_3x3, this.Conv2d_2b_3x3, this.maxpool1, this.Conv2d_3b_1x1, this.Conv2d_4a_3x3, this.maxpool2];
    const mixed6 = [this.Mixed_5b, this.Mixed_5c, this.Mixed_5d, this.Mixed_6a, this.Mixed_6b, this.Mixed_6c, this.Mixed_6d, this.Mixed_6e];
    const h = chain(x, [...stem, ...mixed6]) as Tensor;
    const aux = this.AuxLogits !== null && this.training ? this.AuxLogits(h) : null;
    const pooled = chain(h, [this.Mixed_7a, this.Mixed_7b, this.Mixed_7c, this.avgpool, this.dropout]) as Tensor;
    release(h, x, pooled);
    const flat = pooled.flatten(1);
    release(pooled, x, flat);
    return [this.fc(flat), aux];
  }

  /** InceptionOutputs in training mode with auxLogits, else the logits. */
  eagerOutputs(x: Tensor, aux: Tensor | null): Tensor | InceptionOutputs {
    return this.training && this.auxLogits ? InceptionOutputs(x, aux) : x;
  }

  forward(x: Tensor): Tensor | InceptionOutputs {
    const input = this._transformInput(x);
    const [logits, aux] = this._forward(input);
    return this.eagerOutputs(logits, aux);
  }
}

export const Inception_V3_Weights = WEIGHTS.Inception_V3_Weights;

/** inceptionV3's options: Inception3's (an enum entry fixes auxLogits and initWeights, and defaults transformInput to true) */
export type Inception3BuilderOptions = Inception3Options & BuilderOptions;
const INCEPTION_BUILDER_KEYS = builderKeys<Inception3BuilderOptions>()('auxLogits', 'transformInput', 'inceptionBlocks', 'initWeights', 'dropout');

/**
 * torchvision's inception_v3: Inception3; with an enum entry, transformInput true unless given,
 * auxLogits true and no init (both fixed: other values raise, as torchvision). A weights file
 * loads into the model the options describe (no init unless initWeights is given).
 */
export const inceptionV3 = (o: Inception3BuilderOptions = {}): Inception3 =>
  build('inceptionV3', 'Inception_V3_Weights', INCEPTION_BUILDER_KEYS, o, (numClasses, rest, weights) => {
    if (weights === null) return new Inception3({ ...rest, numClasses });
    if (typeof weights === 'string') return new Inception3({ ...rest, initWeights: rest.initWeights ?? false, numClasses });
    const r = rest as Record<string, unknown>;
    return new Inception3({
      ...rest,
      transformInput: rest.transformInput ?? true,
      auxLogits: overwrite(r, 'auxLogits', 'aux_logits', true),
      initWeights: overwrite(r, 'initWeights', 'init_weights', false),
      numClasses,
    });
  });
