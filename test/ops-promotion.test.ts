// Broadcasting, type promotion and scalar handling against PyTorch: a table of mixed-dtype
// operands (tensor-tensor, tensor-number, 0-dim tensors, in-place) through the fast paths and the
// generated ops; result dtype, shape and values (or "error") must equal Python's.
// JS numbers cannot say 2.0: an integral number is a Python int, as in torch-node everywhere.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const DTYPES = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64'] as const;
type Name = (typeof DTYPES)[number];

const dataOf = (d: Name): (number | boolean)[] =>
  d === 'bool' ? [true, false, true] : d.startsWith('float') || d === 'bfloat16' ? [0.5, 1.5, -2] : [1, 2, 3];
/** a 3-element tensor of dtype d; `col` makes it 3x1 so two operands broadcast to 3x3 */
const T = (d: Name, col = false): torch.Tensor => {
  const t = torch.tensor(dataOf(d) as number[], { dtype: d });
  return col ? t.reshape([3, 1]) : t;
};
/** a 0-dim tensor */
const Z = (d: Name, v: number | boolean): torch.Tensor => torch.tensor(v as number, { dtype: d });

const pyVal = (v: number | boolean): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
const PY_T = (d: Name, col = false): string => `T('${d}'${col ? ', True' : ''})`;
const PY_Z = (d: Name, v: number | boolean): string => `Z('${d}', ${pyVal(v)})`;

type Case = [string, () => unknown];
const cases: Case[] = [];

// tensor (op) tensor, every dtype pair, broadcasting 3x1 against 3
for (const a of DTYPES) {
  for (const b of DTYPES) {
    cases.push([`torch.add(${PY_T(a, true)}, ${PY_T(b)})`, () => torch.add(T(a, true), T(b))]);
    cases.push([`torch.div(${PY_T(a)}, ${PY_T(b)})`, () => torch.div(T(a), T(b))]);
  }
}

// tensor (op) Python number, through the fast paths, the wrapped-number path and Scalar overloads
const SCALARS: (number | boolean)[] = [2, 2.5, true, -3];
const SCALAR_OPS: [string, (t: torch.Tensor, s: number | boolean) => unknown][] = [
  ['torch.add', (t, s) => torch.add(t, s)],
  ['torch.sub', (t, s) => torch.sub(t, s)],
  ['torch.mul', (t, s) => torch.mul(t, s)],
  ['torch.div', (t, s) => torch.div(t, s)],
  ['torch.multiply', (t, s) => torch.multiply(t, s)],
  ['torch.subtract', (t, s) => torch.subtract(t, s)],
  ['torch.true_divide', (t, s) => torch.trueDivide(t, s)],
  ['torch.floor_divide', (t, s) => torch.floorDivide(t, s)],
  ['torch.remainder', (t, s) => torch.remainder(t, s)],
  ['torch.fmod', (t, s) => torch.fmod(t, s)],
  ['torch.pow', (t, s) => torch.pow(t, s)],
  ['torch.eq', (t, s) => torch.eq(t, s)],
  ['torch.maximum', (t, s) => torch.maximum(t, torch.tensor(s as number))],
];
for (const d of DTYPES) {
  for (const s of SCALARS) {
    for (const [py, js] of SCALAR_OPS) {
      const arg = py === 'torch.maximum' ? `torch.tensor(${pyVal(s)})` : pyVal(s);
      cases.push([`${py}(${PY_T(d)}, ${arg})`, () => js(T(d), s)]);
    }
    cases.push([`torch.where(${PY_T('bool')}, ${PY_T(d)}, ${pyVal(s)})`, () => torch.where(T('bool'), T(d), s)]);
    cases.push([`${PY_T(d)}.add_(${pyVal(s)})`, () => T(d).add_(s)]);
    cases.push([`${PY_T(d)}.mul_(${pyVal(s)})`, () => T(d).mul_(s)]);
  }
}

