// CosineAnnealingWarmRestarts (SGDR): cosine annealing restarted every T_i epochs, T_i *= TMult.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface CosineAnnealingWarmRestartsOptions extends LRSchedulerOptions {
  TMult?: number;
  etaMin?: number;
}

/** CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0, last_epoch=-1, verbose=False), any by name (T_0 is T0). */
export interface CosineAnnealingWarmRestartsArgs extends CosineAnnealingWarmRestartsOptions {
  optimizer: Optimizer;
  T0: number;
}
const WARM_RESTARTS = signature<CosineAnnealingWarmRestartsArgs>()(['optimizer', 'T0'], ['TMult', 'etaMin', ...SCHEDULER_TAIL]);

export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  Ti: number;
  TMult: number;
  etaMin: number;
  TCur: number;

  constructor(...args: ArgsOf<typeof WARM_RESTARTS>) {
    const { optimizer, T0, TMult = 1, etaMin = 0, lastEpoch = -1, verbose } = WARM_RESTARTS.bind('CosineAnnealingWarmRestarts', args);
    if (T0 <= 0 || !Number.isInteger(T0)) throw new TorchError(`Expected positive integer T_0, but got ${T0}`);
    if (TMult < 1 || !Number.isInteger(TMult)) throw new TorchError(`Expected integer T_mult >= 1, but got ${TMult}`);
    super(optimizer, lastEpoch, verbose);
    this.T0 = T0;
    this.Ti = T0;
    this.TMult = TMult;
    this.etaMin = etaMin;
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
