// The default_* observer factories of observer.py, with Python's keywords (and reprs).
import { qint8, quint4x2, quint8 } from '../../../tensor/dtype';
import { perChannelAffineFloatQparams, perChannelSymmetric, perTensorSymmetric } from '../qscheme';
import { classFactory } from '../partial';
import { MinMaxObserver } from './min-max';
import { PerChannelMinMaxObserver } from './per-channel';
import { HistogramObserver } from './histogram';
import { FixedQParamsObserver, PlaceholderObserver, RecordingObserver, ReuseInputObserver } from './simple';

export const defaultObserver = MinMaxObserver.withArgs({ quantMin: 0, quantMax: 127 });
export const defaultPlaceholderObserver = classFactory(PlaceholderObserver);
export const defaultDebugObserver = classFactory(RecordingObserver);
export const defaultWeightObserver = MinMaxObserver.withArgs({ dtype: qint8, qscheme: perTensorSymmetric });
export const weightObserverRangeNeg127To127 = MinMaxObserver.withArgs({ dtype: qint8, qscheme: perTensorSymmetric, quantMin: -127, quantMax: 127, eps: 2 ** -12 });
export const defaultHistogramObserver = HistogramObserver.withArgs({ quantMin: 0, quantMax: 127 });
export const defaultPerChannelWeightObserver = PerChannelMinMaxObserver.withArgs({ dtype: qint8, qscheme: perChannelSymmetric });
export const perChannelWeightObserverRangeNeg127To127 = PerChannelMinMaxObserver.withArgs({
  dtype: qint8,
  qscheme: perChannelSymmetric,
  quantMin: -127,
  quantMax: 127,
  eps: 2 ** -12,
});
export const defaultDynamicQuantObserver = PlaceholderObserver.withArgs({ dtype: quint8, computeDtype: quint8 });
export const defaultFloatQparamsObserver = PerChannelMinMaxObserver.withArgs({ dtype: quint8, qscheme: perChannelAffineFloatQparams, chAxis: 0 });
export const defaultFloatQparamsObserver4bit = PerChannelMinMaxObserver.withArgs({ dtype: quint4x2, qscheme: perChannelAffineFloatQparams, chAxis: 0 });
export const defaultFixedQparamsRangeNeg1to1Observer = FixedQParamsObserver.withArgs({ scale: 2.0 / 256.0, zeroPoint: 128, dtype: quint8, quantMin: 0, quantMax: 255 });
export const defaultFixedQparamsRange0to1Observer = FixedQParamsObserver.withArgs({ scale: 1.0 / 256.0, zeroPoint: 0, dtype: quint8, quantMin: 0, quantMax: 255 });
export const defaultSymmetricFixedQparamsObserver = defaultFixedQparamsRangeNeg1to1Observer;
export const defaultAffineFixedQparamsObserver = defaultFixedQparamsRange0to1Observer;
export const defaultReuseInputObserver = classFactory(ReuseInputObserver);
