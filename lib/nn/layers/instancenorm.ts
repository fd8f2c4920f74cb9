// nn.InstanceNorm1d/2d/3d (torch/nn/modules/instancenorm.py): per-sample, per-channel statistics;
// affine and running statistics off by default. Unbatched inputs get a batch dim for the call.
import { Tensor } from '../../tensor/tensor';
import { instanceNorm } from '../functional/normalization';
import { ArgsOf } from '../../keywords';
import { NORM, NormBase, _checkNormInputDims, _LAZY_NORM, _LAZY_NORM_SPEC } from './batchnorm';
import { lazyLayer } from '../lazy';
import type { LocalMetadata } from '../module';

export abstract class InstanceNormBase extends NormBase {
  /** (numFeatures, eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof NORM>) {
    super(NORM.bind(new.target.name, args), { affine: false, trackRunningStats: false });
  }

  /** the rank of an unbatched input */
  protected abstract _noBatchDim(): number;

  protected _checkInputDim(input: Tensor): void {
    const d = this._noBatchDim();
    _checkNormInputDims(input, [d, d + 1], `${d}D or ${d + 1}D`);
  }

  private _applyInstanceNorm(input: Tensor): Tensor {
    return instanceNorm(input, {
      runningMean: this.running_mean,
      runningVar: this.running_var,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum ?? 0.1,
      eps: this.eps,
    });
  }

  forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    if (input.dim() === this._noBatchDim()) return this._applyInstanceNorm(input.unsqueeze(0)).squeeze(0);
    return this._applyInstanceNorm(input);
  }

  /** Unversioned state_dicts (before 0.4) with running stats for a layer that tracks none: PyTorch's error. */
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    if (localMetadata.version === undefined && !this.trackRunningStats) {
      const keys = ['running_mean', 'running_var'].map((n) => prefix + n).filter((k) => stateDict.has(k));
      if (keys.length) {
        const klass = this._getName();
        errorMsgs.push(
          `Unexpected running stats buffer(s) ${keys.map((k) => `"${k}"`).join(' and ')} for ${klass} with track_running_stats=False. ` +
            `If state_dict is a checkpoint saved before 0.4.0, this may be expected because ${klass} does not track running stats by default since 0.4.0. ` +
            `Please remove these keys from state_dict. If the running stats are actually needed, instead set track_running_stats=True in ${klass} to enable them. ` +
            `See the documentation of ${klass} for details.`,
        );
        for (const k of keys) stateDict.delete(k);
      }
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}

/** Over (N, C, L) or (C, L) */
export class InstanceNorm1d extends InstanceNormBase {
  protected _noBatchDim(): number {
    return 2;
  }
}

/** Over (N, C, H, W) or (C, H, W) */
export class InstanceNorm2d extends InstanceNormBase {
  protected _noBatchDim(): number {
    return 3;
  }
}

/** Over (N, C, D, H, W) or (C, D, H, W) */
export class InstanceNorm3d extends InstanceNormBase {
  protected _noBatchDim(): number {
    return 4;
  }
}

/** nn.LazyInstanceNorm1d: becomes an InstanceNorm1d on the first forward (affine and tracking by default, as _LazyNormBase) */
export class LazyInstanceNorm1d extends lazyLayer<InstanceNorm1d>(InstanceNorm1d, _LAZY_NORM_SPEC) {
  /** LazyInstanceNorm1d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    super(...args);
  }
}

/** nn.LazyInstanceNorm2d: becomes an InstanceNorm2d on the first forward (affine and tracking by default, as _LazyNormBase) */
export class LazyInstanceNorm2d extends lazyLayer<InstanceNorm2d>(InstanceNorm2d, _LAZY_NORM_SPEC) {
  /** LazyInstanceNorm2d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    super(...args);
  }
}

/** nn.LazyInstanceNorm3d: becomes an InstanceNorm3d on the first forward (affine and tracking by default, as _LazyNormBase) */
export class LazyInstanceNorm3d extends lazyLayer<InstanceNorm3d>(InstanceNorm3d, _LAZY_NORM_SPEC) {
  /** LazyInstanceNorm3d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    super(...args);
  }
}
