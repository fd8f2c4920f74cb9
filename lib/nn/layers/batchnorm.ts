// nn.BatchNorm1d/2d/3d and their shared base with InstanceNorm (torch/nn/modules/batchnorm.py).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty, zeros, ones, tensor } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { noGrad } from '../../autograd/grad-mode';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { batchNorm } from '../functional/normalization';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyBool, pyFloat } from './py-format';

export interface NormOptions extends FactoryOptions {
  eps?: number;
  /** null: cumulative moving average of the running statistics */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}
/** BatchNorm's and InstanceNorm's parameters by name: (num_features, eps=1e-05, momentum=0.1, affine, track_running_stats). */
export interface NormArgs extends NormOptions {
  numFeatures: number;
}
export const NORM = signature<NormArgs>()(['numFeatures'], ['eps', 'momentum', 'affine', 'trackRunningStats', ...FACTORY_KEYS]);

/** PyTorch's _NormBase: affine weight/bias and, when tracked, the running-statistics buffers. */
export abstract class NormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean!: Tensor | null;
  running_var!: Tensor | null;
  num_batches_tracked!: Tensor | null;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  readonly numFeatures: number;

  /** `args`: the parameters as bound by NORM */
  constructor(args: NormArgs, defaults: { affine: boolean; trackRunningStats: boolean }) {
    super();
    const { numFeatures, eps = 1e-5, momentum = 0.1, affine = defaults.affine, trackRunningStats = defaults.trackRunningStats, ...factory } = args;
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(empty([numFeatures], factory)) : null;
    this.bias = affine ? new Parameter(empty([numFeatures], factory)) : null;
    if (trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], factory));
      this.registerBuffer('running_var', ones([numFeatures], factory));
      this.registerBuffer('num_batches_tracked', tensor(0, { dtype: int64, device: factory.device }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }

  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }

  protected abstract _checkInputDim(input: Tensor): void;

  extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }

  /** state_dicts carry no version here, so, as PyTorch does for unversioned ones, a missing num_batches_tracked loads as 0. */
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
  ): void {
    const key = `${prefix}num_batches_tracked`;
    if (this.trackRunningStats && !stateDict.has(key)) stateDict.set(key, tensor(0, { dtype: int64 }));
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs);
  }
}

/** PyTorch's _BatchNorm: batch statistics in training (updating the running ones), running ones in eval. */
export abstract class BatchNormBase extends NormBase {
  /** (numFeatures, eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof NORM>) {
    super(NORM.bind(new.target.name, args), { affine: true, trackRunningStats: true });
  }

  forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    let averageFactor = this.momentum ?? 0.0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      noGrad(() => this.num_batches_tracked!.add_(1));
      averageFactor = this.momentum ?? 1.0 / Number(this.num_batches_tracked.item());
    }
    // batch statistics in training, and in eval when there are no running ones
    const useBatchStats = this.training || (this.running_mean === null && this.running_var === null);
    const passStats = !this.training || this.trackRunningStats;
    return batchNorm(input, passStats ? this.running_mean : null, passStats ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: averageFactor,
      eps: this.eps,
    });
  }
}

function checkDims(input: Tensor, allowed: number[], text: string): void {
  if (!allowed.includes(input.dim())) throw new TorchError(`expected ${text} input (got ${input.dim()}D input)`);
}

/** Over (N, C) or (N, C, L) */
export class BatchNorm1d extends BatchNormBase {
  protected _checkInputDim(input: Tensor): void {
    checkDims(input, [2, 3], '2D or 3D');
  }
}

/** Over (N, C, H, W) */
export class BatchNorm2d extends BatchNormBase {
  protected _checkInputDim(input: Tensor): void {
    checkDims(input, [4], '4D');
  }
}

/** Over (N, C, D, H, W) */
export class BatchNorm3d extends BatchNormBase {
  protected _checkInputDim(input: Tensor): void {
    checkDims(input, [5], '5D');
  }
}

export { checkDims as _checkNormInputDims };
