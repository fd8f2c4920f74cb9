// PyTorch 1.13's legacy names against Python: torch.testing's deprecated functions and dtype getters
// (results and FutureWarnings), nn.NLLLoss2d / nn.Container / nn.CrossMapLRN2d (values, gradients,
// reprs, warnings), the Tensor/torch names that only raise or report, and checkpoint's helpers.
import * as torch from '../lib';
import { pythonRandom } from '../lib/python-random';
import { runPythonShared as runPython } from './helpers/python-session';
import { ErrorOracleOptions, errorTable as errorTableOf } from './helpers/error-oracle';
import { closeWithin, out } from './helpers/close';
import { runHarness, checkSpec, float, Spec } from './serialization-module-harness';

/** errorTable with its Python in this file's one Python process. */
const errorTable = (cases: [string, () => unknown][], options: ErrorOracleOptions = {}) => errorTableOf(cases, { runner: runPython, ...options });

const { nn } = torch;
const close = closeWithin(1e-5);

/** Every warning withWarnings saw in this file, in order (a message shows once per process). */
const log: [string, string][] = [];

/** What fn returns, and the warnings it emitted ([category, message]). */
function withWarnings<T>(fn: () => T): [T, [string, string][]] {
  const seen: [string, string][] = [];
  const record = (w: string | Error, type?: unknown): void => {
    seen.push([typeof type === 'string' ? type : String((type as { type?: string } | undefined)?.type), String(w)]);
    log.push(seen[seen.length - 1]);
  };
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(record as typeof process.emitWarning);
  try {
    return [fn(), seen];
  } finally {
    spy.mockRestore();
  }
}

const names = (ds: torch.dtype[]): string[] => ds.map(String);

describe('torch.testing dtype getters', () => {
  const T = torch.testing;
  // [Python call, the same here]; each call's warning is new (warnings show once per message)
  const CASES: [string, () => torch.dtype[] | string[]][] = [
    ['all_types()', () => T.allTypes()],
    ['all_types_and(torch.bool, torch.half)', () => T.allTypesAnd(torch.bool, torch.float16)],
    ['all_types_and_complex()', () => T.allTypesAndComplex()],
    ['all_types_and_complex_and(torch.bool)', () => T.allTypesAndComplexAnd(torch.bool)],
    ['all_types_and_half()', () => T.allTypesAndHalf()],
    ['complex_types()', () => T.complexTypes()],
    ['double_types()', () => T.doubleTypes()],
    ['empty_types()', () => T.emptyTypes()],
    ['floating_and_complex_types()', () => T.floatingAndComplexTypes()],
    ['floating_and_complex_types_and(torch.bfloat16, torch.half)', () => T.floatingAndComplexTypesAnd(torch.bfloat16, torch.float16)],
    ['floating_types()', () => T.floatingTypes()],
    ['floating_types_and(torch.half)', () => T.floatingTypesAnd(torch.float16)],
    ['floating_types_and_half()', () => T.floatingTypesAndHalf()],
    ['get_all_complex_dtypes()', () => T.getAllComplexDtypes()],
    ['get_all_dtypes()', () => T.getAllDtypes()],
    ['get_all_dtypes(include_half=False, include_bool=False, include_qint=True)', () => T.getAllDtypes({ includeHalf: false, includeBool: false, includeQint: true })],
    ['get_all_dtypes(True, False, True, False)', () => T.getAllDtypes(true, false, true, false)],
    ['get_all_fp_dtypes()', () => T.getAllFpDtypes()],
    ['get_all_fp_dtypes(False)', () => T.getAllFpDtypes(false)],
    ['get_all_fp_dtypes(include_bfloat16=False)', () => T.getAllFpDtypes({ includeBfloat16: false })],
    ['get_all_int_dtypes()', () => T.getAllIntDtypes()],
    ["get_all_math_dtypes('cpu')", () => T.getAllMathDtypes('cpu')],
    ["get_all_math_dtypes('cuda:0')", () => T.getAllMathDtypes('cuda:0')],
    ['integral_types()', () => T.integralTypes()],
    ['integral_types_and(torch.bool)', () => T.integralTypesAnd(torch.bool)],
  ];
  const want = runPython<[string[], [string, string][]][]>(`
import warnings
from torch import testing as T
result = []
for code in ${JSON.stringify(CASES.map((c) => c[0]))}:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        r = eval('T.' + code)
    result.append([[str(d) for d in r], [[x.category.__name__, str(x.message)] for x in w]])
`);
  CASES.forEach(([code, run], i) => {
    test(code, () => {
      const [got, warnings] = withWarnings(run);
      expect(names(got as torch.dtype[])).toEqual(want[i][0]);
      expect(warnings).toEqual(want[i][1]);
    });
  });

  test('get_all_device_types() and a non-dtype extra', () => {
    const [types, warnings] = withWarnings(() => T.getAllDeviceTypes());
    expect(types).toEqual(torch.cuda.isAvailable() ? ['cpu', 'cuda'] : ['cpu']);
    expect(warnings).toEqual([['FutureWarning', `torch.testing.get_all_device_types() is deprecated since 1.12 and will be removed in 1.14. This call can be replaced with ${torch.cuda.isAvailable() ? "['cpu', 'cuda']" : "['cpu']"}.`]]);
    expect(() => T.allTypesAnd(1 as unknown as torch.dtype)).toThrow(torch.TorchError);
    expect(() => T.getAllComplexDtypes(true)).toThrow('no complex32');
  });
});

