// nn.functional activations vs PyTorch: forward values and input gradients (oracle table), in-place
// variants, Python-style argument passing.
import * as torch from '../lib';
import * as F from '../lib/nn/functional';
import { oracleTable, Case } from './helpers/oracle';

const CASES: Case[] = [
  ['relu', 'F.relu(x)', (t) => F.relu(t.x)],
  ['relu inplace', 'F.relu(x * 1, inplace=True)', (t) => F.relu(t.x.mul(1), { inplace: true })],
  ['relu_', 'F.relu_(x * 1)', (t) => F.relu_(t.x.mul(1))],
  ['relu6', 'F.relu6(x * 8)', (t) => F.relu6(t.x.mul(8))],
  ['relu6 inplace', 'F.relu6(x * 8, True)', (t) => F.relu6(t.x.mul(8), true)],
  ['leakyRelu', 'F.leaky_relu(x)', (t) => F.leakyRelu(t.x)],
  ['leakyRelu 0.2', 'F.leaky_relu(x, 0.2)', (t) => F.leakyRelu(t.x, 0.2)],
  ['leakyRelu inplace', 'F.leaky_relu(x * 1, negative_slope=0.3, inplace=True)', (t) => F.leakyRelu(t.x.mul(1), { negativeSlope: 0.3, inplace: true })],
  ['leakyRelu_', 'F.leaky_relu_(x * 1, 0.1)', (t) => F.leakyRelu_(t.x.mul(1), 0.1)],
  ['prelu', 'F.prelu(img, v[:3])', (t) => F.prelu(t.img, t.v.narrow(0, 0, 3))],
  ['prelu single', 'F.prelu(x, w[:1])', (t) => F.prelu(t.x, t.w.narrow(0, 0, 1))],
  ['elu', 'F.elu(x)', (t) => F.elu(t.x)],
  ['elu alpha', 'F.elu(x, alpha=0.5)', (t) => F.elu(t.x, { alpha: 0.5 })],
  ['elu inplace', 'F.elu(x * 1, 2.0, True)', (t) => F.elu(t.x.mul(1), 2.0, true)],
  ['elu_', 'F.elu_(x * 1)', (t) => F.elu_(t.x.mul(1))],
  ['selu', 'F.selu(x)', (t) => F.selu(t.x)],
  ['selu inplace', 'F.selu(x * 1, inplace=True)', (t) => F.selu(t.x.mul(1), { inplace: true })],
  ['celu', 'F.celu(x)', (t) => F.celu(t.x)],
  ['celu alpha', 'F.celu(x, alpha=0.7)', (t) => F.celu(t.x, { alpha: 0.7 })],
  ['celu inplace', 'F.celu(x * 1, 1.5, inplace=True)', (t) => F.celu(t.x.mul(1), 1.5, { inplace: true })],
  ['gelu', 'F.gelu(x)', (t) => F.gelu(t.x)],
  ['gelu tanh', "F.gelu(x, approximate='tanh')", (t) => F.gelu(t.x, { approximate: 'tanh' })],
  ['silu', 'F.silu(x)', (t) => F.silu(t.x)],
  ['silu inplace', 'F.silu(x * 1, inplace=True)', (t) => F.silu(t.x.mul(1), { inplace: true })],
  ['mish', 'F.mish(x)', (t) => F.mish(t.x)],
  ['mish inplace', 'F.mish(x * 1, True)', (t) => F.mish(t.x.mul(1), true)],
  ['sigmoid', 'F.sigmoid(x)', (t) => F.sigmoid(t.x)],
  ['tanh', 'F.tanh(x)', (t) => F.tanh(t.x)],
  ['softmax dim 1', 'F.softmax(x, dim=1)', (t) => F.softmax(t.x, 1)],
  ['softmax dim 0', 'F.softmax(b, 0)', (t) => F.softmax(t.b, { dim: 0 })],
  ['softmax dtype', 'F.softmax(x, -1, dtype=torch.float64)', (t) => F.softmax(t.x, -1, { dtype: torch.float64 })],
  ['logSoftmax', 'F.log_softmax(b, dim=2)', (t) => F.logSoftmax(t.b, 2)],
  ['logSoftmax dtype', "F.log_softmax(x, 0, dtype=torch.float64)", (t) => F.logSoftmax(t.x, 0, { dtype: 'float64' })],
  ['softmin', 'F.softmin(x, dim=1)', (t) => F.softmin(t.x, 1)],
  ['softmin dtype', 'F.softmin(b, 1, dtype=torch.float64)', (t) => F.softmin(t.b, { dim: 1, dtype: torch.float64 })],
  ['softplus', 'F.softplus(x)', (t) => F.softplus(t.x)],
  ['softplus beta threshold', 'F.softplus(x * 10, beta=2, threshold=5)', (t) => F.softplus(t.x.mul(10), { beta: 2, threshold: 5 })],
  ['softplus positional', 'F.softplus(x, 0.5, 1)', (t) => F.softplus(t.x, 0.5, 1)],
  ['hardswish', 'F.hardswish(x * 4)', (t) => F.hardswish(t.x.mul(4))],
  ['hardswish inplace', 'F.hardswish(x * 4, inplace=True)', (t) => F.hardswish(t.x.mul(4), { inplace: true })],
  ['hardsigmoid', 'F.hardsigmoid(x * 4)', (t) => F.hardsigmoid(t.x.mul(4))],
  ['hardsigmoid inplace', 'F.hardsigmoid(x * 4, True)', (t) => F.hardsigmoid(t.x.mul(4), true)],
  ['hardtanh', 'F.hardtanh(x * 2)', (t) => F.hardtanh(t.x.mul(2))],
  ['hardtanh range', 'F.hardtanh(x, -0.5, 0.25)', (t) => F.hardtanh(t.x, -0.5, 0.25)],
  ['hardtanh inplace', 'F.hardtanh(x * 1, min_val=-0.3, inplace=True)', (t) => F.hardtanh(t.x.mul(1), { minVal: -0.3, inplace: true })],
  ['hardtanh_', 'F.hardtanh_(x * 1, -0.2, 0.2)', (t) => F.hardtanh_(t.x.mul(1), -0.2, 0.2)],
  ['logsigmoid', 'F.logsigmoid(x)', (t) => F.logsigmoid(t.x)],
  ['glu', 'F.glu(x)', (t) => F.glu(t.x)],
  ['glu dim 0', 'F.glu(b, 0)', (t) => F.glu(t.b, 0)],
  ['threshold', 'F.threshold(x, 0.1, 20)', (t) => F.threshold(t.x, 0.1, 20)],
  ['threshold inplace', 'F.threshold(x * 1, 0.1, -2, True)', (t) => F.threshold(t.x.mul(1), 0.1, -2, true)],
  ['threshold_', 'F.threshold_(x * 1, -0.1, 0.5)', (t) => F.threshold_(t.x.mul(1), -0.1, 0.5)],
  ['hardshrink', 'F.hardshrink(x)', (t) => F.hardshrink(t.x)],
  ['hardshrink lambd', 'F.hardshrink(x, 0.3)', (t) => F.hardshrink(t.x, 0.3)],
  ['softshrink', 'F.softshrink(x, lambd=0.2)', (t) => F.softshrink(t.x, { lambd: 0.2 })],
  ['tanhshrink', 'F.tanhshrink(x)', (t) => F.tanhshrink(t.x)],
  ['softsign', 'F.softsign(x)', (t) => F.softsign(t.x)],
  ['rrelu eval', 'F.rrelu(x)', (t) => F.rrelu(t.x)],
  ['rrelu eval bounds', 'F.rrelu(x, 0.1, 0.3)', (t) => F.rrelu(t.x, 0.1, 0.3)],
];

