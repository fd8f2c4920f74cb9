// Whole-module torch.save / torch.load of quantization-aware-training checkpoints, both ways with
// PyTorch 1.13: prepare_qat models (nn.qat Linear, nn.intrinsic.qat ConvBnReLU2d / LinearReLU,
// FakeQuantize and FusedMovingAvgObsFakeQuantize with their observers and buffers, each module's
// qconfig, the observer hooks). The side that loads trains one more SGD step and converts; its
// state_dict and quantized output must match what the saving side computed doing the same. Then each
// observer and fake-quant class on its own, observing on after a round trip.
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

const NET = `class QatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(2, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(4 * 3 * 3, 5)
        self.fc_relu = nn.ReLU()
        self.out = nn.Linear(5, 2)
        self.dequant = tq.DeQuantStub()
    def forward(self, x):
        x = self.relu(self.bn(self.conv(self.quant(x))))
        x = self.fc_relu(self.fc(x.flatten(1)))
        return self.dequant(self.out(x))
`;

class QatNet extends nn.Module {
  quant = new tq.QuantStub();
  conv = new nn.Conv2d(2, 4, 3);
  bn = new nn.BatchNorm2d(4);
  relu = new nn.ReLU();
  fc = new nn.Linear(4 * 3 * 3, 5);
  fc_relu = new nn.ReLU();
  out = new nn.Linear(5, 2);
  dequant = new tq.DeQuantStub();
  forward(x: Tensor): Tensor {
    let y = this.relu(this.bn(this.conv(this.quant(x)))) as Tensor;
    y = this.fc_relu(this.fc(y.flatten(1))) as Tensor;
    return this.dequant(this.out(y)) as Tensor;
  }
}

const CASES: { name: string; py: string; js: () => tq.QConfig }[] = [
  { name: 'qnnpack QAT qconfig (FusedMovingAvgObsFakeQuantize)', py: `tq.get_default_qat_qconfig('qnnpack')`, js: () => tq.getDefaultQatQconfig('qnnpack') },
  { name: 'qnnpack QAT qconfig v0 (FakeQuantize)', py: `tq.get_default_qat_qconfig('qnnpack', 0)`, js: () => tq.getDefaultQatQconfig('qnnpack', 0) },
  { name: 'default_qat_qconfig', py: 'tq.default_qat_qconfig', js: () => tq.defaultQatQconfig },
];

const FUSE = [
  ['conv', 'bn', 'relu'],
  ['fc', 'fc_relu'],
];
const INPUT = [4, 2, 5, 5];

/** One SGD step on the MSE to `target`; returns the loss. */
function trainStep(m: Module, x: Tensor, target: Tensor): number {
  const opt = new torch.optim.SGD([...m.parameters()], { lr: 0.1 });
  opt.zeroGrad();
  const loss = nn.functional.mseLoss(m(x) as Tensor, target);
  loss.backward();
  opt.step();
  return loss.item() as number;
}

/** After the step: the state_dict as float lists, the loss, and the converted model's output. */
function afterStep(m: Module, x: Tensor, target: Tensor): { loss: number; sd: Record<string, number[]>; q: Module; out: Tensor } {
  const loss = trainStep(m, x, target);
  const sd: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(m.stateDict())) if (v instanceof Tensor) sd[k] = [...(v.detach().float().reshape([-1]).toTypedArray() as Float32Array)];
  m.eval();
  const q = tq.convert(m);
  return { loss, sd, q, out: q(x) as Tensor };
}

interface PyCase {
  repr: string;
  loss: number;
  sd: Record<string, number[]>;
  qrepr: string;
  jsLoss: number;
  jsSd: Record<string, number[]>;
  jsOutSame: boolean;
}

