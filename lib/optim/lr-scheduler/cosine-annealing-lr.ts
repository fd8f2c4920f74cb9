// CosineAnnealingLR: lr follows a cosine from the base lr down to etaMin over TMax epochs
// (PyTorch's recursive form, which keeps going past TMax as a periodic curve).
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface CosineAnnealingLROptions extends LRSchedulerOptions {
  etaMin?: number;
}

/** CosineAnnealingLR(optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False), any of them by name (T_max is TMax). */
export interface CosineAnnealingLRArgs extends CosineAnnealingLROptions {
  optimizer: Optimizer;
  TMax: number;
}
const COSINE_ANNEALING_LR = signature<CosineAnnealingLRArgs>()(['optimizer', 'TMax'], ['etaMin', ...SCHEDULER_TAIL]);

export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(...args: ArgsOf<typeof COSINE_ANNEALING_LR>) {
    const { optimizer, TMax, etaMin = 0, lastEpoch, verbose } = COSINE_ANNEALING_LR.bind('CosineAnnealingLR', args);
    super(optimizer, lastEpoch, verbose);
    this.TMax = TMax;
    this.etaMin = etaMin;
    this.start();
  }

  getLr(): number[] {
    const { lastEpoch: e, TMax: T, etaMin } = this;
    if (e === 0) return this.groupLrs();
    if (this._stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if ((((e - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0) {
      const lrs = this.groupLrs();
      return this.baseLrs.map((b, i) => lrs[i] + ((b - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groupLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin,
    );
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}
