// nn.LayerNorm, nn.GroupNorm, nn.LocalResponseNorm (torch/nn/modules/normalization.py).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { layerNorm, groupNorm, localResponseNorm } from '../functional/normalization';
import { checkKeywords, keysOf } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyBool, pyFloat, pyTuple } from './py-format';

export interface LayerNormOptions extends FactoryOptions {
  eps?: number;
  elementwiseAffine?: boolean;
}
const LAYER_NORM_KEYS = keysOf<Omit<LayerNormOptions, keyof FactoryOptions>>()('eps', 'elementwiseAffine');

export interface GroupNormOptions extends FactoryOptions {
  eps?: number;
  affine?: boolean;
}
const GROUP_NORM_KEYS = keysOf<Omit<GroupNormOptions, keyof FactoryOptions>>()('eps', 'affine');

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}
const LRN_KEYS = keysOf<LocalResponseNormOptions>()('alpha', 'beta', 'k');

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkKeywords('LayerNorm', options, LAYER_NORM_KEYS, FACTORY_KEYS);
    const { eps = 1e-5, elementwiseAffine = true, ...factory } = options;
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? new Parameter(empty(this.normalizedShape, factory)) : null;
    this.bias = elementwiseAffine ? new Parameter(empty(this.normalizedShape, factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.elementwiseAffine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: GroupNormOptions = {},
  ) {
    super();
    checkKeywords('GroupNorm', options, GROUP_NORM_KEYS, FACTORY_KEYS);
    if (numChannels % numGroups !== 0) throw new TorchError('num_channels must be divisible by num_groups');
    const { eps = 1e-5, affine = true, ...factory } = options;
    this.eps = eps;
    this.affine = affine;
    this.weight = affine ? new Parameter(empty([numChannels], factory)) : null;
    this.bias = affine ? new Parameter(empty([numChannels], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.affine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }

  forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/** Normalises each position over `size` neighbouring channels. */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(readonly size: number, options: LocalResponseNormOptions = {}) {
    super();
    checkKeywords('LocalResponseNorm', options, LRN_KEYS);
    this.alpha = options.alpha ?? 1e-4;
    this.beta = options.beta ?? 0.75;
    this.k = options.k ?? 1.0;
  }

  forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
