// torch.func.grad / gradAndValue / vjp / jvp against functorch 1.13: argnums (ints and tuples,
// negative), hasAux, pytree arguments, unused inputs, composition with vmap and with themselves,
// per-sample gradients of a small MLP (vmap(grad(loss)) with functionalCall), errors with
// functorch's messages, and a clean interpreter stack after a throw inside fn.
import * as torch from '../lib';
import { native } from '../lib/native';
import { expectClose, makeInputs, testCases, testErrors, toJson, type Inputs } from './helpers/func_oracle';
import { pythonErrors } from './helpers/error-oracle';
import { runPython } from './helpers/python';

type T = torch.Tensor;
const { nn } = torch;
const F = torch.nn.functional;
const { grad, gradAndValue, vjp, jvp, vmap, functionalCall } = torch.func;
const f64 = (v: number): T => torch.tensor(v, { dtype: torch.float64 });

const PRELUDE = `
def vjp_values(f, *primals, cot=None):
    out, fn = vjp(f, *primals)
    cot = cot if cot is not None else torch.ones_like(out)
    return out, fn(cot), fn(cot)
def vjp_pair(a, b): return (a.sin() * b, (a * b).sum())
torch.manual_seed(3)
mlp = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 2)).double()
mlp_params = {k: v.detach() for k, v in mlp.named_parameters()}
labels = torch.tensor([0, 1, 1])
def ce_loss(p, xb, yb): return F.cross_entropy(functional_call(mlp, p, (xb.unsqueeze(0),)), yb.unsqueeze(0))
def mse_loss(p, xb, tb): return F.mse_loss(functional_call(mlp, p, (xb,)), tb)
`;

function makeMlp(): [torch.nn.Module, Record<string, T>] {
  torch.manualSeed(3);
  const mlp = new nn.Sequential(new nn.Linear(5, 8), new nn.Tanh(), new nn.Linear(8, 2)).double();
  const params: Record<string, T> = {};
  for (const [k, v] of mlp.namedParameters()) params[k] = v.detach();
  return [mlp, params];
}
const labels = (): T => torch.tensor([0, 1, 1]);

function vjpValues(f: (...a: T[]) => unknown, primals: T[], cot?: unknown): unknown {
  const [out, fn] = vjp(f, ...primals);
  const c = cot ?? torch.onesLike(out as T);
  return [out, fn(c), fn(c)];
}
const vjpPair = (a: T, b: T): T[] => [a.sin().mul(b), a.mul(b).sum()];

