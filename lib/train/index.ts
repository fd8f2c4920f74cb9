// torch-node/train: fit() and its callbacks, Keras' convenience on top of the PyTorch loop.
export { fit, evaluate } from './fit';
export type { FitOptions, EvaluateOptions, History, LossFn, BatchSource } from './fit';
export { Callback } from './callback';
export type { Logs, TrainingContext } from './callback';
export { accuracy } from './metrics';
export type { Metric, MetricsSpec } from './metrics';
export { ProgressBar, formatDuration } from './progress-bar';
export type { ProgressBarOptions } from './progress-bar';
export { ProgressBarCallback } from './progress-callback';
export type { ProgressBarCallbackOptions } from './progress-callback';
export { ModelCheckpoint } from './model-checkpoint';
export type { ModelCheckpointOptions } from './model-checkpoint';
export { EarlyStopping } from './early-stopping';
export type { EarlyStoppingOptions } from './early-stopping';
export { LRSchedulerCallback } from './lr-scheduler-callback';
export type { LRSchedulerCallbackOptions, SchedulerLike } from './lr-scheduler-callback';
export { CSVLogger, JSONLinesLogger } from './loggers';
export type { CSVLoggerOptions, JSONLinesLoggerOptions } from './loggers';
