// torchvision.ops.FrozenBatchNorm2d (misc.py): BatchNorm2d with fixed statistics and affine
// parameters, all four buffers (no parameters, nothing trains), as detection backbones use it.
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pyFloat } from '../../py-format';
import { ArgsOf, signature } from '../../keywords';

export interface FrozenBatchNorm2dArgs {
  numFeatures: number;
  eps?: number;
}
const FROZEN_BATCH_NORM_2D = signature<FrozenBatchNorm2dArgs>()(['numFeatures'], ['eps']);

/** FrozenBatchNorm2d(num_features, eps=1e-05): x * scale + shift from the buffers weight, bias, running_mean, running_var. */
export class FrozenBatchNorm2d extends Module {
  readonly eps: number;
  declare weight: Tensor;
  declare bias: Tensor;
  declare running_mean: Tensor;
  declare running_var: Tensor;

  constructor(...args: ArgsOf<typeof FROZEN_BATCH_NORM_2D>) {
    super();
    const { numFeatures, eps = 1e-5 } = FROZEN_BATCH_NORM_2D.bind('FrozenBatchNorm2d', args);
    this.eps = eps;
    this.registerBuffer('weight', torch.ones(numFeatures));
    this.registerBuffer('bias', torch.zeros(numFeatures));
    this.registerBuffer('running_mean', torch.zeros(numFeatures));
    this.registerBuffer('running_var', torch.ones(numFeatures));
  }

  // A BatchNorm2d's state_dict loads as is: its num_batches_tracked is dropped, as torchvision does.
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, ...rest: [string[], string[], string[]]): void {
    stateDict.delete(`${prefix}num_batches_tracked`);
    super._loadFromStateDict(stateDict, prefix, ...rest);
  }

  forward(x: Tensor): Tensor {
    const w = this.weight.reshape(1, -1, 1, 1);
    const b = this.bias.reshape(1, -1, 1, 1);
    const rv = this.running_var.reshape(1, -1, 1, 1);
    const rm = this.running_mean.reshape(1, -1, 1, 1);
    const scale = w.mul(rv.add(this.eps).rsqrt());
    const bias = b.sub(rm.mul(scale));
    return x.mul(scale).add(bias);
  }

  toString(): string {
    return `FrozenBatchNorm2d(${this.weight.shape[0]}, eps=${pyFloat(this.eps)})`;
  }
}
