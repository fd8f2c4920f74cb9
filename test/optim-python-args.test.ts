// Python's call forms for optimizers and LR schedulers, against PyTorch 1.13: every scheduler built
// with its parameters by keyword and positionally gives Python's lr (and momentum) sequence; every
// optimizer given its hyper-parameters positionally takes the same steps as Python's; step(closure)
// returns what the closure returned, typed; misuse raises TypeError where Python does.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { optim } = torch;
const S = optim.lrScheduler;
type Sched = InstanceType<typeof S.ReduceLROnPlateau> | { step(): void };

// ---- schedulers ----

/** [label, Python expression (L = lr_scheduler, opt = the optimizer), the same here] */
type SchedCase = [string, string, (o: torch.optim.Optimizer) => Sched];

const SCHED_CASES: SchedCase[] = [
  ['StepLR by keyword', 'L.StepLR(opt, step_size=2, gamma=0.7)', (o) => new S.StepLR(o, { stepSize: 2, gamma: 0.7 })],
  ['StepLR positional', 'L.StepLR(opt, 2, 0.7)', (o) => new S.StepLR(o, 2, 0.7)],
  ['StepLR all by keyword', 'L.StepLR(optimizer=opt, step_size=3)', (o) => new S.StepLR({ optimizer: o, stepSize: 3 })],
  ['MultiStepLR by keyword', 'L.MultiStepLR(opt, milestones=[2, 5, 5], gamma=0.5)', (o) => new S.MultiStepLR(o, { milestones: [2, 5, 5], gamma: 0.5 })],
  ['MultiStepLR positional', 'L.MultiStepLR(opt, [3, 6], 0.2)', (o) => new S.MultiStepLR(o, [3, 6], 0.2)],
  ['ConstantLR by keyword', 'L.ConstantLR(opt, factor=0.5, total_iters=4)', (o) => new S.ConstantLR(o, { factor: 0.5, totalIters: 4 })],
  ['ConstantLR positional', 'L.ConstantLR(opt, 0.25, 3)', (o) => new S.ConstantLR(o, 0.25, 3)],
  ['LinearLR by keyword', 'L.LinearLR(opt, start_factor=0.2, end_factor=0.8, total_iters=6)',
    (o) => new S.LinearLR(o, { startFactor: 0.2, endFactor: 0.8, totalIters: 6 })],
  ['LinearLR positional', 'L.LinearLR(opt, 0.2, 0.8, 6)', (o) => new S.LinearLR(o, 0.2, 0.8, 6)],
  ['ExponentialLR by keyword', 'L.ExponentialLR(opt, gamma=0.8)', (o) => new S.ExponentialLR(o, { gamma: 0.8 })],
  ['ExponentialLR positional', 'L.ExponentialLR(opt, 0.9, -1, False)', (o) => new S.ExponentialLR(o, 0.9, -1, false)],
  ['PolynomialLR by keyword', 'L.PolynomialLR(opt, total_iters=8, power=2.0)', (o) => new S.PolynomialLR(o, { totalIters: 8, power: 2.0 })],
  ['PolynomialLR positional', 'L.PolynomialLR(opt, 6, 0.5)', (o) => new S.PolynomialLR(o, 6, 0.5)],
  ['CosineAnnealingLR by keyword', 'L.CosineAnnealingLR(opt, T_max=5, eta_min=0.001)', (o) => new S.CosineAnnealingLR(o, { TMax: 5, etaMin: 0.001 })],
  ['CosineAnnealingLR positional', 'L.CosineAnnealingLR(opt, 5, 0.001)', (o) => new S.CosineAnnealingLR(o, 5, 0.001)],
  ['CosineAnnealingWarmRestarts by keyword', 'L.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.01)',
    (o) => new S.CosineAnnealingWarmRestarts(o, { T0: 3, TMult: 2, etaMin: 0.01 })],
  ['CosineAnnealingWarmRestarts positional', 'L.CosineAnnealingWarmRestarts(opt, 3, 2, 0.01)', (o) => new S.CosineAnnealingWarmRestarts(o, 3, 2, 0.01)],
  ['CyclicLR by keyword', "L.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, mode='triangular2')",
    (o) => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, mode: 'triangular2' })],
  ['CyclicLR positional', "L.CyclicLR(opt, 0.01, 0.1, 3, 2, 'exp_range', 0.9)", (o) => new S.CyclicLR(o, 0.01, 0.1, 3, 2, 'exp_range', 0.9)],
  ['OneCycleLR by keyword', 'L.OneCycleLR(opt, max_lr=0.5, total_steps=12)', (o) => new S.OneCycleLR(o, { maxLr: 0.5, totalSteps: 12 })],
  ['OneCycleLR positional', "L.OneCycleLR(opt, 0.5, None, 3, 4, 0.25, 'linear')", (o) => new S.OneCycleLR(o, 0.5, null, 3, 4, 0.25, 'linear')],
  ['LambdaLR by keyword', 'L.LambdaLR(opt, lr_lambda=lambda e: 0.9 ** e)', (o) => new S.LambdaLR(o, { lrLambda: (e) => 0.9 ** e })],
  ['LambdaLR positional', 'L.LambdaLR(opt, [lambda e: 1 / (1 + e), lambda e: 0.5], -1)', (o) => new S.LambdaLR(o, [(e) => 1 / (1 + e), () => 0.5], -1)],
  ['MultiplicativeLR by keyword', 'L.MultiplicativeLR(opt, lr_lambda=lambda e: 0.95)', (o) => new S.MultiplicativeLR(o, { lrLambda: () => 0.95 })],
  ['MultiplicativeLR positional', 'L.MultiplicativeLR(opt, lambda e: 0.9 if e % 2 else 1.0)', (o) => new S.MultiplicativeLR(o, (e) => (e % 2 ? 0.9 : 1.0))],
  ['SequentialLR by keyword', 'L.SequentialLR(opt, schedulers=[L.ConstantLR(opt, factor=0.5, total_iters=2), L.ExponentialLR(opt, gamma=0.9)], milestones=[3])',
    (o) => new S.SequentialLR(o, { schedulers: [new S.ConstantLR(o, { factor: 0.5, totalIters: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })], milestones: [3] })],
  ['SequentialLR positional', 'L.SequentialLR(opt, [L.LinearLR(opt, 0.5, 1.0, 2), L.StepLR(opt, 2, 0.5)], [4])',
    (o) => new S.SequentialLR(o, [new S.LinearLR(o, 0.5, 1.0, 2), new S.StepLR(o, 2, 0.5)], [4])],
  ['ChainedScheduler by keyword', 'L.ChainedScheduler(schedulers=[L.ConstantLR(opt, 0.5, 3), L.ExponentialLR(opt, 0.9)])',
    (o) => new S.ChainedScheduler({ schedulers: [new S.ConstantLR(o, 0.5, 3), new S.ExponentialLR(o, 0.9)] })],
  ['ChainedScheduler positional', 'L.ChainedScheduler([L.StepLR(opt, 3, 0.5), L.ExponentialLR(opt, 0.95)])',
    (o) => new S.ChainedScheduler([new S.StepLR(o, 3, 0.5), new S.ExponentialLR(o, 0.95)])],
  ['ReduceLROnPlateau by keyword', "L.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1)",
    (o) => new S.ReduceLROnPlateau(o, { mode: 'min', factor: 0.5, patience: 1 })],
  ['ReduceLROnPlateau positional', "L.ReduceLROnPlateau(opt, 'max', 0.5, 1, 0.01, 'abs', 1)", (o) => new S.ReduceLROnPlateau(o, 'max', 0.5, 1, 0.01, 'abs', 1)],
];

