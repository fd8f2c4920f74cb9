// torch.jit.trace of a torch-node module: the recorded graph runs here with the eager outputs, on
// other batch sizes too, shares the model's parameters, and the saved archive loads in PyTorch 1.13
// with the same outputs, module tree and state_dict.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { jit, nn } = torch;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-trace-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => path.join(tmp, name);

class Net extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2));
  head = new nn.Linear(4 * 4 * 4, 3);
  forward(x: torch.Tensor): torch.Tensor {
    return this.head(torch.flatten(this.features(x), 1)).logSoftmax(1);
  }
}

/** Two outputs, one of them computed from an input that is not a parameter. */
class TwoHeads extends nn.Module {
  a = new nn.Linear(3, 2);
  b = new nn.Linear(3, 1, { bias: false });
  forward(x: torch.Tensor, y: torch.Tensor): [torch.Tensor, torch.Tensor] {
    return [this.a(x).add(y), this.b(x).sigmoid()];
  }
}

describe('jit.trace', () => {
  test('the traced module gives the eager outputs, at other batch sizes too, and shares the parameters', () => {
    torch.manualSeed(0);
    const model = new Net().eval();
    const traced = jit.trace(model, torch.randn(2, 1, 8, 8));
    expect(traced).toBeInstanceOf(jit.ScriptModule);
    for (const batch of [2, 5]) {
      const x = torch.randn(batch, 1, 8, 8);
      expect(torch.equal(traced(x), model(x))).toBe(true);
    }
    expect([...traced.namedParameters()].map(([n]) => n)).toEqual([...model.namedParameters()].map(([n]) => n));
    // the same tensors as Python's traced module holds: a change to the model shows in the trace
    const x = torch.randn(3, 1, 8, 8);
    torch.noGrad(() => model.head.bias!.add_(1));
    expect(torch.equal(traced(x), model(x))).toBe(true);
    // each submodule's forward is a method of its own, as in Python's traced modules
    expect(traced.graph).toMatch(/prim::CallMethod\[name="forward"\]/);
    const features = (traced as unknown as { features: torch.jit.ScriptModule }).features;
    expect(torch.equal(features(x), model.features(x))).toBe(true);
    const conv = (features as unknown as Record<string, torch.jit.ScriptModule>)['0'];
    expect(conv.graph).toMatch(/aten::_convolution/);
  });

  test('training through the trace: the gradients of the eager model', () => {
    torch.manualSeed(1);
    const model = new TwoHeads();
    const x = torch.randn(4, 3);
    const y = torch.randn(4, 2);
    const traced = jit.trace(model, [x, y]);
    const [p, q] = traced(x, y) as torch.Tensor[];
    p.sum().add(q.pow(2).sum()).backward();
    const viaTrace = [...model.parameters()].map((t) => t.grad!.clone());
    model.zeroGrad();
    const [pe, qe] = model(x, y);
    pe.sum().add(qe.pow(2).sum()).backward();
    [...model.parameters()].forEach((t, i) => expect(torch.allclose(viaTrace[i], t.grad!, 1e-6, 1e-7)).toBe(true));
  });

  test('saved with jit.save, it loads in Python with the same outputs, module tree and state_dict', async () => {
    torch.manualSeed(2);
    const model = new Net().eval();
    const x = torch.randn(3, 1, 8, 8);
    await jit.save(jit.trace(model, x), at('net.pt'));
    await torch.save({ x, y: model(x), keys: Object.keys(model.stateDict()) as never }, at('expected.pt'));
    const got = runPython<{ diff: number; keys: boolean; repr: string; training: boolean }>(`
m = torch.jit.load(${JSON.stringify(at('net.pt'))})
e = torch.load(${JSON.stringify(at('expected.pt'))})
result = {'diff': (m(e['x']) - e['y']).abs().max().item() + (m.head(m.features(e['x']).flatten(1)).log_softmax(1) - e['y']).abs().max().item(),
          'keys': list(m.state_dict().keys()) == e['keys'],
          'repr': repr(m), 'training': m.training}`);
    expect(got.diff).toBe(0);
    expect(got.keys).toBe(true);
    expect(got.training).toBe(false);
    expect(got.repr).toBe(String(await jit.load(at('net.pt'))));
    expect(got.repr).toMatch(/^RecursiveScriptModule\(\n {2}original_name=Net\n {2}\(features\): RecursiveScriptModule\(\n {4}original_name=Sequential\n {4}\(0\): RecursiveScriptModule\(original_name=Conv2d\)/);
  });

  test('two layers of one class (two TorchScript types of one name) save and load in Python', async () => {
    torch.manualSeed(3);
    const model = new TwoHeads();
    const x = torch.randn(4, 3);
    const y = torch.randn(4, 2);
    await jit.save(jit.trace(model, [x, y]), at('two.pt'));
    await torch.save({ x, y, out: model(x, y) as never }, at('two-expected.pt'));
    const diff = runPython<number>(`
m = torch.jit.load(${JSON.stringify(at('two.pt'))})
e = torch.load(${JSON.stringify(at('two-expected.pt'))})
result = max((a - b).abs().max().item() for a, b in zip(m(e['x'], e['y']), e['out']))`);
    expect(diff).toBe(0);
  });

  test('dict outputs need strict: false, as in Python; other outputs and non-modules are TorchErrors', () => {
    class Dict extends nn.Module {
      fc = new nn.Linear(2, 2);
      forward(x: torch.Tensor) {
        return { out: this.fc(x) };
      }
    }
    const x = torch.randn(1, 2);
    const want = runPython<string>(`
class Dict(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.fc = torch.nn.Linear(2, 2)
    def forward(self, x):
        return {'out': self.fc(x)}
result = err(lambda: torch.jit.trace(Dict(), torch.randn(1, 2)))`);
    expect(() => jit.trace(new Dict(), x)).toThrow(torch.TorchError);
    expect(() => jit.trace(new Dict(), x)).toThrow(want.split('.')[0]);
    const traced = jit.trace(new Dict(), x, { strict: false });
    expect(Object.keys(traced(x))).toEqual(['out']);
    class Numbers extends nn.Module {
      forward() {
        return 3;
      }
    }
    expect(() => jit.trace(new Numbers(), x)).toThrow(/can be output from traced functions/);
    expect(() => jit.trace(((t: torch.Tensor) => t) as never, x)).toThrow(torch.TorchError);
  });
});
