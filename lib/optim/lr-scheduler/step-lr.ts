// StepLR: lr *= gamma every stepSize epochs.
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface StepLROptions extends LRSchedulerOptions {
  gamma?: number;
}

/** StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False), any of them by name. */
export interface StepLRArgs extends StepLROptions {
  optimizer: Optimizer;
  stepSize: number;
}
const STEP_LR = signature<StepLRArgs>()(['optimizer', 'stepSize'], ['gamma', ...SCHEDULER_TAIL]);

export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(...args: ArgsOf<typeof STEP_LR>) {
    const { optimizer, stepSize, gamma = 0.1, lastEpoch, verbose } = STEP_LR.bind('StepLR', args);
    super(optimizer, lastEpoch, verbose);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.start();
  }

  protected floatKeys(): readonly string[] {
    return ['gamma'];
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
