// ReduceLROnPlateau: lr *= factor when a metric has stopped improving for `patience` epochs.
import { TorchError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Optimizer } from '../optimizer';
import { EPOCH_DEPRECATION_WARNING, StateDictSource, formatE } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
  verbose?: boolean;
}

/**
 * ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4, threshold_mode='rel',
 * cooldown=0, min_lr=0, eps=1e-8, verbose=False), any of them by name.
 */
export interface ReduceLROnPlateauArgs extends ReduceLROnPlateauOptions {
  optimizer: Optimizer;
}
const REDUCE_LR_ON_PLATEAU = signature<ReduceLROnPlateauArgs>()(
  ['optimizer'],
  ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'verbose'],
);

export class ReduceLROnPlateau extends StateDictSource {
  factor: number;
  optimizer: Optimizer;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  best = 0;
  numBadEpochs = 0;
  modeWorse = 0;
  eps: number;
  lastEpoch = 0;
  /** set by the first step(), as in Python */
  _lastLr?: number[];

  constructor(...args: ArgsOf<typeof REDUCE_LR_ON_PLATEAU>) {
    const { optimizer, ...options } = REDUCE_LR_ON_PLATEAU.bind('ReduceLROnPlateau', args);
    super();
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (factor >= 1.0) throw new TorchError('Factor should be < 1.0.');
    if (!(optimizer instanceof Optimizer)) throw new TorchError(`${typeof optimizer} is not an Optimizer`);
    this.factor = factor;
    this.optimizer = optimizer;
    if (Array.isArray(minLr)) {
      if (minLr.length !== optimizer.paramGroups.length) throw new TorchError(`expected ${optimizer.paramGroups.length} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = optimizer.paramGroups.map(() => minLr);
    }
    this.patience = patience;
    this.verbose = options.verbose ?? false;
    this.cooldown = cooldown;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.eps = eps;
    this.initIsBetter();
    this.reset();
  }

  private initIsBetter(): void {
    if (this.mode !== 'min' && this.mode !== 'max') throw new TorchError(`mode ${this.mode} is unknown!`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') throw new TorchError(`threshold mode ${this.thresholdMode} is unknown!`);
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  protected floatKeys(): readonly string[] {
    return ['factor', 'threshold', 'best', 'mode_worse', 'eps'];
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** One epoch with this value of the watched metric (a number or a one-element tensor). */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = typeof metrics === 'number' ? metrics : Number(metrics.item());
    if (epoch !== undefined) warn(EPOCH_DEPRECATION_WARNING);
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr(this.lastEpoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(epoch: number): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = Number(g.lr);
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) {
        g.lr = newLr;
        if (this.verbose) console.log(`Epoch ${String(epoch).padStart(5, '0')}: reducing learning rate of group ${i} to ${formatE(newLr)}.`);
      }
    });
  }

  /** The lr of each group after the last step() (the current lrs before any). */
  getLastLr(): number[] {
    return this._lastLr ?? this.optimizer.paramGroups.map((g) => g.lr);
  }

  loadStateDict(stateDict: Record<string, unknown>): void {
    super.loadStateDict(stateDict);
    this.initIsBetter();
  }
}
