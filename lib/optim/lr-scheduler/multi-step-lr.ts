// MultiStepLR: lr *= gamma at each milestone epoch (a milestone listed twice decays twice).
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS, OwnOptions } from './lr-scheduler';
import { checkKeywords, keysOf } from '../../keywords';

export interface MultiStepLROptions extends LRSchedulerOptions {
  gamma?: number;
}

const MULTI_STEP_LR_KEYS = keysOf<OwnOptions<MultiStepLROptions>>()('gamma');

export class MultiStepLR extends LRScheduler {
  /** milestone epoch -> how often it was listed (Python's Counter) */
  milestones: Map<number, number>;
  gamma: number;

  constructor(optimizer: Optimizer, milestones: number[], options: MultiStepLROptions = {}) {
    checkKeywords('MultiStepLR', options, MULTI_STEP_LR_KEYS, LR_SCHEDULER_KEYS);
    super(optimizer, options.lastEpoch, options.verbose);
    this.milestones = new Map();
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = options.gamma ?? 0.1;
    this.start();
  }

  getLr(): number[] {
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** count);
  }

  protected closedFormLr(): number[] {
    let passed = 0;
    for (const [m, count] of this.milestones) if (m <= this.lastEpoch) passed += count;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
