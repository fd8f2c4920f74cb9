// T.PythonRandom's draws against CPython's `random` after the same seed, one long sequence per seed
// (so each function also leaves the generator where Python's leaves it): randint / randrange
// (one- and two-word getrandbits), choice (`pick`), choices with weights / cum_weights / k, shuffle,
// uniform, sample (pool and set strategies, counts), and their errors.
import { transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const SEEDS = [0, 1, 42, 2 ** 40 + 3, -7];
const POP = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('seeded draws equal Python random: randint, randrange, choice, choices, shuffle, uniform, sample, getrandbits', () => {
  const py = runPython<unknown[][]>(`
import random
POP = ${JSON.stringify(POP)}
result = []
for seed in ${JSON.stringify(SEEDS)}:
    r = random.Random(seed)
    out = []
    out.append([r.randint(0, 9) for _ in range(10)])
    out.append([r.randint(-5, 1000000) for _ in range(5)])
    out.append([r.randint(0, 2 ** 40) for _ in range(3)])
    out.append([r.randrange(10), r.randrange(3, 100, 7), r.randrange(50, 3, -4), r.randrange(-20, -2)])
    out.append([r.choice(POP) for _ in range(6)])
    out.append(r.choices(POP, k=5))
    out.append(r.choices(POP, [0.5, 2, 0, 1, 3.25, 1, 1], k=4))
    out.append(r.choices(POP, cum_weights=[1, 1, 2, 5, 5, 8, 9], k=4))
    out.append(r.choices(POP))
    x = list(range(20)); r.shuffle(x); out.append(x)
    out.append([r.uniform(-2.5, 7) for _ in range(4)] + [r.uniform(3, 1)])
    out.append(r.sample(range(30), 10))
    out.append(r.sample(range(1000), 8))
    out.append(r.sample(POP, 3))
    out.append(r.sample(POP, k=7))
    out.append(r.sample(['x', 'y', 'z'], 6, counts=[3, 1, 2]))
    out.append([r.getrandbits(40), r.getrandbits(53), r.getrandbits(32), r.getrandbits(0), r.random()])
    result.append(out)`);
  const got = SEEDS.map((seed) => {
    const r = new T.PythonRandom().seed(seed);
    const out: unknown[] = [];
    out.push(range(10).map(() => r.randint(0, 9)));
    out.push(range(5).map(() => r.randint(-5, 1000000)));
    out.push(range(3).map(() => r.randint(0, 2 ** 40)));
    out.push([r.randrange(10), r.randrange(3, 100, 7), r.randrange(50, 3, -4), r.randrange(-20, -2)]);
    out.push(range(6).map(() => r.choice(POP)));
    out.push(r.choices(POP, { k: 5 }));
    out.push(r.choices(POP, [0.5, 2, 0, 1, 3.25, 1, 1], { k: 4 }));
    out.push(r.choices(POP, { cumWeights: [1, 1, 2, 5, 5, 8, 9], k: 4 }));
    out.push(r.choices(POP));
    const x = range(20);
    r.shuffle(x);
    out.push(x);
    out.push([...range(4).map(() => r.uniform(-2.5, 7)), r.uniform(3, 1)]);
    out.push(r.sample(range(30), 10));
    out.push(r.sample(range(1000), 8));
    out.push(r.sample(POP, 3));
    out.push(r.sample(POP, { k: 7 }));
    out.push(r.sample(['x', 'y', 'z'], 6, { counts: [3, 1, 2] }));
    out.push([r.getrandbits(40), r.getrandbits(53), r.getrandbits(32), r.getrandbits(0), r.random()]);
    return out;
  });
  expect(got).toEqual(py);
});

test('the module-level pythonRandom after seed(n) draws what random.seed(n) makes random.* draw', () => {
  const py = runPython<unknown[]>(`
import random
random.seed(2024)
result = [random.randint(1, 6), random.choice('abcdef'), random.uniform(0, 1), random.sample(range(10), 4), random.choices(range(5), k=2)]`);
  T.pythonRandom.seed(2024);
  expect([T.pythonRandom.randint(1, 6), T.pythonRandom.choice([...'abcdef']), T.pythonRandom.uniform(0, 1), T.pythonRandom.sample(range(10), 4), T.pythonRandom.choices(range(5), { k: 2 })]).toEqual(py);
});

test("errors are Python's", () => {
  const py = runPython<string[]>(`
import random, warnings
warnings.simplefilter('ignore')
r = random.Random(0)
result = [err(lambda: r.randrange(0)), err(lambda: r.randrange(5, 5)), err(lambda: r.randrange(1, 10, 0)), err(lambda: r.randint(3, 1)),
          err(lambda: r.randrange(1.5)), err(lambda: r.randrange(0, 2.5)), err(lambda: r.randrange(10, 0, 2)),
          err(lambda: r.sample([1, 2], 3)), err(lambda: r.sample([1, 2], -1)), err(lambda: r.choice([])),
          err(lambda: r.choices([1, 2], [1, 1], cum_weights=[1, 2])), err(lambda: r.choices([1, 2], [1])), err(lambda: r.choices([1, 2], [0, 0])),
          err(lambda: r.sample([1, 2], 1, counts=[1])), err(lambda: r.sample([1, 2], 1, counts=[0, 0])), err(lambda: r.getrandbits(-1))]`);
  const r = new T.PythonRandom().seed(0);
  expect([
    messageOf(() => r.randrange(0)),
    messageOf(() => r.randrange(5, 5)),
    messageOf(() => r.randrange(1, 10, 0)),
    messageOf(() => r.randint(3, 1)),
    messageOf(() => r.randrange(1.5)),
    messageOf(() => r.randrange(0, 2.5)),
    messageOf(() => r.randrange(10, 0, 2)),
    messageOf(() => r.sample([1, 2], 3)),
    messageOf(() => r.sample([1, 2], -1)),
    messageOf(() => r.choice([])),
    messageOf(() => r.choices([1, 2], [1, 1], { cumWeights: [1, 2] })),
    messageOf(() => r.choices([1, 2], [1])),
    messageOf(() => r.choices([1, 2], [0, 0])),
    messageOf(() => r.sample([1, 2], 1, { counts: [1] })),
    messageOf(() => r.sample([1, 2], 1, { counts: [0, 0] })),
    messageOf(() => r.getrandbits(-1)),
  ]).toEqual(py);
  expect(() => r.choice([])).toThrow(expect.objectContaining({ name: 'IndexError' }));
  expect(() => r.randrange(5, 5)).toThrow(expect.objectContaining({ name: 'ValueError' }));
});
