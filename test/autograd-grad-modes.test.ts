// torch.autograd.grad (incl. double backward) and tensor hooks against PyTorch; noGrad / enableGrad /
// inferenceMode in sync and async forms (the mode holds across awaits and does not leak into
// concurrent code).
import * as torch from '../lib';
import { messageOf } from './helpers/errors';
import { runPython } from './helpers/python';

const f64 = (data: number[], requiresGrad = true): torch.Tensor => torch.tensor(data, { dtype: torch.float64, requiresGrad });
const L = (t: torch.Tensor | null): unknown => (t === null ? null : t.tolist());

describe('autograd.grad against PyTorch', () => {
  const X = [0.3, -1.2, 0.8], Y = [1.5, 0.4, -0.6];
  const py = runPython<Record<string, unknown>>(`
d = torch.float64
x = torch.tensor(${JSON.stringify(X)}, dtype=d, requires_grad=True)
y = torch.tensor(${JSON.stringify(Y)}, dtype=d, requires_grad=True)
f = (x.pow(3) * y).sum() + torch.sin(x * y).sum()
gx, gy = torch.autograd.grad(f, (x, y), create_graph=True)
hx, hy = torch.autograd.grad(gx.sum(), (x, y), create_graph=True)
hxx, = torch.autograd.grad((hx * y).sum(), x)
v = torch.tensor([1.0, -2.0, 0.5], dtype=d)
jv, = torch.autograd.grad(torch.tanh(x) * y, x, grad_outputs=v)
u = torch.tensor([0.1, 0.2, 0.3], dtype=d, requires_grad=True)
gu = torch.autograd.grad((x * 2).sum(), (x, u), allow_unused=True)
z = x.exp()
hooked = []
h1 = x.register_hook(lambda g: hooked.append(g.tolist()))
h2 = z.register_hook(lambda g: g * 10)
(z * y).sum().backward()
gx_hooked = x.grad.tolist()
h2.remove(); x.grad = None
(x.exp() * y).sum().backward()
result = dict(gx=gx.tolist(), gy=gy.tolist(), hx=hx.tolist(), hy=hy.tolist(), hxx=hxx.tolist(), jv=jv.tolist(),
  gu=[gu[0].tolist(), gu[1]], hooked=hooked, gx_hooked=gx_hooked, gx_after_remove=x.grad.tolist(),
  hxFn=type(hx.grad_fn).__name__)
bx, by = x.detach().requires_grad_(), y.detach().requires_grad_()
torch.autograd.backward([torch.tanh(bx) * by, (bx * by).sum()], [v, None])
result.update(bx=bx.grad.tolist(), by=by.grad.tolist())
ix, iy = x.detach().requires_grad_(), y.detach().requires_grad_()
m = ix * iy
(torch.sin(m) * iy).sum().backward(inputs=[iy, m])
result.update(in_x=ix.grad, in_y=iy.grad.tolist(), in_m=m.grad.tolist())
`);

  test('first, second and third order gradients, gradOutputs, allowUnused', () => {
    const x = f64(X), y = f64(Y);
    const f = x.pow(3).mul(y).sum().add(torch.sin(x.mul(y)).sum());
    const [gx, gy] = torch.autograd.grad(f, [x, y], { createGraph: true });
    const [hx, hy] = torch.autograd.grad(gx!.sum(), [x, y], { createGraph: true });
    const [hxx] = torch.autograd.grad(hx!.mul(y).sum(), x);
    const [jv] = torch.autograd.grad(torch.tanh(x).mul(y), x, { gradOutputs: [f64([1, -2, 0.5], false)] });
    const u = f64([0.1, 0.2, 0.3]);
    const gu = torch.autograd.grad(x.mul(2).sum(), [x, u], { allowUnused: true });
    const got = { gx: L(gx), gy: L(gy), hx: L(hx), hy: L(hy), hxx: L(hxx), jv: L(jv), gu: gu.map(L) };
    for (const k of Object.keys(got) as (keyof typeof got)[]) {
      const a = (got[k] as unknown[]).flat(2) as (number | null)[];
      const b = (py[k] as unknown[]).flat(2) as (number | null)[];
      expect(a.length).toBe(b.length);
      a.forEach((v, i) => (v === null ? expect(b[i]).toBeNull() : expect(Math.abs(v - (b[i] as number))).toBeLessThan(1e-12)));
    }
    expect(hx!.gradFn!.name()).toBe(py.hxFn);
    expect(x.grad).toBeNull(); // autograd.grad leaves .grad alone
  });

  test('autograd.backward: one pass from several roots (gradient or implicit ones) accumulates into .grad', () => {
    const x = f64(X), y = f64(Y);
    torch.autograd.backward([torch.tanh(x).mul(y), x.mul(y).sum()], [f64([1, -2, 0.5], false), null]);
    for (const [got, want] of [[x.grad, py.bx], [y.grad, py.by]] as unknown as [torch.Tensor, number[]][]) {
      (got.tolist() as number[]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-12));
    }
    expect(() => torch.autograd.backward([x.mul(2)], null)).toThrow('grad can be implicitly created only for scalar outputs');
    expect(() => torch.autograd.backward([x.sum()], [])).toThrow(/one gradient per tensor/);
  });

  test('backward({ inputs }) accumulates into those tensors only, a non-leaf among them', () => {
    const x = f64(X), y = f64(Y);
    const m = x.mul(y);
    torch.sin(m).mul(y).sum().backward(null, { inputs: [y, m] });
    expect(x.grad).toBe(py.in_x); // null: x was not among the inputs
    for (const [got, want] of [[y.grad, py.in_y], [m.grad, py.in_m]] as unknown as [torch.Tensor, number[]][]) {
      (got.tolist() as number[]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-12));
    }
    const z = f64(X);
    torch.autograd.backward(z.mul(z).sum(), null, { inputs: z }); // one tensor, as Python allows
    expect(z.grad!.tolist()).toEqual(X.map((v) => 2 * v));
    expect(() => z.sum().backward(null, { inputs: [] })).toThrow("'inputs' argument to backward() cannot be empty.");
    expect(() => z.sum().backward(null, { retain_graph: true } as never)).toThrow("backward() got an unexpected keyword argument 'retain_graph'");
    expect(() => torch.autograd.grad(z.sum(), z, { allow_unused: true } as never)).toThrow(/grad\(\) got an unexpected keyword argument 'allow_unused'/);
  });

  test('errors as in PyTorch', () => {
    const x = f64([1, 2]);
    expect(() => torch.autograd.grad(x.mul(2).sum(), [x, f64([1])])).toThrow(/One of the differentiated Tensors appears to not have been used in the graph/);
    expect(() => torch.autograd.grad(x.mul(2), x)).toThrow('grad can be implicitly created only for scalar outputs');
    const y = x.exp().sum();
    torch.autograd.grad(y, x);
    expect(() => torch.autograd.grad(y, x)).toThrow(/Trying to backward through the graph a second time/);
    expect(() => torch.autograd.grad(x.sum(), x, { gradOutputs: [] })).toThrow(torch.TorchError);
  });

  test('registerHook: observe, replace, remove (leaf and non-leaf) like PyTorch', () => {
    const x = f64(X), y = f64(Y, false);
    const z = x.exp();
    const hooked: unknown[] = [];
    x.registerHook((g) => {
      hooked.push(g.tolist());
    });
    const h2 = z.registerHook((g) => g.mul(10));
    z.mul(y).sum().backward();
    expect(x.grad!.tolist()).toEqual(py.gx_hooked);
    h2.remove();
    h2.remove();
    x.grad = null;
    x.exp().mul(y).sum().backward();
    expect(x.grad!.tolist()).toEqual(py.gx_after_remove);
    expect(hooked).toEqual(py.hooked); // the leaf's hook saw both backward passes
    expect(() => f64([1], false).registerHook((g) => g)).toThrow(/doesn't require gradient/);
    const w = f64([1]);
    w.registerHook(() => {
      throw new Error('hook failed');
    });
    expect(() => w.mul(2).sum().backward()).toThrow('hook failed');
  });
});

