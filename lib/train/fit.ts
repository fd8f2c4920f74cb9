// fit(): Keras' convenience over the PyTorch loop, built only on the public API. Each step is the
// literal loop (optimizer.zeroGrad(); outputs = model(inputs); loss = criterion(outputs, targets);
// loss.backward(); optimizer.step()); validation runs under noGrad in eval mode. Returns the history.
import * as torch from '../index';
import type { Tensor } from '../tensor/tensor';
import type { Module } from '../nn/module';
import type { Optimizer } from '../optim/optimizer';
import { Callback, Logs, TrainingContext } from './callback';
import { MetricsSpec, RunningMeans, resolveMetrics, Metric } from './metrics';
import { ProgressBarCallback } from './progress-callback';
import { checkKeywords, keysOf } from '../keywords';
import { TorchError } from '../errors';

export type LossFn = (outputs: Tensor, targets: Tensor) => Tensor;

/** Anything iterable (sync or async) of [inputs, targets] batches, e.g. a DataLoader. */
export type BatchSource = (AsyncIterable<unknown> | Iterable<unknown>) & { length?: number };

export interface FitOptions {
  optimizer: Optimizer;
  /** a criterion module (nn.CrossEntropyLoss) or a function of (outputs, targets) */
  loss: LossFn | Module;
  metrics?: MetricsSpec;
  epochs?: number;
  trainLoader: BatchSource;
  valLoader?: BatchSource;
  callbacks?: Callback[];
  /** inputs and targets are moved here (the model is not moved: call model.to(device) yourself) */
  device?: torch.DeviceLike;
  /** a progress bar on stderr (default true); false for none */
  progress?: boolean;
}
const FIT_KEYS = keysOf<FitOptions>()('optimizer', 'loss', 'metrics', 'epochs', 'trainLoader', 'valLoader', 'callbacks', 'device', 'progress');

export interface EvaluateOptions {
  loss: LossFn | Module;
  metrics?: MetricsSpec;
  device?: torch.DeviceLike;
}
const EVALUATE_KEYS = keysOf<EvaluateOptions>()('loss', 'metrics', 'device');

export interface History {
  /** epoch numbers that ran, from 1 */
  epoch: number[];
  /** one array per logged value: loss, metrics, val_loss, val_<metric>, lr */
  history: Record<string, number[]>;
}

function asBatch(batch: unknown, device: torch.DeviceLike | undefined): [Tensor, Tensor] {
  if (!Array.isArray(batch) || batch.length < 2) throw new TorchError('fit: each batch must be [inputs, targets]');
  const [x, y] = batch as [Tensor, Tensor];
  return device === undefined ? [x, y] : [x.to(device), y.to(device)];
}

/** Mean loss and metrics of a batch, as numbers. */
function batchValues(loss: Tensor, outputs: Tensor, targets: Tensor, metrics: [string, Metric][]): Record<string, number> {
  const values: Record<string, number> = { loss: loss.item() as number };
  for (const [name, fn] of metrics) values[name] = fn(outputs, targets);
  return values;
}

/** Runs the model over a loader in eval mode with no graph; returns mean loss and metrics. */
export async function evaluate(
  model: Module,
  loader: BatchSource,
  options: EvaluateOptions,
): Promise<Record<string, number>> {
  checkKeywords('evaluate', options, EVALUATE_KEYS);
  const criterion = options.loss as LossFn;
  const metrics = resolveMetrics(options.metrics);
  const wasTraining = model.training;
  model.eval();
  const means = new RunningMeans();
  try {
    for await (const batch of loader) {
      const [inputs, targets] = asBatch(batch, options.device);
      torch.noGrad(() => {
        const outputs = model(inputs) as Tensor;
        means.add(batchValues(criterion(outputs, targets), outputs, targets, metrics), targets.size(0));
      });
    }
  } finally {
    model.train(wasTraining);
  }
  return means.means();
}

export async function fit(model: Module, options: FitOptions): Promise<History> {
  checkKeywords('fit', options, FIT_KEYS);
  const { optimizer, trainLoader, valLoader, device } = options;
  const criterion = options.loss as LossFn;
  const metrics = resolveMetrics(options.metrics);
  const epochs = options.epochs ?? 1;
  const callbacks = [...(options.callbacks ?? [])];
  if (options.progress !== false && !callbacks.some((c) => c instanceof ProgressBarCallback)) {
    callbacks.unshift(new ProgressBarCallback());
  }
  const ctx: TrainingContext = { model, optimizer, epochs, stepsPerEpoch: trainLoader.length, stopTraining: false };
  const history: History = { epoch: [], history: {} };
  const each = async (hook: (c: Callback) => void | Promise<void>) => {
    for (const c of callbacks) await hook(c);
  };

  await each((c) => c.onTrainBegin(ctx));
  for (let epoch = 1; epoch <= epochs && !ctx.stopTraining; epoch++) {
    await each((c) => c.onEpochBegin(epoch, ctx));
    model.train();
    const means = new RunningMeans();
    let step = 0;
    for await (const batch of trainLoader) {
      const [inputs, targets] = asBatch(batch, device);
      optimizer.zeroGrad();
      const outputs = model(inputs) as Tensor;
      const loss = criterion(outputs, targets);
      loss.backward();
      optimizer.step();
      const values = torch.noGrad(() => batchValues(loss, outputs, targets, metrics));
      means.add(values, targets.size(0));
      step++;
      const running = means.means();
      await each((c) => c.onBatchEnd(step, running, ctx));
    }
    const logs: Logs = means.means();
    if (valLoader) Object.assign(logs, prefixed(await evaluate(model, valLoader, { loss: criterion, metrics: options.metrics, device })));
    logs.lr = optimizer.paramGroups[0].lr as number;
    await each((c) => c.onEpochEnd(epoch, logs, ctx));
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
  }
  await each((c) => c.onTrainEnd(ctx));
  return history;
}

function prefixed(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`val_${k}`, v]));
}