describe('torch.testing deprecated functions', () => {
  const T = torch.testing;
  // [Python call, the same here]: the error text ('no error') and the warnings
  const CASES: [string, () => void][] = [
    ['assert_allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.0001]))', () => T.assertAllclose(torch.tensor([1, 2]), torch.tensor([1, 2.0001]))],
    ['assert_allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.01]))', () => T.assertAllclose(torch.tensor([1, 2]), torch.tensor([1, 2.01]))],
    ['assert_allclose(torch.tensor([1., 2.], dtype=torch.float64), [1., 2.00001])', () => T.assertAllclose(torch.tensor([1, 2], { dtype: torch.float64 }), [1, 2.00001])],
    ['assert_allclose([1, 2], [1, 3])', () => T.assertAllclose([1, 2], [1, 3])],
    ['assert_allclose(1.5, 1.5001, 1e-3, 0.0)', () => T.assertAllclose(1.5, 1.5001, 1e-3, 0)],
    ["assert_allclose(torch.tensor([float('nan'), 1.]), torch.tensor([float('nan'), 1.]))", () => T.assertAllclose(torch.tensor([NaN, 1]), torch.tensor([NaN, 1]))],
    ["assert_allclose(torch.tensor([float('nan')]), torch.tensor([float('nan')]), equal_nan=False)", () => T.assertAllclose(torch.tensor([NaN]), torch.tensor([NaN]), { equalNan: false })],
    ['assert_allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.5]), rtol=0.1)', () => T.assertAllclose(torch.tensor([1, 2]), torch.tensor([1, 2.5]), { rtol: 0.1 })],
    ["assert_allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.5]), msg='differ')", () => T.assertAllclose(torch.tensor([1, 2]), torch.tensor([1, 2.5]), { msg: 'differ' })],
    ['assert_allclose(torch.zeros(2, 3), torch.zeros(3, 2).t())', () => T.assertAllclose(torch.zeros(2, 3), torch.zeros(3, 2).t())],
    ['assert_allclose(torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.float64))', () => T.assertAllclose(torch.zeros(2, 3), torch.zeros(2, 3, { dtype: torch.float64 }))],
    ['rand(2, 3).shape', () => T.rand(2, 3).shape],
    ['randn(4).shape', () => T.randn(4).shape],
  ];
  const shown = new Set<string>();
  const want = runPython<[string, [string, string][]][]>(`
import warnings
from torch.testing import *
result = []
for code in ${JSON.stringify(CASES.map((c) => c[0]))}:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        try:
            eval(code)
            e = 'no error'
        except Exception as ex:
            e = str(ex)
    result.append([e, [[x.category.__name__, str(x.message)] for x in w]])
`);
  CASES.forEach(([code, run], i) => {
    test(code, () => {
      const [error, warnings] = withWarnings(() => {
        try {
          run();
          return 'no error';
        } catch (e) {
          expect(e).toBeInstanceOf(torch.TorchError);
          return (e as Error).message;
        }
      });
      expect(error).toBe(want[i][0]);
      // a message shows once per process here (Python's default filter: once per place)
      expect(warnings).toEqual(want[i][1].filter(([, m]) => !shown.has(m)));
      warnings.forEach(([, m]) => shown.add(m));
    });
  });

  test('make_non_contiguous: same values, and the layout Python draws after random.seed(n)', () => {
    const want = runPython<[number[], number, boolean, number[][], string][]>(`
import random, warnings
from torch.testing import make_non_contiguous
result = []
for seed, shape in [(0, [3, 4]), (5, [2, 3, 4]), (7, [5]), (1, [1])]:
    random.seed(seed)
    x = torch.arange(float(torch.tensor(shape).prod())).reshape(shape)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        y = make_non_contiguous(x)
    result.append([list(y.stride()), y.storage_offset() - 0, y.is_contiguous(), y.reshape(-1, 1).tolist(), str(w[0].message)])
`);
    const shapes: [number, number[]][] = [[0, [3, 4]], [5, [2, 3, 4]], [7, [5]], [1, [1]]];
    shapes.forEach(([seed, shape], i) => {
      pythonRandom.seed(seed);
      const x = torch.arange(shape.reduce((a, b) => a * b)).float().reshape(shape);
      const [y, warnings] = withWarnings(() => torch.testing.makeNonContiguous(x));
      expect([y.stride(), y.isContiguous(), y.reshape(-1, 1).tolist()]).toEqual([want[i][0], want[i][2], want[i][3]]);
      if (i === 0) expect(warnings).toEqual([['FutureWarning', want[i][4]]]);
    });
  });
});

