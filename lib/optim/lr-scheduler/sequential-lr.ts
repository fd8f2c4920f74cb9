// SequentialLR: runs one scheduler after another, switching at the given milestone epochs.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL, StateDictSource } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

/** SequentialLR(optimizer, schedulers, milestones, last_epoch=-1, verbose=False), any of them by name. */
export interface SequentialLRArgs extends LRSchedulerOptions {
  optimizer: Optimizer;
  schedulers: LRScheduler[];
  milestones: number[];
}
const SEQUENTIAL_LR = signature<SequentialLRArgs>()(['optimizer', 'schedulers', 'milestones'], SCHEDULER_TAIL);

export class SequentialLR extends StateDictSource {
  _schedulers: LRScheduler[];
  _milestones: number[];
  lastEpoch: number;
  optimizer: Optimizer;
  _lastLr: number[];

  constructor(...args: ArgsOf<typeof SEQUENTIAL_LR>) {
    const { optimizer, schedulers, milestones, lastEpoch = -1 } = SEQUENTIAL_LR.bind('SequentialLR', args);
    super();
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new TorchError(
          `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new TorchError(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    this._schedulers = [...schedulers];
    this._milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    this.optimizer = optimizer;
    // back to the initial lrs, undo the first step each scheduler took, and start the first one
    for (const g of optimizer.paramGroups) g.lr = g.initialLr;
    for (const s of this._schedulers) s.lastEpoch -= 1;
    this._schedulers[0].initialStep();
    this._lastLr = this._schedulers[0].getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    let idx = 0;
    while (idx < this._milestones.length && this._milestones[idx] <= this.lastEpoch) idx++; // bisect_right
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return this._lastLr;
  }
}
