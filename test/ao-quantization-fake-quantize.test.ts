// Fake quantization against PyTorch 1.13 in the same run: the same batches through each
// fake-quant module in both languages; outputs, input gradients, qparams and state_dicts after
// every batch must be equal; the enable/disable switches, reprs and constructor errors too.
import * as torch from '../lib';
import * as Q from '../lib/ao/quantization';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';
import { out } from './helpers/close';

const BATCHES: [number, number][] = [
  [1, 0],
  [3, 0.5],
  [0.5, -0.25],
  [2, 1],
];
const SHAPE = [4, 3, 2, 2];
const PY_TRACE = `
from torch.ao.quantization import *
def lst(v):
    return v.tolist() if v.dim() else float(v)
def trace(fq, switch=None):
    res = []
    for i, (k, c) in enumerate(${JSON.stringify(BATCHES)}):
        torch.manual_seed(200 + i)
        x = (torch.randn(${JSON.stringify(SHAPE)}) * k + c).requires_grad_()
        w = torch.randn(${JSON.stringify(SHAPE)})
        if switch is not None and i == 2:
            switch(fq)
        y = fq(x)
        (y * w).sum().backward()
        s, z = fq.calculate_qparams()
        res.append({'y': y.tolist(), 'grad': x.grad.tolist(), 'scale': s.tolist(), 'zp': z.tolist(),
                    'sd': {k: lst(v) for k, v in fq.state_dict().items()}})
    return res
`;
function trace(fq: Q.FakeQuantize, switchAt?: (m: Q.FakeQuantize) => void): unknown[] {
  return BATCHES.map(([k, c], i) => {
    torch.manualSeed(200 + i);
    const x = torch.randn(SHAPE).mul(k).add(c).requiresGrad_();
    const w = torch.randn(SHAPE);
    if (switchAt && i === 2) switchAt(fq);
    const y = fq(x);
    y.mul(w).sum().backward();
    const [s, z] = fq.calculateQparams();
    const sd: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(fq.stateDict())) sd[key] = out(v as torch.Tensor);
    return { y: out(y), grad: out(x.grad), scale: out(s), zp: out(z), sd };
  });
}

const CASES: [string, () => Q.FakeQuantize, ((m: Q.FakeQuantize) => void)?][] = [
  ['default_fake_quant()', () => Q.defaultFakeQuant()],
  ['default_weight_fake_quant()', () => Q.defaultWeightFakeQuant()],
  ['default_per_channel_weight_fake_quant()', () => Q.defaultPerChannelWeightFakeQuant()],
  ['default_histogram_fake_quant()', () => Q.defaultHistogramFakeQuant()],
  ['default_fused_act_fake_quant()', () => Q.defaultFusedActFakeQuant()],
  ['default_fused_wt_fake_quant()', () => Q.defaultFusedWtFakeQuant()],
  ['default_fused_per_channel_wt_fake_quant()', () => Q.defaultFusedPerChannelWtFakeQuant()],
  ['default_fixed_qparams_range_neg1to1_fake_quant()', () => Q.defaultFixedQparamsRangeNeg1to1FakeQuant()],
  ['default_embedding_fake_quant()', () => Q.defaultEmbeddingFakeQuant()],
  ['FakeQuantize(MovingAverageMinMaxObserver, 0, 15, averaging_constant=0.5)', () => new Q.FakeQuantize(Q.MovingAverageMinMaxObserver, 0, 15, { averagingConstant: 0.5 })],
  ['FakeQuantize()', () => new Q.FakeQuantize()],
];
const SWITCHED: [string, string, (m: Q.FakeQuantize) => void][] = [
  ['default_fake_quant()', 'disable_observer', Q.disableObserver],
  ['default_fake_quant()', 'disable_fake_quant', Q.disableFakeQuant],
  ['default_fused_act_fake_quant()', 'disable_observer', Q.disableObserver],
  ['default_fused_act_fake_quant()', 'disable_fake_quant', Q.disableFakeQuant],
];

describe('fake quantize: forward, gradients, qparams, state_dict per batch', () => {
  const py = runPython<{ plain: unknown[][]; switched: unknown[][] }>(`${PY_TRACE}
result = {'plain': [trace(eval(c)) for c in ${JSON.stringify(CASES.map((c) => c[0]))}],
          'switched': [trace(eval(c), eval(f)) for c, f in ${JSON.stringify(SWITCHED.map(([c, f]) => [c, f]))}]}
`);
  CASES.forEach(([code, make], i) => test(code, () => expect(trace(make())).toEqual(py.plain[i])));
  SWITCHED.forEach(([code, fn, sw], i) => test(`${code} with ${fn} from the third batch`, () => expect(trace(make(code), sw)).toEqual(py.switched[i])));
  function make(code: string): Q.FakeQuantize {
    return CASES.find((c) => c[0] === code)![1]();
  }
});

describe('fake quantize: reprs', () => {
  const codes = ['FakeQuantize()', 'default_histogram_fake_quant()', 'default_fused_act_fake_quant()', 'default_fixed_qparams_range_0to1_fake_quant()', 'default_per_channel_weight_fake_quant()'];
  const ours = [
    () => new Q.FakeQuantize(),
    () => Q.defaultHistogramFakeQuant(),
    () => Q.defaultFusedActFakeQuant(),
    () => Q.defaultFixedQparamsRange0to1FakeQuant(),
    () => Q.defaultPerChannelWeightFakeQuant(),
  ];
  const py = runPython<string[]>(`from torch.ao.quantization import *\nresult = [repr(eval(c)) for c in ${JSON.stringify(codes)}]`);
  codes.forEach((c, i) => test(c, () => expect(String(ours[i]())).toBe(py[i])));
});

describe('fake quantize: errors', () => {
  errorTable(
    [
      ['FakeQuantize(quant_min=5, quant_max=4)', () => new Q.FakeQuantize({ quantMin: 5, quantMax: 4 })],
      ['FakeQuantize(quant_min=-5, quant_max=4)', () => new Q.FakeQuantize({ quantMin: -5, quantMax: 4 })],
      ['FakeQuantize(quant_min=0, quant_max=300)', () => new Q.FakeQuantize({ quantMin: 0, quantMax: 300 })],
      ['FixedQParamsFakeQuantize(MinMaxObserver)', () => new Q.FixedQParamsFakeQuantize(Q.MinMaxObserver)],
      ['FusedMovingAvgObsFakeQuantize(HistogramObserver)', () => new Q.FusedMovingAvgObsFakeQuantize(Q.HistogramObserver)],
      ['FakeQuantize(PerChannelMinMaxObserver, qscheme=torch.per_tensor_affine)', () => new Q.FakeQuantize(Q.PerChannelMinMaxObserver, { qscheme: torch.perTensorAffine })],
    ],
    { prelude: 'from torch.ao.quantization import *' },
  );
});
