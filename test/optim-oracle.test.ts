// Optimizers against PyTorch 1.13: for each optimizer and several hyper-parameter settings, 20 steps
// on the same model, data and initial weights give the same parameters (float64, 1e-10); a Python
// state_dict taken after 10 steps, loaded here, resumes with the same updates; and stateDict() here
// has Python's layout and values after the same 10 steps; String(optimizer) is Python's repr.
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { mismatch } from './helpers/oracle';

const { optim } = torch;
type Kwargs = Record<string, unknown>;
/** [optimizer, Python kwargs (snake_case), param groups: second group's own options or null] */
type Config = [string, Kwargs, Kwargs | null];

const CONFIGS: Config[] = [
  ['SGD', { lr: 0.1 }, null],
  ['SGD', { lr: 0.1, momentum: 0.9 }, null],
  ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 0.01 }, null],
  ['SGD', { lr: 0.1, momentum: 0.5, dampening: 0.3, maximize: true }, null],
  ['SGD', { lr: 0.1, momentum: 0.9 }, { lr: 0.01, momentum: 0.5 }],
  ['Adam', {}, null],
  ['Adam', { lr: 0.01, betas: [0.8, 0.99], weight_decay: 0.1, amsgrad: true }, null],
  ['Adam', { lr: 0.01, maximize: true, eps: 1e-6 }, { lr: 0.05 }],
  ['AdamW', { lr: 0.01 }, null],
  ['AdamW', { lr: 0.01, amsgrad: true, weight_decay: 0.1, maximize: true }, null],
  ['RMSprop', {}, null],
  ['RMSprop', { lr: 0.01, momentum: 0.9, centered: true, weight_decay: 0.01 }, null],
  ['RMSprop', { alpha: 0.9, maximize: true }, { centered: true }],
  ['Adagrad', { lr: 0.1 }, null],
  ['Adagrad', { lr: 0.1, lr_decay: 0.01, weight_decay: 0.01, initial_accumulator_value: 0.1, maximize: true }, null],
  ['Adadelta', {}, null],
  ['Adadelta', { lr: 0.5, rho: 0.8, weight_decay: 0.01, maximize: true }, null],
  ['Adamax', {}, null],
  ['Adamax', { lr: 0.01, betas: [0.8, 0.9], weight_decay: 0.01, maximize: true }, null],
  ['NAdam', {}, null],
  ['NAdam', { lr: 0.01, momentum_decay: 0.01, weight_decay: 0.01 }, null],
  ['RAdam', {}, null],
  ['RAdam', { lr: 0.01, betas: [0.9, 0.9], weight_decay: 0.01 }, null],
  ['ASGD', {}, null],
  ['ASGD', { lr: 0.05, lambd: 1e-3, alpha: 0.5, t0: 5, weight_decay: 0.01 }, null],
  ['ASGD', { lr: 0.02, t0: 3, maximize: true }, { lr: 0.01, t0: 0, lambd: 0.01 }],
  ['Rprop', {}, null],
  ['Rprop', { lr: 0.05, etas: [0.3, 1.5], step_sizes: [1e-4, 0.1] }, null],
  ['Rprop', { lr: 0.02, maximize: true }, { lr: 0.005, etas: [0.4, 1.1] }],
  ['LBFGS', { lr: 0.5, max_iter: 4 }, null],
  ['LBFGS', { max_iter: 3, history_size: 4, line_search_fn: 'strong_wolfe' }, null],
];

const label = ([name, kw, g]: Config) => `${name}(${JSON.stringify(kw)})${g ? ` + group ${JSON.stringify(g)}` : ''}`;
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const jsOptions = (kw: Kwargs) => Object.fromEntries(Object.entries(kw).map(([k, v]) => [camel(k), v]));

interface Serialized {
  __tensor__: true;
  shape: number[];
  dtype: string;
  values: number[];
}
interface PyRun {
  at10: number[][];
  final: number[][];
  sd10: { state: Record<string, Record<string, unknown>>; param_groups: Kwargs[] };
  repr: string;
}
interface PyResult {
  data: { x: number[][]; y: number[]; init: number[][]; shapes: number[][] };
  runs: PyRun[];
}

const PY = `
import math
import torch.nn.functional as F
torch.manual_seed(0)
dt = torch.float64
X = torch.randn(16, 5, dtype=dt)
Y = torch.randint(0, 3, (16,))
init = [torch.randn(8, 5, dtype=dt) * 0.5, torch.randn(8, dtype=dt) * 0.1, torch.randn(3, 8, dtype=dt) * 0.5,
        torch.randn(3, dtype=dt) * 0.1, torch.randn(2, dtype=dt)]  # the last one gets no gradient
def loss_of(ps):
    return F.cross_entropy(F.linear(F.linear(X, ps[0], ps[1]).tanh(), ps[2], ps[3]), Y)
def ser(v):
    if isinstance(v, torch.Tensor):
        return {'__tensor__': True, 'shape': list(v.shape), 'dtype': str(v.dtype), 'values': v.detach().reshape(-1).tolist()}
    if isinstance(v, dict): return {str(k): ser(e) for k, e in v.items()}
    if isinstance(v, (list, tuple)): return [ser(e) for e in v]
    if isinstance(v, float) and not math.isfinite(v): return str(v)
    return v
def run(name, kw, group2):
    ps = [t.clone().requires_grad_() for t in init]
    # JS arrays stand for Python's tuples (betas=(0.9, 0.999)), as String(optimizer) prints them
    tuples = lambda d: {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
    kw = tuples(kw)
    params = ps if group2 is None else [{'params': ps[:2]}, dict(params=ps[2:], **tuples(group2))]
    opt = getattr(torch.optim, name)(params, **kw)
    out = {'repr': repr(opt)}
    def closure():
        opt.zero_grad()
        loss = loss_of(ps)
        loss.backward()
        return loss
    for i in range(20):
        if i == 10:
            out['at10'] = [p.detach().reshape(-1).tolist() for p in ps]
            out['sd10'] = ser(opt.state_dict())
        if name == 'LBFGS':
            opt.step(closure)
        else:
            closure()
            opt.step()
    out['final'] = [p.detach().reshape(-1).tolist() for p in ps]
    return out
configs = json.loads(${JSON.stringify(JSON.stringify(CONFIGS))})
result = {
    'data': {'x': X.tolist(), 'y': Y.tolist(), 'init': [t.reshape(-1).tolist() for t in init], 'shapes': [list(t.shape) for t in init]},
    'runs': [run(*c) for c in configs],
}
`;

