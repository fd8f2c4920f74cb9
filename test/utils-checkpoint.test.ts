// torch.utils.checkpoint and the RNG state it preserves, against PyTorch 1.13 (golden values from
// Python in this run): RNG state bytes, checkpoint of a dropout MLP (values and every gradient, float64),
// multiple outputs, non-tensor arguments, checkpointSequential, useReentrant false, autocast, errors and
// warnings; densenet121's memoryEfficient (same gradients as without, less memory, torchvision's
// gradients on the same weights).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { runPythonShared as runPython } from './helpers/python-session';

const { checkpoint, checkpointSequential } = torch.utils.checkpoint;
const ROOT = path.join(__dirname, '..');
const F = torch.nn.functional;
const f64 = torch.float64;
type Nested = ReturnType<torch.Tensor['tolist']>;
const list = (t: torch.Tensor | null): Nested | null => (t === null ? null : t.tolist());
const bytes = (t: torch.Tensor): number[] => Array.from(t.toTypedArray() as Uint8Array);

/** max |a - b| over max(|b|, tiny): a relative error for whole tensors */
function relError(a: torch.Tensor, b: torch.Tensor): number {
  const scale = Math.max(b.abs().max().item() as number, 1e-30);
  return (a.sub(b).abs().max().item() as number) / scale;
}

function expectClose(got: Nested | null, want: Nested | null, tol = 1e-10): void {
  if (want === null || got === null) {
    expect(got).toEqual(want);
    return;
  }
  const a = torch.tensor(got as number[], { dtype: f64 });
  const b = torch.tensor(want as number[], { dtype: f64 });
  expect(a.shape).toEqual(b.shape);
  expect(relError(a, b)).toBeLessThanOrEqual(tol);
}

function catchWarnings<T>(fn: () => T): [T, string[]] {
  const seen: string[] = [];
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => {
    seen.push(String(w instanceof Error ? w.message : w));
  });
  try {
    return [fn(), seen];
  } finally {
    spy.mockRestore();
  }
}