// dimensioned tensor (op) 0-dim tensor: 0-dim tensors only win across categories
const ZEROS: [Name, number | boolean][] = [['float64', 2.5], ['int64', -1], ['bool', true], ['float16', 1.5], ['int8', 3]];
for (const d of DTYPES) {
  for (const [zd, zv] of ZEROS) {
    cases.push([`torch.add(${PY_T(d)}, ${PY_Z(zd, zv)})`, () => torch.add(T(d), Z(zd, zv))]);
    cases.push([`torch.mul(${PY_Z(zd, zv)}, ${PY_T(d)})`, () => torch.mul(Z(zd, zv), T(d))]);
  }
}

// 0-dim tensor (op) Python number: the number never wins within its category
for (const d of DTYPES) {
  for (const s of SCALARS) {
    cases.push([`torch.add(${PY_Z(d, 1)}, ${pyVal(s)})`, () => torch.add(Z(d, 1), s)]);
    cases.push([`torch.multiply(${PY_Z(d, 1)}, ${pyVal(s)})`, () => torch.multiply(Z(d, 1), s)]);
  }
}

// broadcasting shapes (and errors) through generated ops
const SHAPES: [number[], number[]][] = [[[2, 1, 3], [4, 1]], [[3], [2, 3]], [[1], [2, 0]], [[2, 3], [3, 2]], [[5, 1, 1], [1, 4, 1]]];
for (const [sa, sb] of SHAPES) {
  cases.push([`torch.atan2(torch.ones(${sa.join(', ')}, dtype=torch.float64), torch.ones(${sb.join(', ')}))`, () => torch.atan2(torch.ones(sa, { dtype: torch.float64 }), torch.ones(sb))]);
  cases.push([`torch.maximum(torch.ones(${sa.join(', ')}, dtype=torch.int32), torch.ones(${sb.join(', ')}, dtype=torch.uint8))`, () => torch.maximum(torch.ones(sa, { dtype: torch.int32 }), torch.ones(sb, { dtype: torch.uint8 }))]);
}

type Result = { dtype: string; shape: number[]; values: unknown } | 'error';

function finite(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(finite);
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

function run(fn: () => unknown): Result {
  try {
    const t = fn() as torch.Tensor;
    return { dtype: String(t.dtype), shape: t.shape, values: finite(t.tolist()) };
  } catch {
    return 'error';
  }
}

describe('type promotion and broadcasting vs PyTorch', () => {
  const expected = runPython<Result[]>(`
import math
DATA = {'bool': [True, False, True]}
def T(d, col=False):
    dt = getattr(torch, d)
    v = DATA.get(d, [0.5, 1.5, -2] if dt.is_floating_point else [1, 2, 3])
    t = torch.tensor(v, dtype=dt)
    return t.reshape(3, 1) if col else t
def Z(d, v):
    return torch.tensor(v, dtype=getattr(torch, d))
def fin(v):
    if isinstance(v, list): return [fin(e) for e in v]
    if isinstance(v, float) and not math.isfinite(v): return {math.inf: 'Infinity', -math.inf: '-Infinity'}.get(v, 'NaN')
    return v
def run(e):
    try:
        t = eval(e)
        return {'dtype': str(t.dtype), 'shape': list(t.shape), 'values': fin(t.tolist())}
    except Exception:
        return 'error'
result = [run(e) for e in json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c[0])))})]
`);

  test(`${cases.length} mixed-dtype expressions give PyTorch's dtype, shape and values`, () => {
    const mismatches: string[] = [];
    cases.forEach(([py, js], i) => {
      const got = run(js);
      if (JSON.stringify(got) !== JSON.stringify(expected[i])) {
        mismatches.push(`${py}: torch-node ${JSON.stringify(got)} vs PyTorch ${JSON.stringify(expected[i])}`);
      }
    });
    expect(mismatches).toEqual([]);
  });
});