const STEPS = 12;
const METRICS = Array.from({ length: STEPS }, (_, i) => 1 / (1 + (i % 5)));

function makeSgd(): torch.optim.Optimizer {
  const ps = [torch.zeros(2, { requiresGrad: true }), torch.zeros(3, { requiresGrad: true })];
  return new optim.SGD([{ params: ps.slice(0, 1) }, { params: ps.slice(1), lr: 0.05 }], { lr: 0.1, momentum: 0.9 });
}

describe('LR schedulers take their parameters by keyword and positionally', () => {
  let py: { lrs: number[][]; momenta: number[][] }[];

  beforeAll(() => {
    py = runPython(`
import torch.optim.lr_scheduler as L
metrics = ${JSON.stringify(METRICS)}
def run(expr):
    ps = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    opt = torch.optim.SGD([{'params': ps[:1]}, {'params': ps[1:], 'lr': 0.05}], lr=0.1, momentum=0.9)
    s = eval(expr, dict(L=L, opt=opt))
    lrs, momenta = [], []
    for e in range(${STEPS}):
        opt.step()
        if isinstance(s, L.ReduceLROnPlateau): s.step(metrics[e])
        else: s.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        momenta.append([g['momentum'] for g in opt.param_groups])
    return {'lrs': lrs, 'momenta': momenta}
result = [run(e) for e in json.loads(${JSON.stringify(JSON.stringify(SCHED_CASES.map((c) => c[1])))})]
`);
  });

  test.each(SCHED_CASES.map((c, i) => [c[0], i] as const))('%s', (_label, i) => {
    const opt = makeSgd();
    const s = SCHED_CASES[i][2](opt);
    const lrs: number[][] = [];
    const momenta: number[][] = [];
    for (let e = 0; e < STEPS; e++) {
      opt.step();
      if (s instanceof S.ReduceLROnPlateau) s.step(METRICS[e]);
      else s.step();
      lrs.push(opt.paramGroups.map((g) => g.lr));
      momenta.push(opt.paramGroups.map((g) => g.momentum as number));
    }
    const close = (a: number[][], b: number[][]) => a.every((row, r) => row.every((v, c) => Math.abs(v - b[r][c]) <= 1e-12 * Math.max(1, Math.abs(b[r][c]))));
    expect(lrs.length).toBe(py[i].lrs.length);
    if (!close(lrs, py[i].lrs)) expect(lrs).toEqual(py[i].lrs);
    if (!close(momenta, py[i].momenta)) expect(momenta).toEqual(py[i].momenta);
  });
});

