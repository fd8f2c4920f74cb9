// String(tensor) against real PyTorch 1.13: every case is built the same way on both sides (explicit
// data, or manual_seed + randn, which share libtorch's generator) and Python's str(t) is the golden.
import { inspect } from 'util';
import * as torch from '../lib';
import { setPrintoptions, getPrintoptions, SetPrintOptions } from '../lib/tensor/format';
import { runPython } from './helpers/python';

const { float32, float64, int64 } = torch;
const nan = NaN;
const inf = Infinity;

function seeded(seed: number, make: () => torch.Tensor): torch.Tensor {
  torch.manualSeed(seed);
  return make();
}

function withOptions(options: SetPrintOptions, make: () => torch.Tensor): string {
  setPrintoptions(options);
  try {
    return String(make());
  } finally {
    setPrintoptions({ profile: 'default' });
  }
}

function withDefaultDtype(dtype: torch.DType, make: () => torch.Tensor): string {
  torch.setDefaultDtype(dtype);
  try {
    return String(make());
  } finally {
    torch.setDefaultDtype(float32);
  }
}

const f32 = (data: torch.NestedList) => torch.tensor(data, { dtype: float32 });
const grad = (data: torch.NestedList, dtype = float32) => torch.tensor(data, { dtype, requiresGrad: true });

// [name, torch-node builder, Python expression giving the same tensor (or a str)]
type Case = [string, () => torch.Tensor | string, string];

const PY_PRELUDE = `
nan, inf = float('nan'), float('inf')
def seeded(seed, make):
    torch.manual_seed(seed)
    return make()
def with_options(options, make):
    torch.set_printoptions(**options)
    try:
        return str(make())
    finally:
        torch.set_printoptions(profile='default')
def with_default_dtype(dtype, make):
    torch.set_default_dtype(dtype)
    try:
        return str(make())
    finally:
        torch.set_default_dtype(torch.float32)
def grad(data, dtype=torch.float32):
    return torch.tensor(data, dtype=dtype, requires_grad=True)
`;