describe('autograd.grad: Python positional arguments, onlyInputs, isGradsBatched', () => {
  const X = [0.3, -1.2, 0.8];
  const py = runPython<Record<string, unknown>>(`
import warnings
d = torch.float64
x = torch.tensor(${JSON.stringify(X)}, dtype=d, requires_grad=True)
u = x.pow(3)
g, = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)
gg, = torch.autograd.grad(g.sum(), x)
v = torch.tensor([1.0, -2.0, 0.5], dtype=d)
pos, = torch.autograd.grad(x.sin() * x, x, v, None, True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    oi, = torch.autograd.grad((x * x).sum(), x, None, None, False, False)
y = x.sin() * x
rows, = torch.autograd.grad(y, x, torch.eye(3, dtype=d), retain_graph=True, is_grads_batched=True)
z = torch.tensor([1.0, 2.0], dtype=d, requires_grad=True)
two = torch.autograd.grad((y, (x * 2).sum()), (x, z), (torch.eye(3, dtype=d)[:2], torch.tensor([1.0, 3.0], dtype=d)),
                          retain_graph=True, allow_unused=True, is_grads_batched=True)
hrows, = torch.autograd.grad(x.pow(3), x, torch.eye(3, dtype=d), create_graph=True, is_grads_batched=True)
hh, = torch.autograd.grad(hrows.sum(), x)
result = dict(g=g.tolist(), gg=gg.tolist(), pos=pos.tolist(), oi=oi.tolist(), warn=str(w[0].message), rows=rows.tolist(),
  two=[two[0].tolist(), two[1]], hrows=hrows.tolist(), hh=hh.tolist(),
  batch_shape=err(lambda: torch.autograd.grad(y, x, torch.ones(2, 2, dtype=d), retain_graph=True, is_grads_batched=True)),
  batch_none=err(lambda: torch.autograd.grad((y, x.detach()), x, (torch.eye(3, dtype=d), None), retain_graph=True, is_grads_batched=True)),
  batch_sizes=err(lambda: torch.autograd.grad((y, y * 2), x, (torch.eye(3, dtype=d), torch.ones(2, 3, dtype=d)), retain_graph=True, is_grads_batched=True)),
  batch_scalar=err(lambda: torch.autograd.grad(y.sum(), x, None, retain_graph=True, is_grads_batched=True)),
  shape=err(lambda: torch.autograd.grad(y, x, torch.ones(3, 2, dtype=d), retain_graph=True)),
  dtype=err(lambda: torch.autograd.grad(y, x, torch.ones(3, dtype=torch.complex128), retain_graph=True)))
`);
  const f64 = (data: number[]): torch.Tensor => torch.tensor(data, { dtype: torch.float64 });
  const close = (got: unknown, want: unknown): void => {
    const a = [got].flat(3) as number[], b = [want].flat(3) as number[];
    expect(a.length).toBe(b.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-12));
  };

  test('gradOutputs, retainGraph, createGraph, onlyInputs positionally, as Python', () => {
    const x = f64(X).requiresGrad_();
    const u = x.pow(3);
    const [g] = torch.autograd.grad(u, x, torch.onesLike(u), { createGraph: true });
    close(g.tolist(), py.g);
    const gg: torch.Tensor = torch.autograd.grad(g.sum(), x)[0]; // Tensor[] without allowUnused: no null
    close(gg.tolist(), py.gg);
    const [pos] = torch.autograd.grad(x.sin().mul(x), x, f64([1.0, -2.0, 0.5]), null, true);
    close(pos.tolist(), py.pos);
    expect(() => torch.autograd.grad(x.sum(), x, null, { gradOutputs: null })).toThrow("grad() got multiple values for argument 'gradOutputs'");
    expect(() => torch.autograd.grad(x.sum(), x, null, null, false, true, false, false, 1 as never)).toThrow(
      'grad() takes from 2 to 8 positional arguments but 9 were given',
    );
    const unused = torch.autograd.grad(x.sum(), [x, f64([1]).requiresGrad_()], { allowUnused: true });
    // @ts-expect-error with allowUnused the entries may be null
    const notNull: torch.Tensor = unused[1];
    expect(notNull).toBeNull();
  });

  test('onlyInputs: false warns as Python and is ignored', () => {
    const warnings: string[] = [];
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
    try {
      const x = f64(X).requiresGrad_();
      const [oi] = torch.autograd.grad(x.mul(x).sum(), x, null, null, false, false);
      close(oi.tolist(), py.oi);
      torch.autograd.grad(x.mul(x).sum(), x, { onlyInputs: true });
    } finally {
      emit.mockRestore();
    }
    expect(warnings).toEqual([py.warn]);
  });

  test('isGradsBatched: one vector-Jacobian product per entry of the first dimension, stacked', () => {
    const x = f64(X).requiresGrad_();
    const y = x.sin().mul(x);
    const [rows] = torch.autograd.grad(y, x, torch.eye(3, { dtype: torch.float64 }), { retainGraph: true, isGradsBatched: true });
    expect(rows.shape).toEqual([3, 3]);
    close(rows.tolist(), py.rows);
    const z = f64([1.0, 2.0]).requiresGrad_();
    const two = torch.autograd.grad([y, x.mul(2).sum()], [x, z], [torch.eye(3, { dtype: torch.float64 }).narrow(0, 0, 2), f64([1.0, 3.0])], {
      retainGraph: true, allowUnused: true, isGradsBatched: true,
    });
    close(two[0]!.tolist(), (py.two as unknown[])[0]);
    expect(two[1]).toBe((py.two as unknown[])[1]);
    const [hrows] = torch.autograd.grad(x.pow(3), x, torch.eye(3, { dtype: torch.float64 }), { createGraph: true, isGradsBatched: true });
    close(hrows.tolist(), py.hrows);
    // differentiable (its grad_fn is the stack of the rows here, where Python's vmap gives MulBackward0)
    expect(hrows.requiresGrad).toBe(true);
    close(torch.autograd.grad(hrows.sum(), x)[0].tolist(), py.hh);
  });

  test("gradOutputs checks raise Python's messages", () => {
    const x = f64(X).requiresGrad_();
    const y = x.sin().mul(x);
    expect(messageOf(() => torch.autograd.grad(y, x, torch.ones([2, 2], { dtype: torch.float64 }), { retainGraph: true, isGradsBatched: true }))).toBe(py.batch_shape);
    expect(messageOf(() => torch.autograd.grad([y, x.detach()], x, [torch.eye(3, { dtype: torch.float64 }), null], { retainGraph: true, isGradsBatched: true }))).toBe(py.batch_none);
    expect(messageOf(() => torch.autograd.grad([y, y.mul(2)], x, [torch.eye(3, { dtype: torch.float64 }), torch.ones([2, 3], { dtype: torch.float64 })], { retainGraph: true, isGradsBatched: true }))).toBe(py.batch_sizes);
    expect(messageOf(() => torch.autograd.grad(y.sum(), x, null, { retainGraph: true, isGradsBatched: true }))).toBe(py.batch_scalar);
    expect(messageOf(() => torch.autograd.grad(y, x, torch.ones([3, 2], { dtype: torch.float64 }), { retainGraph: true }))).toBe(py.shape);
    expect(messageOf(() => torch.autograd.grad(y, x, torch.ones([3], { dtype: torch.complex128 }), { retainGraph: true }))).toBe(py.dtype);
  });
});

