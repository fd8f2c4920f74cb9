// torch.optim.swa_utils against PyTorch 1.13: AveragedModel (equal average, custom avgFn, the
// torchvision references' ExponentialMovingAverage subclass, useBuffers on and off), its state_dict
// both ways through files, SWALR's lrs, updateBn's running statistics, and a short SWA training loop.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader, TensorDataset } from '../lib/data';
import { runPython } from './helpers/python';
import { mismatch } from './helpers/oracle';
import { messageOf } from './helpers/errors';

const { AveragedModel, SWALR, updateBn } = optim.swaUtils;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swa-utils-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Values = Record<string, unknown>;
const valuesOf = (sd: Record<string, torch.Tensor>): Values => Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.tolist()]));

/** The torchvision classification references' EMA (references/classification/utils.py), ported. */
class ExponentialMovingAverage extends AveragedModel {
  constructor(model: nn.Module, decay: number, device: torch.DeviceLike = 'cpu') {
    const emaAvg = (avg: torch.Tensor, param: torch.Tensor) => avg.mul(decay).add(param.mul(1 - decay));
    super(model, device, emaAvg, { useBuffers: true });
  }
}

const PY_PRELUDE = `
from torch import nn
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn
class ExponentialMovingAverage(AveragedModel):
    def __init__(self, model, decay, device="cpu"):
        def ema_avg(avg_model_param, model_param, num_averaged):
            return decay * avg_model_param + (1 - decay) * model_param
        super().__init__(model, device, ema_avg, use_buffers=True)
def values(sd): return {k: v.tolist() for k, v in sd.items()}
def bn_net(): return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
def perturb(model):
    with torch.no_grad():
        for p in model.parameters(): p.add_(torch.randn(p.shape))
    model(torch.randn(6, 3))
`;

const bnNet = () => new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.ReLU(), new nn.Linear(4, 2));
function perturb(model: nn.Module): void {
  torch.noGrad(() => {
    for (const p of model.parameters()) p.add_(torch.randn(p.shape));
  });
  model(torch.randn(6, 3));
}

describe('AveragedModel: averaged parameters and buffers equal PyTorch after several updates', () => {
  /** [label, Python constructor (model = the model), the same here] */
  const VARIANTS: [string, string, (m: nn.Module) => nn.Module & { updateParameters(m: nn.Module): void }][] = [
    ['equal average', 'AveragedModel(model)', (m) => new AveragedModel(m)],
    ['equal average with buffers', 'AveragedModel(model, use_buffers=True)', (m) => new AveragedModel(m, { useBuffers: true })],
    ['custom avgFn by keyword', 'AveragedModel(model, avg_fn=lambda a, p, n: 0.1 * a + 0.9 * p)',
      (m) => new AveragedModel({ model: m, avgFn: (a, p) => a.mul(0.1).add(p.mul(0.9)) })],
    ['ExponentialMovingAverage subclass', 'ExponentialMovingAverage(model, 0.9)', (m) => new ExponentialMovingAverage(m, 0.9)],
  ];
  const py = runPython<{ repr: string; sd: Values; model: Values; out: number[][]; grads: number[][][] }[]>(`${PY_PRELUDE}
def run(expr):
    torch.manual_seed(0)
    model = bn_net()
    swa = eval(expr)
    for _ in range(4):
        perturb(model)
        swa.update_parameters(model)
    swa.eval()
    out = swa(torch.randn(5, 3))
    out.pow(2).sum().backward()
    return dict(repr=repr(swa), sd=values(swa.state_dict()), model=values(model.state_dict()), out=out.tolist(),
                grads=[p.grad.tolist() for p in swa.parameters()])
result = [run(expr) for expr in ${JSON.stringify(VARIANTS.map((v) => v[1]))}]
`);

  VARIANTS.forEach(([label, , make], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const model = bnNet();
      const swa = make(model);
      for (let k = 0; k < 4; k++) {
        perturb(model);
        swa.updateParameters(model);
      }
      swa.eval();
      const out = swa(torch.randn(5, 3)) as torch.Tensor;
      out.pow(2).sum().backward();
      expect(String(swa)).toBe(py[i].repr);
      expect(Object.keys(swa.stateDict())).toEqual(Object.keys(py[i].sd));
      expect(valuesOf(model.stateDict())).toEqual(py[i].model);
      // the same float32 ops in the same order: bit-identical
      expect(valuesOf(swa.stateDict())).toEqual(py[i].sd);
      expect(out.tolist()).toEqual(py[i].out);
      expect([...swa.parameters()].map((p) => p.grad!.tolist())).toEqual(py[i].grads);
    });
  });

  test('the copy is independent of the model; positional and keyword forms; bad arguments', () => {
    const model = new nn.Linear(2, 2);
    const swa = new AveragedModel(model);
    expect(swa.module).not.toBe(model);
    expect(swa.module.weight).not.toBe(model.weight);
    expect(swa.module).toBeInstanceOf(nn.Linear);
    expect(swa.n_averaged.dtype).toBe(torch.int64);
    swa.updateParameters({ model });
    expect(swa.module.weight.tolist()).toEqual(model.weight.tolist());
    expect(Number(swa.n_averaged.item())).toBe(1);
    expect(messageOf(() => new AveragedModel(model, { use_buffers: true } as never))).toMatch(
      "AveragedModel() got an unexpected keyword argument 'use_buffers' (did you mean 'useBuffers'?)",
    );
    expect(messageOf(() => new AveragedModel(42 as never))).toMatch(/expects an nn.Module/);
  });
});

