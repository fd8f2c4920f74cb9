// Layer parity with PyTorch: for each case, Python builds the layer after torch.manual_seed, and we
// compare (1) the freshly initialised state_dict (keys, order, values), (2) the printed repr, and,
// in float64 with Python's weights loaded here, (3) forward outputs, input gradients and parameter
// gradients, and (4) the state_dict after the forward (running statistics). One Python process runs
// every case of a file.
import * as torch from '../../lib';
import { nn } from '../../lib';
import { runPython } from './python';
import { mismatch, flat, desc, gradTensors, backwardWeighted, PY_DESCRIBE } from './oracle';

/** A float input uniform in [-1, 1) (rounded to 1/1024ths, exact everywhere), or integer indices. */
export type InputSpec = number[] | { shape: number[]; low?: number; high: number; dtype?: 'int64' };

export interface LayerCase {
  /** shown as the test name */
  label: string;
  /** Python expression building the module; `torch`, `nn`, `F`, `math` are in scope */
  py: string;
  /** the same module built here */
  js: () => nn.Module;
  inputs: InputSpec[];
  /** Python forward expression over `m` and `xs` (default `m(*xs)`) */
  pyForward?: string;
  jsForward?: (m: nn.Module, xs: torch.Tensor[]) => unknown;
  /** eval() before the forward (default: training mode, PyTorch's default) */
  eval?: boolean;
  /** torch.manualSeed before building (default 0) */
  seed?: number;
  /** initial weights are not comparable (e.g. the layer draws in a different order): skip (1) */
  skipInit?: string;
  /** forward tolerance in float64 (default 1e-10) */
  tol?: number;
}

type Flat = (number | string)[];
interface TensorDesc {
  shape: number[];
  dtype: string;
  values: Flat;
}
interface PyCase {
  error?: string;
  init: Record<string, TensorDesc>;
  repr: string;
  double: Record<string, TensorDesc>;
  out: unknown;
  inputGrads: (Flat | null)[];
  paramGrads: Record<string, Flat | null>;
  after: Record<string, TensorDesc>;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface InputData {
  shape: number[];
  int: boolean;
  values: number[];
}

function inputData(specs: InputSpec[], caseIndex: number): InputData[] {
  return specs.map((spec, j) => {
    const rand = lcg(1000 * caseIndex + j + 1);
    const shape = Array.isArray(spec) ? spec : spec.shape;
    const n = shape.reduce((p, d) => p * d, 1);
    if (Array.isArray(spec)) {
      return { shape, int: false, values: Array.from({ length: n }, () => Math.round((2 * rand() - 1) * 1024) / 1024 + 0) };
    }
    const lo = spec.low ?? 0;
    return { shape, int: true, values: Array.from({ length: n }, () => lo + Math.floor(rand() * (spec.high - lo))) };
  });
}

const PY_PROGRAM = `${PY_DESCRIBE}
from torch import nn
def sd(m):
    return {k: desc(v) for k, v in m.state_dict().items()}
def run(case, inputs):
    torch.manual_seed(case['seed'])
    m = eval(case['py'])
    init = sd(m)
    rep = repr(m)
    m = m.double()
    if case['eval']: m.eval()
    double = sd(m)
    xs = []
    for spec in inputs:
        if spec['int']: xs.append(torch.tensor(spec['values'], dtype=torch.long).reshape(spec['shape']))
        else: xs.append(torch.tensor(spec['values'], dtype=torch.float64).reshape(spec['shape']).requires_grad_())
    torch.manual_seed(case['seed'] + 1)
    out = eval(case['fwd'], dict(m=m, xs=xs, torch=torch, F=F, nn=nn))
    backward_weighted(tensors(out))
    return dict(init=init, repr=rep, double=double, out=desc(out),
                inputGrads=[flat(x.grad) if x.grad is not None else None for x in xs],
                paramGrads={k: flat(p.grad) if p.grad is not None else None for k, p in m.named_parameters()},
                after=sd(m))
def attempt(case, inputs):
    try:
        return run(case, inputs)
    except Exception as e:
        return {'error': type(e).__name__ + ': ' + str(e)}
cases = json.loads(CASES)
result = [attempt(c, i) for c, i in cases]
`;

function describeStateDict(m: nn.Module): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.stateDict())) out[k] = desc(v);
  return out;
}

