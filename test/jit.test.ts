// torch.jit.load / save against PyTorch 1.13: a module that Python scripted (and one it traced) runs
// here with Python's outputs and gradients, trains here, and the archive saved here loads in Python
// with the weights trained here.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { oraclePython, runPython } from './helpers/python';

const { jit, nn, optim } = torch;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-jit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => path.join(tmp, name);

/** Runs a Python program from a file (torch.jit.script reads the source of what it compiles). */
function runPythonFile(code: string): void {
  const file = at('program.py');
  fs.writeFileSync(file, `import torch\nfrom typing import Dict, List, Tuple\n${code}\n`);
  execFileSync(oraclePython(), [file], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
}

// The scripted module: parameters, BatchNorm buffers, an int attribute, a keyword default, exported
// methods taking a dict, a tuple and a list of strings; and a traced CNN.
runPythonFile(`
torch.manual_seed(0)
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 4)
        self.bn = torch.nn.BatchNorm1d(4)
        self.head = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(4, 2))
        self.scale = 2
    def forward(self, x, k: int = 1):
        return self.head(self.bn(self.fc(x))) * self.scale * k
    @torch.jit.export
    def encode(self, x):
        return self.fc(x)
    @torch.jit.export
    def combine(self, d: Dict[str, torch.Tensor], t: Tuple[int, float], names: List[str]) -> Dict[str, torch.Tensor]:
        return {k + names[0]: v * t[0] + t[1] for k, v in d.items()}
net = torch.jit.script(Net())
net.save('net.pt')
cnn = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 3))
torch.jit.trace(cnn, torch.randn(1, 1, 8, 8)).save('cnn.pt')
x = torch.randn(5, 3)
img = torch.randn(2, 1, 8, 8)
l = torch.jit.load('net.pt')
out = {'x': x, 'img': img}
l.eval()
out['eval'] = l(x)
out['k3'] = l(x, k=3)
out['encode'] = l.encode(x)
out['combined'] = l.combine({'a': torch.ones(2), 'b': torch.arange(2.)}, (3, 0.5), ['_s'])['b_s']
out['cnn'] = torch.jit.load('cnn.pt')(img)
l.train()
y = l(x)
y.pow(2).sum().backward()
out['train'] = y.detach()
for name, p in l.named_parameters(): out['grad.' + name] = p.grad
out['running_mean'] = l.bn.running_mean.clone()
torch.save(out, 'expected.pt')
with open('repr.txt', 'w') as f: f.write(repr(l))
`);

describe('a module Python scripted', () => {
  let expected: Record<string, torch.Tensor>;
  beforeAll(async () => {
    expected = await torch.load(at('expected.pt'));
  });

  test("prints as Python's, with its parameters, buffers, attributes and state_dict keys", async () => {
    const m = await jit.load(at('net.pt'));
    expect(String(m)).toBe(fs.readFileSync(at('repr.txt'), 'utf8'));
    expect(m).toBeInstanceOf(jit.ScriptModule);
    expect(m).toBeInstanceOf(nn.Module);
    expect(m.originalName).toBe('Net');
    expect((m as unknown as { scale: number }).scale).toBe(2);
    expect([...m.namedParameters()].map(([n]) => n)).toEqual(['fc.weight', 'fc.bias', 'bn.weight', 'bn.bias', 'head.1.weight', 'head.1.bias']);
    expect(Object.keys(m.stateDict())).toEqual(
      runPython<string[]>(`result = list(torch.jit.load(${JSON.stringify(at('net.pt'))}).state_dict().keys())`),
    );
  });

  test("forward, keyword arguments and exported methods give Python's values", async () => {
    const m = await jit.load(at('net.pt'));
    m.eval();
    const x = expected.x;
    expect(torch.equal(m(x), expected.eval)).toBe(true);
    expect(torch.equal(m(x, { k: 3 }), expected.k3)).toBe(true);
    const methods = m as unknown as Record<string, (...a: unknown[]) => any>;
    expect(torch.equal(methods.encode(x), expected.encode)).toBe(true);
    const combined = methods.combine({ a: torch.ones(2), b: torch.arange(2, { dtype: torch.float32 }) }, [3, 0.5], ['_s']);
    expect(Object.keys(combined)).toEqual(['a_s', 'b_s']);
    expect(torch.equal(combined.b_s, expected.combined)).toBe(true);
    // a Map is a dict too (its keys may be of any type)
    const fromMap = methods.combine(new Map([['b', torch.arange(2, { dtype: torch.float32 })]]), [3, 0.5], ['_s']);
    expect(torch.equal(fromMap.b_s, expected.combined)).toBe(true);
    expect(torch.equal(await m.forwardAsync(x), expected.eval)).toBe(true);
  });

  test("train mode: Python's output, gradients in the module's own parameters, BatchNorm's running stats", async () => {
    const m = await jit.load(at('net.pt'));
    expect(m.training).toBe(true);
    const y = m(expected.x) as torch.Tensor;
    y.pow(2).sum().backward();
    expect(torch.allclose(y, expected.train, 1e-6, 1e-7)).toBe(true);
    for (const [name, p] of m.namedParameters()) {
      expect(p).toBeInstanceOf(nn.Parameter);
      expect(torch.allclose(p.grad!, expected[`grad.${name}`], 1e-5, 1e-6)).toBe(true);
    }
    expect(torch.allclose(m.getBuffer('bn.running_mean'), expected.running_mean, 1e-6, 1e-7)).toBe(true);
  });

  test('a traced module runs with the values Python gives', async () => {
    const cnn = await jit.load(fs.readFileSync(at('cnn.pt')), { mapLocation: 'cpu' });
    expect(torch.allclose(cnn(expected.img), expected.cnn, 1e-6, 1e-7)).toBe(true);
  });

  test('trained here with SGD and saved: Python loads the archive with the same weights as its own loop', async () => {
    const m = await jit.load(at('net.pt'));
    const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      (m(expected.x) as torch.Tensor).pow(2).mean().backward();
      opt.step();
    }
    await jit.save(m, at('trained.pt'));
    await torch.save(m.stateDict(), at('trained-state.pt'));
    const diff = runPython<number>(`
l = torch.jit.load(${JSON.stringify(at('net.pt'))})
x = torch.load(${JSON.stringify(at('expected.pt'))})['x']
opt = torch.optim.SGD(l.parameters(), lr=0.1, momentum=0.9)
for i in range(3):
    opt.zero_grad()
    l(x).pow(2).mean().backward()
    opt.step()
ours = torch.jit.load(${JSON.stringify(at('trained.pt'))})
sd = torch.load(${JSON.stringify(at('trained-state.pt'))})
want = l.state_dict()
result = max(max((ours.state_dict()[k].double() - v.double()).abs().max().item(), (sd[k].double() - v.double()).abs().max().item()) for k, v in want.items())`);
    expect(diff).toBeLessThan(1e-6);
  });

  test('loadStateDict writes into the module; to(float64) converts what forward uses', async () => {
    const m = await jit.load(at('net.pt'));
    const other = await jit.load(at('net.pt'));
    m.eval();
    other.eval();
    for (const p of other.parameters()) torch.noGrad(() => p.mul_(2));
    m.loadStateDict(other.stateDict());
    expect(torch.equal(m(expected.x), other(expected.x))).toBe(true);
    m.double();
    const y = m(expected.x.double()) as torch.Tensor;
    expect(y.dtype).toBe(torch.float64);
    expect(torch.allclose(y.float(), other(expected.x) as torch.Tensor, 1e-5, 1e-6)).toBe(true);
  });

  test('forwardAsync runs under the caller\'s grad mode', async () => {
    const m = await jit.load(at('net.pt'));
    const withGrad = (await m.forwardAsync(expected.x)) as torch.Tensor;
    expect(withGrad.requiresGrad).toBe(true);
    const without = (await torch.noGrad(() => m.forwardAsync(expected.x))) as torch.Tensor;
    expect(without.requiresGrad).toBe(false);
  });
});

