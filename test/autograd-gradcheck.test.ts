// torch.autograd.gradcheck / gradgradcheck against PyTorch 1.13: true on correct custom Functions
// and aten ops (slow and fast mode, forward AD, batched grads), GradcheckError with Python's exact
// message on a wrong backward (false with raiseException: false), the other checks (reentrancy,
// undefined grads, no differentiable outputs, input checks), and gradgradcheck with its random
// gradOutputs drawn from the global generator as Python draws them.
import * as torch from '../lib';
import { messageOf } from './helpers/errors';
import { runPython } from './helpers/python';

const { Function, gradcheck, gradgradcheck, GradcheckError } = torch.autograd;
type Ctx = torch.autograd.FunctionCtx;
type T = torch.Tensor;
const f64 = (data: number[] | number[][], requiresGrad = true): T => torch.tensor(data, { dtype: torch.float64, requiresGrad });

class MyExp extends Function {
  static forward(ctx: Ctx, x: T): T {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }
  static backward(ctx: Ctx, g: T): T {
    return g.mul(ctx.savedTensors[0]!);
  }
}

// two inputs, two outputs: (x * y, x.sin())
class MulSin extends Function {
  static forward(ctx: Ctx, x: T, y: T): T[] {
    ctx.saveForBackward(x, y);
    return [x.mul(y), x.sin()];
  }
  static backward(ctx: Ctx, gp: T, gs: T): T[] {
    const [x, y] = ctx.savedTensors as T[];
    return [gp.mul(y).add(gs.mul(x.cos())), gp.mul(x)];
  }
}

// wrong backward: twice the derivative
class BadSin extends Function {
  static forward(ctx: Ctx, x: T): T {
    ctx.saveForBackward(x);
    return x.sin();
  }
  static backward(ctx: Ctx, g: T): T {
    return g.mul(ctx.savedTensors[0]!.cos()).mul(2);
  }
}

// right first derivative, but computed from a detached x: wrong second derivative
class DetachedSin extends Function {
  static forward(ctx: Ctx, x: T): T {
    ctx.saveForBackward(x);
    return x.sin();
  }
  static backward(ctx: Ctx, g: T): T {
    return g.mul(ctx.savedTensors[0]!.detach().cos());
  }
}

// backward adds noise: not reentrant
class Noisy extends Function {
  static forward(_ctx: Ctx, x: T): T {
    return x.mul(2);
  }
  static backward(_ctx: Ctx, g: T): T {
    return g.mul(2).add(torch.randLike(g).mul(1e-3));
  }
}

// complex output whose backward drops the imaginary part of the gradient
class RealGrad extends Function {
  static forward(_ctx: Ctx, x: T): T {
    return torch.complex(x.sin(), x.mul(x));
  }
  static backward(_ctx: Ctx, g: T): T {
    return torch.real(g);
  }
}

// cannot take an undefined output gradient
class NoUndefined extends Function {
  static forward(ctx: Ctx, x: T): T {
    ctx.setMaterializeGrads(false);
    return x.mul(3);
  }
  static backward(_ctx: Ctx, g: T | null): T {
    if (g === null) throw new torch.TorchError('backward got no gradient');
    return g.mul(3);
  }
}

const PY_FUNCTIONS = `
from torch.autograd import gradcheck, gradgradcheck
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp(); ctx.save_for_backward(y); return y
    @staticmethod
    def backward(ctx, g): return g * ctx.saved_tensors[0]
class MulSin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y); return x * y, x.sin()
    @staticmethod
    def backward(ctx, gp, gs):
        x, y = ctx.saved_tensors; return gp * y + gs * x.cos(), gp * x
class BadSin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x); return x.sin()
    @staticmethod
    def backward(ctx, g): return g * ctx.saved_tensors[0].cos() * 2
class DetachedSin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x); return x.sin()
    @staticmethod
    def backward(ctx, g): return g * ctx.saved_tensors[0].detach().cos()
class Noisy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x): return x * 2
    @staticmethod
    def backward(ctx, g): return g * 2 + torch.rand_like(g) * 1e-3
class RealGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x): return torch.complex(x.sin(), x * x)
    @staticmethod
    def backward(ctx, g): return g.real
class NoUndefined(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False); return x * 3
    @staticmethod
    def backward(ctx, g):
        if g is None: raise RuntimeError('backward got no gradient')
        return g * 3
`;

