// ModelCheckpoint: saves the model's state_dict (a .pt file Python's torch.load(weights_only=True)
// reads) after each epoch, or only when the monitored value improves. "{epoch}" and any log name in
// braces in the path are filled in ("ckpt-{epoch}-{val_loss}.pt").
import * as fs from 'fs';
import * as path from 'path';
import { save } from '../serialization';
import { Callback, Logs, TrainingContext, monitorMode, monitored } from './callback';
import { checkKeywords, keysOf } from '../keywords';

export interface ModelCheckpointOptions {
  filepath: string;
  monitor?: string;
  mode?: 'min' | 'max' | 'auto';
  saveBestOnly?: boolean;
  /** true (default): the model's state_dict; false: { epoch, model_state_dict, optimizer_state_dict } */
  saveWeightsOnly?: boolean;
}
const MODEL_CHECKPOINT_KEYS = keysOf<ModelCheckpointOptions>()('filepath', 'monitor', 'mode', 'saveBestOnly', 'saveWeightsOnly');

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  best: number;
  /** paths written, in order */
  readonly saved: string[] = [];

  constructor(options: ModelCheckpointOptions) {
    super();
    checkKeywords('ModelCheckpoint', options, MODEL_CHECKPOINT_KEYS);
    this.filepath = options.filepath;
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = monitorMode(this.monitor, options.mode ?? 'auto');
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? true;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  async onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): Promise<void> {
    if (this.saveBestOnly) {
      const v = monitored(logs, this.monitor, 'ModelCheckpoint');
      if (!(this.mode === 'min' ? v < this.best : v > this.best)) return;
      this.best = v;
    }
    const file = this.filepath.replace(/\{(\w+)\}/g, (whole, key: string) =>
      key === 'epoch' ? String(epoch) : key in logs ? logs[key].toFixed(4) : whole,
    );
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const obj = this.saveWeightsOnly
      ? ctx.model.stateDict()
      : { epoch, model_state_dict: ctx.model.stateDict(), optimizer_state_dict: ctx.optimizer.stateDict() };
    await save(obj, file);
    this.saved.push(file);
  }
}
