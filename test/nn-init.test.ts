// nn.init: with the same manualSeed every initialiser gives PyTorch's exact numbers (it consumes the
// random generator in the same order), in float32 and float64, over shapes, modes and nonlinearities.
import * as torch from '../lib';
import * as init from '../lib/nn/init';
import { runPython } from './helpers/python';

type Case = [string, string, (w: torch.Tensor) => unknown];

// [label, Python call on `w`, JS call on `w`]
const CASES: Case[] = [
  ['uniform_', 'torch.nn.init.uniform_(w)', (w) => init.uniform_(w)],
  ['uniform_(-2, 3)', 'torch.nn.init.uniform_(w, -2, 3)', (w) => init.uniform_(w, -2, 3)],
  ['normal_', 'torch.nn.init.normal_(w)', (w) => init.normal_(w)],
  ['normal_(1, 0.5)', 'torch.nn.init.normal_(w, 1, 0.5)', (w) => init.normal_(w, 1, 0.5)],
  ['constant_', 'torch.nn.init.constant_(w, 0.3)', (w) => init.constant_(w, 0.3)],
  ['ones_', 'torch.nn.init.ones_(w)', (w) => init.ones_(w)],
  ['zeros_', 'torch.nn.init.zeros_(w)', (w) => init.zeros_(w)],
  ['xavierUniform_', 'torch.nn.init.xavier_uniform_(w)', (w) => init.xavierUniform_(w)],
  ['xavierUniform_ gain', 'torch.nn.init.xavier_uniform_(w, gain=torch.nn.init.calculate_gain("relu"))', (w) => init.xavierUniform_(w, init.calculateGain('relu'))],
  ['xavierNormal_', 'torch.nn.init.xavier_normal_(w)', (w) => init.xavierNormal_(w)],
  ['xavierNormal_ gain', 'torch.nn.init.xavier_normal_(w, 0.7)', (w) => init.xavierNormal_(w, 0.7)],
  ['kaimingUniform_', 'torch.nn.init.kaiming_uniform_(w)', (w) => init.kaimingUniform_(w)],
  ['kaimingUniform_ sqrt5 (Linear/Conv default)', 'torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))', (w) => init.kaimingUniform_(w, { a: Math.sqrt(5) })],
  ['kaimingUniform_ fanOut relu', "torch.nn.init.kaiming_uniform_(w, mode='fan_out', nonlinearity='relu')", (w) => init.kaimingUniform_(w, { mode: 'fanOut', nonlinearity: 'relu' })],
  ['kaimingUniform_ tanh', "torch.nn.init.kaiming_uniform_(w, nonlinearity='tanh')", (w) => init.kaimingUniform_(w, { nonlinearity: 'tanh' })],
  ['kaimingNormal_', 'torch.nn.init.kaiming_normal_(w)', (w) => init.kaimingNormal_(w)],
  ['kaimingNormal_ fan_out relu', "torch.nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')", (w) => init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' })],
  ['kaimingNormal_ leakyRelu 0.2', "torch.nn.init.kaiming_normal_(w, a=0.2, nonlinearity='leaky_relu')", (w) => init.kaimingNormal_(w, { a: 0.2, nonlinearity: 'leakyRelu' })],
  ['kaimingNormal_ selu', "torch.nn.init.kaiming_normal_(w, nonlinearity='selu')", (w) => init.kaimingNormal_(w, { nonlinearity: 'selu' })],
  ['truncNormal_', 'torch.nn.init.trunc_normal_(w)', (w) => init.truncNormal_(w)],
  ['truncNormal_(0.5, 2, -1, 3)', 'torch.nn.init.trunc_normal_(w, 0.5, 2, -1, 3)', (w) => init.truncNormal_(w, 0.5, 2, -1, 3)],
  ['truncNormal_ std 0.02', 'torch.nn.init.trunc_normal_(w, std=0.02)', (w) => init.truncNormal_(w, 0, 0.02)],
  ['orthogonal_', 'torch.nn.init.orthogonal_(w)', (w) => init.orthogonal_(w)],
  ['orthogonal_ gain', 'torch.nn.init.orthogonal_(w, 1.5)', (w) => init.orthogonal_(w, 1.5)],
];
const CASES_2D: Case[] = [
  ['eye_', 'torch.nn.init.eye_(w)', (w) => init.eye_(w)],
  ['sparse_', 'torch.nn.init.sparse_(w, 0.4)', (w) => init.sparse_(w, 0.4)],
  ['sparse_ std', 'torch.nn.init.sparse_(w, 0.1, std=0.5)', (w) => init.sparse_(w, 0.1, 0.5)],
];
const CASES_CONV: Case[] = [
  ['dirac_', 'torch.nn.init.dirac_(w)', (w) => init.dirac_(w)],
  ['dirac_ groups 2', 'torch.nn.init.dirac_(w, 2)', (w) => init.dirac_(w, 2)],
];
const SHAPES = [[5, 3], [3, 7], [6, 4, 3], [8, 2, 3, 3], [4, 2, 2, 3, 1]];
const SHAPES_2D = [[5, 3], [3, 7], [10, 10]];
const SHAPES_CONV = [[4, 2, 3], [6, 4, 3, 3], [4, 6, 2, 3, 5], [8, 3, 5, 5]];
const DTYPES = ['float32', 'float64'] as const;

const RUNS: { label: string; py: string; js: Case[2]; shape: number[]; dtype: string; seed: number }[] = [];
for (const dtype of DTYPES) {
  const add = (cases: Case[], shapes: number[][]) =>
    cases.forEach(([label, py, js], i) => shapes.forEach((shape, j) => RUNS.push({ label, py, js, shape, dtype, seed: 100 * i + j })));
  add(CASES, SHAPES);
  add(CASES_2D, SHAPES_2D);
  add(CASES_CONV, SHAPES_CONV);
}

const expected = runPython<number[][]>(`
import math
runs = json.loads(${JSON.stringify(JSON.stringify(RUNS.map(({ py, shape, dtype, seed }) => ({ py, shape, dtype, seed }))))})
result = []
for r in runs:
    torch.manual_seed(r['seed'])
    w = torch.empty(r['shape'], dtype=getattr(torch, r['dtype']), requires_grad=True)
    out = eval(r['py'])
    assert out is w
    result.append(w.detach().reshape(-1).tolist())
`);

describe.each(DTYPES)('nn.init equals PyTorch after the same manualSeed (%s)', (dtype) => {
  RUNS.forEach((run, i) => {
    if (run.dtype !== dtype) return;
    test(`${run.label} ${JSON.stringify(run.shape)}`, () => {
      torch.manualSeed(run.seed);
      const w = torch.empty(run.shape, { dtype, requiresGrad: true });
      expect(run.js(w)).toBe(w);
      expect(w.requiresGrad).toBe(true);
      expect(w.gradFn).toBeNull();
      const got = Array.from(w.detach().reshape(-1).toTypedArray() as Float64Array);
      // orthogonal_ goes through QR (LAPACK): equal to rounding, the rest bit for bit
      const tol = run.label.startsWith('orthogonal') ? (dtype === 'float64' ? 1e-12 : 1e-5) : 0;
      const want = expected[i];
      expect(got.length).toBe(want.length);
      for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[k])));
    });
  });
});

