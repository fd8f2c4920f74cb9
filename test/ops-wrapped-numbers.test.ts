// A JS number passed where an operator takes a Tensor is wrapped natively as a 0-dim "wrapped
// number" tensor, as Python's argument parser does: same dtype promotion, same grad_fn, same values.
import * as torch from '../lib';
import { runPython } from './helpers/python';

type Out = { dtype: string; values: unknown; gradFn: string | null };

// Written once per language; each builds a tensor through the generated (boxed) op path.
const CASES: [string, () => torch.Tensor][] = [
  ['torch.multiply(torch.tensor([1, 2], dtype=torch.uint8), 300)', () => torch.multiply(torch.tensor([1, 2], { dtype: torch.uint8 }), 300)],
  ['torch.multiply(torch.tensor([1, 2]), 2.5)', () => torch.multiply(torch.tensor([1, 2]), 2.5)],
  ['torch.multiply(torch.tensor([1, 2], dtype=torch.float16), 3)', () => torch.multiply(torch.tensor([1, 2], { dtype: torch.float16 }), 3)],
  ['torch.true_divide(torch.tensor([3, 4], dtype=torch.uint8), -3)', () => torch.trueDivide(torch.tensor([3, 4], { dtype: torch.uint8 }), -3)],
  ['torch.add(torch.tensor([1.5, 2.5], dtype=torch.float64), True)', () => torch.add(torch.tensor([1.5, 2.5], { dtype: torch.float64 }), true)],
  ['torch.tensor(2, dtype=torch.int32).multiply(7)', () => torch.tensor(2, { dtype: torch.int32 }).multiply(7)],
  ['torch.tensor(2.5, dtype=torch.float64).multiply(0.5)', () => torch.tensor(2.5, { dtype: torch.float64 }).multiply(0.5)],
  ['torch.tensor([True, False]).multiply(3)', () => torch.tensor([true, false]).multiply(3)],
  ['torch.tensor([1.5, 2.5], requires_grad=True).multiply(2)', () => torch.tensor([1.5, 2.5], { requiresGrad: true }).multiply(2)],
  // a number as the input of torch.add/sub/mul/div/pow (Python's wrapped number, pow's Scalar base)
  ['torch.add(1, torch.tensor([1.5, 2.5], requires_grad=True))', () => torch.add(1, torch.tensor([1.5, 2.5], { requiresGrad: true }))],
  ['torch.sub(1, torch.tensor([1, 2]), alpha=2)', () => torch.sub(1, torch.tensor([1, 2]), { alpha: 2 })],
  ['torch.mul(2.5, torch.tensor([1, 2], dtype=torch.int32))', () => torch.mul(2.5, torch.tensor([1, 2], { dtype: torch.int32 }))],
  ['torch.div(1, torch.tensor([2, 4]))', () => torch.div(1, torch.tensor([2, 4]))],
  ["torch.div(7, torch.tensor([2, 4]), rounding_mode='floor')", () => torch.div(7, torch.tensor([2, 4]), { roundingMode: 'floor' })],
  ['torch.pow(2, torch.tensor([1.5, 3.0], requires_grad=True))', () => torch.pow(2, torch.tensor([1.5, 3.0], { requiresGrad: true }))],
  ['torch.add(True, torch.tensor([1, 2], dtype=torch.uint8))', () => torch.add(true, torch.tensor([1, 2], { dtype: torch.uint8 }))],
  ['torch.tensor([1.5, 2.5], requires_grad=True).clone().mul_(0.9)', () => torch.tensor([1.5, 2.5], { requiresGrad: true }).clone().mul_(0.9)],
];

test('numbers for Tensor arguments promote and differentiate as in PyTorch', () => {
  const py = runPython<Out[]>(`
def d(t):
    return {"dtype": str(t.dtype), "values": t.tolist(), "gradFn": type(t.grad_fn).__name__ if t.grad_fn else None}
result = [${CASES.map(([p]) => `d(${p})`).join(', ')}]
`);
  const got = CASES.map(([, make]) => {
    const t = make();
    return { dtype: String(t.dtype), values: t.tolist(), gradFn: t.gradFn?.name() ?? null };
  });
  for (let i = 0; i < CASES.length; i++) {
    expect({ case: CASES[i][0], ...got[i] }).toEqual({ case: CASES[i][0], ...py[i] });
  }
});

test("subtracting a boolean number raises PyTorch's error", () => {
  expect(() => torch.subtract(torch.tensor([1.5]), true)).toThrow(/Subtraction, the `-` operator, with a bool tensor is not supported/);
});
