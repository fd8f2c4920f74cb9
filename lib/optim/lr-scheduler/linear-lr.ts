// LinearLR: the lr factor moves linearly from startFactor to endFactor over totalIters epochs.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface LinearLROptions extends LRSchedulerOptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
}

/** LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5, last_epoch=-1, verbose=False), any of them by name. */
export interface LinearLRArgs extends LinearLROptions {
  optimizer: Optimizer;
}
const LINEAR_LR = signature<LinearLRArgs>()(['optimizer'], ['startFactor', 'endFactor', 'totalIters', ...SCHEDULER_TAIL]);

export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(...args: ArgsOf<typeof LINEAR_LR>) {
    const { optimizer, startFactor = 1.0 / 3, endFactor = 1.0, totalIters = 5, lastEpoch, verbose } = LINEAR_LR.bind('LinearLR', args);
    if (startFactor > 1.0 || startFactor < 0) throw new TorchError('Starting multiplicative factor expected to be between 0 and 1.');
    if (endFactor > 1.0 || endFactor < 0) throw new TorchError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, lastEpoch, verbose);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.start();
  }

  protected floatKeys(): readonly string[] {
    return ['start_factor', 'end_factor'];
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
