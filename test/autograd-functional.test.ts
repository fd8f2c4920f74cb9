// torch.autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp) against PyTorch 1.13: single
// tensor and tuple inputs/outputs, result shapes and nesting, createGraph (differentiable results,
// their grad_fn), outputs independent of an input (zeros), strict mode's errors, vectorize and
// forward-mode strategies, argument checks.
import * as torch from '../lib';
import { messageOf } from './helpers/errors';
import { runPython } from './helpers/python';

const F = torch.autograd.functional;
type T = torch.Tensor;
const f64 = (data: number[] | number[][], requiresGrad = false): T => torch.tensor(data, { dtype: torch.float64, requiresGrad });

const X = [[0.3, -1.2, 0.8], [0.5, 0.1, -0.4]];
const Y = [1.5, -0.5, 0.25];
const S = [0.7];

/** Tensors (nested in arrays) as nested lists, for comparing with Python's tolist(). */
function lists(x: unknown): unknown {
  if (x instanceof torch.Tensor) return x.tolist();
  if (Array.isArray(x)) return x.map(lists);
  return x;
}

/** Same nesting and shapes, numbers within 1e-12 (relative above 1). */
function expectClose(got: unknown, want: unknown, path = 'result'): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got) ? `${path}: array of ${(got as unknown[]).length}` : `${path}: ${typeof got}`).toBe(`${path}: array of ${want.length}`);
    want.forEach((w, i) => expectClose((got as unknown[])[i], w, `${path}[${i}]`));
    return;
  }
  if (typeof want === 'number') {
    expect(typeof got).toBe('number');
    const ok = Math.abs((got as number) - want) <= 1e-12 * Math.max(1, Math.abs(want));
    if (!ok) expect(`${path}: ${got}`).toBe(`${path}: ${want}`);
    return;
  }
  expect(got).toEqual(want);
}

// the functions, in both languages
const PY_FUNCS = `
d = torch.float64
X = torch.tensor(${JSON.stringify(X)}, dtype=d)
Y = torch.tensor(${JSON.stringify(Y)}, dtype=d)
S = torch.tensor(${JSON.stringify(S)}, dtype=d)
F = torch.autograd.functional
def exp_reducer(x): return x.exp().sum(1)
def two_in_three_out(x, y): return (x @ y, (x * x).sum() + y.sin().sum(), y.tanh())
def ignores_y(x, y): return x.sin() * 2
def scalar(x, y): return x.pow(3).sum() * y.exp().sum()
def scalar1(x): return (x.pow(3) * 2).sum()
def linear(x): return (x * 3).sum()
def L(x):
    if isinstance(x, torch.Tensor): return x.tolist()
    if isinstance(x, (tuple, list)): return [L(e) for e in x]
    return x
`;
const expReducer = (x: T): T => x.exp().sum(1);
const twoInThreeOut = (x: T, y: T): T[] => [x.matmul(y), x.mul(x).sum().add(y.sin().sum()), y.tanh()];
const ignoresY = (x: T, _y: T): T => x.sin().mul(2);
const scalar = (x: T, y: T): T => x.pow(3).sum().mul(y.exp().sum());
const scalar1 = (x: T): T => x.pow(3).mul(2).sum();
const linear = (x: T): T => x.mul(3).sum();

