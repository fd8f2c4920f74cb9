// torch.manualSeed(s) then rand/randn/randint give PyTorch's numbers (the same libtorch generator).
import * as torch from '../lib';
import { runPython } from './helpers/python';

const CASES: [string, () => torch.Tensor][] = [
  ['torch.rand(5)', () => torch.rand(5)],
  ['torch.randn(2, 3)', () => torch.randn(2, 3)],
  ['torch.randn(17, dtype=torch.float64)', () => torch.randn(17, { dtype: torch.float64 })],
  ['torch.randint(10, (6,))', () => torch.randint(10, [6])],
  ['torch.randint(-5, 5, (2, 2))', () => torch.randint(-5, 5, [2, 2])],
  ['torch.randint(0, 3, (4,), dtype=torch.int32)', () => torch.randint(0, 3, [4], { dtype: torch.int32 })],
  ['torch.rand_like(torch.zeros(3))', () => torch.randLike(torch.zeros(3))],
  ['torch.randn_like(torch.zeros(2, 2))', () => torch.randnLike(torch.zeros(2, 2))],
  ['torch.randint_like(torch.zeros(3), 7)', () => torch.randintLike(torch.zeros(3), 7)],
  ['torch.rand(3, 3, dtype=torch.float64)', () => torch.rand(3, 3, { dtype: 'float64' })],
];

test.each([0, 42, 2 ** 40])('seed %d: a sequence of draws equals PyTorch', (seed) => {
  const py = runPython<{ dtype: string; values: unknown }[]>(`
torch.manual_seed(${seed})
result = [{"dtype": str(t.dtype), "values": t.tolist()} for t in [${CASES.map(([p]) => p).join(', ')}]]
`);
  torch.manualSeed(seed);
  const got = CASES.map(([, make]) => make()).map((t) => ({ dtype: String(t.dtype), values: t.tolist() }));
  expect(got).toEqual(py);
});

test('initialSeed reports the seed', () => {
  torch.manualSeed(1234);
  expect(torch.initialSeed()).toBe(1234n);
});

test('re-seeding repeats the sequence', () => {
  torch.manualSeed(7);
  const a = torch.randn(4).tolist();
  torch.manualSeed(7);
  expect(torch.randn(4).tolist()).toEqual(a);
});
