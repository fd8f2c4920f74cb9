// nn.utils vs PyTorch: clip_grad_norm_ (norm types, inf, max norms below and above the total,
// parameters without grads, error on non-finite), clip_grad_value_, parameters_to_vector and
// vector_to_parameters (values, gradients through the vector, views of the vector).
import * as torch from '../lib';
import * as utils from '../lib/nn/utils';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const SHAPES = [[3, 4], [5], [2, 2, 3]];

/** Parameters with deterministic gradients (the same in Python), the middle one without a grad when `holes`. */
function params(holes = false): torch.Tensor[] {
  return SHAPES.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const p = torch.arange(n, { dtype: 'float64' }).mul(0.1).sub(0.3 * i).reshape(shape).requiresGrad_();
    if (!(holes && i === 1)) p.grad = torch.arange(n, { dtype: 'float64' }).sub(n / 2).mul(0.37 * (i + 1)).reshape(shape).sin();
    return p;
  });
}
const PY_PARAMS = `
SHAPES = ${JSON.stringify(SHAPES)}
def params(holes=False):
    out = []
    for i, shape in enumerate(SHAPES):
        n = 1
        for s in shape: n *= s
        p = (torch.arange(n, dtype=torch.float64) * 0.1 - 0.3 * i).reshape(shape).requires_grad_()
        if not (holes and i == 1):
            p.grad = ((torch.arange(n, dtype=torch.float64) - n / 2) * (0.37 * (i + 1))).reshape(shape).sin()
        out.append(p)
    return out
def grads(ps): return [p.grad.reshape(-1).tolist() if p.grad is not None else None for p in ps]
`;
const grads = (ps: torch.Tensor[]) => ps.map((p) => (p.grad ? (p.grad.reshape(-1).tolist() as number[]) : null));

const close = closeWithin(1e-12);

