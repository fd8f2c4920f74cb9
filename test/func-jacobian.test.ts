// torch.func.jacrev / jacfwd / hessian against functorch 1.13 (nonlinear functions, several inputs
// and outputs, argnums tuples, hasAux, 0-d and pytree inputs, vmapped Jacobians), and model
// ensembling: stackModuleState + vmap over functionalCall against functorch's
// combine_state_for_ensemble (outputs, per-model gradients), with stack_module_state's errors.
import * as torch from '../lib';
import { testCases, type Inputs } from './helpers/func_oracle';
import { pythonErrors } from './helpers/error-oracle';

type T = torch.Tensor;
const { nn } = torch;
const { jacrev, jacfwd, hessian, vmap, grad, functionalCall, stackModuleState } = torch.func;

const PRELUDE = `
def f1(a): return a.sin() * a.sum()
def f2(a, b): return (a.exp() * b.sum(), (a * b).sin().sum())
def make_models(n=3):
    models = []
    for i in range(n):
        torch.manual_seed(10 + i)
        m = nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3)).double().eval()
        m[1].running_mean.copy_(torch.linspace(-1, 1, 6, dtype=d) * (i + 1))
        m[1].running_var.copy_(torch.linspace(0.5, 2, 6, dtype=d))
        models.append(m)
    return models
def ensemble(x, y, data_dims):
    fmodel, params, buffers = combine_state_for_ensemble(make_models())
    data = x if data_dims is None else torch.stack([x, y, x * 2])
    return vmap(fmodel, in_dims=(0, 0, data_dims))(params, buffers, data)
def ensemble_grads(x):
    fmodel, params, buffers = combine_state_for_ensemble(make_models())
    def loss(p, b, xb): return fmodel(p, b, xb).pow(2).mean()
    return vmap(grad(loss), in_dims=(0, 0, None))(params, buffers, x)
def stacked_state():
    _, params, buffers = combine_state_for_ensemble(make_models())
    return (list(params), list(buffers))
`;

function makeModels(n = 3): torch.nn.Module[] {
  return Array.from({ length: n }, (_, i) => {
    torch.manualSeed(10 + i);
    const m = new nn.Sequential(new nn.Linear(5, 6), new nn.BatchNorm1d(6), new nn.ReLU(), new nn.Linear(6, 3)).double().eval();
    const buffers = Object.fromEntries(m.namedBuffers());
    buffers['1.running_mean'].copy_(torch.linspace(-1, 1, 6, { dtype: torch.float64 }).mul(i + 1));
    buffers['1.running_var'].copy_(torch.linspace(0.5, 2, 6, { dtype: torch.float64 }));
    return m;
  });
}

const f1 = (a: T): T => a.sin().mul(a.sum());
const f2 = (a: T, b: T): T[] => [a.exp().mul(b.sum()), a.mul(b).sin().sum()];

function ensemble(t: Inputs, dataDims: number | null): unknown {
  const models = makeModels();
  const [params, buffers] = stackModuleState(models);
  const call = (p: Record<string, T>, b: Record<string, T>, xb: T): unknown => functionalCall(models[0], [p, b], [xb]);
  const data = dataDims === null ? t.x : torch.stack([t.x, t.y, t.x.mul(2)]);
  return vmap(call, [0, 0, dataDims])(params, buffers, data);
}

