// Oracle tables: each case computes something from named float64 inputs in PyTorch (a Python
// expression) and in torch-node (a JS function); forward values and the gradients of every input
// are compared. All cases of a file run in ONE Python process.
import * as torch from '../../lib';
import { runPython } from './python';

export type Inputs = Record<string, torch.Tensor>;
/** [label (the op name first), Python expression, the same in JS] */
export type Case = [string, string, (t: Inputs) => unknown];

/** name -> [shape, low, high]: uniform float64 data from a fixed LCG, the same in both languages. */
export const INPUT_SPECS: Record<string, [number[], number, number]> = {
  x: [[3, 4], -1, 1],
  y: [[3, 4], -1, 1],
  z: [[3, 4], -1, 1],
  p: [[3, 4], 0.5, 2],
  q: [[3, 4], 0.5, 2],
  u: [[3, 4], 0.05, 0.95],
  v: [[4], -1, 1],
  w: [[4], -1, 1],
  c: [[1, 4], -1, 1],
  m: [[4, 5], -1, 1],
  a: [[4, 4], -1, 1],
  b: [[2, 3, 4], -1, 1],
  bm: [[2, 4, 5], -1, 1],
  img: [[2, 3, 6, 6], -1, 1],
  sig: [[2, 3, 8], -1, 1],
  k: [[4, 3, 3, 3], -0.5, 0.5],
  k1: [[4, 3, 3], -0.5, 0.5],
  kb: [[4], -0.5, 0.5],
};

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function inputData(): Record<string, number[]> {
  const rand = lcg(12345);
  const out: Record<string, number[]> = {};
  for (const [name, [shape, lo, hi]] of Object.entries(INPUT_SPECS)) {
    const n = shape.reduce((p, d) => p * d, 1);
    // rounded to 1/1024ths: exact in every float format, so no case depends on parsing
    out[name] = Array.from({ length: n }, () => Math.round((lo + (hi - lo) * rand()) * 1024) / 1024 + 0); // + 0: no -0
  }
  return out;
}

export type FloatName = 'float64' | 'float32';

export function makeInputs(data: Record<string, number[]>, dtype: FloatName = 'float64'): Inputs {
  const t: Inputs = {};
  for (const [name, [shape]] of Object.entries(INPUT_SPECS)) {
    t[name] = torch.tensor(data[name], { dtype }).reshape(shape).requiresGrad_();
  }
  return t;
}

export interface Described {
  out: unknown;
  grads: Record<string, (number | string)[] | null>;
}

/** Python twins of flat/desc/gradTensors below, shared by every oracle table. */
export const PY_DESCRIBE = `
import math
import torch.nn.functional as F
def flat(t):
    t = t.detach()
    if t.dtype == torch.bool: t = t.long()
    t = torch.zeros(t.shape, dtype=t.dtype) + t  # materializes autograd's zero tensors
    return [v if isinstance(v, int) or math.isfinite(v) else str(v) for v in t.reshape(-1).tolist()]
def desc(o):
    if isinstance(o, (tuple, list)): return [desc(e) for e in o]
    if isinstance(o, torch.Tensor): return {'shape': list(o.shape), 'dtype': str(o.dtype), 'values': flat(o)}
    return o
def tensors(o):
    if isinstance(o, (tuple, list)): return [t for e in o for t in tensors(e)]
    return [o] if isinstance(o, torch.Tensor) and o.requires_grad else []
def backward_weighted(outs):
    if outs:
        loss = sum((e * (torch.arange(e.numel(), dtype=e.dtype) + 1).sin().reshape(e.shape)).sum() for e in outs)
        loss.backward()
`;

const PY_HELPERS = `${PY_DESCRIBE}
def run_case(expr, data, specs, dtype):
    t = {n: torch.tensor(data[n], dtype=dtype).reshape(specs[n][0]).requires_grad_() for n in specs}
    o = eval(expr, dict(torch=torch, F=F, **t))
    backward_weighted(tensors(o))
    return {'out': desc(o), 'grads': {n: flat(v.grad) if v.grad is not None else None for n, v in t.items()}}
`;

