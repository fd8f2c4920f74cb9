// torch.jit.freeze / optimize_for_inference and the ScriptModule extras (code, code_with_constants,
// inlined_graph, save_to_buffer, define, torch.jit.Error) against PyTorch 1.13 on the same archive:
// the same outputs, the same graph and source texts, and the frozen module's members gone as in Python.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { oraclePython } from './helpers/python';

const { jit, nn } = torch;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-jit-freeze-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => path.join(tmp, name);

/** Runs a Python program from a file (torch.jit.script reads the source of what it compiles). */
function runPythonFile(code: string): void {
  const file = at('program.py');
  fs.writeFileSync(file, `import torch, json\n${code}\n`);
  execFileSync(oraclePython(), [file], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
}

// A conv-batchnorm-linear net (freezing folds the batchnorm into the conv) with an int attribute,
// an exported method and one that raises; what Python's freeze / optimize_for_inference give on it.
runPythonFile(`
torch.manual_seed(0)
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 4, 3)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4 * 4 * 4, 3)
        self.scale = 2
    def forward(self, x):
        y = torch.relu(self.bn(self.conv(x)))
        return self.fc(y.flatten(1)) * self.scale
    @torch.jit.export
    def encode(self, x):
        return self.conv(x).sum()
    @torch.jit.export
    def check(self, x):
        if bool(x.sum() > 0):
            raise ValueError("positive input")
        return x
net = torch.jit.script(Net())
with torch.no_grad():
    net.bn.running_mean.uniform_()
    net.bn.running_var.uniform_(0.5, 2)
net.save('net.pt')
x = torch.randn(2, 2, 6, 6)
out = {'x': x}
texts = {}
m = torch.jit.load('net.pt').eval()
out['eager'] = m(x)
texts['code'] = m.code
texts['inlined_graph'] = str(m.inlined_graph)
f = torch.jit.freeze(m)
out['frozen'] = f(x)
texts['frozen_graph'] = str(f.graph)
texts['frozen_code'], consts = f.code_with_constants
for k, v in consts.const_mapping.items(): out['const.' + k] = v
texts['frozen_state'] = [list(f.state_dict().keys()), [n for n, _ in f.named_parameters()], [n for n, _ in f.named_buffers()], [n for n, _ in f.named_children()]]
texts['frozen_repr'] = repr(f)
p = torch.jit.freeze(m, preserved_attrs=['scale', 'encode'])
out['preserved_encode'] = p.encode(x)
texts['preserved_scale'] = p.scale
out['unfolded'] = torch.jit.freeze(m, optimize_numerics=False)(x)
texts['unfolded_graph'] = str(torch.jit.freeze(m, optimize_numerics=False).graph)
o = torch.jit.optimize_for_inference(torch.jit.load('net.pt'))
out['optimized'] = o(x)
texts['optimized_graph'] = str(o.graph)
o2 = torch.jit.optimize_for_inference(torch.jit.load('net.pt'), other_methods=['encode'])
out['optimized_encode'] = o2.encode(x)
try:
    m.check(torch.ones(2))
except torch.jit.Error as e:
    texts['raise'] = str(e)
class Raiser(torch.nn.Module):
    def forward(self, x):
        if bool(x.sum() > 0):
            raise RuntimeError("no positive sums")
        return x
torch.jit.script(Raiser()).save('raiser.pt')
try:
    torch.jit.load('raiser.pt')(torch.ones(1))
except torch.jit.Error as e:
    texts['raise_forward'] = str(e)
d = torch.jit.load('net.pt')
d.define("def twice(self, x):\\n    return self.fc.forward(x) * 2\\n")
out['twice'] = d.twice(torch.ones(1, 64))
torch.save(out, 'expected.pt')
json.dump(texts, open('texts.json', 'w'))
`);

const texts = JSON.parse(fs.readFileSync(at('texts.json'), 'utf8')) as Record<string, any>;
let expected: Record<string, torch.Tensor>;
let x: torch.Tensor;
beforeAll(async () => {
  expected = await torch.load(at('expected.pt'));
  x = expected.x;
});
const loadEval = async () => (await jit.load(at('net.pt'))).eval();
/** A graph's text without the number libtorch appends to clones' class names (it counts the process's clones). */
const unmangled = (g: string) => g.replace(/___torch_mangle_\d+\./g, '');
const same = (got: torch.Tensor, want: torch.Tensor) => expect(got.allclose(want, 1e-5, 1e-5)).toBe(true);

describe('jit.freeze', () => {
  test("a frozen clone gives Python's output, graph and code; the original keeps its members", async () => {
    const m = await loadEval();
    const f = jit.freeze(m);
    expect(f).toBeInstanceOf(jit.ScriptModule);
    same(f(x), expected.frozen);
    same(f(x), m(x));
    expect(unmangled(f.graph)).toBe(unmangled(texts.frozen_graph));
    const [code, constants] = f.codeWithConstants;
    expect(code).toBe(texts.frozen_code);
    expect(f.code).toBe(texts.frozen_code);
    expect(Object.keys(constants)).toEqual(Object.keys(expected).filter((k) => k.startsWith('const.')).map((k) => k.slice(6)));
    for (const [k, v] of Object.entries(constants)) expect((v as torch.Tensor).equal(expected[`const.${k}`])).toBe(true);
    expect([...m.namedParameters()].length).toBe(6);
    same(m(x), expected.eager);
  });

  test('the frozen module has no parameters, buffers, submodules, attributes or other methods, as in Python', async () => {
    const f = jit.freeze(await loadEval());
    const state = [Object.keys(f.stateDict()), [...f.namedParameters()].map(([n]) => n), [...f.namedBuffers()].map(([n]) => n), [...f.namedChildren()].map(([n]) => n)];
    expect(state).toEqual(texts.frozen_state);
    expect(String(f)).toBe(texts.frozen_repr);
    const loose = f as unknown as Record<string, unknown>;
    expect([loose.conv, loose.fc, loose.scale, loose.encode]).toEqual([undefined, undefined, undefined, undefined]);
    expect(() => f.getParameter('fc.weight')).toThrow(torch.TorchError);
    expect(f.training).toBe(false);
    f.train(); // only the JS flag: the frozen graph has no training attribute to set
    expect(f.training).toBe(true);
    f.eval();
    same(f(x), expected.frozen);
  });

  test('preservedAttrs keeps attributes and methods; optimizeNumerics false leaves the batchnorm unfolded', async () => {
    const m = await loadEval();
    const p = jit.freeze(m, ['scale', 'encode']);
    expect((p as unknown as { scale: number }).scale).toBe(texts.preserved_scale);
    same((p as unknown as { encode: (x: torch.Tensor) => torch.Tensor }).encode(x), expected.preserved_encode);
    const u = jit.freeze(m, { optimizeNumerics: false });
    same(u(x), expected.unfolded);
    expect(unmangled(u.graph)).toBe(unmangled(texts.unfolded_graph));
    expect(u.graph).toContain('aten::batch_norm');
  });

  test("errors: Python's messages for a module in training mode, not a ScriptModule, an unknown preserved name", async () => {
    const m = await jit.load(at('net.pt'));
    expect(() => jit.freeze(m)).toThrow(
      new torch.TorchError('Freezing is currently only implemented for modules in eval mode. Please call .eval() on your module before freezing.'),
    );
    expect(() => jit.freeze(new nn.Linear(2, 2) as unknown as torch.jit.ScriptModule)).toThrow(
      "Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to script your 'nn.Module'.",
    );
    m.eval();
    expect(() => jit.freeze(m, ['nope'])).toThrow('Unknown name: nope');
  });

  test("a traced module freezes too, with the eager module's output", () => {
    const model = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.BatchNorm2d(3), new nn.ReLU()).eval();
    const input = torch.randn([1, 2, 5, 5]);
    const f = jit.freeze(jit.trace(model, input));
    same(f(input), model(input));
    expect([...f.parameters()].length).toBe(0);
    expect(f.graph).not.toContain('batch_norm');
  });
});

