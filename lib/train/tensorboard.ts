// Keras' TensorBoard callback: each epoch's logs as scalars, the training ones in logDir/train and
// the val_ ones in logDir/validation, tagged epoch_<name> (Keras' layout), so TensorBoard draws
// training and validation curves of one metric in one chart.
import * as path from 'path';
import { Callback, Logs } from './callback';
import { checkKeywords, keysOf } from '../keywords';
import { SummaryWriter } from '../utils/tensorboard';

export interface TensorBoardOptions {
  /** default 'logs', as Keras */
  logDir?: string;
}
const TENSORBOARD_KEYS = keysOf<TensorBoardOptions>()('logDir');

export class TensorBoard extends Callback {
  readonly logDir: string;
  private writers: { train: SummaryWriter; validation: SummaryWriter } | null = null;

  constructor(options: TensorBoardOptions = {}) {
    super();
    checkKeywords('TensorBoard', options, TENSORBOARD_KEYS);
    this.logDir = options.logDir ?? 'logs';
  }

  onTrainBegin(): void {
    this.writers = { train: new SummaryWriter(path.join(this.logDir, 'train')), validation: new SummaryWriter(path.join(this.logDir, 'validation')) };
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (!this.writers) return;
    for (const [name, value] of Object.entries(logs)) {
      const validation = name.startsWith('val_');
      const writer = validation ? this.writers.validation : this.writers.train;
      writer.addScalar(`epoch_${validation ? name.slice(4) : name}`, value, epoch);
    }
    this.writers.train.flush();
    this.writers.validation.flush();
  }

  onTrainEnd(): void {
    this.writers?.train.close();
    this.writers?.validation.close();
    this.writers = null;
  }
}