describe('nn legacy classes', () => {
  test('NLLLoss2d: NLLLoss with the deprecation warning, repr and values', () => {
    const want = runPython<{ repr: string; loss: number; warning: string; sum: number }>(`
import warnings
from torch import nn
inp = torch.log_softmax(torch.arange(24.).reshape(1, 3, 2, 4).sin(), 1)
tgt = torch.tensor([[[0, 1, 2, 1], [2, 2, 0, 1]]])
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    m = nn.NLLLoss2d()
result = dict(repr=repr(m), loss=m(inp, tgt).item(), warning=str(w[0].message),
              sum=nn.NLLLoss2d(torch.tensor([1., 2., 3.]), reduction='sum')(inp, tgt).item())
`);
    const inp = torch.logSoftmax(torch.arange(24).float().reshape(1, 3, 2, 4).sin(), 1);
    const tgt = torch.tensor([[[0, 1, 2, 1], [2, 2, 0, 1]]]);
    // warned when first built: here, or by the whole-module tests' collection
    const [m] = withWarnings(() => new nn.NLLLoss2d());
    expect(log).toContainEqual(['UserWarning', want.warning]);
    expect(m).toBeInstanceOf(nn.NLLLoss);
    expect(String(m)).toBe(want.repr);
    close(m(inp, tgt).item(), want.loss);
    close(new nn.NLLLoss2d(torch.tensor([1, 2, 3], { dtype: torch.float32 }), { reduction: 'sum' })(inp, tgt).item(), want.sum);
    expect(torch.nn.modules.loss.NLLLoss2d).toBe(nn.NLLLoss2d);
  });

  test('Container: modules by name, repr, warning, no forward', () => {
    const want = runPython<{ repr: string; warning: string; keys: string[]; error: string }>(`
import warnings
from torch import nn
torch.manual_seed(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    c = nn.Container(fc=nn.Linear(2, 3), act=nn.ReLU())
result = dict(repr=repr(c), warning=str(w[0].message), keys=list(c.state_dict().keys()), error=err(lambda: c(torch.zeros(1))))
`);
    const [c] = withWarnings(() => new nn.Container({ fc: new nn.Linear(2, 3), act: new nn.ReLU() }));
    expect(log).toContainEqual(['UserWarning', want.warning]);
    expect(String(c)).toBe(want.repr);
    expect(Object.keys(c.stateDict())).toEqual(want.keys);
    expect(() => (c as unknown as (x: torch.Tensor) => unknown)(torch.zeros(1))).toThrow(want.error);
    expect(torch.nn.modules.container.Container).toBe(nn.Container);
  });

  describe('CrossMapLRN2d: forward and gradient as Python', () => {
    // [size, alpha, beta, k, shape]
    const CONFIGS: [number, number, number, number, number[]][] = [
      [5, 1e-4, 0.75, 1, [2, 7, 3, 4]],
      [3, 0.5, 0.6, 2, [2, 6, 2, 3]],
      [4, 1.0, 0.5, 1, [1, 9, 2, 2]],
      [7, 2.0, 0.75, 1.5, [2, 3, 3, 2]],
      [2, 0.3, 1.2, 0.5, [3, 4, 1, 5]],
    ];
    const data = CONFIGS.map(([, , , , shape]) => {
      const n = shape.reduce((a, b) => a * b);
      return Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 2);
    });
    const weights = CONFIGS.map(([, , , , shape]) => Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.7)));
    const want = runPython<{ repr: string; out: number[][][][]; grad: number[][][][] }[][]>(`
from torch import nn
configs = ${JSON.stringify(CONFIGS)}
data = ${JSON.stringify(data)}
weights = ${JSON.stringify(weights)}
result = []
for (size, alpha, beta, k, shape), d, w in zip(configs, data, weights):
    row = []
    for dtype in (torch.float64, torch.float32):
        x = torch.tensor(d, dtype=dtype).reshape(shape).requires_grad_()
        m = nn.CrossMapLRN2d(size, alpha, beta, k)
        y = m(x)
        (y * torch.tensor(w, dtype=dtype).reshape(shape)).sum().backward()
        row.append(dict(repr=repr(m), out=y.tolist(), grad=x.grad.tolist()))
    result.append(row)
`);
    CONFIGS.forEach(([size, alpha, beta, k, shape], i) => {
      ([torch.float64, torch.float32] as const).forEach((dtype, j) => {
        test(`size=${size} alpha=${alpha} beta=${beta} k=${k} ${String(dtype)}`, () => {
          const x = torch.tensor(data[i], { dtype }).reshape(shape).requiresGrad_();
          const m = new nn.CrossMapLRN2d(size, alpha, beta, k);
          const y = m(x);
          y.mul(torch.tensor(weights[i], { dtype }).reshape(shape)).sum().backward();
          const tol = dtype === torch.float64 ? 1e-12 : 1e-5;
          expect(String(m)).toBe(want[i][j].repr);
          close(out(y), want[i][j].out, tol);
          close(out(x.grad), want[i][j].grad, tol);
        });
      });
    });

    test('defaults, keywords, module path, and a non-4-d input', () => {
      const want = runPython<string[]>(`
from torch import nn
result = [repr(nn.CrossMapLRN2d(3)), repr(nn.CrossMapLRN2d(3, beta=0.5, k=2.5))]
`);
      expect(String(new nn.CrossMapLRN2d(3))).toBe(want[0]);
      expect(String(new nn.CrossMapLRN2d(3, { beta: 0.5, k: 2.5 }))).toBe(want[1]);
      expect(torch.nn.modules.normalization.CrossMapLRN2d).toBe(nn.CrossMapLRN2d);
      const m = new nn.CrossMapLRN2d(3);
      expect(() => m(torch.zeros(2, 3, 4))).toThrow(torch.TorchError);
      expect(() => m(torch.zeros(2, 3, 4))).toThrow(expect.objectContaining({ name: 'AssertionError' }));
    });
  });
});