/** [label, Python call (opt = an SGD with momentum), the same here] */
type ErrorCase = [string, string, (o: torch.optim.Optimizer) => unknown];

/** A constructor called in ways its types refuse, as a port's mistakes would. */
const loose = (C: unknown) => C as new (...a: unknown[]) => unknown;
const ERROR_CASES: ErrorCase[] = [
  ['StepLR without step_size', 'L.StepLR(opt, gamma=0.5)', (o) => new (loose(S.StepLR))(o, { gamma: 0.5 })],
  ['StepLR with step_size twice', 'L.StepLR(opt, 2, step_size=3)', (o) => new (loose(S.StepLR))(o, 2, { stepSize: 3 })],
  ['StepLR with an unknown keyword', 'L.StepLR(opt, 2, gama=0.5)', (o) => new (loose(S.StepLR))(o, 2, { gama: 0.5 })],
  ['ExponentialLR with too many positionals', 'L.ExponentialLR(opt, 0.9, -1, False, 1)',
    (o) => new (loose(S.ExponentialLR))(o, 0.9, -1, false, 1)],
  ['OneCycleLR without max_lr', 'L.OneCycleLR(opt, total_steps=10)', (o) => new (loose(S.OneCycleLR))(o, { totalSteps: 10 })],
  ['SGD with a keyword-only one positionally', 'torch.optim.SGD(opt.param_groups[0]["params"], 0.1, 0.9, 0, 0, False, True)',
    (o) => new (loose(optim.SGD))(o.paramGroups[0].params, 0.1, 0.9, 0, 0, false, true)],
  ['Adam with lr twice', 'torch.optim.Adam(opt.param_groups[0]["params"], 0.1, lr=0.2)',
    (o) => new (loose(optim.Adam))(o.paramGroups[0].params, 0.1, { lr: 0.2 })],
];

test('misuse raises TypeError where Python does', () => {
  const pyKinds = runPython<string[]>(`
import torch.optim.lr_scheduler as L
def kind(expr):
    opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, momentum=0.9)
    try:
        eval(expr, dict(L=L, opt=opt, torch=torch))
        return 'no error'
    except Exception as e:
        return type(e).__name__
result = [kind(e) for e in json.loads(${JSON.stringify(JSON.stringify(ERROR_CASES.map((c) => c[1])))})]
`);
  const kinds = ERROR_CASES.map(([, , f]) => {
    try {
      f(new optim.SGD([torch.zeros(2, { requiresGrad: true })], { lr: 0.1, momentum: 0.9 }));
      return 'no error';
    } catch (e) {
      return (e as Error).name;
    }
  });
  expect(kinds).toEqual(pyKinds);
});