describe('jit.optimizeForInference', () => {
  test("freezes (setting eval mode) and gives Python's output and graph", async () => {
    const m = await jit.load(at('net.pt'));
    const o = jit.optimizeForInference(m);
    expect(m.training).toBe(false);
    same(o(x), expected.optimized);
    expect(unmangled(o.graph)).toBe(unmangled(texts.optimized_graph));
    // an already frozen module is optimized in place and returned
    const f = jit.freeze((await jit.load(at('net.pt'))).eval());
    expect(jit.optimizeForInference(f)).toBe(f);
    expect(unmangled(f.graph)).toBe(unmangled(texts.optimized_graph));
  });

  test('otherMethods are kept and optimized; a non-ScriptModule is refused', async () => {
    const o = jit.optimizeForInference(await jit.load(at('net.pt')), { otherMethods: ['encode'] });
    same((o as unknown as { encode: (x: torch.Tensor) => torch.Tensor }).encode(x), expected.optimized_encode);
    expect(() => jit.optimizeForInference(new nn.Linear(2, 2) as unknown as torch.jit.ScriptModule)).toThrow(
      "optimize_for_inference expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to script your 'nn.Module'.",
    );
  });
});

describe('ScriptModule extras', () => {
  test("code and inlinedGraph are Python's m.code and m.inlined_graph", async () => {
    const m = await loadEval();
    expect(m.code).toBe(texts.code);
    expect(unmangled(m.inlinedGraph)).toBe(unmangled(texts.inlined_graph));
  });

  test('saveToBuffer and save write archives that load with the same outputs (here and in Python)', async () => {
    const f = jit.freeze(await loadEval());
    const bytes = await f.saveToBuffer();
    expect(bytes).toBeInstanceOf(Buffer);
    same((await jit.load(bytes))(x), expected.frozen);
    await f.save(at('frozen.pt'));
    execFileSync(oraclePython(), [
      '-c',
      `import torch\nexp = torch.load('${at('expected.pt')}')\nassert torch.allclose(torch.jit.load('${at('frozen.pt')}')(exp['x']), exp['frozen'], atol=1e-5)`,
    ]);
  });

  test("define compiles TorchScript source into a new method, as Python's m.define", async () => {
    const d = await jit.load(at('net.pt'));
    d.define('def twice(self, x):\n    return self.fc.forward(x) * 2\n');
    same((d as unknown as { twice: (x: torch.Tensor) => torch.Tensor }).twice(torch.ones([1, 64])), expected.twice);
  });

  test("a TorchScript raise is a jit.Error with Python's message, sync and async", async () => {
    const m = await loadEval();
    const check = (m as unknown as { check: (x: torch.Tensor) => torch.Tensor }).check;
    let caught: unknown;
    try {
      check(torch.ones([2]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(jit.Error);
    expect(caught).toBeInstanceOf(torch.TorchError);
    expect((caught as Error).message).toBe(texts.raise);
    expect((caught as Error).name).toBe('torch.jit.Error');
    expect(check(torch.ones([2]).neg()).shape).toEqual([2]);
    // other failures stay plain TorchErrors
    expect(() => m(torch.ones([3]))).toThrow(torch.TorchError);
    let other: unknown;
    try {
      m(torch.ones([3]));
    } catch (e) {
      other = e;
    }
    expect(other).not.toBeInstanceOf(jit.Error);
    const raiser = await jit.load(at('raiser.pt'));
    await expect(raiser.forwardAsync(torch.ones([1]))).rejects.toThrow(new jit.Error(texts.raise_forward));
    await expect(raiser.forwardAsync(torch.ones([1]))).rejects.toBeInstanceOf(jit.Error);
  });
});

describe('tracing state and fork / wait', () => {
  class Probe extends nn.Module {
    seen: boolean[] = [];
    forward(x: torch.Tensor): torch.Tensor {
      this.seen.push(jit.isTracing(), jit.isScripting());
      const fut = jit.fork((a: torch.Tensor, k: number) => a.mul(k), x, 3);
      return jit.wait(fut).add(1);
    }
  }

  test('isTracing is true inside jit.trace only; isScripting is false; forked work is traced inline', () => {
    const probe = new Probe().eval();
    const input = torch.randn([4]);
    expect(jit.isTracing()).toBe(false);
    const traced = jit.trace(probe, input);
    expect(probe.seen.slice(0, 2)).toEqual([true, false]);
    probe.seen.length = 0;
    probe(input);
    expect(probe.seen).toEqual([false, false]);
    same(traced(torch.ones([4])), torch.ones([4]).mul(4));
  });

  test("fork runs at once and returns a completed Future, as Python's fork outside TorchScript", () => {
    const fut = jit.fork((a: number, b: number) => a * b, 3, 4);
    expect(fut).toBeInstanceOf(jit.Future);
    expect([fut.done(), fut.wait(), fut.value(), jit.wait(fut)]).toEqual([true, 12, 12, 12]);
    expect(() => jit.fork(() => {
      throw new torch.TorchError('boom');
    })).toThrow('boom');
    const chained = fut.then((f) => f.value() + 1);
    expect(chained.wait()).toBe(13);
  });

  test('a Future completed by hand: callbacks, errors, one completion only', () => {
    const fut = new jit.Future<number>();
    const calls: number[] = [];
    fut.addDoneCallback((f) => calls.push(f.value()));
    const next = fut.then((f) => f.value() * 2);
    expect([fut.done(), next.done()]).toEqual([false, false]);
    expect(() => fut.wait()).toThrow(torch.TorchError);
    fut.setResult(5);
    expect([calls, next.wait()]).toEqual([[5], 10]);
    expect(() => fut.setResult(6)).toThrow(torch.TorchError);
    const failed = new jit.Future<number>();
    failed.setException(new torch.TorchError('bad'));
    expect(() => failed.wait()).toThrow('bad');
    expect(() => failed.then((f) => f.value() + 1).wait()).toThrow('bad');
  });
});
