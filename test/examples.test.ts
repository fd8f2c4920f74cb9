// The Fashion-MNIST demo (examples/fashion-mnist-demo.ts), run small: it must train above chance.
import * as torch from '../lib';
import { main, UsageError } from '../examples/fashion-mnist-demo';
import { runPython } from './helpers/python';

test('trains above chance on a subset and frees its tensors', () => {
  const before = torch.memory().liveTensors;
  const lines: string[] = [];
  const result = main(['--limit', '5000', '--epochs', '2'], (line) => lines.push(line))!;
  expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  for (const e of result.epochs) expect(Number.isFinite(e.loss)).toBe(true);
  expect(result.epochs[1].loss).toBeLessThan(result.epochs[0].loss);
  expect(result.testAccuracy).toBeGreaterThan(0.5); // chance is 0.1
  expect(lines.filter((l) => /^epoch \d\/2 .*test acc/.test(l))).toHaveLength(2);
  expect(lines[lines.length - 1]).toMatch(/peak RSS \d+ MB/);
  expect(torch.memory().liveTensors).toBeLessThanOrEqual(before);
});

test('gives the numbers of the same loop in PyTorch', () => {
  const args = { limit: 5000, epochs: 2, batchSize: 64, lr: 0.1 };
  const expected = runPython<{ loss: number; testAccuracy: number }[]>(`
import gzip
import torch.nn.functional as F
def load(split, kind, offset):
    with gzip.open('/usr/share/datasets/fashion-mnist/%s-%s-ubyte.gz' % (split, kind), 'rb') as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8, offset=offset)
x = load('train', 'images-idx3', 16).view(-1, 784)[:${args.limit}].float() / 255
y = load('train', 'labels-idx1', 8)[:${args.limit}].long()
xt = load('t10k', 'images-idx3', 16).view(-1, 784).float() / 255
yt = load('t10k', 'labels-idx1', 8).long()
torch.manual_seed(0)
def linear(fan_in, fan_out):
    b = 1 / fan_in ** 0.5
    return [(torch.rand(*s) * (2 * b) - b).requires_grad_() for s in ((fan_out, fan_in), (fan_out,))]
w1, b1 = linear(784, 128); w2, b2 = linear(128, 10)
forward = lambda x: (x @ w1.t() + b1).relu() @ w2.t() + b2
n = len(y); result = []
for epoch in range(${args.epochs}):
    perm = torch.randperm(n); total = 0
    for i in range(0, n, ${args.batchSize}):
        idx = perm[i:i + ${args.batchSize}]
        loss = F.cross_entropy(forward(x[idx]), y[idx]); loss.backward(); total += loss.item() * len(idx)
        with torch.no_grad():
            for p in (w1, b1, w2, b2): p -= p.grad * ${args.lr}; p.grad = None
    with torch.no_grad(): acc = (forward(xt).argmax(1) == yt).float().mean().item()
    result.append(dict(loss=total / n, testAccuracy=acc))
`);
  const result = main(['--limit', `${args.limit}`, '--epochs', `${args.epochs}`, '--seed', '0'], () => {})!;
  result.epochs.forEach((e, i) => {
    expect(e.loss).toBeCloseTo(expected[i].loss, 5);
    expect(Math.abs(e.testAccuracy - expected[i].testAccuracy)).toBeLessThanOrEqual(0.002);
  });
});

test('--help prints the usage and trains nothing', () => {
  const lines: string[] = [];
  expect(main(['--help'], (line) => lines.push(line))).toBeUndefined();
  expect(lines.join('\n')).toMatch(/--batch-size N/);
});

test('bad options are usage errors', () => {
  expect(() => main(['--epochs', 'two'])).toThrow(UsageError);
  expect(() => main(['--lr', '0'])).toThrow(/--lr must be a positive number/);
  expect(() => main(['--bogus'])).toThrow(UsageError);
});