describe('QAT checkpoints (prepare_qat), both ways with Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qat-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const jsRuns = CASES.map((c, i) => {
    torch.manualSeed(200 + i);
    const m = new QatNet().train();
    tq.fuseModulesQat(m, FUSE, { inplace: true });
    Object.assign(m, { qconfig: c.js() });
    tq.prepareQat(m, null, { inplace: true });
    trainStep(m, torch.randn(INPUT), torch.randn([4, 2]));
    const [x, target] = [torch.randn(INPUT), torch.randn([4, 2])];
    torch.saveSync({ model: m, x, target }, path.join(dir, `js-${i}.pt`));
    const r = afterStep(m, x, target);
    torch.saveSync({ out: r.out }, path.join(dir, `js-${i}-out.pt`));
    return r;
  });
  const py = runPython<PyCase[]>(`
import sys
sys.path.insert(0, ${JSON.stringify(HELPERS)})
from quant_checkpoint import strip_device_closures
import torch.nn as nn
import torch.ao.quantization as tq
torch.backends.quantized.engine = 'qnnpack'
${NET}
QCONFIGS = [${CASES.map((c) => c.py).join(', ')}]
DIR = ${JSON.stringify(dir)}
def train_step(m, x, target):
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    opt.zero_grad()
    loss = nn.functional.mse_loss(m(x), target)
    loss.backward()
    opt.step()
    return loss.item()
def after_step(m, x, target):
    loss = train_step(m, x, target)
    sd = {k: v.detach().float().reshape(-1).tolist() for k, v in m.state_dict().items()}
    m.eval()
    q = tq.convert(m)
    return loss, sd, q, q(x)
result = []
for i, qconfig in enumerate(QCONFIGS):
    torch.manual_seed(i)
    m = QatNet().train()
    tq.fuse_modules_qat(m, ${JSON.stringify(FUSE)}, inplace=True)
    m.qconfig = qconfig
    tq.prepare_qat(m, inplace=True)
    train_step(m, torch.randn(${JSON.stringify(INPUT)}), torch.randn(4, 2))
    x, target = torch.randn(${JSON.stringify(INPUT)}), torch.randn(4, 2)
    strip_device_closures(m)
    torch.save({'model': m, 'x': x, 'target': target}, f'{DIR}/py-{i}.pt')
    r = {'repr': repr(m)}
    r['loss'], r['sd'], q, out = after_step(m, x, target)
    r['qrepr'] = repr(q)
    torch.save({'out': out}, f'{DIR}/py-{i}-out.pt')
    b = torch.load(f'{DIR}/js-{i}.pt')
    r['jsLoss'], r['jsSd'], _, out = after_step(b['model'], b['x'], b['target'])
    r['jsOutSame'] = out.equal(torch.load(f'{DIR}/js-{i}-out.pt')['out'])
    result.append(r)
`);

  const expectSameState = (a: Record<string, number[]>, b: Record<string, number[]>) => {
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) {
      const diff = Math.max(0, ...a[k].map((v, j) => (Number.isFinite(v) ? Math.abs(v - b[k][j]) : v === b[k][j] ? 0 : Infinity)));
      expect({ k, close: diff < 1e-5 }).toEqual({ k, close: true });
    }
  };

  CASES.forEach((c, i) => {
    it(`${c.name}: Python's loads here, trains a step and converts as Python does`, () => {
      const b = torch.loadSync(path.join(dir, `py-${i}.pt`), { classes: { '__main__.QatNet': QatNet } }) as { model: Module; x: Tensor; target: Tensor };
      expect(String(b.model)).toBe(py[i].repr);
      const r = afterStep(b.model, b.x, b.target);
      expect(r.loss).toBeCloseTo(py[i].loss, 5);
      expectSameState(r.sd, py[i].sd);
      expect(String(r.q)).toBe(py[i].qrepr);
      const expected = (torch.loadSync(path.join(dir, `py-${i}-out.pt`)) as { out: Tensor }).out;
      expect(r.out.equal(expected)).toBe(true);
    });
    it(`${c.name}: ours loads in Python, trains a step and converts as we do`, () => {
      expect(py[i].jsLoss).toBeCloseTo(jsRuns[i].loss, 5);
      expectSameState(py[i].jsSd, jsRuns[i].sd);
      expect(py[i].jsOutSame).toBe(true);
    });
  });
});

// every observer and fake-quant class on its own, having observed a batch: the loading side observes
// another and must reach the saving side's state
const OBSERVERS_PY = `nn.ModuleList([obs.MinMaxObserver(), obs.MovingAverageMinMaxObserver(averaging_constant=0.3),
        obs.PerChannelMinMaxObserver(ch_axis=1, dtype=torch.qint8, qscheme=torch.per_channel_symmetric),
        obs.MovingAveragePerChannelMinMaxObserver(ch_axis=0), obs.HistogramObserver(bins=64),
        obs.PlaceholderObserver(dtype=torch.float16), obs.RecordingObserver(), obs.NoopObserver(),
        obs.FixedQParamsObserver(1.0 / 256, 0), tq.FakeQuantize(), tq.FusedMovingAvgObsFakeQuantize(),
        tq.default_fixed_qparams_range_0to1_fake_quant()])`;