const cases: Case[] = [
  // float mode: fixed point with 4 digits, aligned
  ['fractions', () => f32([1.5, -2.25, 3.125]), 'torch.tensor([1.5, -2.25, 3.125])'],
  ['float32 rounding of 0.1', () => f32([0.1, 0.2, 0.3, 1 / 3]), 'torch.tensor([0.1, 0.2, 0.3, 1/3])'],
  ['round half to even', () => f32([0.03125, 0.09375, 1.5]), 'torch.tensor([0.03125, 0.09375, 1.5])'],
  ['rounding up to a new digit', () => f32([0.99995, 9.99995, 123.45678]), 'torch.tensor([0.99995, 9.99995, 123.45678])'],
  ['wide values', () => seeded(1, () => torch.randn(5).mul(1000)), 'seeded(1, lambda: torch.randn(5) * 1000)'],
  ['all negative', () => seeded(2, () => torch.randn(6).abs().neg()), 'seeded(2, lambda: torch.randn(6).abs().neg())'],
  // int mode: integral floats get a trailing '.'
  ['integral floats', () => f32([1, 2, -3]), 'torch.tensor([1., 2., -3.])'],
  ['zeros', () => torch.zeros(3), 'torch.zeros(3)'],
  ['integral, ratio > 1000', () => f32([1, 1e4]), 'torch.tensor([1., 1e4])'],
  ['integral, above 1e8', () => f32([3e8, 1]), 'torch.tensor([3e8, 1.])'],
  // scientific notation
  ['sci: tiny', () => f32([1e-8, 1, 2.5]), 'torch.tensor([1e-8, 1., 2.5])'],
  ['sci: huge', () => f32([1e10, 1.5, -3.25]), 'torch.tensor([1e10, 1.5, -3.25])'],
  ['sci: mix', () => f32([1e-8, 1e10, -2.5]), 'torch.tensor([1e-8, 1e10, -2.5])'],
  ['sci: below 1e-4', () => f32([1e-5, 0.5]), 'torch.tensor([1e-5, 0.5])'],
  // non-finite values and signed zero
  ['nan and inf, float mode', () => f32([nan, inf, -inf, 1.5]), 'torch.tensor([nan, inf, -inf, 1.5])'],
  ['nan and inf, int mode', () => f32([nan, inf, -inf, 1, 2]), 'torch.tensor([nan, inf, -inf, 1., 2.])'],
  ['only nan', () => f32([nan, nan]), 'torch.tensor([nan, nan])'],
  ['-inf and zero', () => f32([-inf, 0]), 'torch.tensor([-inf, 0.])'],
  ['negative zero, float mode', () => f32([-0, 1.5]), 'torch.tensor([-0., 1.5])'],
  ['negative zero, int mode', () => f32([-0, 1]), 'torch.tensor([-0., 1.])'],
  ['log of randn (nan)', () => seeded(3, () => torch.randn(8).log()), 'seeded(3, lambda: torch.randn(8).log())'],
  // 0-d
  ['0-d integral float', () => f32(3), 'torch.tensor(3.)'],
  ['0-d float', () => f32(-3.5), 'torch.tensor(-3.5)'],
  ['0-d int', () => torch.tensor(7), 'torch.tensor(7)'],
  ['0-d bool', () => torch.tensor(true), 'torch.tensor(True)'],
  ['0-d nan', () => f32(nan), 'torch.tensor(nan)'],
  ['0-d float64', () => torch.tensor(0.1, { dtype: float64 }), 'torch.tensor(0.1, dtype=torch.float64)'],
  ['0-d int32', () => torch.tensor(3, { dtype: torch.int32 }), 'torch.tensor(3, dtype=torch.int32)'],
  // integer and bool dtypes
  ['int64', () => torch.tensor([1, -20, 300]), 'torch.tensor([1, -20, 300])'],
  [
    'int64 extremes',
    () => torch.tensor(BigInt64Array.of(4611686018427387904n, -9223372036854775808n)),
    'torch.tensor([2**62, -2**63])',
  ],
  ['int32 2-D', () => torch.tensor([[1, 2], [3, 40]], { dtype: torch.int32 }), 'torch.tensor([[1, 2], [3, 40]], dtype=torch.int32)'],
  ['uint8', () => torch.tensor([0, 255, 7], { dtype: torch.uint8 }), 'torch.tensor([0, 255, 7], dtype=torch.uint8)'],
  ['int8', () => torch.tensor([-128, 5], { dtype: torch.int8 }), 'torch.tensor([-128, 5], dtype=torch.int8)'],
  ['int16', () => torch.tensor([-300, 5], { dtype: torch.int16 }), 'torch.tensor([-300, 5], dtype=torch.int16)'],
  ['bool', () => torch.tensor([true, false, true]), 'torch.tensor([True, False, True])'],
  ['bool 2-D', () => torch.tensor([[true, false], [false, true]]), 'torch.tensor([[True, False], [False, True]])'],
  // float64 and halves
  ['float64', () => torch.tensor([1.5, 2], { dtype: float64 }), 'torch.tensor([1.5, 2.], dtype=torch.float64)'],
  ['float64 randn', () => seeded(4, () => torch.randn(4, { dtype: float64 })), 'seeded(4, lambda: torch.randn(4, dtype=torch.float64))'],
  ['float16', () => seeded(5, () => torch.randn(6).half()), 'seeded(5, lambda: torch.randn(6).half())'],
  ['bfloat16', () => seeded(5, () => torch.randn(6).bfloat16()), 'seeded(5, lambda: torch.randn(6).bfloat16())'],
  ['float16 limits', () => f32([65504, 0.1, 1e-4]).half(), 'torch.tensor([65504., 0.1, 1e-4]).half()'],
  // nesting
  ['2-D', () => seeded(6, () => torch.randn(3, 4)), 'seeded(6, lambda: torch.randn(3, 4))'],
  ['3-D', () => seeded(6, () => torch.randn(2, 3, 4)), 'seeded(6, lambda: torch.randn(2, 3, 4))'],
  ['4-D', () => seeded(6, () => torch.randn(2, 2, 2, 2)), 'seeded(6, lambda: torch.randn(2, 2, 2, 2))'],
  ['transposed', () => seeded(6, () => torch.randn(3, 4).t()), 'seeded(6, lambda: torch.randn(3, 4).t())'],
  // summarisation (numel > 1000)
  ['2-D 100x100', () => seeded(7, () => torch.randn(100, 100)), 'seeded(7, lambda: torch.randn(100, 100))'],
  ['3-D 20x30x40', () => seeded(7, () => torch.randn(20, 30, 40)), 'seeded(7, lambda: torch.randn(20, 30, 40))'],
  ['1-D 2000', () => seeded(7, () => torch.randn(2000)), 'seeded(7, lambda: torch.randn(2000))'],
  ['int arange 2000', () => torch.arange(2000), 'torch.arange(2000)'],
  ['int 40x50', () => torch.arange(2000).reshape(40, 50), 'torch.arange(2000).reshape(40, 50)'],
  ['float64 1001', () => seeded(8, () => torch.randn(1001, { dtype: float64 })), 'seeded(8, lambda: torch.randn(1001, dtype=torch.float64))'],
  ['only columns cut', () => seeded(8, () => torch.randn(4, 300)), 'seeded(8, lambda: torch.randn(4, 300))'],
  ['only last dim cut', () => seeded(8, () => torch.randn(3, 5, 100)), 'seeded(8, lambda: torch.randn(3, 5, 100))'],
  ['summarised with nan', () => seeded(9, () => torch.randn(50, 50).log()), 'seeded(9, lambda: torch.randn(50, 50).log())'],
  ['exactly 1000, not cut', () => torch.arange(1000, { dtype: float32 }), 'torch.arange(1000, dtype=torch.float32)'],
  // line wrapping at 80 columns
  ['wrapped 1-D', () => seeded(10, () => torch.randn(30)), 'seeded(10, lambda: torch.randn(30))'],
  ['wrapped ints', () => torch.arange(50), 'torch.arange(50)'],
  ['wrapped 2-D', () => seeded(10, () => torch.randn(4, 25)), 'seeded(10, lambda: torch.randn(4, 25))'],
  ['wrapped sci', () => seeded(10, () => torch.randn(20).mul(1e-8)), 'seeded(10, lambda: torch.randn(20) * 1e-8)'],
  // complex
  [
    'complex64',
    () => torch.fromTypedArray(Float32Array.of(1, 2, -3.5, -0.5, 0, 1), [3], torch.complex64),
    'torch.tensor([1+2j, -3.5-0.5j, 0+1j])',
  ],
  [
    'complex128 2-D',
    () => torch.fromTypedArray(Float64Array.of(1, -0, 2.5, 1e-9, -1, 3, 0.25, 4), [2, 2], torch.complex128),
    'torch.tensor([[complex(1, -0.), 2.5+1e-9j], [-1+3j, 0.25+4j]], dtype=torch.complex128)',
  ],
  // empty tensors
  ['empty', () => torch.zeros(0), 'torch.zeros(0)'],
  ['empty 0x3', () => torch.zeros(0, 3), 'torch.zeros(0, 3)'],
  ['empty int64', () => torch.zeros([0], { dtype: int64 }), 'torch.zeros(0, dtype=torch.int64)'],
  ['empty bool', () => torch.zeros([0], { dtype: torch.bool }), 'torch.zeros(0, dtype=torch.bool)'],
  ['empty 3-D float64', () => torch.zeros([2, 0, 3], { dtype: float64 }), 'torch.zeros(2, 0, 3, dtype=torch.float64)'],
  // autograd suffixes
  ['requires_grad leaf', () => grad([1, 2]), 'grad([1., 2.])'],
  ['0-d requires_grad', () => grad(2), 'grad(2.)'],
  ['grad_fn mul', () => ((x: torch.Tensor) => x.mul(x))(grad([1.5, 2.5])), '(lambda x: x * x)(grad([1.5, 2.5]))'],
  ['grad_fn 0-d sum', () => grad([1, 2]).sum(), 'grad([1., 2.]).sum()'],
  ['grad_fn exp', () => grad([0, 1]).exp(), 'grad([0., 1.]).exp()'],
  [
    'suffixes on a new line',
    () => seeded(11, () => torch.randn(2, 7, { dtype: float64, requiresGrad: true })),
    'seeded(11, lambda: torch.randn(2, 7, dtype=torch.float64, requires_grad=True))',
  ],
  [
    'dtype and grad_fn wrap',
    () => seeded(11, () => torch.randn(8, { dtype: float64, requiresGrad: true }).mul(torch.tensor(100, { dtype: float64 }))),
    'seeded(11, lambda: torch.randn(8, dtype=torch.float64, requires_grad=True) * torch.tensor(100, dtype=torch.float64))',
  ],
  [
    'second suffix on a new line',
    () => seeded(11, () => torch.randn(4, { dtype: float64, requiresGrad: true }).mul(torch.tensor(100, { dtype: float64 }))),
    'seeded(11, lambda: torch.randn(4, dtype=torch.float64, requires_grad=True) * torch.tensor(100, dtype=torch.float64))',
  ],
  // meta tensors have no data
  ['meta', () => torch.zeros([2, 3], { device: 'meta' }), "torch.zeros(2, 3, device='meta')"],
  ['meta int64', () => torch.zeros([2], { device: 'meta', dtype: int64 }), "torch.zeros(2, device='meta', dtype=torch.int64)"],
  // the dtype suffix follows torch.set_default_dtype
  ['float32 under default float64', () => withDefaultDtype(float64, () => f32([1.5, 2])), 'with_default_dtype(torch.float64, lambda: torch.tensor([1.5, 2.], dtype=torch.float32))'],
  ['float64 under default float64', () => withDefaultDtype(float64, () => torch.tensor([1.5, 2], { dtype: float64 })), 'with_default_dtype(torch.float64, lambda: torch.tensor([1.5, 2.], dtype=torch.float64))'],
  ['empty under default float64', () => withDefaultDtype(float64, () => torch.zeros([0], { dtype: float64 })), 'with_default_dtype(torch.float64, lambda: torch.zeros(0, dtype=torch.float64))'],
  [
    'complex128 under default float64',
    () => withDefaultDtype(float64, () => torch.fromTypedArray(Float64Array.of(1, 2), [1], torch.complex128)),
    'with_default_dtype(torch.float64, lambda: torch.tensor([1+2j], dtype=torch.complex128))',
  ],
  // print options
  ['precision 2', () => withOptions({ precision: 2 }, () => seeded(12, () => torch.randn(5))), 'with_options(dict(precision=2), lambda: seeded(12, lambda: torch.randn(5)))'],
  ['precision 6 float64', () => withOptions({ precision: 6 }, () => torch.tensor([1 / 3, 2], { dtype: float64 })), 'with_options(dict(precision=6), lambda: torch.tensor([1/3, 2.], dtype=torch.float64))'],
  ['threshold 5', () => withOptions({ threshold: 5 }, () => torch.arange(10)), 'with_options(dict(threshold=5), lambda: torch.arange(10))'],
  [
    'edgeitems 1',
    () => withOptions({ threshold: 5, edgeitems: 1 }, () => seeded(12, () => torch.randn(10, 10))),
    'with_options(dict(threshold=5, edgeitems=1), lambda: seeded(12, lambda: torch.randn(10, 10)))',
  ],
  ['linewidth 40', () => withOptions({ linewidth: 40 }, () => seeded(12, () => torch.randn(12))), 'with_options(dict(linewidth=40), lambda: seeded(12, lambda: torch.randn(12)))'],
  ['sciMode true', () => withOptions({ sciMode: true }, () => f32([1.5, 2.25])), 'with_options(dict(sci_mode=True), lambda: torch.tensor([1.5, 2.25]))'],
  ['sciMode true, int mode', () => withOptions({ sciMode: true }, () => f32([1, 20])), 'with_options(dict(sci_mode=True), lambda: torch.tensor([1., 20.]))'],
  ['sciMode true, all zeros', () => withOptions({ sciMode: true }, () => torch.zeros(2)), 'with_options(dict(sci_mode=True), lambda: torch.zeros(2))'],
  ['sciMode false, tiny', () => withOptions({ sciMode: false }, () => f32([1e-8, 1])), 'with_options(dict(sci_mode=False), lambda: torch.tensor([1e-8, 1.]))'],
  ['sciMode false, huge', () => withOptions({ sciMode: false }, () => f32([1e30, 1.5])), 'with_options(dict(sci_mode=False), lambda: torch.tensor([1e30, 1.5]))'],
  ['profile short', () => withOptions({ profile: 'short' }, () => seeded(12, () => torch.randn(5, 5))), "with_options(dict(profile='short'), lambda: seeded(12, lambda: torch.randn(5, 5)))"],
  ['profile full', () => withOptions({ profile: 'full' }, () => torch.arange(1200)), "with_options(dict(profile='full'), lambda: torch.arange(1200))"],
];

