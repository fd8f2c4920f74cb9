// torch.testing.assertClose against PyTorch 1.13's assert_close: for each pair of inputs, whether it
// passes, and when not, Python's error class and message, word for word.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { assertClose } = torch.testing;
const f32 = (xs: number[]) => torch.tensor(xs, { dtype: torch.float32 });
const f64 = (xs: number[]) => torch.tensor(xs, { dtype: torch.float64 });

/** [label, Python call, the same here] */
const CASES: [string, string, () => void][] = [
  ['close float32', 'assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.000001]))', () => assertClose(f32([1, 2]), f32([1, 2.000001]))],
  ['one element off', 'assert_close(torch.tensor([1., 2., 3.]), torch.tensor([1., 2.5, 3.]))', () => assertClose(f32([1, 2, 3]), f32([1, 2.5, 3]))],
  ['2-d, two off', 'assert_close(torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([[1., 2.], [3.5, 4.25]]))',
    () => assertClose(f32([1, 2, 3, 4]).view(2, 2), f32([1, 2, 3.5, 4.25]).view(2, 2))],
  ['float64', 'assert_close(torch.tensor([1., 2.], dtype=torch.float64), torch.tensor([1., 2.0000001], dtype=torch.float64))',
    () => assertClose(f64([1, 2]), f64([1, 2.0000001]))],
  ['dtype', 'assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64))', () => assertClose(f32([1, 2]), f64([1, 2]))],
  ['dtype unchecked', 'assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64), check_dtype=False)',
    () => assertClose(f32([1, 2]), f64([1, 2]), { checkDtype: false })],
  ['shape', 'assert_close(torch.zeros(2, 3), torch.zeros(3, 2))', () => assertClose(torch.zeros(2, 3), torch.zeros(3, 2))],
  ['stride', 'assert_close(torch.zeros(2, 3), torch.zeros(3, 2).t(), check_stride=True)', () => assertClose(torch.zeros(2, 3), torch.zeros(3, 2).t(), { checkStride: true })],
  ['integers', 'assert_close(torch.tensor([1, 2]), torch.tensor([1, 3]))', () => assertClose(torch.tensor([1, 2]), torch.tensor([1, 3]))],
  ['nan', "assert_close(torch.tensor([float('nan')]), torch.tensor([float('nan')]))", () => assertClose(f32([NaN]), f32([NaN]))],
  ['nan equal', "assert_close(torch.tensor([float('nan')]), torch.tensor([float('nan')]), equal_nan=True)", () => assertClose(f32([NaN]), f32([NaN]), { equalNan: true })],
  ['0-d', 'assert_close(torch.tensor(1.), torch.tensor(1.5))', () => assertClose(torch.tensor(1.0, { dtype: torch.float32 }), torch.tensor(1.5))],
  ['tolerances', 'assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.1]), rtol=0, atol=0.2)', () => assertClose(f32([1, 2]), f32([1, 2.1]), { rtol: 0, atol: 0.2 })],
  ['equality message', 'assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.1]), rtol=0, atol=0)', () => assertClose(f32([1, 2]), f32([1, 2.1]), { rtol: 0, atol: 0 })],
  ['rtol alone', 'assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.1]), rtol=0.1)', () => assertClose(f32([1, 2]), f32([1, 2.1]), { rtol: 0.1 })],
  ['msg', "assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.1]), msg='custom')", () => assertClose(f32([1, 2]), f32([1, 2.1]), { msg: 'custom' })],
  ['msg function', "assert_close(torch.tensor([1., 2.]), torch.tensor([1., 2.1]), msg=lambda m: 'A: ' + m)", () => assertClose(f32([1, 2]), f32([1, 2.1]), { msg: (m) => `A: ${m}` })],
  ['floats', 'assert_close(1.5, 1.6)', () => assertClose(1.5, 1.6)],
  ['ints', 'assert_close(2, 3)', () => assertClose(2, 3)],
  ['float zero', 'assert_close(0.5, 0.0)', () => assertClose(0.5, 0)],
  ['booleans', 'assert_close(True, False)', () => assertClose(true, false)],
  ['None', 'assert_close(None, 1)', () => assertClose(null, 1)],
  ['tensor and float', 'assert_close(torch.tensor(1.), 1.5)', () => assertClose(torch.tensor(1.0, { dtype: torch.float32 }), 1.5)],
  ['sequence item', 'assert_close([torch.ones(2), torch.zeros(2)], [torch.ones(2), torch.ones(2)])', () => assertClose([torch.ones(2), torch.zeros(2)], [torch.ones(2), torch.ones(2)])],
  ['sequence length', 'assert_close([1, 2], [1, 2, 3])', () => assertClose([1, 2], [1, 2, 3])],
  ['mapping item', "assert_close({'a': torch.ones(2), 'b': [1.0, 2.5]}, {'a': torch.ones(2), 'b': [1.0, 2.0]})",
    () => assertClose({ a: torch.ones(2), b: [1.5, 2.5] }, { a: torch.ones(2), b: [1.5, 2] })],
  ['mapping keys', "assert_close({'a': 1, 'c': 2}, {'a': 1, 'b': 2})", () => assertClose({ a: 1, c: 2 }, { a: 1, b: 2 })],
  ['state dicts', 'm = torch.nn.Linear(2, 2); assert_close(m.state_dict(), m.state_dict())', () => {
    const m = new torch.nn.Linear(2, 2);
    assertClose(m.stateDict(), m.stateDict());
  }],
];

const want = runPython<[string, string][]>(`
from torch.testing import assert_close
def outcome(f):
    try:
        f()
        return ['ok', '']
    except Exception as e:
        return [type(e).__name__, str(e)]
result = [outcome(lambda: exec(code, {'torch': torch, 'assert_close': assert_close})) for code in ${JSON.stringify(CASES.map((c) => c[1]))}]
`);

function outcome(f: () => void): [string, string] {
  try {
    f();
    return ['ok', ''];
  } catch (e) {
    if (!(e instanceof torch.TorchError)) throw e;
    return [e.name, e.message];
  }
}

test.each(CASES.map((c, i) => [c[0], i] as const))("%s: Python's outcome and message", (_, i) => {
  expect(outcome(CASES[i][2])).toEqual(want[i]);
});
