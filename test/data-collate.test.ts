// defaultCollate / defaultConvert against PyTorch's default_collate on a table of nested batches.
import * as torch from '../lib';
import { defaultCollate, defaultConvert } from '../lib/data';
import { runPython } from './helpers/python';

/** One comparable form for both sides: tensors as {t, dtype, shape}, Maps and objects as {dict}. */
function norm(x: unknown): unknown {
  if (x instanceof torch.Tensor) return { t: x.tolist(), dtype: String(x.dtype), shape: x.shape };
  if (Array.isArray(x)) return x.map(norm);
  if (Object.prototype.toString.call(x) === '[object Map]') {
    return { dict: Object.fromEntries([...(x as Map<string, unknown>)].map(([k, v]) => [k, norm(v)])) };
  }
  if (x !== null && typeof x === 'object') return { dict: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, norm(v)])) };
  return x;
}

const PY_NORM = `
import numpy as np
from torch.utils.data import default_collate, default_convert
def norm(x):
    if isinstance(x, torch.Tensor): return {'t': x.tolist(), 'dtype': str(x.dtype), 'shape': list(x.shape)}
    if isinstance(x, dict): return {'dict': {k: norm(v) for k, v in x.items()}}
    if isinstance(x, (list, tuple)): return [norm(v) for v in x]
    return x
`;

// [Python batch, JS batch]
const CASES: [string, () => unknown[]][] = [
  ['[0, 1, 2, 3]', () => [0, 1, 2, 3]],
  ['[0.5, 1.5, -2.25]', () => [0.5, 1.5, -2.25]],
  ['[1.0, 2.5]', () => [1, 2.5]],
  ['[True, False, True]', () => [true, false, true]],
  ["['a', 'b']", () => ['a', 'b']],
  ["[{'A': 0, 'B': 1}, {'A': 100, 'B': 100}]", () => [{ A: 0, B: 1 }, { A: 100, B: 100 }]],
  ["[{'A': 0.5}, {'A': 1.5}]", () => [new Map([['A', 0.5]]), new Map([['A', 1.5]])]],
  ['[(0, 1), (2, 3)]', () => [[0, 1], [2, 3]]],
  ['[[0, 1], [2, 3], [4, 5]]', () => [[0, 1], [2, 3], [4, 5]]],
  ['[torch.tensor([1, 2]), torch.tensor([3, 4])]', () => [torch.tensor([1, 2]), torch.tensor([3, 4])]],
  ['[torch.tensor(1.5), torch.tensor(2.5)]', () => [torch.tensor(1.5), torch.tensor(2.5)]],
  ['[torch.ones(2, 3, dtype=torch.float16), torch.zeros(2, 3, dtype=torch.float16)]', () => [torch.ones(2, 3, { dtype: 'float16' }), torch.zeros(2, 3, { dtype: 'float16' })]],
  ['[torch.tensor([True]), torch.tensor([False])]', () => [torch.tensor([true]), torch.tensor([false])]],
  ['[np.array([1, 2], dtype=np.uint8), np.array([3, 4], dtype=np.uint8)]', () => [Uint8Array.from([1, 2]), Uint8Array.from([3, 4])]],
  ['[np.array([0.5], dtype=np.float32), np.array([1.5], dtype=np.float32)]', () => [Float32Array.from([0.5]), Float32Array.from([1.5])]],
  [
    "[{'x': torch.arange(4).view(2, 2), 'y': [1, 'a', 2.5], 'z': {'k': True}}, {'x': torch.arange(4, 8).view(2, 2), 'y': [2, 'b', 3.5], 'z': {'k': False}}]",
    () => [
      { x: torch.arange(4).view(2, 2), y: [1, 'a', 2.5], z: { k: true } },
      { x: torch.arange(4, 8).view(2, 2), y: [2, 'b', 3.5], z: { k: false } },
    ],
  ],
  ['[(torch.zeros(3), 1), (torch.ones(3), 0)]', () => [[torch.zeros(3), 1], [torch.ones(3), 0]]],
];

test('defaultCollate equals default_collate on every case', () => {
  const expected = runPython<unknown[]>(`${PY_NORM}
result = [norm(default_collate(b)) for b in [${CASES.map(([p]) => p).join(', ')}]]`);
  const got = CASES.map(([, make]) => norm(defaultCollate(make())));
  expect(got).toEqual(expected);
});

test('defaultConvert equals default_convert (no batching)', () => {
  const expected = runPython<unknown[]>(`${PY_NORM}
result = [norm(default_convert(x)) for x in [3, 'a', (1, 2), {'k': np.array([1, 2], dtype=np.int32)}, torch.ones(2)]]`);
  const got = [3, 'a', [1, 2], { k: Int32Array.from([1, 2]) }, torch.ones(2)].map((x) => norm(defaultConvert(x)));
  expect(got).toEqual(expected);
});

test("invalid batches raise PyTorch's errors", () => {
  const py = runPython<string[]>(`${PY_NORM}
result = []
for b in [[[1, 2], [3]], [None, None]]:
    try: default_collate(b)
    except Exception as e: result.append(type(e).__name__ + ': ' + str(e))`);
  expect(py[0]).toBe('RuntimeError: each element in list of batch should be of equal size');
  expect(() => defaultCollate([[1, 2], [3]])).toThrow(py[0].replace('RuntimeError: ', ''));
  expect(py[1]).toMatch(/^TypeError: default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found/);
  expect(() => defaultCollate([null, null])).toThrow(new TypeError('default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found null'));
  expect(() => defaultCollate([() => 1])).toThrow(/found function$/);
});

test('null-prototype objects stay null-prototype; Maps stay Maps', () => {
  const a = Object.assign(Object.create(null), { v: 1 });
  const b = Object.assign(Object.create(null), { v: 2 });
  const out = defaultCollate([a, b]) as Record<string, torch.Tensor>;
  expect(Object.getPrototypeOf(out)).toBeNull();
  expect(out.v.tolist()).toEqual([1, 2]);
  expect(defaultCollate([new Map([[1, 2]]), new Map([[1, 3]])])).toBeInstanceOf(Map);
});

test('bigint samples collate to int64 exactly', () => {
  const t = defaultCollate([2n ** 60n, -3n]) as torch.Tensor;
  expect(t.dtype).toBe(torch.int64);
  expect(Array.from(t.toTypedArray() as BigInt64Array)).toEqual([2n ** 60n, -3n]);
});
