// nn.functional dropout family vs PyTorch: with the same manualSeed the same elements/channels are
// dropped and scaled, gradients included; `training` defaults and in-place forms as in Python.
import * as torch from '../lib';
import * as F from '../lib/nn/functional';
import { runPython } from './helpers/python';

// [label, Python expression of x, JS]
const CASES: [string, string, (x: torch.Tensor) => torch.Tensor][] = [
  ['dropout', 'F.dropout(x)', (x) => F.dropout(x)],
  ['dropout p 0.2', 'F.dropout(x, 0.2)', (x) => F.dropout(x, 0.2)],
  ['dropout eval', 'F.dropout(x, 0.5, False)', (x) => F.dropout(x, 0.5, false)],
  ['dropout p 1', 'F.dropout(x, p=1.0)', (x) => F.dropout(x, { p: 1.0 })],
  ['dropout inplace', 'F.dropout(x * 1, 0.4, inplace=True)', (x) => F.dropout(x.mul(1), 0.4, { inplace: true })],
  ['alphaDropout default is eval', 'F.alpha_dropout(x, 0.3)', (x) => F.alphaDropout(x, 0.3)],
  ['alphaDropout training', 'F.alpha_dropout(x, 0.3, True)', (x) => F.alphaDropout(x, 0.3, true)],
  ['featureAlphaDropout training', 'F.feature_alpha_dropout(x, training=True)', (x) => F.featureAlphaDropout(x, { training: true })],
  ['dropout1d batched', 'F.dropout1d(x, 0.5)', (x) => F.dropout1d(x, 0.5)],
  ['dropout1d unbatched', 'F.dropout1d(x[0], 0.5)', (x) => F.dropout1d(x.select(0, 0), 0.5)],
  ['dropout1d inplace', 'F.dropout1d(x[0] * 1, 0.5, inplace=True)', (x) => F.dropout1d(x.select(0, 0).mul(1), 0.5, { inplace: true })],
  ['dropout2d', 'F.dropout2d(x.reshape(2, 3, 4, 2), 0.4)', (x) => F.dropout2d(x.reshape(2, 3, 4, 2), 0.4)],
  ['dropout2d eval', 'F.dropout2d(x.reshape(2, 3, 4, 2), training=False)', (x) => F.dropout2d(x.reshape(2, 3, 4, 2), { training: false })],
  ['dropout3d batched', 'F.dropout3d(x.reshape(2, 3, 2, 2, 2))', (x) => F.dropout3d(x.reshape(2, 3, 2, 2, 2))],
  ['dropout3d unbatched', 'F.dropout3d(x.reshape(6, 2, 2, 2), 0.3)', (x) => F.dropout3d(x.reshape(6, 2, 2, 2), 0.3)],
];

const want = runPython<{ out: number[]; grad: number[] }[]>(`
import torch.nn.functional as F
result = []
for i, expr in enumerate(${JSON.stringify(CASES.map((c) => c[1]))}):
    torch.manual_seed(100 + i)
    x = torch.linspace(-2, 2, 48, dtype=torch.float64).reshape(2, 3, 8).requires_grad_()
    y = eval(expr)
    (y * torch.arange(y.numel(), dtype=y.dtype).reshape(y.shape).cos()).sum().backward()
    result.append({'out': y.detach().reshape(-1).tolist(), 'grad': x.grad.reshape(-1).tolist()})
`);

describe('dropout family equals PyTorch after the same manualSeed', () => {
  test.each(CASES.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    torch.manualSeed(100 + i);
    const x = torch.linspace(-2, 2, 48, { dtype: 'float64' }).reshape(2, 3, 8).requiresGrad_();
    const y = CASES[i][2](x);
    y.mul(torch.arange(y.numel(), { dtype: y.dtype }).reshape(y.shape).cos()).sum().backward();
    const out = y.detach().reshape(-1).tolist() as number[];
    const grad = x.grad!.reshape(-1).tolist() as number[];
    expect(out.length).toBe(want[i].out.length);
    out.forEach((v, k) => expect(Math.abs(v - want[i].out[k])).toBeLessThanOrEqual(1e-12));
    grad.forEach((v, k) => expect(Math.abs(v - want[i].grad[k])).toBeLessThanOrEqual(1e-12));
  });
});

describe('dropout semantics', () => {
  test('in-place forms return the input itself', () => {
    const x = torch.ones(4, 5);
    expect(F.dropout(x, 0.5, true, true)).toBe(x);
    const c = torch.ones(3, 4);
    expect(F.dropout1d(c, { inplace: true })).toBe(c);
    expect(c.shape).toEqual([3, 4]);
  });
  test('eval mode returns the values unchanged', () => {
    const x = torch.randn(3, 4);
    expect(F.dropout(x, { training: false }).tolist()).toEqual(x.tolist());
  });
  test('probability and shape errors as PyTorch', () => {
    const x = torch.ones(2, 3);
    expect(() => F.dropout(x, 1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => F.alphaDropout(x, -0.1)).toThrow('dropout probability has to be between 0 and 1, but got -0.1');
    expect(() => F.dropout1d(torch.ones(2, 3, 4, 5))).toThrow('dropout1d: Expected 2D or 3D input, but received a 4D input.');
  });
});
