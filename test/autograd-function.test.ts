// Custom torch.autograd.Function written in TypeScript: values and gradients against the same
// Functions written in Python, gradcheck-style finite differences (float64), a small network with a
// custom linear Function trained by a hand-written SGD loop (same losses as PyTorch), the ctx API,
// errors, and the engine running on a helper thread (the marshalled path device threads take).
import * as torch from '../lib';
import { native } from '../lib/native';
import { runPython } from './helpers/python';

const { Function } = torch.autograd;
type Ctx = torch.autograd.FunctionCtx;
const f64 = (data: number[] | number[][], requiresGrad = true): torch.Tensor =>
  torch.tensor(data, { dtype: torch.float64, requiresGrad });
const list = (t: torch.Tensor | null): unknown => (t === null ? null : t.tolist());

class MyExp extends Function {
  static forward(ctx: Ctx, x: torch.Tensor): torch.Tensor {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }
  static backward(ctx: Ctx, g: torch.Tensor): torch.Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y!);
  }
}

// y = x @ w.T * scale + b; scale is a plain number (a non-tensor argument, null gradient)
class MyLinear extends Function {
  static forward(ctx: Ctx, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, scale: number): torch.Tensor {
    ctx.saveForBackward(x, w);
    ctx.scale = scale;
    return x.matmul(w.t()).mul(scale).add(b);
  }
  static backward(ctx: Ctx, g: torch.Tensor): (torch.Tensor | null)[] {
    const [x, w] = ctx.savedTensors as torch.Tensor[];
    const s = ctx.scale as number;
    const [nx, nw, nb] = ctx.needsInputGrad;
    return [nx ? g.matmul(w).mul(s) : null, nw ? g.t().matmul(x).mul(s) : null, nb ? g.sum(0) : null, null];
  }
}

// two outputs
class SinCos extends Function {
  static forward(ctx: Ctx, x: torch.Tensor): torch.Tensor[] {
    ctx.saveForBackward(x);
    return [x.sin(), x.cos()];
  }
  static backward(ctx: Ctx, gs: torch.Tensor, gc: torch.Tensor): torch.Tensor {
    const [x] = ctx.savedTensors as torch.Tensor[];
    return gs.mul(x.cos()).sub(gc.mul(x.sin()));
  }
}

const PY_FUNCTIONS = `
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp(); ctx.save_for_backward(y); return y
    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors; return g * y
class MyLinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b, scale):
        ctx.save_for_backward(x, w); ctx.scale = scale
        return x.matmul(w.t()) * scale + b
    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors; s = ctx.scale
        nx, nw, nb, _ = ctx.needs_input_grad
        return (g.matmul(w) * s if nx else None, g.t().matmul(x) * s if nw else None, g.sum(0) if nb else None, None)
class SinCos(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x); return x.sin(), x.cos()
    @staticmethod
    def backward(ctx, gs, gc):
        x, = ctx.saved_tensors; return gs * x.cos() - gc * x.sin()
`;

/** d(sum(f(inputs) * weights))/d(input) by central differences, one element at a time. */
function numericalGrad(f: (...xs: torch.Tensor[]) => torch.Tensor, inputs: torch.Tensor[], k: number, eps = 1e-6): number[] {
  const base = inputs.map((t) => t.detach().clone());
  const flatK = base[k].flatten();
  const out: number[] = [];
  const value = () => torch.noGrad(() => f(...base).mul(weightsLike(f(...base))).sum().item() as number);
  for (let i = 0; i < flatK.numel(); i++) {
    const v = flatK.index(i).item() as number;
    flatK.indexPut_(i, v + eps);
    const plus = value();
    flatK.indexPut_(i, v - eps);
    const minus = value();
    flatK.indexPut_(i, v);
    out.push((plus - minus) / (2 * eps));
  }
  return out;
}
const weightsLike = (t: torch.Tensor): torch.Tensor => torch.arange(t.numel(), { dtype: torch.float64 }).reshape(t.shape).mul(0.1).add(1);

