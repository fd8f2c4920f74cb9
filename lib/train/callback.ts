// The hooks fit() calls, Keras' callback protocol in JavaScript's case. Every hook may be async;
// fit awaits it. `logs` holds the numbers of the epoch so far: loss, each metric, their val_ forms, lr.
import type { Module } from '../nn/module';
import type { Optimizer } from '../optim/optimizer';
import { TorchError } from '../errors';

export type Logs = Record<string, number>;

/** What a callback can see and change while fit() runs. */
export interface TrainingContext {
  model: Module;
  optimizer: Optimizer;
  epochs: number;
  /** batches per training epoch (undefined for loaders without a length) */
  stepsPerEpoch?: number;
  /** set to true to end training after the current epoch (EarlyStopping does) */
  stopTraining: boolean;
}

export abstract class Callback {
  onTrainBegin(_ctx: TrainingContext): void | Promise<void> {}
  onEpochBegin(_epoch: number, _ctx: TrainingContext): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs: Logs, _ctx: TrainingContext): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs: Logs, _ctx: TrainingContext): void | Promise<void> {}
  onTrainEnd(_ctx: TrainingContext): void | Promise<void> {}
}

/** 'min' for losses and 'max' for everything else, as Keras guesses it from the name. */
export function monitorMode(monitor: string, mode: 'min' | 'max' | 'auto'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|f1/.test(monitor) ? 'max' : 'min';
}

/** The monitored value from logs, or an error naming what is there. */
export function monitored(logs: Logs, monitor: string, who: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    throw new TorchError(`${who}: '${monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`);
  }
  return v;
}
