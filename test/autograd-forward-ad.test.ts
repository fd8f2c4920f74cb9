// Forward-mode AD (torch.autograd.forwardAd, Python's torch.autograd.forward_ad) against PyTorch
// 1.13: tangents of aten ops and of nn.functional calls, dualLevel in sync and async forms,
// unpackDual's named tuple, the level bookkeeping and its errors.
import * as torch from '../lib';
import { messageOf } from './helpers/errors';
import { runPython } from './helpers/python';

const fwAD = torch.autograd.forwardAd;
const F = torch.nn.functional;
type T = torch.Tensor;
const f64 = (data: number[] | number[][]): T => torch.tensor(data, { dtype: torch.float64 });

function expectClose(got: unknown, want: unknown, path = 'tangent'): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got) ? (got as unknown[]).length : got).toBe(want.length);
    want.forEach((w, i) => expectClose((got as unknown[])[i], w, `${path}[${i}]`));
    return;
  }
  if (typeof want === 'number') {
    if (!(typeof got === 'number' && Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)))) expect(`${path}: ${got}`).toBe(`${path}: ${want}`);
    return;
  }
  expect(got).toEqual(want);
}

const X = [[0.3, -1.2, 0.8], [0.5, 0.1, -0.4]];
const TX = [[1.0, 0.5, -0.5], [0.25, -2.0, 1.0]];
const W = [[0.2, -0.4, 0.6], [-0.1, 0.9, 0.05], [0.3, 0.3, -0.7], [1.0, -0.2, 0.1]];
const TW = [[0.1, 0.0, -0.1], [0.2, 0.3, 0.0], [-0.5, 0.1, 0.4], [0.0, 0.0, 1.0]];
const B = [0.1, -0.3, 0.2, 0.0];

// [name, Python expression of x (dual), w (dual), b (plain), JS function]
const CASES: [string, string, (x: T, w: T, b: T) => T][] = [
  ['sin*x', 'x.sin() * x', (x) => x.sin().mul(x)],
  ['exp.sum', 'x.exp().sum(1)', (x) => x.exp().sum(1)],
  ['matmul', 'x @ w.t()', (x, w) => x.matmul(w.t())],
  ['pow/div', 'x.pow(3) / (w[:2] + 2)', (x, w) => x.pow(3).div(w.narrow(0, 0, 2).add(2))],
  ['tanh.mean', 'torch.tanh(x).mean()', (x) => torch.tanh(x).mean()],
  ['F.linear', 'F.linear(x, w, b)', (x, w, b) => F.linear(x, w, b)],
  ['F.relu(linear)', 'F.relu(F.linear(x, w, b))', (x, w, b) => F.relu(F.linear(x, w, b))],
  ['F.gelu', 'F.gelu(x)', (x) => F.gelu(x)],
  ['F.softmax', 'F.softmax(x, dim=1)', (x) => F.softmax(x, 1)],
  ['F.logSoftmax', 'F.log_softmax(x @ w.t(), dim=-1)', (x, w) => F.logSoftmax(x.matmul(w.t()), -1)],
  ['F.mseLoss', 'F.mse_loss(x, torch.ones_like(x))', (x) => F.mseLoss(x, torch.onesLike(x))],
  ['F.layerNorm', 'F.layer_norm(x, [3])', (x) => F.layerNorm(x, [3])],
];