function observersJs(): Module {
  return new nn.ModuleList([
    new tq.MinMaxObserver(),
    new tq.MovingAverageMinMaxObserver({ averagingConstant: 0.3 }),
    new tq.PerChannelMinMaxObserver({ chAxis: 1, dtype: torch.qint8, qscheme: tq.perChannelSymmetric }),
    new tq.MovingAveragePerChannelMinMaxObserver({ chAxis: 0 }),
    new tq.HistogramObserver({ bins: 64 }),
    new tq.PlaceholderObserver({ dtype: torch.float16 }),
    new tq.RecordingObserver(),
    new tq.NoopObserver(),
    new tq.FixedQParamsObserver(1.0 / 256, 0),
    new tq.FakeQuantize(),
    new tq.FusedMovingAvgObsFakeQuantize(),
    tq.defaultFixedQparamsRange0to1FakeQuant(),
  ]);
}

/** Each member run on x; then the state_dict as float lists and how many tensors RecordingObserver holds. */
function observe(list: Module, x: Tensor): { sd: Record<string, number[]>; recorded: number } {
  for (const m of list.children()) m(x);
  const sd: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(list.stateDict())) if (v instanceof Tensor) sd[k] = [...(v.detach().float().reshape([-1]).toTypedArray() as Float32Array)];
  return { sd, recorded: (list.getSubmodule('6') as unknown as tq.RecordingObserver).getTensorValue().length };
}

describe('observers and fake-quants, each class, both ways with Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-observers-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  torch.manualSeed(400);
  const mine = observersJs();
  observe(mine, torch.randn([4, 3, 5]));
  const x2 = torch.randn([4, 3, 5]);
  torch.saveSync({ model: mine, x: x2 }, path.join(dir, 'js.pt'));
  const savedRepr = String(mine);
  const expectedJs = observe(mine, x2);
  const py = runPython<{ repr: string; sd: Record<string, number[]>; recorded: number; jsSd: Record<string, number[]>; jsRecorded: number; jsRepr: string }>(`
import torch.nn as nn
import torch.ao.quantization as tq
obs = tq.observer
DIR = ${JSON.stringify(dir)}
def observe(l, x):
    for m in l: m(x)
    return {k: v.detach().float().reshape(-1).tolist() for k, v in l.state_dict().items()}, len(l[6].get_tensor_value())
torch.manual_seed(0)
m = ${OBSERVERS_PY}
observe(m, torch.randn(4, 3, 5))
x = torch.randn(4, 3, 5)
torch.save({'model': m, 'x': x}, f'{DIR}/py.pt')
result = {'repr': repr(m)}
result['sd'], result['recorded'] = observe(m, x)
b = torch.load(f'{DIR}/js.pt')
result['jsRepr'] = repr(b['model'])
result['jsSd'], result['jsRecorded'] = observe(b['model'], b['x'])
`);

  it("Python's load here and keep observing as Python's do", () => {
    const b = torch.loadSync(path.join(dir, 'py.pt')) as { model: Module; x: Tensor };
    expect(String(b.model)).toBe(py.repr);
    const r = observe(b.model, b.x);
    expect(r.sd).toEqual(py.sd);
    expect(r.recorded).toBe(py.recorded);
  });
  it('ours load in Python and keep observing as ours do', () => {
    expect(py.jsRepr).toBe(savedRepr);
    expect(py.jsSd).toEqual(expectedJs.sd);
    expect(py.jsRecorded).toBe(expectedJs.recorded);
  });
});

describe('saving a qconfig Python could not rebuild', () => {
  it('refuses a factory whose callable argument has no Python name, with a TorchError', () => {
    const m = new nn.Linear(2, 2);
    const qconfig = new tq.QConfig(tq.MinMaxObserver.withCallableArgs({ quantMin: () => 0 }), tq.defaultWeightObserver);
    Object.assign(m, { qconfig });
    expect(() => torch.saveSync(m)).toThrow(torch.TorchError);
    expect(() => torch.saveSync(m)).toThrow('cannot save an observer factory: its callable argument quantMin (quantMin) has no Python name');
  });
});