describe('AveragedModel state_dict round trips with Python', () => {
  test('saved here, loaded by a Python AveragedModel; saved by Python, loaded here', async () => {
    torch.manualSeed(0);
    const model = bnNet();
    const swa = new AveragedModel(model, { useBuffers: true });
    for (let k = 0; k < 3; k++) {
      perturb(model);
      swa.updateParameters(model);
    }
    const ours = path.join(dir, 'ours.pt');
    const theirs = path.join(dir, 'theirs.pt');
    await torch.save(swa.stateDict(), ours);
    const py = runPython<{ loaded: string; values: Values; saved: Values }>(`${PY_PRELUDE}
torch.manual_seed(1)
swa = AveragedModel(bn_net(), use_buffers=True)
loaded = str(swa.load_state_dict(torch.load(${JSON.stringify(ours)})))
got = values(swa.state_dict())
model = bn_net()
other = AveragedModel(model)
for _ in range(5):
    perturb(model)
    other.update_parameters(model)
torch.save(other.state_dict(), ${JSON.stringify(theirs)})
result = dict(loaded=loaded, values=got, saved=values(other.state_dict()))
`);
    expect(py.loaded).toBe('<All keys matched successfully>');
    expect(py.values).toEqual(valuesOf(swa.stateDict()));
    const fresh = new AveragedModel(bnNet());
    const result = fresh.loadStateDict((await torch.load(theirs)) as Record<string, torch.Tensor>);
    expect(result.missingKeys).toEqual([]);
    expect(result.unexpectedKeys).toEqual([]);
    expect(valuesOf(fresh.stateDict())).toEqual(py.saved);
    expect(Number(fresh.n_averaged.item())).toBe(5);
  });
});

