// ExponentialLR: lr *= gamma every epoch.
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

/** ExponentialLR(optimizer, gamma, last_epoch=-1, verbose=False), any of them by name. */
export interface ExponentialLRArgs extends LRSchedulerOptions {
  optimizer: Optimizer;
  gamma: number;
}
const EXPONENTIAL_LR = signature<ExponentialLRArgs>()(['optimizer', 'gamma'], SCHEDULER_TAIL);

export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(...args: ArgsOf<typeof EXPONENTIAL_LR>) {
    const { optimizer, gamma, lastEpoch, verbose } = EXPONENTIAL_LR.bind('ExponentialLR', args);
    super(optimizer, lastEpoch, verbose);
    this.gamma = gamma;
    this.start();
  }

  protected floatKeys(): readonly string[] {
    return ['gamma'];
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
