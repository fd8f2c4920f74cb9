// StepLR: lr *= gamma every stepSize epochs.
import { Optimizer } from '../optimizer';
import { LRScheduler } from './lr-scheduler';

export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, stepSize: number, options: { gamma?: number; lastEpoch?: number; verbose?: boolean } = {}) {
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