describe('errors', () => {
  test("a missing file or a directory: Python's ValueError", async () => {
    await expect(jit.load(at('missing.pt'))).rejects.toThrow(new torch.ValueError(`The provided filename ${at('missing.pt')} does not exist`));
    await expect(jit.load(tmp)).rejects.toThrow(torch.ValueError);
  });

  test("not a TorchScript archive: libtorch's message, as Python's RuntimeError", async () => {
    fs.writeFileSync(at('junk.pt'), 'not a zip');
    const want = runPython<string>(`result = err(lambda: torch.jit.load(${JSON.stringify(at('junk.pt'))}))`);
    await expect(jit.load(at('junk.pt'))).rejects.toThrow(torch.TorchError);
    await expect(jit.load(at('junk.pt'))).rejects.toThrow(want.split('\n')[0]);
  });

  test("an unknown keyword, too many arguments, a wrong type: TorchErrors with Python's messages", async () => {
    const m = await jit.load(at('net.pt'));
    const want = runPython<string[]>(`
l = torch.jit.load(${JSON.stringify(at('net.pt'))})
x = torch.randn(5, 3)
result = [err(lambda: l(x, 1, 2)), err(lambda: l(x, j=3))]`);
    const x = torch.randn(5, 3);
    expect(() => m(x, 1, 2)).toThrow(torch.TorchError);
    expect(() => m(x, 1, 2)).toThrow(want[0]);
    expect(() => m(x, { j: 3 })).toThrow(want[1]);
    expect(() => m('a')).toThrow(torch.TorchError);
  });

  test('torch.load of a TorchScript archive says to use torch.jit.load (torch.load reads data only)', async () => {
    await expect(torch.load(at('net.pt'))).rejects.toThrow(/TorchScript archive .*torch\.jit\.load/);
    expect(() => torch.loadSync(at('cnn.pt'))).toThrow(torch.TorchError);
  });

  test('jit.save refuses a module that is not a ScriptModule', async () => {
    await expect(jit.save(new nn.Linear(2, 2) as never, at('x.pt'))).rejects.toThrow(torch.TorchError);
    expect(fs.existsSync(at('x.pt'))).toBe(false);
  });
});