const X = [[0.3, -1.2, 0.8], [0.5, 0.1, -0.4]];
const Y = [[1.5, -0.5, 0.25], [0.2, 0.9, -1.1]];

describe('gradcheck against PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`${PY_FUNCTIONS}
import warnings
warnings.simplefilter('ignore')
d = torch.float64
X = torch.tensor(${JSON.stringify(X)}, dtype=d, requires_grad=True)
Y = torch.tensor(${JSON.stringify(Y)}, dtype=d, requires_grad=True)
result = dict(
  exp=gradcheck(MyExp.apply, X),
  mulsin=gradcheck(MulSin.apply, (X, Y)),
  mulsin_fast=gradcheck(MulSin.apply, (X, Y), fast_mode=True),
  aten=gradcheck(lambda x, y: (x @ y.t()).tanh() + x.sum(), (X, Y), check_forward_ad=True, check_batched_grad=True, check_batched_forward_grad=True),
  aten_fast_fwd=gradcheck(lambda x, y: (x * y).logsumexp(1), (X, Y), check_forward_ad=True, fast_mode=True),
  nonfloat=gradcheck(lambda x, n: (x * n, x.argmax()), (X, torch.tensor(3))),
  bad=err(lambda: gradcheck(BadSin.apply, X)),
  bad_fast=err(lambda: gradcheck(BadSin.apply, X, fast_mode=True)),
  bad_false=gradcheck(BadSin.apply, X, raise_exception=False),
  bad_second=err(lambda: gradcheck(lambda x, y: (x * y, BadSin.apply(y)), (X, Y))),
  noisy=err(lambda: gradcheck(Noisy.apply, X)),
  noisy_tol=err(lambda: gradcheck(Noisy.apply, X, nondet_tol=1e-2, atol=1e-2)),
  undefined=err(lambda: gradcheck(NoUndefined.apply, X)),
  undefined_off=gradcheck(NoUndefined.apply, X, check_undefined_grad=False),
  nondiff=err(lambda: gradcheck(lambda x: x.detach() * 2, X)),
  argmax=gradcheck(lambda x: x.argmax(), X),
  no_input=err(lambda: gradcheck(lambda x: x * 2, X.detach())),
  stride0=err(lambda: gradcheck(lambda x: x * 2, torch.ones(3, dtype=d).expand(2, 3).requires_grad_())),
  no_mode=err(lambda: gradcheck(MyExp.apply, X, check_forward_ad=False, check_backward_ad=False)),
  bad_eps=err(lambda: gradcheck(BadSin.apply, X, eps=1e-3, atol=1e-4, rtol=1e-2)),
  complex_out=gradcheck(lambda x: torch.complex(x.sin(), x * x), X),
  complex_out_fast=gradcheck(lambda x: torch.complex(x.sin(), x * x), X, fast_mode=True),
  complex_bad=err(lambda: gradcheck(RealGrad.apply, X)),
)
`);
  const x = (): T => f64(X), y = (): T => f64(Y);

  test('true on correct custom Functions and aten ops (slow, fast, forward AD, batched grads)', () => {
    expect(gradcheck((a: T) => MyExp.apply(a), x())).toBe(py.exp);
    expect(gradcheck((a: T, b: T) => MulSin.apply(a, b), [x(), y()])).toBe(py.mulsin);
    expect(gradcheck((a: T, b: T) => MulSin.apply(a, b), [x(), y()], { fastMode: true })).toBe(py.mulsin_fast);
    const aten = (a: T, b: T): T => torch.tanh(a.matmul(b.t())).add(a.sum());
    expect(gradcheck(aten, [x(), y()], { checkForwardAd: true, checkBatchedGrad: true, checkBatchedForwardGrad: true })).toBe(py.aten);
    expect(gradcheck((a: T, b: T) => torch.logsumexp(a.mul(b), 1), [x(), y()], { checkForwardAd: true, fastMode: true })).toBe(py.aten_fast_fwd);
    // non-tensor and non-float pieces: an int64 input and output are left alone
    expect(gradcheck((a: T, n: T) => [a.mul(n), a.argmax()], [x(), torch.tensor(3)])).toBe(py.nonfloat);
    expect(gradcheck((a: T) => a.argmax(), x())).toBe(py.argmax);
  });

  test("a wrong backward raises GradcheckError with Python's message (slow and fast mode)", () => {
    let caught: unknown;
    try {
      gradcheck((a: T) => BadSin.apply(a), x());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GradcheckError);
    expect(caught).toBeInstanceOf(torch.TorchError);
    expect((caught as Error).name).toBe('GradcheckError');
    expect((caught as Error).message).toBe(py.bad);
    expect((py.bad as string).startsWith('Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor(')).toBe(true);
    expect(messageOf(() => gradcheck((a: T) => BadSin.apply(a), x(), { fastMode: true }))).toBe(py.bad_fast);
    expect(gradcheck((a: T) => BadSin.apply(a), x(), { raiseException: false })).toBe(py.bad_false);
    expect(messageOf(() => gradcheck((a: T, b: T) => [a.mul(b), BadSin.apply(b)], [x(), y()]))).toBe(py.bad_second);
    expect(messageOf(() => gradcheck((a: T) => BadSin.apply(a), x(), { eps: 1e-3, atol: 1e-4, rtol: 1e-2 }))).toBe(py.bad_eps);
  });

  test('complex outputs are checked by their real and imaginary parts', () => {
    expect(gradcheck((a: T) => torch.complex(a.sin(), a.mul(a)), x())).toBe(py.complex_out);
    expect(gradcheck((a: T) => torch.complex(a.sin(), a.mul(a)), x(), { fastMode: true })).toBe(py.complex_out_fast);
    expect(messageOf(() => gradcheck((a: T) => RealGrad.apply(a), x()))).toBe(py.complex_bad);
    expect(py.complex_bad).toMatch(/^While considering the imaginary part of complex outputs only, Jacobian mismatch/);
  });

  test('reentrancy, undefined output grads, non-differentiable outputs, input checks', () => {
    expect(messageOf(() => gradcheck((a: T) => Noisy.apply(a), x()))).toBe(py.noisy);
    expect(messageOf(() => gradcheck((a: T) => Noisy.apply(a), x(), { nondetTol: 1e-2, atol: 1e-2 }))).toBe(py.noisy_tol);
    expect(messageOf(() => gradcheck((a: T) => NoUndefined.apply(a), x()))).toBe(py.undefined);
    expect(gradcheck((a: T) => NoUndefined.apply(a), x(), { checkUndefinedGrad: false })).toBe(py.undefined_off);
    expect(messageOf(() => gradcheck((a: T) => a.detach().mul(2), x()))).toBe(py.nondiff);
    expect(messageOf(() => gradcheck((a: T) => a.mul(2), x().detach()))).toBe(py.no_input);
    expect(messageOf(() => gradcheck((a: T) => a.mul(2), torch.ones([3], { dtype: torch.float64 }).expand(2, 3).requiresGrad_()))).toBe(py.stride0);
    expect(messageOf(() => gradcheck((a: T) => MyExp.apply(a), x(), { checkForwardAd: false, checkBackwardAd: false }))).toBe(py.no_mode);
    expect(messageOf(() => gradcheck((a: T) => a, x(), { raise_exception: false } as never))).toBe(
      "gradcheck() got an unexpected keyword argument 'raise_exception' (did you mean 'raiseException'?)",
    );
  });
});

describe('gradgradcheck against PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`${PY_FUNCTIONS}
d = torch.float64
X = torch.tensor(${JSON.stringify(X)}, dtype=d, requires_grad=True)
Y = torch.tensor(${JSON.stringify(Y)}, dtype=d, requires_grad=True)
torch.manual_seed(7)
ok = gradgradcheck(lambda x, y: (x * y).sin().sum(0), (X, Y))
after = torch.rand(3).tolist()
torch.manual_seed(7)
ok_nc = gradgradcheck(lambda x: MyExp.apply(x), X, gen_non_contig_grad_outputs=True)
after_nc = torch.rand(3).tolist()
go = torch.tensor([[1.0, -1.0, 0.5], [0.0, 2.0, 1.0]], dtype=d, requires_grad=True)
torch.manual_seed(3)
result = dict(ok=ok, after=after, ok_nc=ok_nc, after_nc=after_nc,
  given=gradgradcheck(MyExp.apply, X, go),
  given_fast=gradgradcheck(MulSin.apply, (X, Y), fast_mode=True),
  fwd_over_rev=gradgradcheck(lambda x: x.sin() * x, X, check_fwd_over_rev=True),
  detached=err(lambda: gradgradcheck(DetachedSin.apply, X)),
  detached_given=err(lambda: gradgradcheck(DetachedSin.apply, X, go)),
  detached_false=gradgradcheck(DetachedSin.apply, X, go, raise_exception=False),
  detached_fast=err(lambda: gradgradcheck(DetachedSin.apply, X, go, fast_mode=True)),
  assert_modes=err(lambda: gradgradcheck(MyExp.apply, X, check_rev_over_rev=False, check_fwd_over_rev=False)),
  after_all=torch.rand(2).tolist())
`);
  const x = (): T => f64(X), y = (): T => f64(Y);
  const go = (): T => f64([[1.0, -1.0, 0.5], [0.0, 2.0, 1.0]]);

  test('random gradOutputs come from the global generator, as in Python', () => {
    torch.manualSeed(7);
    expect(gradgradcheck((a: T, b: T) => a.mul(b).sin().sum(0), [x(), y()])).toBe(py.ok);
    expect(torch.rand([3], { dtype: torch.float32 }).tolist()).toEqual(py.after);
    torch.manualSeed(7);
    expect(gradgradcheck((a: T) => MyExp.apply(a), x(), { genNonContigGradOutputs: true })).toBe(py.ok_nc);
    expect(torch.rand([3]).tolist()).toEqual(py.after_nc);
  });

  test("given gradOutputs, fast mode, forward over reverse; a wrong double backward raises Python's message", () => {
    torch.manualSeed(3);
    expect(gradgradcheck((a: T) => MyExp.apply(a), x(), go())).toBe(py.given);
    expect(gradgradcheck((a: T, b: T) => MulSin.apply(a, b), [x(), y()], { fastMode: true })).toBe(py.given_fast);
    expect(gradgradcheck((a: T) => a.sin().mul(a), x(), { checkFwdOverRev: true })).toBe(py.fwd_over_rev);
    let caught: unknown;
    try {
      gradgradcheck((a: T) => DetachedSin.apply(a), x());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GradcheckError);
    expect((caught as Error).message).toBe(py.detached);
    expect(messageOf(() => gradgradcheck((a: T) => DetachedSin.apply(a), x(), go()))).toBe(py.detached_given);
    expect(gradgradcheck((a: T) => DetachedSin.apply(a), x(), go(), { raiseException: false })).toBe(py.detached_false);
    expect(messageOf(() => gradgradcheck((a: T) => DetachedSin.apply(a), x(), go(), { fastMode: true }))).toBe(py.detached_fast);
    expect(messageOf(() => gradgradcheck((a: T) => MyExp.apply(a), x(), { checkRevOverRev: false, checkFwdOverRev: false }))).toBe(py.assert_modes);
    expect(torch.rand([2]).tolist()).toEqual(py.after_all);
  });
});
