// Whole-module torch.save / torch.load of models checkpointed mid-quantization, both ways with
// PyTorch 1.13: prepared (observed) eager-mode models — observers, QuantStub/DeQuantStub with their
// qconfig, the observer forward hooks — whose loaded copy keeps observing and converts to Python's
// quantized model. (Python cannot pickle prepare's per-module device closures: its side drops them
// first, test/helpers/quant_checkpoint.py.)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { Module } from '../lib/nn/module';
import { runPython } from './helpers/python';
import * as tq from '../lib/ao/quantization';

const engineBefore = torch.backends.quantized.engine;
torch.backends.quantized.engine = 'qnnpack';
afterAll(() => {
  torch.backends.quantized.engine = engineBefore;
});

const HELPERS = path.join(__dirname, 'helpers');

interface Case {
  name: string;
  /** Python: the float model (nn, tq in scope), eval mode, with its qconfig */
  py: string;
  js: () => Module;
}

class Net extends nn.Module {
  quant = new tq.QuantStub();
  conv = new nn.Conv2d(2, 4, 3, { padding: 1 });
  relu = new nn.ReLU();
  add = new nn.quantized.FloatFunctional();
  fc = new nn.Linear(4 * 5 * 5, 3);
  dequant = new tq.DeQuantStub();
  forward(x: Tensor): Tensor {
    const q = this.quant(x) as Tensor;
    let y = this.relu(this.conv(q)) as Tensor;
    y = this.add.add(y, y);
    return this.dequant(this.fc(y.flatten(1))) as Tensor;
  }
}
const withQconfig = (m: Module, qconfig: tq.QConfig): Module => Object.assign(m, { qconfig });

// a float model with stubs, a fused conv, a FloatFunctional add, per-channel and per-tensor weights
const NET = `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.relu = nn.ReLU()
        self.add = torch.ao.nn.quantized.FloatFunctional()
        self.fc = nn.Linear(4 * 5 * 5, 3)
        self.dequant = tq.DeQuantStub()
    def forward(self, x):
        x = self.quant(x)
        y = self.relu(self.conv(x))
        y = self.add.add(y, y)
        return self.dequant(self.fc(y.flatten(1)))
`;

const CASES: Case[] = [
  {
    name: 'default qconfig (MinMax)',
    py: `m = Net().eval(); m.qconfig = tq.default_qconfig; return m`,
    js: () => withQconfig(new Net().eval(), tq.defaultQconfig),
  },
  {
    name: "qnnpack's (Histogram)",
    py: `m = Net().eval(); m.qconfig = tq.get_default_qconfig('qnnpack'); return m`,
    js: () => withQconfig(new Net().eval(), tq.getDefaultQconfig('qnnpack')),
  },
  {
    name: 'fused, per-channel weights, moving averages',
    py: `m = Net().eval(); tq.fuse_modules(m, [['conv', 'relu']], inplace=True)
    m.qconfig = tq.QConfig(activation=tq.MovingAverageMinMaxObserver.with_args(averaging_constant=0.5), weight=tq.default_per_channel_weight_observer); return m`,
    js: () => {
      const m = new Net().eval();
      tq.fuseModules(m, [['conv', 'relu']], { inplace: true });
      return withQconfig(m, new tq.QConfig(tq.MovingAverageMinMaxObserver.withArgs({ averagingConstant: 0.5 }), tq.defaultPerChannelWeightObserver));
    },
  },
];

const INPUT = [4, 2, 5, 5];

/** Every observer's min_val / max_val / histogram / scale / zero_point, by qualified name (helpers' observer_stats). */
function observerStats(model: Module): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, m] of model.namedModules()) {
    if (m === model) continue;
    for (const [buf, t] of m.namedBuffers({ recurse: false } as never)) {
      if (['min_val', 'max_val', 'histogram', 'scale', 'zero_point'].includes(buf) && t) out[`${name}.${buf}`] = [...(t.detach().float().reshape([-1]).toTypedArray() as Float32Array)];
    }
  }
  return out;
}

interface PyCase {
  repr: string;
  qconfig: string;
  stats: Record<string, number[]>;
  qrepr: string;
  jsHooks: boolean;
  jsStats: Record<string, number[]>;
  jsOutSame: boolean;
}

