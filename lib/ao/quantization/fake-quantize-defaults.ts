// The default_* fake-quant factories of fake_quantize.py, with Python's keywords (and reprs).
import { qint8, quint4x2, quint8 } from '../../tensor/dtype';
import { perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric } from './qscheme';
import { FakeQuantize, FixedQParamsFakeQuantize, FusedMovingAvgObsFakeQuantize } from './fake-quantize';
import { MovingAverageMinMaxObserver } from './observers/min-max';
import { MovingAveragePerChannelMinMaxObserver } from './observers/per-channel';
import { HistogramObserver } from './observers/histogram';
import { defaultFixedQparamsRange0to1Observer, defaultFixedQparamsRangeNeg1to1Observer } from './observers/defaults';

const MA = MovingAverageMinMaxObserver;
const MA_PC = MovingAveragePerChannelMinMaxObserver;

export const defaultFakeQuant = FakeQuantize.withArgs({ observer: MA, quantMin: 0, quantMax: 255, dtype: quint8, qscheme: perTensorAffine, reduceRange: true });
export const defaultWeightFakeQuant = FakeQuantize.withArgs({ observer: MA, quantMin: -128, quantMax: 127, dtype: qint8, qscheme: perTensorSymmetric, reduceRange: false });
export const defaultDynamicFakeQuant = FakeQuantize.withArgs({ observer: MA, quantMin: 0, quantMax: 255, dtype: quint8, averagingConstant: 1 });
export const defaultFixedQparamsRangeNeg1to1FakeQuant = FixedQParamsFakeQuantize.withArgs({ observer: defaultFixedQparamsRangeNeg1to1Observer });
export const defaultFixedQparamsRange0to1FakeQuant = FixedQParamsFakeQuantize.withArgs({ observer: defaultFixedQparamsRange0to1Observer });
export const defaultSymmetricFixedQparamsFakeQuant = defaultFixedQparamsRangeNeg1to1FakeQuant;
export const defaultAffineFixedQparamsFakeQuant = defaultFixedQparamsRange0to1FakeQuant;
export const defaultPerChannelWeightFakeQuant = FakeQuantize.withArgs({
  observer: MA_PC, quantMin: -128, quantMax: 127, dtype: qint8, qscheme: perChannelSymmetric, reduceRange: false, chAxis: 0,
});
export const defaultEmbeddingFakeQuant = FakeQuantize.withArgs({
  observer: MA_PC, qscheme: perChannelAffineFloatQparams, dtype: quint8, quantMin: 0, quantMax: 255, chAxis: 0, averagingConstant: 1,
});
export const defaultEmbeddingFakeQuant4bit = FakeQuantize.withArgs({ observer: MA_PC, qscheme: perChannelAffineFloatQparams, chAxis: 0, dtype: quint4x2, averagingConstant: 1 });
export const defaultHistogramFakeQuant = FakeQuantize.withArgs({ observer: HistogramObserver, quantMin: 0, quantMax: 255, dtype: quint8, qscheme: perTensorAffine, reduceRange: true });
export const defaultFusedActFakeQuant = FusedMovingAvgObsFakeQuantize.withArgs({ observer: MA, quantMin: 0, quantMax: 255, dtype: quint8 });
export const defaultFusedWtFakeQuant = FusedMovingAvgObsFakeQuantize.withArgs({ observer: MA, quantMin: -128, quantMax: 127, dtype: qint8, qscheme: perTensorSymmetric });
export const defaultFusedPerChannelWtFakeQuant = FusedMovingAvgObsFakeQuantize.withArgs({ observer: MA_PC, quantMin: -128, quantMax: 127, dtype: qint8, qscheme: perChannelSymmetric });
export const fusedWtFakeQuantRangeNeg127To127 = FusedMovingAvgObsFakeQuantize.withArgs({
  observer: MA, quantMin: -127, quantMax: 127, dtype: qint8, qscheme: perTensorSymmetric, eps: 2 ** -12,
});
export const fusedPerChannelWtFakeQuantRangeNeg127To127 = FusedMovingAvgObsFakeQuantize.withArgs({
  observer: MA_PC, quantMin: -127, quantMax: 127, dtype: qint8, qscheme: perChannelSymmetric, eps: 2 ** -12,
});