describe('autograd.functional.jacobian against PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`${PY_FUNCS}
result = dict(
  single=L(F.jacobian(exp_reducer, X)),
  tuple_in_out=L(F.jacobian(two_in_three_out, (X, Y))),
  tuple_in=L(F.jacobian(ignores_y, (X, Y))),
  single_in_tuple=L(F.jacobian(lambda y: (y * 2, y.sum()), Y)),
  vectorized=L(F.jacobian(two_in_three_out, (X, Y), vectorize=True)),
  vec_unused=L(F.jacobian(ignores_y, (X, Y), vectorize=True)),
  forward=L(F.jacobian(two_in_three_out, (X, Y), vectorize=True, strategy='forward-mode')),
  forward_single=L(F.jacobian(exp_reducer, X, vectorize=True, strategy='forward-mode')),
)
x = X.clone().requires_grad_()
j = F.jacobian(exp_reducer, x, create_graph=True)
result.update(cg_requires=j.requires_grad, cg_fn=type(j.grad_fn).__name__, cg_grad=L(torch.autograd.grad(j.pow(2).sum(), x)[0]))
j2 = F.jacobian(exp_reducer, X)
result.update(plain_requires=j2.requires_grad)
result.update(
  strict_unused=err(lambda: F.jacobian(ignores_y, (X, Y), strict=True)),
  strict_nograd=err(lambda: F.jacobian(lambda x: x.detach() * 2, X, strict=True)),
  strict_cg=err(lambda: F.jacobian(lambda x: x * 2, X, strict=True, create_graph=True)),
  strict_vec=err(lambda: F.jacobian(exp_reducer, X, strict=True, vectorize=True)),
  fwd_novec=err(lambda: F.jacobian(exp_reducer, X, strategy='forward-mode')),
  fwd_cg=err(lambda: F.jacobian(exp_reducer, X, strategy='forward-mode', create_graph=True, vectorize=True)),
  fwd_strict=err(lambda: F.jacobian(exp_reducer, X, strategy='forward-mode', strict=True, vectorize=True)),
  bad_strategy=err(lambda: F.jacobian(exp_reducer, X, strategy='sideways')),
  bad_input=err(lambda: F.jacobian(exp_reducer, (X, 3))),
  bad_output=err(lambda: F.jacobian(lambda x: 3, X)),
)
`);

  test('single input and output: output.shape + input.shape', () => {
    const j = F.jacobian(expReducer, f64(X));
    expect(j.shape).toEqual([2, 2, 3]);
    expectClose(j.tolist(), py.single);
  });

  test('tuple inputs and outputs: result[output][input]', () => {
    const j = F.jacobian(twoInThreeOut, [f64(X), f64(Y)]);
    expect(j.length).toBe(3);
    expect(j[0].map((t) => t.shape)).toEqual([[2, 2, 3], [2, 3]]);
    expectClose(lists(j), py.tuple_in_out);
    // one output, tuple of inputs: one Jacobian per input; the unused input's is zeros
    expectClose(lists(F.jacobian(ignoresY, [f64(X), f64(Y)])), py.tuple_in);
    // one input, tuple of outputs
    expectClose(lists(F.jacobian((y: T) => [y.mul(2), y.sum()], f64(Y))), py.single_in_tuple);
  });

  test('vectorize and strategy "forward-mode" give the same values as PyTorch', () => {
    expectClose(lists(F.jacobian(twoInThreeOut, [f64(X), f64(Y)], { vectorize: true })), py.vectorized);
    expectClose(lists(F.jacobian(ignoresY, [f64(X), f64(Y)], false, false, true)), py.vec_unused);
    expectClose(lists(F.jacobian(twoInThreeOut, [f64(X), f64(Y)], { vectorize: true, strategy: 'forward-mode' })), py.forward);
    expectClose(lists(F.jacobian(expReducer, f64(X), { vectorize: true, strategy: 'forward-mode' })), py.forward_single);
  });

  test('createGraph: a differentiable Jacobian; otherwise detached', () => {
    const x = f64(X, true);
    const j = F.jacobian(expReducer, x, { createGraph: true });
    expect(j.requiresGrad).toBe(py.cg_requires);
    expect(j.gradFn!.name()).toBe(py.cg_fn);
    expectClose(torch.autograd.grad(j.pow(2).sum(), x)[0].tolist(), py.cg_grad);
    expect(F.jacobian(expReducer, f64(X)).requiresGrad).toBe(py.plain_requires);
    expect(F.jacobian(expReducer, x).requiresGrad).toBe(false);
  });

  test("strict mode and argument errors are PyTorch's", () => {
    const x = f64(X), y = f64(Y);
    expect(messageOf(() => F.jacobian(ignoresY, [x, y], { strict: true }))).toBe(py.strict_unused);
    expect(messageOf(() => F.jacobian((a: T) => a.detach().mul(2), x, { strict: true }))).toBe(py.strict_nograd);
    expect(messageOf(() => F.jacobian((a: T) => a.mul(2), x, { strict: true, createGraph: true }))).toBe(py.strict_cg);
    expect(messageOf(() => F.jacobian(expReducer, x, { strict: true, vectorize: true }))).toBe(py.strict_vec);
    expect(messageOf(() => F.jacobian(expReducer, x, { strategy: 'forward-mode' }))).toBe(py.fwd_novec);
    expect(messageOf(() => F.jacobian(expReducer, x, { strategy: 'forward-mode', createGraph: true, vectorize: true }))).toBe(py.fwd_cg);
    expect(messageOf(() => F.jacobian(expReducer, x, { strategy: 'forward-mode', strict: true, vectorize: true }))).toBe(py.fwd_strict);
    expect(messageOf(() => F.jacobian(expReducer, x, { strategy: 'sideways' as never }))).toBe(py.bad_strategy);
    expect(messageOf(() => F.jacobian(expReducer, [x, 3 as never]))).toBe(py.bad_input);
    expect(messageOf(() => F.jacobian((() => 3) as never, x))).toBe(py.bad_output);
    expect(messageOf(() => F.jacobian(expReducer, x, { create_graph: true } as never))).toBe("jacobian() got an unexpected keyword argument 'create_graph' (did you mean 'createGraph'?)");
  });
});

describe('autograd.functional.hessian against PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`${PY_FUNCS}
result = dict(
  single=L(F.hessian(scalar1, X)),
  tuple=L(F.hessian(scalar, (X, Y))),
  vectorized=L(F.hessian(scalar, (X, Y), vectorize=True)),
  forward=L(F.hessian(scalar, (X, Y), vectorize=True, outer_jacobian_strategy='forward-mode')),
  strict_linear=err(lambda: F.hessian(linear, X, strict=True)),
  not_scalar=err(lambda: F.hessian(lambda x: x * 2, X)),
  tuple_out=err(lambda: F.hessian(lambda x: (x.sum(),), X)),
  bad_strategy=err(lambda: F.hessian(scalar1, X, outer_jacobian_strategy='nope')),
)
x = X.clone().requires_grad_()
h = F.hessian(scalar1, x, create_graph=True)
result.update(cg_fn=type(h.grad_fn).__name__, cg_grad=L(torch.autograd.grad(h.sum(), x)[0]))
`);

  test('single input: input.shape + input.shape; tuples: result[i][j]', () => {
    const h = F.hessian(scalar1, f64(X));
    expect(h.shape).toEqual([2, 3, 2, 3]);
    expectClose(h.tolist(), py.single);
    const ht = F.hessian(scalar, [f64(X), f64(Y)]);
    expect(ht.map((row) => row.map((t) => t.shape))).toEqual([[[2, 3, 2, 3], [2, 3, 3]], [[3, 2, 3], [3, 3]]]);
    expectClose(lists(ht), py.tuple);
    expectClose(lists(F.hessian(scalar, [f64(X), f64(Y)], { vectorize: true })), py.vectorized);
    expectClose(lists(F.hessian(scalar, [f64(X), f64(Y)], { vectorize: true, outerJacobianStrategy: 'forward-mode' })), py.forward);
  });

  test('createGraph and errors', () => {
    const x = f64(X, true);
    const h = F.hessian(scalar1, x, true);
    expect(h.gradFn!.name()).toBe(py.cg_fn);
    expectClose(torch.autograd.grad(h.sum(), x)[0].tolist(), py.cg_grad);
    expect(messageOf(() => F.hessian(linear, f64(X), { strict: true }))).toBe(py.strict_linear);
    expect(messageOf(() => F.hessian((a: T) => a.mul(2), f64(X)))).toBe(py.not_scalar);
    expect(messageOf(() => F.hessian(((a: T) => [a.sum()]) as never, f64(X)))).toBe(py.tuple_out);
    expect(messageOf(() => F.hessian(scalar1, f64(X), { outerJacobianStrategy: 'nope' as never }))).toBe(py.bad_strategy);
  });
});

describe('autograd.functional vjp / jvp / vhp / hvp against PyTorch', () => {
  const V2 = [0.5, -1.0];
  const VX = [[1.0, 0.5, -0.5], [0.25, -2.0, 1.0]];
  const py = runPython<Record<string, unknown>>(`${PY_FUNCS}
V2 = torch.tensor(${JSON.stringify(V2)}, dtype=d)
VX = torch.tensor(${JSON.stringify(VX)}, dtype=d)
VO = (torch.ones(2, dtype=d), torch.tensor(2.0, dtype=d), torch.tensor([1.0, 0.0, -1.0], dtype=d))
result = dict(
  vjp=L(F.vjp(exp_reducer, X, V2)),
  vjp_tuple=L(F.vjp(two_in_three_out, (X, Y), VO)),
  vjp_unused=L(F.vjp(ignores_y, (X, Y), VX)),
  vjp_nov=L(F.vjp(lambda s: (s * s).sum(), S)),
  jvp=L(F.jvp(exp_reducer, X, VX)),
  jvp_tuple=L(F.jvp(two_in_three_out, (X, Y), (VX, Y))),
  jvp_nov=L(F.jvp(lambda s: s.exp() * 3, S)),
  vhp=L(F.vhp(scalar, (X, Y), (VX, Y))),
  hvp=L(F.hvp(scalar, (X, Y), (VX, Y))),
  vhp_single=L(F.vhp(scalar1, X, VX)),
  hvp_nov=L(F.hvp(lambda s: s.pow(4).sum(), S)),
  vjp_strict=err(lambda: F.vjp(ignores_y, (X, Y), VX, strict=True)),
  jvp_strict=err(lambda: F.jvp(ignores_y, (X, Y), (VX, Y), strict=True)),
  vhp_strict=err(lambda: F.vhp(lambda x, y: x.pow(3).sum(), (X, Y), (VX, Y), strict=True)),
  hvp_strict=err(lambda: F.hvp(lambda x, y: x.pow(3).sum(), (X, Y), (VX, Y), strict=True)),
  vjp_nov_err=err(lambda: F.vjp(exp_reducer, X)),
  jvp_nov_err=err(lambda: F.jvp(exp_reducer, X)),
  v_size=err(lambda: F.vjp(exp_reducer, X, Y)),
  v_entry_size=err(lambda: F.jvp(ignores_y, (X, Y), (VX, V2))),
  v_len=err(lambda: F.jvp(ignores_y, (X, Y), (VX,))),
  v_single=err(lambda: F.vjp(exp_reducer, X, (V2, V2))),
  vhp_tuple_out=err(lambda: F.vhp(lambda x: (x.sum(),), X, VX)),
  hvp_not_scalar=err(lambda: F.hvp(lambda x: x, X, VX)),
)
x = X.clone().requires_grad_()
out, vj = F.vjp(exp_reducer, x, V2, create_graph=True)
result.update(vjp_cg=[out.requires_grad, type(vj.grad_fn).__name__, L(torch.autograd.grad(vj.pow(2).sum(), x)[0])])
out, jv = F.jvp(exp_reducer, x, VX, create_graph=True)
result.update(jvp_cg=[out.requires_grad, type(jv.grad_fn).__name__, L(torch.autograd.grad(jv.pow(2).sum(), x)[0])])
out, hv = F.hvp(scalar1, x, VX, create_graph=True)
result.update(hvp_cg=[out.requires_grad, type(hv.grad_fn).__name__, L(torch.autograd.grad(hv.pow(2).sum(), x)[0])])
out, vh = F.vhp(scalar1, x, VX)
result.update(vhp_plain=[out.requires_grad, vh.requires_grad])
`);
  const x = (): T => f64(X), y = (): T => f64(Y), vx = (): T => f64(VX), v2 = (): T => f64(V2);
  const vo = (): T[] => [torch.ones([2], { dtype: torch.float64 }), torch.tensor(2.0, { dtype: torch.float64 }), f64([1.0, 0.0, -1.0])];

  test('vjp: [func output, v^T J] shaped like the outputs and the inputs', () => {
    const [out, vj] = F.vjp(expReducer, x(), v2());
    expect([out.shape, vj.shape]).toEqual([[2], [2, 3]]);
    expectClose(lists([out, vj]), py.vjp);
    expectClose(lists(F.vjp(twoInThreeOut, [x(), y()], vo())), py.vjp_tuple);
    expectClose(lists(F.vjp(ignoresY, [x(), y()], vx())), py.vjp_unused);
    expectClose(lists(F.vjp((s: T) => s.mul(s).sum(), f64(S))), py.vjp_nov);
  });

  test('jvp (double-backward trick): [func output, J v] shaped like the outputs', () => {
    expectClose(lists(F.jvp(expReducer, x(), vx())), py.jvp);
    expectClose(lists(F.jvp(twoInThreeOut, [x(), y()], [vx(), y()])), py.jvp_tuple);
    expectClose(lists(F.jvp((s: T) => s.exp().mul(3), f64(S))), py.jvp_nov);
  });

  test('vhp and hvp', () => {
    expectClose(lists(F.vhp(scalar, [x(), y()], [vx(), y()])), py.vhp);
    expectClose(lists(F.hvp(scalar, [x(), y()], [vx(), y()])), py.hvp);
    expectClose(lists(F.vhp(scalar1, x(), vx())), py.vhp_single);
    expectClose(lists(F.hvp((s: T) => s.pow(4).sum(), f64(S))), py.hvp_nov);
  });

  test('createGraph: differentiable results (grad_fn and second-order values as PyTorch)', () => {
    const xs = f64(X, true);
    const check = (r: [T, T], want: unknown): void => {
      const [out, res] = r;
      expect(out.requiresGrad).toBe((want as unknown[])[0]);
      expect(res.gradFn!.name()).toBe((want as unknown[])[1]);
      expectClose(torch.autograd.grad(res.pow(2).sum(), xs)[0].tolist(), (want as unknown[])[2]);
    };
    check(F.vjp(expReducer, xs, v2(), { createGraph: true }), py.vjp_cg);
    check(F.jvp(expReducer, xs, vx(), true), py.jvp_cg);
    check(F.hvp(scalar1, xs, vx(), { createGraph: true }), py.hvp_cg);
    const [out, vh] = F.vhp(scalar1, xs, vx());
    expect([out.requiresGrad, vh.requiresGrad]).toEqual(py.vhp_plain);
  });

  test("strict mode, v checks and output checks raise PyTorch's messages", () => {
    expect(messageOf(() => F.vjp(ignoresY, [x(), y()], vx(), { strict: true }))).toBe(py.vjp_strict);
    expect(messageOf(() => F.jvp(ignoresY, [x(), y()], [vx(), y()], { strict: true }))).toBe(py.jvp_strict);
    expect(messageOf(() => F.vhp((a: T) => a.pow(3).sum(), [x(), y()], [vx(), y()], { strict: true }))).toBe(py.vhp_strict);
    expect(messageOf(() => F.hvp((a: T) => a.pow(3).sum(), [x(), y()], [vx(), y()], { strict: true }))).toBe(py.hvp_strict);
    expect(messageOf(() => F.vjp(expReducer, x()))).toBe(py.vjp_nov_err);
    expect(messageOf(() => F.jvp(expReducer, x()))).toBe(py.jvp_nov_err);
    expect(messageOf(() => F.vjp(expReducer, x(), y()))).toBe(py.v_size);
    expect(messageOf(() => F.jvp(ignoresY, [x(), y()], [vx(), v2()]))).toBe(py.v_entry_size);
    expect(messageOf(() => F.jvp(ignoresY, [x(), y()], [vx()]))).toBe(py.v_len);
    expect(messageOf(() => F.vjp(expReducer, x(), [v2(), v2()]))).toBe(py.v_single);
    expect(messageOf(() => F.vhp(((a: T) => [a.sum()]) as never, x(), vx()))).toBe(py.vhp_tuple_out);
    expect(messageOf(() => F.hvp(((a: T) => a) as never, x(), vx()))).toBe(py.hvp_not_scalar);
  });
});