describe('clipGradNorm_', () => {
  const CASES: [string, string, (ps: torch.Tensor[]) => torch.Tensor, boolean][] = [
    ['max_norm 1', 'clip_grad_norm_(ps, 1.0)', (ps) => utils.clipGradNorm_(ps, 1.0), false],
    ['max_norm 100 (no clipping)', 'clip_grad_norm_(ps, 100)', (ps) => utils.clipGradNorm_(ps, 100), false],
    ['norm_type 1', 'clip_grad_norm_(ps, 0.5, norm_type=1)', (ps) => utils.clipGradNorm_(ps, 0.5, { normType: 1 }), false],
    ['norm_type 3 positional', 'clip_grad_norm_(ps, 0.5, 3)', (ps) => utils.clipGradNorm_(ps, 0.5, 3), false],
    ['norm_type inf', "clip_grad_norm_(ps, 0.2, float('inf'))", (ps) => utils.clipGradNorm_(ps, 0.2, Infinity), false],
    ['norm_type 0.5', 'clip_grad_norm_(ps, 2, 0.5)', (ps) => utils.clipGradNorm_(ps, 2, 0.5), false],
    ['a parameter without grad', 'clip_grad_norm_(ps, 0.7)', (ps) => utils.clipGradNorm_(ps, 0.7), true],
    ['a single tensor', 'clip_grad_norm_(ps[0], 0.3)', (ps) => utils.clipGradNorm_(ps[0], 0.3), false],
    ['a single tensor inf', "clip_grad_norm_(ps[2], 0.3, norm_type=float('inf'))", (ps) => utils.clipGradNorm_(ps[2], 0.3, { normType: Infinity }), false],
    ['a generator of parameters', 'clip_grad_norm_((p for p in ps), 1.5)', (ps) => utils.clipGradNorm_((function* () { yield* ps; })(), 1.5), false],
  ];
  const want = runPython<[number, (number[] | null)[]][]>(`
from torch.nn.utils import clip_grad_norm_
${PY_PARAMS}
result = []
for expr, holes in ${JSON.stringify(CASES.map((c) => [c[1], c[3]])).replace(/true/g, 'True').replace(/false/g, 'False')}:
    ps = params(holes)
    total = eval(expr)
    result.append([total.item(), grads(ps)])
`);
  test.each(CASES.map((c, i) => [c[0], i] as const))('%s: total norm and clipped grads equal PyTorch', (_, i) => {
    const ps = params(CASES[i][3]);
    const total = CASES[i][2](ps);
    expect(total).toBeInstanceOf(torch.Tensor);
    expect(total.dim()).toBe(0);
    close(total.item(), want[i][0]);
    close(grads(ps), want[i][1]);
  });
  test('no gradients: tensor(0.) and nothing touched', () => {
    const p = torch.ones(3).requiresGrad_();
    const total = utils.clipGradNorm_([p], 1);
    expect(total.item()).toBe(0);
    expect(total.dtype).toBe(torch.float32);
    expect(p.grad).toBeNull();
  });
  test('errorIfNonfinite', () => {
    const p = torch.ones(2).requiresGrad_();
    p.grad = torch.tensor([1, Infinity]);
    expect(() => utils.clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(
      'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`');
    expect(utils.clipGradNorm_([p], 1).item()).toBe(Infinity);
  });
  test('works after a real backward, the clipped grads feed the optimizer step', () => {
    const w = torch.tensor([[3, -4]], { dtype: 'float32', requiresGrad: true });
    w.mul(w).sum().backward();
    const total = utils.clipGradNorm_([w], 1);
    expect(total.item()).toBeCloseTo(10, 5);
    close(w.grad!.tolist(), [[0.6 / (1 + 1e-7), -0.8 / (1 + 1e-7)]], 1e-6);
  });
});

describe('clipGradValue_', () => {
  const want = runPython<(number[] | null)[][]>(`
from torch.nn.utils import clip_grad_value_
${PY_PARAMS}
result = []
for v, holes in [(0.5, False), (0.1, True), (2, False)]:
    ps = params(holes)
    assert clip_grad_value_(ps, v) is None
    result.append(grads(ps))
ps = params()
clip_grad_value_(ps[0], 0.2)
result.append(grads(ps))
`);
  test.each([[0.5, false, 0], [0.1, true, 1], [2, false, 2]] as const)('clip %d (holes %s) equals PyTorch', (v, holes, i) => {
    const ps = params(holes);
    expect(utils.clipGradValue_(ps, v)).toBeUndefined();
    close(grads(ps), want[i]);
  });
  test('a single tensor', () => {
    const ps = params();
    utils.clipGradValue_(ps[0], 0.2);
    close(grads(ps), want[3]);
  });
});

describe('parametersToVector / vectorToParameters', () => {
  test('flattening equals PyTorch and gradients flow back to each parameter', () => {
    const want = runPython<{ vec: number[]; grads: number[][] }>(`
from torch.nn.utils import parameters_to_vector
${PY_PARAMS}
ps = params()
for p in ps: p.grad = None
vec = parameters_to_vector(ps)
(vec * torch.arange(vec.numel(), dtype=vec.dtype).cos()).sum().backward()
result = {'vec': vec.tolist(), 'grads': [p.grad.reshape(-1).tolist() for p in ps]}
`);
    const ps = params();
    ps.forEach((p) => (p.grad = null));
    const vec = utils.parametersToVector(ps);
    expect(vec.shape).toEqual([want.vec.length]);
    close(vec.tolist(), want.vec);
    vec.mul(torch.arange(vec.numel(), { dtype: vec.dtype }).cos()).sum().backward();
    close(grads(ps), want.grads);
  });
  test('vectorToParameters makes each parameter a view of its slice, as PyTorch', () => {
    const want = runPython<number[][]>(`
from torch.nn.utils import vector_to_parameters
${PY_PARAMS}
ps = params()
vec = torch.linspace(-1, 1, 29, dtype=torch.float64)
vector_to_parameters(vec, ps)
vec[0] = 42
result = [p.detach().reshape(-1).tolist() for p in ps] + [[float(p.requires_grad) for p in ps], [p.shape == torch.Size(s) for p, s in zip(ps, SHAPES)]]
`);
    const ps = params();
    const vec = torch.linspace(-1, 1, 29, { dtype: 'float64' });
    expect(utils.vectorToParameters(vec, ps)).toBeUndefined();
    vec.narrow(0, 0, 1).fill_(42);
    const got = [...ps.map((p) => p.detach().reshape(-1).tolist()), ps.map((p) => Number(p.requiresGrad)), ps.map((p, i) => JSON.stringify(p.shape) === JSON.stringify(SHAPES[i]))];
    close(got, want);
  });
  test('errors', () => {
    expect(() => utils.vectorToParameters([1, 2] as unknown as torch.Tensor, params())).toThrow('expected torch.Tensor');
    expect(() => utils.vectorToParameters(torch.zeros(3), params())).toThrow(torch.TorchError);
  });
});
