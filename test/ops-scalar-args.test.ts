// 0-dim tensors where PyTorch takes an int, float or Scalar (Python's arg parser accepts them when
// they do not require grad, keeping their type), and div's roundingMode in the method form.
import * as torch from '../lib';
import { runPython } from './helpers/python';

type Row = { dtype: string; values: unknown } | { error: string };

// [label, Python expression, JS]
const CASES: [string, string, () => torch.Tensor][] = [
  ['full with a 0-dim float', 'torch.full([2], torch.tensor(3.0))', () => torch.full([2], torch.tensor(3, { dtype: torch.float32 }) as never)],
  ['full with a 0-dim int', 'torch.full([2], torch.tensor(3))', () => torch.full([2], torch.tensor(3) as never)],
  ['fill_ with a 0-dim float', 'torch.zeros(3, dtype=torch.int64).fill_(torch.tensor(2.0))', () => torch.zeros(3, { dtype: torch.int64 }).fill_(torch.tensor(2, { dtype: torch.float32 }) as never)],
  ['clamp with 0-dim bounds', 'torch.tensor([-2.0, 0.5, 4.0]).clamp(torch.tensor(0), torch.tensor(1))', () => torch.clamp(torch.tensor([-2, 0.5, 4]), torch.tensor(0), torch.tensor(1))],
  ['addcmul with a 0-dim value', 'torch.addcmul(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0]), value=torch.tensor(0.5))', () => torch.addcmul(torch.tensor([1, 2], { dtype: torch.float32 }), torch.tensor([1, 3], { dtype: torch.float32 }), torch.tensor([2, 2], { dtype: torch.float32 }), { value: torch.tensor(0.5) as never })],
  ['leaky_relu slope 0-dim', 'torch.nn.functional.leaky_relu(torch.tensor([-1.0, 1.0]), torch.tensor(0.5))', () => torch.nn.F.leakyRelu(torch.tensor([-1, 1], { dtype: torch.float32 }), torch.tensor(0.5) as never)],
  ['x.div(4, rounding_mode=floor)', "torch.tensor([5.0, -7.0]).div(4, rounding_mode='floor')", () => torch.tensor([5, -7], { dtype: torch.float32 }).div(4, { roundingMode: 'floor' })],
  ['x.div(t, rounding_mode=trunc)', "torch.tensor([5, -7]).div(torch.tensor([2, 2]), rounding_mode='trunc')", () => torch.tensor([5, -7]).div(torch.tensor([2, 2]), { roundingMode: 'trunc' })],
];

const want = runPython<Row[]>(`
rows = []
for e in ${JSON.stringify(CASES.map((c) => c[1]))}:
    try:
        t = eval(e)
        rows.append({'dtype': str(t.dtype), 'values': t.tolist()})
    except Exception as ex:
        rows.append({'error': str(ex)})
result = rows
`);

describe.each(CASES.map((c, i) => [c[0], c[2], want[i]] as const))('%s', (_label, js, expected) => {
  test('dtype and values equal PyTorch', () => {
    if ('error' in expected) throw new Error(`PyTorch raised: ${expected.error}`);
    const t = js();
    expect(String(t.dtype)).toBe(expected.dtype);
    expect(t.tolist()).toEqual(expected.values);
  });
});

test('a 0-dim tensor that requires grad is not taken as a number', () => {
  const g = torch.tensor(3, { dtype: torch.float32 }).requiresGrad_();
  expect(() => torch.full([2], g as never)).toThrow(torch.TorchError);
});