function tensorFrom(d: TensorDesc): torch.Tensor {
  const dtype = d.dtype.replace('torch.', '') as torch.DTypeLike;
  const values = d.values.map((v) => (typeof v === 'string' ? Number(v) : v));
  return torch.tensor(values, { dtype }).reshape(d.shape);
}

interface JsRun {
  out: unknown;
  inputGrads: (Flat | null)[];
  paramGrads: Record<string, Flat | null>;
  after: Record<string, unknown>;
}

function runHere(c: LayerCase, py: PyCase, inputs: InputData[]): JsRun {
  torch.manualSeed(c.seed ?? 0);
  const m = c.js().double();
  if (c.eval) m.eval();
  const sd: Record<string, torch.Tensor> = {};
  for (const [k, d] of Object.entries(py.double)) sd[k] = tensorFrom(d);
  m.loadStateDict(sd);
  const xs = inputs.map((i) =>
    i.int ? torch.tensor(i.values, { dtype: torch.int64 }).reshape(i.shape) : torch.tensor(i.values, { dtype: torch.float64 }).reshape(i.shape).requiresGrad_(),
  );
  torch.manualSeed((c.seed ?? 0) + 1);
  const out = c.jsForward ? c.jsForward(m, xs) : (m as unknown as (...a: unknown[]) => unknown)(...xs);
  backwardWeighted(gradTensors(out));
  const paramGrads: Record<string, Flat | null> = {};
  for (const [k, p] of m.namedParameters()) paramGrads[k] = p.grad ? flat(p.grad) : null;
  return {
    out: desc(out),
    inputGrads: xs.map((x) => (x.grad ? flat(x.grad) : null)),
    paramGrads,
    after: describeStateDict(m),
  };
}

/**
 * One describe block per table: for each case, jest tests for init, repr, and forward/gradients
 * (plus buffers after the forward). Prints how many layer classes the table covered.
 */
export function layerTable(title: string, cases: LayerCase[]): void {
  const inputs = cases.map((c, i) => inputData(c.inputs, i));
  const payload = cases.map((c, i) => [
    { py: c.py, seed: c.seed ?? 0, eval: c.eval ?? false, fwd: c.pyForward ?? 'm(*xs)' },
    inputs[i],
  ]);
  const expected = runPython<PyCase[]>(`CASES = ${JSON.stringify(JSON.stringify(payload))}\n${PY_PROGRAM}`);
  const classes = new Set(cases.map((c) => c.label.split('(')[0]));
  describe(title, () => {
    afterAll(() => console.log(`${title}: ${classes.size} layer classes, ${cases.length} cases checked against PyTorch (init, repr, forward, gradients)`));
    cases.forEach((c, i) => {
      const py = expected[i];
      const pyOk = () => {
        if (py.error) throw new Error(`PyTorch raised: ${py.error}`);
      };
      describe(c.label, () => {
        (c.skipInit ? test.skip : test)(`init equals PyTorch's with the same seed${c.skipInit ? ` (${c.skipInit})` : ''}`, () => {
          pyOk();
          torch.manualSeed(c.seed ?? 0);
          const got = describeStateDict(c.js());
          expect(Object.keys(got)).toEqual(Object.keys(py.init));
          expect(mismatch(got, py.init, 1e-6)).toBeNull();
        });
        test('repr equals print(module)', () => {
          pyOk();
          torch.manualSeed(c.seed ?? 0);
          expect(String(c.js())).toBe(py.repr);
        });
        test('forward, input and parameter gradients, buffers (float64)', () => {
          pyOk();
          const got = runHere(c, py, inputs[i]);
          const tol = c.tol ?? 1e-10;
          expect(mismatch(got.out, py.out, tol, 'out')).toBeNull();
          expect(mismatch(got.inputGrads, py.inputGrads, tol, 'input grads')).toBeNull();
          expect(mismatch(got.paramGrads, py.paramGrads, tol, 'param grads')).toBeNull();
          expect(mismatch(got.after, py.after, tol, 'state_dict after forward')).toBeNull();
        });
      });
    });
  });
}