const CASES: [string, string, (t: Inputs) => unknown][] = [
  ['grad', 'grad(lambda a: a.sin().sum())(x)', (t) => grad((a: T) => a.sin().sum())(t.x)],
  ['argnums (0, 1)', 'grad(lambda a, b: (a * b).sin().sum(), argnums=(0, 1))(x, y)',
    (t) => grad((a: T, b: T) => a.mul(b).sin().sum(), [0, 1])(t.x, t.y)],
  ['argnums 1', 'grad(lambda a, b: (a * b.exp()).sum(), argnums=1)(x, y)', (t) => grad((a: T, b: T) => a.mul(b.exp()).sum(), { argnums: 1 })(t.x, t.y)],
  ['argnums -1', 'grad(lambda a, b: (a * b.exp()).sum(), argnums=-1)(x, y)', (t) => grad((a: T, b: T) => a.mul(b.exp()).sum(), -1)(t.x, t.y)],
  ['hasAux', 'grad(lambda a: (a.pow(2).sum(), a.cos()), has_aux=True)(x)', (t) => grad((a: T) => [a.pow(2).sum(), a.cos()], { hasAux: true })(t.x)],
  ['gradAndValue', 'grad_and_value(lambda a: a.pow(3).sum())(x)', (t) => gradAndValue((a: T) => a.pow(3).sum())(t.x)],
  ['gradAndValue hasAux', 'grad_and_value(lambda a: (a.pow(3).sum(), {"m": a.mean()}), has_aux=True)(x)',
    (t) => gradAndValue((a: T) => [a.pow(3).sum(), { m: a.mean() }], 0, true)(t.x)],
  ['grad of grad', 'grad(grad(lambda a: a.sin() * a.exp()))(s)', (t) => grad(grad((a: T) => a.sin().mul(a.exp())))(t.s)],
  ['third derivative', 'grad(grad(grad(lambda a: a.pow(4))))(s)', (t) => grad(grad(grad((a: T) => a.pow(4))))(t.s)],
  ['dict argument', "grad(lambda p: (p['a'] * p['b']).tanh().sum())({'a': x, 'b': y})",
    (t) => grad((p: { a: T; b: T }) => p.a.mul(p.b).tanh().sum())({ a: t.x, b: t.y })],
  ['unused input gets zeros', 'grad(lambda a, b: a.sum(), argnums=(0, 1))(x, y)', (t) => grad((a: T, _b: T) => a.sum(), [0, 1])(t.x, t.y)],
  ['output independent of the input', 'grad(lambda a: w.sum())(x)', (t) => grad((_a: T) => t.w.sum())(t.x)],
  ['vmap(grad)', 'vmap(grad(lambda a, b: (a * b).sin().sum()), in_dims=(0, None))(x, v)',
    (t) => vmap(grad((a: T, b: T) => a.mul(b).sin().sum()), [0, null])(t.x, t.v)],
  ['grad(vmap)', 'grad(lambda a: vmap(torch.dot)(a, y).pow(2).sum())(x)', (t) => grad((a: T) => vmap(torch.dot)(a, t.y).pow(2).sum())(t.x)],
  ['per-sample grads, cross entropy', 'vmap(grad(ce_loss), in_dims=(None, 0, 0))(mlp_params, x, labels)',
    (t) => {
      const [mlp, params] = makeMlp();
      const ceLoss = (p: Record<string, T>, xb: T, yb: T): T => F.crossEntropy(functionalCall(mlp, p, [xb.unsqueeze(0)]), yb.unsqueeze(0));
      return vmap(grad(ceLoss), [null, 0, 0])(params, t.x, labels());
    }],
  // mse_loss_backward under vmap: the decomposition functorch's Python registers (native/functorch.cc)
  ['per-sample grads, mse (loss and gradients)', 'vmap(grad_and_value(mse_loss), in_dims=(None, 0, 0))(mlp_params, x, y[:, :2])',
    (t) => {
      const [mlp, params] = makeMlp();
      const mseLoss = (p: Record<string, T>, xb: T, tb: T): T => F.mseLoss(functionalCall(mlp, p, [xb]), tb);
      return vmap(gradAndValue(mseLoss), [null, 0, 0])(params, t.x, t.y.index(':', torch.slice(null, 2)));
    }],
  ['vjp', 'vjp_values(lambda a: a.sin() * a, x)', (t) => vjpValues((a: T) => a.sin().mul(a), [t.x])],
  ['vjp of two inputs and outputs', 'vjp_values(vjp_pair, x, y, cot=(y, torch.tensor(2., dtype=d)))',
    (t) => vjpValues(vjpPair, [t.x, t.y], [t.y, f64(2)])],
  ['vjp hasAux', "(lambda r: (r[0], r[1](torch.ones_like(r[0])), r[2]))(vjp(lambda a: (a.exp(), {'s': a.sum()}), x, has_aux=True))",
    (t) => {
      const [out, fn, aux] = vjp((a: T) => [a.exp(), { s: a.sum() }], t.x, { hasAux: true });
      return [out, fn(torch.onesLike(out)), aux];
    }],
  ['vmap over a vjp function', '(lambda r: vmap(r[1])(x))(vjp(lambda a: a.sin() * 2, v))',
    (t) => {
      const [, fn] = vjp((a: T) => a.sin().mul(2), t.v);
      return vmap(fn)(t.x);
    }],
  ['jvp', 'jvp(lambda a, b: a.sin() * b, (x, y), (torch.ones_like(x), y))', (t) => jvp((a: T, b: T) => a.sin().mul(b), [t.x, t.y], [torch.onesLike(t.x), t.y])],
  ['jvp of several outputs', 'jvp(lambda a: (a.exp(), a.sum()), (v,), (w,))', (t) => jvp((a: T) => [a.exp(), a.sum()], [t.v], [t.w])],
  ['jvp hasAux', 'jvp(lambda a: (a.tanh(), a.cos()), (v,), (w,), has_aux=True)', (t) => jvp((a: T) => [a.tanh(), a.cos()], [t.v], [t.w], { hasAux: true })],
  ['jvp of an independent output', 'jvp(lambda a: w * 2, (v,), (v,))', (t) => jvp((_a: T) => t.w.mul(2), [t.v], [t.v])],
  ['nested jvp', 'jvp(lambda a: jvp(torch.sin, (a,), (v,))[1], (v,), (w,))',
    (t) => jvp((a: T) => jvp(torch.sin, [a], [t.v])[1], [t.v], [t.w])],
  ['vmap(jvp)', 'vmap(lambda tg: jvp(torch.sin, (v,), (tg,))[1])(x)', (t) => vmap((tg: T) => jvp(torch.sin, [t.v], [tg])[1])(t.x)],
  ['grad(jvp)', 'grad(lambda a: jvp(torch.exp, (a,), (w,))[1].sum())(v)', (t) => grad((a: T) => (jvp(torch.exp, [a], [t.w])[1] as T).sum())(t.v)],
];

