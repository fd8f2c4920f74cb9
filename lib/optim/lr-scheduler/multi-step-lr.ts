// MultiStepLR: lr *= gamma at each milestone epoch (a milestone listed twice decays twice).
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface MultiStepLROptions extends LRSchedulerOptions {
  gamma?: number;
}

/** MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False), any of them by name. */
export interface MultiStepLRArgs extends MultiStepLROptions {
  optimizer: Optimizer;
  milestones: Iterable<number>;
}
const MULTI_STEP_LR = signature<MultiStepLRArgs>()(['optimizer', 'milestones'], ['gamma', ...SCHEDULER_TAIL]);

export class MultiStepLR extends LRScheduler {
  /** milestone epoch -> how often it was listed (Python's Counter) */
  milestones: Map<number, number>;
  gamma: number;

  constructor(...args: ArgsOf<typeof MULTI_STEP_LR>) {
    const { optimizer, milestones, gamma = 0.1, lastEpoch, verbose } = MULTI_STEP_LR.bind('MultiStepLR', args);
    super(optimizer, lastEpoch, verbose);
    this.milestones = new Map();
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = gamma;
    this.start();
  }

  protected floatKeys(): readonly string[] {
    return ['gamma'];
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
