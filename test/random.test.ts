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

describe('torch.Generator', () => {
  test('seeded generators and randperm draw PyTorch\'s numbers', () => {
    const py = runPython<unknown[]>(`
g = torch.Generator().manual_seed(3)
a = torch.randperm(8, generator=g).tolist()
b = torch.rand(3, generator=torch.Generator().manual_seed(3)).tolist()
c = torch.randint(0, 10, (4,), generator=g).tolist()
d = torch.randn(2, 2, generator=g, dtype=torch.float64).tolist()
torch.manual_seed(5)
e = torch.randperm(6).tolist()
f = torch.randperm(5, dtype=torch.int32).dtype
result = [a, b, c, d, e, str(f)]
`);
    const g = new torch.Generator().manualSeed(3);
    const a = torch.randperm(8, { generator: g }).tolist();
    const b = torch.rand(3, { generator: new torch.Generator().manualSeed(3) }).tolist();
    const c = torch.randint(0, 10, [4], { generator: g }).tolist();
    const d = torch.randn(2, 2, { generator: g, dtype: torch.float64 }).tolist();
    torch.manualSeed(5);
    const e = torch.randperm(6).tolist();
    const f = String(torch.randperm(5, { dtype: torch.int32 }).dtype);
    expect([a, b, c, d, e, f]).toEqual(py);
  });

  test('a generator is independent of the default one, and seed() reseeds', () => {
    const g = new torch.Generator().manualSeed(11);
    torch.manualSeed(0);
    const first = torch.rand(2, { generator: g }).tolist();
    torch.rand(5); // draws from the default generator do not disturb g
    g.manualSeed(11);
    expect(torch.rand(2, { generator: g }).tolist()).toEqual(first);
    const s = g.seed();
    expect(g.initialSeed()).toBe(s);
    expect(torch.defaultGenerator.initialSeed()).toBe(0n);
    expect(String(g.device)).toBe('cpu');
  });
});