test('per-sample mse gradients use the decomposition Python registers (no fallback warning)', () => {
  const spy = jest.spyOn(process, 'emitWarning');
  try {
    const t = makeInputs();
    const [mlp, params] = makeMlp();
    const mseLoss = (p: Record<string, T>, xb: T, tb: T): T => F.mseLoss(functionalCall(mlp, p, [xb]), tb);
    vmap(grad(mseLoss), [null, 0, 0])(params, t.x, t.y.index(':', torch.slice(null, 2)));
    expect(spy.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('batching rule'))).toEqual([]);
  } finally {
    spy.mockRestore();
  }
});

describe('grad, vjp and jvp match functorch 1.13', () => {
  testCases(CASES, PRELUDE, 1e-10);
});

describe('results and the interpreter stack', () => {
  test('gradients and values come back unwrapped', () => {
    const t = makeInputs();
    const [g, value] = gradAndValue((a: T) => a.sin().sum())(t.x) as [T, T];
    for (const r of [g, value]) {
      expect(native.functorchIsGradTrackingTensor(r._h)).toBe(false);
      expect(r.requiresGrad).toBe(false);
    }
    expect(g.toTypedArray().length).toBe(15);
  });

  test('a throw inside fn pops every layer (grad inside vmap)', () => {
    const t = makeInputs();
    const boom = (a: T): T => {
      if (a.dim() === 1) throw new Error('boom');
      return a.sum();
    };
    expect(() => vmap(grad(boom))(t.x)).toThrow('boom');
    expect(native.functorchDepth()).toBe(0);
    expect(native.functorchInplaceRequiresGradAllowed()).toBe(false);
    expectClose(toJson(grad((a: T) => a.pow(2).sum())(t.v)), toJson(t.v.mul(2)));
  });

  test('tensors print inside transforms as in Python: wrappers around their values, plain results plainly', () => {
    const printed = (f: (a: T) => T, wrap: (g: (a: T) => T) => (a: T) => unknown): string[] => {
      const seen: string[] = [];
      wrap((a: T) => {
        seen.push(String(a), String(a.mul(2)), String(torch.ones(2)));
        return f(a);
      })(torch.arange(3, { dtype: torch.float64 }));
      return seen;
    };
    const got = [
      ...printed((a) => a.sum(), (g) => grad(g)),
      ...printed((a) => a.sin(), (g) => vmap(g)),
      ...printed((a) => a.sum(), (g) => vmap(grad(g))),
    ];
    const want = runPython<string[]>(`from functorch import grad, vmap
seen = []
def wrap(f):
    def g(a):
        seen.extend([repr(a), repr(a * 2), repr(torch.ones(2))])
        return f(a)
    return g
x = torch.arange(3, dtype=torch.float64)
grad(wrap(lambda a: a.sum()))(x)
vmap(wrap(lambda a: a.sin()))(x)
vmap(grad(wrap(lambda a: a.sum())))(x)
result = seen`);
    expect(got).toEqual(want);
    expect(native.functorchDisabled()).toBe(false);
  });

  test('requiresGrad_ on a transform input raises as in Python', () => {
    const t = makeInputs();
    const [want] = pythonErrors(['grad(lambda a: a.requires_grad_().sum())(x)'], {
      prelude: `from functorch import grad\nx = torch.ones(3)`,
    });
    const run = (): unknown => grad((a: T) => a.requiresGrad_().sum())(t.v);
    expect(run).toThrow(torch.TorchError);
    expect(run).toThrow(want);
    expect(native.functorchDepth()).toBe(0);
  });

  test('the outer graph is kept: grad inside ordinary autograd', () => {
    const t = makeInputs();
    const x = t.v.clone().requiresGrad_();
    const g = grad((a: T) => a.pow(3).sum())(x) as T; // 3 x^2, differentiable in x
    g.sum().backward();
    expectClose(toJson(x.grad!), toJson(t.v.mul(6)));
  });
});