describe('Tensor and torch names that only raise', () => {
  const x = torch.randn(3, 3);
  errorTable(
    [
      ['x.eig()', () => x.eig()],
      ['x.eig(True)', () => x.eig(true)],
      ['torch.eig(x)', () => torch.eig(x)],
      ['x.lstsq(x)', () => x.lstsq(x)],
      ['torch.lstsq(x, x)', () => torch.lstsq(x, x)],
      ['x.solve(x)', () => x.solve(x)],
      ['torch.solve(x, x)', () => torch.solve(x, x)],
      ['torch.matrix_rank(x)', () => torch.matrixRank(x)],
      ['x.reinforce(1)', () => x.reinforce(1)],
      ['x.ipu()', () => x.ipu()],
      ['x.xpu()', () => x.xpu()],
      ["x.ipu('cpu')", () => x.ipu('cpu')],
      ['x.xpu(1)', () => x.xpu(1)],
      ['x.xpu(non_blocking=True)', () => x.xpu(null, { nonBlocking: true })],
    ],
    { prelude: 'x = torch.randn(3, 3)' },
  );
});

describe('Tensor flags and names', () => {
  test('as Python reports them', () => {
    const want = runPython<{ flags: boolean[]; names: (string | null)[][]; hasNames: boolean; mkldnn: boolean; volatile: [boolean, string[]] }>(`
import warnings
x = torch.randn(2, 3)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    v = x.volatile
    x.volatile = True
result = dict(flags=[x.is_mkldnn, x.is_nested, x.is_vulkan, x.is_ort], names=[list(x.names), list(torch.tensor(1.).names)],
              hasNames=x.has_names(), mkldnn=x.to_mkldnn().is_mkldnn, volatile=[v, [str(m.message) for m in w]])
`);
    const x = torch.randn(2, 3);
    expect([x.isMkldnn, x.isNested, x.isVulkan, x.isOrt]).toEqual(want.flags);
    expect([x.names, torch.tensor(1).names]).toEqual(want.names);
    expect(x.hasNames()).toBe(want.hasNames);
    if (torch.backends.mkldnn.isAvailable()) expect(x.toMkldnn().isMkldnn).toBe(want.mkldnn);
    const [v, warnings] = withWarnings(() => {
      const got = x.volatile;
      x.volatile = true;
      return got;
    });
    expect([v, warnings.map(([, m]) => m)]).toEqual(want.volatile);
    expect(x.volatile).toBe(false);
  });

  test('isNested is true for a nested tensor', () => {
    const { aten } = jest.requireActual('../lib/tensor/aten') as typeof import('../lib/tensor/aten');
    const mask = torch.tensor([[true, true, false], [true, false, false]]);
    const [nested] = withWarnings(() => aten('_nested_tensor_from_mask')([torch.randn(2, 3, 4), mask], { mask_check: false }) as torch.Tensor);
    expect(nested.isNested).toBe(true);
  });
});