const py = runPython<PyResult>(PY);
const X = torch.tensor(py.data.x, { dtype: torch.float64 });
const Y = torch.tensor(py.data.y);

function params(values: number[][]): torch.Tensor[] {
  return values.map((v, i) => torch.tensor(v, { dtype: torch.float64 }).reshape(py.data.shapes[i]).requiresGrad_());
}

function lossOf(ps: torch.Tensor[]): torch.Tensor {
  return torch.crossEntropyLoss(torch.linear(torch.linear(X, ps[0], ps[1]).tanh(), ps[2], ps[3]), Y);
}

function makeOptimizer([name, kw, group2]: Config, ps: torch.Tensor[]): torch.optim.Optimizer {
  const Ctor = (optim as unknown as Record<string, new (p: unknown, o: unknown) => torch.optim.Optimizer>)[name];
  const groups = group2 === null ? ps : [{ params: ps.slice(0, 2) }, { params: ps.slice(2), ...jsOptions(group2) }];
  return new Ctor(groups, jsOptions(kw));
}

function train(config: Config, opt: torch.optim.Optimizer, ps: torch.Tensor[], steps: number): void {
  const closure = () => {
    opt.zeroGrad();
    const loss = lossOf(ps);
    loss.backward();
    return loss;
  };
  for (let i = 0; i < steps; i++) {
    if (config[0] === 'LBFGS') opt.step(closure);
    else {
      closure();
      opt.step();
    }
  }
}

const flat = (ps: torch.Tensor[]) => ps.map((p) => p.detach().reshape(-1).tolist() as number[]);

function isSerializedTensor(v: unknown): v is Serialized {
  return v !== null && typeof v === 'object' && (v as Serialized).__tensor__ === true;
}

/** Python's JSON state dict -> JS values (tensors rebuilt), the form torch.load would give. */
function deserialize(v: unknown): unknown {
  if (isSerializedTensor(v)) return torch.tensor(v.values, { dtype: v.dtype.replace('torch.', '') as torch.DTypeLike }).reshape(v.shape);
  if (Array.isArray(v)) return v.map(deserialize);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, deserialize(e)]));
  return v;
}

function serialize(v: unknown): unknown {
  if (v instanceof torch.Tensor) return { __tensor__: true, shape: v.shape, dtype: String(v.dtype), values: v.reshape(-1).tolist() };
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, e]) => [String(k), serialize(e)]));
  if (Array.isArray(v)) return v.map(serialize);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, serialize(e)]));
  return v;
}

describe('optimizers: 20 steps equal PyTorch (float64, 1e-10)', () => {
  CONFIGS.forEach((config, i) => {
    test(label(config), () => {
      const ps = params(py.data.init);
      train(config, makeOptimizer(config, ps), ps, 20);
      expect(mismatch(flat(ps), py.runs[i].final, 1e-10)).toBeNull();
      expect(ps[4].grad).toBeNull();
    });
  });
});

describe("a Python state_dict loaded after 10 steps resumes with PyTorch's updates", () => {
  CONFIGS.forEach((config, i) => {
    test(label(config), () => {
      const ps = params(py.runs[i].at10);
      const opt = makeOptimizer(config, ps);
      opt.loadStateDict(deserialize(py.runs[i].sd10) as torch.optim.OptimizerStateDict);
      train(config, opt, ps, 10);
      expect(mismatch(flat(ps), py.runs[i].final, 1e-10)).toBeNull();
    });
  });
});

describe("stateDict() after 10 steps has Python's layout and values", () => {
  CONFIGS.forEach((config, i) => {
    test(label(config), () => {
      const ps = params(py.data.init);
      const opt = makeOptimizer(config, ps);
      train(config, opt, ps, 10);
      const mine = serialize(opt.stateDict()) as PyRun['sd10'];
      const want = py.runs[i].sd10;
      if (config[0] === 'LBFGS') {
        // Python keeps LBFGS's scalars (t, ro, al, H_diag) in 0-dim tensors, plain numbers here
        expect(Object.keys(mine.state['0']).sort()).toEqual(Object.keys(want.state['0']).sort());
        expect(mine.param_groups).toEqual(want.param_groups);
        return;
      }
      expect(mismatch(mine, want, 1e-10)).toBeNull();
    });
  });
});

describe("String(optimizer) is Python's repr", () => {
  CONFIGS.forEach((config, i) => {
    test(label(config), () => {
      expect(String(makeOptimizer(config, params(py.data.init)))).toBe(py.runs[i].repr);
    });
  });
});
