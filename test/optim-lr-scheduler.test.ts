// LR schedulers against PyTorch 1.13: the lr sequence (and momentum, where the scheduler cycles it)
// of two param groups over 100 epochs, and the scheduler's state dict (JSON-able entries) at the end.
// A state dict from Python loaded into a fresh scheduler continues with Python's lrs.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { mismatch } from './helpers/oracle';
import { isFloatKey } from '../lib/serialization/py-types';

const { optim } = torch;
const S = optim.lrScheduler;
type Sched = { step(metric: number): void; getLastLr(): number[]; stateDict(): Record<string, unknown>; loadStateDict(sd: Record<string, unknown>): void };

/** [label, Python constructor expression (opt = the optimizer), the same here, optimizer] */
type Case = [string, string, (opt: torch.optim.Optimizer) => Sched, 'sgd' | 'adam'];

const METRICS = Array.from({ length: 100 }, (_, i) => 1 / (1 + (i % 37)) + (i > 60 ? 0.5 : 0));

const CASES: Case[] = [
  ['StepLR', 'L.StepLR(opt, 7, gamma=0.5)', (o) => new S.StepLR(o, 7, { gamma: 0.5 }), 'sgd'],
  ['MultiStepLR', 'L.MultiStepLR(opt, [10, 30, 30, 80], gamma=0.3)', (o) => new S.MultiStepLR(o, [10, 30, 30, 80], { gamma: 0.3 }), 'sgd'],
  ['ExponentialLR', 'L.ExponentialLR(opt, 0.95)', (o) => new S.ExponentialLR(o, 0.95), 'sgd'],
  ['CosineAnnealingLR', 'L.CosineAnnealingLR(opt, 30, eta_min=0.001)', (o) => new S.CosineAnnealingLR(o, 30, { etaMin: 0.001 }), 'sgd'],
  ['CosineAnnealingWarmRestarts', 'L.CosineAnnealingWarmRestarts(opt, 10, T_mult=2, eta_min=0.01)', (o) => new S.CosineAnnealingWarmRestarts(o, 10, { TMult: 2, etaMin: 0.01 }), 'sgd'],
  ['CosineAnnealingWarmRestarts T_mult 1', 'L.CosineAnnealingWarmRestarts(opt, 7)', (o) => new S.CosineAnnealingWarmRestarts(o, 7), 'sgd'],
  ['LinearLR', 'L.LinearLR(opt, start_factor=0.25, end_factor=0.9, total_iters=20)', (o) => new S.LinearLR(o, { startFactor: 0.25, endFactor: 0.9, totalIters: 20 }), 'sgd'],
  ['ConstantLR', 'L.ConstantLR(opt, factor=0.5, total_iters=12)', (o) => new S.ConstantLR(o, { factor: 0.5, totalIters: 12 }), 'sgd'],
  ['LinearLR defaults', 'L.LinearLR(opt)', (o) => new S.LinearLR(o), 'sgd'],
  ['PolynomialLR defaults', 'L.PolynomialLR(opt)', (o) => new S.PolynomialLR(o), 'sgd'],
  ['LambdaLR', 'L.LambdaLR(opt, [lambda e: 0.97 ** e, lambda e: 1 / (1 + e)])', (o) => new S.LambdaLR(o, [(e) => 0.97 ** e, (e) => 1 / (1 + e)]), 'sgd'],
  ['OneCycleLR cos', 'L.OneCycleLR(opt, [0.5, 0.1], total_steps=101)', (o) => new S.OneCycleLR(o, [0.5, 0.1], { totalSteps: 101 }), 'sgd'],
  ['OneCycleLR linear three-phase Adam', "L.OneCycleLR(opt, 0.01, epochs=10, steps_per_epoch=11, anneal_strategy='linear', three_phase=True, pct_start=0.25)",
    (o) => new S.OneCycleLR(o, 0.01, { epochs: 10, stepsPerEpoch: 11, annealStrategy: 'linear', threePhase: true, pctStart: 0.25 }), 'adam'],
  ['CyclicLR triangular', 'L.CyclicLR(opt, 0.01, 0.1, step_size_up=7, step_size_down=5)', (o) => new S.CyclicLR(o, 0.01, 0.1, { stepSizeUp: 7, stepSizeDown: 5 }), 'sgd'],
  ['CyclicLR triangular2', "L.CyclicLR(opt, [0.01, 0.02], 0.1, step_size_up=6, mode='triangular2', cycle_momentum=False)",
    (o) => new S.CyclicLR(o, [0.01, 0.02], 0.1, { stepSizeUp: 6, mode: 'triangular2', cycleMomentum: false }), 'sgd'],
  ['CyclicLR exp_range', "L.CyclicLR(opt, 0.001, 0.1, step_size_up=4, mode='exp_range', gamma=0.98)", (o) => new S.CyclicLR(o, 0.001, 0.1, { stepSizeUp: 4, mode: 'exp_range', gamma: 0.98 }), 'sgd'],
  ['SequentialLR', 'L.SequentialLR(opt, [L.LinearLR(opt, start_factor=0.1, total_iters=5), L.ExponentialLR(opt, 0.9), L.StepLR(opt, 3)], milestones=[5, 40])',
    (o) => new S.SequentialLR(o, [new S.LinearLR(o, { startFactor: 0.1, totalIters: 5 }), new S.ExponentialLR(o, 0.9), new S.StepLR(o, 3)], [5, 40]), 'sgd'],
  ['ChainedScheduler', 'L.ChainedScheduler([L.ConstantLR(opt, factor=0.2, total_iters=8), L.ExponentialLR(opt, 0.97)])',
    (o) => new S.ChainedScheduler([new S.ConstantLR(o, { factor: 0.2, totalIters: 8 }), new S.ExponentialLR(o, 0.97)]), 'sgd'],
  ['ReduceLROnPlateau min rel', 'L.ReduceLROnPlateau(opt, patience=3, factor=0.5, cooldown=2, min_lr=[0.0001, 0.003])',
    (o) => new S.ReduceLROnPlateau(o, { patience: 3, factor: 0.5, cooldown: 2, minLr: [0.0001, 0.003] }), 'sgd'],
  ['ReduceLROnPlateau max abs', "L.ReduceLROnPlateau(opt, mode='max', threshold_mode='abs', threshold=0.01, patience=2)",
    (o) => new S.ReduceLROnPlateau(o, { mode: 'max', thresholdMode: 'abs', threshold: 0.01, patience: 2 }), 'sgd'],
];

