// QConfigs, stubs and qconfig propagation against PyTorch 1.13 in the same run: the reprs of the
// default qconfigs (Python's functools.partial text), what each factory builds, propagate_qconfig_
// by class and by qualified name, QuantWrapper, and qconfig_equals.
import * as torch from '../lib';
import { nn } from '../lib';
import * as Q from '../lib/ao/quantization';
import { runPython } from './helpers/python';

const QCONFIGS: [string, () => Q.QConfig][] = [
  ['default_qconfig', () => Q.defaultQconfig],
  ['default_debug_qconfig', () => Q.defaultDebugQconfig],
  ['default_per_channel_qconfig', () => Q.defaultPerChannelQconfig],
  ['default_dynamic_qconfig', () => Q.defaultDynamicQconfig],
  ['float16_dynamic_qconfig', () => Q.float16DynamicQconfig],
  ['float16_static_qconfig', () => Q.float16StaticQconfig],
  ['per_channel_dynamic_qconfig', () => Q.perChannelDynamicQconfig],
  ['float_qparams_weight_only_qconfig', () => Q.floatQparamsWeightOnlyQconfig],
  ['float_qparams_weight_only_qconfig_4bit', () => Q.floatQparamsWeightOnlyQconfig4bit],
  ['default_qat_qconfig', () => Q.defaultQatQconfig],
  ['default_dynamic_qat_qconfig', () => Q.defaultDynamicQatQconfig],
  ['default_weight_only_qconfig', () => Q.defaultWeightOnlyQconfig],
  ['default_activation_only_qconfig', () => Q.defaultActivationOnlyQconfig],
  ['default_qat_qconfig_v2', () => Q.defaultQatQconfigV2],
  ['default_reuse_input_qconfig', () => Q.defaultReuseInputQconfig],
  ['default_symmetric_qnnpack_qconfig', () => Q.defaultSymmetricQnnpackQconfig],
  ['default_per_channel_symmetric_qnnpack_qconfig', () => Q.defaultPerChannelSymmetricQnnpackQconfig],
  ['default_embedding_qat_qconfig', () => Q.defaultEmbeddingQatQconfig],
  ['default_embedding_qat_qconfig_4bit', () => Q.defaultEmbeddingQatQconfig4bit],
  ['default_symmetric_qnnpack_qat_qconfig', () => Q.defaultSymmetricQnnpackQatQconfig],
  ['default_per_channel_symmetric_qnnpack_qat_qconfig', () => Q.defaultPerChannelSymmetricQnnpackQatQconfig],
  ...(['fbgemm', 'x86', 'qnnpack', 'onednn', 'other'] as const).flatMap((b): [string, () => Q.QConfig][] => [
    [`get_default_qconfig('${b}')`, () => Q.getDefaultQconfig(b)],
    [`get_default_qat_qconfig('${b}', 0)`, () => Q.getDefaultQatQconfig(b, 0)],
    [`get_default_qat_qconfig('${b}')`, () => Q.getDefaultQatQconfig(b)],
  ]),
];

describe('qconfig reprs and what they build', () => {
  const py = runPython<{ repr: string; act: string; weight: string }[]>(`
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import *
from torch.ao.quantization.qconfig import *
result = []
for c in ${JSON.stringify(QCONFIGS.map((q) => q[0]))}:
    q = eval(c)
    result.append({'repr': repr(q), 'act': repr(q.activation()), 'weight': repr(q.weight())})
`);
  QCONFIGS.forEach(([code, qconfig], i) => {
    test(code, () => {
      const q = qconfig();
      expect(String(q)).toBe(py[i].repr);
      expect(String(q.activation())).toBe(py[i].act);
      expect(String(q.weight())).toBe(py[i].weight);
      const [act, weight] = q;
      expect([act, weight]).toEqual([q.activation, q.weight]);
    });
  });
});

describe('withArgs factories', () => {
  const py = runPython<string[]>(`
from torch.ao.quantization import *
f = MinMaxObserver.with_args(dtype=torch.qint8).with_args(quant_min=-64, quant_max=63)
result = [repr(f), repr(f()), repr(HistogramObserver.with_args(bins=16)(upsample_rate=4)), str(f().quant_max)]
`);
  test('chained with_args, call-time keywords', () => {
    const f = Q.MinMaxObserver.withArgs({ dtype: torch.qint8 }).withArgs({ quantMin: -64, quantMax: 63 });
    expect(String(f)).toBe(py[0]);
    expect(String(f())).toBe(py[1]);
    expect(String(Q.HistogramObserver.withArgs({ bins: 16 })({ upsampleRate: 4 }))).toBe(py[2]);
    expect(String(f().quantMax)).toBe(py[3]);
    expect(f()).not.toBe(f());
  });
});