describe('grad modes, sync', () => {
  test('noGrad / enableGrad / inferenceMode nest and restore, also after a throw', () => {
    const x = f64([1]);
    expect(torch.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(torch.noGrad(() => torch.enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    expect(() => torch.noGrad(() => {
      throw new Error('x');
    })).toThrow('x');
    expect(torch.isGradEnabled()).toBe(true);
    const t = torch.inferenceMode(() => {
      expect(torch.isInferenceModeEnabled()).toBe(true);
      expect(torch.isGradEnabled()).toBe(false);
      const inner = torch.inferenceMode(false, () => [torch.isInferenceModeEnabled(), torch.isGradEnabled(), torch.ones([1]).isInference()]);
      expect(inner).toEqual([false, true, false]);
      return x.mul(2);
    });
    expect(t.isInference()).toBe(true);
    expect(t.requiresGrad).toBe(false);
    expect(x.isInference()).toBe(false);
    expect(torch.isInferenceModeEnabled()).toBe(false);
    expect(() => t.add_(1)).toThrow(/Inplace update to inference tensor outside InferenceMode/);
    torch.setGradEnabled(false);
    expect(x.mul(2).requiresGrad).toBe(false);
    torch.setGradEnabled(true);
  });
});

describe('grad modes, async', () => {
  const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

  test('the mode holds across awaits and does not leak into concurrent scopes or outside code', async () => {
    const x = f64([1]);
    const log: string[] = [];
    const a = torch.noGrad(async () => {
      for (let i = 0; i < 4; i++) {
        log.push(`a${i}:${torch.isGradEnabled()}:${x.mul(2).requiresGrad}`);
        await tick(1);
      }
      return x.mul(3);
    });
    const b = torch.inferenceMode(async () => {
      for (let i = 0; i < 4; i++) {
        log.push(`b${i}:${torch.isGradEnabled()}:${torch.isInferenceModeEnabled()}`);
        await Promise.resolve();
        await tick(0);
      }
      return torch.ones([1]);
    });
    const outside = (async () => {
      for (let i = 0; i < 4; i++) {
        log.push(`o${i}:${torch.isGradEnabled()}:${torch.isInferenceModeEnabled()}`);
        await tick(1);
      }
    })();
    expect(torch.isGradEnabled()).toBe(true);
    const [ra, rb] = await Promise.all([a, b, outside]);
    expect(ra.requiresGrad).toBe(false);
    expect(rb.isInference()).toBe(true);
    for (const line of log) {
      if (line.startsWith('a')) expect(line.slice(3)).toBe('false:false');
      if (line.startsWith('b')) expect(line.slice(3)).toBe('false:true');
      if (line.startsWith('o')) expect(line.slice(3)).toBe('true:false');
    }
    expect(log.length).toBe(12);
    expect(torch.isGradEnabled()).toBe(true);
    expect(torch.isInferenceModeEnabled()).toBe(false);
  });

  test('nested async scopes, setGradEnabled inside a scope, rejection restores', async () => {
    const r = await torch.noGrad(async () => {
      await tick();
      const inner = await torch.enableGrad(async () => {
        await tick();
        return torch.isGradEnabled();
      });
      const after = torch.isGradEnabled();
      torch.setGradEnabled(true);
      await tick();
      return [inner, after, torch.isGradEnabled()];
    });
    expect(r).toEqual([true, false, true]);
    await expect(torch.noGrad(async () => {
      await tick();
      throw new Error('inside');
    })).rejects.toThrow('inside');
    expect(torch.isGradEnabled()).toBe(true);
    // a sync scope while async scopes are pending
    const pending = torch.noGrad(async () => tick(2));
    expect(torch.enableGrad(() => torch.isGradEnabled())).toBe(true);
    expect(torch.noGrad(() => torch.isGradEnabled())).toBe(false);
    await pending;
    expect(torch.isGradEnabled()).toBe(true);
  });
});
