// Steps an LR scheduler from fit(): once per epoch (StepLR, CosineAnnealingLR, ...) or once per batch
// (OneCycleLR, CyclicLR); ReduceLROnPlateau gets the monitored value.
import { ReduceLROnPlateau } from '../optim/lr-scheduler/reduce-lr-on-plateau';
import { Callback, Logs, monitored } from './callback';
import { checkKeywords, keysOf } from '../keywords';

export interface SchedulerLike {
  step(...args: any[]): void;
}

export interface LRSchedulerCallbackOptions {
  interval?: 'epoch' | 'batch';
  /** for ReduceLROnPlateau (default 'val_loss') */
  monitor?: string;
}
const LR_SCHEDULER_CALLBACK_KEYS = keysOf<LRSchedulerCallbackOptions>()('interval', 'monitor');

export class LRSchedulerCallback extends Callback {
  readonly interval: 'epoch' | 'batch';
  readonly monitor: string;

  constructor(
    readonly scheduler: SchedulerLike,
    options: LRSchedulerCallbackOptions = {},
  ) {
    super();
    checkKeywords('LRSchedulerCallback', options, LR_SCHEDULER_CALLBACK_KEYS);
    this.interval = options.interval ?? 'epoch';
    this.monitor = options.monitor ?? 'val_loss';
  }

  onBatchEnd(): void {
    if (this.interval === 'batch') this.scheduler.step();
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.interval !== 'epoch') return;
    if (this.scheduler instanceof ReduceLROnPlateau) this.scheduler.step(monitored(logs, this.monitor, 'LRSchedulerCallback'));
    else this.scheduler.step();
  }
}
