// EarlyStopping: ends training when the monitored value has not improved by more than minDelta for
// `patience` epochs; optionally puts back the best epoch's weights.
import type { Tensor } from '../tensor/tensor';
import { Callback, Logs, TrainingContext, monitorMode, monitored } from './callback';
import { checkKeywords, keysOf } from '../keywords';

export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: 'min' | 'max' | 'auto';
  restoreBestWeights?: boolean;
}
const EARLY_STOPPING_KEYS = keysOf<EarlyStoppingOptions>()('monitor', 'minDelta', 'patience', 'mode', 'restoreBestWeights');

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  best: number;
  bestEpoch = 0;
  wait = 0;
  /** the epoch after which training stopped (0: it did not stop early) */
  stoppedEpoch = 0;
  private bestWeights?: Record<string, Tensor>;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    checkKeywords('EarlyStopping', options, EARLY_STOPPING_KEYS);
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.mode = monitorMode(this.monitor, options.mode ?? 'auto');
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.stoppedEpoch = 0;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    const v = monitored(logs, this.monitor, 'EarlyStopping');
    const improved = this.mode === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta;
    if (improved) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      // clones: the live parameters keep changing in place
      if (this.restoreBestWeights) this.bestWeights = Object.fromEntries(Object.entries(ctx.model.stateDict()).map(([k, t]) => [k, t.detach().clone()]));
      return;
    }
    if (++this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
      if (this.bestWeights) ctx.model.loadStateDict(this.bestWeights);
    }
  }
}