interface PyCase {
  lrs: number[][];
  momenta: unknown[][];
  sd: Record<string, unknown>;
  sd50: Record<string, unknown>;
  keys: string[];
  floats: string[];
}

const PY = `
import math
import torch.optim.lr_scheduler as L
metrics = ${JSON.stringify(METRICS)}
def clean(v):
    if isinstance(v, float) and not math.isfinite(v): return str(v)
    if isinstance(v, dict): return {str(k): clean(e) for k, e in v.items() if not callable(e) and not k in ('_scale_fn_ref',)}
    if isinstance(v, (list, tuple)): return [clean(e) for e in v]
    return v
def make_opt(kind):
    ps = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    if kind == 'sgd': return torch.optim.SGD([{'params': ps[:1]}, {'params': ps[1:], 'lr': 0.05}], lr=0.1, momentum=0.9)
    return torch.optim.Adam([{'params': ps[:1]}, {'params': ps[1:], 'lr': 0.002}], lr=0.001)
def momenta(opt):
    return [g['betas'][0] if 'betas' in g else g['momentum'] for g in opt.param_groups]
def run(expr, kind):
    opt = make_opt(kind)
    s = eval(expr, dict(L=L, opt=opt))
    plateau = isinstance(s, L.ReduceLROnPlateau)
    lrs, ms, sd50 = [], [], None
    for e in range(100):
        opt.step()
        if plateau: s.step(metrics[e])
        else: s.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        ms.append(momenta(opt))
        if e == 49: sd50 = clean(s.state_dict())
    sd = s.state_dict()
    # Python 1.13 also lists two functions (which torch.save cannot write): not state
    keys = [k for k in sd if k not in ('_scale_fn_ref', 'anneal_func')]
    return {'lrs': lrs, 'momenta': ms, 'sd': clean(sd), 'sd50': sd50, 'keys': keys, 'floats': [k for k in keys if isinstance(sd[k], float)]}
result = [run(expr, kind) for (_, expr, kind) in json.loads(${JSON.stringify(JSON.stringify(CASES.map((c) => [c[0], c[1], c[3]])))})]
`;

const py = runPython<PyCase[]>(PY);

function makeOpt(kind: 'sgd' | 'adam'): torch.optim.Optimizer {
  const ps = [torch.zeros(2, { requiresGrad: true }), torch.zeros(3, { requiresGrad: true })];
  return kind === 'sgd'
    ? new optim.SGD([{ params: ps.slice(0, 1) }, { params: ps.slice(1), lr: 0.05 }], { lr: 0.1, momentum: 0.9 })
    : new optim.Adam([{ params: ps.slice(0, 1) }, { params: ps.slice(1), lr: 0.002 }], { lr: 0.001 });
}

