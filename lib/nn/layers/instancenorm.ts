// nn.InstanceNorm1d/2d/3d (torch/nn/modules/instancenorm.py): per-sample, per-channel statistics;
// affine and running statistics off by default. Unbatched inputs get a batch dim for the call.
import { Tensor } from '../../tensor/tensor';
import { instanceNorm } from '../functional/normalization';
import { ArgsOf } from '../../keywords';
import { NORM, NormBase, _checkNormInputDims, _LAZY_NORM, _lazyNormArgs, _lazyNormSetup, _lazyNormInitialize } from './batchnorm';
import { StateDict } from '../module';
import { LazyModule, hasUninitializedParams, lazyLoad, lazySave } from '../lazy';

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

  /** Unversioned state_dicts with running stats for a layer that tracks none: PyTorch's error. */
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
  ): void {
    if (!this.trackRunningStats) {
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
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs);
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
export class LazyInstanceNorm1d extends InstanceNorm1d implements LazyModule {
  static readonly clsToBecome = InstanceNorm1d;

  /** LazyInstanceNorm1d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    const [concrete, setup] = _lazyNormArgs('LazyInstanceNorm1d', args);
    super(concrete);
    _lazyNormSetup(this, setup, InstanceNorm1d);
  }

  resetParameters(): void {
    if (!this.hasUninitializedParams() && this.numFeatures !== 0) super.resetParameters();
  }

  hasUninitializedParams(): boolean {
    return hasUninitializedParams(this);
  }

  initializeParameters(input: Tensor): void {
    _lazyNormInitialize(this, input);
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    lazySave(this, dest, prefix);
  }

  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    lazyLoad(this, stateDict, prefix);
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs);
  }
}

/** nn.LazyInstanceNorm2d: becomes an InstanceNorm2d on the first forward (affine and tracking by default, as _LazyNormBase) */
export class LazyInstanceNorm2d extends InstanceNorm2d implements LazyModule {
  static readonly clsToBecome = InstanceNorm2d;

  /** LazyInstanceNorm2d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    const [concrete, setup] = _lazyNormArgs('LazyInstanceNorm2d', args);
    super(concrete);
    _lazyNormSetup(this, setup, InstanceNorm2d);
  }

  resetParameters(): void {
    if (!this.hasUninitializedParams() && this.numFeatures !== 0) super.resetParameters();
  }

  hasUninitializedParams(): boolean {
    return hasUninitializedParams(this);
  }

  initializeParameters(input: Tensor): void {
    _lazyNormInitialize(this, input);
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    lazySave(this, dest, prefix);
  }

  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    lazyLoad(this, stateDict, prefix);
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs);
  }
}

/** nn.LazyInstanceNorm3d: becomes an InstanceNorm3d on the first forward (affine and tracking by default, as _LazyNormBase) */
export class LazyInstanceNorm3d extends InstanceNorm3d implements LazyModule {
  static readonly clsToBecome = InstanceNorm3d;

  /** LazyInstanceNorm3d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    const [concrete, setup] = _lazyNormArgs('LazyInstanceNorm3d', args);
    super(concrete);
    _lazyNormSetup(this, setup, InstanceNorm3d);
  }

  resetParameters(): void {
    if (!this.hasUninitializedParams() && this.numFeatures !== 0) super.resetParameters();
  }

  hasUninitializedParams(): boolean {
    return hasUninitializedParams(this);
  }

  initializeParameters(input: Tensor): void {
    _lazyNormInitialize(this, input);
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    lazySave(this, dest, prefix);
  }

  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    lazyLoad(this, stateDict, prefix);
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs);
  }
}
