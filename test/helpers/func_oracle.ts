// The seeded float64 inputs of test/helpers/func_oracle.py, made the same way here (libtorch's RNG
// gives both languages the same numbers), and the runner of that file's cases.
import * as path from 'path';
import * as torch from '../../lib';
import { native } from '../../lib/native';
import { pythonErrors } from './error-oracle';
import { runPython } from './python';

export type Inputs = Record<'x' | 'y' | 'v' | 'w' | 'm' | 'b' | 'c' | 's' | 'u', torch.Tensor>;

export function makeInputs(): Inputs {
  torch.manualSeed(0);
  const shapes: [keyof Inputs, number[]][] = [
    ['x', [3, 5]], ['y', [3, 5]], ['v', [5]], ['w', [5]], ['m', [5, 4]], ['b', [2, 3, 4]], ['c', [2, 3, 4]], ['s', []], ['u', [4]],
  ];
  const out = {} as Inputs;
  for (const [name, shape] of shapes) out[name] = torch.randn(shape, { dtype: torch.float64 });
  return out;
}

/** A result as func_oracle.py's to_json writes it: tensors as shape and flat values, arrays and objects nested. */
export function toJson(o: unknown): unknown {
  if (o instanceof torch.Tensor) return { shape: o.shape, values: o.detach().reshape(-1).tolist() };
  if (Array.isArray(o)) return o.map(toJson);
  if (o !== null && typeof o === 'object') return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toJson(v)]));
  return o;
}

export type Outcome = { value: unknown } | { error: string };

/** Python's results of each expression (func_oracle.py's run_cases), in one process; `prelude` defines extra names. */
export function pythonCases(exprs: string[], prelude = ''): Outcome[] {
  const file = path.join(__dirname, 'func_oracle.py');
  return runPython<Outcome[]>(`exec(open(${JSON.stringify(file)}).read())
${prelude}
result = run_cases(${JSON.stringify(exprs)})
`);
}

/** Deep comparison of toJson results: same structure and shapes, numbers within tol * max(1, |want|). */
export function expectClose(got: unknown, want: unknown, tol = 1e-12, path = 'result'): void {
  if (typeof want === 'number') {
    if (typeof got !== 'number' || !(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) {
      throw new Error(`${path}: ${String(got)} vs ${want} (relative tolerance ${tol})`);
    }
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) throw new Error(`${path}: ${JSON.stringify(got)?.slice(0, 200)} vs ${JSON.stringify(want).slice(0, 200)}`);
    want.forEach((w, i) => expectClose(got[i], w, tol, `${path}[${i}]`));
  } else if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') throw new Error(`${path}: ${JSON.stringify(got)} vs an object`);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expectClose((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], tol, `${path}.${k}`);
  } else {
    expect(got).toEqual(want);
  }
}

/** A case: [test label, Python expression over func_oracle.py's inputs, the same call here]. */
export type Case = [string, string, (t: Inputs) => unknown];

/** One test per case: values within tol of Python's, and no transform layer left behind. */
export function testCases(cases: Case[], prelude = '', tol?: number): void {
  const expected = pythonCases(cases.map((c) => c[1]), prelude);
  cases.forEach(([label, , run], i) => {
    test(label, () => {
      const want = expected[i];
      if ('error' in want) throw new Error(`Python raised ${want.error}`);
      expectClose(toJson(run(makeInputs())), want.value, tol);
      expect(native.functorchDepth()).toBe(0);
    });
  });
}

/** One test per [Python expression, the same call here]: a TorchError with functorch's message, no layer left. */
export function testErrors(cases: [string, () => unknown][], prelude: string): void {
  const expected = pythonErrors(cases.map((c) => c[0]), { prelude });
  cases.forEach(([code, run], i) => {
    test(code, () => {
      expect(run).toThrow(torch.TorchError);
      expect(run).toThrow(expected[i]);
      expect(native.functorchDepth()).toBe(0);
    });
  });
}
