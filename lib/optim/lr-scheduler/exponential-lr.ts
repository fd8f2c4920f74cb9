// ExponentialLR: lr *= gamma every epoch.
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS } from './lr-scheduler';
import { checkKeywords } from '../../keywords';

export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, gamma: number, options: LRSchedulerOptions = {}) {
    checkKeywords('ExponentialLR', options, LR_SCHEDULER_KEYS);
    super(optimizer, options.lastEpoch, options.verbose);
    this.gamma = gamma;
    this.start();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
