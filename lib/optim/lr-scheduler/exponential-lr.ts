// ExponentialLR: lr *= gamma every epoch.
import { Optimizer } from '../optimizer';
import { LRScheduler } from './lr-scheduler';

export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, gamma: number, options: { lastEpoch?: number; verbose?: boolean } = {}) {
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