const momenta = (o: torch.optim.Optimizer) => o.paramGroups.map((g) => (g.betas ? g.betas[0] : g.momentum));

/** Our state dict in Python's JSON form: non-finite numbers as strings, Maps as objects. */
function jsonOf(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, e]) => [String(k), jsonOf(e)]));
  if (Array.isArray(v)) return v.map(jsonOf);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, jsonOf(e)]));
  return v;
}

function fromJson(v: unknown): unknown {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fromJson(e)]));
  return v;
}

function step(s: Sched, e: number, plateau: boolean): void {
  if (plateau) s.step(METRICS[e]);
  else (s.step as () => void)();
}

// First in the file: a library warning is shown once per process (as Python's default filter shows
// one once per place), and the cases below raise some of these.
test("Python's warnings: scheduler stepped before its optimizer, optimizer.step replaced, step(epoch)", () => {
  const want = runPython<string[]>(`
import warnings
import torch.optim.lr_scheduler as L
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    def opt(): return torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
    s = L.StepLR(opt(), 3)
    s.step()
    s.optimizer.step()
    s.step(5)
    o = opt()
    s = L.ExponentialLR(o, 0.9)
    o.step = lambda closure=None: None
    s.step()
    L.ReduceLROnPlateau(opt()).step(1.0, 3)
    result = []
    for w in caught:
        if str(w.message) not in result: result.append(str(w.message))
`);
  const warnings: string[] = [];
  const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
  try {
    const opt = () => new optim.SGD([torch.zeros(2, { requiresGrad: true })], { lr: 0.1 });
    let s: torch.optim.lrScheduler.LRScheduler = new S.StepLR(opt(), 3);
    s.step();
    s.optimizer.step();
    s.step(5);
    const o = opt();
    s = new S.ExponentialLR(o, 0.9);
    o.step = () => undefined;
    s.step();
    new S.ReduceLROnPlateau(opt()).step(1.0, 3);
  } finally {
    emit.mockRestore();
  }
  expect(warnings).toEqual(want);
});

describe('lr schedulers: 100 epochs of lrs equal PyTorch (two param groups)', () => {
  CASES.forEach(([label, , make, kind], i) => {
    const plateau = label.startsWith('ReduceLROnPlateau');
    test(label, () => {
      const opt = makeOpt(kind);
      const s = make(opt);
      const lrs: number[][] = [];
      const ms: unknown[][] = [];
      for (let e = 0; e < 100; e++) {
        opt.step();
        step(s, e, plateau);
        lrs.push(opt.paramGroups.map((g) => g.lr));
        ms.push(momenta(opt));
        expect(s.getLastLr()).toEqual(lrs[e]);
      }
      // libm differences (cos, pow) between V8 and CPython are at most an ulp or two
      expect(mismatch(lrs, py[i].lrs, 1e-13)).toBeNull();
      expect(mismatch(ms, py[i].momenta, 1e-13)).toBeNull();
      const sd = s.stateDict();
      expect(mismatch(jsonOf(sd), py[i].sd, 1e-13)).toBeNull();
      // Python's key order, and its floats (torch.save writes a whole-number float as 1.0)
      expect(Object.keys(sd)).toEqual(py[i].keys);
      expect(Object.keys(sd).filter((k) => isFloatKey(sd, k) || (typeof sd[k] === 'number' && !Number.isInteger(sd[k])))).toEqual(py[i].floats);
    });
    test(`${label}: Python's state dict after 50 epochs resumes with Python's lrs`, () => {
      const opt = makeOpt(kind);
      const s = make(opt);
      s.loadStateDict(fromJson(py[i].sd50) as Record<string, unknown>);
      // the optimizer's groups carry the lr (and momentum) of epoch 50, as they would after its state dict loaded
      opt.paramGroups.forEach((g, k) => {
        g.lr = py[i].lrs[49][k];
        if (g.betas) g.betas = [py[i].momenta[49][k], g.betas[1]];
        else g.momentum = py[i].momenta[49][k];
      });
      for (let e = 50; e < 100; e++) {
        opt.step();
        step(s, e, plateau);
        expect(mismatch(opt.paramGroups.map((g) => g.lr), py[i].lrs[e], 1e-13)).toBeNull();
      }
    });
  });
});
