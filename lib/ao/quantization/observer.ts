// torch.ao.quantization.observer: the observers (one file per family under observers/) and their
// default factories, gathered as Python's module gathers them.
import { setPyModule } from './partial';
import { ObserverBase, UniformQuantizationObserverBase } from './observers/base';
import { MinMaxObserver, MovingAverageMinMaxObserver } from './observers/min-max';
import { PerChannelMinMaxObserver, MovingAveragePerChannelMinMaxObserver } from './observers/per-channel';
import { HistogramObserver } from './observers/histogram';
import { FixedQParamsObserver, NoopObserver, PlaceholderObserver, RecordingObserver, ReuseInputObserver } from './observers/simple';

export { ObserverBase, UniformQuantizationObserverBase, calculateQminQmax } from './observers/base';
export type { UniformArgs, FactoryKwargs } from './observers/base';
export { MinMaxObserver, MovingAverageMinMaxObserver } from './observers/min-max';
export type { MinMaxObserverArgs, MovingAverageMinMaxObserverArgs } from './observers/min-max';
export { PerChannelMinMaxObserver, MovingAveragePerChannelMinMaxObserver } from './observers/per-channel';
export type { PerChannelMinMaxObserverArgs, MovingAveragePerChannelMinMaxObserverArgs } from './observers/per-channel';
export { HistogramObserver } from './observers/histogram';
export type { HistogramObserverArgs } from './observers/histogram';
export { FixedQParamsObserver, NoopObserver, PlaceholderObserver, RecordingObserver, ReuseInputObserver } from './observers/simple';
export type { FixedQParamsObserverArgs, PlaceholderObserverArgs } from './observers/simple';
export * from './observers/defaults';

for (const cls of [
  ObserverBase,
  UniformQuantizationObserverBase,
  MinMaxObserver,
  MovingAverageMinMaxObserver,
  PerChannelMinMaxObserver,
  MovingAveragePerChannelMinMaxObserver,
  HistogramObserver,
  FixedQParamsObserver,
  NoopObserver,
  PlaceholderObserver,
  RecordingObserver,
  ReuseInputObserver,
]) {
  setPyModule(cls, 'torch.ao.quantization.observer');
}