test("the TypeErrors name the parameter in JavaScript's spelling", () => {
  const opt = new optim.SGD([torch.zeros(2, { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(torch.TorchError);
      return (e as Error).message;
    }
    return 'no error';
  };
  expect(message(() => new (loose(S.StepLR))(opt, { gamma: 0.5 }))).toBe("StepLR() missing 1 required positional argument: 'stepSize'");
  expect(message(() => new (loose(S.CyclicLR))(opt))).toBe("CyclicLR() missing 2 required positional arguments: 'baseLr' and 'maxLr'");
  expect(message(() => new (loose(S.CosineAnnealingLR))(opt, 5, { TMax: 3 }))).toBe("CosineAnnealingLR() got multiple values for argument 'TMax'");
  expect(message(() => new (loose(S.StepLR))(opt, 2, { step_size: 3 }))).toBe("StepLR() got an unexpected keyword argument 'step_size' (did you mean 'stepSize'?)");
  expect(message(() => new (loose(optim.Adam))(opt.paramGroups[0].params, 0.1, { weight_decay: 0 }))).toBe(
    "Adam() got an unexpected keyword argument 'weight_decay' (did you mean 'weightDecay'?)",
  );
});

// ---- optimizers ----

/** [label, Python constructor (ps = the parameters), the same here] */
type OptCase = [string, string, (ps: torch.Tensor[]) => torch.optim.Optimizer];

const OPT_CASES: OptCase[] = [
  ['SGD(ps, 0.1, 0.9)', 'O.SGD(ps, 0.1, 0.9)', (ps) => new optim.SGD(ps, 0.1, 0.9)],
  ['SGD positional and keyword-only', 'O.SGD(ps, 0.05, 0.9, 0.1, 0.01, False, maximize=True)', (ps) => new optim.SGD(ps, 0.05, 0.9, 0.1, 0.01, false, { maximize: true })],
  ['Adam(ps, 1e-2)', 'O.Adam(ps, 1e-2)', (ps) => new optim.Adam(ps, 1e-2)],
  ['Adam all positional', 'O.Adam(ps, 0.01, (0.8, 0.99), 1e-6, 0.1, True)', (ps) => new optim.Adam(ps, 0.01, [0.8, 0.99], 1e-6, 0.1, true)],
  ['AdamW', 'O.AdamW(ps, 0.01, (0.8, 0.9), 1e-8, 0.05, True)', (ps) => new optim.AdamW(ps, 0.01, [0.8, 0.9], 1e-8, 0.05, true)],
  ['Adadelta(ps, 0.5)', 'O.Adadelta(ps, 0.5)', (ps) => new optim.Adadelta(ps, 0.5)],
  ['Adadelta all positional', 'O.Adadelta(ps, 2.0, 0.8, 1e-5, 0.01, None, maximize=True)',
    (ps) => new optim.Adadelta(ps, 2.0, 0.8, 1e-5, 0.01, null, { maximize: true })],
  ['Adagrad', 'O.Adagrad(ps, 0.1, 0.01, 0.01, 0.1, 1e-9)', (ps) => new optim.Adagrad(ps, 0.1, 0.01, 0.01, 0.1, 1e-9)],
  ['Adamax', 'O.Adamax(ps, 0.01, (0.8, 0.9), 1e-8, 0.01)', (ps) => new optim.Adamax(ps, 0.01, [0.8, 0.9], 1e-8, 0.01)],
  ['ASGD', 'O.ASGD(ps, 0.05, 1e-3, 0.5, 3, 0.01, None, True)', (ps) => new optim.ASGD(ps, 0.05, 1e-3, 0.5, 3, 0.01, null, true)],
  ['NAdam', 'O.NAdam(ps, 0.01, (0.9, 0.99), 1e-8, 0.01, 0.01)', (ps) => new optim.NAdam(ps, 0.01, [0.9, 0.99], 1e-8, 0.01, 0.01)],
  ['RAdam', 'O.RAdam(ps, 0.01, (0.9, 0.9), 1e-8, 0.01)', (ps) => new optim.RAdam(ps, 0.01, [0.9, 0.9], 1e-8, 0.01)],
  ['RMSprop', 'O.RMSprop(ps, 0.01, 0.9, 1e-8, 0.01, 0.5, True)', (ps) => new optim.RMSprop(ps, 0.01, 0.9, 1e-8, 0.01, 0.5, true)],
  ['Rprop', 'O.Rprop(ps, 0.05, (0.3, 1.5), (1e-4, 0.1))', (ps) => new optim.Rprop(ps, 0.05, [0.3, 1.5], [1e-4, 0.1])],
  ['LBFGS(ps, 0.5, 4)', 'O.LBFGS(ps, 0.5, 4)', (ps) => new optim.LBFGS(ps, 0.5, 4)],
  ['LBFGS all positional', "O.LBFGS(ps, 1, 3, None, 1e-7, 1e-9, 4, 'strong_wolfe')",
    (ps) => new optim.LBFGS(ps, 1, 3, null, 1e-7, 1e-9, 4, 'strong_wolfe')],
];

const OPT_STEPS = 4;

// the same float64 problem on both sides: a least-squares fit of x @ w + b to y
const PY_PROBLEM = `
w = torch.linspace(-1, 1, 12, dtype=torch.float64).reshape(3, 4).requires_grad_()
b = torch.linspace(0.5, -0.5, 4, dtype=torch.float64).requires_grad_()
x = torch.arange(15, dtype=torch.float64).cos().reshape(5, 3)
y = torch.arange(20, dtype=torch.float64).sin().reshape(5, 4)
ps = [w, b]
`;

function problem() {
  const f64 = { dtype: torch.float64 };
  const w = torch.linspace(-1, 1, 12, f64).reshape(3, 4).requiresGrad_();
  const b = torch.linspace(0.5, -0.5, 4, f64).requiresGrad_();
  const x = torch.arange(15, f64).cos().reshape(5, 3);
  const y = torch.arange(20, f64).sin().reshape(5, 4);
  return { ps: [w, b], loss: () => x.matmul(w).add(b).sub(y).pow(2).sum() };
}

describe('optimizers take their hyper-parameters positionally', () => {
  let py: { params: number[][]; losses: number[] }[];

  beforeAll(() => {
    py = runPython(`
import torch.optim as O
def run(expr):
    ${PY_PROBLEM.trim().split('\n').join('\n    ')}
    opt = eval(expr, dict(O=O, ps=ps))
    def closure():
        opt.zero_grad()
        loss = (x @ w + b - y).pow(2).sum()
        loss.backward()
        return loss
    losses = [opt.step(closure).item() for _ in range(${OPT_STEPS})]
    return {'params': [p.detach().flatten().tolist() for p in ps], 'losses': losses}
result = [run(e) for e in json.loads(${JSON.stringify(JSON.stringify(OPT_CASES.map((c) => c[1])))})]
`);
  });

  test.each(OPT_CASES.map((c, i) => [c[0], i] as const))('%s', (_label, i) => {
    const { ps, loss } = problem();
    const opt = OPT_CASES[i][2](ps);
    const closure = () => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      return l;
    };
    // step(closure) returns the closure's tensor, typed: .item() compiles
    const losses = Array.from({ length: OPT_STEPS }, () => opt.step(closure).item() as number);
    const params = ps.map((p) => p.detach().flatten().tolist() as number[]);
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));
    if (!losses.every((v, k) => near(v, py[i].losses[k]))) expect(losses).toEqual(py[i].losses);
    if (!params.every((row, r) => row.every((v, c) => near(v, py[i].params[r][c])))) expect(params).toEqual(py[i].params);
  });

  test('zeroGrad(false) zeros the gradients as Python zero_grad(False) does', () => {
    const pyGrads = runPython<(number[] | null)[]>(`${PY_PROBLEM}
opt = torch.optim.SGD(ps, 0.1)
(x @ w + b - y).pow(2).sum().backward()
opt.zero_grad(False)
result = [None if p.grad is None else p.grad.flatten().tolist() for p in ps]
`);
    const { ps, loss } = problem();
    const opt = new optim.SGD(ps, 0.1);
    loss().backward();
    opt.zeroGrad(false);
    expect(ps.map((p) => (p.grad === null ? null : p.grad.flatten().tolist()))).toEqual(pyGrads);
  });

  test('step() without a closure returns undefined, and a number-returning closure gives a number', () => {
    const { ps, loss } = problem();
    const opt = new optim.SGD(ps, 0.01);
    loss().backward();
    const none: undefined = opt.step();
    expect(none).toBeUndefined();
    const n: number = opt.step(() => 3);
    expect(n).toBe(3);
  });
});