describe('calculateGain and fans', () => {
  const names: [string, number | null][] = [
    ['linear', null], ['conv1d', null], ['conv_transpose2d', null], ['sigmoid', null], ['tanh', null], ['relu', null],
    ['leaky_relu', null], ['leaky_relu', 0.2], ['leaky_relu', 0], ['selu', null],
  ];
  const py = runPython<number[]>(`result = [torch.nn.init.calculate_gain(n, p) for n, p in ${JSON.stringify(names).replace(/null/g, 'None')}]`);
  test.each(names.map((n, i) => [...n, i] as const))('calculateGain(%s, %s)', (name, param, i) => {
    expect(init.calculateGain(name, param)).toBe(py[i]);
  });
  test('camelCase spellings', () => {
    expect(init.calculateGain('leakyRelu', 0.3)).toBe(init.calculateGain('leaky_relu', 0.3));
    expect(init.calculateGain('convTranspose3d')).toBe(1);
  });
  test('errors as PyTorch', () => {
    expect(() => init.calculateGain('softsign')).toThrow(torch.TorchError);
    expect(() => init.calculateGain('softsign')).toThrow('Unsupported nonlinearity softsign');
    expect(() => init.kaimingUniform_(torch.empty(3, 4), { mode: 'fan_avg' as 'fan_in' })).toThrow("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']");
    expect(() => init.calculateFanInAndFanOut(torch.empty(3))).toThrow('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
    expect(() => init.eye_(torch.empty(2, 2, 2))).toThrow('Only tensors with 2 dimensions are supported');
    expect(() => init.dirac_(torch.empty(2, 2))).toThrow('Only tensors with 3, 4, or 5 dimensions are supported');
    expect(() => init.dirac_(torch.empty(3, 2, 2), 2)).toThrow('dim 0 must be divisible by groups');
    expect(() => init.orthogonal_(torch.empty(3))).toThrow('Only tensors with 2 or more dimensions are supported');
  });
  test('fans equal PyTorch', () => {
    const want = runPython<number[][]>(`result = [list(torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(s))) for s in ${JSON.stringify(SHAPES)}]`);
    expect(SHAPES.map((s) => init.calculateFanInAndFanOut(torch.empty(s)))).toEqual(want);
    expect(init._calculateFanInAndFanOut).toBe(init.calculateFanInAndFanOut);
  });
  test('zero-element tensors are left alone by kaiming', () => {
    const w = torch.empty(0, 3);
    expect(init.kaimingUniform_(w)).toBe(w);
    expect(init.orthogonal_(w)).toBe(w);
  });
});
