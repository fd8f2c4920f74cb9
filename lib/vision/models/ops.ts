// torchvision.ops building blocks the models share (torchvision/ops/misc.py, stochastic_depth.py):
// Conv2dNormActivation, SqueezeExcitation, MLP, Permute, StochasticDepth; and the classification
// head several models end with. Layer arguments that torchvision takes as classes or
// functools.partial are factories here: (channels) => Module.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { pyFloat } from '../../py-format';
import { checkKeywords, keysOf } from '../../keywords';

/**
 * classifier(avgpool(features(x)).flatten(1)), torchvision's classification head, freeing the
 * feature maps once pooled (nn/intermediates.ts).
 */
export function classify(x: Tensor, features: Module, avgpool: Module, classifier: Module): Tensor {
  const pooled = chain(x, [features, avgpool]) as Tensor;
  const flat = pooled.flatten(1);
  release(pooled, x, flat);
  return classifier(flat) as Tensor;
}

/**
 * An nn.Sequential whose children Python code reaches by index or name are typed as what they are:
 * `alexnet().classifier[6].inFeatures`, `vitB16().heads.head`, `densenet121().features.conv0`.
 */
export type Seq<Known> = nn.Sequential & Known;
/** `s`, typed with the children it is known to have. */
export const seq = <Known>(s: nn.Sequential): Seq<Known> => s as Seq<Known>;

/** A normalisation layer for n channels (torchvision's norm_layer). */
export type NormLayer = (numFeatures: number) => Module;
/** An activation layer; `inplace` is passed when torchvision passes it (activation_layer(**params)). */
export type ActivationLayer = (options: { inplace?: boolean }) => Module;

export const batchNorm2d = (options: nn.NormOptions = {}): NormLayer => (c) => new nn.BatchNorm2d(c, options);
export const relu: ActivationLayer = (o) => new nn.ReLU(o);
export const relu6: ActivationLayer = (o) => new nn.ReLU6(o);
export const hardswish: ActivationLayer = (o) => new nn.Hardswish(o);
export const hardsigmoid: ActivationLayer = (o) => new nn.Hardsigmoid(o);
export const silu: ActivationLayer = (o) => new nn.SiLU(o);
export const sigmoid: ActivationLayer = () => new nn.Sigmoid();
export const gelu: ActivationLayer = () => new nn.GELU();

export interface ConvNormActivationOptions {
  kernelSize?: number;
  stride?: number;
  /** default (kernelSize - 1) / 2 * dilation */
  padding?: number;
  groups?: number;
  normLayer?: NormLayer | null;
  activationLayer?: ActivationLayer | null;
  dilation?: number;
  /** null: the activation is built without an inplace argument */
  inplace?: boolean | null;
  /** default: no bias when there is a norm layer */
  bias?: boolean;
}
const CONV_NORM_ACTIVATION_KEYS = keysOf<ConvNormActivationOptions>()('kernelSize', 'stride', 'padding', 'groups', 'normLayer', 'activationLayer', 'dilation', 'inplace', 'bias');

/**
 * torchvision's ConvNormActivation layers: the conv (with a bias, by default, only when there is no
 * norm layer), then the norm layer and the activation when given. `conv(bias)` builds the conv.
 */
export function convNormActivation(
  conv: (bias: boolean) => Module,
  outChannels: number,
  normLayer: NormLayer | null,
  activationLayer: ActivationLayer | null,
  inplace: boolean | null,
  bias: boolean | null | undefined,
): Module[] {
  const layers: Module[] = [conv(bias ?? normLayer === null)];
  if (normLayer) layers.push(normLayer(outChannels));
  if (activationLayer) layers.push(activationLayer(inplace === null ? {} : { inplace }));
  return layers;
}

/** Conv2d, then the norm layer and the activation when given, as one Sequential. */
export class Conv2dNormActivation extends nn.Sequential {
  readonly outChannels: number;

  constructor(inChannels: number, outChannels: number, options: ConvNormActivationOptions = {}) {
    checkKeywords('Conv2dNormActivation', options, CONV_NORM_ACTIVATION_KEYS);
    const { kernelSize = 3, stride = 1, groups = 1, dilation = 1, inplace = true } = options;
    const normLayer = options.normLayer === undefined ? batchNorm2d() : options.normLayer;
    const activationLayer = options.activationLayer === undefined ? relu : options.activationLayer;
    const padding = options.padding ?? Math.floor((kernelSize - 1) / 2) * dilation;
    const conv = (bias: boolean) => new nn.Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias });
    super(...convNormActivation(conv, outChannels, normLayer, activationLayer, inplace, options.bias));
    this.outChannels = outChannels;
  }
}

export interface SqueezeExcitationOptions {
  activation?: ActivationLayer;
  scaleActivation?: ActivationLayer;
}
const SQUEEZE_EXCITATION_KEYS = keysOf<SqueezeExcitationOptions>()('activation', 'scaleActivation');