describe('propagate_qconfig_ and stubs', () => {
  const PY_MODEL = `
import torch.nn as nn
from torch.ao.quantization import *
def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Linear(4, 4), nn.ReLU()), QuantWrapper(nn.Linear(4, 2)))
import re
def names(m):
    # a function's repr has its address, which ours cannot have
    return {k: (None if getattr(v, 'qconfig', None) is None else re.sub(r' at 0x[0-9a-f]+', '', repr(v.qconfig))) for k, v in m.named_modules()}
`;
  const makeModel = () => {
    torch.manualSeed(0);
    return new nn.Sequential(new nn.Linear(4, 4), new nn.Sequential(new nn.Linear(4, 4), new nn.ReLU()), new Q.QuantWrapper(new nn.Linear(4, 2)));
  };
  const names = (m: nn.Module) => {
    const out: Record<string, string | null> = {};
    for (const [k, v] of m.namedModules()) {
      const qc = (v as unknown as { qconfig?: Q.QConfig | null }).qconfig;
      out[k] = qc ? String(qc) : null;
    }
    return out;
  };
  const py = runPython<{ byClass: Record<string, string | null>; byName: Record<string, string | null>; wrapper: string; prepared: string }>(`${PY_MODEL}
m = make()
propagate_qconfig_(m, {nn.ReLU: default_qconfig, '1.0': default_per_channel_qconfig, '2': None})
by_class = names(m)
m = make()
m[1].qconfig = default_qat_qconfig
propagate_qconfig_(m, {'': default_qconfig, '1.1': None})
by_name = names(m)
m = make()
m.qconfig = default_qconfig
result = {'byClass': by_class, 'byName': by_name, 'wrapper': repr(m[2]), 'prepared': repr(prepare(m))}
`);
  test('by class and by qualified name; a module\'s own qconfig wins', () => {
    let m = makeModel();
    Q.propagateQconfig_(m, new Map<Q.ModuleClass | string, Q.QConfig | null>([[nn.ReLU, Q.defaultQconfig], ['1.0', Q.defaultPerChannelQconfig], ['2', null]]));
    expect(names(m)).toEqual(py.byClass);
    m = makeModel();
    (m[1] as unknown as { qconfig: Q.QConfig }).qconfig = Q.defaultQatQconfig;
    Q.propagateQconfig_(m, { '': Q.defaultQconfig, '1.1': null });
    expect(names(m)).toEqual(py.byName);
  });
  test('QuantWrapper, and prepare of a model holding one', () => {
    const m = makeModel();
    expect(String(m[2])).toBe(py.wrapper);
    (m as unknown as { qconfig: Q.QConfig }).qconfig = Q.defaultQconfig;
    expect(String(Q.prepare(m))).toBe(py.prepared);
  });
  test('qconfigEquals', () => {
    expect(Q.qconfigEquals(Q.getDefaultQconfig('fbgemm'), Q.getDefaultQconfig('x86'))).toBe(true);
    expect(Q.qconfigEquals(Q.getDefaultQconfig('fbgemm'), Q.getDefaultQconfig('qnnpack'))).toBe(false);
    expect(Q.qconfigEquals(null, null)).toBe(true);
  });
});

describe('quantize_dynamic with a qconfig dict, and add_quant_dequant', () => {
  const py = runPython<{ repr: string; out: number[][]; wrapped: string }>(`
import torch.nn as nn
from torch.ao.quantization import *
from torch.ao.quantization.quantize import add_quant_dequant
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
q = quantize_dynamic(m, {nn.Linear: default_dynamic_qconfig, '2': None})
torch.manual_seed(1)
x = torch.randn(2, 4)
w = nn.Sequential(nn.Linear(4, 4), nn.ReLU())
propagate_qconfig_(w, {nn.Linear: default_qconfig})
result = {'repr': repr(q), 'out': q(x).tolist(), 'wrapped': repr(add_quant_dequant(w))}
`);
  test('Map of classes and names to QConfigs', () => {
    torch.manualSeed(0);
    const m = new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 3));
    const q = Q.quantizeDynamic(m, new Map<Q.ModuleClass | string, Q.QConfig | null>([[nn.Linear, Q.defaultDynamicQconfig], ['2', null]]));
    torch.manualSeed(1);
    const x = torch.randn(2, 4);
    expect(String(q)).toBe(py.repr);
    expect((q(x) as torch.Tensor).tolist()).toEqual(py.out);
  });
  test('add_quant_dequant wraps the leaves that have a qconfig', () => {
    const w = new nn.Sequential(new nn.Linear(4, 4), new nn.ReLU());
    Q.propagateQconfig_(w, new Map([[nn.Linear, Q.defaultQconfig]]));
    expect(String(Q.addQuantDequant(w))).toBe(py.wrapped);
  });
});
