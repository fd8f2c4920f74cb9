// torch.vmap / torch.func.vmap against functorch 1.13's vmap: inDims/outDims variants, pytree inputs
// and outputs, nested vmap, constants, randomness modes, chunkSize (2.x; compared with the unchunked
// Python result), errors with functorch's messages, and a clean interpreter stack after a throw.
import * as torch from '../lib';
import { native } from '../lib/native';
import { expectClose as close, makeInputs, testCases, testErrors, toJson, type Inputs } from './helpers/func_oracle';

type T = torch.Tensor;
const { vmap } = torch.func;

/** [label, Python expression (func_oracle.py's names), the same here] */
const CASES: [string, string, (t: Inputs) => unknown][] = [
  ['batched dot', 'vmap(torch.dot)(x, y)', (t) => torch.vmap(torch.dot)(t.x, t.y)],
  ['inDims (0, None)', 'vmap(torch.mul, in_dims=(0, None))(x, v)', (t) => vmap(torch.mul, [0, null])(t.x, t.v)],
  ['inDims 1', 'vmap(torch.dot, in_dims=1)(x, y)', (t) => vmap(torch.dot, { inDims: 1 })(t.x, t.y)],
  ['inDims -1', 'vmap(lambda a: a.sum(0), in_dims=-1)(b)', (t) => vmap((a: T) => a.sum(0), -1)(t.b)],
  ['dict input', "vmap(lambda p: p['a'] * p['b'], in_dims=({'a': 0, 'b': None},))({'a': x, 'b': v})",
    (t) => vmap((p: { a: T; b: T }) => p.a.mul(p.b), [{ a: 0, b: null }])({ a: t.x, b: t.v })],
  ['nested tuple input', 'vmap(lambda p: p[0] + p[1][0], in_dims=((0, (1,)),))((x, (y.t(),)))',
    (t) => vmap((p: [T, [T]]) => p[0].add(p[1][0]), [[0, [1]]])([t.x, [t.y.t()]])],
  ['non-tensor argument', 'vmap(lambda a, k: a * k, in_dims=(0, None))(x, 3)', (t) => vmap((a: T, k: number) => a.mul(k), [0, null])(t.x, 3)],
  ['outDims 1', 'vmap(lambda a: a * 2, out_dims=1)(b)', (t) => vmap((a: T) => a.mul(2), 0, 1)(t.b)],
  ['outDims tuple', 'vmap(lambda a: (a.sin(), a.sum()), out_dims=(1, 0))(x)', (t) => vmap((a: T) => [a.sin(), a.sum()], { outDims: [1, 0] })(t.x)],
  ['dict output', "vmap(lambda a: {'s': a.sum(), 'p': a.prod()})(x)", (t) => vmap((a: T) => ({ s: a.sum(), p: a.prod() }))(t.x)],
  ['nested vmap', 'vmap(vmap(torch.dot))(b, c)', (t) => vmap(vmap(torch.dot))(t.b, t.c)],
  ['inner vmap over a captured batched tensor', 'vmap(lambda a: vmap(lambda q: a * q)(u))(x)',
    (t) => vmap((a: T) => vmap((q: T) => a.mul(q))(t.u))(t.x)],
  ['constant output is expanded', 'vmap(lambda a: w)(x)', (t) => vmap((_a: T) => t.w)(t.x)],
  ['addr (its batch rule is a decomposition)', 'vmap(lambda a: torch.addr(m, a, u, beta=0.5, alpha=2))(x)',
    (t) => vmap((a: T) => torch.addr(t.m, a, t.u, { beta: 0.5, alpha: 2 }))(t.x)],
  ['addr with beta 0', 'vmap(lambda a, q: torch.addr(m, a, q, beta=0))(x, x[:, :4])',
    (t) => vmap((a: T, q: T) => torch.addr(t.m, a, q, { beta: 0 }))(t.x, t.x.index(':', torch.slice(null, 4)))],
  ['model-like', 'vmap(lambda a: torch.tanh(a @ m).relu())(x)', (t) => vmap((a: T) => torch.tanh(a.matmul(t.m)).relu())(t.x)],
  ['randomness same', "(torch.manual_seed(1), vmap(lambda a: a + torch.rand(5, dtype=d), randomness='same')(x))[1]",
    (t) => (torch.manualSeed(1), vmap((a: T) => a.add(torch.rand(5, { dtype: torch.float64 })), { randomness: 'same' })(t.x))],
  ['randomness different', "(torch.manual_seed(1), vmap(lambda a: a + torch.rand(5, dtype=d), randomness='different')(x))[1]",
    (t) => (torch.manualSeed(1), vmap((a: T) => a.add(torch.rand(5, { dtype: torch.float64 })), 0, 0, 'different')(t.x))],
  ['dropout with randomness different', "(torch.manual_seed(2), vmap(lambda a: F.dropout(a, 0.5), randomness='different')(x))[1]",
    (t) => (torch.manualSeed(2), vmap((a: T) => torch.nn.functional.dropout(a, 0.5), { randomness: 'different' })(t.x))],
  // Python 1.13 has no chunk_size: chunked results must equal the whole-batch ones
  ['chunkSize 2', 'vmap(lambda a: a.sin() @ m)(x)', (t) => vmap((a: T) => a.sin().matmul(t.m), { chunkSize: 2 })(t.x)],
  ['chunkSize 1 with outDims 1', 'vmap(lambda a: (a.exp(), a.sum()), out_dims=(1, 0))(x)',
    (t) => vmap((a: T) => [a.exp(), a.sum()], { outDims: [1, 0], chunkSize: 1 })(t.x)],
  ['chunkSize 2 of 3, single output with outDims (1,)', 'vmap(lambda a: a.cos(), out_dims=(1,))(x)',
    (t) => vmap((a: T) => a.cos(), { outDims: [1], chunkSize: 2 })(t.x)],
  ['chunkSize with randomness same', "(torch.manual_seed(1), vmap(lambda a: a + torch.rand(5, dtype=d), randomness='same')(x))[1]",
    (t) => (torch.manualSeed(1), vmap((a: T) => a.add(torch.rand(5, { dtype: torch.float64 })), { randomness: 'same', chunkSize: 2 })(t.x))],
];

