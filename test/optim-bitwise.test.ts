// Optimizer steps in float32 are bit-identical to PyTorch 1.13's (the same libtorch kernels in the
// same order): a literal port of a training script reproduces Python's numbers exactly, not only
// to a tolerance. optim-oracle.test.ts checks every option in float64 to 1e-10; this catches an
// update that rounds differently (a fused momentum update drifted by 1e-7 a step).
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { optim } = torch;
const N = 4096;
const STEPS = 5;
/** [optimizer, options here, Python kwargs, steps (default STEPS)] */
const CONFIGS: [string, Record<string, unknown>, string, number?][] = [
  ['SGD', { lr: 0.1, momentum: 0.9 }, 'lr=0.1, momentum=0.9'],
  ['SGD', { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }, 'lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4'],
  ['SGD', { lr: 0.1, momentum: 0.5, dampening: 0.1 }, 'lr=0.1, momentum=0.5, dampening=0.1'],
  ['Adam', { lr: 1e-3 }, 'lr=1e-3'],
  ['Adam', { lr: 1e-3, weightDecay: 0.01, amsgrad: true }, 'lr=1e-3, weight_decay=0.01, amsgrad=True'],
  ['AdamW', { lr: 1e-3 }, 'lr=1e-3'],
  ['RMSprop', { lr: 1e-3, momentum: 0.9 }, 'lr=1e-3, momentum=0.9'],
  ['RMSprop', { lr: 1e-3, centered: true, weightDecay: 0.01, maximize: true }, 'lr=1e-3, centered=True, weight_decay=0.01, maximize=True'],
  ['Adagrad', { lr: 0.01 }, 'lr=0.01'],
  ['Adagrad', { lr: 0.01, lrDecay: 0.1, weightDecay: 0.01, initialAccumulatorValue: 0.1, maximize: true },
    'lr=0.01, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.1, maximize=True'],
  ['Adadelta', {}, ''],
  ['Adadelta', { lr: 0.5, rho: 0.8, weightDecay: 0.01, maximize: true }, 'lr=0.5, rho=0.8, weight_decay=0.01, maximize=True'],
  ['Adamax', {}, ''],
  ['Adamax', { lr: 0.01, betas: [0.8, 0.9], weightDecay: 0.01, maximize: true }, 'lr=0.01, betas=(0.8, 0.9), weight_decay=0.01, maximize=True'],
  ['NAdam', {}, ''],
  ['NAdam', { lr: 0.01, momentumDecay: 0.01, weightDecay: 0.01 }, 'lr=0.01, momentum_decay=0.01, weight_decay=0.01'],
  // rho_t > 5 from step 6 on: 10 steps run both of RAdam's updates
  ['RAdam', {}, '', 10],
  ['RAdam', { lr: 0.01, betas: [0.8, 0.99], weightDecay: 0.01 }, 'lr=0.01, betas=(0.8, 0.99), weight_decay=0.01', 10],
  ['ASGD', {}, ''],
  ['ASGD', { lr: 0.05, lambd: 1e-3, alpha: 0.5, t0: 2, weightDecay: 0.01 }, 'lr=0.05, lambd=1e-3, alpha=0.5, t0=2, weight_decay=0.01'],
  ['ASGD', { lr: 0.02, t0: 0, maximize: true }, 'lr=0.02, t0=0, maximize=True'],
  ['Rprop', {}, ''],
  ['Rprop', { lr: 0.05, etas: [0.3, 1.5], stepSizes: [1e-4, 0.1], maximize: true }, 'lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-4, 0.1), maximize=True'],
];

// Parameters and gradients from float64 formulas cast to float32: the same bits on both sides.
const start = () => torch.sin(torch.arange(N, { dtype: torch.float64 }).mul(0.37)).float();
const gradAt = (step: number) => torch.cos(torch.arange(N, { dtype: torch.float64 }).mul(0.11 + step)).float();

/** The parameter, and its state (tensors flattened; other values as they are), after the steps. */
interface Run {
  param: number[];
  state: Record<string, unknown>;
}

const PY = runPython<Run[]>(`
def run(cls, kwargs, steps):
    p = torch.sin(torch.arange(${N}, dtype=torch.float64) * 0.37).float().requires_grad_()
    opt = cls([p], **kwargs)
    for step in range(steps):
        p.grad = torch.cos(torch.arange(${N}, dtype=torch.float64) * (0.11 + step)).float()
        opt.step()
    state = {k: v.reshape(-1).tolist() if torch.is_tensor(v) else v for k, v in opt.state[p].items()}
    return {'param': p.detach().tolist(), 'state': state}
result = [${CONFIGS.map(([name, , py, steps]) => `run(torch.optim.${name}, dict(${py}), ${steps ?? STEPS})`).join(', ')}]
`);