/** Per dtype, per case: PyTorch's result. One Python process for all. */
export function pythonResults(cases: Case[], data: Record<string, number[]>, dtypes: FloatName[]): (Described | { error: string })[][] {
  return runPython(`${PY_HELPERS}
data = json.loads(${JSON.stringify(JSON.stringify(data))})
specs = json.loads(${JSON.stringify(JSON.stringify(INPUT_SPECS))})
def attempt(expr, dtype):
    try:
        return run_case(expr, data, specs, dtype)
    except Exception as e:
        return {'error': str(e)}
exprs = json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c[1])))})
result = [[attempt(e, getattr(torch, d)) for e in exprs] for d in ${JSON.stringify(dtypes)}]
`);
}

export function flat(t: torch.Tensor): (number | string)[] {
  let d = t.detach();
  if (d.dtype === torch.bool) d = d.long();
  // materializes autograd's zero tensors (reading one directly crashes the addon: reported)
  d = torch.zeros(d.shape, { dtype: d.dtype }).add(d);
  return (d.reshape(-1).tolist() as number[]).map((v) => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'));
}

export function desc(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(desc);
  if (o instanceof torch.Tensor) return { shape: o.shape, dtype: String(o.dtype), values: flat(o) };
  return o;
}

export function gradTensors(o: unknown): torch.Tensor[] {
  if (Array.isArray(o)) return o.flatMap(gradTensors);
  return o instanceof torch.Tensor && o.requiresGrad ? [o] : [];
}

/** Backward of sum(out * sin(1..n)) over every output: each output element gets its own weight. */
export function backwardWeighted(outs: torch.Tensor[]): void {
  if (!outs.length) return;
  let loss: torch.Tensor | undefined;
  for (const e of outs) {
    const weights = torch.sin(torch.arange(e.numel(), { dtype: e.dtype }).add(1)).reshape(e.shape);
    const term = e.mul(weights).sum();
    loss = loss ? loss.add(term) : term;
  }
  loss!.backward();
}

export function jsResult(fn: (t: Inputs) => unknown, data: Record<string, number[]>, dtype: FloatName): Described {
  const t = makeInputs(data, dtype);
  const o = fn(t);
  backwardWeighted(gradTensors(o));
  const grads: Described['grads'] = {};
  for (const [n, v] of Object.entries(t)) grads[n] = v.grad ? flat(v.grad) : null;
  return { out: desc(o), grads };
}

/** Deep comparison with |a - b| <= tol * max(1, |b|) for numbers; everything else exactly. */
export function mismatch(got: unknown, want: unknown, tol: number, where = ''): string | null {
  if (typeof want === 'number' && typeof got === 'number') {
    return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)) ? null : `${where}: ${got} vs ${want}`;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${where}: ${JSON.stringify(got)?.slice(0, 200)} vs ${JSON.stringify(want).slice(0, 200)}`;
    for (let i = 0; i < want.length; i++) {
      const m = mismatch(got[i], want[i], tol, `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') return `${where}: ${JSON.stringify(got)} vs object`;
    const keys = new Set([...Object.keys(want), ...Object.keys(got as object)]);
    for (const k of keys) {
      const m = mismatch((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], tol, `${where}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return got === want ? null : `${where}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`;
}

/** Runs a table: one jest test per case and dtype, forward values and gradients at that dtype's tolerance. */
export function oracleTable(title: string, cases: Case[], dtypes: [FloatName, number][] = [['float64', 1e-10]]): void {
  const data = inputData();
  const expected = pythonResults(cases, data, dtypes.map((d) => d[0]));
  const ops = new Set(cases.map((c) => c[0].split(/[ (]/)[0]));
  dtypes.forEach(([dtype, tol], k) => {
    describe(`${title} (${dtype})`, () => {
      afterAll(() => console.log(`${title}: ${ops.size} ops oracle-tested (forward and gradients, ${cases.length} cases, ${dtype}, tol ${tol})`));
      cases.forEach(([label, , fn], i) => {
        test(label, () => {
          const want = expected[k][i];
          if ('error' in want) throw new Error(`PyTorch raised: ${want.error}`);
          expect(mismatch(jsResult(fn, data, dtype), want, tol)).toBeNull();
        });
      });
    });
  });
}