describe('torch.func.vmap matches functorch 1.13', () => {
  testCases(CASES);
});

describe('results and the interpreter stack', () => {
  test('results are plain tensors (no batched wrapper escapes)', () => {
    const t = makeInputs();
    const out = vmap((a: T) => [a.sin(), { s: a.sum() }])(t.x) as [T, { s: T }];
    for (const r of [out[0], out[1].s]) {
      expect(native.functorchIsBatchedTensor(r._h)).toBe(false);
      expect(native.functorchMaybeGetLevel(r._h)).toBe(-1);
    }
    expect(out[0].toTypedArray().length).toBe(15); // readable: it has storage
  });

  test('a throw inside fn pops the layer, and the next vmap starts clean', () => {
    const t = makeInputs();
    expect(() =>
      vmap((a: T) => {
        vmap((q: T) => {
          throw new Error(`boom ${q.dim()}`);
        })(a);
      })(t.b),
    ).toThrow('boom 1');
    expect(native.functorchDepth()).toBe(0);
    expect(native.functorchCurrentLevel()).toBeNull();
    close(toJson(vmap(torch.dot)(t.x, t.y)), toJson(t.x.mul(t.y).sum(1)));
  });

  test('the batched inputs the transform made are disposed once it returns', () => {
    const t = makeInputs();
    let seen: T | undefined;
    vmap((a: T) => {
      seen = a;
      return a.mul(2);
    })(t.x);
    expect(seen!.isDisposed).toBe(true);
    expect(t.x.isDisposed).toBe(false);
  });

  test('the function name is kept', () => {
    function myFn(a: T): T {
      return a;
    }
    expect(vmap(myFn).name).toBe('myFn');
  });
});

describe('errors carry functorch 1.13 messages', () => {
  const prelude = `exec(open(${JSON.stringify(`${__dirname}/helpers/func_oracle.py`)}).read())
globals().update(make_inputs())
def f(a, b): return a + b`;
  const f = (a: T, b: T): T => a.add(b);
  const t = makeInputs();
  const cases: [string, () => unknown][] = [
    ['vmap(f, in_dims=(0,))(x, x)', () => vmap(f, [0])(t.x, t.x)],
    ['vmap(f, in_dims=(0, 1.5))(x, x)', () => vmap(f, [0, 1.5])(t.x, t.x)],
    ['vmap(f)(x, torch.randn(4, 5))', () => vmap(f)(t.x, torch.randn(4, 5))],
    ['vmap(f, in_dims=(0, 0))(x, 2)', () => vmap(f, [0, 0])(t.x, 2 as unknown as T)],
    ['vmap(f, in_dims=(0, 3))(x, x)', () => vmap(f, [0, 3])(t.x, t.x)],
    ['vmap(f, in_dims=(0, -3))(x, x)', () => vmap(f, [0, -3])(t.x, t.x)],
    ['vmap(f)()', () => (vmap(f) as () => unknown)()],
    ['vmap(f, in_dims=None)(x, x)', () => vmap(f, null)(t.x, t.x)],
    ['vmap(f, in_dims=(None, None))(x, x)', () => vmap(f, [null, null])(t.x, t.x)],
    ['vmap(lambda a: 3)(x)', () => vmap((_a: T) => 3)(t.x)],
    ['vmap(f, out_dims=(0, 1))(x, x)', () => vmap(f, 0, [0, 1])(t.x, t.x)],
    ['vmap(f, out_dims=1.5)(x, x)', () => vmap(f, 0, 1.5)(t.x, t.x)],
    ["vmap(lambda a: {'k': a}, out_dims=(0, 0))(x)", () => vmap((a: T) => ({ k: a }), { outDims: [0, 0] })(t.x)],
    ["vmap(f, randomness='x')", () => vmap(f, { randomness: 'x' as 'same' })],
    ['vmap(lambda a: torch.rand(3) + a)(x)', () => vmap((a: T) => torch.rand(3).add(a))(t.x)],
    ["vmap(lambda a: a + torch.rand(()), in_dims=(0,), randomness='error')(x)", () => vmap((a: T) => a.add(torch.rand([])), [0], 0, 'error')(t.x)],
  ];
  testErrors(cases, prelude);

  test('chunkSize must be a positive int (2.x message)', () => {
    expect(() => vmap(f, { chunkSize: 0 })).toThrow(new torch.ValueError('vmap: chunk_size should be None or greater than 0. (got 0)'));
  });
  test('ValueError where Python raises ValueError', () => {
    expect(() => vmap(f, [0])(t.x, t.x)).toThrow(torch.ValueError);
  });
});
