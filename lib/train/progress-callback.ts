// fit()'s progress bar: one bar per epoch with the running loss/metrics and ETA; the final line of
// each epoch also shows the validation numbers.
import { Callback, Logs, TrainingContext } from './callback';
import { ProgressBar, ProgressBarOptions } from './progress-bar';
import { checkKeywords, keysOf } from '../keywords';

/** each epoch's bar gets its total and label from fit */
export type ProgressBarCallbackOptions = Omit<ProgressBarOptions, 'total' | 'label'>;
const PROGRESS_BAR_CALLBACK_KEYS = keysOf<ProgressBarCallbackOptions>()('width', 'stream', 'now');

export class ProgressBarCallback extends Callback {
  private bar?: ProgressBar;
  private steps = 0;
  private running: Logs = {};
  /** final line of each epoch (also for tests) */
  readonly lines: string[] = [];

  constructor(private readonly options: ProgressBarCallbackOptions = {}) {
    super();
    checkKeywords('ProgressBarCallback', options, PROGRESS_BAR_CALLBACK_KEYS);
  }

  onEpochBegin(epoch: number, ctx: TrainingContext): void {
    this.bar = new ProgressBar({ ...this.options, total: ctx.stepsPerEpoch, label: `epoch ${epoch}/${ctx.epochs}` });
    this.steps = 0;
    this.running = {};
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.steps = batch;
    this.running = logs;
    this.bar!.update(batch, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const { lr: _lr, ...shown } = { ...this.running, ...logs };
    this.lines.push(this.bar!.done(this.steps, shown));
  }
}