function analyticalGrads(f: (...xs: torch.Tensor[]) => torch.Tensor, inputs: torch.Tensor[]): number[][] {
  const xs = inputs.map((t) => t.detach().clone().requiresGrad_());
  const y = f(...xs);
  y.mul(weightsLike(y)).sum().backward();
  return xs.map((x) => x.grad!.flatten().tolist() as number[]);
}

function gradcheck(f: (...xs: torch.Tensor[]) => torch.Tensor, inputs: torch.Tensor[]): void {
  const analytical = analyticalGrads(f, inputs);
  inputs.forEach((_, k) => {
    const numerical = numericalGrad(f, inputs, k);
    analytical[k].forEach((a, i) => expect(Math.abs(a - numerical[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(a))));
  });
}

const X = [[0.5, -1.2, 0.3], [1.1, 0.2, -0.7]];
const W = [[0.2, -0.4, 0.6], [-0.1, 0.9, 0.05]];
const B = [0.3, -0.2];

function runAll(): unknown {
  const x = f64(X), w = f64(W), b = f64(B);
  const e = MyExp.apply(x);
  e.mul(e).sum().backward();
  const gExp = x.grad!;
  x.grad = null;
  const lin = MyLinear.apply(x, w, b, 0.5);
  lin.pow(2).sum().backward();
  const xs = f64([0.1, 0.7, -2.0]);
  const [s, c] = SinCos.apply(xs);
  s.mul(2).add(c.mul(3)).sum().backward();
  return {
    exp: e.tolist(), gExp: gExp.tolist(), expFn: e.gradFn!.name(),
    lin: lin.tolist(), gx: list(x.grad), gw: list(w.grad), gb: list(b.grad), linFn: lin.gradFn!.name(),
    s: s.tolist(), c: c.tolist(), gs: list(xs.grad),
  };
}

describe('custom autograd.Function against PyTorch', () => {
  const expected = runPython(`${PY_FUNCTIONS}
d = torch.float64
x = torch.tensor(${JSON.stringify(X)}, dtype=d, requires_grad=True)
w = torch.tensor(${JSON.stringify(W)}, dtype=d, requires_grad=True)
b = torch.tensor(${JSON.stringify(B)}, dtype=d, requires_grad=True)
e = MyExp.apply(x); (e * e).sum().backward(); gExp = x.grad; x.grad = None
lin = MyLinear.apply(x, w, b, 0.5); lin.pow(2).sum().backward()
xs = torch.tensor([0.1, 0.7, -2.0], dtype=d, requires_grad=True)
s, c = SinCos.apply(xs); (s * 2 + c * 3).sum().backward()
result = dict(exp=e.tolist(), gExp=gExp.tolist(), expFn=type(e.grad_fn).__name__,
  lin=lin.tolist(), gx=x.grad.tolist(), gw=w.grad.tolist(), gb=b.grad.tolist(), linFn=type(lin.grad_fn).__name__,
  s=s.tolist(), c=c.tolist(), gs=xs.grad.tolist())
`) as Record<string, unknown>;

  test('values, gradients and grad_fn names equal PyTorch', () => {
    expect(runAll()).toEqual(expected);
  });

  test('the same through the engine on a helper thread (the marshalled path of device threads)', () => {
    native.setEngineOnHelperThread(true);
    try {
      expect(runAll()).toEqual(expected);
    } finally {
      native.setEngineOnHelperThread(false);
    }
  });
});

describe('gradcheck: finite differences (float64) vs backward', () => {
  test('MyExp', () => gradcheck((x) => MyExp.apply(x), [f64(X)]));
  test('MyLinear (3 tensor inputs and a number)', () =>
    gradcheck((x, w, b) => MyLinear.apply(x, w, b, 0.7), [f64(X), f64(W), f64(B)]));
  test('SinCos (two outputs)', () => gradcheck((x) => {
    const [s, c] = SinCos.apply(x);
    return s.mul(c.add(2));
  }, [f64([0.1, 0.7, -2.0])]));
  test('composed with built-in ops on both sides', () =>
    gradcheck((x, w) => MyExp.apply(MyLinear.apply(x.tanh(), w, torch.zeros([2], { dtype: torch.float64 }), 1).mul(0.5)).log1p(), [f64(X), f64(W)]));
});

describe('a network with a custom Function, trained by a hand-written SGD loop', () => {
  const IN = [[0.1, 0.2, 0.3, 0.4], [0.5, -0.6, 0.7, -0.8], [-0.9, 1.0, -1.1, 1.2], [0.3, 0.3, -0.3, 0.1], [1.3, -0.2, 0.4, 0.0]];
  const TARGET = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]];
  const init = (rows: number, cols: number, k: number): number[][] =>
    Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Math.sin(k + 3 * i + j) * 0.5));

  test('losses equal PyTorch step by step and go down', () => {
    const w1 = f64(init(6, 4, 1)), b1 = f64(new Array(6).fill(0.1));
    const w2 = f64(init(2, 6, 2)), b2 = f64([0, 0]);
    const params = [w1, b1, w2, b2];
    const x = f64(IN, false), t = f64(TARGET, false);
    const losses: number[] = [];
    for (let step = 0; step < 25; step++) {
      const h = MyLinear.apply(x, w1, b1, 1).relu();
      const y = MyExp.apply(MyLinear.apply(h, w2, b2, 0.5).neg()).add(1).reciprocal();
      const loss = y.sub(t).pow(2).mean();
      for (const p of params) p.grad = null;
      loss.backward();
      torch.noGrad(() => { for (const p of params) p.sub_(p.grad!.mul(0.5)); });
      losses.push(loss.item() as number);
    }
    const py = runPython<number[]>(`${PY_FUNCTIONS}
import math
d = torch.float64
init = lambda r, c, k: [[math.sin(k + 3 * i + j) * 0.5 for j in range(c)] for i in range(r)]
w1 = torch.tensor(init(6, 4, 1), dtype=d, requires_grad=True); b1 = torch.full((6,), 0.1, dtype=d, requires_grad=True)
w2 = torch.tensor(init(2, 6, 2), dtype=d, requires_grad=True); b2 = torch.zeros(2, dtype=d, requires_grad=True)
x = torch.tensor(${JSON.stringify(IN)}, dtype=d); t = torch.tensor(${JSON.stringify(TARGET)}, dtype=d)
losses = []
for step in range(25):
    h = MyLinear.apply(x, w1, b1, 1).relu()
    y = 1 / (MyExp.apply(-MyLinear.apply(h, w2, b2, 0.5)) + 1)
    loss = (y - t).pow(2).mean()
    for p in (w1, b1, w2, b2): p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in (w1, b1, w2, b2): p.sub_(p.grad * 0.5)
    losses.append(loss.item())
result = losses
`);
    losses.forEach((l, i) => expect(Math.abs(l - py[i])).toBeLessThan(1e-12));
    expect(losses[24]).toBeLessThan(losses[0] * 0.95);
  });
});

