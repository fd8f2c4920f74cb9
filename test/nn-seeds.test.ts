// The seeds' examples of issue 5 against PyTorch: the README's MyModel (conv1/conv2) and a
// user-written MyLinear trained by hand-written SGD.
//
// MyModel as written in the issue (conv1 = Conv2d(1, 20, 5)) cannot take torch.rand(1, 3, 256, 256):
// PyTorch raises a channel-mismatch error, and so do we (same text). The [1, 20, 248, 248] shape is
// checked with in_channels=3 (MyModel3), the only first layer that accepts that input.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { mismatch } from './helpers/oracle';
import { MyLinear } from '../examples/my-linear';

class MyModel extends nn.Module {
  conv1 = new nn.Conv2d(1, 20, 5);
  conv2 = new nn.Conv2d(20, 20, 5);
  forward(x: torch.Tensor): torch.Tensor {
    return torch.relu(this.conv2(torch.relu(this.conv1(x))));
  }
}

class MyModel3 extends nn.Module {
  conv1 = new nn.Conv2d(3, 20, 5);
  conv2 = new nn.Conv2d(20, 20, 5);
  forward(x: torch.Tensor): torch.Tensor {
    return torch.relu(this.conv2(torch.relu(this.conv1(x))));
  }
}

const STEPS = 6;
const LR = 0.1;

interface PySeeds {
  modules: string[];
  stateDict: [string, number[], number[]][];
  error: string;
  shape: number[];
  outSum: number;
  outPixel: number[];
  losses: number[];
  params: Record<string, number[]>;
}

const py = runPython<PySeeds>(`
from torch import nn
import torch.nn.functional as F
class MyModel(nn.Module):
    def __init__(self, c=1):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)
    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
class MyLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_features, out_features))
        self.bias = nn.Parameter(torch.randn(out_features))
    def forward(self, input):
        return (input @ self.weight) + self.bias
torch.manual_seed(0)
a = MyModel()
modules = [repr(m) for m in a.modules()]
sd = [[k, list(v.shape), v.reshape(-1).tolist()] for k, v in a.state_dict().items()]
try:
    a(torch.rand(1, 3, 256, 256))
    error = 'no error'
except Exception as e:
    error = str(e)
torch.manual_seed(0)
b = MyModel(3)
y = b(torch.rand(1, 3, 256, 256))
torch.manual_seed(0)
m = MyLinear(4, 3)
x = torch.randn(8, 4)
t = torch.randn(8, 3)
losses = []
for step in range(${STEPS}):
    loss = ((m(x) - t) ** 2).mean()
    losses.append(loss.item())
    m.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in m.parameters():
            p -= ${LR} * p.grad
result = dict(modules=modules, stateDict=sd, error=error, shape=list(y.shape), outSum=y.sum().item(),
              outPixel=y[0, :, 100, 117].tolist(),
              losses=losses, params={k: v.reshape(-1).tolist() for k, v in m.state_dict().items()})
`);

describe("issue 5's MyModel (conv1 = Conv2d(1, 20, 5), conv2 = Conv2d(20, 20, 5))", () => {
  torch.manualSeed(0);
  const a = new MyModel();

  test('list(a.modules()) prints as in Python', () => {
    expect([...a.modules()].map(String)).toEqual(py.modules);
  });

  test('a.stateDict() has Python\'s keys, shapes and (same seed) values', () => {
    const sd = Object.entries(a.stateDict());
    expect(sd.map(([k, v]) => [k, v.shape])).toEqual(py.stateDict.map(([k, s]) => [k, s]));
    for (const [i, [, v]] of sd.entries()) expect(mismatch(v.reshape(-1).tolist(), py.stateDict[i][2], 1e-6)).toBeNull();
  });

  test('a(torch.rand(1, 3, 256, 256)) raises PyTorch\'s channel mismatch error', () => {
    expect(py.error).toContain('expected input[1, 3, 256, 256] to have 1 channels, but got 3 channels instead');
    const run = () => a(torch.rand(1, 3, 256, 256));
    expect(run).toThrow(torch.TorchError);
    expect(run).toThrow(py.error);
  });

  test('a(torch.rand(1, 1, 256, 256)).shape is [1, 20, 248, 248]', () => {
    expect(a(torch.rand(1, 1, 256, 256)).shape).toEqual([1, 20, 248, 248]);
  });

  test('with in_channels=3, torch.rand(1, 3, 256, 256) -> [1, 20, 248, 248], values equal PyTorch\'s for the same seed', () => {
    torch.manualSeed(0);
    const b = new MyModel3();
    const y = torch.noGrad(() => b(torch.rand(1, 3, 256, 256)));
    expect(y.shape).toEqual(py.shape);
    expect(y.shape).toEqual([1, 20, 248, 248]);
    expect(Math.abs((y.sum().item() as number) - py.outSum) / Math.abs(py.outSum)).toBeLessThan(1e-5);
    expect(mismatch(y.index(0, ':', 100, 117).tolist(), py.outPixel, 1e-5)).toBeNull();
  });
});

test(`a user-written MyLinear (nn.Parameter(torch.randn(in, out))) trains: ${STEPS} hand-written SGD steps equal PyTorch's`, () => {
  torch.manualSeed(0);
  const m = new MyLinear(4, 3);
  const x = torch.randn(8, 4);
  const t = torch.randn(8, 3);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const loss = m(x).sub(t).pow(2).mean();
    losses.push(loss.item() as number);
    m.zeroGrad();
    loss.backward();
    torch.noGrad(() => {
      for (const p of m.parameters()) p.sub_(p.grad!.mul(LR));
    });
  }
  expect([...m.namedParameters()].map(([k]) => k)).toEqual(['weight', 'bias']);
  expect(losses[STEPS - 1]).toBeLessThan(losses[0]);
  expect(mismatch(losses, py.losses, 1e-5)).toBeNull();
  const params: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(m.stateDict())) params[k] = v.reshape(-1).tolist() as number[];
  expect(mismatch(params, py.params, 1e-5)).toBeNull();
});