describe('forward-mode AD against PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F
d = torch.float64
X = torch.tensor(${JSON.stringify(X)}, dtype=d); TX = torch.tensor(${JSON.stringify(TX)}, dtype=d)
W = torch.tensor(${JSON.stringify(W)}, dtype=d); TW = torch.tensor(${JSON.stringify(TW)}, dtype=d)
b = torch.tensor(${JSON.stringify(B)}, dtype=d)
result = {}
with fwAD.dual_level() as level:
    x = fwAD.make_dual(X, TX); w = fwAD.make_dual(W, TW)
    for name, expr in ${JSON.stringify(CASES.map(([n, e]) => [n, e]))}:
        p, t = fwAD.unpack_dual(eval(expr))
        result[name] = [p.tolist(), t.tolist()]
    result['level'] = level
    result['plain'] = str(fwAD.unpack_dual(X * 2))
    result['nested'] = err(lambda: fwAD.enter_dual_level())
    result['exit_other'] = err(lambda: fwAD.exit_dual_level(level=3))
    result['size'] = err(lambda: fwAD.make_dual(X, TW))
    result['int'] = err(lambda: fwAD.make_dual(torch.ones(2, dtype=torch.long), torch.ones(2)))
    result['int_tangent'] = err(lambda: fwAD.make_dual(torch.ones(2), torch.ones(2, dtype=torch.long)))
    result['twice'] = err(lambda: fwAD.make_dual(x, TX))
    result['bad_level'] = err(lambda: fwAD.make_dual(X, TX, level=5))
    result['bad_unpack_level'] = err(lambda: fwAD.unpack_dual(x, level=4))
    kept = x * 3
    result['explicit_level'] = fwAD.unpack_dual(kept, level=0).tangent.tolist()
result['after_exit'] = str(fwAD.unpack_dual(kept))
result['no_level'] = err(lambda: fwAD.make_dual(X, TX))
result['exit_none'] = err(lambda: fwAD.exit_dual_level())
l0 = fwAD.enter_dual_level()
y = fwAD.make_dual(X, TX)
t = fwAD.unpack_dual(y.cos()).tangent.tolist()
fwAD.exit_dual_level()
result['manual'] = [l0, t]
# backward through make_dual / unpack_dual
xr = X.clone().requires_grad_()
with fwAD.dual_level():
    p, tt = fwAD.unpack_dual(fwAD.make_dual(xr, TX).sin())
    g, = torch.autograd.grad((p * tt).sum(), xr)
result['backward'] = g.tolist()
`);

  test.each(CASES)('%s: primal and tangent', (name, _expr, fn) => {
    fwAD.dualLevel(() => {
      const x = fwAD.makeDual(f64(X), f64(TX));
      const w = fwAD.makeDual(f64(W), f64(TW));
      const { primal, tangent } = fwAD.unpackDual(fn(x, w, f64(B)));
      expect(tangent).not.toBeNull();
      expectClose([primal.tolist(), tangent!.tolist()], py[name], name);
    });
  });

  test('dualLevel returns fn(level); unpackDual is a named tuple; outside a level there is no tangent', () => {
    let kept: T | undefined;
    const r = fwAD.dualLevel((level) => {
      expect(level).toBe(py.level);
      const x = fwAD.makeDual(f64(X), f64(TX));
      const u = fwAD.unpackDual(x.mul(3));
      const [p, t] = u;
      expect(u.primal).toBe(p);
      expect(u.tangent).toBe(t);
      expect(u.length).toBe(2);
      expect(String(fwAD.unpackDual(f64(X).mul(2)))).toBe(py.plain);
      kept = x.mul(3);
      expectClose(fwAD.unpackDual(kept, { level: 0 }).tangent!.tolist(), py.explicit_level);
      return 'done';
    });
    expect(r).toBe('done');
    expect(String(fwAD.unpackDual(kept!))).toBe(py.after_exit);
    expect(fwAD.unpackDual(kept!).tangent).toBeNull();
  });

  test('enterDualLevel / exitDualLevel by hand', () => {
    const level = fwAD.enterDualLevel();
    try {
      const y = fwAD.makeDual(f64(X), f64(TX));
      expectClose([level, fwAD.unpackDual(y.cos()).tangent!.tolist()], py.manual);
    } finally {
      fwAD.exitDualLevel();
    }
  });

  test('makeDual and unpackDual are backward differentiable', () => {
    const xr = f64(X).requiresGrad_();
    const g = fwAD.dualLevel(() => {
      const [p, t] = fwAD.unpackDual(fwAD.makeDual(xr, f64(TX)).sin());
      return torch.autograd.grad(p.mul(t!).sum(), xr)[0];
    });
    expectClose(g.tolist(), py.backward);
  });

  test('an async fn keeps its level across awaits; the level exits when it settles, also on errors', async () => {
    const t = await fwAD.dualLevel(async () => {
      const x = fwAD.makeDual(f64(X), f64(TX));
      await new Promise((r) => setTimeout(r, 5));
      return fwAD.unpackDual(x.sin().mul(x)).tangent!;
    });
    expectClose(t.tolist(), (py['sin*x'] as unknown[])[1]);
    // the level is gone: a new one can be entered
    expect(fwAD.dualLevel((l) => l)).toBe(0);
    await expect(
      fwAD.dualLevel(async () => {
        await Promise.resolve();
        throw new Error('inside');
      }),
    ).rejects.toThrow('inside');
    expect(() => fwAD.dualLevel(() => {
      throw new Error('sync inside');
    })).toThrow('sync inside');
    expect(fwAD.dualLevel((l) => l)).toBe(0);
  });

  test("level errors are TorchErrors with PyTorch's messages", () => {
    expect(messageOf(() => fwAD.makeDual(f64(X), f64(TX)))).toBe(py.no_level);
    expect(messageOf(() => fwAD.exitDualLevel())).toBe(py.exit_none);
    fwAD.dualLevel(() => {
      const x = fwAD.makeDual(f64(X), f64(TX));
      expect(messageOf(() => fwAD.enterDualLevel())).toBe(py.nested);
      expect(messageOf(() => fwAD.exitDualLevel({ level: 3 }))).toBe(py.exit_other);
      expect(messageOf(() => fwAD.makeDual(f64(X), f64(TW)))).toBe(py.size);
      expect(messageOf(() => fwAD.makeDual(torch.ones([2], { dtype: torch.int64 }), torch.ones([2])))).toBe(py.int);
      expect(messageOf(() => fwAD.makeDual(torch.ones([2]), torch.ones([2], { dtype: torch.int64 })))).toBe(py.int_tangent);
      expect(messageOf(() => fwAD.makeDual(x, f64(TX)))).toBe(py.twice);
      expect(messageOf(() => fwAD.makeDual(f64(X), f64(TX), { level: 5 }))).toBe(py.bad_level);
      expect(messageOf(() => fwAD.unpackDual(x, { level: 4 }))).toBe(py.bad_unpack_level);
      expect(messageOf(() => fwAD.makeDual(f64(X), f64(TX), { lvl: 0 } as never))).toBe("make_dual() got an unexpected keyword argument 'lvl'");
    });
    // the failed nested enter left the bookkeeping intact
    expect(fwAD.dualLevel((l) => l)).toBe(0);
  });

  test('forward-mode tangents equal functional.jvp', () => {
    const f = (x: T): T => F.gelu(x).mul(x.exp()).sum(0);
    const [, viaDoubleBackward] = torch.autograd.functional.jvp(f, f64(X), f64(TX));
    const viaForward = fwAD.dualLevel(() => fwAD.unpackDual(f(fwAD.makeDual(f64(X), f64(TX)))).tangent!);
    expectClose(viaForward.tolist(), viaDoubleBackward.tolist());
  });
});