describe('RNG state', () => {
  const SEEDS = [0, 2 ** 40 + 7];
  const py = runPython<{
    states: Record<string, [number[], number[]]>;
    afterSet: number[];
    state5: number[];
    generator: number[];
    generatorDraw: number[];
    errors: string[];
  }>(`
states = {}
for s in [${SEEDS.join(', ')}]:
    torch.manual_seed(s)
    fresh = torch.get_rng_state().tolist()
    torch.randn(3); torch.rand(2, dtype=torch.float64)   # a cached normal sample is part of the state
    states[str(s)] = [fresh, torch.get_rng_state().tolist()]
torch.manual_seed(5); torch.randn(5)
state5 = torch.get_rng_state()
torch.manual_seed(123)
torch.set_rng_state(state5)
after_set = torch.randn(4, dtype=torch.float64).tolist()
g = torch.Generator().manual_seed(11)
gstate = g.get_state().tolist()
gdraw = torch.randn(3, generator=g).tolist()
errors = [err(lambda: torch.set_rng_state(torch.zeros(5056))), err(lambda: torch.set_rng_state(torch.zeros(10, dtype=torch.uint8)))]
result = {"states": states, "afterSet": after_set, "state5": state5.tolist(), "generator": gstate, "generatorDraw": gdraw, "errors": errors}
`);

  test.each(SEEDS)('getRngState bytes equal Python after manualSeed(%d) and after draws', (seed) => {
    torch.manualSeed(seed);
    const fresh = torch.getRngState();
    expect(fresh.dtype).toBe(torch.uint8);
    expect(fresh.shape).toEqual([py.states[String(seed)][0].length]);
    expect(bytes(fresh)).toEqual(py.states[String(seed)][0]);
    torch.randn(3);
    torch.rand(2, { dtype: f64 });
    expect(bytes(torch.getRngState())).toEqual(py.states[String(seed)][1]);
  });

  test("setRngState takes Python's state and reproduces the same randn", () => {
    torch.manualSeed(99);
    torch.setRngState(torch.tensor(py.state5, { dtype: torch.uint8 }));
    expect(torch.randn(4, { dtype: f64 }).tolist()).toEqual(py.afterSet);
    // round trip of our own state
    torch.manualSeed(3);
    torch.randn(7);
    const s = torch.getRngState();
    const a = torch.randn(5).tolist();
    torch.randn(100);
    torch.setRngState(s);
    expect(torch.randn(5).tolist()).toEqual(a);
    expect(torch.random.getRngState).toBe(torch.getRngState);
  });

  test('Generator.getState / setState', () => {
    const g = new torch.Generator().manualSeed(11);
    expect(bytes(g.getState())).toEqual(py.generator);
    const s = g.getState();
    expect(torch.randn(3, { generator: g }).tolist()).toEqual(py.generatorDraw);
    expect(g.setState(s)).toBe(g);
    expect(torch.randn(3, { generator: g }).tolist()).toEqual(py.generatorDraw);
    // a state moves between generators, and leaves the default generator alone
    torch.manualSeed(1);
    const before = bytes(torch.getRngState());
    new torch.Generator().setState(s);
    expect(bytes(torch.getRngState())).toEqual(before);
  });

  test("bad states raise PyTorch's errors", () => {
    expect(() => torch.setRngState(torch.zeros(5056))).toThrow(py.errors[0]);
    expect(() => torch.setRngState(torch.zeros(10, { dtype: torch.uint8 }))).toThrow(py.errors[1]);
    expect(() => torch.setRngState(null as unknown as torch.Tensor)).toThrow(torch.TorchError);
  });

  test('forkRng restores the state after fn (sync, async, and not when disabled)', async () => {
    torch.manualSeed(4);
    const expected = torch.rand(3).tolist();
    torch.manualSeed(4);
    const inner = torch.random.forkRng({ devices: [] }, () => torch.rand(10).sum().item());
    expect(typeof inner).toBe('number');
    expect(torch.rand(3).tolist()).toEqual(expected);

    torch.manualSeed(4);
    await torch.random.forkRng(async () => {
      torch.rand(5);
      await new Promise((r) => setTimeout(r, 1));
      torch.rand(5);
    });
    expect(torch.rand(3).tolist()).toEqual(expected);

    torch.manualSeed(4);
    expect(() =>
      torch.random.forkRng(() => {
        torch.rand(5);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(torch.rand(3).tolist()).toEqual(expected);

    torch.manualSeed(4);
    torch.random.forkRng({ enabled: false }, () => torch.rand(5));
    expect(torch.rand(3).tolist()).not.toEqual(expected);
  });
});

// ---- checkpoint -----------------------------------------------------------------------------

const PY_BLOCK = `
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
def block(x, scale, w1, b1, w2, act):
    h = F.dropout(torch.tanh(F.linear(x, w1, b1)) * scale, p=0.4, training=True)
    y = F.linear(h, w2)
    return torch.relu(y) if act == 'relu' else y
def params(x_requires_grad=True):
    torch.manual_seed(0)
    w1 = torch.randn(8, 6, dtype=torch.float64, requires_grad=True)
    b1 = torch.randn(8, dtype=torch.float64, requires_grad=True)
    w2 = torch.randn(4, 8, dtype=torch.float64, requires_grad=True)
    x = torch.randn(5, 6, dtype=torch.float64, requires_grad=x_requires_grad)
    return x, w1, b1, w2
def g(t):
    return None if t.grad is None else t.grad.tolist()
def run(x_requires_grad=True, **kw):
    x, w1, b1, w2 = params(x_requires_grad)
    torch.manual_seed(7)
    y = checkpoint(block, x, 1.5, w1, b1, w2, 'relu', **kw)
    between = torch.rand(3).tolist()           # draws between forward and backward
    (y * y).sum().backward()
    after = torch.rand(3).tolist()             # the recomputation must leave the RNG as it found it
    return {"y": y.tolist(), "grads": [g(x), g(w1), g(b1), g(w2)], "between": between, "after": after}
`;

type BlockRun = { y: Nested; grads: (Nested | null)[]; between: Nested; after: Nested };

function block(x: torch.Tensor, scale: number, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, act: string): torch.Tensor {
  const h = F.dropout(torch.tanh(F.linear(x, w1, b1)).mul(scale), { p: 0.4, training: true });
  const y = F.linear(h, w2);
  return act === 'relu' ? torch.relu(y) : y;
}

function params(xRequiresGrad = true): torch.Tensor[] {
  torch.manualSeed(0);
  const w1 = torch.randn(8, 6, { dtype: f64, requiresGrad: true });
  const b1 = torch.randn(8, { dtype: f64, requiresGrad: true });
  const w2 = torch.randn(4, 8, { dtype: f64, requiresGrad: true });
  const x = torch.randn(5, 6, { dtype: f64, requiresGrad: xRequiresGrad });
  return [x, w1, b1, w2];
}

/** The Python run() above, here; `call` runs the block (checkpointed or not). */
function runBlock(call: (fn: typeof block, ...args: Parameters<typeof block>) => torch.Tensor, xRequiresGrad = true): BlockRun {
  const [x, w1, b1, w2] = params(xRequiresGrad);
  torch.manualSeed(7);
  const y = call(block, x, 1.5, w1, b1, w2, 'relu');
  const between = torch.rand(3).tolist();
  y.mul(y).sum().backward();
  const after = torch.rand(3).tolist();
  return { y: y.tolist(), grads: [x, w1, b1, w2].map((t) => list(t.grad)), between, after };
}

function expectSameRun(got: BlockRun, want: BlockRun, tol = 1e-10): void {
  expectClose(got.y, want.y, tol);
  got.grads.forEach((g, i) => expectClose(g, want.grads[i], tol));
  expect(got.between).toEqual(want.between);
  expect(got.after).toEqual(want.after);
}

describe('checkpoint', () => {
  const py = runPython<Record<string, BlockRun> & { warnings: string[]; secondBackward: string; multi: Record<string, unknown> }>(`
${PY_BLOCK}
import warnings
out = {"default": run(), "noRng": run(preserve_rng_state=False), "nonReentrant": run(use_reentrant=False),
       "xNoGrad": run(x_requires_grad=False), "xNoGradNonReentrant": run(x_requires_grad=False, use_reentrant=False)}
x, w1, b1, w2 = params(False)
w1.requires_grad_(False); b1.requires_grad_(False); w2.requires_grad_(False)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    checkpoint(block, x, 1.5, w1, b1, w2, 'relu')
out["warnings"] = [str(w.message) for w in caught]
x, w1, b1, w2 = params()
y = checkpoint(block, x, 1.5, w1, b1, w2, 'relu')
y.sum().backward()
try:
    y.sum().backward()
except RuntimeError as e:
    out["secondBackward"] = str(e)
# multiple outputs, one of them unused, a non-tensor output, an input without grad
def two(x, w, k):
    a = x.matmul(w)
    return a.sin() * k, a.cos(), k
x, w1, b1, w2 = params()
x.requires_grad_(False)
s, c, k = checkpoint(two, x, w1.t(), 3)
(s.pow(2).sum()).backward()
out["multi"] = {"s": s.tolist(), "c": c.tolist(), "k": k, "gx": g(x), "gw": g(w1), "cRequiresGrad": c.requires_grad}
result = out
`);

  test('a dropout MLP: values and all gradients equal PyTorch checkpoint and the plain run', () => {
    const checkpointed = runBlock((fn, ...args) => checkpoint(fn, ...args));
    expectSameRun(checkpointed, py.default);
    const plain = runBlock((fn, ...args) => fn(...args));
    expectSameRun(plain, py.default);
  });

  test('the dropout mask of the recomputation is the forward one (preserveRngState)', () => {
    const masks: torch.Tensor[] = [];
    const recording = (...args: Parameters<typeof block>): torch.Tensor => {
      const y = block(...args);
      masks.push(torch.keep(y.eq(0))); // tensors fn makes are disposed after each run, unless kept
      return y;
    };
    const [x, w1, b1, w2] = params();
    const y = checkpoint(recording, x, 1.5, w1, b1, w2, 'none');
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn?.name()).toBe('CheckpointFunctionBackward');
    const before = bytes(torch.getRngState());
    y.sum().backward();
    expect(bytes(torch.getRngState())).toEqual(before);
    expect(masks.length).toBe(2);
    expect(masks[1].tolist()).toEqual(masks[0].tolist());
  });

  test('preserveRngState false draws a fresh mask, as PyTorch', () => {
    const got = runBlock((fn, ...args) => checkpoint(fn, ...args, { preserveRngState: false }));
    expectSameRun(got, py.noRng);
    expect(got.grads[1]).not.toEqual(py.default.grads[1]);
  });

  test('useReentrant false: same gradients as PyTorch, also to parameters when no input requires grad', () => {
    expectSameRun(runBlock((fn, ...args) => checkpoint(fn, ...args, { useReentrant: false })), py.nonReentrant);
    const noGrad = runBlock((fn, ...args) => checkpoint(fn, ...args, { useReentrant: false }), false);
    expectSameRun(noGrad, py.xNoGradNonReentrant);
    expect(noGrad.grads[1]).not.toBeNull();
  });

  test('inputs not requiring grad get null grads', () => {
    const got = runBlock((fn, ...args) => checkpoint(fn, ...args), false);
    expectSameRun(got, py.xNoGrad);
    expect(got.grads[0]).toBeNull();
  });

  test("PyTorch's warning when no input requires grad", () => {
    const [x, w1, b1, w2] = params(false).map((t) => t.requiresGrad_(false));
    const [y, warnings] = catchWarnings(() => checkpoint(block, x, 1.5, w1, b1, w2, 'relu'));
    expect(warnings).toEqual(py.warnings);
    expect(y.requiresGrad).toBe(false);
  });

  test("a second backward raises PyTorch's error; retainGraph allows it", () => {
    let [x, w1, b1, w2] = params();
    let y = checkpoint(block, x, 1.5, w1, b1, w2, 'relu');
    y.sum().backward();
    const firstSentence = py.secondBackward.split('.')[0];
    expect(() => y.sum().backward()).toThrow(firstSentence);

    [x, w1, b1, w2] = params();
    y = checkpoint(block, x, 1.5, w1, b1, w2, 'relu');
    const loss = y.sum();
    loss.backward(null, { retainGraph: true });
    const once = w1.grad!.clone();
    loss.backward();
    expect(relError(w1.grad!, once.mul(2))).toBeLessThan(1e-12);
  });

  test('multiple outputs, an unused one, a non-tensor output, an input without grad', () => {
    const two = (x: torch.Tensor, w: torch.Tensor, k: number): [torch.Tensor, torch.Tensor, number] => {
      const a = x.matmul(w);
      return [a.sin().mul(k), a.cos(), k];
    };
    const [x, w1] = params();
    x.requiresGrad_(false);
    const [s, c, k] = checkpoint(two, x, w1.t(), 3);
    s.pow(2).sum().backward();
    const m = py.multi as { s: Nested; c: Nested; k: number; gx: null; gw: Nested; cRequiresGrad: boolean };
    expectClose(s.tolist(), m.s);
    expectClose(c.tolist(), m.c);
    expect(k).toBe(m.k);
    expect(c.requiresGrad).toBe(m.cRequiresGrad);
    expect(x.grad).toBeNull();
    expectClose(list(w1.grad), m.gw);
  });

  test('a forward inside torch.tidy still has what its backward needs', () => {
    const [x, w1, b1, w2] = params();
    const loss = torch.tidy(() => checkpoint(block, x, 1.5, w1, b1, w2, 'relu').sum());
    loss.backward();
    expect(w1.grad).not.toBeNull();
  });

  test('a trailing plain object with other keys is an argument, not options', () => {
    const fn = (x: torch.Tensor, o: { factor: number }): torch.Tensor => x.mul(o.factor);
    const x = torch.ones(2, { requiresGrad: true });
    const y = checkpoint(fn, x, { factor: 3 });
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
    expect(() => checkpoint(42 as unknown as () => torch.Tensor)).toThrow(torch.TorchError);
  });

  test('the recomputation runs under the forward autocast state', () => {
    const w = torch.randn(16, 16, { requiresGrad: true });
    const x = torch.randn(4, 16, { requiresGrad: true });
    const fn = (a: torch.Tensor): torch.Tensor => torch.relu(a.matmul(w)).matmul(w);
    const grads = (ck: boolean): [Nested, Nested, Nested] => {
      w.grad = null;
      x.grad = null;
      const y = torch.autocast('cpu', () => (ck ? checkpoint(fn, x) : fn(x)));
      expect(y.dtype).toBe(torch.bfloat16);
      y.float().pow(2).sum().backward(); // backward outside the autocast region
      return [y.float().tolist(), w.grad!.tolist(), x.grad!.tolist()];
    };
    expect(grads(true)).toEqual(grads(false));
  });
});

describe('checkpointSequential', () => {
  const py = runPython<Record<string, { y: Nested; grads: Nested[] }>>(`
${PY_BLOCK}
import torch.nn as nn
out = {}
for segments in [1, 2, 3]:
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(6, 10), nn.Tanh(), nn.Dropout(0.3), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3)).double()
    x = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)
    torch.manual_seed(11)
    y = checkpoint_sequential(model, segments, x)
    y.pow(2).sum().backward()
    out[str(segments)] = {"y": y.tolist(), "grads": [x.grad.tolist()] + [p.grad.tolist() for p in model.parameters()]}
result = out
`);

  test.each([1, 2, 3])('%d segments: values and gradients equal PyTorch', (segments) => {
    torch.manualSeed(3);
    const nn = torch.nn;
    const model = new nn.Sequential(new nn.Linear(6, 10), new nn.Tanh(), new nn.Dropout(0.3), new nn.Linear(10, 10), new nn.ReLU(), new nn.Linear(10, 3)).double();
    const x = torch.randn(4, 6, { dtype: f64, requiresGrad: true });
    torch.manualSeed(11);
    const y = checkpointSequential(model, segments, x);
    y.pow(2).sum().backward();
    const want = py[String(segments)];
    expectClose(y.tolist(), want.y);
    const grads = [x.grad, ...[...model.parameters()].map((p) => p.grad)];
    grads.forEach((g, i) => expectClose(list(g), want.grads[i]));
  });

  test('a plain array of functions, and bad segments', () => {
    const x = torch.tensor([1, 2, 3], { dtype: f64, requiresGrad: true });
    const fns = [(t: torch.Tensor) => t.mul(2), (t: torch.Tensor) => t.exp(), (t: torch.Tensor) => t.sum()];
    checkpointSequential(fns, 2, x).backward();
    expectClose(list(x.grad), x.mul(2).exp().mul(2).tolist());
    expect(() => checkpointSequential(fns, 0, x)).toThrow(torch.TorchError);
  });
});

// ---- densenet memoryEfficient ---------------------------------------------------------------

describe('densenet121 memoryEfficient', () => {
  /** Forward then backward; loss and the gradients of the input and of every parameter. */
  function trainStep(model: torch.nn.Module, x: torch.Tensor): { loss: number; grads: torch.Tensor[] } {
    const loss = (model(x) as torch.Tensor).logSoftmax(1).select(1, 0).mean().neg();
    loss.backward();
    return { loss: loss.item() as number, grads: [x.grad!, ...[...model.parameters()].map((p) => p.grad!)] };
  }

  test('same loss and gradients as without it', () => {
    torch.manualSeed(0);
    const plain = models.densenet121();
    const efficient = models.densenet121({ memoryEfficient: true });
    efficient.loadStateDict(plain.stateDict());
    const x = torch.randn(2, 3, 64, 64);
    const a = trainStep(efficient, x.clone().requiresGrad_());
    const b = trainStep(plain, x.clone().requiresGrad_());
    expect(Math.abs(a.loss - b.loss) / Math.abs(b.loss)).toBeLessThan(1e-5);
    expect(a.grads.length).toBe(b.grads.length);
    a.grads.forEach((g, i) => expect(relError(g, b.grads[i])).toBeLessThan(1e-5));
  });

  test('the graph after forward keeps less memory', () => {
    // A fresh process per mode (the built dist/), RSS growth over the forward with the graph alive,
    // after a GC. A fixed mmap threshold makes glibc give freed blocks back, so RSS tracks live memory.
    const script = `
      const torch = require(${JSON.stringify(path.join(ROOT, 'dist/lib'))});
      const { models } = require(${JSON.stringify(path.join(ROOT, 'dist/lib/vision'))});
      const gc = require('vm').runInNewContext('gc');
      torch.setNumThreads(1);
      torch.manualSeed(0);
      const m = models.densenet121({ memoryEfficient: process.argv[1] === 'true' });
      const x = torch.randn(2, 3, 64, 64).requiresGrad_();
      gc();
      const base = process.memoryUsage().rss;
      const loss = m(x).logSoftmax(1).select(1, 0).mean().neg();
      gc();
      const kept = process.memoryUsage().rss - base;
      loss.backward();
      // VmHWM is this process's own peak (resourceUsage().maxRSS starts at the forking jest worker's)
      const hwm = Number(/VmHWM:\\s*(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
      console.log(JSON.stringify({ kept: kept / 2 ** 20, peak: (hwm - base) / 2 ** 20 }));
    `;
    const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: '65536' };
    const measure = (efficient: boolean): { kept: number; peak: number } =>
      JSON.parse(execFileSync(process.execPath, ['-e', script, String(efficient)], { env }).toString());
    const plain = measure(false);
    const efficient = measure(true);
    console.log(
      `densenet121 [2,3,64,64] MiB kept by the graph after forward / peak RSS growth over forward+backward: ` +
        `memoryEfficient ${efficient.kept.toFixed(1)} / ${efficient.peak.toFixed(1)}, plain ${plain.kept.toFixed(1)} / ${plain.peak.toFixed(1)}`,
    );
    expect(efficient.kept).toBeLessThan(plain.kept * 0.85);
  });

  test("torchvision's memory_efficient=True gradients on the same weights", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-densenet-'));
    try {
      const file = path.join(dir, 'densenet.pt');
      runPython(`
import torchvision
torch.manual_seed(0)
m = torchvision.models.densenet121(memory_efficient=True)
sd = {k: v.clone() for k, v in m.state_dict().items()}
x = torch.randn(2, 3, 64, 64, requires_grad=True)
loss = -m(x).log_softmax(1)[:, 0].mean()
loss.backward()
torch.save({"state_dict": sd, "x": x.detach(), "loss": loss.detach(),
            "grads": [x.grad] + [p.grad for p in m.parameters()]}, ${JSON.stringify(file)})
result = None
`);
      const saved = (await torch.load(file)) as { state_dict: Record<string, torch.Tensor>; x: torch.Tensor; loss: torch.Tensor; grads: torch.Tensor[] };
      const model = models.densenet121({ memoryEfficient: true });
      model.loadStateDict(saved.state_dict);
      const x = saved.x.clone().requiresGrad_();
      const { loss, grads } = trainStep(model, x);
      expect(Math.abs(loss - (saved.loss.item() as number)) / Math.abs(loss)).toBeLessThan(1e-5);
      expect(grads.length).toBe(saved.grads.length);
      grads.forEach((g, i) => expect(relError(g, saved.grads[i])).toBeLessThan(1e-5));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