describe('ctx API and errors', () => {
  test('needsInputGrad, non-tensor arguments and null gradients', () => {
    let seen: boolean[] = [];
    class Probe extends Function {
      static forward(ctx: Ctx, a: torch.Tensor, k: number, c: torch.Tensor): torch.Tensor {
        seen = ctx.needsInputGrad;
        expect(torch.isGradEnabled()).toBe(false);
        return a.mul(k).add(c);
      }
      static backward(ctx: Ctx, g: torch.Tensor): (torch.Tensor | null)[] {
        return [g.mul(2), null, null];
      }
    }
    const a = f64([1, 2]), c = f64([3, 4], false);
    const y = Probe.apply(a, 2, c);
    expect(seen).toEqual([true, false, false]);
    y.sum().backward();
    expect(a.grad!.tolist()).toEqual([2, 2]);
    expect(torch.noGrad(() => Probe.apply(a, 2, c)).requiresGrad).toBe(false);
    expect(seen).toEqual([false, false, false]);
  });

  test('markDirty, markNonDifferentiable and setMaterializeGrads', () => {
    class AddOne_ extends Function {
      static forward(ctx: Ctx, a: torch.Tensor): torch.Tensor {
        a.add_(1);
        ctx.markDirty(a);
        return a;
      }
      static backward(_ctx: Ctx, g: torch.Tensor): torch.Tensor {
        return g;
      }
    }
    const leaf = f64([1, 2]);
    const a = leaf.mul(1);
    const out = AddOne_.apply(a);
    expect(out.tolist()).toEqual([2, 3]);
    expect(out.gradFn!.name()).toBe('AddOne_Backward');
    out.mul(3).sum().backward();
    expect(leaf.grad!.tolist()).toEqual([3, 3]);
    expect(() => AddOne_.apply(f64([1]))).toThrow(/leaf Variable that requires grad/);

    let received: (torch.Tensor | null)[] = [];
    class SortLike extends Function {
      static forward(ctx: Ctx, x: torch.Tensor): torch.Tensor[] {
        const idx = torch.tensor([1, 0]);
        ctx.markNonDifferentiable(idx);
        ctx.setMaterializeGrads(false);
        return [x.flip(0), idx];
      }
      static backward(_ctx: Ctx, g: torch.Tensor | null, gi: torch.Tensor | null): torch.Tensor | null {
        received = [g, gi];
        return g === null ? null : g.flip(0);
      }
    }
    const x = f64([5, 6]);
    const [v, i] = SortLike.apply(x);
    expect(i.requiresGrad).toBe(false);
    v.mul(f64([1, 10], false)).sum().backward();
    expect(received[1]).toBeNull();
    expect(x.grad!.tolist()).toEqual([10, 1]);
  });

  test('backward twice without retainGraph: PyTorch error; retainGraph allows it', () => {
    const x = f64([0.5]);
    const y = MyExp.apply(x);
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(() => y.backward()).toThrow(torch.TorchError);
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
  });

  test('a JS exception in backward surfaces from backward() and autograd.grad, also on the helper thread', () => {
    class Boom extends Function {
      static forward(_ctx: Ctx, a: torch.Tensor): torch.Tensor {
        return a.mul(2);
      }
      static backward(): torch.Tensor {
        throw new RangeError('boom in backward');
      }
    }
    const x = f64([1]);
    expect(() => Boom.apply(x).sum().backward()).toThrow(RangeError);
    expect(() => torch.autograd.grad(Boom.apply(x).sum(), x)).toThrow('boom in backward');
    native.setEngineOnHelperThread(true);
    try {
      expect(() => Boom.apply(x).sum().backward()).toThrow(RangeError);
    } finally {
      native.setEngineOnHelperThread(false);
    }
  });

  test('wrong gradient count or shape: PyTorch messages', () => {
    class TooFew extends Function {
      static forward(_ctx: Ctx, a: torch.Tensor, b: torch.Tensor): torch.Tensor {
        return a.add(b);
      }
      static backward(_ctx: Ctx, g: torch.Tensor): torch.Tensor[] {
        return [g];
      }
    }
    const a = f64([1]), b = f64([2]);
    expect(() => TooFew.apply(a, b).backward()).toThrow('function TooFewBackward returned an incorrect number of gradients (expected 2, got 1)');
    class BadShape extends Function {
      static forward(_ctx: Ctx, a: torch.Tensor): torch.Tensor {
        return a.clone();
      }
      static backward(): torch.Tensor {
        return torch.ones([3], { dtype: torch.float64 });
      }
    }
    expect(() => BadShape.apply(f64([1, 2])).sum().backward()).toThrow(/returned an invalid gradient at index 0/);
    class NoBackward extends Function {
      static forward(_ctx: Ctx, a: torch.Tensor): torch.Tensor {
        return a.clone();
      }
    }
    expect(() => NoBackward.apply(f64([1])).sum().backward()).toThrow(/must implement either the backward/);
  });

  test('double backward through a custom Function whose backward uses differentiable ops', () => {
    const x = f64([0.3, -0.4]);
    const [g] = torch.autograd.grad(MyExp.apply(x).sum(), x, { createGraph: true });
    const [gg] = torch.autograd.grad(g!.sum(), x);
    expect(gg!.sub(x.detach().exp()).abs().max().item()).toBeLessThan(1e-15);
  });
});
