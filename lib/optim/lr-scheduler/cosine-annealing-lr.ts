// CosineAnnealingLR: lr follows a cosine from the base lr down to etaMin over TMax epochs
// (PyTorch's recursive form, which keeps going past TMax as a periodic curve).
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS, OwnOptions } from './lr-scheduler';
import { checkKeywords, keysOf } from '../../keywords';

export interface CosineAnnealingLROptions extends LRSchedulerOptions {
  etaMin?: number;
}

const COSINE_ANNEALING_LR_KEYS = keysOf<OwnOptions<CosineAnnealingLROptions>>()('etaMin');

export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, TMax: number, options: CosineAnnealingLROptions = {}) {
    checkKeywords('CosineAnnealingLR', options, COSINE_ANNEALING_LR_KEYS, LR_SCHEDULER_KEYS);
    super(optimizer, options.lastEpoch, options.verbose);
    this.TMax = TMax;
    this.etaMin = options.etaMin ?? 0;
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