/** Squeeze-and-Excitation: channels rescaled by a gate computed from their global average. */
export class SqueezeExcitation extends Module {
  avgpool = new nn.AdaptiveAvgPool2d(1);
  fc1: nn.Conv2d;
  fc2: nn.Conv2d;
  activation: Module;
  scale_activation: Module;

  constructor(inputChannels: number, squeezeChannels: number, options: SqueezeExcitationOptions = {}) {
    super();
    checkKeywords('SqueezeExcitation', options, SQUEEZE_EXCITATION_KEYS);
    this.fc1 = new nn.Conv2d(inputChannels, squeezeChannels, 1);
    this.fc2 = new nn.Conv2d(squeezeChannels, inputChannels, 1);
    this.activation = (options.activation ?? relu)({});
    this.scale_activation = (options.scaleActivation ?? sigmoid)({});
  }

  forward(input: Tensor): Tensor {
    let scale = this.avgpool(input);
    scale = this.activation(this.fc1(scale)) as Tensor;
    scale = this.scale_activation(this.fc2(scale)) as Tensor;
    return scale.mul(input);
  }
}

export interface MLPOptions {
  normLayer?: NormLayer | null;
  activationLayer?: ActivationLayer;
  inplace?: boolean | null;
  bias?: boolean;
  dropout?: number;
}
const MLP_KEYS = keysOf<MLPOptions>()('normLayer', 'activationLayer', 'inplace', 'bias', 'dropout');

/** Linear (+ norm) + activation + Dropout per hidden size, then the last Linear and Dropout. */
export class MLP extends nn.Sequential {
  constructor(inChannels: number, hiddenChannels: number[], options: MLPOptions = {}) {
    checkKeywords('MLP', options, MLP_KEYS);
    const { normLayer = null, activationLayer = relu, inplace = true, bias = true, dropout = 0 } = options;
    const params = inplace === null ? {} : { inplace };
    const layers: Module[] = [];
    let inDim = inChannels;
    for (const hidden of hiddenChannels.slice(0, -1)) {
      layers.push(new nn.Linear(inDim, hidden, { bias }));
      if (normLayer) layers.push(normLayer(hidden));
      layers.push(activationLayer(params));
      layers.push(new nn.Dropout(dropout, params));
      inDim = hidden;
    }
    layers.push(new nn.Linear(inDim, hiddenChannels[hiddenChannels.length - 1], { bias }));
    layers.push(new nn.Dropout(dropout, params));
    super(...layers);
  }
}

/** A view of the input with its dimensions permuted. */
export class Permute extends Module {
  constructor(readonly dims: number[]) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.permute(this.dims);
  }
}

/** torchvision.ops.stochastic_depth: drops whole residual branches ('row': per sample, 'batch': all). */
export function stochasticDepth(input: Tensor, p: number, mode: 'row' | 'batch', training = true): Tensor {
  if (p < 0 || p > 1) throw new ValueError(`drop probability has to be between 0 and 1, but got ${p}`);
  if (mode !== 'row' && mode !== 'batch') throw new ValueError(`mode has to be either 'batch' or 'row', but got ${mode}`);
  if (!training || p === 0) return input;
  const survival = 1 - p;
  const size = mode === 'row' ? [input.shape[0], ...input.shape.slice(1).map(() => 1)] : input.shape.map(() => 1);
  const noise = empty(size, { dtype: input.dtype, device: input.device }).bernoulli_(survival);
  if (survival > 0) noise.div_(survival);
  return input.mul(noise);
}

export class StochasticDepth extends Module {
  constructor(readonly p: number, readonly mode: 'row' | 'batch') {
    super();
  }
  forward(input: Tensor): Tensor {
    return stochasticDepth(input, this.p, this.mode, this.training);
  }
  toString(): string {
    return `StochasticDepth(p=${pyFloat(this.p)}, mode=${this.mode})`;
  }
}

/** torchvision's _make_divisible: v rounded to a multiple of divisor, not below 90% of v. */
export function makeDivisible(v: number, divisor: number, minValue?: number): number {
  const min = minValue ?? divisor;
  let newV = Math.max(min, Math.floor(Math.floor(v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

/**
 * The init torchvision's mobile models share: kaiming-normal (fan_out) convs with zero bias, unit
 * norms; Linear layers get the model's own `linear` init.
 */
export function initMobileWeights(model: Module, linear: (l: nn.Linear) => void): void {
  for (const m of model.modules()) {
    if (m instanceof nn.Conv2d) {
      nn.init.kaimingNormal_(m.weight, { mode: 'fan_out' });
      if (m.bias) nn.init.zeros_(m.bias);
    } else if (m instanceof nn.BatchNorm2d || m instanceof nn.GroupNorm) {
      nn.init.ones_(m.weight!);
      nn.init.zeros_(m.bias!);
    } else if (m instanceof nn.Linear) {
      linear(m);
    }
  }
}
