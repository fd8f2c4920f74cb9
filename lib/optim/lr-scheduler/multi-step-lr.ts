// MultiStepLR: lr *= gamma at each milestone epoch (a milestone listed twice decays twice).
import { Optimizer } from '../optimizer';
import { LRScheduler } from './lr-scheduler';

export class MultiStepLR extends LRScheduler {
  /** milestone epoch -> how often it was listed (Python's Counter) */
  milestones: Map<number, number>;
  gamma: number;

  constructor(optimizer: Optimizer, milestones: number[], options: { gamma?: number; lastEpoch?: number; verbose?: boolean } = {}) {
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