describe('prepared (observed) models, both ways with Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-prepared-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // ours: prepared, calibrated once, saved with the next batch and Python's expected results
  const jsRuns = CASES.map((c, i) => {
    torch.manualSeed(100 + i);
    const m = tq.prepare(c.js(), { inplace: true });
    m(torch.randn(INPUT));
    const calib2 = torch.randn(INPUT);
    const x = torch.randn(INPUT);
    torch.saveSync({ model: m, calib2, x }, path.join(dir, `js-${i}.pt`));
    m(calib2);
    const stats = observerStats(m);
    const out = tq.convert(m)(x) as Tensor;
    torch.saveSync({ out }, path.join(dir, `js-${i}-out.pt`));
    return stats;
  });
  const py = runPython<PyCase[]>(`
import sys
sys.path.insert(0, ${JSON.stringify(HELPERS)})
from quant_checkpoint import strip_device_closures, observer_stats
import torch.nn as nn
import torch.ao.quantization as tq
torch.backends.quantized.engine = 'qnnpack'
${NET}
${CASES.map((c, i) => `def make_${i}():\n    ${c.py}\n`).join('\n')}
DIR = ${JSON.stringify(dir)}
from torch.ao.quantization.quantize import _observer_forward_hook
result = []
for i in range(${CASES.length}):
    torch.manual_seed(i)
    m = tq.prepare(globals()[f'make_{i}'](), inplace=True)
    m(torch.randn(${JSON.stringify(INPUT)}))
    calib2, x = torch.randn(${JSON.stringify(INPUT)}), torch.randn(${JSON.stringify(INPUT)})
    strip_device_closures(m)
    torch.save({'model': m, 'calib2': calib2, 'x': x}, f'{DIR}/py-{i}.pt')
    r = {'repr': repr(m), 'qconfig': repr(m.fc.qconfig)}
    m(calib2)
    r['stats'] = observer_stats(m)
    q = tq.convert(m)
    r['qrepr'] = repr(q)
    torch.save({'out': q(x)}, f'{DIR}/py-{i}-out.pt')
    # ours: keeps observing through the hooks it carries, converts to the same model
    b = torch.load(f'{DIR}/js-{i}.pt')
    theirs = b['model']
    r['jsHooks'] = all(_observer_forward_hook in mod._forward_hooks.values() for mod in theirs.modules() if hasattr(mod, 'activation_post_process') and not isinstance(mod, torch.ao.nn.quantized.FloatFunctional))
    theirs(b['calib2'])
    r['jsStats'] = observer_stats(theirs)
    r['jsOutSame'] = tq.convert(theirs)(b['x']).equal(torch.load(f'{DIR}/js-{i}-out.pt')['out'])
    result.append(r)
`);

  CASES.forEach((c, i) => {
    it(`${c.name}: Python's loads here, keeps observing, and converts to Python's quantized model`, () => {
      const b = torch.loadSync(path.join(dir, `py-${i}.pt`), { classes: { '__main__.Net': Net } }) as { model: Module; calib2: Tensor; x: Tensor };
      expect(String(b.model)).toBe(py[i].repr);
      // the qconfig: a QConfig of observer factories, as Python prints it
      const qconfig = (b.model as unknown as { fc: { qconfig: tq.QConfig } }).fc.qconfig;
      expect(qconfig).toBeInstanceOf(tq.QConfig);
      expect(String(qconfig)).toBe(py[i].qconfig);
      b.model(b.calib2);
      expect(observerStats(b.model)).toEqual(py[i].stats);
      const q = tq.convert(b.model);
      expect(String(q)).toBe(py[i].qrepr);
      const expected = (torch.loadSync(path.join(dir, `py-${i}-out.pt`)) as { out: Tensor }).out;
      expect((q(b.x) as Tensor).equal(expected)).toBe(true);
    });
    it(`${c.name}: ours loads in Python with its observer hooks, keeps observing, and converts to ours`, () => {
      expect(py[i].jsHooks).toBe(true);
      expect(py[i].jsStats).toEqual(jsRuns[i]);
      expect(py[i].jsOutSame).toBe(true);
    });
  });
});
