// Observers against PyTorch 1.13 in the same run: the same batches through each observer in both
// languages; after every batch the qparams and the state_dict buffers must be bit-equal (the
// HistogramObserver's error-minimising range search included), and reprs and errors must match.
import * as torch from '../lib';
import * as Q from '../lib/ao/quantization';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';
import { out } from './helpers/close';

// batch i: randn(shape) seeded with 100 + i, scaled and shifted so the range grows, shrinks and moves
const BATCHES: [number[], number, number][] = [
  [[4, 3, 5, 5], 1, 0],
  [[4, 3, 5, 5], 3, 0.5],
  [[4, 3, 5, 5], 0.5, -0.25],
  [[4, 3, 5, 5], 6, -2],
  [[4, 3, 5, 5], 2, 1],
];
const PY_BATCHES = `
def batches():
    out = []
    for i, (shape, k, c) in enumerate(${JSON.stringify(BATCHES)}):
        torch.manual_seed(100 + i)
        out.append(torch.randn(shape) * k + c)
    return out
def trace(obs):
    res = []
    for x in batches():
        y = obs(x)
        assert y is x
        s, z = obs.calculate_qparams()
        sd = {k: (v.tolist() if v.dim() else float(v)) for k, v in obs.state_dict().items()}
        res.append({'scale': s.tolist(), 'zp': z.tolist(), 'sd': sd})
    return res
`;
function batches(): torch.Tensor[] {
  return BATCHES.map(([shape, k, c], i) => {
    torch.manualSeed(100 + i);
    return torch.randn(shape).mul(k).add(c);
  });
}
function trace(obs: Q.ObserverBase): unknown[] {
  return batches().map((x) => {
    expect(obs(x)).toBe(x);
    const [s, z] = obs.calculateQparams();
    const sd: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obs.stateDict())) sd[k] = (v as torch.Tensor).dim() ? out(v as torch.Tensor) : out(v as torch.Tensor);
    return { scale: out(s), zp: out(z), sd };
  });
}

// [Python constructor, the same here]
const OBSERVERS: [string, () => Q.ObserverBase][] = [
  ['MinMaxObserver()', () => new Q.MinMaxObserver()],
  ['MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)', () => new Q.MinMaxObserver({ dtype: torch.qint8, qscheme: torch.perTensorSymmetric })],
  ['MinMaxObserver(quant_min=0, quant_max=127)', () => new Q.MinMaxObserver({ quantMin: 0, quantMax: 127 })],
  ['MinMaxObserver(torch.quint8, torch.per_tensor_symmetric)', () => new Q.MinMaxObserver(torch.quint8, torch.perTensorSymmetric)],
  ['MovingAverageMinMaxObserver()', () => new Q.MovingAverageMinMaxObserver()],
  ['MovingAverageMinMaxObserver(0.25, torch.qint8, torch.per_tensor_symmetric, quant_min=-127, quant_max=127, eps=2**-12)',
    () => new Q.MovingAverageMinMaxObserver(0.25, torch.qint8, torch.perTensorSymmetric, { quantMin: -127, quantMax: 127, eps: 2 ** -12 })],
  ['PerChannelMinMaxObserver()', () => new Q.PerChannelMinMaxObserver()],
  ['PerChannelMinMaxObserver(ch_axis=1, dtype=torch.qint8, qscheme=torch.per_channel_symmetric)', () => new Q.PerChannelMinMaxObserver({ chAxis: 1, dtype: torch.qint8, qscheme: torch.perChannelSymmetric })],
  ['PerChannelMinMaxObserver(ch_axis=0, qscheme=torch.per_channel_affine_float_qparams)', () => new Q.PerChannelMinMaxObserver({ chAxis: 0, qscheme: torch.perChannelAffineFloatQparams })],
  ['MovingAveragePerChannelMinMaxObserver()', () => new Q.MovingAveragePerChannelMinMaxObserver()],
  ['MovingAveragePerChannelMinMaxObserver(0.5, 2, torch.qint8, torch.per_channel_symmetric)', () => new Q.MovingAveragePerChannelMinMaxObserver(0.5, 2, torch.qint8, torch.perChannelSymmetric)],
  ['HistogramObserver()', () => new Q.HistogramObserver()],
  ['HistogramObserver(reduce_range=True)', () => new Q.HistogramObserver({ reduceRange: true })],
  ['HistogramObserver(bins=256, upsample_rate=16, dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)',
    () => new Q.HistogramObserver({ bins: 256, upsampleRate: 16, dtype: torch.qint8, qscheme: torch.perTensorSymmetric })],
  ['default_histogram_observer()', () => Q.defaultHistogramObserver()],
  ['default_per_channel_weight_observer()', () => Q.defaultPerChannelWeightObserver()],
  ['default_observer()', () => Q.defaultObserver()],
  ['weight_observer_range_neg_127_to_127()', () => Q.weightObserverRangeNeg127To127()],
];

