// nn.LayerNorm, nn.GroupNorm, nn.LocalResponseNorm (torch/nn/modules/normalization.py).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { layerNorm, groupNorm, localResponseNorm } from '../functional/normalization';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyBool, pyFloat, pyTuple } from '../../py-format';

export interface LayerNormOptions extends FactoryOptions {
  eps?: number;
  elementwiseAffine?: boolean;
}
/** LayerNorm's parameters by name: LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True). */
export interface LayerNormArgs extends LayerNormOptions {
  normalizedShape: number | readonly number[];
}
const LAYER_NORM = signature<LayerNormArgs>()(['normalizedShape'], ['eps', 'elementwiseAffine', ...FACTORY_KEYS]);

export interface GroupNormOptions extends FactoryOptions {
  eps?: number;
  affine?: boolean;
}
/** GroupNorm's parameters by name: GroupNorm(num_groups, num_channels, eps=1e-05, affine=True). */
export interface GroupNormArgs extends GroupNormOptions {
  numGroups: number;
  numChannels: number;
}
const GROUP_NORM = signature<GroupNormArgs>()(['numGroups', 'numChannels'], ['eps', 'affine', ...FACTORY_KEYS]);

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}
/** LocalResponseNorm's parameters by name: LocalResponseNorm(size, alpha=0.0001, beta=0.75, k=1.0). */
export interface LocalResponseNormArgs extends LocalResponseNormOptions {
  size: number;
}
const LRN = signature<LocalResponseNormArgs>()(['size'], ['alpha', 'beta', 'k']);

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  /** LayerNorm(normalizedShape, eps = 1e-5, elementwiseAffine = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof LAYER_NORM>) {
    super();
    const { normalizedShape, eps = 1e-5, elementwiseAffine = true, ...factory } = LAYER_NORM.bind('LayerNorm', args);
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

  readonly numGroups: number;
  readonly numChannels: number;

  /** GroupNorm(numGroups, numChannels, eps = 1e-5, affine = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof GROUP_NORM>) {
    super();
    const { numGroups, numChannels, eps = 1e-5, affine = true, ...factory } = GROUP_NORM.bind('GroupNorm', args);
    if (numChannels % numGroups !== 0) throw new TorchError('num_channels must be divisible by num_groups');
    this.numGroups = numGroups;
    this.numChannels = numChannels;
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

  readonly size: number;

  /** LocalResponseNorm(size, alpha = 1e-4, beta = 0.75, k = 1.0), any of them by name */
  constructor(...args: ArgsOf<typeof LRN>) {
    super();
    const o = LRN.bind('LocalResponseNorm', args);
    this.size = o.size;
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1.0;
  }

  forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