const CASES: [string, string, (t: Inputs) => unknown][] = [
  ['jacrev', 'jacrev(f1)(v)', (t) => jacrev(f1)(t.v)],
  ['jacfwd', 'jacfwd(f1)(v)', (t) => jacfwd(f1)(t.v)],
  ['jacrev of a matrix function', 'jacrev(lambda a: (a @ m).tanh())(x)', (t) => jacrev((a: T) => a.matmul(t.m).tanh())(t.x)],
  ['jacfwd of a matrix function', 'jacfwd(lambda a: (a @ m).tanh())(x)', (t) => jacfwd((a: T) => a.matmul(t.m).tanh())(t.x)],
  ['jacrev argnums (0, 1), two outputs', 'jacrev(f2, argnums=(0, 1))(v, w)', (t) => jacrev(f2, [0, 1])(t.v, t.w)],
  ['jacfwd argnums (0, 1), two outputs', 'jacfwd(f2, argnums=(0, 1))(v, w)', (t) => jacfwd(f2, [0, 1])(t.v, t.w)],
  ['jacrev argnums 1', 'jacrev(f2, 1)(v, w)', (t) => jacrev(f2, 1)(t.v, t.w)],
  // functorch 1.13's jacfwd ignores a negative int argnums (its _replace_args compares unwrapped indices): Python's 1 here
  ['jacfwd argnums -1', 'jacfwd(f2, 1)(v, w)', (t) => jacfwd(f2, { argnums: -1 })(t.v, t.w)],
  ['jacrev hasAux', 'jacrev(lambda a: (a.sin(), a.cos()), has_aux=True)(v)', (t) => jacrev((a: T) => [a.sin(), a.cos()], { hasAux: true })(t.v)],
  ['jacfwd hasAux', "jacfwd(lambda a: (a.sin(), {'c': a.cos()}), has_aux=True)(v)",
    (t) => jacfwd((a: T) => [a.sin(), { c: a.cos() }], 0, true)(t.v)],
  ['jacrev of a 0-d input', 'jacrev(lambda a: a.sin() * w)(s)', (t) => jacrev((a: T) => a.sin().mul(t.w))(t.s)],
  ['jacfwd of a 0-d input', 'jacfwd(lambda a: a.sin() * w)(s)', (t) => jacfwd((a: T) => a.sin().mul(t.w))(t.s)],
  ['jacrev of a dict input', "jacrev(lambda p: p['a'] * p['b'].exp())({'a': v, 'b': w})",
    (t) => jacrev((p: { a: T; b: T }) => p.a.mul(p.b.exp()))({ a: t.v, b: t.w })],
  ['vmap(jacrev)', 'vmap(jacrev(f1))(x)', (t) => vmap(jacrev(f1))(t.x)],
  ['jacfwd randomness same', "(torch.manual_seed(5), jacfwd(lambda a: a * torch.rand(5, dtype=d), randomness='same')(v))[1]",
    (t) => (torch.manualSeed(5), jacfwd((a: T) => a.mul(torch.rand(5, { dtype: torch.float64 })), { randomness: 'same' })(t.v))],
  ['hessian', 'hessian(lambda a: (a.sin() * a.pow(2)).sum())(v)', (t) => hessian((a: T) => a.sin().mul(a.pow(2)).sum())(t.v)],
  ['hessian argnums (0, 1)', 'hessian(lambda a, b: (a * b).sin().sum(), argnums=(0, 1))(v, w)',
    (t) => hessian((a: T, b: T) => a.mul(b).sin().sum(), [0, 1])(t.v, t.w)],
  ['hessian of a matrix function', 'hessian(lambda a: (a @ m).tanh().sum())(x[0])', (t) => hessian((a: T) => a.matmul(t.m).tanh().sum())(t.x.select(0, 0))],
  ['ensemble: stacked state', 'stacked_state()', () => {
    const [params, buffers] = stackModuleState(makeModels());
    return [Object.values(params), Object.values(buffers)];
  }],
  ['ensemble: every model on the same data', 'ensemble(x, y, None)', (t) => ensemble(t, null)],
  ['ensemble: each model on its own data', 'ensemble(x, y, 0)', (t) => ensemble(t, 0)],
  ['ensemble: per-model gradients', 'ensemble_grads(x)', (t) => {
    const models = makeModels();
    const [params, buffers] = stackModuleState(models);
    const loss = (p: Record<string, T>, b: Record<string, T>, xb: T): T => (functionalCall(models[0], [p, b], [xb]) as T).pow(2).mean();
    return Object.values(vmap(grad(loss), [0, 0, null])(params, buffers, t.x) as Record<string, T>);
  }],
];

describe('jacobians and ensembles match functorch 1.13', () => {
  testCases(CASES, PRELUDE, 1e-10);
});

describe('stackModuleState and functionalCall', () => {
  test('stacked parameters are fresh leaves that require grad; buffers do not', () => {
    const [params, buffers] = stackModuleState(makeModels(2));
    expect(Object.keys(params)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias']);
    expect(Object.keys(buffers)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked']);
    for (const p of Object.values(params)) {
      expect(p.isLeaf).toBe(true);
      expect(p.requiresGrad).toBe(true);
    }
    expect(params['0.weight'].shape).toEqual([2, 6, 5]);
    expect(buffers['1.running_mean'].requiresGrad).toBe(false);
  });

  // torch.func.stack_module_state (2.x) raises combine_state_for_ensemble's 1.13 errors under its own name
  const prelude = `exec(open(${JSON.stringify(`${__dirname}/helpers/func_oracle.py`)}).read())`;
  const pyCases = [
    'combine_state_for_ensemble([])',
    'combine_state_for_ensemble([nn.Linear(2, 2), nn.Linear(2, 2).eval()])',
    'combine_state_for_ensemble([nn.Linear(2, 2), nn.Conv1d(2, 2, 1)])',
  ];
  const jsCases = [
    () => stackModuleState([]),
    () => stackModuleState([new nn.Linear(2, 2), new nn.Linear(2, 2).eval()]),
    () => stackModuleState([new nn.Linear(2, 2), new nn.Conv1d(2, 2, 1)]),
  ];
  const expected = pythonErrors(pyCases, { prelude });
  pyCases.forEach((code, i) => {
    test(code.replace('combine_state_for_ensemble', 'stack_module_state'), () => {
      expect(jsCases[i]).toThrow(torch.TorchError);
      expect(jsCases[i]).toThrow(expected[i].replace('combine_state_for_ensemble', 'stack_module_state'));
    });
  });

  test('mixed requiresGrad and duplicate names raise 2.x errors', () => {
    const a = new nn.Linear(2, 2);
    const b = new nn.Linear(2, 2);
    b.bias!.requiresGrad_(false);
    expect(() => stackModuleState([a, b])).toThrow(new torch.TorchError('Expected bias from each model to have the same .requires_grad'));
    const w = { weight: torch.zeros(2, 2) };
    expect(() => functionalCall(a, [w, w], [torch.zeros(2)])).toThrow(
      new torch.ValueError('weight appeared in multiple dictionaries; behavior of functional call is ambiguous'),
    );
  });

  test('functionalCall with one dict, as stateless.functionalCall', () => {
    const lin = new nn.Linear(2, 2);
    const weight = torch.eye(2);
    const bias = torch.ones(2);
    const out = functionalCall(lin, { weight, bias }, [torch.tensor([1, 2]).float()]) as T;
    expect(out.tolist()).toEqual([2, 3]);
  });
});