describe('torch.utils.checkpoint helpers', () => {
  test('detachVariable, checkBackwardValidity, getDeviceStates/setDeviceStates', () => {
    const want = runPython<{ flags: [boolean, boolean, boolean][]; error: string; warning: string; states: unknown[] }>(`
import warnings
from torch.utils.checkpoint import detach_variable, check_backward_validity, get_device_states
a = torch.ones(2, requires_grad=True) * 2
b = torch.zeros(2)
out = detach_variable((a, b, 3))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    check_backward_validity((b, 3))
    check_backward_validity((a,))
result = dict(flags=[[o.requires_grad, o.is_leaf, o.grad_fn is None] for o in out[:2]], error=err(lambda: detach_variable([a])),
              warning=str(w[0].message), states=[list(s) for s in get_device_states(b, 3)])
`);
    const a = torch.ones(2, { requiresGrad: true }).mul(2);
    const b = torch.zeros(2);
    const detached = torch.utils.checkpoint.detachVariable([a, b, 3]);
    expect(detached[2]).toBe(3);
    expect((detached.slice(0, 2) as torch.Tensor[]).map((o) => [o.requiresGrad, o.isLeaf, o.gradFn === null])).toEqual(want.flags);
    // a Python list is refused; here an array is the tuple, so a non-array stands for it
    expect(() => torch.utils.checkpoint.detachVariable(a as unknown as unknown[])).toThrow("('Only tuple of tensors is supported. Got Unsupported input type: ', 'Tensor')");
    const [, warnings] = withWarnings(() => {
      torch.utils.checkpoint.checkBackwardValidity([b, 3]);
      torch.utils.checkpoint.checkBackwardValidity([a]);
    });
    expect(warnings.map(([, m]) => m)).toEqual([want.warning]);
    const states = torch.utils.checkpoint.getDeviceStates(b, 3);
    expect(states).toEqual(want.states);
    torch.utils.checkpoint.setDeviceStates(...states);
  });
});

describe('whole modules saved and loaded both ways with Python', () => {
  const SPECS: Spec[] = [
    { name: 'CrossMapLRN2d', args: [3, float(0.5), float(0.6), 2], inputs: [[2, 5, 3, 3]] },
    { name: 'NLLLoss2d', kwargs: { ignoreIndex: 1 }, inputs: [[2, 3, 4, 4], { int: [0, 3, [2, 4, 4]] }] },
    { name: 'Container', py: 'nn.Container(fc=nn.Linear(2, 3), act=nn.ReLU())', js: () => new nn.Container({ fc: new nn.Linear(2, 3), act: new nn.ReLU() }) },
  ];
  const [h] = withWarnings(() => runHarness(SPECS));
  SPECS.forEach((_, i) => checkSpec(h, SPECS, i));
});