describe('SWALR: lrs equal PyTorch', () => {
  /** [label, Python expression (opt = a two-group SGD), the same here, epoch from which swa steps (others: the cosine scheduler)] */
  const CASES: [string, string, (o: optim.Optimizer) => optim.lrScheduler.LRScheduler, number][] = [
    ['cos, defaults', 'SWALR(opt, 0.05)', (o) => new SWALR(o, 0.05), 0],
    ['linear, 5 anneal epochs, by keyword', "SWALR(opt, swa_lr=0.02, anneal_epochs=5, anneal_strategy='linear')",
      (o) => new SWALR({ optimizer: o, swaLr: 0.02, annealEpochs: 5, annealStrategy: 'linear' }), 0],
    ['a list swa_lr, positionally', "SWALR(opt, [0.3, 0.01], 7, 'cos')", (o) => new SWALR(o, [0.3, 0.01], 7, 'cos'), 0],
    ['anneal_epochs 0', 'SWALR(opt, 0.04, anneal_epochs=0)', (o) => new SWALR(o, 0.04, { annealEpochs: 0 }), 0],
    ['after CosineAnnealingLR from epoch 15', "SWALR(opt, 0.03, anneal_epochs=8, anneal_strategy='linear')",
      (o) => new SWALR(o, 0.03, { annealEpochs: 8, annealStrategy: 'linear' }), 15],
  ];
  const py = runPython<{ lrs: number[][]; sd: Values; sd20: Values; groups: Values[] }[]>(`${PY_PRELUDE}
from torch.optim.lr_scheduler import CosineAnnealingLR
def run(expr, swa_start):
    ps = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    opt = torch.optim.SGD([{'params': ps[:1]}, {'params': ps[1:], 'lr': 0.2}], lr=0.1, momentum=0.9)
    cosine = CosineAnnealingLR(opt, T_max=30)
    swa = eval(expr)
    lrs, sd20 = [], None
    for e in range(40):
        opt.step()
        if e >= swa_start: swa.step()
        else: cosine.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        if e == 19: sd20 = {k: v for k, v in swa.state_dict().items() if not callable(v)}
    sd = {k: v for k, v in swa.state_dict().items() if not callable(v)}
    groups = [{k: v for k, v in g.items() if k != 'params'} for g in opt.state_dict()['param_groups']]
    return dict(lrs=lrs, sd=sd, sd20=sd20, groups=groups)
result = [run(expr, start) for expr, start in ${JSON.stringify(CASES.map((c) => [c[1], c[3]]))}]
`);

  const twoGroups = () =>
    new optim.SGD([{ params: [torch.zeros(2, { requiresGrad: true })] }, { params: [torch.zeros(3, { requiresGrad: true })], lr: 0.2 }], { lr: 0.1, momentum: 0.9 });

  CASES.forEach(([label, , make, swaStart], i) => {
    test(label, () => {
      const opt = twoGroups();
      const cosine = new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 30 });
      const swa = make(opt);
      const lrs: number[][] = [];
      for (let e = 0; e < 40; e++) {
        opt.step();
        if (e >= swaStart) swa.step();
        else cosine.step();
        lrs.push(opt.paramGroups.map((g) => g.lr));
      }
      // V8's and CPython's cos may differ by an ulp
      expect(mismatch(lrs, py[i].lrs, 1e-13)).toBeNull();
      expect(mismatch(swa.stateDict(), py[i].sd, 1e-13)).toBeNull();
      const groups = opt.stateDict().param_groups.map(({ params: _, ...rest }) => rest);
      expect(mismatch(groups, py[i].groups, 1e-13)).toBeNull();
    });
    test(`${label}: Python's state dict after 20 epochs resumes with Python's lrs`, () => {
      const opt = twoGroups();
      const swa = make(opt);
      swa.loadStateDict(py[i].sd20);
      // the groups carry epoch 20's lr, as they would after the optimizer's state dict loaded
      opt.paramGroups.forEach((g, k) => (g.lr = py[i].lrs[19][k]));
      for (let e = 20; e < 40; e++) {
        opt.step();
        swa.step();
        expect(mismatch(opt.paramGroups.map((g) => g.lr), py[i].lrs[e], 1e-13)).toBeNull();
      }
    });
  });

  test("errors are Python's", () => {
    const py = runPython<string[]>(`${PY_PRELUDE}
opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
result = [err(lambda: SWALR(opt, [0.1, 0.2])), err(lambda: SWALR(opt, 0.1, anneal_strategy='exp')),
          err(lambda: SWALR(opt, 0.1, anneal_epochs=-1)), err(lambda: SWALR(opt, 0.1, anneal_epochs=2.5))]
`);
    const opt = new optim.SGD([torch.zeros(2, { requiresGrad: true })], { lr: 0.1 });
    expect([
      messageOf(() => new SWALR(opt, [0.1, 0.2])),
      messageOf(() => new SWALR(opt, 0.1, { annealStrategy: 'exp' as never })),
      messageOf(() => new SWALR(opt, 0.1, { annealEpochs: -1 })),
      messageOf(() => new SWALR(opt, 0.1, { annealEpochs: 2.5 })),
    ]).toEqual(py);
    expect(messageOf(() => new SWALR(opt, 0.1, { anneal_epochs: 3 } as never))).toMatch("did you mean 'annealEpochs'?");
  });
});