describe('errors carry functorch 1.13 messages', () => {
  const prelude = `exec(open(${JSON.stringify(`${__dirname}/helpers/func_oracle.py`)}).read())
globals().update(make_inputs())
def f(a, b): return (a * b).sum()`;
  const f = (a: T, b: T): T => a.mul(b).sum();
  const t = makeInputs();
  const cases: [string, () => unknown][] = [
    ['grad(lambda a: a.sin())(x)', () => grad((a: T) => a.sin())(t.x)],
    ['grad(lambda a: 3)(x)', () => grad((_a: T) => 3)(t.x)],
    ['grad(lambda a: a.sum(), has_aux=True)(x)', () => grad((a: T) => a.sum(), { hasAux: true })(t.x)],
    ['grad_and_value(lambda a: (a.sum(), 3), has_aux=True)(x)', () => gradAndValue((a: T) => [a.sum(), 3], { hasAux: true })(t.x)],
    ['grad(f, argnums=2)(x, y)', () => grad(f, 2)(t.x, t.y)],
    ['grad(f, argnums=-3)(x, y)', () => grad(f, -3)(t.x, t.y)],
    ['grad(f, argnums=(0, 0))(x, y)', () => grad(f, [0, 0])(t.x, t.y)],
    ['grad(f, argnums=(0, -2))(x, y)', () => grad(f, [0, -2])(t.x, t.y)],
    ['grad(f, argnums=())(x, y)', () => grad(f, [])(t.x, t.y)],
    ['grad(f, argnums=1.5)(x, y)', () => grad(f, 1.5)(t.x, t.y)],
    ['grad(f, argnums=(0, 1.5))(x, y)', () => grad(f, [0, 1.5])(t.x, t.y)],
    ['grad(lambda a, k: a.sum() * k, argnums=1)(x, 3)', () => grad((a: T, k: number) => a.sum().mul(k), 1)(t.x, 3)],
    ['vjp(lambda a: a.long(), x)', () => vjp((a: T) => a.long(), t.x)],
    ['vjp(lambda a: 3, x)', () => vjp((_a: T) => 3, t.x)],
    ['vjp(lambda a: a.sum(), x, has_aux=True)', () => vjp((a: T) => a.sum(), t.x, { hasAux: true })],
    ['vjp(lambda a: a.sin(), x)[1]((x,))', () => (vjp((a: T) => a.sin(), t.x)[1] as (c: unknown) => unknown)([t.x])],
    ["vjp(lambda a: (a.sin(), {'k': a}), x)[1]((x, x))", () => (vjp((a: T) => [a.sin(), { k: a }], t.x)[1] as (c: unknown) => unknown)([t.x, t.x])],
    ['jvp(torch.sin, x, x)', () => jvp(torch.sin, t.x as unknown as T[], [t.x])],
    ['jvp(f, (x, y), (x,))', () => jvp(f, [t.x, t.y], [t.x])],
    ['jvp(torch.sin, (3,), (3,))', () => jvp(torch.sin, [3 as unknown as T], [3 as unknown as T])],
    ['jvp(torch.sin, (), ())', () => jvp(torch.sin, [], [])],
    ['jvp(lambda a: w * 1, (x,), (x,), strict=True)', () => jvp((_a: T) => t.w.mul(1), [t.x], [t.x], { strict: true })],
    ['jvp(lambda a: 3, (x,), (x,))', () => jvp((_a: T) => 3, [t.x], [t.x])],
    ['jvp(lambda a: a, (x,), (x,), has_aux=True)', () => jvp((a: T) => a, [t.x], [t.x], { hasAux: true })],
  ];
  testErrors(cases, prelude);
});