/** How many values of a and b differ (by bits, NaN equal to NaN); lengths must agree. */
function differing(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.filter((v, j) => !Object.is(v, b[j]) && !(Number.isNaN(v) && Number.isNaN(b[j]))).length;
}

test.each(CONFIGS.map((c, i) => [c[0], c[2], c[1], c[3] ?? STEPS, i] as const))('%s(%s): float32 steps bit-identical to PyTorch', (name, _py, options, steps, i) => {
  const p = new torch.nn.Parameter(start());
  const Cls = (optim as unknown as Record<string, new (ps: torch.Tensor[], o: object) => torch.optim.Optimizer>)[name];
  const opt = new Cls([p], options);
  for (let step = 0; step < steps; step++) {
    p.grad = gradAt(step);
    opt.step();
  }
  expect(differing(p.detach().tolist() as number[], PY[i].param)).toBe(0);
  // the state too (ASGD's average ax never feeds back into the parameter)
  const state = opt.stateDict().state.get(0)!;
  expect(Object.keys(state)).toEqual(Object.keys(PY[i].state));
  for (const [key, want] of Object.entries(PY[i].state)) {
    const got = state[key] instanceof torch.Tensor ? (state[key] as torch.Tensor).reshape(-1).tolist() : state[key];
    if (Array.isArray(want)) expect([key, differing(got as number[], want as number[])]).toEqual([key, 0]);
    else expect([key, got]).toEqual([key, want]);
  }
});

// LBFGS keeps its scalars (ys, ro, al, H_diag, t, gtd) in 0-dim tensors of the parameters' dtype:
// in float32 they round at every op, and a comparison with a float compares in float32. A closure
// re-evaluates the loss (a Rosenbrock valley plus a quadratic pull) and its gradient.
const LBFGS_CONFIGS: [Record<string, unknown>, string][] = [
  [{ lr: 0.5, maxIter: 4 }, 'lr=0.5, max_iter=4'],
  [{ maxIter: 5, historySize: 3 }, 'max_iter=5, history_size=3'],
  [{ lineSearchFn: 'strong_wolfe' }, "line_search_fn='strong_wolfe'"],
  [{ lr: 2, maxIter: 30, historySize: 5, lineSearchFn: 'strong_wolfe' }, "lr=2, max_iter=30, history_size=5, line_search_fn='strong_wolfe'"],
];
const M = 64;
const LBFGS_STEPS = 6;

const PY_LBFGS = runPython<[number[], number, number][]>(`
def run_lbfgs(kwargs):
    a = torch.sin(torch.arange(${M}, dtype=torch.float64) * 0.37).float()
    p = torch.cos(torch.arange(${M}, dtype=torch.float64) * 0.11).float().requires_grad_()
    opt = torch.optim.LBFGS([p], **kwargs)
    def closure():
        opt.zero_grad()
        loss = ((p[1:] - p[:-1] ** 2) ** 2 * 10 + (-p[:-1] + 1) ** 2).sum() + ((p - a) ** 2).sum()
        loss.backward()
        return loss
    for _ in range(${LBFGS_STEPS}):
        opt.step(closure)
    return [p.detach().tolist(), opt.state[p]['func_evals'], opt.state[p]['n_iter']]
result = [${LBFGS_CONFIGS.map(([, py]) => `run_lbfgs(dict(${py}))`).join(', ')}]
`);

test.each(LBFGS_CONFIGS.map((c, i) => [c[1], c[0], i] as const))('LBFGS(%s): float32 steps bit-identical to PyTorch', (_py, options, i) => {
  const a = torch.sin(torch.arange(M, { dtype: torch.float64 }).mul(0.37)).float();
  const p = new torch.nn.Parameter(torch.cos(torch.arange(M, { dtype: torch.float64 }).mul(0.11)).float());
  const opt = new optim.LBFGS([p], options);
  // p[:-1] twice, as Python slices it twice: the gradient sums its parts in the same order
  const head = () => p.narrow(0, 0, M - 1);
  const closure = () => {
    opt.zeroGrad();
    const valley = p.narrow(0, 1, M - 1).sub(head().pow(2)).pow(2).mul(10).add(head().neg().add(1).pow(2)).sum();
    const loss = valley.add(p.sub(a).pow(2).sum());
    loss.backward();
    return loss;
  };
  for (let step = 0; step < LBFGS_STEPS; step++) opt.step(closure);
  expect(differing(p.detach().tolist() as number[], PY_LBFGS[i][0])).toBe(0);
  const state = opt.state.get(p)!;
  expect([state.func_evals, state.n_iter]).toEqual([PY_LBFGS[i][1], PY_LBFGS[i][2]]);
});
