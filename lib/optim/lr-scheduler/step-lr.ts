// StepLR: lr *= gamma every stepSize epochs.
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS, OwnOptions } from './lr-scheduler';
import { checkKeywords, keysOf } from '../../keywords';

export interface StepLROptions extends LRSchedulerOptions {
  gamma?: number;
}

const STEP_LR_KEYS = keysOf<OwnOptions<StepLROptions>>()('gamma');

export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, stepSize: number, options: StepLROptions = {}) {
    checkKeywords('StepLR', options, STEP_LR_KEYS, LR_SCHEDULER_KEYS);
    super(optimizer, options.lastEpoch, options.verbose);
    this.stepSize = stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.start();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
