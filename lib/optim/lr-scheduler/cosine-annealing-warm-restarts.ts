// CosineAnnealingWarmRestarts (SGDR): cosine annealing restarted every T_i epochs, T_i *= TMult.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS, OwnOptions } from './lr-scheduler';
import { checkKeywords, keysOf } from '../../keywords';

export interface CosineAnnealingWarmRestartsOptions extends LRSchedulerOptions {
  TMult?: number;
  etaMin?: number;
}

const WARM_RESTARTS_KEYS = keysOf<OwnOptions<CosineAnnealingWarmRestartsOptions>>()('TMult', 'etaMin');

export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  Ti: number;
  TMult: number;
  etaMin: number;
  TCur: number;

  constructor(optimizer: Optimizer, T0: number, options: CosineAnnealingWarmRestartsOptions = {}) {
    checkKeywords('CosineAnnealingWarmRestarts', options, WARM_RESTARTS_KEYS, LR_SCHEDULER_KEYS);
    const TMult = options.TMult ?? 1;
    if (T0 <= 0 || !Number.isInteger(T0)) throw new TorchError(`Expected positive integer T_0, but got ${T0}`);
    if (TMult < 1 || !Number.isInteger(TMult)) throw new TorchError(`Expected integer T_mult >= 1, but got ${TMult}`);
    const lastEpoch = options.lastEpoch ?? -1;
    super(optimizer, lastEpoch, options.verbose);
    this.T0 = T0;
    this.Ti = T0;
    this.TMult = TMult;
    this.etaMin = options.etaMin ?? 0;
    this.TCur = lastEpoch;
    this.start();
  }

  getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.Ti))) / 2);
  }

  /** step() advances one epoch; step(epoch) may be fractional (epoch + batch / batches). */
  step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.Ti) {
        this.TCur -= this.Ti;
        this.Ti *= this.TMult;
      }
    } else {
      if (epoch < 0) throw new TorchError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = epoch % this.T0;
        } else {
          const n = Math.floor(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this._getLrCalledWithinStep = true;
    let values: number[];
    try {
      values = this.getLr();
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
      this.printLr(i, values[i], epoch);
    });
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}
