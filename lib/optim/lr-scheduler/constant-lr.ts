// ConstantLR: lr * factor until totalIters epochs have passed, then the base lr.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS, OwnOptions } from './lr-scheduler';
import { checkKeywords, keysOf } from '../../keywords';

export interface ConstantLROptions extends LRSchedulerOptions {
  factor?: number;
  totalIters?: number;
}

const CONSTANT_LR_KEYS = keysOf<OwnOptions<ConstantLROptions>>()('factor', 'totalIters');

export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    checkKeywords('ConstantLR', options, CONSTANT_LR_KEYS, LR_SCHEDULER_KEYS);
    const factor = options.factor ?? 1.0 / 3;
    if (factor > 1.0 || factor < 0) throw new TorchError('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, options.lastEpoch, options.verbose);
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.start();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1.0 / this.factor));
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}
