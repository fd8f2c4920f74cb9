// The small examples, each run as a user would and checked against PyTorch: MyModel (repr, modules,
// state_dict), MyLinear (nn.Parameter), a custom Dataset through the DataLoader's options, and
// checkpoints resumed across Python and torch-node.
import * as myModel from '../examples/my-model';
import * as myLinear from '../examples/my-linear';
import * as customDataset from '../examples/custom-dataset';
import * as interop from '../examples/checkpoint-interop';
import { runPython } from './helpers/python';

const py = runPython<{ repr: string; modules: string[]; sd: Record<string, number[]>; lin: number[]; shuffled: number[][]; weighted: number[] }>(`
from torch import nn
import torch.nn.functional as F
class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)
    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
m = MyModel()
class MyLinear(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(i, o)); self.bias = nn.Parameter(torch.randn(o))
    def forward(self, x): return x @ self.weight + self.bias
torch.manual_seed(0)
lin = MyLinear(1, 1); x = torch.linspace(-1, 1, 64).unsqueeze(1); y = x * 3 - 1
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
for _ in range(50):
    opt.zero_grad(); loss = nn.MSELoss()(lin(x), y); loss.backward(); opt.step()
ds = list(range(20))
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(42), num_workers=2, persistent_workers=True)
shuffled = [b.tolist() for _ in range(2) for b in loader]
weighted = list(torch.utils.data.WeightedRandomSampler([4 if i % 2 else 1 for i in range(20)], 10, True, generator=torch.Generator().manual_seed(1)))
result = dict(repr=repr(m), modules=[type(s).__name__ for s in m.modules()], sd={k: list(v.shape) for k, v in m.state_dict().items()},
              lin=[lin.weight.item(), lin.bias.item(), loss.item()], shuffled=shuffled, weighted=weighted)
`);

test('MyModel: conv1/conv2, printed as PyTorch prints it, its modules and state_dict', () => {
  const lines: string[] = [];
  const r = myModel.main((l) => lines.push(l));
  expect(lines[0]).toBe(py.repr);
  expect(lines.filter((l) => l.startsWith('module: ')).map((l) => l.slice(8))).toEqual(py.modules);
  expect(r.stateDict).toEqual(py.sd);
  expect(r.output).toEqual([1, 20, 20, 20]);
});

test('MyLinear: nn.Parameter members train as in PyTorch', () => {
  const r = myLinear.main(50, () => {});
  expect(r.weight).toBeCloseTo(py.lin[0], 5);
  expect(r.bias).toBeCloseTo(py.lin[1], 5);
  expect(r.loss).toBeCloseTo(py.lin[2], 6);
  const long = myLinear.main(200, () => {});
  expect(long.weight).toBeCloseTo(3, 2);
  expect(long.bias).toBeCloseTo(-1, 2);
});

test('custom Dataset through a DataLoader with every option draws PyTorch\'s batches', async () => {
  const lines: string[] = [];
  const r = await customDataset.main(20, (l) => lines.push(l));
  expect(r.shuffledIndices).toEqual(py.shuffled);
  expect(r.weightedIndices).toEqual(py.weighted);
  expect(r.batchSamplerIndices).toEqual([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11], [12, 13, 14, 15, 16, 17], [18, 19]]);
  expect(lines[1]).toBe('first batch: features [4,2], oneHot [4,3]');
});

test('a checkpoint saved in Python resumes here, and ours resumes in Python, to the same weights', async () => {
  const lines: string[] = [];
  const r = await interop.main((l) => lines.push(l));
  expect(r.pythonToNode).toBeLessThan(1e-6);
  expect(r.nodeToPython).toBeLessThan(1e-6);
  expect(lines[0]).toMatch(/^loaded Python's checkpoint: epoch 3, loss \d\.\d{6}$/);
});