describe('String(tensor) matches PyTorch 1.13 str(t)', () => {
  const program = `${PY_PRELUDE}\ncases = [\n${cases.map(([, , py]) => `    lambda: ${py},`).join('\n')}\n]\nresult = [str(c()) for c in cases]`;
  let expected: string[];
  beforeAll(() => {
    expected = runPython<string[]>(program);
  });

  test.each(cases.map((c, i) => [c[0], i] as const))('%s', (_name, i) => {
    const made = cases[i][1]();
    expect(typeof made === 'string' ? made : String(made)).toBe(expected[i]);
  });
});

describe('printing entry points', () => {
  test('toString, template literals and util.inspect (console.log) agree', () => {
    const t = f32([[1, 2.5], [nan, -inf]]);
    const s = String(t);
    expect(t.toString()).toBe(s);
    expect(`${t}`).toBe(s);
    expect(inspect(t)).toBe(s);
  });

  test('setPrintoptions resets sciMode when not given, as set_printoptions does', () => {
    setPrintoptions({ sciMode: true });
    setPrintoptions({ precision: 3 });
    expect(getPrintoptions()).toEqual({ precision: 3, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
    setPrintoptions({ profile: 'default' });
  });

  test('printing a big tensor reads only its edges and leaves it usable', () => {
    const before = torch.memory().liveTensors;
    const t = torch.zeros(1000, 1000);
    expect(String(t)).toContain('...');
    expect(torch.memory().liveTensors).toBeLessThanOrEqual(before + 1);
    expect(t.sum().item()).toBe(0);
  });

  (torch.cuda.isAvailable() ? test : test.skip)('CUDA tensors name their device', () => {
    expect(String(f32([1, 2]).cuda())).toBe("tensor([1., 2.], device='cuda:0')");
    expect(String(torch.zeros([0], { dtype: int64 }).cuda())).toBe("tensor([], device='cuda:0', dtype=torch.int64)");
  });
});