describe('updateBn: running statistics recomputed as PyTorch does', () => {
  const PY_NET = `
torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3, momentum=0.3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 5), nn.BatchNorm1d(5))
x = torch.randn(10, 2, 4, 4)
y = torch.arange(10)
with torch.no_grad():
    for m in net.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm): m.running_mean.fill_(7.0); m.num_batches_tracked.fill_(3)
net.eval()
`;
  const jsNet = () => {
    torch.manualSeed(0);
    const net = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.BatchNorm2d(3, { momentum: 0.3 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(12, 5), new nn.BatchNorm1d(5));
    const x = torch.randn(10, 2, 4, 4);
    const y = torch.arange(10);
    torch.noGrad(() => {
      for (const m of net.modules()) {
        if (m instanceof nn.BatchNorm1d || m instanceof nn.BatchNorm2d) {
          m.running_mean!.fill_(7.0);
          m.num_batches_tracked!.fill_(3);
        }
      }
    });
    net.eval();
    return { net, x, y };
  };
  const py = runPython<{ pairs: Values; tensors: Values; momenta: (number | null)[]; training: boolean[] }>(`${PY_PRELUDE}
from torch.utils.data import DataLoader, TensorDataset
${PY_NET}
update_bn(DataLoader(TensorDataset(x, y), batch_size=4), net)
pairs = values(net.state_dict())
momenta = [m.momentum for m in net.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
training = [m.training for m in net.modules()]
${PY_NET}
net.train()
update_bn([x[:3], x[3:]], net)
result = dict(pairs=pairs, tensors=values(net.state_dict()), momenta=momenta, training=training)
`);

  test('a DataLoader yielding [input, target] pairs; momenta and eval mode restored', async () => {
    const { net, x, y } = jsNet();
    await updateBn(new DataLoader(new TensorDataset(x, y), { batchSize: 4 }), net);
    const sd = valuesOf(net.stateDict());
    expect(Object.keys(sd)).toEqual(Object.keys(py.pairs));
    expect(sd).toEqual(py.pairs);
    expect((net[1] as nn.BatchNorm2d).momentum).toBe(0.3);
    expect([(net[1] as nn.BatchNorm2d).momentum, (net[5] as nn.BatchNorm1d).momentum]).toEqual(py.momenta);
    expect([...net.modules()].map((m) => m.training)).toEqual(py.training);
  });

  test('an array of tensor batches, by keyword; a model without BatchNorm is left alone', async () => {
    const { net, x } = jsNet();
    net.train();
    await updateBn({ loader: [x.index(torch.slice(0, 3)), x.index(torch.slice(3))], model: net });
    expect(valuesOf(net.stateDict())).toEqual(py.tensors);
    expect(net.training).toBe(true);
    const plain = new nn.Linear(2, 2).eval();
    await updateBn([torch.randn(3, 2)], plain);
    expect(plain.training).toBe(false);
  });
});

describe('a short SWA training loop', () => {
  test("the averaged weights and their BatchNorm statistics equal Python's", async () => {
    const py = runPython<{ sd: Values; lrs: number[] }>(`${PY_PRELUDE}
from torch.utils.data import DataLoader, TensorDataset
from torch.optim.lr_scheduler import CosineAnnealingLR
torch.manual_seed(0)
x = torch.randn(32, 3); y = (x.sum(1) > 0).long()
loader = DataLoader(TensorDataset(x, y), batch_size=8)
model = bn_net()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
swa_model = AveragedModel(model)
scheduler = CosineAnnealingLR(opt, T_max=20)
swa_scheduler = SWALR(opt, swa_lr=0.02, anneal_epochs=3)
lrs = []
for epoch in range(12):
    for inputs, labels in loader:
        opt.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        opt.step()
    if epoch > 5:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()
    lrs.append(opt.param_groups[0]['lr'])
update_bn(loader, swa_model)
result = dict(sd=values(swa_model.state_dict()), lrs=lrs)
`);
    torch.manualSeed(0);
    const x = torch.randn(32, 3);
    const y = x.sum(1).gt(0).long();
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 8 });
    const model = bnNet();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const swaModel = new AveragedModel(model);
    const scheduler = new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 20 });
    const swaScheduler = new SWALR(opt, { swaLr: 0.02, annealEpochs: 3 });
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 12; epoch++) {
      for await (const [inputs, labels] of loader) {
        opt.zeroGrad();
        nn.functional.crossEntropy(model(inputs), labels).backward();
        opt.step();
      }
      if (epoch > 5) {
        swaModel.updateParameters(model);
        swaScheduler.step();
      } else {
        scheduler.step();
      }
      lrs.push(opt.paramGroups[0].lr);
    }
    await updateBn(loader, swaModel);
    expect(mismatch(lrs, py.lrs, 1e-13)).toBeNull();
    // bit-identical here; the tolerance leaves room for an ulp of lr from V8's cos
    expect(mismatch(valuesOf(swaModel.stateDict()), py.sd, 1e-6)).toBeNull();
  });
});