oracleTable('nn.functional activations', CASES, [['float64', 1e-10], ['float32', 1e-5]]);

describe('activation calling conventions and randomness', () => {
  test('inplace returns and mutates the input', () => {
    const x = torch.tensor([-1, 0.5, 2]);
    expect(F.relu(x, { inplace: true })).toBe(x);
    expect(x.tolist()).toEqual([0, 0.5, 2]);
    const y = torch.tensor([-1, 0.5]);
    expect(F.leakyRelu(y, 0.5, true)).toBe(y);
    expect(y.tolist()).toEqual([-0.5, 0.5]);
  });
  test('argument errors are TorchErrors with Python-like text', () => {
    const x = torch.tensor([1, 2]);
    expect(() => F.leakyRelu(x, { slope: 0.1 } as never)).toThrow("leakyRelu() got an unexpected keyword argument 'slope'");
    expect(() => F.leakyRelu(x, 0.1, { negativeSlope: 0.2 })).toThrow("leakyRelu() got multiple values for argument 'negativeSlope'");
    expect(() => F.glu(torch.tensor(1))).toThrow('glu does not support scalars because halving size must be even');
    expect(() => F.glu(torch.tensor([1, 2, 3]))).toThrow(torch.TorchError);
  });
  test('softmax with an implicit dim follows PyTorch (deprecated)', () => {
    const x = torch.tensor([[1.5, 2], [3, 5]]);
    const want = F.softmax(x, 1).tolist();
    expect(F.softmax(x).tolist()).toEqual(want);
  });
  test('rrelu in training and gumbelSoftmax draw the same numbers as PyTorch', () => {
    const { runPython } = require('./helpers/python') as typeof import('./helpers/python');
    const py = runPython<number[][]>(`
import torch.nn.functional as F
torch.manual_seed(3)
x = torch.linspace(-2, 2, 12, dtype=torch.float64).reshape(3, 4)
a = F.rrelu(x, training=True)
b = F.gumbel_softmax(x, tau=0.5)
c = F.gumbel_softmax(x, hard=True, dim=0)
result = [a.reshape(-1).tolist(), b.reshape(-1).tolist(), c.reshape(-1).tolist()]
`);
    torch.manualSeed(3);
    const x = torch.linspace(-2, 2, 12, { dtype: 'float64' }).reshape(3, 4);
    const got = [F.rrelu(x, { training: true }), F.gumbelSoftmax(x, { tau: 0.5 }), F.gumbelSoftmax(x, { hard: true, dim: 0 })];
    got.forEach((g, i) => (g.reshape(-1).tolist() as number[]).forEach((v, j) => expect(v).toBeCloseTo(py[i][j], 12)));
  });
});
