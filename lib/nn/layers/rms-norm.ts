// nn.RMSNorm (PyTorch 2.4, torch/nn/modules/normalization.py): F.rms_norm with a ones-initialised
// per-element weight; eps None means finfo(input.dtype).eps at each forward.
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { rmsNorm } from '../functional/rms-norm';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyBool, pyFloat, pyTuple } from '../../py-format';

export interface RMSNormOptions extends FactoryOptions {
  eps?: number | null;
  elementwiseAffine?: boolean;
}
/** RMSNorm's parameters by name: RMSNorm(normalized_shape, eps=None, elementwise_affine=True). */
export interface RMSNormArgs extends RMSNormOptions {
  normalizedShape: number | readonly number[];
}
const RMS_NORM = signature<RMSNormArgs>()(['normalizedShape'], ['eps', 'elementwiseAffine', ...FACTORY_KEYS]);

export class RMSNorm extends Module {
  weight: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;

  /** RMSNorm(normalizedShape, eps = null, elementwiseAffine = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof RMS_NORM>) {
    super();
    const { normalizedShape, eps = null, elementwiseAffine = true, ...factory } = RMS_NORM.bind('RMSNorm', args);
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? new Parameter(empty(this.normalizedShape, factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.elementwiseAffine) init.ones_(this.weight!);
  }

  forward(input: Tensor): Tensor {
    return rmsNorm(input, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }

  extraRepr(): string {
    const eps = this.eps === null ? 'None' : pyFloat(this.eps);
    return `${pyTuple(this.normalizedShape)}, eps=${eps}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