describe('observers: qparams and state_dict after each batch', () => {
  const py = runPython<unknown[][]>(`${PY_BATCHES}
from torch.ao.quantization import *
from torch.ao.quantization.observer import *
result = [trace(eval(c)) for c in ${JSON.stringify(OBSERVERS.map((o) => o[0]))}]
`);
  OBSERVERS.forEach(([code, make], i) => {
    test(code, () => {
      expect(trace(make())).toEqual(py[i]);
    });
  });
});

describe('HistogramObserver edge cases: constant batches, ranges inside (-1, 1), ReLU outputs', () => {
  const PY = `
from torch.ao.quantization import *
def batches():
    torch.manual_seed(5)
    return [torch.zeros(10), torch.full((6,), 0.25), torch.randn(50) * 0.3, torch.relu(torch.randn(64)), torch.randn(40) * 0.01 + 0.5]
def trace(obs):
    res = []
    for x in batches():
        obs(x)
        s, z = obs.calculate_qparams()
        res.append({'scale': s.tolist(), 'zp': z.tolist(), 'min': float(obs.min_val), 'max': float(obs.max_val), 'hist': obs.histogram.tolist()})
    return res
`;
  const batchesHere = () => {
    torch.manualSeed(5);
    return [torch.zeros(10), torch.full([6], 0.25), torch.randn(50).mul(0.3), torch.relu(torch.randn(64)), torch.randn(40).mul(0.01).add(0.5)];
  };
  const codes: [string, () => Q.HistogramObserver][] = [
    ['HistogramObserver()', () => new Q.HistogramObserver()],
    ['HistogramObserver(bins=64, dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)', () => new Q.HistogramObserver({ bins: 64, dtype: torch.qint8, qscheme: torch.perTensorSymmetric })],
  ];
  const py = runPython<unknown[][]>(`${PY}\nresult = [trace(eval(c)) for c in ${JSON.stringify(codes.map((c) => c[0]))}]`);
  codes.forEach(([code, make], i) =>
    test(code, () => {
      const obs = make();
      const got = batchesHere().map((x) => {
        obs(x);
        const [s, z] = obs.calculateQparams();
        return { scale: out(s), zp: out(z), min: obs.min_val.item(), max: obs.max_val.item(), hist: out(obs.histogram) };
      });
      expect(got).toEqual(py[i]);
    }),
  );
});

describe('observer reprs, other observers and errors', () => {
  const py = runPython<string[]>(`
from torch.ao.quantization import *
from torch.ao.quantization.observer import *
o = RecordingObserver(); o(torch.ones(2)); o(torch.zeros(1))
h = HistogramObserver(); h(torch.arange(5.))
p = PerChannelMinMaxObserver(); p(torch.arange(6.).reshape(2, 3))
result = [repr(o), str(len(o.get_tensor_value())), repr(h), repr(p), repr(NoopObserver()), repr(PlaceholderObserver()),
          repr(default_fixed_qparams_range_0to1_observer().calculate_qparams()), repr(MovingAverageMinMaxObserver())]
`);
  test('reprs', () => {
    const o = new Q.RecordingObserver();
    o(torch.ones(2));
    o(torch.zeros(1));
    const h = new Q.HistogramObserver();
    h(torch.arange(5, { dtype: torch.float32 }));
    const p = new Q.PerChannelMinMaxObserver();
    p(torch.arange(6, { dtype: torch.float32 }).reshape(2, 3));
    const fixed = Q.defaultFixedQparamsRange0to1Observer().calculateQparams();
    expect([String(o), String(o.getTensorValue().length), String(h), String(p), String(new Q.NoopObserver()), String(new Q.PlaceholderObserver()),
      `(${fixed.map(String).join(', ')})`, String(new Q.MovingAverageMinMaxObserver())]).toEqual(py);
  });
  errorTable(
    [
      ['NoopObserver().calculate_qparams()', () => new Q.NoopObserver().calculateQparams()],
      ['RecordingObserver().calculate_qparams()', () => new Q.RecordingObserver().calculateQparams()],
      ['MovingAverageMinMaxObserver(qscheme=torch.per_channel_affine)', () => new Q.MovingAverageMinMaxObserver({ qscheme: torch.perChannelAffine })],
      ['MovingAveragePerChannelMinMaxObserver(qscheme=torch.per_tensor_affine)', () => new Q.MovingAveragePerChannelMinMaxObserver({ qscheme: torch.perTensorAffine })],
      ['PerChannelMinMaxObserver(qscheme=torch.per_channel_symmetric, reduce_range=True)', () => new Q.PerChannelMinMaxObserver({ qscheme: torch.perChannelSymmetric, reduceRange: true })],
      ['MinMaxObserver(quant_min=0, quant_max=0)', () => new Q.MinMaxObserver({ quantMin: 0, quantMax: 0 })],
    ],
    { prelude: 'from torch.ao.quantization import *\nimport warnings\nwarnings.simplefilter("ignore")' },
  );
});
