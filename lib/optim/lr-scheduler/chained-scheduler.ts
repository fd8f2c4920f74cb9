// ChainedScheduler: steps several schedulers of one optimizer together, each on the lr left by the previous.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, StateDictSource } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

/** ChainedScheduler(schedulers), positionally or by name. */
export interface ChainedSchedulerArgs {
  schedulers: LRScheduler[];
}
const CHAINED_SCHEDULER = signature<ChainedSchedulerArgs>()(['schedulers'], []);

export class ChainedScheduler extends StateDictSource {
  _schedulers: LRScheduler[];
  optimizer: Optimizer;
  _lastLr: number[];

  constructor(...args: ArgsOf<typeof CHAINED_SCHEDULER>) {
    const { schedulers } = CHAINED_SCHEDULER.bind('ChainedScheduler', args);
    super();
    for (let i = 1; i < schedulers.length; i++) {
      if (schedulers[i].optimizer !== schedulers[0].optimizer) {
        throw new TorchError(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
      }
    }
    this._schedulers = [...schedulers];
    this.optimizer = schedulers[0].optimizer;
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return this._lastLr;
  }
}
