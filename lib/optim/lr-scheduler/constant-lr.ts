// ConstantLR: lr * factor until totalIters epochs have passed, then the base lr.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface ConstantLROptions extends LRSchedulerOptions {
  factor?: number;
  totalIters?: number;
}

/** ConstantLR(optimizer, factor=1/3, total_iters=5, last_epoch=-1, verbose=False), any of them by name. */
export interface ConstantLRArgs extends ConstantLROptions {
  optimizer: Optimizer;
}
const CONSTANT_LR = signature<ConstantLRArgs>()(['optimizer'], ['factor', 'totalIters', ...SCHEDULER_TAIL]);

export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(...args: ArgsOf<typeof CONSTANT_LR>) {
    const { optimizer, factor = 1.0 / 3, totalIters = 5, lastEpoch, verbose } = CONSTANT_LR.bind('ConstantLR', args);
    if (factor > 1.0 || factor < 0) throw new TorchError('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, lastEpoch, verbose);
    this.factor = factor;
    this.totalIters = totalIters;
    this.start();
  }

  protected floatKeys(): readonly string[] {
    return ['factor'];
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
