// LinearLR: the lr factor moves linearly from startFactor to endFactor over totalIters epochs.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS, OwnOptions } from './lr-scheduler';
import { checkKeywords, keysOf } from '../../keywords';

export interface LinearLROptions extends LRSchedulerOptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
}

const LINEAR_LR_KEYS = keysOf<OwnOptions<LinearLROptions>>()('startFactor', 'endFactor', 'totalIters');

export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    checkKeywords('LinearLR', options, LINEAR_LR_KEYS, LR_SCHEDULER_KEYS);
    const { startFactor = 1.0 / 3, endFactor = 1.0, totalIters = 5 } = options;
    if (startFactor > 1.0 || startFactor < 0) throw new TorchError('Starting multiplicative factor expected to be between 0 and 1.');
    if (endFactor > 1.0 || endFactor < 0) throw new TorchError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, options.lastEpoch, options.verbose);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.start();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groupLrs();
    const delta = this.endFactor - this.startFactor;
    return this.groupLrs().map((lr) => lr * (1 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta)));
  }

  protected closedFormLr(): number[] {
    const delta = this.endFactor - this.startFactor;
    return this.baseLrs.map((b) => b * (this.startFactor + (delta * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }
}
